/**
 * Reminders, overdue marks and escalation of case deadlines (issue 5 item 5), as pure rules: given one
 * case's deadlines and `now`, which alerts are due and which marks the case must carry. No clock, no I/O.
 *
 * Every alert has a dedupe key that names the deadline instant it refers to, so the unique index on
 * `case_alert.dedupe_key` lets each alert in exactly once however many sweeps run, and a move that sets a
 * new deadline gets alerts of its own. Escalation times are reckoned from the deadline itself, not from
 * when a sweep happened to run: a sweep after downtime catches up with everything that fell due meanwhile.
 */
import type { Role } from '../access/roles.js';
import { HOUR_MS, MINUTE_MS, formatShanghai } from '../platform/calendar/shanghai-time.js';
import type { CaseStep } from './case-loop.js';

export const ALERT_KINDS = [
  'warn', // the current step's deadline is near: to the owner of the step
  'overdue', // the deadline passed unmet: to the owner; the case is marked overdue
  'escalateLeader', // still overdue after escalateLeaderAfterMs: to the squad leader (督办)
  'escalateBureau', // still overdue a further escalateBureauAfterMs: to the bureau
  'reporterWarn', // 第26条: the reporter must be told soon: to the dispatching desk
  'reporterOverdue', // 第26条: the reporter was not told in time: to the dispatching desk
  'deliveryAckWarn', // a dual report's delivery must be acknowledged soon (working rule): to its recipient
  'deliveryAckOverdue', // a dual report's delivery was not acknowledged in time: to its recipient
  'deliveryOnSiteWarn', // 上海市拆除违法建筑若干规定 第7条: the recipient must be on site soon
  'deliveryOnSiteOverdue', // 上海市拆除违法建筑若干规定 第7条: the recipient was not on site in time
  'enforcementWarn', // 行政处罚法 第60条, 第61条: the decision or service is due soon: to the squad leader
  'enforcementOverdue', // 行政处罚法 第60条, 第61条: the decision or service is late: to the squad leader
  'enforcementPartyDue', // a party's period (payment, demand …) ended, the next step is open: to the squad leader
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertSettings {
  /**
   * The warning comes when this share of the step's period is left: a 2-hour on-site check is warned
   * 30 minutes ahead, a 5-working-day step a day ahead. A fixed lead would either warn a short step at
   * its very start or a long one too late to act.
   */
  warnShare: number;
  /** Bounds of the lead: never closer to the deadline than min, never earlier than max. */
  warnLeadMinMs: number;
  /** Also the lead of a deadline whose period start is unknown, and the sweep's look-ahead. */
  warnLeadMaxMs: number;
  /** Overdue this long: escalate to the squad leader. */
  escalateLeaderAfterMs: number;
  /** A further this long after the squad leader's escalation: escalate to the bureau. */
  escalateBureauAfterMs: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  warnShare: 0.25,
  warnLeadMinMs: 30 * MINUTE_MS,
  warnLeadMaxMs: 24 * HOUR_MS,
  escalateLeaderAfterMs: 24 * HOUR_MS,
  escalateBureauAfterMs: 48 * HOUR_MS,
};

/** The settings from the configuration (ONEGRID_ALERT_*): the lead's share and the escalation limits. */
export const alertSettingsOf = (c: {
  warnPercent: number;
  leaderHours: number;
  bureauHours: number;
}): AlertSettings => ({
  ...DEFAULT_ALERT_SETTINGS,
  warnShare: c.warnPercent / 100,
  escalateLeaderAfterMs: c.leaderHours * HOUR_MS,
  escalateBureauAfterMs: c.bureauHours * HOUR_MS,
});

/** One deadline of a case: the instant, when its period began (if known), and its legal basis. */
export interface DeadlineRef {
  due: string;
  from: string | null;
  basis: string | null;
}

/** What the rules need of a case; the store builds it from the case_file columns. */
export interface AlertCase {
  id: string;
  code: string;
  status: string;
  step: CaseStep;
  /** The current step's deadline (due_at). */
  deadline: DeadlineRef | null;
  /** 上海市城市管理行政执法条例 第26条: when the reporter must be told (reporter_due_at). */
  reporterDeadline: DeadlineRef | null;
  overdueSince: string | null;
  escalationLevel: number;
  units: {
    /** handling_unit_id: the unit a second-level dispatch sent the case to. */
    handling: string | null;
    responsible: string | null;
    /** The squad whose scope holds the case: the dispatching desk and its 值班长. */
    squad: string | null;
    /** The bureau: the root unit. */
    bureau: string;
  };
}

export interface AlertDraft {
  dedupeKey: string;
  kind: AlertKind;
  caseId: string;
  unitId: string;
  /** Which role in the unit; null: anyone there. */
  role: Role | null;
  /** The deadline the alert is about, UTC ISO. */
  dueAt: string;
  message: string;
}

export interface AlertDecision {
  alerts: AlertDraft[];
  /** The overdue mark the case must carry (the deadline instant it passed), or null. */
  overdueSince: string | null;
  /** 0 none, 1 squad leader, 2 bureau; never lower than the case's current level. */
  escalationLevel: number;
}

/** How the console names the steps (GB/T 30428 环节). */
export const STEP_NAMES_ZH: Record<CaseStep, string> = {
  collect: '受理',
  onSiteCheck: '核实',
  open: '立案',
  dispatch: '派遣',
  handle: '处置',
  verify: '核查',
  close: '结案',
  evaluate: '评价',
  ended: '已结束',
};

const REPORTER_BASIS = '上海市城市管理行政执法条例 第26条';

/** How far ahead a sweep must look: no warning comes earlier than this before its deadline. */
export const sweepHorizonMs = (s: AlertSettings): number => s.warnLeadMaxMs;

/** The lead of a deadline's warning: warnShare of its period, within [min, max]; max when the start is unknown. */
export function warnLeadMs(due: Date, from: Date | null, s: AlertSettings): number {
  if (from === null || !(from < due)) return s.warnLeadMaxMs;
  const lead = (due.getTime() - from.getTime()) * s.warnShare;
  return Math.min(s.warnLeadMaxMs, Math.max(s.warnLeadMinMs, lead));
}

/** A stored instant as a Date, or null when absent or unreadable. */
export const instantOrNull = (text: string | null): Date | null => {
  if (text === null) return null;
  const d = new Date(text);
  return Number.isFinite(d.getTime()) ? d : null;
};
const instant = instantOrNull;

/** Where `now` stands against one deadline: before its warning, inside the warning lead, or past it. */
export type DeadlinePhase = 'quiet' | 'warn' | 'overdue';

/**
 * The phase of a deadline at `now`. A deadline is the last instant inside the period (deadline.ts): overdue
 * strictly after it. Every sweep (cases, deliveries, the penalty procedure) decides with this.
 */
export function deadlinePhase(due: Date, from: Date | null, now: Date, s: AlertSettings): DeadlinePhase {
  const t = now.getTime();
  const d = due.getTime();
  if (t > d) return 'overdue';
  return t >= d - warnLeadMs(due, from, s) ? 'warn' : 'quiet';
}

/** 2026-03-10 17:30, Shanghai time: how a person reads a deadline. */
export const shownShanghai = (d: Date): string => formatShanghai(d).slice(0, 16).replace('T', ' ');
const shown = shownShanghai;

const span = (ms: number): string =>
  ms % (24 * HOUR_MS) === 0 ? `${ms / (24 * HOUR_MS)} 天` : `${Math.round(ms / HOUR_MS)} 小时`;

/**
 * The alerts due for one case at `now`, and the marks it must carry. Only an active case is reminded:
 * a suspended one (挂账) has its clock stopped, a closed one is done. A warning whose deadline has already
 * passed is not sent (the overdue alert says more); the escalations after a long outage all come at once.
 */
export function decideAlerts(
  c: AlertCase,
  now: Date,
  s: AlertSettings = DEFAULT_ALERT_SETTINGS,
): AlertDecision {
  const alerts: AlertDraft[] = [];
  let overdueSince: string | null = null;
  let level = c.escalationLevel;
  if (c.status !== 'active') return { alerts, overdueSince: c.overdueSince, escalationLevel: level };

  const t = now.getTime();
  const squadOrBureau = c.units.squad ?? c.units.bureau;
  // No squad holds the case (a department's, say): its desk is the bureau, and so is its leader.
  const leader = c.units.squad
    ? { unitId: c.units.squad, role: 'squadLeader' as const }
    : { unitId: c.units.bureau, role: 'bureauLeader' as const };
  const step = STEP_NAMES_ZH[c.step];
  const due = c.deadline ? instant(c.deadline.due) : null;
  if (c.deadline && due && c.step !== 'ended') {
    const dueAt = due.toISOString();
    const basis = c.deadline.basis ?? '未载明';
    // Only handling (处置) belongs to the unit the case was dispatched to; every other step is the desk's.
    const owner =
      c.step === 'handle' ? (c.units.handling ?? c.units.responsible ?? squadOrBureau) : squadOrBureau;
    const add = (kind: AlertKind, unitId: string, role: Role | null, message: string) =>
      alerts.push({
        dedupeKey: `${kind}:${c.id}:${c.step}:${dueAt}`,
        kind,
        caseId: c.id,
        unitId,
        role,
        dueAt,
        message,
      });
    const d = due.getTime();
    const leaderAt = d + s.escalateLeaderAfterMs;
    const bureauAt = leaderAt + s.escalateBureauAfterMs;
    const phase = deadlinePhase(due, instant(c.deadline.from), now, s);
    if (phase === 'warn') {
      add('warn', owner, null, `案件 ${c.code} ${step} 将于 ${shown(due)} 到期（依据：${basis}）`);
    } else if (phase === 'overdue') {
      overdueSince = c.overdueSince ?? dueAt;
      add('overdue', owner, null, `案件 ${c.code} ${step} 已于 ${shown(due)} 超期（依据：${basis}）`);
      if (t > leaderAt) {
        level = Math.max(level, 1);
        add(
          'escalateLeader',
          leader.unitId,
          leader.role,
          `督办：案件 ${c.code} ${step} 超期已逾 ${span(s.escalateLeaderAfterMs)}（期限 ${shown(due)}，依据：${basis}）`,
        );
      }
      if (t > bureauAt) {
        level = Math.max(level, 2);
        add(
          'escalateBureau',
          c.units.bureau,
          null,
          `局督办：案件 ${c.code} ${step} 超期已逾 ${span(s.escalateLeaderAfterMs + s.escalateBureauAfterMs)}（期限 ${shown(due)}，依据：${basis}）`,
        );
      }
    }
  }

  const rDue = c.reporterDeadline ? instant(c.reporterDeadline.due) : null;
  if (c.reporterDeadline && rDue) {
    const dueAt = rDue.toISOString();
    const basis = c.reporterDeadline.basis ?? REPORTER_BASIS;
    const add = (kind: AlertKind, message: string) =>
      alerts.push({
        dedupeKey: `${kind}:${c.id}:${dueAt}`,
        kind,
        caseId: c.id,
        unitId: squadOrBureau,
        role: null,
        dueAt,
        message,
      });
    const phase = deadlinePhase(rDue, instant(c.reporterDeadline.from), now, s);
    if (phase === 'warn')
      add('reporterWarn', `案件 ${c.code} 应于 ${shown(rDue)} 前将核查情况告知举报人（依据：${basis}）`);
    else if (phase === 'overdue')
      add('reporterOverdue', `案件 ${c.code} 未在 ${shown(rDue)} 前将核查情况告知举报人（依据：${basis}）`);
  }
  return { alerts, overdueSince: overdueSince ?? c.overdueSince, escalationLevel: level };
}
