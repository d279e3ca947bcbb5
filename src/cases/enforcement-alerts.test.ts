import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import { DAY_MS, HOUR_MS, parseInstant } from '../platform/calendar/shanghai-time.js';
import { DEFAULT_ALERT_SETTINGS as S } from './alerts.js';
import {
  applyEnforcementMove,
  startEnforcement,
  type DocumentKind,
  type EnforcementActor,
  type EnforcementMove,
  type EnforcementState,
} from './enforcement.js';
import {
  decideEnforcementAlerts,
  pendingEnforcementDeadlines,
  type AlertEnforcement,
} from './enforcement-alerts.js';

const calendar = createWorkCalendar();
const officer: EnforcementActor = { id: 'o1', role: 'officer' };
const leader: EnforcementActor = { id: 'l1', role: 'squadLeader' };

/** One scripted move: who, what, when (Shanghai wall-clock, '2026-03-02 09:00'). */
type Line = [EnforcementActor, EnforcementMove, string];
const when = (t: string): Date => parseInstant(`${t.replace(' ', 'T')}:00+08:00`);
const doc = (document: DocumentKind, t: string): Line => [
  officer,
  { type: 'addDocument', document, attachmentId: `att-${document}` },
  t,
];
const play = (lines: Line[], start: EnforcementState = startEnforcement('c-1')): EnforcementState =>
  lines.reduce((s, [actor, move, t]) => applyEnforcementMove(s, move, actor, when(t), calendar).state, start);

// Filed 03-02, decision due 06-01 (行政处罚法 第60条, see enforcement.test.ts).
const FILED: Line[] = [
  doc('filingApproval', '2026-03-02 08:50'),
  [leader, { type: 'approveFiling' }, '2026-03-02 09:00'],
];
const NOTIFIED: Line[] = [
  ...FILED,
  doc('onSiteInspectionRecord', '2026-03-03 10:00'),
  doc('interviewRecord', '2026-03-04 10:00'),
  doc('evidence', '2026-03-04 11:00'),
  [officer, { type: 'completeInvestigation', officerIds: ['o1', 'o2'] }, '2026-03-10 10:00'],
  doc('priorNotice', '2026-03-16 09:00'),
  [officer, { type: 'serveNotice' }, '2026-03-16 10:00'],
];
// Decided 03-25: service due 04-03 (第61条); served 03-27: payment due 04-13 (第67条).
const DECIDED: Line[] = [
  ...NOTIFIED,
  doc('statementRecord', '2026-03-18 10:00'),
  [officer, { type: 'completeDefence', statementMade: true }, '2026-03-18 11:00'],
  doc('decisionDocument', '2026-03-25 09:00'),
  [leader, { type: 'decide', fineCents: 200_000 }, '2026-03-25 10:00'],
];
const SERVED: Line[] = [
  ...DECIDED,
  doc('serviceReceipt', '2026-03-27 10:00'),
  [officer, { type: 'serve', partyPresent: false }, '2026-03-27 11:00'],
];

const filed = play(FILED);
const decided = play(DECIDED);
const served = play(SERVED);
const dueOf = (d: { due: string } | null): number => Date.parse(d!.due);

const procedure = (state: EnforcementState, over: Partial<AlertEnforcement> = {}): AlertEnforcement => ({
  caseId: 'c-1',
  caseCode: 'AJ-1',
  caseStatus: 'active',
  state,
  units: { squad: 'u-squad', bureau: 'u-bureau' },
  ...over,
});
const decide = (state: EnforcementState, t: number, over: Partial<AlertEnforcement> = {}) =>
  decideEnforcementAlerts(procedure(state, over), new Date(t), S);
const kinds = (state: EnforcementState, t: number) =>
  decide(state, t).map((a) => `${a.kind}:${a.dedupeKey.split(':')[2]}`);
const names = (s: EnforcementState) => pendingEnforcementDeadlines(s).map((p) => [p.name, p.ours]);

describe('pendingEnforcementDeadlines', () => {
  it('follows the procedure: the decision until decided, the party’s periods and service in their steps', () => {
    expect(names(startEnforcement('c-1'))).toEqual([]); // not filed: no 第60条 clock yet
    expect(names(filed)).toEqual([['decision', true]]);
    expect(pendingEnforcementDeadlines(filed)[0]?.deadline).toBe(filed.decisionDeadline);
    // No hearing right: the defence has no hearing-request period.
    expect(names(play(NOTIFIED))).toEqual([['decision', true]]);
    expect(names(decided)).toEqual([['service', true]]);
    expect(names(served)).toEqual([['payment', false]]);
  });

  it('the hearing request while the defence is open, until the party waives its rights', () => {
    const defence = play(NOTIFIED, startEnforcement('c-1', { hearingRight: true }));
    expect(defence.step).toBe('defence');
    expect(names(defence)).toEqual([
      ['decision', true],
      ['hearingRequest', false],
    ]);
    const waived = play(
      [[officer, { type: 'waiveRights', note: '当事人放弃' }, '2026-03-17 10:00']],
      defence,
    );
    expect(names(waived)).toEqual([['decision', true]]);
  });

  it('no decision deadline once the procedure ends without a penalty (no decision is owed)', () => {
    const ended = play([
      ...FILED,
      [leader, { type: 'noPenalty', reason: '违法行为轻微并及时改正' }, '2026-03-20 10:00'],
    ]);
    expect(ended.outcome).toBe('noPenalty');
    expect(names(ended)).toEqual([]);
    expect(decide(ended, dueOf(filed.decisionDeadline) + DAY_MS)).toEqual([]);
  });

  it('no decision deadline while the clock is stopped', () => {
    const stopped = play([[leader, { type: 'suspendClock', reason: '鉴定' }, '2026-03-05 10:00']], filed);
    expect(names(stopped)).toEqual([]);
    const resumed = play([[leader, { type: 'resumeClock' }, '2026-03-09 10:00']], stopped);
    expect(names(resumed)).toEqual([['decision', true]]);
  });

  it('execution: payment, then the demand and the demolition notice', () => {
    const structure = play(SERVED, startEnforcement('c-1', { illegalStructure: true }));
    const noticed = play(
      [
        doc('demolitionNotice', '2026-03-30 09:00'),
        [officer, { type: 'publishDemolitionNotice' }, '2026-03-30 10:00'],
        doc('demandNotice', '2026-04-14 09:00'),
        [officer, { type: 'demand' }, '2026-04-14 10:00'],
      ],
      structure,
    );
    expect(names(noticed)).toEqual([
      ['payment', false],
      ['demand', false],
      ['demolitionNotice', false],
    ]);
  });

  it('nothing once the procedure is closed', () => {
    const closed = play(
      [
        doc('paymentReceipt', '2026-04-10 10:00'),
        [leader, { type: 'completeExecution', outcome: 'paid' }, '2026-04-10 11:00'],
        doc('closingApproval', '2026-04-13 10:00'),
        [leader, { type: 'closeCase' }, '2026-04-13 11:00'],
      ],
      served,
    );
    expect(closed.closedAt).not.toBeNull();
    expect(names(closed)).toEqual([]);
    const declined = play([[leader, { type: 'declineFiling', reason: '不予立案' }, '2026-03-02 09:00']]);
    expect(names(declined)).toEqual([]);
  });
});

describe('decideEnforcementAlerts', () => {
  const decisionDue = dueOf(filed.decisionDeadline);
  const decisionIso = new Date(decisionDue).toISOString();

  it('warns the squad leader within the lead of the decision deadline, and reports it overdue strictly after', () => {
    expect(decisionIso).toBe('2026-06-01T15:59:59.999Z');
    // A 90-day period: a quarter is far more than the maximum lead, a day.
    expect(decide(filed, decisionDue - S.warnLeadMaxMs - 1)).toEqual([]);
    const [warn, ...rest] = decide(filed, decisionDue - S.warnLeadMaxMs);
    expect(rest).toEqual([]);
    expect(warn).toEqual({
      dedupeKey: `enforcementWarn:c-1:decision:${decisionIso}`,
      kind: 'enforcementWarn',
      caseId: 'c-1',
      unitId: 'u-squad',
      role: 'squadLeader',
      dueAt: decisionIso,
      message:
        '案件 AJ-1 处罚决定应于 2026-06-01 23:59 前作出（依据：行政处罚法 第60条：自立案之日起九十日内作出行政处罚决定）',
    });
    expect(kinds(filed, decisionDue)).toEqual(['enforcementWarn:decision']);

    const [overdue] = decide(filed, decisionDue + 1);
    expect(overdue).toMatchObject({
      dedupeKey: `enforcementOverdue:c-1:decision:${decisionIso}`,
      kind: 'enforcementOverdue',
      unitId: 'u-squad',
      role: 'squadLeader',
    });
    expect(overdue?.message).toBe(
      '案件 AJ-1 处罚决定已于 2026-06-01 23:59 超期（依据：行政处罚法 第60条：自立案之日起九十日内作出行政处罚决定）',
    );
    expect(kinds(filed, decisionDue + 30 * DAY_MS)).toEqual(['enforcementOverdue:decision']);
  });

  it('reckons the lead from the period’s own start', () => {
    const wide = { ...S, warnLeadMaxMs: 60 * DAY_MS };
    const lead = (decisionDue - Date.parse(filed.decisionDeadline!.from)) * wide.warnShare;
    const at = (t: number) => decideEnforcementAlerts(procedure(filed), new Date(t), wide).map((a) => a.kind);
    const start = Math.ceil(decisionDue - lead); // 22.5 days ahead, to the millisecond
    expect(decisionDue - start).toBeGreaterThan(22 * DAY_MS);
    expect(at(start - 1)).toEqual([]);
    expect(at(start)).toEqual(['enforcementWarn']);
  });

  it('warns of the service deadline in the service step and reports it when missed', () => {
    const serviceDue = dueOf(decided.serviceDeadline);
    expect(new Date(serviceDue).toISOString()).toBe('2026-04-03T15:59:59.999Z');
    // The decision is made: its deadline is no longer reminded, even when it would be near.
    expect(decide(decided, serviceDue - S.warnLeadMaxMs - 1)).toEqual([]);
    const [warn] = decide(decided, serviceDue - HOUR_MS);
    expect(warn).toMatchObject({
      kind: 'enforcementWarn',
      dedupeKey: `enforcementWarn:c-1:service:${new Date(serviceDue).toISOString()}`,
      role: 'squadLeader',
    });
    expect(warn?.message).toContain('案件 AJ-1 送达期限将于 2026-04-03 23:59 届满');
    expect(warn?.message).toContain('第61条');
    expect(kinds(decided, serviceDue + 1)).toEqual(['enforcementOverdue:service']);
    expect(decide(decided, serviceDue + 1)[0]?.message).toContain('送达期限已于 2026-04-03 23:59 超期');
    // Served: the service deadline is met, whenever.
    expect(decide(served, serviceDue + 1).map((a) => a.kind)).toEqual([]);
  });

  it('gives the party’s periods only a notice, once they ended', () => {
    const paymentDue = dueOf(served.paymentDeadline);
    const paymentIso = new Date(paymentDue).toISOString();
    expect(paymentIso).toBe('2026-04-13T15:59:59.999Z');
    // No warning ahead: the period is the party's, not the squad's to meet.
    expect(decide(served, paymentDue - HOUR_MS)).toEqual([]);
    expect(decide(served, paymentDue)).toEqual([]);
    const [due, ...rest] = decide(served, paymentDue + 1);
    expect(rest).toEqual([]);
    expect(due).toEqual({
      dedupeKey: `enforcementPartyDue:c-1:payment:${paymentIso}`,
      kind: 'enforcementPartyDue',
      caseId: 'c-1',
      unitId: 'u-squad',
      role: 'squadLeader',
      dueAt: paymentIso,
      message:
        '案件 AJ-1 当事人缴纳罚款期限已于 2026-04-13 23:59 届满，可催告或申请强制执行（依据：行政处罚法 第67条：自收到处罚决定书之日起十五日内缴纳罚款）',
    });

    // The demand's own period (行政强制法 第54条) ends later, with its own notice.
    const demanded = play(
      [doc('demandNotice', '2026-04-14 09:00'), [officer, { type: 'demand' }, '2026-04-14 10:00']],
      served,
    );
    const demandDue = dueOf(demanded.demandDeadline);
    expect(kinds(demanded, demandDue)).toEqual(['enforcementPartyDue:payment']);
    expect(kinds(demanded, demandDue + 1)).toEqual([
      'enforcementPartyDue:payment',
      'enforcementPartyDue:demand',
    ]);
    expect(decide(demanded, demandDue + 1)[1]?.message).toContain('当事人催告期限已于');

    // The hearing request (第64条): the defence may close once it ended.
    const defence = play(NOTIFIED, startEnforcement('c-1', { hearingRight: true }));
    const hearingDue = dueOf(defence.hearingRequestDeadline);
    expect(kinds(defence, hearingDue)).toEqual([]);
    expect(kinds(defence, hearingDue + 1)).toEqual(['enforcementPartyDue:hearingRequest']);
    expect(decide(defence, hearingDue + 1)[0]?.message).toContain('当事人听证申请期限已于');
  });

  it('nothing for a closed procedure or a case that is not active', () => {
    expect(decide(filed, decisionDue + 1, { caseStatus: 'suspended' })).toEqual([]);
    expect(decide(filed, decisionDue + 1, { caseStatus: 'closed' })).toEqual([]);
    expect(decide(served, dueOf(served.paymentDeadline) + 1, { caseStatus: 'suspended' })).toEqual([]);
    const closed = { ...served, step: 'archived' as const, closedAt: '2026-04-20T10:00:00.000+08:00' };
    expect(decide(closed, dueOf(served.paymentDeadline) + 1)).toEqual([]);
  });

  it('goes to the bureau’s leader when no squad holds the case', () => {
    const alerts = decide(filed, decisionDue + 1, { units: { squad: null, bureau: 'u-bureau' } });
    expect(alerts).toMatchObject([{ kind: 'enforcementOverdue', unitId: 'u-bureau', role: 'bureauLeader' }]);
  });

  it('names the deadline and its instant in the dedupe key: an extended decision period is a new alert', () => {
    const extended = play(
      [
        doc('extensionApproval', '2026-05-20 09:00'),
        [
          leader,
          { type: 'extendDecision', reason: '案情复杂', extension: { n: 30, unit: 'day' } },
          '2026-05-20 10:00',
        ],
      ],
      filed,
    );
    const newDue = dueOf(extended.decisionDeadline);
    expect(newDue).toBeGreaterThan(decisionDue);
    const before = decide(filed, decisionDue + 1).map((a) => a.dedupeKey);
    const after = decide(extended, newDue + 1).map((a) => a.dedupeKey);
    expect(before).toEqual([`enforcementOverdue:c-1:decision:${decisionIso}`]);
    expect(after).toEqual([`enforcementOverdue:c-1:decision:${new Date(newDue).toISOString()}`]);
    // At the old deadline the extended one is still far off: nothing.
    expect(decide(extended, decisionDue + 1)).toEqual([]);
  });
});
