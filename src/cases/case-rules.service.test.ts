import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import type { Actor } from '../access/roles.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { createCaseRulesSource, type CaseRulesSource } from './rules-source.js';
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
import { UNIT, actorOf, countRows, loadCategories } from './case-rules.test-support.js';
import { refusalOf } from '../testing/refusal.js';

/** The domain error a promise rejects with, as { code, key, field }. */
const errorOf = (p: Promise<unknown>) => refusalOf(p, 'field');

const GARBAGE = { step: 'handle' as const, categoryKey: 'event:06010', areaGrade: null };

for (const dialect of DIALECTS) {
  describe(`case rules: time limits and calendar as data [${dialect}]`, () => {
    let deps: TestDeps;
    let rules: CaseRulesSource;
    let staff: Actor;
    let officer: Actor;
    let dispatcher: Actor;
    const ctx = (actor: Actor) => ({ actor, requestId: 'req-test' });

    beforeAll(async () => {
      deps = await buildTestDeps(dialect);
      await loadCategories(deps);
      rules = createCaseRulesSource(deps);
      staff = await actorOf(deps, 'bureauStaff', UNIT.bureau);
      officer = await actorOf(deps, 'officer', UNIT.squad);
      dispatcher = await actorOf(deps, 'dispatcher', UNIT.squad);
    }, 120_000);
    afterAll(async () => deps?.cleanup());

    it('lists the defaults and the category registry’s handling limits, saying where each comes from', async () => {
      const items = await listTimeLimits(deps, officer);
      const garbage = items.find((e) => e.scope === 'event:06010' && e.step === 'handle');
      expect(garbage).toMatchObject({
        origin: 'default',
        rule: { n: 1, unit: 'workday' },
        replaces: null,
        bureau: null,
      });
      // A default local category (新增违建) carries '2 hour' in the registry.
      const local = items.find((e) => e.scope === 'event:06901' && e.step === 'handle');
      expect(local).toMatchObject({ origin: 'category', rule: { n: 2, unit: 'hour' } });
      expect(items.find((e) => e.scope === '*' && e.step === 'reporterFeedback')?.rule.basis).toContain(
        '第26条',
      );
      // The lookup the case services use answers from the same table.
      expect((await rules.limits()).find({ ...GARBAGE, categoryKey: 'event:06901' })).toMatchObject({
        n: 2,
        unit: 'hour',
      });
    });

    it('an edited time limit changes the next computed deadline, audited; deleting it reverts to the default', async () => {
      const from = new Date('2026-11-30T02:00:00Z'); // Monday 10:00 in Shanghai
      expect((await rules.limits()).deadline(GARBAGE, from)?.due).toBe('2026-12-01T23:59:59.999+08:00');
      const audits = await countRows(deps, 'audit_entry');

      const put = await putTimeLimit(deps, rules, ctx(staff), {
        scope: 'event:06010',
        grade: '*',
        step: 'handle',
        n: 3,
        unit: 'workday',
        basis: '区局 2026 年第 5 号通知: 暴露垃圾 3 个工作日',
      });
      expect(put).toMatchObject({
        origin: 'bureau',
        rule: { n: 3, unit: 'workday' },
        replaces: { origin: 'default', rule: { n: 1, unit: 'workday' } },
        bureau: { version: 1, updatedBy: staff.id },
      });
      const next = (await rules.limits()).deadline(GARBAGE, from);
      expect(next).toMatchObject({
        due: '2026-12-03T23:59:59.999+08:00',
        basis: '区局 2026 年第 5 号通知: 暴露垃圾 3 个工作日',
      });
      expect(await countRows(deps, 'audit_entry')).toBe(audits + 1);
      // Another process's source (a fresh cache) reads the same table.
      expect((await createCaseRulesSource(deps).limits()).deadline(GARBAGE, from)?.due).toBe(
        '2026-12-03T23:59:59.999+08:00',
      );

      // A second edit bumps the version; a stale version is a conflict and changes nothing.
      const again = await putTimeLimit(deps, rules, ctx(staff), { ...input(4), version: 1 });
      expect(again.bureau?.version).toBe(2);
      expect(await errorOf(putTimeLimit(deps, rules, ctx(staff), { ...input(9), version: 1 }))).toMatchObject(
        {
          code: 'Conflict',
        },
      );
      expect((await rules.limits()).find(GARBAGE)?.n).toBe(4);

      const reverted = await deleteTimeLimit(deps, rules, ctx(staff), {
        scope: 'event:06010',
        grade: '*',
        step: 'handle',
      });
      expect(reverted).toMatchObject({ origin: 'default', rule: { n: 1 } });
      expect((await rules.limits()).deadline(GARBAGE, from)?.due).toBe('2026-12-01T23:59:59.999+08:00');
      expect(
        await errorOf(
          deleteTimeLimit(deps, rules, ctx(staff), { scope: 'event:06010', grade: '*', step: 'handle' }),
        ),
      ).toMatchObject({ code: 'NotFound' });
      expect(await countRows(deps, 'time_limit')).toBe(0);
    });

    const input = (n: number) => ({
      scope: 'event:06010',
      grade: '*' as const,
      step: 'handle' as const,
      n,
      unit: 'workday' as const,
      basis: `区局通知: ${n} 个工作日`,
    });

    it('a grade-specific bureau entry wins for that grade only', async () => {
      await putTimeLimit(deps, rules, ctx(staff), { ...input(2), grade: 'A', scope: '*' });
      const lookup = await rules.limits();
      expect(lookup.find({ step: 'handle', categoryKey: null, areaGrade: 'A' })).toMatchObject({
        n: 2,
        scope: '*',
        grade: 'A',
      });
      expect(lookup.find({ step: 'handle', categoryKey: null, areaGrade: 'B' })).toMatchObject({
        n: 3,
        scope: '*',
        grade: '*',
      });
      await deleteTimeLimit(deps, rules, ctx(staff), { scope: '*', grade: 'A', step: 'handle' });
    });

    it('refuses bad entries naming the field, and other roles; nothing stored', async () => {
      const before = await countRows(deps, 'audit_entry');
      expect(await errorOf(putTimeLimit(deps, rules, ctx(staff), { ...input(1), scope: 'garbage' }))).toEqual(
        {
          code: 'Invalid',
          key: 'timeLimitScopeInvalid',
          field: 'scope',
        },
      );
      expect(await errorOf(putTimeLimit(deps, rules, ctx(staff), input(0)))).toEqual({
        code: 'Invalid',
        key: 'durationInvalid',
        field: 'n',
      });
      expect(await errorOf(putTimeLimit(deps, rules, ctx(staff), { ...input(1), basis: '  ' }))).toEqual({
        code: 'Invalid',
        key: 'basisRequired',
        field: 'basis',
      });
      for (const who of [officer, dispatcher])
        expect(await errorOf(putTimeLimit(deps, rules, ctx(who), input(1)))).toMatchObject({
          code: 'Forbidden',
        });
      expect(await countRows(deps, 'time_limit')).toBe(0);
      expect(await countRows(deps, 'audit_entry')).toBe(before);
    });

    it('serves the cached lookup until an edit invalidates it', async () => {
      const source = createCaseRulesSource(deps);
      expect((await source.limits()).find(GARBAGE)?.n).toBe(1);
      // A row written behind the source's back (another process) is not seen until the cache is dropped.
      await deps.database.db
        .insertInto('time_limit')
        .values({
          id: 'tl-behind',
          scope: 'event:06010',
          grade: '*',
          step: 'handle',
          n: 7,
          unit: 'day',
          basis: 'x',
          updated_at: '2026-11-30T00:00:00Z',
          updated_by: null,
          version: 1,
        })
        .execute();
      expect((await source.limits()).find(GARBAGE)?.n).toBe(1);
      source.invalidate();
      expect((await source.limits()).find(GARBAGE)?.n).toBe(7);
      await deps.database.db.deleteFrom('time_limit').where('id', '=', 'tl-behind').execute();
    });

    it('refuses a deadline in a year the calendar does not know, until the bureau enters and declares it', async () => {
      const q = { from: '2026-12-30T10:00:00+08:00', add: 3, unit: 'workday' as const };
      expect(await errorOf(computeDueInstant(rules, officer, q))).toEqual({
        code: 'DeadlineUnknown',
        key: 'calendarYearUnknown',
        field: undefined,
      });
      expect(await getCalendarYear(deps, rules, officer, 2027)).toMatchObject({
        known: false,
        declared: false,
        days: [],
      });

      // Declaring a year whose table is empty, or holds only a weekend day, would be a guess: refused.
      expect(await errorOf(declareCalendarYear(deps, rules, ctx(staff), 2027))).toMatchObject({
        code: 'Conflict',
        key: 'calendarYearImplausible',
      });
      await putCalendarDay(deps, rules, ctx(staff), '2027-01-02', { kind: 'holiday', name: '元旦' });
      expect(await errorOf(declareCalendarYear(deps, rules, ctx(staff), 2027))).toMatchObject({
        key: 'calendarYearImplausible',
      });
      expect(await countRows(deps, 'calendar_year')).toBe(0);

      await putCalendarDay(deps, rules, ctx(staff), '2027-01-01', { kind: 'holiday', name: '元旦' });
      // A year the library knows is patched day by day, never declared (that would drop the library's days).
      await expect(declareCalendarYear(deps, rules, ctx(staff), 2026)).rejects.toMatchObject({
        code: 'Conflict',
        messageKey: 'calendarYearKnown',
      });
      const year = await declareCalendarYear(deps, rules, ctx(staff), 2027, { note: '国办发明电〔2026〕号' });
      expect(year).toMatchObject({ known: true, declared: true, note: '国办发明电〔2026〕号' });
      expect(year.days.map((d) => [d.date, d.origin])).toEqual([
        ['2027-01-01', 'bureau'],
        ['2027-01-02', 'bureau'],
      ]);
      // 12-31 (Thu) 1, 01-01 holiday, weekend, 01-04 2, 01-05 3.
      expect((await computeDueInstant(rules, officer, q)).due).toBe('2027-01-05T23:59:59.999+08:00');

      // The declared year must stay plausible: its only weekday holiday cannot go.
      expect(await errorOf(deleteCalendarDay(deps, rules, ctx(staff), '2027-01-01'))).toMatchObject({
        code: 'Conflict',
        key: 'calendarYearImplausible',
      });
      expect(
        await errorOf(putCalendarDay(deps, rules, ctx(staff), '2027-01-01', { kind: 'workday' })),
      ).toMatchObject({
        key: 'calendarYearImplausible',
      });
      expect((await getCalendarYear(deps, rules, officer, 2027)).days[0]).toMatchObject({
        date: '2027-01-01',
        kind: 'holiday',
      });

      await withdrawCalendarYear(deps, rules, ctx(staff), 2027);
      expect(await errorOf(computeDueInstant(rules, officer, q))).toMatchObject({ code: 'DeadlineUnknown' });
      expect(await verifyAuditChain(deps)).toMatchObject({ ok: true });
    });

    it('patches a year the library knows, date by date', async () => {
      const lib = await getCalendarYear(deps, rules, officer, 2026);
      expect(lib).toMatchObject({ known: true, declared: false });
      expect(lib.days).toContainEqual({
        date: '2026-10-01',
        kind: 'holiday',
        name: '国庆节',
        origin: 'library',
      });
      expect(lib.days).toContainEqual({
        date: '2026-10-10',
        kind: 'workday',
        name: '国庆节',
        origin: 'library',
      });

      const q = { from: '2026-11-27T10:00:00+08:00', add: 1, unit: 'workday' as const }; // a Friday
      expect((await computeDueInstant(rules, officer, q)).due).toBe('2026-11-30T23:59:59.999+08:00');
      await putCalendarDay(deps, rules, ctx(staff), '2026-11-30', { kind: 'holiday', name: '区局调整' });
      expect((await computeDueInstant(rules, officer, q)).due).toBe('2026-12-01T23:59:59.999+08:00');
      await deleteCalendarDay(deps, rules, ctx(staff), '2026-11-30');
      expect((await computeDueInstant(rules, officer, q)).due).toBe('2026-11-30T23:59:59.999+08:00');
    });

    it('refuses malformed dates, years and instants naming the field, and edits by other roles', async () => {
      expect(
        await errorOf(putCalendarDay(deps, rules, ctx(staff), '2027-02-30', { kind: 'holiday' })),
      ).toEqual({
        code: 'Invalid',
        key: 'dateMalformed',
        field: 'date',
      });
      expect(await errorOf(getCalendarYear(deps, rules, officer, 27))).toMatchObject({
        key: 'calendarYearInvalid',
        field: 'year',
      });
      expect(
        await errorOf(
          computeDueInstant(rules, officer, { from: '2026-11-27T10:00:00', add: 1, unit: 'day' }),
        ),
      ).toEqual({ code: 'Invalid', key: 'timezoneRequired', field: 'from' });
      expect(
        await errorOf(putCalendarDay(deps, rules, ctx(dispatcher), '2026-12-01', { kind: 'holiday' })),
      ).toMatchObject({ code: 'Forbidden' });
      expect(await countRows(deps, 'calendar_override')).toBe(2); // the two 2027 days entered above
    });
  });
}
