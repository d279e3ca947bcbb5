import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate } from '../access/auth.http.js';
import { DURATION_UNITS, type DurationUnit } from '../platform/calendar/deadline.js';
import { AREA_GRADES, LIMIT_STEPS } from './time-limits.js';
import { CALENDAR_DAY_KINDS, TIME_LIMIT_ORIGINS } from './case-rules.js';
import type { CaseRulesSource } from './rules-source.js';
import {
  computeDueInstant,
  declareCalendarYear,
  deleteCalendarDay,
  deleteTimeLimit,
  getCalendarYear,
  listTimeLimits,
  putCalendarDay,
  putTimeLimit,
  withdrawCalendarYear,
} from './case-rules.service.js';

const lang = z.string().max(20).optional();
const grade = z.enum([...AREA_GRADES, '*']);
const step = z.enum(LIMIT_STEPS);
const unit = z.enum(DURATION_UNITS as [DurationUnit, ...DurationUnit[]]);
// The rules check the scope's form (validateTimeLimitTable) and name the field; this only bounds the size.
const scope = z.string().min(1).max(40);

const rule = z.object({ n: z.number(), unit: z.string(), basis: z.string() });
const timeLimitView = z.object({
  scope: z.string(),
  grade: z.string(),
  step: z.string(),
  rule,
  origin: z.enum(TIME_LIMIT_ORIGINS),
  replaces: z.object({ origin: z.enum(TIME_LIMIT_ORIGINS), rule }).nullable(),
  bureau: z
    .object({ id: z.string(), version: z.number(), updatedAt: z.string(), updatedBy: z.string().nullable() })
    .nullable(),
});
const dayView = z.object({
  date: z.string(),
  kind: z.enum(CALENDAR_DAY_KINDS),
  name: z.string().nullable(),
  origin: z.enum(['library', 'bureau']),
});
const yearView = z.object({
  year: z.number(),
  known: z.boolean(),
  declared: z.boolean(),
  note: z.string().nullable(),
  days: z.array(dayView),
});
const deadlineView = z.object({
  due: z.string(),
  from: z.string(),
  rule: z.object({ n: z.number(), unit: z.string() }),
  basis: z.string(),
});

// Dates and years are checked by the service (dateMalformed / calendarYearInvalid name the field).
const dateParam = z.strictObject({ date: z.string().min(1).max(20) });
const yearParam = z.strictObject({ year: z.coerce.number() });

const ctxOf = (actor: Awaited<ReturnType<typeof authenticate>>['actor'], requestId: string) => ({
  actor,
  requestId,
});

/** Time limits and the working-day calendar as data the bureau edits, and deadlines on that calendar. */
export async function caseRulesRoutes(app: HttpServer, deps: Deps, rules: CaseRulesSource): Promise<void> {
  const tags = ['case rules'];

  app.get(
    '/api/time-limits',
    {
      schema: {
        tags,
        summary:
          'The effective time-limit table (category × area grade × step) with where each entry comes from: default, category registry, bureau edit',
        querystring: z.strictObject({ lang }),
        response: { 200: z.object({ items: z.array(timeLimitView) }) },
      },
    },
    async (req) => ({ items: await listTimeLimits(deps, (await authenticate(deps, req)).actor) }),
  );

  app.put(
    '/api/time-limits',
    {
      schema: {
        tags,
        summary:
          'Set the bureau’s time limit of a scope (category key, major class key or *) × grade × step (rules:manage); `version` guards a concurrent edit',
        querystring: z.strictObject({ lang }),
        body: z.strictObject({
          scope,
          grade,
          step,
          n: z.number().int().min(1).max(10_000),
          unit,
          basis: z.string().max(500),
          version: z.number().int().min(1).optional(),
        }),
        response: { 200: timeLimitView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { version, ...entry } = req.body;
      return putTimeLimit(deps, rules, ctxOf(actor, req.id), {
        ...entry,
        ...(version === undefined ? {} : { version }),
      });
    },
  );

  app.delete(
    '/api/time-limits',
    {
      schema: {
        tags,
        summary:
          'Delete the bureau’s entry of a scope × grade × step (rules:manage): the category registry’s or the default limit applies again',
        querystring: z.strictObject({ scope, grade, step, lang }),
        response: { 200: z.object({ inEffect: timeLimitView.nullable() }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { scope: s, grade: g, step: st } = req.query;
      return {
        inEffect: await deleteTimeLimit(deps, rules, ctxOf(actor, req.id), { scope: s, grade: g, step: st }),
      };
    },
  );

  app.get(
    '/api/calendar',
    {
      schema: {
        tags,
        summary:
          'A year of the working-day calendar: holidays and make-up workdays in effect (library or bureau override), whether the year is known and declared',
        querystring: z.strictObject({ year: z.coerce.number(), lang }),
        response: { 200: yearView },
      },
    },
    async (req) => getCalendarYear(deps, rules, (await authenticate(deps, req)).actor, req.query.year),
  );

  app.put(
    '/api/calendar/days/:date',
    {
      schema: {
        tags,
        summary:
          'Set a day of the override table (calendar:manage): holiday (放假) or make-up workday (调休上班)',
        params: dateParam,
        querystring: z.strictObject({ lang }),
        body: z.strictObject({
          kind: z.enum(CALENDAR_DAY_KINDS),
          name: z.string().max(100).nullable().optional(),
        }),
        response: { 200: dayView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return putCalendarDay(deps, rules, ctxOf(actor, req.id), req.params.date, req.body);
    },
  );

  app.delete(
    '/api/calendar/days/:date',
    {
      schema: {
        tags,
        summary: 'Remove a day from the override table (calendar:manage)',
        params: dateParam,
        querystring: z.strictObject({ lang }),
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      await deleteCalendarDay(deps, rules, ctxOf(actor, req.id), req.params.date);
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/calendar/years/:year',
    {
      schema: {
        tags,
        summary:
          'Declare a year fully covered by the override table (calendar:manage); refused (409) unless the table holds a plausible year',
        params: yearParam,
        querystring: z.strictObject({ lang }),
        body: z.strictObject({ note: z.string().max(500).nullable().optional() }).nullish(),
        response: { 200: yearView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return declareCalendarYear(deps, rules, ctxOf(actor, req.id), req.params.year, req.body ?? {});
    },
  );

  app.delete(
    '/api/calendar/years/:year',
    {
      schema: {
        tags,
        summary: 'Withdraw a year’s declaration (calendar:manage)',
        params: yearParam,
        querystring: z.strictObject({ lang }),
        response: { 200: yearView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return withdrawCalendarYear(deps, rules, ctxOf(actor, req.id), req.params.year);
    },
  );

  app.get(
    '/api/calendar/deadline',
    {
      schema: {
        tags,
        summary:
          'The due instant of a period from an instant (ISO 8601 with a zone) on the database’s calendar; 422 DeadlineUnknown for a year the calendar does not know',
        querystring: z.strictObject({
          from: z.string().min(1).max(40),
          add: z.coerce.number().int().min(1).max(100_000),
          unit,
          basis: z.string().max(500).optional(),
          lang,
        }),
        response: { 200: deadlineView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { from, add, unit: u, basis } = req.query;
      return computeDueInstant(rules, actor, {
        from,
        add,
        unit: u,
        ...(basis === undefined ? {} : { basis }),
      });
    },
  );
}
