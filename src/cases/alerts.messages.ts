import type { MessageCatalogue } from '../platform/http/messages.js';

/**
 * The inbox's names of the alert kinds, in both languages (the `kindLabel` of GET /api/alerts). The alerts
 * refuse nothing of their own: a missing or invisible alert is the platform's `notFound`, a caller without
 * cases:read its `forbidden`.
 */
export const alertKindKey = (kind: string): string => `alertKind.${kind}`;

export const alertMessages: MessageCatalogue = {
  [alertKindKey('warn')]: { 'zh-CN': '即将到期', en: 'Deadline near' },
  [alertKindKey('overdue')]: { 'zh-CN': '已超期', en: 'Overdue' },
  [alertKindKey('escalateLeader')]: { 'zh-CN': '超期督办（中队）', en: 'Escalated to the squad leader' },
  [alertKindKey('escalateBureau')]: { 'zh-CN': '超期督办（局）', en: 'Escalated to the bureau' },
  [alertKindKey('reporterWarn')]: { 'zh-CN': '待告知举报人', en: 'Reporter to be told soon' },
  [alertKindKey('reporterOverdue')]: { 'zh-CN': '逾期未告知举报人', en: 'Reporter not told in time' },
  [alertKindKey('deliveryAckWarn')]: { 'zh-CN': '双报告待签收', en: 'Dual report: acknowledge soon' },
  [alertKindKey('deliveryAckOverdue')]: {
    'zh-CN': '双报告超时未签收',
    en: 'Dual report not acknowledged in time',
  },
  [alertKindKey('deliveryOnSiteWarn')]: { 'zh-CN': '双报告待到场', en: 'Dual report: on site soon' },
  [alertKindKey('deliveryOnSiteOverdue')]: {
    'zh-CN': '双报告超时未到场',
    en: 'Dual report: not on site in time',
  },
  [alertKindKey('enforcementWarn')]: {
    'zh-CN': '处罚程序期限将至',
    en: 'Penalty procedure: deadline near',
  },
  [alertKindKey('enforcementOverdue')]: {
    'zh-CN': '处罚程序期限已过',
    en: 'Penalty procedure: deadline passed',
  },
  [alertKindKey('enforcementPartyDue')]: { 'zh-CN': '当事人期限届满', en: 'Party’s period ended' },
  [alertKindKey('dissatisfied')]: { 'zh-CN': '举报人不满意', en: 'Reporter dissatisfied' },
};
