import type { MessageCatalogue } from '../platform/http/messages.js';

/** Messages of matching's refusals; {placeholders} come from the error's details. */
export const matchingMessages: MessageCatalogue = {
  matchDistanceRange: {
    'zh-CN': '比对距离应大于 0 且不超过 {max} 米：{value}',
    en: 'The matching distance must be above 0 and at most {max} m: {value}',
  },
  matchWindowRange: {
    'zh-CN': '比对时间窗口应为 1–{max} 天的整数：{value}',
    en: 'The matching window must be a whole number of days from 1 to {max}: {value}',
  },
  reportNotInSite: {
    'zh-CN': '上报 {value} 不属于该点位',
    en: 'Report {value} does not belong to this site',
  },
  siteSingleReport: {
    'zh-CN': '该点位只有一条上报，无法拆分',
    en: 'The site holds a single report; there is nothing to split',
  },
  joinNeedsTwoSites: {
    'zh-CN': '合并至少需要两个不同的点位：{value}',
    en: 'A join needs at least two different sites: {value}',
  },
  periodBound: {
    'zh-CN': '{field} 应为日期 YYYY-MM-DD 或带时区的 ISO-8601 时间：{value}',
    en: '{field} must be a date YYYY-MM-DD or an ISO-8601 time with a zone: {value}',
  },
  periodEmpty: {
    'zh-CN': '统计期间为空：{field} 早于开始时间（{value}）',
    en: 'The period is empty: {field} is not after its start ({value})',
  },
  dateMalformed: {
    'zh-CN': '{field} 应为真实日期 YYYY-MM-DD：{value}',
    en: '{field} must be a real date YYYY-MM-DD: {value}',
  },
};
