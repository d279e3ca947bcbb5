/**
 * Reminders of the penalty procedure's legal deadlines (src/cases/enforcement.ts), as pure rules: given one
 * procedure and `now`, which alerts are due to the squad leader. No clock, no I/O.
 *
 * Two kinds of deadline: the bureau's own obligations (行政处罚法 第60条 decision, 第61条 service), warned
 * ahead and reported when missed like the case loop's; and the party's periods (hearing request, payment,
 * demand, demolition notice), whose end is news only once it came: the squad may then take the next step.
 * The alerts go to the case_alert inbox with a dedupe key that names the case, the deadline and its
 * instant, so each goes in once however many sweeps run, and an extended decision period gets alerts of its
 * own.
 */
import type { Deadline } from '../platform/calendar/deadline.js';
import {
  DEFAULT_ALERT_SETTINGS,
  deadlinePhase,
  instantOrNull,
  shownShanghai,
  type AlertDraft,
  type AlertKind,
  type AlertSettings,
} from './alerts.js';
import type { EnforcementState } from './enforcement.js';

export type EnforcementDeadlineName =
  'decision' | 'hearingRequest' | 'service' | 'payment' | 'demand' | 'demolitionNotice';

/** One deadline the procedure still has to meet; `ours` when the bureau must act, not the party. */
export interface PendingEnforcementDeadline {
  name: EnforcementDeadlineName;
  deadline: Deadline;
  ours: boolean;
}

/** How the alerts name each deadline. */
const DEADLINE_NAMES_ZH: Readonly<Record<EnforcementDeadlineName, string>> = {
  decision: '处罚决定',
  hearingRequest: '听证申请',
  service: '送达',
  payment: '缴纳罚款',
  demand: '催告',
  demolitionNotice: '拆除公告',
};

/** What the squad may do once a party's period ended (行政强制法 第35条, 第44条, 第53条, 第54条). */
const NEXT_STEP_ZH: Readonly<Partial<Record<EnforcementDeadlineName, string>>> = {
  hearingRequest: '未申请听证的，可结束陈述申辩',
  payment: '可催告或申请强制执行',
  demand: '仍未履行的，可申请强制执行或依法强制拆除',
  demolitionNotice: '未自行拆除的，可催告并依法强制拆除',
};

/**
 * The deadlines the procedure still has to meet: the decision while not decided and the clock runs (第60条),
 * the hearing request while the defence is open and the rights not waived (第64条), service while the
 * decision is not served (第61条), and the execution's periods; none once the procedure is closed.
 */
export function pendingEnforcementDeadlines(s: EnforcementState): PendingEnforcementDeadline[] {
  if (s.closedAt !== null) return [];
  const pending: { name: EnforcementDeadlineName; deadline: Deadline | null; ours: boolean }[] = [];
  // Decided, or ended without a penalty (no decision is owed then): the 第60条 period no longer runs.
  if (
    s.decidedAt === null &&
    s.outcome !== 'noPenalty' &&
    s.outcome !== 'notFiled' &&
    s.clockSuspendedAt === null
  )
    pending.push({ name: 'decision', deadline: s.decisionDeadline, ours: true });
  if (s.step === 'defence' && !s.rightsWaived)
    pending.push({ name: 'hearingRequest', deadline: s.hearingRequestDeadline, ours: false });
  if (s.step === 'service') pending.push({ name: 'service', deadline: s.serviceDeadline, ours: true });
  if (s.step === 'execution')
    pending.push(
      { name: 'payment', deadline: s.paymentDeadline, ours: false },
      { name: 'demand', deadline: s.demandDeadline, ours: false },
      { name: 'demolitionNotice', deadline: s.demolitionNoticeDeadline, ours: false },
    );
  return pending.filter((p): p is PendingEnforcementDeadline => p.deadline !== null);
}

/** What the rules need of a procedure; the store reads it, the service places the case in the org tree. */
export interface AlertEnforcement {
  caseId: string;
  caseCode: string;
  caseStatus: string;
  state: EnforcementState;
  units: {
    /** The squad whose scope holds the case. */
    squad: string | null;
    /** The bureau: the root unit. */
    bureau: string;
  };
}

/**
 * The alerts due for one procedure at `now`, all to the squad leader (the bureau's leader when no squad
 * holds the case): a warning within the lead of the bureau's own deadline and an overdue alert once it
 * passed; for a party's period, a notice once it ended. Only an active case is reminded (a suspended one
 * has its clock stopped, a closed one is done); a warning whose deadline has passed is not sent.
 */
export function decideEnforcementAlerts(
  e: AlertEnforcement,
  now: Date,
  s: AlertSettings = DEFAULT_ALERT_SETTINGS,
): AlertDraft[] {
  const alerts: AlertDraft[] = [];
  if (e.caseStatus !== 'active') return alerts;
  const leader = e.units.squad
    ? { unitId: e.units.squad, role: 'squadLeader' as const }
    : { unitId: e.units.bureau, role: 'bureauLeader' as const };
  const code = e.caseCode;

  for (const { name, deadline, ours } of pendingEnforcementDeadlines(e.state)) {
    const due = instantOrNull(deadline.due);
    if (due === null) continue;
    const dueAt = due.toISOString();
    const shown = shownShanghai(due);
    const basis = `（依据：${deadline.basis}）`;
    const add = (kind: AlertKind, message: string) =>
      alerts.push({
        dedupeKey: `${kind}:${e.caseId}:${name}:${dueAt}`,
        kind,
        caseId: e.caseId,
        unitId: leader.unitId,
        role: leader.role,
        dueAt,
        message,
      });
    const what = DEADLINE_NAMES_ZH[name];
    const phase = deadlinePhase(due, instantOrNull(deadline.from), now, s);
    if (!ours) {
      if (phase === 'overdue')
        add(
          'enforcementPartyDue',
          `案件 ${code} 当事人${what}期限已于 ${shown} 届满，${NEXT_STEP_ZH[name] ?? '可办理下一环节'}${basis}`,
        );
    } else if (phase === 'warn') {
      add(
        'enforcementWarn',
        name === 'decision'
          ? `案件 ${code} ${what}应于 ${shown} 前作出${basis}`
          : `案件 ${code} ${what}期限将于 ${shown} 届满，处罚决定书应于此前送达${basis}`,
      );
    } else if (phase === 'overdue') {
      add(
        'enforcementOverdue',
        name === 'decision'
          ? `案件 ${code} ${what}已于 ${shown} 超期${basis}`
          : `案件 ${code} ${what}期限已于 ${shown} 超期，处罚决定书尚未送达${basis}`,
      );
    }
  }
  return alerts;
}
