import type { MessageCatalogue } from '../platform/http/messages.js';

/** Messages of the category directory's refusals; {placeholders} come from the error's details. */
export const categoryMessages: MessageCatalogue = {
  categoryCsvHeader: {
    'zh-CN': '类别目录表头应为 {expected}',
    en: 'The category directory header must be {expected}',
  },
  categoryCsvRow: {
    'zh-CN': '类别目录第 {line} 行有误（{reason}）：{value}',
    en: 'Line {line} of the category directory is wrong ({reason}): {value}',
  },
  categoryCsvEmpty: { 'zh-CN': '类别目录没有数据行', en: 'The category directory has no rows' },
  categoryMajorUnknown: {
    'zh-CN': '没有大类 {value}（{kind}）',
    en: 'There is no major class {value} ({kind})',
  },
  categoryLocalCode: {
    'zh-CN': '本地类别编码须为大类 {majorCode} + 901–999 的三位小类：{value}',
    en: 'A local category code is major class {majorCode} + 3 digits from 901 to 999: {value}',
  },
  categoryParentUnknown: { 'zh-CN': '没有上级类别 {value}', en: 'There is no parent category {value}' },
  categoryParentMismatch: {
    'zh-CN': '上级类别 {value} 须为同一类型、同一大类的国标类别',
    en: 'The parent category {value} must be a standard category of the same kind and major class',
  },
  categoryFamily: { 'zh-CN': '未知的类别族：{value}', en: 'Unknown category family: {value}' },
  categoryUnitKind: {
    'zh-CN': '默认处置单位类型有误：{value}（应为 {expected}）',
    en: 'Wrong default handling unit kind: {value} (expected {expected})',
  },
  categoryTimeLimit: {
    'zh-CN': '默认处置时限有误：{value}（应为 {expected}）',
    en: 'Wrong default time limit: {value} (expected {expected})',
  },
  categoryStandardReadOnly: {
    'zh-CN': '国标类别的 {field} 不能修改，只能修改默认处置单位和时限',
    en: 'The {field} of a standard category cannot be changed; only its default unit and time limit can',
  },
  categoryEmptyPatch: { 'zh-CN': '没有要修改的内容', en: 'Nothing to change' },
};
