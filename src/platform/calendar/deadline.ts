/**
 * The deadline engine: adds a legal period to an instant on the Shanghai working-day calendar. Pure: no
 * clock, no I/O; the start instant is passed in and every answer says which rule and which law it used.
 *
 * Counting rules (民法典 第200–204条; 民事诉讼法 期间; 行政处罚法 第85条):
 * - `day` / `workday`: 民法典 第201条第1款 "开始的当日不计入，自下一日开始计算" — the start day is not counted,
 *   day 1 is the next day (for `workday`: the next working day). The period ends at the end of its last day,
 *   which we give as 23:59:59.999+08:00 (民法典 第203条第2款 "期间的最后一日的截止时间为二十四时"; we return
 *   the last millisecond that is still inside the period rather than 24:00 = the next day's 00:00).
 *   We do not apply the "停止业务活动的时间" cut-off of the same article; a caller needing office closing time
 *   uses `workhour`.
 * - `day` only: 民法典 第203条第1款 / 民事诉讼法 "期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满
 *   的日期" — a natural-day period whose last day is not a working day (holiday or ordinary weekend) ends on
 *   the next working day (a make-up working day 调休上班 counts as a working day).
 * - `workday`: 行政处罚法 第85条 "二日/三日/五日/七日 … 是指工作日，不含法定节假日"; likewise 行政强制法 第69条 (十日以内)
 *   and 上海市城市管理行政执法条例 第26条 (五个/三个工作日). Which unit a period uses is the caller's rule.
 * - `hour`: 民法典 第201条第2款 "按照小时计算期间的，自法律规定或者当事人约定的时间开始计算" — natural hours from
 *   the instant itself, no calendar and no rollover (e.g. 上海市住宅物业管理规定 第59条: report within 24 小时).
 * - `workhour`: office time on working days only (the bureau's 工作时, cf. DOMAIN-CN §1.6); the clock starts
 *   at the instant if it is inside office hours, else at the next opening; a deadline that fills a period
 *   exactly ends at that period's closing time.
 *
 * Suspensions (听证、公告、检测、鉴定 … "不计入期限") stop the clock; each is a half-open interval [from, to).
 * - For hours and working hours the suspended time is simply not counted.
 * - For days and working days a day counts only if no suspension touches it: a suspension covers every
 *   Shanghai day it overlaps, counted inclusive of the day it starts and the day it ends, as such periods are
 *   reckoned in practice ("自…之日起至…之日止"). A suspension ending exactly at 00:00 does not touch that day.
 */
import { invalid } from '../errors.js';
import type { WorkCalendar } from './calendar.js';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  formatShanghai,
  shanghaiDayOf,
  startOfShanghaiDay,
} from './shanghai-time.js';

export type DurationUnit = 'day' | 'workday' | 'hour' | 'workhour';
export const DURATION_UNITS: readonly DurationUnit[] = ['day', 'workday', 'hour', 'workhour'];

export const isDurationUnit = (text: string): text is DurationUnit =>
  (DURATION_UNITS as readonly string[]).includes(text);

/** A legal period: n units. */
export type Duration = { n: number; unit: DurationUnit };

/** A time during which the period's clock is stopped, [from, to). */
export type Suspension = { from: Date; to: Date };

/** A computed deadline, with the rule and the law it comes from. */
export type Deadline = {
  /** The last instant inside the period, ISO 8601 with +08:00. */
  due: string;
  /** The instant the period runs from, ISO 8601 with +08:00. */
  from: string;
  rule: Duration;
  /** The legal basis, e.g. '上海市城市管理行政执法条例 第26条: 5 working days to tell the reporter'. */
  basis: string;
  suspensions?: { from: string; to: string }[];
};

type Span = { from: number; to: number };

function validate(from: Date, rule: Duration, suspensions: readonly Suspension[]): Span[] {
  if (!Number.isFinite(from.getTime())) throw invalid('instantInvalid', { field: 'from' });
  if (!isDurationUnit(rule.unit)) {
    throw invalid('unitInvalid', { field: 'unit', value: rule.unit, expected: DURATION_UNITS.join('|') });
  }
  if (!Number.isSafeInteger(rule.n) || rule.n < 1) {
    throw invalid('durationInvalid', { field: 'n', value: rule.n, expected: 'integer ≥ 1' });
  }
  const spans = suspensions.map((s, i) => {
    const span = { from: s.from.getTime(), to: s.to.getTime() };
    if (!Number.isFinite(span.from) || !Number.isFinite(span.to) || span.to <= span.from) {
      throw invalid('suspensionInvalid', { field: `suspensions[${i}]`, expected: 'from before to' });
    }
    return span;
  });
  return mergeSpans(spans);
}

/** Sorted, disjoint spans covering the same time as the input. */
function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
}

const touchesDay = (spans: readonly Span[], dayNumber: number): boolean => {
  const start = startOfShanghaiDay(dayNumber);
  return spans.some((s) => s.from < start + DAY_MS && s.to > start);
};

const endOfShanghaiDay = (dayNumber: number): number => startOfShanghaiDay(dayNumber + 1) - 1;

/** Parts of [from, to) not covered by any span, in order. */
function minusSpans(from: number, to: number, spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  let cursor = from;
  for (const s of spans) {
    if (s.to <= cursor || s.from >= to) continue;
    if (s.from > cursor) out.push({ from: cursor, to: s.from });
    cursor = Math.max(cursor, s.to);
    if (cursor >= to) break;
  }
  if (cursor < to) out.push({ from: cursor, to });
  return out;
}

/** The office-time spans of one Shanghai day, or none on a non-working day. */
function officeSpans(calendar: WorkCalendar, dayNumber: number): Span[] {
  if (!calendar.isWorkdayNumber(dayNumber)) return [];
  const start = startOfShanghaiDay(dayNumber);
  return calendar.officeMinutes.map((p) => ({
    from: start + p.start * MINUTE_MS,
    to: start + p.end * MINUTE_MS,
  }));
}

function addDays(
  calendar: WorkCalendar,
  from: number,
  n: number,
  spans: readonly Span[],
  working: boolean,
): number {
  let day = shanghaiDayOf(from);
  for (let left = n; left > 0;) {
    day += 1;
    if (!touchesDay(spans, day) && (!working || calendar.isWorkdayNumber(day))) left -= 1;
  }
  // 民法典 第203条第1款: a natural-day period ending on a 法定休假日 runs to the next working day.
  while (!calendar.isWorkdayNumber(day) || touchesDay(spans, day)) day += 1;
  return endOfShanghaiDay(day);
}

function addHours(from: number, n: number, spans: readonly Span[]): number {
  let cursor = from;
  let left = n * HOUR_MS;
  for (const s of spans) {
    if (s.to <= cursor) continue;
    if (s.from > cursor) {
      if (s.from - cursor >= left) break;
      left -= s.from - cursor;
    }
    cursor = s.to;
  }
  return cursor + left;
}

function addWorkhours(calendar: WorkCalendar, from: number, n: number, spans: readonly Span[]): number {
  let left = n * HOUR_MS;
  // Terminates: every day is checked against the calendar, which refuses the first unknown year.
  for (let day = shanghaiDayOf(from); ; day += 1) {
    for (const office of officeSpans(calendar, day)) {
      for (const open of minusSpans(Math.max(office.from, from), office.to, spans)) {
        const length = open.to - open.from;
        if (length >= left) return open.from + left;
        left -= length;
      }
    }
  }
}

/** The instant a period of `rule` running from `from` ends, the clock stopped during `suspensions`. */
export function addDuration(
  calendar: WorkCalendar,
  from: Date,
  rule: Duration,
  suspensions: readonly Suspension[] = [],
): Date {
  const spans = validate(from, rule, suspensions);
  const start = from.getTime();
  switch (rule.unit) {
    case 'day':
      return new Date(addDays(calendar, start, rule.n, spans, false));
    case 'workday':
      return new Date(addDays(calendar, start, rule.n, spans, true));
    case 'hour':
      return new Date(addHours(start, rule.n, spans));
    case 'workhour':
      return new Date(addWorkhours(calendar, start, rule.n, spans));
  }
}

/** Office time on working days within [from, to), in hours, suspensions excluded; inverse of `workhour`. */
export function countWorkhours(
  calendar: WorkCalendar,
  from: Date,
  to: Date,
  suspensions: readonly Suspension[] = [],
): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b >= a)) throw invalid('rangeReversed', { field: 'to', expected: 'on or after from' });
  const spans = mergeSpans(suspensions.map((s) => ({ from: s.from.getTime(), to: s.to.getTime() })));
  let total = 0;
  for (let day = shanghaiDayOf(a); startOfShanghaiDay(day) < b; day += 1) {
    for (const office of officeSpans(calendar, day)) {
      for (const open of minusSpans(Math.max(office.from, a), Math.min(office.to, b), spans)) {
        total += open.to - open.from;
      }
    }
  }
  return total / HOUR_MS;
}

export type DeadlineInput = {
  from: Date;
  rule: Duration;
  basis: string;
  suspensions?: readonly Suspension[];
};

/** Computes a deadline and records its rule, legal basis and suspensions alongside the due instant. */
export function computeDeadline(calendar: WorkCalendar, input: DeadlineInput): Deadline {
  if (input.basis.trim() === '') throw invalid('basisRequired', { field: 'basis' });
  const suspensions = input.suspensions ?? [];
  const due = addDuration(calendar, input.from, input.rule, suspensions);
  return {
    due: formatShanghai(due),
    from: formatShanghai(input.from),
    rule: { n: input.rule.n, unit: input.rule.unit },
    basis: input.basis,
    ...(suspensions.length > 0
      ? { suspensions: suspensions.map((s) => ({ from: formatShanghai(s.from), to: formatShanghai(s.to) })) }
      : {}),
  };
}
