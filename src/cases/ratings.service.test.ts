import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import type { Actor } from '../access/roles.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { anonymousActor } from '../intake/photos.service.js';
import { trackReport } from '../intake/reports.service.js';
import { listCaseRatings, rateByCallback, rateByTrackingCode, satisfactionRates } from './ratings.service.js';
import { followCase } from './followers.service.js';
import {
  UNIT,
  actorOf,
  countRows,
  insertCase,
  insertReport,
  loadCategories,
  setCase,
  unitOf,
} from './case-rules.test-support.js';
import { refusalOf } from '../testing/refusal.js';

const errorOf = (p: Promise<unknown>) => refusalOf(p, 'details');

const GARBAGE = 'event:06010';

for (const dialect of DIALECTS) {
  describe(`satisfaction ratings and followers [${dialect}]`, () => {
    let deps: TestDeps;
    let now = new Date('2026-11-30T02:00:00.000Z');
    let dispatcher: Actor;
    let officer: Actor;
    let leader: Actor;
    const anon = { actor: anonymousActor(), requestId: 'req-test' };
    const ctx = (actor: Actor) => ({ actor, requestId: 'req-test' });
    const writes = async () =>
      Promise.all([
        countRows(deps, 'case_rating'),
        countRows(deps, 'case_alert'),
        countRows(deps, 'audit_entry'),
      ]);

    beforeAll(async () => {
      deps = await buildTestDeps(dialect, { now: () => now });
      await loadCategories(deps);
      dispatcher = await actorOf(deps, 'dispatcher', UNIT.squad);
      officer = await actorOf(deps, 'officer', UNIT.squad);
      leader = await actorOf(deps, 'bureauLeader', UNIT.bureau);
    }, 120_000);
    afterAll(async () => deps?.cleanup());

    it('the reporter rates a closed case once by tracking code; a second rating is 409 and changes nothing', async () => {
      const c = await insertCase(deps, { status: 'closed', categoryKey: GARBAGE });
      const report = await insertReport(deps, c);
      // Codes are typed by people: lower case and a dash are accepted.
      const typed = `${report.trackingCode.slice(0, 5)}-${report.trackingCode.slice(5)}`.toLowerCase();
      const r = await rateByTrackingCode(deps, anon, typed, { rating: 'satisfied', comment: ' 很及时 ' });
      expect(r).toMatchObject({
        caseId: c.id,
        caseCode: c.code,
        round: 0,
        rating: 'satisfied',
        comment: '很及时',
        source: 'reporter',
        alert: null,
      });
      const row = await deps.database.db
        .selectFrom('case_rating')
        .selectAll()
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        report_id: report.id,
        rated_by: null,
        month: '2026-11',
        category_key: GARBAGE,
      });

      const before = await writes();
      expect(
        await errorOf(rateByTrackingCode(deps, anon, report.trackingCode, { rating: 'dissatisfied' })),
      ).toMatchObject({
        code: 'Conflict',
        key: 'ratingExists',
        details: { round: 0 },
      });
      expect(
        await errorOf(rateByCallback(deps, ctx(dispatcher), c.id, { rating: 'dissatisfied' })),
      ).toMatchObject({
        code: 'Conflict',
        key: 'ratingExists',
      });
      expect(await writes()).toEqual(before);
    });

    it('refuses a rating of a case that is not closed, and an unknown or malformed code; nothing changed', async () => {
      const before = await writes();
      for (const status of ['active', 'suspended', 'voided']) {
        const c = await insertCase(deps, { status });
        const { trackingCode } = await insertReport(deps, c);
        expect(
          await errorOf(rateByTrackingCode(deps, anon, trackingCode, { rating: 'satisfied' })),
        ).toMatchObject({
          code: 'Conflict',
          key: 'ratingCaseNotClosed',
          details: { status },
        });
        expect(
          await errorOf(rateByCallback(deps, ctx(dispatcher), c.id, { rating: 'satisfied' })),
        ).toMatchObject({
          key: 'ratingCaseNotClosed',
        });
      }
      expect(
        await errorOf(rateByTrackingCode(deps, anon, '0000000000', { rating: 'satisfied' })),
      ).toMatchObject({ code: 'NotFound' });
      expect(
        await errorOf(rateByTrackingCode(deps, anon, 'not a code', { rating: 'satisfied' })),
      ).toMatchObject({ code: 'NotFound' });
      expect(await writes()).toEqual(before);
    });

    it('dissatisfied alerts the squad leader of the squad whose scope holds the case, in the same transaction', async () => {
      const c = await insertCase(deps, { status: 'closed', categoryKey: GARBAGE });
      const squad = await unitOf(deps, UNIT.squad);
      const r = await rateByCallback(deps, ctx(dispatcher), c.id, {
        rating: 'dissatisfied',
        comment: '垃圾又堆起来了',
      });
      expect(r).toMatchObject({
        source: 'callback',
        round: 0,
        alert: { unitId: squad.id, role: 'squadLeader' },
      });
      const alerts = await deps.database.db
        .selectFrom('case_alert')
        .selectAll()
        .where('case_id', '=', c.id)
        .execute();
      expect(alerts).toEqual([
        expect.objectContaining({
          kind: 'dissatisfied',
          unit_id: squad.id,
          role: 'squadLeader',
          dedupe_key: `dissatisfied:${c.id}:0`,
          read_at: null,
        }),
      ]);
      expect(alerts[0]?.message).toContain(c.code);

      // The squad leader reopens (the case service's move); while open no rating, closed again: round 1.
      await setCase(deps, c.id, { status: 'active', reopenCount: 1 });
      expect(
        await errorOf(rateByCallback(deps, ctx(dispatcher), c.id, { rating: 'satisfied' })),
      ).toMatchObject({
        key: 'ratingCaseNotClosed',
      });
      await setCase(deps, c.id, { status: 'closed', reopenCount: 1 });
      expect(
        await rateByCallback(deps, ctx(dispatcher), c.id, { rating: 'basicallySatisfied' }),
      ).toMatchObject({
        round: 1,
        alert: null,
      });
      expect((await listCaseRatings(deps, officer, c.id)).map((x) => [x.round, x.rating])).toEqual([
        [0, 'dissatisfied'],
        [1, 'basicallySatisfied'],
      ]);
    });

    it('a callback rating needs cases:dispatch and a case in scope', async () => {
      const c = await insertCase(deps, { status: 'closed' });
      expect(await errorOf(rateByCallback(deps, ctx(officer), c.id, { rating: 'satisfied' }))).toMatchObject({
        code: 'Forbidden',
      });
      const bureauCase = await insertCase(deps, { status: 'closed', unitCode: UNIT.bureau });
      expect(
        await errorOf(rateByCallback(deps, ctx(dispatcher), bureauCase.id, { rating: 'satisfied' })),
      ).toMatchObject({
        code: 'NotFound',
      });
      expect(
        await errorOf(rateByCallback(deps, ctx(dispatcher), 'no-such-case', { rating: 'satisfied' })),
      ).toMatchObject({
        code: 'NotFound',
      });
    });

    it('a follower gets a tracking code that the tracking page and the rating accept', async () => {
      const c = await insertCase(deps, { status: 'active', categoryKey: GARBAGE });
      const f = await followCase(deps, anon, c.id, { name: '钱女士', phone: '138 0013 8000' });
      expect(f).toMatchObject({ caseCode: c.code, status: 'active' });
      expect(f.trackingCode).toMatch(/^[0-9A-Z]{10}$/);
      const stored = await deps.database.db
        .selectFrom('case_follower')
        .selectAll()
        .where('tracking_code', '=', f.trackingCode)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ case_id: c.id, name: '钱女士', phone: '13800138000' });
      // The audit chain never holds the full phone number.
      const audit = await deps.database.db
        .selectFrom('audit_entry')
        .select('summary')
        .where('action', '=', 'case.follow')
        .execute();
      expect(audit.map((a) => a.summary).join()).not.toContain('13800138000');

      const page = await trackReport(deps, f.trackingCode.toLowerCase());
      expect(page).toMatchObject({
        trackingCode: f.trackingCode,
        caseCode: c.code,
        category: { key: GARBAGE },
      });

      await setCase(deps, c.id, { status: 'closed', reopenCount: 0 });
      expect(await rateByTrackingCode(deps, anon, f.trackingCode, { rating: 'satisfied' })).toMatchObject({
        caseId: c.id,
        source: 'reporter',
      });
      expect(
        (
          await deps.database.db
            .selectFrom('case_rating')
            .select('report_id')
            .where('case_id', '=', c.id)
            .executeTakeFirstOrThrow()
        ).report_id,
      ).toBeNull();
    });

    it('only an active case can be followed; bad phone refused naming the field; nothing stored', async () => {
      const before = await countRows(deps, 'case_follower');
      const closed = await insertCase(deps, { status: 'closed' });
      expect(await errorOf(followCase(deps, anon, closed.id, {}))).toMatchObject({
        code: 'Conflict',
        key: 'followCaseNotActive',
      });
      expect(await errorOf(followCase(deps, anon, 'no-such-case', {}))).toMatchObject({ code: 'NotFound' });
      const open = await insertCase(deps, { status: 'active' });
      expect(await errorOf(followCase(deps, anon, open.id, { phone: 'ring me' }))).toMatchObject({
        code: 'Invalid',
        key: 'phoneInvalid',
        details: { field: 'phone' },
      });
      expect(await countRows(deps, 'case_follower')).toBe(before);
    });

    it('computes the satisfaction rate per unit, category and month, within the caller’s scope', async () => {
      now = new Date('2026-12-15T02:00:00.000Z');
      const ws = await unitOf(deps, UNIT.workstation);
      const bureau = await unitOf(deps, UNIT.bureau);
      for (const rating of ['satisfied', 'dissatisfied'] as const) {
        const c = await insertCase(deps, { status: 'closed', unitCode: UNIT.bureau });
        await rateByCallback(deps, ctx(leaderWithDispatch()), c.id, { rating });
      }
      // So far, by month: 2026-11 holds (satisfied, dissatisfied, basicallySatisfied, satisfied); 2026-12 two.
      const byMonth = await satisfactionRates(deps, leader, { by: 'month' });
      expect(byMonth.groups.map((g) => [g.key, g.rated, g.rate])).toEqual([
        ['2026-11', 4, 0.75],
        ['2026-12', 2, 0.5],
      ]);
      expect(byMonth.total).toMatchObject({ rated: 6, satisfied: 3, basicallySatisfied: 1, dissatisfied: 2 });
      expect(byMonth.total.rate).toBeCloseTo(4 / 6);

      const byUnit = await satisfactionRates(deps, leader, { by: 'unit', from: '2026-11', to: '2026-12' });
      expect(byUnit.groups.map((g) => [g.key, g.name, g.rated, g.rate])).toEqual(
        [
          [ws.id, '莘庄镇东街城管社区工作站', 4, 0.75],
          [bureau.id, '闵行区城市管理行政执法局', 2, 0.5],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      const byCategory = await satisfactionRates(deps, leader, {
        by: 'category',
        from: '2026-11',
        to: '2026-11',
      });
      expect(byCategory.groups.find((g) => g.key === GARBAGE)).toMatchObject({
        rated: 4,
        satisfied: 2,
        basicallySatisfied: 1,
        dissatisfied: 1,
      });
      // The squad's dispatcher sees its subdistrict only: the bureau's own cases are outside.
      expect((await satisfactionRates(deps, dispatcher, { by: 'month' })).total.rated).toBe(4);
      expect(await errorOf(satisfactionRates(deps, officer, { by: 'month' }))).toMatchObject({
        code: 'Forbidden',
      });
      expect(await errorOf(satisfactionRates(deps, leader, { by: 'month', from: '2026-13' }))).toMatchObject({
        key: 'monthInvalid',
        details: { field: 'from' },
      });
      expect(await verifyAuditChain(deps)).toMatchObject({ ok: true });

      /** A bureau dispatcher (the seeded one is the squad's). */
      function leaderWithDispatch(): Actor {
        return { ...dispatcher, unitId: bureau.id, unitPath: bureau.path };
      }
    });
  });
}
