import type { MessageCatalogue } from '../platform/http/messages.js';

/** Messages of the parties and places of the basic database, their CSV import and export. */
export const partiesMessages: MessageCatalogue = {
  fieldRequired: { 'zh-CN': '{field} 不能为空', en: '{field} is required' },
  fieldTooLong: {
    'zh-CN': '{field} 过长（最多 {value} 个字符）',
    en: '{field} is too long (at most {value} characters)',
  },
  fieldFormat: { 'zh-CN': '{field} 格式有误：{value}', en: '{field} has a wrong format: {value}' },
  phoneInvalid: {
    'zh-CN': '{field} 不是有效的电话号码：{value}',
    en: '{field} is not a valid phone number: {value}',
  },
  coordinatesInvalid: {
    'zh-CN': '坐标有误（{reason}）：{value}；应为 WGS-84 经纬度且位于本市范围内',
    en: 'Bad coordinates ({reason}): {value}; give WGS-84 longitude and latitude inside the city',
  },
  creditCodeInvalid: {
    'zh-CN': '{field} 不是有效的统一社会信用代码（{reason}）：{value}',
    en: '{field} is not a valid unified social credit code ({reason}): {value}',
  },
  departmentKindUnknown: {
    'zh-CN': '未知的部门类别：{value}',
    en: 'Unknown department kind: {value}',
  },
  unknownReference: {
    'zh-CN': '{field} 引用的记录不存在：{value}',
    en: '{field} refers to a record that does not exist: {value}',
  },
  duplicateCreditCode: {
    'zh-CN': '统一社会信用代码 {value} 已登记',
    en: 'Credit code {value} is already registered',
  },
  duplicateMerchant: {
    'zh-CN': '该街镇同一地址已有商户 {value}',
    en: 'A merchant {value} at that address is already registered in the subdistrict',
  },
  duplicateInFile: {
    'zh-CN': '{field} 与文件第 {value} 行重复',
    en: '{field} repeats line {value} of the file',
  },
  csvMalformed: {
    'zh-CN': 'CSV 格式错误：第 {line} 行第 {column} 列（{reason}）',
    en: 'Malformed CSV at line {line}, column {column} ({reason})',
  },
  csvNotUtf8: {
    'zh-CN': '文件不是 UTF-8 编码（请另存为“CSV UTF-8”）',
    en: 'The file is not UTF-8 (save it as “CSV UTF-8”)',
  },
  csvUnknownColumn: { 'zh-CN': '未知的列：{value}', en: 'Unknown column: {value}' },
  csvDuplicateColumn: { 'zh-CN': '列重复：{value}', en: 'Repeated column: {value}' },
  csvMissingColumn: { 'zh-CN': '缺少必需的列：{field}', en: 'Missing required column: {field}' },
  csvFieldCount: {
    'zh-CN': '字段数与表头不符（{value}）',
    en: 'Number of fields does not match the header ({value})',
  },
  csvEmpty: { 'zh-CN': '文件为空，缺少表头', en: 'The file is empty; a header line is required' },
  importRejected: {
    'zh-CN': '有 {count} 处问题，未导入任何记录（可用 skipBadRows 跳过问题行）',
    en: '{count} problems found; nothing was imported (skipBadRows imports the good rows)',
  },
  importRaced: {
    'zh-CN': '导入期间第 {line} 行的记录被他人修改（{field}），未导入任何记录，请重试',
    en: 'Line {line} changed while importing ({field}); nothing was imported, try again',
  },
};
