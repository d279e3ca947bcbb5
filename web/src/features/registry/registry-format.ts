// How registry records are shown: names in the console's language, areas, coordinates, time limits.
import type { Translate } from '../../i18n/i18n';
import type { Locale } from '../../i18n/messages';

/** A layer's title in the console's language (the English title when there is one). */
export const layerTitle = (
  row: { title: string; titleEn: string | null; name: string },
  locale: Locale,
): string => (locale === 'en' && row.titleEn ? row.titleEn : row.title) || row.name;

/** A record's name in the console's language: the English name in English when it has one. */
export const localName = (row: { name: string; nameEn?: string | null }, locale: Locale): string =>
  locale === 'en' && row.nameEn ? row.nameEn : row.name;

/** Square metres, rounded, grouped by thousands in the console's language. */
export const formatArea = (m2: number | undefined, locale: Locale): string =>
  m2 === undefined ? '—' : `${Math.round(m2).toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN')} m²`;

/** [lng, lat] to six decimals (about 0.1 m). */
export const formatLngLat = (p: readonly number[] | undefined | null): string =>
  p && p.length >= 2 ? `${(p[0] ?? 0).toFixed(6)}, ${(p[1] ?? 0).toFixed(6)}` : '—';

/** A role, unit kind or other identifier from the server, in words when the dictionary knows it. */
export const labelOf = (t: Translate, group: string, id: string | null | undefined): string =>
  id ? (t.optional(`${group}.${id}`) ?? id) : '—';

/**
 * A category's default handling unit (`squad`, `workstation` or `department:<kind>`) in words.
 */
export function formatUnitKindRef(t: Translate, ref: string | null): string {
  if (!ref) return '—';
  const m = /^department:(\w+)$/.exec(ref);
  if (m?.[1]) return labelOf(t, 'registry.departmentKinds', m[1]); // the department's kind names it: 绿化市容, 公安 …
  return labelOf(t, 'unitKinds', ref);
}

/** A time limit such as `2 workday` or `4 workhour` in words; as given when it is not one. */
export function formatTimeLimit(t: Translate, text: string | null): string {
  if (!text) return '—';
  const m = /^(\d+) (day|workday|hour|workhour)$/.exec(text);
  if (!m?.[1] || !m[2]) return text;
  return t.optional(`registry.timeUnits.${m[2]}`)?.replace('{count}', m[1]) ?? text;
}
