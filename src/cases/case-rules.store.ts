/** Every query of the bureau's case rules: time_limit, calendar_override, calendar_year. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { DurationUnit } from '../platform/calendar/deadline.js';
import type { AreaGrade, LimitStep, TimeLimitEntry } from './time-limits.js';
import type { CalendarDayKind } from './case-rules.js';
import type { TimeLimitTableRow } from './cases.tables.js';

export type Q = Kysely<DB> | Transaction<DB>;

/** A time limit the bureau entered, with its row's bookkeeping. */
export interface BureauTimeLimit extends TimeLimitEntry {
  id: string;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}

const toBureauTimeLimit = (r: Selectable<TimeLimitTableRow>): BureauTimeLimit => ({
  id: r.id,
  scope: r.scope,
  grade: r.grade as AreaGrade | '*',
  step: r.step as LimitStep,
  // Rows are written only through putTimeLimit, which validates them.
  rule: { n: Number(r.n), unit: r.unit as DurationUnit, basis: r.basis },
  version: Number(r.version),
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export async function listBureauTimeLimits(db: Q): Promise<BureauTimeLimit[]> {
  const rows = await db
    .selectFrom('time_limit')
    .selectAll()
    .orderBy('scope')
    .orderBy('step')
    .orderBy('grade')
    .execute();
  return rows.map(toBureauTimeLimit);
}

export async function findBureauTimeLimit(
  db: Q,
  key: Pick<TimeLimitEntry, 'scope' | 'grade' | 'step'>,
): Promise<BureauTimeLimit | undefined> {
  const r = await db
    .selectFrom('time_limit')
    .selectAll()
    .where('scope', '=', key.scope)
    .where('grade', '=', key.grade)
    .where('step', '=', key.step)
    .executeTakeFirst();
  return r && toBureauTimeLimit(r);
}

const ruleColumns = (e: TimeLimitEntry) => ({ n: e.rule.n, unit: e.rule.unit, basis: e.rule.basis });

export async function insertBureauTimeLimit(
  db: Q,
  row: { id: string; entry: TimeLimitEntry; at: string; by: string | null },
): Promise<void> {
  await db
    .insertInto('time_limit')
    .values({
      id: row.id,
      scope: row.entry.scope,
      grade: row.entry.grade,
      step: row.entry.step,
      ...ruleColumns(row.entry),
      updated_at: row.at,
      updated_by: row.by,
      version: 1,
    })
    .execute();
}

/** Changes the rule of an entry at the expected version; false when someone else changed it first. */
export async function updateBureauTimeLimit(
  db: Q,
  id: string,
  version: number,
  change: { entry: TimeLimitEntry; at: string; by: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('time_limit')
    .set({ ...ruleColumns(change.entry), updated_at: change.at, updated_by: change.by, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteBureauTimeLimit(db: Q, id: string): Promise<void> {
  await db.deleteFrom('time_limit').where('id', '=', id).execute();
}

/** A day of the bureau's calendar override table. */
export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  name: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

const toDay = (r: {
  date: string;
  kind: string;
  name: string | null;
  updated_at: string;
  updated_by: string | null;
}): CalendarDay => ({
  date: r.date,
  kind: r.kind as CalendarDayKind,
  name: r.name,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** The override days, of one year or all, by date. */
export async function listCalendarDays(db: Q, year?: number): Promise<CalendarDay[]> {
  let q = db.selectFrom('calendar_override').selectAll().orderBy('date');
  // Dates are YYYY-MM-DD text, so a year is a range of strings (and the primary key's index serves it).
  if (year !== undefined) q = q.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
  return (await q.execute()).map(toDay);
}

export async function findCalendarDay(db: Q, date: string): Promise<CalendarDay | undefined> {
  const r = await db.selectFrom('calendar_override').selectAll().where('date', '=', date).executeTakeFirst();
  return r && toDay(r);
}

export async function upsertCalendarDay(db: Q, day: CalendarDay): Promise<void> {
  const values = {
    kind: day.kind,
    name: day.name,
    updated_at: day.updatedAt,
    updated_by: day.updatedBy,
  };
  await db
    .insertInto('calendar_override')
    .values({ date: day.date, ...values })
    .onConflict((oc) => oc.column('date').doUpdateSet(values))
    .execute();
}

export async function deleteCalendarDay(db: Q, date: string): Promise<void> {
  await db.deleteFrom('calendar_override').where('date', '=', date).execute();
}

export interface CalendarYear {
  year: number;
  note: string | null;
  updatedAt: string;
}

export async function listCalendarYears(db: Q): Promise<CalendarYear[]> {
  const rows = await db.selectFrom('calendar_year').selectAll().orderBy('year').execute();
  return rows.map((r) => ({ year: Number(r.year), note: r.note, updatedAt: r.updated_at }));
}

export async function upsertCalendarYear(db: Q, y: CalendarYear): Promise<void> {
  await db
    .insertInto('calendar_year')
    .values({ year: y.year, note: y.note, updated_at: y.updatedAt })
    .onConflict((oc) => oc.column('year').doUpdateSet({ note: y.note, updated_at: y.updatedAt }))
    .execute();
}

export async function deleteCalendarYear(db: Q, year: number): Promise<void> {
  await db.deleteFrom('calendar_year').where('year', '=', year).execute();
}
