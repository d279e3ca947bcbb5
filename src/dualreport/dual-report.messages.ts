import type { MessageCatalogue } from '../platform/http/messages.js';

/** Messages of the dual report's, the deliveries' and the duty notices' refusals; {placeholders} from details. */
export const dualReportMessages: MessageCatalogue = {
  dualReportNoCompany: {
    'zh-CN': '当前账号未绑定物业服务企业，不能提交双报告',
    en: 'This account belongs to no property company and cannot submit dual reports',
  },
  compoundNotManaged: {
    'zh-CN': '该小区不由本物业服务企业管理：{value}',
    en: 'Your company does not manage this compound: {value}',
  },
  dualReportCategory: {
    'zh-CN': '双报告只用于违法搭建类问题：{value}',
    en: 'A dual report is for illegal construction only: {value}',
  },
  discoveryAfterReport: {
    'zh-CN': '发现时间晚于报告时间：{value}',
    en: 'The discovery time lies after the report: {value}',
  },
  dissuasionRequired: {
    'zh-CN': '请填写劝阻、制止记录（《上海市住宅物业管理规定》第五十九条），或说明未能劝阻的原因',
    en: 'A dissuasion record is required (Shanghai Residential Property Management Regulations art. 59), or the reason there was none',
  },
  dissuasionBeforeDiscovery: {
    'zh-CN': '劝阻时间早于发现时间：{value}',
    en: 'The dissuasion lies before the discovery: {value}',
  },
  dissuasionAfterReport: {
    'zh-CN': '劝阻时间晚于报告时间：{value}',
    en: 'The dissuasion lies after the report: {value}',
  },
  dualReportRecipientMissing: {
    'zh-CN': '基础数据中缺少双报告的接收单位（{recipient}），请联系管理员',
    en: 'The registry lacks a recipient of dual reports ({recipient}); ask an administrator',
  },
  deliveryAlreadyAcknowledged: { 'zh-CN': '该报告已签收', en: 'This delivery has already been acknowledged' },
  deliveryNotAcknowledged: {
    'zh-CN': '请先签收再登记到场',
    en: 'Acknowledge the delivery before recording arrival on site',
  },
  deliveryAlreadyOnSite: { 'zh-CN': '已登记到场', en: 'Arrival on site has already been recorded' },
  onSiteBeforeDelivery: {
    'zh-CN': '到场时间早于送达时间：{value}',
    en: 'The arrival lies before the delivery: {value}',
  },
  dutyNoticeMissedRequired: {
    'zh-CN': '请列出漏报的点位或报告',
    en: 'List the missed sites or reports',
  },
  dutyNoticeReportNotCompany: {
    'zh-CN': '该报告或违建点位不在此物业服务企业管理的小区内：{value}',
    en: 'This report or site is not in a compound the company manages: {value}',
  },
  dutyNoticeAlreadyDelivered: { 'zh-CN': '通知已送达', en: 'The notice has already been delivered' },
  dutyNoticeNotDelivered: { 'zh-CN': '通知尚未送达，不能回复', en: 'The notice has not been delivered yet' },
  dutyNoticeAlreadyReplied: { 'zh-CN': '已回复该通知', en: 'The notice has already been answered' },
};
