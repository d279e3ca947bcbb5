/**
 * The bureau's case rules as data, pure: the effective time-limit table built from its layers (the demo
 * defaults, the category registry's handling limits, the bureau's own edits) with where each entry comes
 * from, and the calendar override table (holidays, make-up workdays, fully covered years). No I/O.
 */
import type { CalendarOverrides } from '../platform/calendar/calendar.js';
import { LIMIT_STEPS, type TimeLimitEntry, type TimeLimitRule, type TimeLimitTable } from './time-limits.js';

/** Where a time limit comes from, weakest first: a later layer wins for the same scope × grade × step. */
export const TIME_LIMIT_ORIGINS = ['default', 'category', 'bureau'] as const;
export type TimeLimitOrigin = (typeof TIME_LIMIT_ORIGINS)[number];

export interface TimeLimitLayer {
  origin: TimeLimitOrigin;
  entries: TimeLimitTable;
}

/** An entry of the effective table, with its origin and what it shadows (what a revert falls back to). */
export interface SourcedTimeLimit extends TimeLimitEntry {
  origin: TimeLimitOrigin;
  replaces: { origin: TimeLimitOrigin; rule: TimeLimitRule } | null;
}

/** The identity of a time-limit entry: one per scope × grade × step. */
export const timeLimitKey = (e: Pick<TimeLimitEntry, 'scope' | 'grade' | 'step'>): string =>
  `${e.scope}|${e.grade}|${e.step}`;

const stepOrder = (step: string): number => (LIMIT_STEPS as readonly string[]).indexOf(step);

/**
 * Merges the layers (later wins) and says for each entry where it came from and which weaker entry it
 * replaces. Ordered for reading: the general '*' scope first, then by scope, step (loop order) and grade.
 */
export function layerTimeLimits(layers: readonly TimeLimitLayer[]): SourcedTimeLimit[] {
  const merged = new Map<string, SourcedTimeLimit>();
  for (const layer of layers) {
    for (const e of layer.entries) {
      const key = timeLimitKey(e);
      const before = merged.get(key);
      merged.set(key, {
        ...e,
        origin: layer.origin,
        replaces: before === undefined ? null : { origin: before.origin, rule: before.rule },
      });
    }
  }
  return [...merged.values()].sort(
    (a, b) =>
      Number(b.scope === '*') - Number(a.scope === '*') ||
      a.scope.localeCompare(b.scope) ||
      stepOrder(a.step) - stepOrder(b.step) ||
      a.grade.localeCompare(b.grade),
  );
}

export const CALENDAR_DAY_KINDS = ['holiday', 'workday'] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

/** The override table as the calendar takes it, from the stored days and the declared years. */
export function calendarOverridesOf(
  days: readonly { date: string; kind: CalendarDayKind }[],
  years: readonly number[],
): CalendarOverrides {
  return {
    years: [...years],
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.date),
    workdays: days.filter((d) => d.kind === 'workday').map((d) => d.date),
  };
}

/** 0 Sunday … 6 Saturday, of a YYYY-MM-DD date (the date's own calendar day, no time zone involved). */
const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * Why the override table cannot stand in for the library for `year`, or null when it can. Every yearly
 * arrangement of the State Council (国务院办公厅关于部分节假日安排的通知) gives days off on weekdays (元旦, 春节,
 * 国庆 …), so a "fully covered" year without a single weekday holiday is an unfinished table: declaring it
 * would make every weekday of the year a working day, the very guess the calendar must refuse.
 */
export function implausibleYearReason(
  year: number,
  days: readonly { date: string; kind: CalendarDayKind }[],
): 'noWeekdayHoliday' | null {
  const prefix = `${String(year).padStart(4, '0')}-`;
  const ok = days.some(
    (d) => d.kind === 'holiday' && d.date.startsWith(prefix) && ![0, 6].includes(weekdayOf(d.date)),
  );
  return ok ? null : 'noWeekdayHoliday';
}
