import type { MessageCatalogue } from '../platform/http/messages.js';

/** Messages of the patrols' refusals; {placeholders} come from the error's details. */
export const patrolMessages: MessageCatalogue = {
  patrolPlanGround: { 'zh-CN': '巡查计划须包含小区或区域', en: 'A patrol plan needs compounds or an area' },
  patrolAreaInvalid: {
    'zh-CN': '巡查区域应为 GeoJSON 多边形',
    en: 'The patrol area must be a GeoJSON Polygon',
  },
  patrolWeekdays: {
    'zh-CN': '星期应为 1–7 且不重复：{value}',
    en: 'Weekdays must be 1–7, each once: {value}',
  },
  patrolTimeFormat: { 'zh-CN': '{field} 应为 HH:MM：{value}', en: '{field} must be HH:MM: {value}' },
  patrolTimeWindow: {
    'zh-CN': '开始与结束时间相同：{value}',
    en: 'The start and end times are equal: {value}',
  },
  patrolDateFormat: {
    'zh-CN': '{field} 应为 YYYY-MM-DD：{value}',
    en: '{field} must be YYYY-MM-DD: {value}',
  },
  patrolValidity: {
    'zh-CN': '有效期结束早于开始：{value}',
    en: 'The validity ends before it starts: {value}',
  },
  patrolPeriod: { 'zh-CN': '结束时间早于开始时间：{value}', en: 'The period ends before it starts: {value}' },
  patrolPlanInactive: { 'zh-CN': '巡查计划已停用：{value}', en: 'The patrol plan is inactive: {value}' },
  patrolTrackInvalid: {
    'zh-CN': '轨迹应为至少两个点的 GeoJSON 线',
    en: 'The track must be a GeoJSON LineString of at least two points',
  },
  patrolFindingChannel: {
    'zh-CN': '巡查发现应为巡查渠道的上报，此报告渠道为 {value}',
    en: 'A patrol finding must be a report of channel patrol; this one is {value}',
  },
  patrolAlreadyFinished: { 'zh-CN': '该巡查已结束', en: 'This patrol has already been finished' },
};
