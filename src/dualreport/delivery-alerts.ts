/**
 * Reminders of a dual report's deliveries, as pure rules: given one delivery and `now`, which alerts are due
 * to its recipient unit. The acknowledgement limit is the bureau's working rule (dual-report.ts ackWithin);
 * the on-site limit is 上海市拆除违法建筑若干规定 第7条 (24 hours, or 2 hours while building is under way).
 * No clock, no I/O.
 *
 * The alerts go to the case_alert inbox like the case deadlines' (src/cases/alerts.ts), with the same lead
 * (a share of the period, within bounds) and a dedupe key that names the delivery and the deadline instant,
 * so each goes in once however many sweeps run.
 */
import {
  DEFAULT_ALERT_SETTINGS,
  deadlinePhase,
  instantOrNull,
  shownShanghai,
  type AlertDraft,
  type AlertKind,
  type AlertSettings,
} from '../cases/alerts.js';

/** What the rules need of a delivery; the store builds it from the delivery, its report and the case. */
export interface DueDelivery {
  id: string;
  caseId: string;
  caseCode: string;
  caseStatus: string;
  receiptCode: string;
  recipient: string;
  /** The recipient unit: the squad or the 拆违办. */
  unitId: string;
  deliveredAt: string;
  ackDeadline: string;
  ackBasis: string;
  acknowledgedAt: string | null;
  onSiteDeadline: string;
  onSiteBasis: string;
  onSiteAt: string | null;
}

/**
 * The alerts due for one delivery at `now`: a warning within the lead of a deadline not yet met, an overdue
 * alert once it passed unmet. Only a delivery whose case is active is reminded (a suspended case has its
 * clock stopped, a closed one is done); a warning whose deadline has passed is not sent (the overdue alert
 * says more).
 */
export function decideDeliveryAlerts(
  d: DueDelivery,
  now: Date,
  s: AlertSettings = DEFAULT_ALERT_SETTINGS,
): AlertDraft[] {
  const alerts: AlertDraft[] = [];
  if (d.caseStatus !== 'active') return alerts;
  const from = instantOrNull(d.deliveredAt);

  const check = (
    deadline: string,
    doneAt: string | null,
    kinds: { warn: AlertKind; overdue: AlertKind },
    message: { warn: (shown: string) => string; overdue: (shown: string) => string },
  ) => {
    const due = instantOrNull(deadline);
    if (doneAt !== null || due === null) return;
    const dueAt = due.toISOString();
    const add = (kind: AlertKind, text: string) =>
      alerts.push({
        dedupeKey: `${kind}:${d.id}:${dueAt}`,
        kind,
        caseId: d.caseId,
        unitId: d.unitId,
        role: null,
        dueAt,
        message: text,
      });
    const phase = deadlinePhase(due, from, now, s);
    if (phase !== 'quiet') add(kinds[phase], message[phase](shownShanghai(due)));
  };

  const receipt = `双报告回执 ${d.receiptCode}`;
  check(
    d.ackDeadline,
    d.acknowledgedAt,
    { warn: 'deliveryAckWarn', overdue: 'deliveryAckOverdue' },
    {
      warn: (shown) => `${receipt} 应于 ${shown} 前签收（依据：${d.ackBasis}）`,
      overdue: (shown) => `${receipt} 已于 ${shown} 超时未签收（依据：${d.ackBasis}）`,
    },
  );
  check(
    d.onSiteDeadline,
    d.onSiteAt,
    { warn: 'deliveryOnSiteWarn', overdue: 'deliveryOnSiteOverdue' },
    {
      warn: (shown) => `${receipt}（案件 ${d.caseCode}）应于 ${shown} 前到场核查（依据：${d.onSiteBasis}）`,
      overdue: (shown) =>
        `${receipt}（案件 ${d.caseCode}）已于 ${shown} 超时未到场核查（依据：${d.onSiteBasis}）`,
    },
  );
  return alerts;
}
