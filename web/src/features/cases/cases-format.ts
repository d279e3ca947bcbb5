// How the case pages show their records: urgency colours, countdowns, time limits in words.
import type { CasesT } from './cases-i18n';
import type { CaseStatus, Deadline, Urgency } from './cases-api';

/** The map's and tags' colours: red overdue, orange due within 4 h, blue later, grey none. */
export const URGENCY_COLOURS: Readonly<Record<Urgency, string>> = {
  overdue: '#cf1322',
  dueSoon: '#fa8c16',
  later: '#1456b8',
  none: '#8c8c8c',
};
export const URGENCY_TAG: Readonly<Record<Urgency, string>> = {
  overdue: 'red',
  dueSoon: 'orange',
  later: 'blue',
  none: 'default',
};
export const STATUS_TAG: Readonly<Record<CaseStatus, string>> = {
  active: 'processing',
  suspended: 'warning',
  closed: 'success',
  rejected: 'default',
  declined: 'default',
  voided: 'default',
};

/** "剩余 3 小时 12 分" / "已超时 1 天 2 小时", from now to the due instant. */
export function countdown(t: CasesT, dueIso: string, now: number): { text: string; overdue: boolean } {
  const left = Date.parse(dueIso) - now;
  const abs = Math.abs(left);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  if (left >= 0)
    return { text: d > 0 ? t('detail.leftDays', { d, h }) : t('detail.leftHours', { h, m }), overdue: false };
  return {
    text: d > 0 ? t('detail.overdueByDays', { d, h }) : t('detail.overdueBy', { h, m }),
    overdue: true,
  };
}

/** "3 工作日" / "2 hours". */
export const ruleText = (t: CasesT, d: Deadline): string => `${d.rule.n} ${t.label('units', d.rule.unit)}`;

