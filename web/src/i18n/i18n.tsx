import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import {
  DEFAULT_LOCALE,
  interpolate,
  isLocale,
  lookup,
  type Locale,
  type MessageKey,
  type Messages,
} from './messages';
import { zhCN } from './zh-CN';

const DICTIONARIES: Readonly<Record<Locale, Messages>> = { 'zh-CN': zhCN, en };
/** Where the chosen language is remembered between visits. */
export const LOCALE_STORAGE_KEY = 'onegrid.locale';

export type Translate = {
  (key: MessageKey, params?: Readonly<Record<string, string | number>>): string;
  /** For keys built from server data (a role, a unit kind): the string, or undefined if the dictionary lacks it. */
  optional: (path: string) => string | undefined;
};

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE; // storage can be disabled; the default language still works
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(readStoredLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(LOCALE_STORAGE_KEY, next);
    } catch {
      // not remembered, but switched for this visit
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18nValue>(() => {
    const messages = DICTIONARIES[locale];
    const t = ((key: MessageKey, params?: Readonly<Record<string, string | number>>) =>
      interpolate(lookup(messages, key) ?? key, params)) as Translate;
    t.optional = (path: string) => lookup(messages, path);
    return { locale, setLocale, t };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18nContext(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT/useLocale must be used inside <I18nProvider>');
  return value;
}

/** The translate function for the current language. */
export const useT = (): Translate => useI18nContext().t;

/** The current language and the setter that switches and remembers it. */
export function useLocale(): { locale: Locale; setLocale: (locale: Locale) => void } {
  const { locale, setLocale } = useI18nContext();
  return { locale, setLocale };
}
