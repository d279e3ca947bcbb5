import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access/roles.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { HOUR_MS } from '../platform/calendar/shanghai-time.js';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { storePhoto } from '../intake/photos.service.js';
import { jpeg } from '../intake/photos.test-support.js';
import type { AlertKind } from './alerts.js';
import { SWEEP_JOB, listAlerts, sweepDeadlines, type SweepResult } from './alerts.service.js';
import { caseRulesOf, moveCase, moveEnforcement, startEnforcement } from './cases.service.js';
import { SQUAD, openTestCase, skeletonUnits, type Units } from './cases.test-support.js';
import type { DocumentKind } from './enforcement.js';

/** The penalty procedure's alerts of a sweep; the case loop's own (its step is long overdue) are not ours here. */
const enforcementAlerts = (r: SweepResult): Partial<Record<AlertKind, number>> =>
  Object.fromEntries(Object.entries(r.alerts).filter(([k]) => k.startsWith('enforcement')));

describe.each(DIALECTS)('penalty procedure deadline sweep [%s]', (dialect) => {
  let deps: TestDeps;
  let u: Units;
  let now = new Date('2026-06-02T02:00:00.000Z'); // a Tuesday, 10:00 in Shanghai
  let dispatcher: Actor;
  let leader: Actor;
  let officer: Actor;
  const ctx = (actor: Actor) => ({ actor, requestId: 'req-test' });
  const rules = () => caseRulesOf(deps);

  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { now: () => now });
    u = await skeletonUnits(deps);
    dispatcher = u.actor('dispatcher', SQUAD);
    leader = u.actor('squadLeader', SQUAD);
    officer = u.actor('officer', SQUAD);
  });
  afterAll(async () => deps?.cleanup());

  const db = () => deps.database.db;
  const sweepAt = (t: Date) => {
    now = t;
    return sweepDeadlines(deps);
  };
  const alertsOf = (caseId: string) =>
    db()
      .selectFrom('case_alert')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('kind', 'like', 'enforcement%')
      .orderBy('created_at')
      .execute();
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
      .where('action', '=', 'cases.sweepEnforcementDeadlines')
      .orderBy('seq')
      .execute();

  /** A case opened (立案) through the loop, its penalty procedure started and its filing approved. */
  const filedCase = async () => {
    const id = await openTestCase(deps, u);
    await moveCase(deps, rules(), ctx(dispatcher), id, { type: 'accept' }, 1);
    await moveCase(deps, rules(), ctx(leader), id, { type: 'open' }, 2);
    let view = await startEnforcement(deps, ctx(officer), id);
    const em = async (actor: Actor, m: Parameters<typeof moveEnforcement>[4]) =>
      (view = await moveEnforcement(deps, rules(), ctx(actor), id, m, view.version));
    let seed = 20;
    const addDocument = async (document: DocumentKind) => {
      const photo = await storePhoto(deps, ctx(officer), { bytes: await jpeg(320, 200, (seed += 1)) });
      return em(officer, { type: 'addDocument', document, attachmentId: photo.id });
    };
    await addDocument('filingApproval');
    await em(leader, { type: 'approveFiling' });
    return { id, em, addDocument, view: () => view };
  };

  it('reminds the squad leader of the decision deadline ahead and when it passed, each once', async () => {
    now = new Date('2026-06-02T02:00:00.000Z');
    const c = await filedCase();
    const deadline = c.view().state.decisionDeadline!;
    expect(deadline.basis).toContain('第60条');
    const due = new Date(deadline.due);
    const dueIso = due.toISOString();
    expect(c.view().dueAt).toBe(dueIso);

    // Right after filing: the decision is 90 days away, nothing to say.
    expect(enforcementAlerts(await sweepAt(now))).toEqual({});
    expect(await alertsOf(c.id)).toEqual([]);

    // Within the lead (a day for a 90-day period): one reminder to the squad leader.
    const audits0 = (await sweepAudits()).length;
    expect(enforcementAlerts(await sweepAt(new Date(due.getTime() - 12 * HOUR_MS)))).toEqual({
      enforcementWarn: 1,
    });
    const [warn, ...others] = await alertsOf(c.id);
    expect(others).toEqual([]);
    expect(warn).toMatchObject({
      kind: 'enforcementWarn',
      dedupe_key: `enforcementWarn:${c.id}:decision:${dueIso}`,
      unit_id: u.id(SQUAD),
      role: 'squadLeader',
      due_at: dueIso,
      read_at: null,
    });
    expect(warn?.message).toMatch(
      /^案件 \S+ 处罚决定应于 \d{4}-\d\d-\d\d 23:59 前作出（依据：行政处罚法 第60条/,
    );
    const audits = await sweepAudits();
    expect(audits).toHaveLength(audits0 + 1);
    expect(audits.at(-1)).toMatchObject({ actor_id: `system:${SWEEP_JOB}`, entity: 'caseAlert' });
    expect(JSON.parse(audits.at(-1)!.summary)).toEqual({
      before: null,
      after: { alerts: { enforcementWarn: 1 }, caseIds: [c.id] },
    });

    // Again before the deadline: nothing new, and nothing written at all.
    const entries = await auditCount();
    expect(await sweepAt(new Date(due.getTime() - 6 * HOUR_MS))).toMatchObject({ alerts: {}, batches: 0 });
    expect(await sweepAt(due)).toMatchObject({ alerts: {}, batches: 0 });
    expect(await auditCount()).toBe(entries);

    // Strictly after the deadline: overdue, once.
    expect(enforcementAlerts(await sweepAt(new Date(due.getTime() + 1)))).toEqual({ enforcementOverdue: 1 });
    const overdueEntries = await auditCount();
    expect(enforcementAlerts(await sweepAt(new Date(due.getTime() + 2 * HOUR_MS)))).toEqual({});
    expect(await auditCount()).toBe(overdueEntries);
    expect((await alertsOf(c.id)).map((a) => [a.kind, a.dedupe_key])).toEqual([
      ['enforcementWarn', `enforcementWarn:${c.id}:decision:${dueIso}`],
      ['enforcementOverdue', `enforcementOverdue:${c.id}:decision:${dueIso}`],
    ]);
    expect(await sweepAudits()).toHaveLength(audits0 + 2);

    // In the squad leader's inbox, current while the case is active; not the dispatcher's business.
    const inbox = await listAlerts(deps, leader);
    const mine = inbox.items.filter((a) => a.caseId === c.id && a.kind.startsWith('enforcement'));
    expect(mine.map((a) => [a.kind, a.current, a.role, a.unit.id]).sort()).toEqual([
      ['enforcementOverdue', true, 'squadLeader', u.id(SQUAD)],
      ['enforcementWarn', true, 'squadLeader', u.id(SQUAD)],
    ]);
    expect(mine.find((a) => a.kind === 'enforcementOverdue')?.message).toContain('处罚决定已于');
    const dispatcherInbox = await listAlerts(deps, dispatcher, { kind: 'enforcementOverdue' });
    expect(dispatcherInbox.items.filter((a) => a.caseId === c.id)).toEqual([]);

    expect((await verifyAuditChain(deps)).ok).toBe(true);
  });

  it('tells the squad leader once the party’s time to pay has passed', async () => {
    now = new Date('2026-07-01T02:00:00.000Z'); // a Wednesday, 10:00 in Shanghai
    const c = await filedCase();
    for (const d of ['onSiteInspectionRecord', 'interviewRecord', 'evidence'] as const)
      await c.addDocument(d);
    await c.em(officer, { type: 'completeInvestigation', officerIds: [officer.id, leader.id] });
    await c.addDocument('priorNotice');
    await c.em(officer, { type: 'serveNotice' });
    await c.em(officer, { type: 'completeDefence', statementMade: false });
    await c.addDocument('decisionDocument');
    await c.em(leader, { type: 'decide', fineCents: 50_000 });
    await c.addDocument('serviceReceipt');
    const served = await c.em(officer, { type: 'serve', partyPresent: false });
    expect(served.state.step).toBe('execution');
    const payment = served.state.paymentDeadline!;
    expect(payment.basis).toContain('第67条');
    const due = new Date(payment.due);
    const dueIso = due.toISOString();
    expect(served.dueAt).toBe(dueIso);

    // The party's own period: no warning ahead, and nothing on its last instant.
    expect(enforcementAlerts(await sweepAt(new Date(due.getTime() - HOUR_MS)))).toEqual({});
    expect(enforcementAlerts(await sweepAt(due))).toEqual({});
    expect(await alertsOf(c.id)).toEqual([]);

    expect(enforcementAlerts(await sweepAt(new Date(due.getTime() + 1)))).toEqual({ enforcementPartyDue: 1 });
    const entries = await auditCount();
    expect(enforcementAlerts(await sweepAt(new Date(due.getTime() + HOUR_MS)))).toEqual({});
    expect(await auditCount()).toBe(entries);
    const alerts = await alertsOf(c.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'enforcementPartyDue',
      dedupe_key: `enforcementPartyDue:${c.id}:payment:${dueIso}`,
      unit_id: u.id(SQUAD),
      role: 'squadLeader',
      due_at: dueIso,
    });
    expect(alerts[0]?.message).toContain('当事人缴纳罚款期限已于');
    expect(alerts[0]?.message).toContain('可催告或申请强制执行');
    const inbox = await listAlerts(deps, leader, { kind: 'enforcementPartyDue' });
    expect(inbox.items.filter((a) => a.caseId === c.id).map((a) => a.current)).toEqual([true]);
    expect((await verifyAuditChain(deps)).ok).toBe(true);
  });
});
