/**
 * Duty notices (督促履职通知) and the duty score, the rules. A squad tells a property company which illegal
 * construction it missed (sites or reports found by others, never or only later reported by the company);
 * the district housing department (房管), which fines a company that does not dissuade or report in time
 * (上海市住宅物业管理规定 第87条), sees the score. Pure.
 */
import { invalid } from '../platform/errors.js';

export const MISSED_KINDS = ['site', 'report'] as const;
export type MissedKind = (typeof MISSED_KINDS)[number];
export interface MissedRef {
  kind: MissedKind;
  id: string;
}

export const NOTE_MAX = 2000;
export const REPLY_MAX = 2000;

/** The missed references of a notice, de-duplicated; at least one. */
export function checkMissed(missed: readonly MissedRef[]): MissedRef[] {
  const seen = new Set<string>();
  const out = missed.filter((m) => {
    const k = `${m.kind}:${m.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (out.length === 0) throw invalid('dutyNoticeMissedRequired', { field: 'missed', reason: 'required' });
  return out;
}

/** A text that must be given and not too long. */
export function checkText(
  field: string,
  text: string | null | undefined,
  max: number,
  required: boolean,
): string | null {
  const t = text?.trim() || null;
  if (required && t === null) throw invalid('fieldRequired', { field, reason: 'required' });
  if (t !== null && [...t].length > max) throw invalid('fieldTooLong', { field, reason: 'tooLong', max });
  return t;
}

/**
 * The weights of the duty score. No statute scores companies; these are the bureau's working rule, chosen so
 * that repetition and silence weigh more than a single miss: a notice answered with a correction is the
 * purpose of the procedure, a notice ignored is what 第87条 责令改正 is for.
 */
export const DUTY_SCORE_WEIGHTS = { missed: 5, repeatedNotice: 10, unanswered: 15, lateReport: 2 } as const;
/** A delivered notice still without reply this long after delivery counts as unanswered (bureau rule). */
export const REPLY_WITHIN_MS = 7 * 24 * 3600_000;

export interface DutyFacts {
  /** Missed sites or reports listed in the notices of the period. */
  missed: number;
  /** Notices issued to the company in the period. */
  notices: number;
  /** Delivered notices without reply for more than REPLY_WITHIN_MS. */
  unanswered: number;
  /** The company's dual reports in the period flagged late (> 24 h after discovery, 第59条). */
  lateReports: number;
}

export interface DutyScore extends DutyFacts {
  /** 100 − 5·missed − 10·(notices − 1, at least 0) − 15·unanswered − 2·lateReports, not below 0. */
  score: number;
  grade: 'good' | 'watch' | 'poor';
  formula: string;
}

/** The duty score of a company from its facts of one period (formula in DutyScore.score). */
export function dutyScore(f: DutyFacts): DutyScore {
  const w = DUTY_SCORE_WEIGHTS;
  const score = Math.max(
    0,
    100 -
      w.missed * f.missed -
      w.repeatedNotice * Math.max(0, f.notices - 1) -
      w.unanswered * f.unanswered -
      w.lateReport * f.lateReports,
  );
  return {
    ...f,
    score,
    grade: score >= 90 ? 'good' : score >= 70 ? 'watch' : 'poor',
    formula: 'max(0, 100 − 5·missed − 10·max(0, notices − 1) − 15·unanswered − 2·lateReports)',
  };
}

/** Whether a delivered notice counts as unanswered at `now`. */
export const isUnanswered = (
  n: { deliveredAt: string | null; repliedAt: string | null },
  now: Date,
): boolean =>
  n.deliveredAt !== null &&
  n.repliedAt === null &&
  now.getTime() - Date.parse(n.deliveredAt) > REPLY_WITHIN_MS;
