import type { MessageCatalogue } from '../platform/http/messages.js';

/** Texts of the refusals of satisfaction ratings; {placeholders} come from the error's details. */
export const ratingMessages: MessageCatalogue = {
  ratingCaseNotClosed: {
    'zh-CN': '案件尚未办结（当前状态 {status}），办结后才能评价',
    en: 'The case is not closed (status {status}); it can be rated once it is closed',
  },
  ratingExists: {
    'zh-CN': '本轮办结已评价过（第 {round} 轮），不能重复评价',
    en: 'This close of the case has already been rated (round {round}); a second rating is refused',
  },
  monthInvalid: {
    'zh-CN': '{field} 应为月份 YYYY-MM：{value}',
    en: '{field} must be a month YYYY-MM: {value}',
  },
  monthRangeReversed: { 'zh-CN': '{field} 早于 from：{value}', en: '{field} is before from: {value}' },
};
