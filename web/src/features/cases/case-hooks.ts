import { useMemo } from 'react';
import { useLocale } from '../../i18n/i18n';
import { nameOf } from '../intake/intake-format';
import { useCategoryOptions } from '../intake/intake-hooks';
import { fetchOrgUnits, type OrgUnit } from '../registry/registry-api';
import { useRemote } from '../registry/use-remote';

/** The org units, once per page, with a lookup of names by id. */
export function useUnits() {
  const { locale } = useLocale();
  const remote = useRemote((api, signal) => fetchOrgUnits(api, signal), []);
  const byId = useMemo(() => new Map((remote.data ?? []).map((u) => [u.id, u])), [remote.data]);
  const unitName = (id: string | null | undefined): string => {
    if (!id) return '—';
    const u = byId.get(id);
    return u ? (nameOf(u, locale) ?? u.name) : id;
  };
  return { units: remote.data ?? ([] as OrgUnit[]), unitName, loading: remote.loading };
}

/** The categories with a lookup of names by key. */
export function useCategories() {
  const { locale } = useLocale();
  const remote = useCategoryOptions();
  const byKey = useMemo(() => new Map((remote.data ?? []).map((c) => [c.key, c])), [remote.data]);
  const categoryName = (key: string | null | undefined): string => {
    if (!key) return '—';
    const c = byKey.get(key);
    return c ? (nameOf(c, locale) ?? c.name) : key;
  };
  return { categories: remote.data ?? [], categoryName };
}
