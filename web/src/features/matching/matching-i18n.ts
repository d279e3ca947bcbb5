// The matching pages' own dictionary (web/src/i18n/matching.*.ts), read in the console's current language.
import { useMemo } from 'react';
import { matchingEn } from '../../i18n/matching.en';
import { matchingZhCN, type MatchingMessages } from '../../i18n/matching.zh-CN';
import { useLocale } from '../../i18n/i18n';
import { interpolate, type Locale } from '../../i18n/messages';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MatchingKey = Leaves<MatchingMessages>;

const DICTIONARIES: Readonly<Record<Locale, typeof matchingEn>> = { 'zh-CN': matchingZhCN, en: matchingEn };

function lookup(messages: typeof matchingEn, path: string): string | undefined {
  let node: unknown = messages;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export type MatchingT = {
  (key: MatchingKey, params?: Readonly<Record<string, string | number>>): string;
  /** A channel's name, or the identifier as it came. */
  channel: (id: string) => string;
};

export function useMatchingT(): MatchingT {
  const { locale } = useLocale();
  return useMemo(() => {
    const messages = DICTIONARIES[locale];
    const t = ((key: MatchingKey, params?: Readonly<Record<string, string | number>>) =>
      interpolate(lookup(messages, key) ?? key, params)) as MatchingT;
    t.channel = (id) => lookup(messages, `channels.${id}`) ?? id;
    return t;
  }, [locale]);
}
