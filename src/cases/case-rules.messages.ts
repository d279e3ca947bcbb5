import type { MessageCatalogue } from '../platform/http/messages.js';

/**
 * Texts of the refusals of the case rules (time limits, calendar); {placeholders}
 * come from the error's details. The calendar's own keys (calendarYearUnknown) are the platform's;
 * phoneInvalid and fieldTooLong are the registry's (parties.messages.ts).
 */
export const caseRulesMessages: MessageCatalogue = {
  // time-limits.ts validateTimeLimitTable
  timeLimitScopeInvalid: {
    'zh-CN': '{field} 应为类别代码（如 event:06010）、大类代码（如 event:06）或 *：{value}',
    en: '{field} must be a category key (e.g. event:06010), a major class key (e.g. event:06) or *: {value}',
  },
  timeLimitGradeInvalid: {
    'zh-CN': '{field} 应为区域等级 A、B、C 或 *：{value}',
    en: '{field} must be an area grade A, B, C or *: {value}',
  },
  timeLimitStepInvalid: {
    'zh-CN': '{field} 不是可设时限的环节：{value}',
    en: '{field} is not a step that takes a time limit: {value}',
  },
  timeLimitDuplicate: {
    'zh-CN': '时限表中 {scope} × {grade} × {step} 出现两次',
    en: 'The time-limit table holds {scope} × {grade} × {step} twice',
  },
  unitInvalid: {
    'zh-CN': '{field} 应为 day、workday、hour 或 workhour：{value}',
    en: '{field} must be day, workday, hour or workhour: {value}',
  },
  durationInvalid: {
    'zh-CN': '{field} 应为不小于 1 的整数：{value}',
    en: '{field} must be a whole number of at least 1: {value}',
  },
  basisRequired: {
    'zh-CN': '请填写 {field}（时限的法律或规范依据）',
    en: '{field} is required (the law or rule the limit comes from)',
  },
  // the calendar and instants (platform/calendar)
  dateMalformed: {
    'zh-CN': '{field} 应为真实日期 YYYY-MM-DD：{value}',
    en: '{field} must be a real date YYYY-MM-DD: {value}',
  },
  timezoneRequired: {
    'zh-CN': '{field} 须带时区（Z 或 ±hh:mm），如 2026-11-29T09:30:00+08:00：{value}',
    en: '{field} needs a time zone (Z or ±hh:mm), e.g. 2026-11-29T09:30:00+08:00: {value}',
  },
  instantMalformed: {
    'zh-CN': '{field} 不是有效的 ISO 8601 时间：{value}',
    en: '{field} is not a valid ISO 8601 instant: {value}',
  },
  instantInvalid: { 'zh-CN': '{field} 不是有效的时间', en: '{field} is not a valid instant' },
  calendarYearInvalid: {
    'zh-CN': '{field} 应为四位年份：{value}',
    en: '{field} must be a four-digit year: {value}',
  },
  calendarYearKnown: {
    'zh-CN': '日历库已包含 {year} 年的放假安排：请逐日调整，不能整年覆盖（整年覆盖会丢弃库中的安排）',
    en: 'The calendar library already holds the arrangement for {year}: adjust it day by day; declaring the whole year would drop what the library holds',
  },
  calendarYearImplausible: {
    'zh-CN': '{year} 年的覆盖表中没有落在工作日的放假日，不能作为全年日历：请先录入国务院公布的放假安排',
    en: 'The override table holds no holiday on a weekday in {year}, so it cannot stand for the whole year: enter the State Council’s arrangement first',
  },
};
