/**
 * Instants and civil dates in Asia/Shanghai, computed explicitly: China Standard Time is UTC+8 all year
 * (no daylight saving since 1991), so the offset is a constant and nothing here reads the process TZ.
 *
 * A civil date is a 'YYYY-MM-DD' string naming a day in Shanghai. Internally a day is its day number:
 * whole days since 1970-01-01 (Shanghai), which makes "the next day" plain integer arithmetic.
 */
import { invalid } from '../errors.js';

/** A day in Asia/Shanghai, 'YYYY-MM-DD'. */
export type CivilDate = string;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** UTC+8, constant: China has observed no daylight saving time since 1991. */
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 extended format; the zone designator is captured separately so that a missing one can be
// told apart from a malformed text.
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:\d{2})?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

// Date.UTC maps years 0–99 to 1900–1999; no deadline is ever that old, so refuse rather than remap.
const MIN_YEAR = 1000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The day number (days since 1970-01-01) of a civil date; refuses a malformed or impossible date. */
export function dayNumberOf(date: CivilDate, field = 'date'): number {
  const m = CIVIL_DATE.exec(date);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  if (!m || year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw invalid('dateMalformed', { field, value: date, expected: 'YYYY-MM-DD' });
  }
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** The civil date of a day number. */
export function civilDateOf(dayNumber: number): CivilDate {
  const d = new Date(dayNumber * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The Gregorian year of a day number. */
export const yearOfDay = (dayNumber: number): number => new Date(dayNumber * DAY_MS).getUTCFullYear();

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
export const weekdayOfDay = (dayNumber: number): number => (((dayNumber + 4) % 7) + 7) % 7;

/** The Shanghai day number on which an instant (epoch ms) falls. */
export const shanghaiDayOf = (epochMs: number): number => Math.floor((epochMs + SHANGHAI_OFFSET_MS) / DAY_MS);

/** The instant (epoch ms) at which a Shanghai day begins, 00:00+08:00. */
export const startOfShanghaiDay = (dayNumber: number): number => dayNumber * DAY_MS - SHANGHAI_OFFSET_MS;

/** The civil date in Shanghai on which an instant falls. */
export const shanghaiDateOf = (instant: Date): CivilDate => civilDateOf(shanghaiDayOf(instant.getTime()));

/** An instant as ISO 8601 in Shanghai time with an explicit offset: 2026-03-10T23:59:59.999+08:00. */
export function formatShanghai(instant: Date): string {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw invalid('instantInvalid', { field: 'instant' });
  const local = new Date(ms + SHANGHAI_OFFSET_MS);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}+08:00`
  );
}

/**
 * Parses an ISO 8601 date-time that carries its zone (Z or ±hh:mm). A text without a zone is refused,
 * naming the field: a bare local time is ambiguous, and a deadline must never depend on the server's TZ.
 */
export function parseInstant(text: string, field = 'instant'): Date {
  const value = text.trim();
  const m = INSTANT.exec(value);
  if (!m) {
    if (DATE_ONLY.test(value)) {
      throw invalid('timezoneRequired', { field, value: text, expected: 'date-time with Z or ±hh:mm' });
    }
    throw invalid('instantMalformed', {
      field,
      value: text,
      expected: 'ISO 8601, e.g. 2026-03-02T09:00:00+08:00',
    });
  }
  const zone = m[8];
  if (zone === undefined) {
    throw invalid('timezoneRequired', { field, value: text, expected: 'date-time with Z or ±hh:mm' });
  }
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(m[6] ?? '0');
  // Fractions beyond milliseconds are truncated: Date holds milliseconds.
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) {
      throw invalid('instantMalformed', { field, value: text, expected: 'offset ±hh:mm' });
    }
    offsetMinutes = sign * (oh * 60 + om);
  }
  if (
    year < MIN_YEAR ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw invalid('instantMalformed', { field, value: text, expected: 'a real calendar date and time' });
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * MINUTE_MS);
}
