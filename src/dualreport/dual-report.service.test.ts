import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import { verifyAuditChain } from '../access/audit.service.js';
import type { DemoDistrict } from '../registry/demo/index.js';
import { createRoutingEngine } from '../routing/routing.service.js';
import { generateDistrict } from '../intake/reports.test-support.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import {
  acknowledgeDelivery,
  getDualReport,
  recordOnSite,
  searchDualReports,
  submitDualReport,
  type DualReportEnv,
} from './dual-report.service.js';
import {
  NOT_CONSTRUCTION,
  dualInput,
  loadDualReportWorld,
  type DualReportWorld,
} from './dual-report.test-support.js';
import { refusalOf } from '../testing/refusal.js';

let district: DemoDistrict;
beforeAll(async () => {
  district = await generateDistrict();
}, 180_000);

const errorOf = (p: Promise<unknown>) => refusalOf(p, 'field');

describe.each(DIALECTS)('dual reports [%s]', (dialect) => {
  let deps: TestDeps;
  let env: DualReportEnv;
  let w: DualReportWorld;
  let now = new Date('2026-11-30T02:00:00.000Z');
  const ctx = (actor: DualReportWorld['officer']) => ({ actor, requestId: 'req-test' });
  const counts = async () => {
    const n = async (t: 'report' | 'dual_report' | 'delivery' | 'audit_entry' | 'case_file') =>
      Number(
        (
          await deps.database.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      report: await n('report'),
      dual: await n('dual_report'),
      delivery: await n('delivery'),
      audit: await n('audit_entry'),
      cases: await n('case_file'),
    };
  };

  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { seed: false, now: () => now });
    w = await loadDualReportWorld(deps, district);
    env = { engine: createRoutingEngine(deps), calendar: createWorkCalendar() };
  }, 300_000);
  afterAll(async () => deps.cleanup());

  it('receives the report through intake and delivers it to the squad and the 拆违办 with their own receipts and deadlines', async () => {
    const before = await counts();
    const { dualReport: r, receipt } = await submitDualReport(
      deps,
      env,
      ctx(w.companyUser),
      dualInput(w.managed[0], now, 3),
    );
    const after = await counts();
    expect(after).toMatchObject({
      report: before.report + 1,
      dual: before.dual + 1,
      delivery: before.delivery + 2,
    });
    expect(after.audit).toBe(before.audit + 2); // report.receive + dualReport.submit, one transaction
    const report = await deps.database.db
      .selectFrom('report')
      .selectAll()
      .where('id', '=', receipt.id)
      .executeTakeFirstOrThrow();
    expect(report.channel).toBe('dualReport');
    expect(report.compound_id).toBe(w.managed[0]);
    expect(r).toMatchObject({
      id: receipt.id,
      company: { id: w.company.id },
      lagMinutes: 180,
      late: false,
      underWay: false,
    });
    expect(r.place).toEqual({ building: '12号', unit: '2', room: '601' });
    expect(r.dissuasion).toMatchObject({ by: '王保安', outcome: 'ineffective' });
    expect(r.case?.status).toBeTruthy();
    const byRecipient = Object.fromEntries(r.deliveries.map((d) => [d.recipient, d]));
    expect(byRecipient.squad?.unit.id).toBe(w.officer.unitId);
    expect(byRecipient.illegalConstructionOffice?.unit.id).toBe(w.liaison.unitId);
    for (const d of r.deliveries) {
      expect(d.receiptCode.startsWith(receipt.trackingCode)).toBe(true);
      expect(d.deliveredAt).toBe(receipt.receivedAt);
      // 上海市拆除违法建筑若干规定 第7条: 24 hours when building is not under way.
      expect(Date.parse(d.onSiteDeadline.due) - Date.parse(d.deliveredAt)).toBe(24 * 3600_000);
      expect(d.onSiteDeadline.basis).toContain('第7条');
      expect(Date.parse(d.ackDeadline.due)).toBeLessThan(Date.parse(d.onSiteDeadline.due));
      expect(d).toMatchObject({
        acknowledgedAt: null,
        onSiteAt: null,
        ackOverdue: false,
        onSiteOverdue: false,
      });
    }
    expect(new Set(r.deliveries.map((d) => d.receiptCode)).size).toBe(2);
    expect((await verifyAuditChain(deps)).ok).toBe(true);
  });

  it('gives 2 hours on site while building is under way, and flags a report more than 24 hours after discovery as late', async () => {
    const { dualReport: r } = await submitDualReport(
      deps,
      env,
      ctx(w.companyUser),
      dualInput(w.managed[1], now, 30, { underWay: true }),
    );
    expect(r).toMatchObject({ late: true, lagMinutes: 30 * 60, underWay: true });
    for (const d of r.deliveries)
      expect(Date.parse(d.onSiteDeadline.due) - Date.parse(d.deliveredAt)).toBe(2 * 3600_000);
  });

  it('accepts no dissuasion record when the report says why there was none', async () => {
    const { dualReport: r } = await submitDualReport(
      deps,
      env,
      ctx(w.companyUser),
      dualInput(w.managed[0], now, 2, { dissuasion: null, noDissuasionReason: '发现时已搭建完毕，现场无人' }),
    );
    expect(r).toMatchObject({ dissuasion: null, noDissuasionReason: '发现时已搭建完毕，现场无人' });
  });

  it('refuses every bad input with a 4xx code naming the field, and stores nothing', async () => {
    const before = await counts();
    const cases: Array<[() => Promise<unknown>, { code: string; key: string; field?: string }]> = [
      [
        () => submitDualReport(deps, env, ctx(w.companyUser), dualInput(w.notManaged, now)),
        { code: 'Forbidden', key: 'compoundNotManaged', field: 'compoundId' },
      ],
      [
        () =>
          submitDualReport(
            deps,
            env,
            ctx(w.companyUser),
            dualInput(w.managed[0], now, 3, {
              discoveredAt: new Date(now.getTime() + 3600_000).toISOString(),
            }),
          ),
        { code: 'Invalid', key: 'instantInFuture', field: 'discoveredAt' },
      ],
      [
        () =>
          submitDualReport(
            deps,
            env,
            ctx(w.companyUser),
            dualInput(w.managed[0], now, 3, { discoveredAt: new Date(now.getTime() + 60_000).toISOString() }),
          ),
        { code: 'Invalid', key: 'discoveryAfterReport', field: 'discoveredAt' },
      ],
      [
        () =>
          submitDualReport(
            deps,
            env,
            ctx(w.companyUser),
            dualInput(w.managed[0], now, 3, { dissuasion: null }),
          ),
        { code: 'Invalid', key: 'dissuasionRequired', field: 'dissuasion' },
      ],
      [
        () =>
          submitDualReport(
            deps,
            env,
            ctx(w.companyUser),
            dualInput(w.managed[0], now, 3, { dissuasion: null, noDissuasionReason: '   ' }),
          ),
        { code: 'Invalid', key: 'dissuasionRequired', field: 'dissuasion' },
      ],
      [
        () =>
          submitDualReport(
            deps,
            env,
            ctx(w.companyUser),
            dualInput(w.managed[0], now, 3, {
              dissuasion: {
                at: new Date(now.getTime() - 5 * 3600_000).toISOString(),
                by: '王保安',
                outcome: 'ineffective',
              },
            }),
          ),
        { code: 'Invalid', key: 'dissuasionBeforeDiscovery', field: 'dissuasion.at' },
      ],
      [
        () =>
          submitDualReport(
            deps,
            env,
            ctx(w.companyUser),
            dualInput(w.managed[0], now, 3, { categoryKey: NOT_CONSTRUCTION }),
          ),
        { code: 'Invalid', key: 'dualReportCategory', field: 'categoryKey' },
      ],
      [
        () => submitDualReport(deps, env, ctx(w.companyUser), dualInput('no-such-compound', now)),
        { code: 'Invalid', key: 'unknownReference', field: 'compoundId' },
      ],
      [
        () => submitDualReport(deps, env, ctx(w.officer), dualInput(w.managed[0], now)),
        { code: 'Forbidden', key: 'forbidden' },
      ],
      // A propertyCompany user whose unit is no company's.
      [
        () =>
          submitDualReport(
            deps,
            env,
            ctx({ ...w.companyUser, unitId: w.officer.unitId }),
            dualInput(w.managed[0], now),
          ),
        { code: 'Forbidden', key: 'dualReportNoCompany' },
      ],
    ];
    for (const [p, expected] of cases) expect(await errorOf(p())).toMatchObject(expected);
    expect(await counts()).toEqual(before);
  });

  it('lets each recipient acknowledge once; a second acknowledgement is a Conflict and stores nothing', async () => {
    const { dualReport: r } = await submitDualReport(
      deps,
      env,
      ctx(w.companyUser),
      dualInput(w.managed[0], now, 1),
    );
    const squad = r.deliveries.find((d) => d.recipient === 'squad')!;
    const office = r.deliveries.find((d) => d.recipient === 'illegalConstructionOffice')!;
    // The squad cannot acknowledge the 拆违办's delivery, nor another subdistrict's squad the squad's.
    expect(await errorOf(acknowledgeDelivery(deps, ctx(w.officer), office.id))).toMatchObject({
      code: 'NotFound',
    });
    expect(await errorOf(acknowledgeDelivery(deps, ctx(w.meilongOfficer), squad.id))).toMatchObject({
      code: 'NotFound',
    });
    expect(await errorOf(acknowledgeDelivery(deps, ctx(w.companyUser), squad.id))).toMatchObject({
      code: 'Forbidden',
    });

    now = new Date(now.getTime() + 10 * 60_000);
    const acked = await acknowledgeDelivery(deps, ctx(w.officer), squad.id);
    expect(acked).toMatchObject({
      acknowledgedAt: now.toISOString(),
      acknowledgedBy: w.officer.id,
      ackOverdue: false,
    });
    const before = await counts();
    now = new Date(now.getTime() + 60_000);
    expect(await errorOf(acknowledgeDelivery(deps, ctx(w.squadLeader), squad.id))).toMatchObject({
      code: 'Conflict',
      key: 'deliveryAlreadyAcknowledged',
    });
    expect(await counts()).toEqual(before);
    const again = await getDualReport(deps, w.companyUser, r.id);
    expect(again.deliveries.find((d) => d.id === squad.id)).toMatchObject({ acknowledgedBy: w.officer.id });

    // The 拆违办 acknowledges late (after its 1-hour deadline): the company sees it flagged.
    expect(await errorOf(recordOnSite(deps, ctx(w.liaison), office.id))).toMatchObject({
      code: 'Conflict',
      key: 'deliveryNotAcknowledged',
    });
    now = new Date(now.getTime() + 2 * 3600_000);
    expect(await acknowledgeDelivery(deps, ctx(w.liaison), office.id)).toMatchObject({
      ackOverdue: true,
      onSiteOverdue: false,
    });
  });

  it('records the arrival on site once, not in the future nor before the delivery, and flags it against the 第7条 deadline', async () => {
    const { dualReport: r } = await submitDualReport(
      deps,
      env,
      ctx(w.companyUser),
      dualInput(w.managed[1], now, 1, { underWay: true }),
    );
    const squad = r.deliveries.find((d) => d.recipient === 'squad')!;
    await acknowledgeDelivery(deps, ctx(w.officer), squad.id);
    const before = await counts();
    expect(
      await errorOf(
        recordOnSite(deps, ctx(w.officer), squad.id, {
          at: new Date(now.getTime() + 3600_000).toISOString(),
        }),
      ),
    ).toMatchObject({
      code: 'Invalid',
      key: 'instantInFuture',
      field: 'at',
    });
    expect(
      await errorOf(
        recordOnSite(deps, ctx(w.officer), squad.id, {
          at: new Date(now.getTime() - 3600_000).toISOString(),
        }),
      ),
    ).toMatchObject({
      code: 'Invalid',
      key: 'onSiteBeforeDelivery',
    });
    expect(await counts()).toEqual(before);
    now = new Date(now.getTime() + 3 * 3600_000); // 3 h: past the 2-hour limit for building under way
    const arrived = await recordOnSite(deps, ctx(w.officer), squad.id);
    expect(arrived).toMatchObject({
      onSiteAt: now.toISOString(),
      onSiteBy: w.officer.id,
      onSiteOverdue: true,
    });
    expect(await errorOf(recordOnSite(deps, ctx(w.officer), squad.id))).toMatchObject({
      code: 'Conflict',
      key: 'deliveryAlreadyOnSite',
    });
  });

  it('shows the company its own reports, each recipient those delivered into its scope, the bureau all', async () => {
    const mine = await searchDualReports(deps, w.companyUser, {});
    expect(mine.length).toBeGreaterThanOrEqual(5);
    expect(mine.every((r) => r.company.id === w.company.id && r.deliveries.length === 2)).toBe(true);
    expect(await searchDualReports(deps, w.otherCompanyUser, {})).toEqual([]);
    expect((await searchDualReports(deps, w.officer, {})).map((r) => r.id).sort()).toEqual(
      mine.map((r) => r.id).sort(),
    );
    expect((await searchDualReports(deps, w.liaison, {})).length).toBe(mine.length);
    expect(await searchDualReports(deps, w.meilongOfficer, {})).toEqual([]);
    expect((await searchDualReports(deps, w.bureau, {})).length).toBe(mine.length);
    expect((await searchDualReports(deps, w.companyUser, { late: true })).every((r) => r.late)).toBe(true);
    expect(await errorOf(getDualReport(deps, w.otherCompanyUser, mine[0]!.id))).toMatchObject({
      code: 'NotFound',
    });
    expect(await errorOf(getDualReport(deps, w.meilongOfficer, mine[0]!.id))).toMatchObject({
      code: 'NotFound',
    });
    expect((await getDualReport(deps, w.officer, mine[0]!.id)).id).toBe(mine[0]!.id);
    expect(await errorOf(searchDualReports(deps, w.companyUser, { from: 'yesterday' }))).toMatchObject({
      code: 'Invalid',
      field: 'from',
    });
  });
});
