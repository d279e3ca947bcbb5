import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../schema.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { listAlerts } from '../cases/alerts.service.js';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import { HOUR_MS, MINUTE_MS } from '../platform/calendar/shanghai-time.js';
import { openDatabase } from '../platform/db/database.js';
import { DIALECTS } from '../platform/testing/db.js';
import type { DemoDistrict } from '../registry/demo/index.js';
import { createRoutingEngine } from '../routing/routing.service.js';
import { generateDistrict } from '../intake/reports.test-support.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import {
  acknowledgeDelivery,
  recordOnSite,
  submitDualReport,
  type DeliveryView,
  type DualReportEnv,
} from './dual-report.service.js';
import { dualInput, loadDualReportWorld, type DualReportWorld } from './dual-report.test-support.js';
import {
  DELIVERY_LOOKBACK_MS,
  DELIVERY_SWEEP_JOB,
  sweepDeliveryDeadlines,
} from './delivery-alerts.service.js';

let district: DemoDistrict;
beforeAll(async () => {
  district = await generateDistrict();
}, 180_000);

describe.each(DIALECTS)('dual report delivery sweep [%s]', (dialect) => {
  let deps: TestDeps;
  let env: DualReportEnv;
  let w: DualReportWorld;
  let now = new Date('2026-11-30T02:00:00.000Z');
  const ctx = (actor: DualReportWorld['officer']) => ({ actor, requestId: 'req-test' });

  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { seed: false, now: () => now });
    w = await loadDualReportWorld(deps, district);
    env = { engine: createRoutingEngine(deps), calendar: createWorkCalendar() };
  }, 300_000);
  afterAll(async () => deps.cleanup());

  const db = () => deps.database.db;
  const sweepAt = (t: Date, opts: Parameters<typeof sweepDeliveryDeadlines>[1] = {}) => {
    now = t;
    return sweepDeliveryDeadlines(deps, opts);
  };
  const submit = async (compoundId: string, extra: Record<string, unknown> = {}) => {
    const { dualReport: r, receipt } = await submitDualReport(
      deps,
      env,
      ctx(w.companyUser),
      dualInput(compoundId, now, 3, extra),
    );
    expect(r.case?.status).toBe('active');
    const squad = r.deliveries.find((d) => d.recipient === 'squad')!;
    const office = r.deliveries.find((d) => d.recipient === 'illegalConstructionOffice')!;
    return { r, receipt, squad, office, at: (ms: number) => new Date(Date.parse(squad.deliveredAt) + ms) };
  };
  /** The alerts of one delivery (its id is in every dedupe key), oldest first. */
  const alertsOf = (d: DeliveryView) =>
    db()
      .selectFrom('case_alert')
      .selectAll()
      .where('dedupe_key', 'like', `%:${d.id}:%`)
      .orderBy('created_at')
      .orderBy('kind')
      .execute();
  const kindsOf = async (d: DeliveryView) => (await alertsOf(d)).map((a) => a.kind);
  const auditCount = async () =>
    Number(
      (
        await db()
          .selectFrom('audit_entry')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const sweepAudits = () =>
    db()
      .selectFrom('audit_entry')
      .select(['summary', 'actor_id', 'entity'])
      .where('action', '=', 'dualreport.sweepDeliveries')
      .orderBy('seq')
      .execute();

  it('reminds both recipients ahead of each deadline and when it passed, each alert once', async () => {
    const a = await submit(w.managed[0]);
    expect(await sweepAt(now)).toEqual({ scanned: 2, alerts: {}, batches: 0 });
    const audits0 = await auditCount();

    // Half an hour before the 1-hour acknowledgement deadline: a reminder to each recipient unit.
    expect(await sweepAt(a.at(40 * MINUTE_MS))).toMatchObject({ alerts: { deliveryAckWarn: 2 }, batches: 1 });
    const [squadWarn] = await alertsOf(a.squad);
    expect(squadWarn).toMatchObject({
      kind: 'deliveryAckWarn',
      case_id: a.receipt.caseId,
      unit_id: w.officer.unitId,
      role: null,
      due_at: a.squad.ackDeadline.due,
      read_at: null,
    });
    expect(squadWarn?.message).toContain(`双报告回执 ${a.squad.receiptCode} 应于`);
    expect(await alertsOf(a.office)).toMatchObject([{ kind: 'deliveryAckWarn', unit_id: w.liaison.unitId }]);
    expect(await auditCount()).toBe(audits0 + 1);
    const [audit] = (await sweepAudits()).slice(-1);
    expect(audit).toMatchObject({ actor_id: `system:${DELIVERY_SWEEP_JOB}`, entity: 'caseAlert' });
    const summary = JSON.parse(audit!.summary) as { after: { alerts: unknown; deliveryIds: string[] } };
    expect(summary.after.alerts).toEqual({ deliveryAckWarn: 2 });
    expect(summary.after.deliveryIds.sort()).toEqual([a.squad.id, a.office.id].sort());

    // Again before the deadline: nothing new, and no write at all (no audit entry).
    expect(await sweepAt(a.at(50 * MINUTE_MS))).toEqual({ scanned: 2, alerts: {}, batches: 0 });
    expect(await sweepAt(a.at(HOUR_MS))).toMatchObject({ alerts: {}, batches: 0 });
    expect(await auditCount()).toBe(audits0 + 1);

    // One millisecond past the acknowledgement deadline: overdue for both.
    expect(await sweepAt(a.at(HOUR_MS + 1))).toMatchObject({ alerts: { deliveryAckOverdue: 2 }, batches: 1 });

    // The squad acknowledges (late); within 6 hours of the 24-hour on-site limit both are reminded of it.
    now = a.at(2 * HOUR_MS);
    await acknowledgeDelivery(deps, ctx(w.officer), a.squad.id);
    expect(await sweepAt(a.at(18 * HOUR_MS - 1))).toMatchObject({ alerts: {}, batches: 0 });
    expect(await sweepAt(a.at(19 * HOUR_MS))).toMatchObject({
      alerts: { deliveryOnSiteWarn: 2 },
      batches: 1,
    });
    expect(await sweepAt(a.at(24 * HOUR_MS + 1))).toMatchObject({
      alerts: { deliveryOnSiteOverdue: 2 },
      batches: 1,
    });
    const all = ['deliveryAckWarn', 'deliveryAckOverdue', 'deliveryOnSiteWarn', 'deliveryOnSiteOverdue'];
    expect(await kindsOf(a.squad)).toEqual(all);
    expect(await kindsOf(a.office)).toEqual(all);
    expect((await alertsOf(a.office)).at(-1)?.message).toContain(
      `（案件 ${a.r.case!.code}）已于 2026-12-01 10:00 超时未到场核查（依据：上海市拆除违法建筑若干规定 第7条`,
    );

    // The squad goes on site: it is no longer even read; the 拆违办's delivery still is, but nothing is new.
    now = a.at(25 * HOUR_MS);
    await recordOnSite(deps, ctx(w.officer), a.squad.id);
    expect(await sweepAt(a.at(26 * HOUR_MS))).toEqual({ scanned: 1, alerts: {}, batches: 0 });
    expect(await kindsOf(a.squad)).toEqual(all);
    expect(await auditCount()).toBe(audits0 + 6); // 4 sweeps that wrote, the acknowledgement, the arrival

    // The squad's inbox holds its delivery's alerts, not the 拆违办's.
    const inbox = await listAlerts(deps, w.squadLeader, { limit: 500 });
    const squadIds = new Set((await alertsOf(a.squad)).map((x) => x.id));
    const officeIds = new Set((await alertsOf(a.office)).map((x) => x.id));
    expect(inbox.items.filter((i) => squadIds.has(i.id))).toHaveLength(4);
    expect(inbox.items.some((i) => officeIds.has(i.id))).toBe(false);
    // Current: a delivery's alerts are not superseded by the case's own moves.
    for (const i of inbox.items.filter((x) => squadIds.has(x.id)))
      expect(i).toMatchObject({
        caseId: a.receipt.caseId,
        unit: { id: w.officer.unitId },
        readAt: null,
        current: true,
      });
    const liaisonInbox = await listAlerts(deps, w.liaison, { kind: 'deliveryOnSiteOverdue' });
    expect(liaisonInbox.items.map((i) => i.id)).toContain([...officeIds].at(-1));
    expect((await verifyAuditChain(deps)).ok).toBe(true);
  });

  it('sends no acknowledgement alert once acknowledged, and no on-site alert once someone was on site', async () => {
    // Building under way: 2 hours on site, warned 30 minutes ahead.
    const b = await submit(w.managed[1], { underWay: true });
    now = b.at(10 * MINUTE_MS);
    await acknowledgeDelivery(deps, ctx(w.officer), b.squad.id);
    now = b.at(20 * MINUTE_MS);
    await recordOnSite(deps, ctx(w.officer), b.squad.id);
    now = b.at(25 * MINUTE_MS);
    await acknowledgeDelivery(deps, ctx(w.liaison), b.office.id);

    expect((await sweepAt(b.at(40 * MINUTE_MS))).alerts).toEqual({});
    expect((await sweepAt(b.at(90 * MINUTE_MS))).alerts).toEqual({ deliveryOnSiteWarn: 1 });
    expect((await sweepAt(b.at(2 * HOUR_MS + 1))).alerts).toEqual({ deliveryOnSiteOverdue: 1 });
    expect(await kindsOf(b.squad)).toEqual([]);
    expect(await kindsOf(b.office)).toEqual(['deliveryOnSiteWarn', 'deliveryOnSiteOverdue']);
    expect((await alertsOf(b.office))[0]?.due_at).toBe(b.office.onSiteDeadline.due);
  });

  it('inserts each alert exactly once when two sweeps run at the same time', async () => {
    const reports = [];
    for (let i = 0; i < 20; i++) reports.push(await submit(w.managed[i % 2]!));
    const deliveries = reports.flatMap((r) => [r.squad, r.office]);
    const audits0 = await auditCount();
    now = reports.at(-1)!.at(24 * HOUR_MS + 1);
    // On PostgreSQL a second pool, so the two sweeps' transactions really interleave; SQLite is one
    // process's database and serialises its writers.
    const second = dialect === 'postgres' ? openDatabase<DB>(deps.config.database) : deps.database;
    try {
      const other = { database: second, clock: deps.clock, logger: deps.logger };
      const [x, y] = await Promise.all([
        sweepDeliveryDeadlines(deps, { batchSize: 2 }),
        sweepDeliveryDeadlines(other, { batchSize: 2 }),
      ]);
      const sum = (k: 'deliveryAckOverdue' | 'deliveryOnSiteOverdue') =>
        (x.alerts[k] ?? 0) + (y.alerts[k] ?? 0);
      expect(sum('deliveryAckOverdue')).toBe(40);
      expect(sum('deliveryOnSiteOverdue')).toBe(40);
      expect(Object.keys({ ...x.alerts, ...y.alerts }).sort()).toEqual([
        'deliveryAckOverdue',
        'deliveryOnSiteOverdue',
      ]);
      for (const d of deliveries)
        expect((await kindsOf(d)).sort()).toEqual(['deliveryAckOverdue', 'deliveryOnSiteOverdue']);
      // One audit entry per batch that wrote, and only those.
      expect(await auditCount()).toBe(audits0 + x.batches + y.batches);
    } finally {
      if (second !== deps.database) await second.close();
    }
    expect(await sweepAt(now)).toMatchObject({ alerts: {}, batches: 0 });
    expect((await verifyAuditChain(deps)).ok).toBe(true);
  });

  it('leaves deadlines older than the look-back alone (a week of downtime is caught up with, no more)', async () => {
    const old = await submit(w.managed[1]);
    const late = old.at(24 * HOUR_MS + DELIVERY_LOOKBACK_MS + HOUR_MS);
    await sweepAt(late);
    expect(await kindsOf(old.squad)).toEqual([]);
    expect(await kindsOf(old.office)).toEqual([]);
    // Within the week, the same delivery is caught up with.
    const fresh = await submit(w.managed[1]);
    await sweepAt(fresh.at(24 * HOUR_MS + DELIVERY_LOOKBACK_MS - HOUR_MS));
    expect(await kindsOf(fresh.squad)).toEqual(['deliveryOnSiteOverdue']);
  });

  it('reminds nobody of a delivery whose case is not active', async () => {
    const c = await submit(w.managed[0]);
    const caseId = c.receipt.caseId;
    const status = (s: string) =>
      db().updateTable('case_file').set({ status: s }).where('id', '=', caseId).execute();
    await status('suspended');
    try {
      expect((await sweepAt(c.at(24 * HOUR_MS + 1))).alerts).toEqual({});
      expect(await kindsOf(c.squad)).toEqual([]);
      expect(await kindsOf(c.office)).toEqual([]);
    } finally {
      await status('active');
    }
    // Active again: the sweep catches up with everything that fell due meanwhile.
    expect((await sweepAt(now)).alerts).toMatchObject({ deliveryAckOverdue: 2, deliveryOnSiteOverdue: 2 });
  });
});
