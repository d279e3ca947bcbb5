/**
 * The bureau's case rules as use cases: the time-limit table (defaults, category registry, bureau edits)
 * and the working-day calendar's override table, read and edited (audited), and a deadline computed on the
 * database's calendar. Every edit drops the rules source's cache so the next move uses it.
 */
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, systemActor, type Actor } from '../access/roles.js';
import { conflict, forbidden, invalid, isDomainError, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { chineseDaysData, yearsCoveredBy, type CalendarOverrides } from '../platform/calendar/calendar.js';
import { computeDeadline, type Deadline, type DurationUnit } from '../platform/calendar/deadline.js';
import { dayNumberOf, parseInstant } from '../platform/calendar/shanghai-time.js';
import { listCategories } from '../registry/categories.service.js';
import { parseTimeLimit } from '../registry/categories.js';
import {
  calendarOverridesOf,
  implausibleYearReason,
  layerTimeLimits,
  timeLimitKey,
  type CalendarDayKind,
  type SourcedTimeLimit,
  type TimeLimitLayer,
} from './case-rules.js';
import {
  deleteBureauTimeLimit,
  deleteCalendarDay as deleteCalendarDayRow,
  deleteCalendarYear,
  findBureauTimeLimit,
  findCalendarDay,
  insertBureauTimeLimit,
  listBureauTimeLimits,
  listCalendarDays,
  listCalendarYears,
  updateBureauTimeLimit,
  upsertCalendarDay,
  upsertCalendarYear,
  type BureauTimeLimit,
  type Q,
} from './case-rules.store.js';
import type { CaseRulesSource } from './rules-source.js';
import {
  DEFAULT_TIME_LIMITS,
  handleLimitsFromCategories,
  validateTimeLimitTable,
  type AreaGrade,
  type LimitStep,
  type TimeLimitEntry,
} from './time-limits.js';

// ---------------------------------------------------------------------------------------------------------
// Reading the tables (also what the rules source builds its lookup from)
// ---------------------------------------------------------------------------------------------------------

/**
 * The category registry's handling limits as a layer; a category whose key or limit is not usable is left
 * out, and so is one that merely repeats the default's period (the default keeps its cited legal basis).
 */
async function categoryLayer(deps: Pick<Deps, 'database'>): Promise<TimeLimitEntry[]> {
  const defaults = new Map(DEFAULT_TIME_LIMITS.map((e) => [timeLimitKey(e), e.rule]));
  const categories = await listCategories(deps, systemActor('caseRules'), {
    includeInactive: true,
    limit: 5000,
  });
  const entries = handleLimitsFromCategories(
    categories.map((c) => ({
      key: c.key,
      timeLimit: c.defaultTimeLimit === null ? null : parseTimeLimit(c.defaultTimeLimit),
    })),
  );
  // The registry checks its own fields; one odd row must not stop every case's deadline, so it is skipped.
  return entries.filter((e) => {
    const d = defaults.get(timeLimitKey(e));
    if (d !== undefined && d.n === e.rule.n && d.unit === e.rule.unit) return false;
    try {
      validateTimeLimitTable([e]);
      return true;
    } catch {
      return false;
    }
  });
}

export interface CaseRulesData {
  /** Weakest first: defaults, category registry, bureau edits. */
  layers: TimeLimitLayer[];
  bureau: BureauTimeLimit[];
  overrides: CalendarOverrides;
}

/** The bureau's calendar override table as the working-day calendar takes it. */
export async function readCalendarOverrides(deps: Pick<Deps, 'database'>): Promise<CalendarOverrides> {
  const [days, years] = await Promise.all([
    listCalendarDays(deps.database.db),
    listCalendarYears(deps.database.db),
  ]);
  return calendarOverridesOf(
    days,
    years.map((y) => y.year),
  );
}

/** Reads every table the case rules come from. */
export async function readCaseRules(deps: Pick<Deps, 'database'>): Promise<CaseRulesData> {
  const [categories, bureau, overrides] = await Promise.all([
    categoryLayer(deps),
    listBureauTimeLimits(deps.database.db),
    readCalendarOverrides(deps),
  ]);
  return {
    layers: [
      { origin: 'default', entries: DEFAULT_TIME_LIMITS },
      { origin: 'category', entries: categories },
      { origin: 'bureau', entries: bureau },
    ],
    bureau,
    overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Time limits
// ---------------------------------------------------------------------------------------------------------

export interface TimeLimitView extends SourcedTimeLimit {
  /** The bureau's row behind a 'bureau' entry (for optimistic edits), else null. */
  bureau: { id: string; version: number; updatedAt: string; updatedBy: string | null } | null;
}

const mayReadRules = (actor: Actor) => can(actor, 'cases:read') || can(actor, 'rules:manage');

function viewsOf(data: CaseRulesData): TimeLimitView[] {
  const rows = new Map(data.bureau.map((b) => [timeLimitKey(b), b]));
  return layerTimeLimits(data.layers).map((e) => {
    const b = e.origin === 'bureau' ? rows.get(timeLimitKey(e)) : undefined;
    return {
      ...e,
      bureau: b ? { id: b.id, version: b.version, updatedAt: b.updatedAt, updatedBy: b.updatedBy } : null,
    };
  });
}

/** The effective time-limit table with where each entry comes from (cases:read or rules:manage). */
export async function listTimeLimits(deps: Pick<Deps, 'database'>, actor: Actor): Promise<TimeLimitView[]> {
  if (!mayReadRules(actor)) throw forbidden();
  return viewsOf(await readCaseRules(deps));
}

export interface TimeLimitInput {
  scope: string;
  grade: AreaGrade | '*';
  step: LimitStep;
  n: number;
  unit: DurationUnit;
  basis: string;
  /** The version of the bureau entry being changed; omitted = no optimistic check. */
  version?: number;
}

/** validateTimeLimitTable on one entry, with the field named as the request names it ('n', not 'timeLimits[0].rule.n'). */
function validateEntry(entry: TimeLimitEntry): void {
  try {
    validateTimeLimitTable([entry]);
  } catch (e) {
    if (!isDomainError(e) || typeof e.details.field !== 'string') throw e;
    throw invalid(e.messageKey, {
      ...e.details,
      field: e.details.field.replace(/^timeLimits\[0\]\.(rule\.)?/, ''),
    });
  }
}

async function effectiveEntry(
  deps: Pick<Deps, 'database'>,
  key: Pick<TimeLimitEntry, 'scope' | 'grade' | 'step'>,
) {
  return viewsOf(await readCaseRules(deps)).find((v) => timeLimitKey(v) === timeLimitKey(key)) ?? null;
}

/** Sets the bureau's time limit of a scope × grade × step (rules:manage); audited; the next move uses it. */
export async function putTimeLimit(
  deps: Deps,
  rules: CaseRulesSource,
  ctx: ActionContext,
  input: TimeLimitInput,
): Promise<TimeLimitView> {
  if (!can(ctx.actor, 'rules:manage')) throw forbidden();
  const entry: TimeLimitEntry = {
    scope: input.scope.trim(),
    grade: input.grade,
    step: input.step,
    rule: { n: input.n, unit: input.unit, basis: input.basis.trim() },
  };
  validateEntry(entry);
  const data = await readCaseRules(deps);
  // The table the lookup will be built from must stay valid as a whole.
  validateTimeLimitTable(layerTimeLimits([...data.layers, { origin: 'bureau', entries: [entry] }]));
  await audited(deps, ctx, async (tx, audit) => {
    const at = deps.clock().toISOString();
    const by = ctx.actor.id;
    const before = await findBureauTimeLimit(tx, entry);
    if (input.version !== undefined && before?.version !== input.version)
      throw conflict('versionConflict', { entity: 'timeLimit', current: before ?? null });
    const id = before?.id ?? newId();
    if (before === undefined) await insertBureauTimeLimit(tx, { id, entry, at, by });
    else if (!(await updateBureauTimeLimit(tx, before.id, before.version, { entry, at, by })))
      throw conflict('versionConflict', { entity: 'timeLimit' });
    await audit({
      action: 'timeLimit.put',
      entity: 'timeLimit',
      entityId: id,
      before: before ?? null,
      after: entry,
    });
  });
  rules.invalidate();
  const now = await effectiveEntry(deps, entry);
  if (now === null) throw new Error('putTimeLimit: the entry just written is not in the table');
  return now;
}

/**
 * Deletes the bureau's entry of a scope × grade × step (rules:manage), so the category registry's or the
 * default limit applies again; audited. Returns the entry now in effect, or null when the step has none.
 */
export async function deleteTimeLimit(
  deps: Deps,
  rules: CaseRulesSource,
  ctx: ActionContext,
  key: { scope: string; grade: AreaGrade | '*'; step: LimitStep },
): Promise<TimeLimitView | null> {
  if (!can(ctx.actor, 'rules:manage')) throw forbidden();
  await audited(deps, ctx, async (tx, audit) => {
    const before = await findBureauTimeLimit(tx, key);
    if (!before) throw notFound('timeLimit', timeLimitKey(key));
    await deleteBureauTimeLimit(tx, before.id);
    await audit({ action: 'timeLimit.delete', entity: 'timeLimit', entityId: before.id, before });
  });
  rules.invalidate();
  return effectiveEntry(deps, key);
}

// ---------------------------------------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------------------------------------

export interface CalendarDayView {
  date: string;
  kind: CalendarDayKind;
  name: string | null;
  /** 'library': chinese-days (the State Council's arrangement as packaged); 'bureau': the override table. */
  origin: 'library' | 'bureau';
}

export interface CalendarYearView {
  year: number;
  /** Whether deadlines running into this year can be computed. */
  known: boolean;
  /** Declared fully covered by the override table: the library's days are ignored for it. */
  declared: boolean;
  note: string | null;
  /** The year's holidays and make-up workdays in effect, by date. */
  days: CalendarDayView[];
}

const mayReadCalendar = (actor: Actor) => can(actor, 'cases:read') || can(actor, 'calendar:manage');

function checkYear(year: number, field = 'year'): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    throw invalid('calendarYearInvalid', { field, value: year, expected: 'a four-digit year' });
}

/** The library's name of a day: its label is "English,中文,n". */
const libraryName = (label: string): string | null => label.split(',')[1] ?? null;

/** A year of the working-day calendar as it is in effect: library days, bureau overrides, known or not. */
export async function getCalendarYear(
  deps: Pick<Deps, 'database'>,
  rules: CaseRulesSource,
  actor: Actor,
  year: number,
): Promise<CalendarYearView> {
  if (!mayReadCalendar(actor)) throw forbidden();
  checkYear(year);
  const db = deps.database.db;
  const [days, years, lookup] = await Promise.all([
    listCalendarDays(db, year),
    listCalendarYears(db),
    rules.limits(),
  ]);
  const declared = years.find((y) => y.year === year);
  const byDate = new Map<string, CalendarDayView>();
  if (declared === undefined) {
    const library = chineseDaysData();
    for (const [kind, table] of [
      ['holiday', library.holidays],
      ['workday', library.workdays],
    ] as const) {
      for (const [date, label] of Object.entries(table))
        if (date.startsWith(`${year}-`))
          byDate.set(date, { date, kind, name: libraryName(label), origin: 'library' });
    }
  }
  for (const d of days) byDate.set(d.date, { date: d.date, kind: d.kind, name: d.name, origin: 'bureau' });
  return {
    year,
    known: lookup.calendar.knowsYear(year),
    declared: declared !== undefined,
    note: declared?.note ?? null,
    days: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/** Refuses a change that leaves a declared year without a plausible table (see implausibleYearReason). */
async function requirePlausibleIfDeclared(tx: Q, year: number): Promise<void> {
  if (!(await listCalendarYears(tx)).some((y) => y.year === year)) return;
  const reason = implausibleYearReason(year, await listCalendarDays(tx, year));
  if (reason !== null) throw conflict('calendarYearImplausible', { year, reason });
}

/** Sets a day of the override table (calendar:manage): a holiday (放假) or a make-up workday (调休上班); audited. */
export async function putCalendarDay(
  deps: Deps,
  rules: CaseRulesSource,
  ctx: ActionContext,
  date: string,
  input: { kind: CalendarDayKind; name?: string | null },
): Promise<CalendarDayView> {
  if (!can(ctx.actor, 'calendar:manage')) throw forbidden();
  dayNumberOf(date, 'date');
  const name = input.name?.trim() || null;
  const day = {
    date,
    kind: input.kind,
    name,
    updatedAt: deps.clock().toISOString(),
    updatedBy: ctx.actor.id,
  };
  await audited(deps, ctx, async (tx, audit) => {
    const before = await findCalendarDay(tx, date);
    await upsertCalendarDay(tx, day);
    await requirePlausibleIfDeclared(tx, Number(date.slice(0, 4)));
    await audit({
      action: 'calendar.putDay',
      entity: 'calendarDay',
      entityId: date,
      before: before ?? null,
      after: day,
    });
  });
  rules.invalidate();
  return { date, kind: day.kind, name, origin: 'bureau' };
}

/** Removes a day from the override table (calendar:manage); the library's answer applies again; audited. */
export async function deleteCalendarDay(
  deps: Deps,
  rules: CaseRulesSource,
  ctx: ActionContext,
  date: string,
): Promise<void> {
  if (!can(ctx.actor, 'calendar:manage')) throw forbidden();
  dayNumberOf(date, 'date');
  await audited(deps, ctx, async (tx, audit) => {
    const before = await findCalendarDay(tx, date);
    if (!before) throw notFound('calendarDay', date);
    await deleteCalendarDayRow(tx, date);
    await requirePlausibleIfDeclared(tx, Number(date.slice(0, 4)));
    await audit({ action: 'calendar.deleteDay', entity: 'calendarDay', entityId: date, before });
  });
  rules.invalidate();
}

/**
 * Declares a year fully covered by the override table (calendar:manage), e.g. one the State Council has
 * announced but `chinese-days` does not know yet; refused (Conflict) unless the table makes a plausible year.
 */
export async function declareCalendarYear(
  deps: Deps,
  rules: CaseRulesSource,
  ctx: ActionContext,
  year: number,
  input: { note?: string | null } = {},
): Promise<CalendarYearView> {
  if (!can(ctx.actor, 'calendar:manage')) throw forbidden();
  checkYear(year);
  // A declared year takes its days from the override table alone. For a year chinese-days already knows,
  // that would silently drop the State Council's arrangement the library carries: such a year is patched
  // day by day (PUT /api/calendar/days/:date), never declared.
  if (yearsCoveredBy(chineseDaysData()).includes(year)) throw conflict('calendarYearKnown', { year });
  await audited(deps, ctx, async (tx, audit) => {
    const reason = implausibleYearReason(year, await listCalendarDays(tx, year));
    if (reason !== null) throw conflict('calendarYearImplausible', { year, reason });
    const row = { year, note: input.note?.trim() || null, updatedAt: deps.clock().toISOString() };
    await upsertCalendarYear(tx, row);
    await audit({
      action: 'calendar.declareYear',
      entity: 'calendarYear',
      entityId: String(year),
      after: row,
    });
  });
  rules.invalidate();
  return getCalendarYear(deps, rules, ctx.actor, year);
}

/** Withdraws a year's declaration (calendar:manage): the library (if it knows the year) applies again; audited. */
export async function withdrawCalendarYear(
  deps: Deps,
  rules: CaseRulesSource,
  ctx: ActionContext,
  year: number,
): Promise<CalendarYearView> {
  if (!can(ctx.actor, 'calendar:manage')) throw forbidden();
  checkYear(year);
  await audited(deps, ctx, async (tx, audit) => {
    const before = (await listCalendarYears(tx)).find((y) => y.year === year);
    if (!before) throw notFound('calendarYear', String(year));
    await deleteCalendarYear(tx, year);
    await audit({ action: 'calendar.withdrawYear', entity: 'calendarYear', entityId: String(year), before });
  });
  rules.invalidate();
  return getCalendarYear(deps, rules, ctx.actor, year);
}

/**
 * A due instant on the database's calendar (cases:read or calendar:manage). DeadlineUnknown when the
 * calendar does not know a year the period runs into: refused, never guessed.
 */
export async function computeDueInstant(
  rules: CaseRulesSource,
  actor: Actor,
  input: { from: string; add: number; unit: DurationUnit; basis?: string },
): Promise<Deadline> {
  if (!mayReadCalendar(actor)) throw forbidden();
  const from = parseInstant(input.from, 'from');
  const { calendar } = await rules.limits();
  return computeDeadline(calendar, {
    from,
    rule: { n: input.add, unit: input.unit },
    basis: input.basis?.trim() || '按需试算，未注明依据 (computed on request; no legal basis given)',
  });
}
