import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../platform/calendar/shanghai-time.js';
import {
  DEFAULT_ALERT_SETTINGS as S,
  alertSettingsOf,
  decideAlerts,
  sweepHorizonMs,
  warnLeadMs,
  type AlertCase,
} from './alerts.js';

const DUE = '2026-03-10T09:30:00.000Z'; // 17:30 in Shanghai
const due = new Date(DUE).getTime();
const at = (offsetMs: number) => new Date(due + offsetMs);

const base = (over: Partial<AlertCase> = {}): AlertCase => ({
  id: 'c1',
  code: 'AJ-1',
  status: 'active',
  step: 'handle',
  // A 4-day period: a quarter is a day, the maximum lead.
  deadline: { due: DUE, from: new Date(due - 96 * HOUR_MS).toISOString(), basis: '处置时限: 1 working day' },
  reporterDeadline: null,
  overdueSince: null,
  escalationLevel: 0,
  units: { handling: 'u-ws', responsible: 'u-resp', squad: 'u-squad', bureau: 'u-bureau' },
  ...over,
});

const kinds = (c: AlertCase, now: Date) => decideAlerts(c, now, S).alerts.map((a) => a.kind);

describe('alertSettingsOf', () => {
  it('takes the share and the limits from the configuration, and the defaults are the configuration’s defaults', () => {
    expect(alertSettingsOf({ warnPercent: 25, leaderHours: 24, bureauHours: 48 })).toEqual(S);
    expect(alertSettingsOf({ warnPercent: 10, leaderHours: 4, bureauHours: 8 })).toMatchObject({
      warnShare: 0.1,
      escalateLeaderAfterMs: 4 * HOUR_MS,
      escalateBureauAfterMs: 8 * HOUR_MS,
    });
  });
});

describe('warnLeadMs', () => {
  it('is the share of the period, within its bounds', () => {
    const d = new Date(due);
    expect(warnLeadMs(d, new Date(due - 8 * HOUR_MS), S)).toBe(2 * HOUR_MS);
    expect(warnLeadMs(d, new Date(due - 4 * HOUR_MS), S)).toBe(HOUR_MS);
    // A quarter of an hour would be too late to act: the minimum lead.
    expect(warnLeadMs(d, new Date(due - 60 * MINUTE_MS), S)).toBe(S.warnLeadMinMs);
    expect(warnLeadMs(d, new Date(due - 30 * 24 * HOUR_MS), S)).toBe(S.warnLeadMaxMs);
  });
  it('is the maximum when the start is unknown or not before the deadline', () => {
    const d = new Date(due);
    expect(warnLeadMs(d, null, S)).toBe(S.warnLeadMaxMs);
    expect(warnLeadMs(d, new Date(due + 1), S)).toBe(S.warnLeadMaxMs);
  });
  it('never exceeds the sweep horizon', () => {
    expect(sweepHorizonMs(S)).toBe(S.warnLeadMaxMs);
  });
});

describe('decideAlerts: the step deadline', () => {
  it('says nothing before the warning time', () => {
    const d = decideAlerts(base(), at(-24 * HOUR_MS - 1), S);
    expect(d).toEqual({ alerts: [], overdueSince: null, escalationLevel: 0 });
  });

  it('warns the handling unit from the warning time up to the deadline itself', () => {
    for (const t of [-24 * HOUR_MS, -1, 0]) {
      const d = decideAlerts(base(), at(t), S);
      expect(d.alerts).toHaveLength(1);
      expect(d.alerts[0]).toMatchObject({
        kind: 'warn',
        unitId: 'u-ws',
        role: null,
        caseId: 'c1',
        dueAt: DUE,
      });
      expect(d.overdueSince).toBeNull();
    }
  });

  it('writes the text in Chinese with the code, the step, the Shanghai deadline and its basis', () => {
    const [w] = decideAlerts(base(), at(-HOUR_MS), S).alerts;
    expect(w?.message).toBe('案件 AJ-1 处置 将于 2026-03-10 17:30 到期（依据：处置时限: 1 working day）');
  });

  it('scales the lead with the period: a 2-hour step is warned 30 minutes ahead, not a day', () => {
    const short = base({
      deadline: { due: DUE, from: new Date(due - 2 * HOUR_MS).toISOString(), basis: null },
    });
    expect(kinds(short, at(-31 * MINUTE_MS))).toEqual([]);
    expect(kinds(short, at(-30 * MINUTE_MS))).toEqual(['warn']);
    expect(decideAlerts(short, at(-MINUTE_MS), S).alerts[0]?.message).toContain('依据：未载明');
  });

  it('marks overdue the first instant after the deadline and tells the owner', () => {
    const d = decideAlerts(base(), at(1), S);
    expect(d.alerts.map((a) => [a.kind, a.unitId])).toEqual([['overdue', 'u-ws']]);
    expect(d.alerts[0]?.message).toBe(
      '案件 AJ-1 处置 已于 2026-03-10 17:30 超期（依据：处置时限: 1 working day）',
    );
    // The mark is the deadline it passed, not the sweep's time: a late sweep marks the same.
    expect(d.overdueSince).toBe(DUE);
    expect(decideAlerts(base(), at(5 * HOUR_MS), S).overdueSince).toBe(DUE);
    expect(d.escalationLevel).toBe(0);
  });

  it('keeps an existing overdue mark', () => {
    const d = decideAlerts(base({ overdueSince: '2026-03-10T09:30:00Z' }), at(HOUR_MS), S);
    expect(d.overdueSince).toBe('2026-03-10T09:30:00Z');
  });

  it('escalates to the squad leader after escalateLeaderAfterMs, then to the bureau a further escalateBureauAfterMs', () => {
    const L = S.escalateLeaderAfterMs;
    const B = L + S.escalateBureauAfterMs;
    expect(kinds(base(), at(L))).toEqual(['overdue']);
    const leader = decideAlerts(base(), at(L + 1), S);
    expect(leader.alerts.map((a) => [a.kind, a.unitId, a.role])).toEqual([
      ['overdue', 'u-ws', null],
      ['escalateLeader', 'u-squad', 'squadLeader'],
    ]);
    expect(leader.escalationLevel).toBe(1);
    expect(leader.alerts[1]?.message).toBe(
      '督办：案件 AJ-1 处置 超期已逾 1 天（期限 2026-03-10 17:30，依据：处置时限: 1 working day）',
    );
    expect(decideAlerts(base(), at(B), S).escalationLevel).toBe(1);
    const bureau = decideAlerts(base(), at(B + 1), S);
    expect(bureau.alerts.map((a) => [a.kind, a.unitId, a.role])).toEqual([
      ['overdue', 'u-ws', null],
      ['escalateLeader', 'u-squad', 'squadLeader'],
      ['escalateBureau', 'u-bureau', null],
    ]);
    expect(bureau.escalationLevel).toBe(2);
    expect(bureau.alerts[2]?.message).toContain('超期已逾 3 天');
  });

  it('after a long outage sends every alert that fell due, but no warning for a deadline already passed', () => {
    expect(kinds(base(), at(30 * 24 * HOUR_MS))).toEqual(['overdue', 'escalateLeader', 'escalateBureau']);
  });

  it('never lowers the escalation level', () => {
    expect(decideAlerts(base({ escalationLevel: 2 }), at(1), S).escalationLevel).toBe(2);
  });

  it('escalates to the bureau leader when no squad holds the case', () => {
    const c = base({ units: { handling: null, responsible: 'u-dept', squad: null, bureau: 'u-bureau' } });
    const d = decideAlerts(c, at(S.escalateLeaderAfterMs + 1), S);
    expect(d.alerts.map((a) => [a.kind, a.unitId, a.role])).toEqual([
      ['overdue', 'u-dept', null],
      ['escalateLeader', 'u-bureau', 'bureauLeader'],
    ]);
  });

  it('addresses the step to its owner: handling to the unit dispatched to, every other step to the desk', () => {
    const owner = (over: Partial<AlertCase>) => decideAlerts(base(over), at(1), S).alerts[0]?.unitId;
    expect(owner({ step: 'handle' })).toBe('u-ws');
    expect(
      owner({
        step: 'handle',
        units: { handling: null, responsible: 'u-resp', squad: 'u-squad', bureau: 'u-bureau' },
      }),
    ).toBe('u-resp');
    expect(
      owner({
        step: 'handle',
        units: { handling: null, responsible: null, squad: null, bureau: 'u-bureau' },
      }),
    ).toBe('u-bureau');
    for (const step of [
      'collect',
      'onSiteCheck',
      'open',
      'dispatch',
      'verify',
      'close',
      'evaluate',
    ] as const) {
      expect(owner({ step })).toBe('u-squad');
      expect(
        owner({ step, units: { handling: 'u-ws', responsible: 'u-resp', squad: null, bureau: 'u-bureau' } }),
      ).toBe('u-bureau');
    }
  });

  it('is silent for a case that is not active (suspended: the clock stops), has ended, or has no deadline', () => {
    for (const status of ['suspended', 'closed', 'voided', 'rejected', 'declined']) {
      expect(decideAlerts(base({ status }), at(10 * 24 * HOUR_MS), S)).toEqual({
        alerts: [],
        overdueSince: null,
        escalationLevel: 0,
      });
    }
    expect(kinds(base({ step: 'ended' }), at(1))).toEqual([]);
    expect(kinds(base({ deadline: null }), at(1))).toEqual([]);
    expect(kinds(base({ deadline: { due: 'not a time', from: null, basis: null } }), at(1))).toEqual([]);
  });

  it('keys each alert by kind, case, step and deadline instant: the same deadline never alerts twice, a new one does', () => {
    const keys = (c: AlertCase, t: number) => decideAlerts(c, at(t), S).alerts.map((a) => a.dedupeKey);
    expect(keys(base(), -HOUR_MS)).toEqual([`warn:c1:handle:${DUE}`]);
    expect(keys(base(), -2 * HOUR_MS)).toEqual(keys(base(), -HOUR_MS));
    // The same instant written with an offset is the same deadline.
    expect(
      keys(base({ deadline: { due: '2026-03-10T17:30:00+08:00', from: null, basis: null } }), -HOUR_MS),
    ).toEqual([`warn:c1:handle:${DUE}`]);
    const later = new Date(due + 24 * HOUR_MS).toISOString();
    expect(keys(base({ deadline: { due: later, from: null, basis: null } }), 0)).toEqual([
      `warn:c1:handle:${later}`,
    ]);
    // A rework back to the same step with a new deadline, or a new step with the same instant: new keys.
    expect(keys(base({ step: 'verify' }), 1)).toEqual([`overdue:c1:verify:${DUE}`]);
    const all = keys(base(), 10 * 24 * HOUR_MS);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('decideAlerts: the 第26条 reporter deadline', () => {
  const R = '2026-03-16T15:59:59.999Z'; // 23:59:59.999 in Shanghai
  const r = new Date(R).getTime();
  const withReporter = (over: Partial<AlertCase> = {}) =>
    base({
      deadline: null,
      reporterDeadline: { due: R, from: new Date(r - 7 * 24 * HOUR_MS).toISOString(), basis: null },
      ...over,
    });

  it('warns the dispatching desk ahead, and again when it passed untold', () => {
    expect(decideAlerts(withReporter(), new Date(r - 24 * HOUR_MS - 1), S).alerts).toEqual([]);
    const w = decideAlerts(withReporter(), new Date(r - HOUR_MS), S);
    expect(w.alerts).toEqual([
      {
        dedupeKey: `reporterWarn:c1:${R}`,
        kind: 'reporterWarn',
        caseId: 'c1',
        unitId: 'u-squad',
        role: null,
        dueAt: R,
        message:
          '案件 AJ-1 应于 2026-03-16 23:59 前将核查情况告知举报人（依据：上海市城市管理行政执法条例 第26条）',
      },
    ]);
    const o = decideAlerts(withReporter(), new Date(r + 1), S);
    expect(o.alerts.map((a) => [a.kind, a.unitId, a.dedupeKey])).toEqual([
      ['reporterOverdue', 'u-squad', `reporterOverdue:c1:${R}`],
    ]);
    expect(o.alerts[0]?.message).toBe(
      '案件 AJ-1 未在 2026-03-16 23:59 前将核查情况告知举报人（依据：上海市城市管理行政执法条例 第26条）',
    );
    // The reporter's deadline neither marks the case overdue nor escalates it.
    expect(o.overdueSince).toBeNull();
    expect(o.escalationLevel).toBe(0);
  });

  it('goes to the bureau when no squad holds the case, and uses the basis the case states', () => {
    const c = withReporter({
      units: { handling: null, responsible: null, squad: null, bureau: 'u-bureau' },
      reporterDeadline: { due: R, from: null, basis: '第26条: 5 working days' },
    });
    const [a] = decideAlerts(c, new Date(r - HOUR_MS), S).alerts;
    expect(a?.unitId).toBe('u-bureau');
    expect(a?.message).toContain('依据：第26条: 5 working days');
  });

  it('comes alongside the step alerts, each with its own key', () => {
    const c = withReporter({ deadline: base().deadline });
    expect(decideAlerts(c, at(1), S).alerts.map((a) => a.kind)).toEqual(['overdue']);
    expect(decideAlerts(c, new Date(r + 1), S).alerts.map((a) => a.kind)).toEqual([
      'overdue',
      'escalateLeader',
      'escalateBureau',
      'reporterOverdue',
    ]);
  });
});
