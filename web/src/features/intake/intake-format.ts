// How intake's records are shown: names in the page's language, times in Shanghai, identifiers in words.
import type { Translate } from '../../i18n/i18n';
import type { Locale } from '../../i18n/messages';
import type { CategoryName, UnitName } from './intake-api';

/** A category or unit name in the page's language (the English name in English when there is one). */
export const nameOf = (n: CategoryName | UnitName | null | undefined, locale: Locale): string | null =>
  n ? (locale === 'en' && n.nameEn ? n.nameEn : n.name) : null;

/** An instant as Shanghai wall-clock time (the district's), e.g. 2026-11-29 17:04. */
export function formatTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** An identifier from the server in words when the dictionary knows it, else as it came. */
export const labelOf = (t: Translate, group: string, id: string | null | undefined): string =>
  id ? (t.optional(`${group}.${id}`) ?? id) : '—';

export const statusLabel = (t: Translate, status: string) => labelOf(t, 'intake.status', status);
export const channelLabel = (t: Translate, channel: string) => labelOf(t, 'intake.channels', channel);
export const reasonLabel = (t: Translate, reason: string) => labelOf(t, 'intake.reasons', reason);

export const STATUS_COLOURS: Record<string, string> = { triage: 'orange', open: 'blue', closed: 'green' };

/** [lng, lat] to six decimals (about 0.1 m). */
export const formatPoint = (p: { lng: number; lat: number } | null | undefined): string =>
  p ? `${p.lng.toFixed(6)}, ${p.lat.toFixed(6)}` : '—';

/** Characters as a person counts them (an emoji or a rare hanzi outside the BMP is one), as the server does. */
export const charCount = (s: string): number => [...s].length;

/** The field a server refusal names (`details.field`), if any. */
export function fieldOfError(details: Readonly<Record<string, unknown>>): string | null {
  return typeof details.field === 'string' ? details.field : null;
}
