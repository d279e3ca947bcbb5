/**
 * The Chinese working-day calendar: which Shanghai days are working days (工作日), from the State Council's
 * yearly holiday arrangement (国务院办公厅关于部分节假日安排的通知) as packaged by `chinese-days`, patched by an
 * override table the bureau maintains.
 *
 * The calendar refuses (DeadlineUnknown) any day of a year it does not really know. `chinese-days` itself
 * answers for every date, treating weekdays of years it has no data for as working days (2027-01-01 comes
 * back "workday"), so its coverage is read from its data, never from its answers.
 */
import { createRequire } from 'node:module';
import { deadlineUnknown, invalid } from '../errors.js';
import { type CivilDate, civilDateOf, dayNumberOf, weekdayOfDay, yearOfDay } from './shanghai-time.js';

/**
 * The bureau's override table. Overrides win over the library, date by date. `years` lists the years the
 * table fully covers: for those years the table is the only source (the library's entries are ignored),
 * so a year the State Council has announced but the library has not yet caught up with can be entered.
 */
export type CalendarOverrides = {
  years: number[];
  /** Non-working days, YYYY-MM-DD (放假). */
  holidays: string[];
  /** Make-up working days on a weekend, YYYY-MM-DD (调休上班). */
  workdays: string[];
};

export const NO_OVERRIDES: CalendarOverrides = { years: [], holidays: [], workdays: [] };

/** One office period of a working day, local Shanghai wall-clock time, HH:MM, end exclusive. */
export type OfficePeriod = { start: string; end: string };
export type OfficeHours = readonly OfficePeriod[];

/**
 * No statute fixes a bureau's office hours; these are the common Shanghai 办公时间 (上午 9:00–12:00,
 * 下午 13:30–17:30), 7 working hours a day. A deployment configures its own.
 */
export const DEFAULT_OFFICE_HOURS: OfficeHours = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

/** A day's holiday data as the library packages it: date → "English,中文,n". */
export type HolidayData = {
  holidays: Readonly<Record<string, string>>;
  workdays: Readonly<Record<string, string>>;
};

/** Office periods as minutes after local midnight, sorted and disjoint. */
export type OfficeMinutes = readonly { readonly start: number; readonly end: number }[];

export interface WorkCalendar {
  /** Every year the calendar can answer for, ascending. */
  readonly knownYears: readonly number[];
  /** Office periods in minutes after midnight, for working-hour periods. */
  readonly officeMinutes: OfficeMinutes;
  /** Whether the calendar really knows the year's holidays and make-up workdays. */
  knowsYear(year: number): boolean;
  /** Whether a Shanghai day is a working day; DeadlineUnknown when its year is not known. */
  isWorkday(date: CivilDate): boolean;
  /** As isWorkday, for a day number (days since 1970-01-01); for loops in the deadline engine. */
  isWorkdayNumber(dayNumber: number): boolean;
  /** The n-th working day after `date` (the start day itself is not counted); n ≥ 0. */
  addWorkdays(date: CivilDate, n: number): CivilDate;
  /** The number of working days d with from < d ≤ to; the inverse of addWorkdays. Requires from ≤ to. */
  countWorkdays(from: CivilDate, to: CivilDate): number;
}

// The two holidays every yearly arrangement contains; used to tell a year the library fully covers from
// a year in which it merely has a spill-over day (2022-12-31 belongs to the 2023 元旦 arrangement).
const YEAR_MARKERS = ['春节', '国庆'] as const;

/** The years whose arrangement is in the data: those with both a 春节 and a 国庆 holiday entry. */
export function yearsCoveredBy(data: HolidayData): number[] {
  const seen = new Map<number, Set<string>>();
  for (const [date, label] of Object.entries(data.holidays)) {
    const year = Number(date.slice(0, 4));
    const name = label.split(',')[1] ?? '';
    for (const marker of YEAR_MARKERS) {
      if (name.includes(marker)) {
        const markers = seen.get(year) ?? new Set<string>();
        markers.add(marker);
        seen.set(year, markers);
      }
    }
  }
  return [...seen]
    .filter(([, markers]) => markers.size === YEAR_MARKERS.length)
    .map(([year]) => year)
    .sort((a, b) => a - b);
}

const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');

/** The holiday data shipped in the `chinese-days` package (its dist/chinese-days.json). */
export function chineseDaysData(): HolidayData {
  // The JSON is read with require: a JSON import would print an ExperimentalWarning on Node 20.
  const require = createRequire(import.meta.url);
  const raw: unknown = require('chinese-days/dist/chinese-days.json');
  const data = raw as Partial<Record<'holidays' | 'workdays', unknown>>;
  if (!isStringRecord(data.holidays) || !isStringRecord(data.workdays)) {
    throw new Error('chinese-days: dist/chinese-days.json does not have the expected holidays/workdays maps');
  }
  return { holidays: data.holidays, workdays: data.workdays };
}

const HHMM = /^(\d{2}):(\d{2})$/;

function minutesOf(text: string, field: string): number {
  const m = HHMM.exec(text);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || min > 59 || h > 24 || (h === 24 && min !== 0)) {
    throw invalid('officeHoursMalformed', { field, value: text, expected: 'HH:MM' });
  }
  return h * 60 + min;
}

/** Office hours as minutes; refuses empty, reversed, unsorted or overlapping periods. */
export function officeMinutesOf(hours: OfficeHours): OfficeMinutes {
  if (hours.length === 0) throw invalid('officeHoursEmpty', { field: 'officeHours' });
  const periods = hours.map((p, i) => ({
    start: minutesOf(p.start, `officeHours[${i}].start`),
    end: minutesOf(p.end, `officeHours[${i}].end`),
  }));
  periods.forEach((p, i) => {
    const previous = periods[i - 1];
    if (p.end <= p.start || (previous !== undefined && p.start < previous.end)) {
      throw invalid('officeHoursOverlap', { field: `officeHours[${i}]`, value: hours[i] });
    }
  });
  return periods;
}

function validateOverrides(overrides: CalendarOverrides): void {
  overrides.years.forEach((year, i) => {
    if (!Number.isInteger(year) || year < 1000 || year > 9999) {
      throw invalid('overrideYearInvalid', { field: `overrides.years[${i}]`, value: year });
    }
  });
  overrides.holidays.forEach((d, i) => dayNumberOf(d, `overrides.holidays[${i}]`));
  overrides.workdays.forEach((d, i) => dayNumberOf(d, `overrides.workdays[${i}]`));
  const holidays = new Set(overrides.holidays);
  const both = overrides.workdays.find((d) => holidays.has(d));
  if (both !== undefined) {
    throw invalid('overrideDateConflict', {
      field: 'overrides',
      value: both,
      problem: 'both holiday and workday',
    });
  }
}

export type WorkCalendarOptions = {
  overrides?: CalendarOverrides;
  officeHours?: OfficeHours;
  /** The library's data; defaults to what `chinese-days` ships. */
  library?: HolidayData;
};

/** Builds the working-day calendar from `chinese-days` and the bureau's override table. */
export function createWorkCalendar(options: WorkCalendarOptions = {}): WorkCalendar {
  const overrides = options.overrides ?? NO_OVERRIDES;
  validateOverrides(overrides);
  const officeMinutes = officeMinutesOf(options.officeHours ?? DEFAULT_OFFICE_HOURS);
  const library = options.library ?? chineseDaysData();

  const overrideYears = new Set(overrides.years);
  const known = new Set([...yearsCoveredBy(library), ...overrideYears]);
  const fromLibrary = (date: string): boolean => !overrideYears.has(Number(date.slice(0, 4)));

  const holidays = new Set(Object.keys(library.holidays).filter(fromLibrary));
  const workdays = new Set(Object.keys(library.workdays).filter(fromLibrary));
  for (const d of overrides.holidays) {
    holidays.add(d);
    workdays.delete(d);
  }
  for (const d of overrides.workdays) {
    workdays.add(d);
    holidays.delete(d);
  }

  const isWorkdayNumber = (dayNumber: number): boolean => {
    const year = yearOfDay(dayNumber);
    if (!known.has(year)) throw deadlineUnknown(year);
    const date = civilDateOf(dayNumber);
    if (workdays.has(date)) return true;
    if (holidays.has(date)) return false;
    const weekday = weekdayOfDay(dayNumber);
    return weekday !== 0 && weekday !== 6;
  };

  const requireCount = (n: number, field: string): void => {
    if (!Number.isSafeInteger(n) || n < 0)
      throw invalid('countInvalid', { field, value: n, expected: 'integer ≥ 0' });
  };

  return {
    knownYears: [...known].sort((a, b) => a - b),
    officeMinutes,
    knowsYear: (year) => known.has(year),
    isWorkday: (date) => isWorkdayNumber(dayNumberOf(date)),
    isWorkdayNumber,
    addWorkdays(date, n) {
      requireCount(n, 'n');
      let day = dayNumberOf(date);
      for (let left = n; left > 0;) {
        day += 1;
        if (isWorkdayNumber(day)) left -= 1;
      }
      return civilDateOf(day);
    },
    countWorkdays(from, to) {
      const first = dayNumberOf(from, 'from');
      const last = dayNumberOf(to, 'to');
      if (last < first)
        throw invalid('rangeReversed', { field: 'to', value: to, expected: `on or after ${from}` });
      let count = 0;
      for (let day = first + 1; day <= last; day += 1) if (isWorkdayNumber(day)) count += 1;
      return count;
    },
  };
}
