import type { MessageCatalogue } from '../platform/http/messages.js';

export const gridLayerMessages: MessageCatalogue = {
  gridLayerName: { 'zh-CN': '图层名须以字母开头，2–41 位字母、数字、_ 或 -', en: 'A layer name starts with a letter and has 2-41 letters, digits, _ or -' },
  gridLayerInvalid: { 'zh-CN': '图层文件无法导入：{reason}', en: 'The layer file cannot be imported: {reason}' },
  gridLayerCrsMismatch: {
    'zh-CN': '声明的坐标系与辖区不符，疑似应为 {bestCrs}（声明为 {declaredCrs}）',
    en: 'The declared coordinate system does not fit the district; it looks like {bestCrs} (declared {declaredCrs})',
  },
  gridLayerStrictRefused: { 'zh-CN': '严格模式下图层有 {findings} 处问题，未导入', en: 'Strict mode: the layer has {findings} findings and was not imported' },
};
