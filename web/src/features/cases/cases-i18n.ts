// The case pages' own dictionary (web/src/i18n/cases.*.ts), read in the console's current language.
import { useMemo } from 'react';
import { casesEn, type CasesMessages } from '../../i18n/cases.en';
import { casesZhCN } from '../../i18n/cases.zh-CN';
import { useLocale } from '../../i18n/i18n';
import { interpolate, type Locale } from '../../i18n/messages';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type CasesKey = Leaves<CasesMessages>;

const DICTIONARIES: Readonly<Record<Locale, CasesMessages>> = { 'zh-CN': casesZhCN, en: casesEn };

function lookup(messages: CasesMessages, path: string): string | undefined {
  let node: unknown = messages;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export type CasesT = {
  (key: CasesKey, params?: Readonly<Record<string, string | number>>): string;
  /** A label built from server data (a step, a move): the string, or the identifier as it came. */
  label: (group: 'status' | 'steps' | 'moves' | 'urgency' | 'units', id: string | null | undefined) => string;
};

/** The translate function of the case pages for the current language. */
export function useCasesT(): CasesT {
  const { locale } = useLocale();
  return useMemo(() => {
    const messages = DICTIONARIES[locale];
    const t = ((key: CasesKey, params?: Readonly<Record<string, string | number>>) =>
      interpolate(lookup(messages, key) ?? key, params)) as CasesT;
    t.label = (group, id) => (id ? (lookup(messages, `${group}.${id}`) ?? id) : '—');
    return t;
  }, [locale]);
}
