import type { MessageCatalogue } from '../platform/http/messages.js';

/** Texts of the Open311 adapter's refusals (the `description` of the spec's error items). */
export const open311Messages: MessageCatalogue = {
  open311Repeated: { 'zh-CN': '参数 {field} 只能出现一次', en: 'The parameter {field} may appear only once' },
  open311Required: { 'zh-CN': '缺少参数 {field}', en: 'The parameter {field} is required' },
  open311Date: {
    'zh-CN': '参数 {field} 不是有效的 ISO 8601 时间：{value}',
    en: 'The parameter {field} is not an ISO 8601 date-time: {value}',
  },
  open311DateZone: {
    'zh-CN': '参数 {field} 须带时区（Z 或 ±hh:mm），或只给日期：{value}',
    en: 'The parameter {field} needs a time zone (Z or ±hh:mm), or give a date only: {value}',
  },
  open311RangeReversed: { 'zh-CN': 'end_date 早于 start_date', en: 'end_date is before start_date' },
  open311RangeTooLong: {
    'zh-CN': 'start_date 与 end_date 相隔不得超过 {days} 天',
    en: 'start_date and end_date may not span more than {days} days',
  },
  open311ServiceCode: {
    'zh-CN': 'service_code 不是有效的服务代码：{value}（例如 event06001）',
    en: 'service_code is not a service code: {value} (e.g. event06001)',
  },
  open311ServiceUnknown: {
    'zh-CN': '没有服务代码 {value}',
    en: 'There is no service with service_code {value}',
  },
  open311Status: {
    'zh-CN': 'status 只能是 open 或 closed：{value}',
    en: 'status must be open or closed: {value}',
  },
  open311RequestId: {
    'zh-CN': 'service_request_id 有误：{value}',
    en: 'service_request_id is not valid: {value}',
  },
  open311TooManyIds: {
    'zh-CN': 'service_request_id 一次最多 {max} 个',
    en: 'service_request_id may list at most {max} ids',
  },
  open311Coordinate: {
    'zh-CN': '参数 {field} 须为 -{max} 到 {max} 之间的数（WGS-84）：{value}',
    en: 'The parameter {field} must be a number from -{max} to {max} (WGS-84): {value}',
  },
  open311LatLongPair: {
    'zh-CN': 'lat 与 long 须同时给出（缺 {field}）',
    en: 'lat and long go together ({field} is missing)',
  },
  open311LocationMissing: {
    'zh-CN': '须给出位置：lat 和 long，或 address_string，或 address_id',
    en: 'A location is required: lat and long, or address_string, or address_id',
  },
  open311TooLong: {
    'zh-CN': '参数 {field} 超过 {max} 个字符',
    en: 'The parameter {field} is longer than {max} characters',
  },
  open311Email: {
    'zh-CN': 'email 不是有效的邮箱地址：{value}',
    en: 'email is not an e-mail address: {value}',
  },
  open311Phone: { 'zh-CN': 'phone 不是有效的电话号码：{value}', en: 'phone is not a phone number: {value}' },
  open311MediaUrl: {
    'zh-CN': 'media_url 须为 http(s) 地址：{value}',
    en: 'media_url must be an http(s) URL: {value}',
  },
  open311AddressUnknown: {
    'zh-CN': '找不到 address_id {value} 对应的小区',
    en: 'address_id {value} names no compound of the registry',
  },
  open311AddressUnlocated: {
    'zh-CN': 'address_id {value} 对应的小区没有坐标，请给出 lat 和 long',
    en: 'The compound of address_id {value} has no coordinates; send lat and long',
  },
  open311AddressOnly: {
    'zh-CN': '仅凭 address_string 无法定位，请同时给出 lat 和 long 或 address_id（小区编码）',
    en: 'address_string alone cannot be placed on the map; send lat and long, or address_id (a compound code)',
  },
  open311OutsideDistrict: {
    'zh-CN': 'lat/long 位于本区以外约 {distanceKm} 公里：请检查经纬度（应为 WGS-84）',
    en: 'lat/long lie about {distanceKm} km outside the district: check the coordinates (WGS-84 expected)',
  },
  open311IdempotencyKey: {
    'zh-CN': 'Idempotency-Key 须为 1–100 个可见 ASCII 字符',
    en: 'Idempotency-Key must be 1 to 100 visible ASCII characters',
  },
  open311ApiKeyMissing: {
    'zh-CN': '缺少 api_key，无法提交服务请求',
    en: 'api_key is missing; cannot create a service request',
  },
  open311ApiKeyBad: {
    'zh-CN': 'api_key 无效或已吊销，无法提交服务请求',
    en: 'Invalid api_key received; cannot create a service request',
  },
  open311ApiKeyNoPermission: {
    'zh-CN': '该 api_key 没有 open311:submit 权限',
    en: 'This api_key lacks the open311:submit permission',
  },
  open311Jurisdiction: { 'zh-CN': '没有 jurisdiction_id {value}', en: 'jurisdiction_id {value} not found' },
  open311RequestUnknown: { 'zh-CN': '没有服务请求 {value}', en: 'There is no service request {value}' },
  open311TokenUnknown: { 'zh-CN': '没有令牌 {value}', en: 'There is no token {value}' },
  open311RouteUnknown: {
    'zh-CN': '没有这个 Open311 接口：{method} {url}（格式为 .json 或 .xml）',
    en: 'No such Open311 resource: {method} {url} (the format is .json or .xml)',
  },
  // service_notice and status_notes texts
  open311NoticeRouted: { 'zh-CN': '已受理，由{unit}负责处置', en: 'Received; {unit} is responsible' },
  open311NoticeTriage: { 'zh-CN': '已受理，待{unit}分派', en: 'Received; awaiting dispatch by {unit}' },
  open311NoticeMerged: {
    'zh-CN': '已受理，与正在处置的案件 {case} 合并',
    en: 'Received; joined the open case {case} about the same problem',
  },
  open311NoteTriage: { 'zh-CN': '待分派', en: 'Awaiting dispatch' },
  open311NoteClosed: { 'zh-CN': '已结案', en: 'Case closed' },
  open311NoteInCase: { 'zh-CN': '处置中（案件 {case}）', en: 'In progress (case {case})' },
  open311UpdateReceived: { 'zh-CN': '已受理', en: 'Received' },
};
