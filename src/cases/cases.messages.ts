import type { MessageCatalogue } from '../platform/http/messages.js';

/**
 * Messages of the case loop's and the enforcement procedure's refusals (case-loop.ts, enforcement.ts,
 * cases.service.ts); {placeholders} come from the error's details.
 */
export const casesMessages: MessageCatalogue = {
  illegalMove: {
    'zh-CN': '当前环节（{from}）不能执行“{move}”；可执行：{allowed}',
    en: 'The move “{move}” is not possible in the step {from}; possible: {allowed}',
  },
  moveNotPermitted: { 'zh-CN': '您的角色不能执行“{move}”', en: 'Your role may not make the move “{move}”' },
  moveFieldRequired: { 'zh-CN': '此操作需要填写 {field}', en: 'This move needs {field}' },
  durationInvalid: {
    'zh-CN': '{field} 应为正整数的天、工作日、小时或工作小时',
    en: '{field} must be a whole number ≥ 1 of day, workday, hour or workhour',
  },
  caseVersionConflict: {
    'zh-CN': '案件已被他人处理（当前版本 {currentVersion}），请刷新后重试',
    en: 'Someone else moved this case (now version {currentVersion}); reload and try again',
  },
  enforcementVersionConflict: {
    'zh-CN': '执法程序已被他人处理（当前版本 {currentVersion}），请刷新后重试',
    en: 'Someone else moved this procedure (now version {currentVersion}); reload and try again',
  },
  caseNotOpened: {
    'zh-CN': '只有已立案且未结束的案件才能启动执法程序（当前环节 {step}）',
    en: 'The penalty procedure starts only on an opened case that still runs (now in {step})',
  },
  enforcementExists: { 'zh-CN': '该案件已启动执法程序', en: 'This case already has a penalty procedure' },
  targetUnitOutside: {
    'zh-CN': '二级派遣只能派往本单位或其下级单位：{value}',
    en: 'A second-level dispatch goes to your own unit or one below it: {value}',
  },
  unknownReference: {
    'zh-CN': '{field} 指向不存在的记录：{value}',
    en: '{field} names nothing that exists: {value}',
  },
  cursorInvalid: { 'zh-CN': '翻页参数 cursor 无效', en: 'The cursor is not valid' },
  bboxInvalid: {
    'zh-CN': '范围 bbox 应为 最小经度,最小纬度,最大经度,最大纬度：{value}',
    en: 'bbox must be minLng,minLat,maxLng,maxLat: {value}',
  },
  documentsMissing: {
    'zh-CN': '环节 {step} 缺少文书：{missing}',
    en: 'The step {step} lacks documents: {missing}',
  },
  documentKindInvalid: { 'zh-CN': '未知的文书种类：{value}', en: 'Unknown document kind: {value}' },
  officersTooFew: {
    'zh-CN': '执法人员不得少于两人（{basis}），现为 {got} 人',
    en: 'At least two officers must investigate ({basis}); got {got}',
  },
  decisionOverdue: {
    'zh-CN': '作出处罚决定的期限已于 {due} 届满（{basis}）',
    en: 'The decision period ended at {due} ({basis})',
  },
  hearingNotAvailable: { 'zh-CN': '本案不适用听证', en: 'The party has no right to a hearing in this case' },
  hearingRequestLate: {
    'zh-CN': '听证申请期限已于 {due} 届满（{basis}）',
    en: 'The hearing request period ended at {due} ({basis})',
  },
  hearingWindowOpen: {
    'zh-CN': '当事人仍可在 {due} 前申请听证（{basis}）',
    en: 'The party may still request a hearing until {due} ({basis})',
  },
  hearingNoticeTooShort: {
    'zh-CN': '听证应在通知后至少七日举行，最早 {after}',
    en: 'The hearing must be at least 7 days after the notice: after {after}',
  },
  hearingNotHeld: { 'zh-CN': '听证尚未举行', en: 'The hearing has not been held' },
  legalReviewRequired: {
    'zh-CN': '作出决定前须经法制审核',
    en: 'Legal review is required before the decision',
  },
  amountInvalid: { 'zh-CN': '{field} 金额无效：{value}', en: '{field} is not a valid amount: {value}' },
  outcomeInvalid: { 'zh-CN': '执行结果无效：{value}', en: 'Not a valid execution outcome: {value}' },
  appealPeriodOpen: {
    'zh-CN': '复议或诉讼期限尚未届满，不能申请强制执行',
    en: 'The period for review or suit has not ended: enforcement cannot be applied for yet',
  },
  demandPremature: {
    'zh-CN': '缴款期限尚未届满，不能催告',
    en: 'The payment period still runs: no demand yet',
  },
  demandPeriodRunning: {
    'zh-CN': '催告期限至 {due} 届满后方可申请强制执行',
    en: 'Enforcement only after the demand period ends at {due}',
  },
  demolitionNoticeRunning: {
    'zh-CN': '限期拆除公告期至 {due} 届满后方可强制拆除',
    en: 'Forced demolition only after the notice period ends at {due}',
  },
};
