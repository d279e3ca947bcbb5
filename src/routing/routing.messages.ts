import type { MessageCatalogue } from '../platform/http/messages.js';

/** Messages of routing's refusals; {placeholders} come from the error's details. */
export const routingMessages: MessageCatalogue = {
  routingPoint: { 'zh-CN': '坐标 {field} 有误：{value}', en: 'The coordinate {field} is wrong: {value}' },
  routingCrs: {
    'zh-CN': '坐标系应为 wgs84、gcj02 或 bd09：{value}',
    en: 'The coordinate system must be wgs84, gcj02 or bd09: {value}',
  },
  routingCategoryUnknown: { 'zh-CN': '没有问题类别 {value}', en: 'There is no category {value}' },
  routingMajorUnknown: {
    'zh-CN': '没有大类 {value}（格式如 event:06）',
    en: 'There is no major class {value} (written like event:06)',
  },
  routingRuleCategoryBoth: {
    'zh-CN': '规则只能指定一个类别或一个大类，不能同时指定',
    en: 'A rule names one category or one major class, not both',
  },
  routingArea: { 'zh-CN': '规则的适用范围有误：{value}', en: 'The rule’s area is wrong: {value}' },
  routingAreaUnitKind: {
    'zh-CN': '规则的适用范围须为有辖区的单位（{expected}），不能是 {value}',
    en: 'A rule’s area must be a unit that has an area ({expected}), not a {value}',
  },
  routingUnitUnknown: { 'zh-CN': '没有单位 {value}', en: 'There is no unit {value}' },
  routingLayerUnknown: { 'zh-CN': '没有网格图层 {value}', en: 'There is no grid layer {value}' },
  routingTarget: {
    'zh-CN': '责任单位的写法有误（{field}）',
    en: 'The responsible unit is written wrongly ({field})',
  },
  routingDepartmentKind: {
    'zh-CN': '没有这种职能部门：{value}（应为 {expected}）',
    en: 'There is no department kind {value} (expected {expected})',
  },
  routingPriority: {
    'zh-CN': '优先级须为 {min}–{max} 的整数（低于 {min} 的留给默认规则）：{value}',
    en: 'The priority must be a whole number from {min} to {max} (below {min} is for the default rules): {value}',
  },
  routingEmptyPatch: { 'zh-CN': '没有要修改的内容', en: 'Nothing to change' },
  routingNotReady: {
    'zh-CN': '分派引擎尚不可用：数据库中没有区局单位',
    en: 'Routing is not available yet: the database holds no bureau',
  },
};
