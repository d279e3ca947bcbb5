import type { MessageCatalogue } from '../platform/http/messages.js';

/**
 * Messages of intake's refusals; {placeholders} come from the error's details. Field checks shared with the
 * registry (fieldRequired, fieldTooLong, phoneInvalid, unknownReference, csv…, duplicateInFile) use the
 * registry's texts (parties.messages.ts), which the application's catalogue holds too.
 */
export const reportMessages: MessageCatalogue = {
  fieldControlCharacter: { 'zh-CN': '{field} 含有不可见的控制字符', en: '{field} holds a control character' },
  instantFormat: {
    'zh-CN': '{field} 应为带时区的 ISO-8601 时间（如 2026-11-29T09:30:00+08:00）：{value}',
    en: '{field} must be an ISO-8601 time with a zone (e.g. 2026-11-29T09:30:00+08:00): {value}',
  },
  instantInFuture: { 'zh-CN': '{field} 晚于当前时间：{value}', en: '{field} lies in the future: {value}' },
  instantTooOld: { 'zh-CN': '{field} 过早：{value}', en: '{field} is too long ago: {value}' },
  tooManyPhotos: { 'zh-CN': '照片最多 {value} 张', en: 'At most {value} photos' },
  photoRepeated: { 'zh-CN': '{field} 中有重复的照片', en: '{field} names a photo twice' },
  accuracyRange: {
    'zh-CN': '定位精度应为 0–100000 米：{value}',
    en: 'The accuracy must be 0–100000 m: {value}',
  },
  coordinateRange: {
    'zh-CN': '坐标 {field} 超出范围：{value}',
    en: 'The coordinate {field} is out of range: {value}',
  },
  coordinateFormat: {
    'zh-CN': '坐标 {field} 不是数字：{value}',
    en: 'The coordinate {field} is not a number: {value}',
  },
  crsUnknown: {
    'zh-CN': '坐标系应为 wgs84、gcj02 或 bd09：{value}',
    en: 'The coordinate system must be wgs84, gcj02 or bd09: {value}',
  },
  locationRequired: {
    'zh-CN': '请给出位置：经纬度（location）或从小区列表中选择（compoundId）',
    en: 'A location is required: a point (location) or a compound from the registry (compoundId)',
  },
  locationOutsideDistrict: {
    'zh-CN': '位置在本区以外约 {distanceKm} 公里：请检查经纬度和坐标系（location.crs：wgs84、gcj02 或 bd09）',
    en: 'The location lies about {distanceKm} km outside the district: check the coordinates and their system (location.crs: wgs84, gcj02 or bd09)',
  },
  compoundWithoutLocation: {
    'zh-CN': '小区 {value} 没有登记位置，请在地图上选点',
    en: 'Compound {value} has no location on record; pick a point on the map',
  },
  unknownCategory: { 'zh-CN': '没有问题类别 {value}', en: 'There is no category {value}' },
  categoryInactive: { 'zh-CN': '问题类别 {value} 已停用', en: 'The category {value} is no longer in use' },
  categoryAmbiguous: {
    'zh-CN': '类别名称“{value}”对应多个类别，请填写类别代码（如 event:06001）',
    en: 'The category name “{value}” matches several categories; give its key (e.g. event:06001)',
  },
  reportChannelForbidden: {
    'zh-CN': '无权通过渠道 {value} 上报',
    en: 'You may not submit reports on the channel {value}',
  },
  reportTicketExists: { 'zh-CN': '工单 {value} 已导入', en: 'Ticket {value} has already been imported' },
  idempotencyKeyInvalid: {
    'zh-CN': 'Idempotency-Key 应为 1–100 个可见 ASCII 字符',
    en: 'Idempotency-Key must be 1–100 visible ASCII characters',
  },
  idempotencyKeyReused: {
    'zh-CN': '该 Idempotency-Key 已用于另一份不同的上报',
    en: 'This Idempotency-Key was already used for a different report',
  },
  cursorInvalid: { 'zh-CN': '翻页游标无效', en: 'The cursor is not valid' },
  reportWithoutCase: { 'zh-CN': '该上报尚无案件', en: 'The report has no case' },
  reportNotMerged: {
    'zh-CN': '该上报是其案件唯一的上报，无需拆分',
    en: 'The report is the only report of its case; there is nothing to split',
  },
  assignNeedsCategory: {
    'zh-CN': '请先确定问题类别（categoryKey）',
    en: 'Give the category (categoryKey) first',
  },
  assignUnitKind: {
    'zh-CN': '不能把案件派给该单位（{reason}：{value}）',
    en: 'A case cannot be assigned to that unit ({reason}: {value})',
  },
  importChannel: {
    'zh-CN': '批量导入的渠道应为 {expected}：{value}',
    en: 'The channel of a batch import must be one of {expected}: {value}',
  },
  importFormat: {
    'zh-CN': '导入文件应为 CSV（text/csv）或 JSON Lines（application/x-ndjson）',
    en: 'Import a CSV (text/csv) or JSON Lines (application/x-ndjson) file',
  },
  importFieldType: { 'zh-CN': '{field} 应为文字或数字', en: '{field} must be text or a number' },
  jsonlMalformed: {
    'zh-CN': '该行不是 JSON 对象（{reason}）',
    en: 'The line is not a JSON object ({reason})',
  },
  importNotUtf8: {
    'zh-CN': '文件不是 UTF-8 编码',
    en: 'The file is not UTF-8',
  },
};
