import { formatShanghai } from '../calendar/shanghai-time.js';

/** The languages of the API's messages; zh-CN first. */
export type Lang = 'zh-CN' | 'en';

/** A message in both languages; {name} placeholders are filled from the error's details. */
export type MessageCatalogue = Record<string, { 'zh-CN': string; en: string }>;

/** Messages the platform itself uses; capabilities bring their own catalogues. */
export const platformMessages: MessageCatalogue = {
  Invalid: { 'zh-CN': '请求内容有误', en: 'The request is not valid' },
  invalidBody: { 'zh-CN': '请求内容有误：{summary}', en: 'The request is not valid: {summary}' },
  invalidJson: { 'zh-CN': '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  emptyBody: { 'zh-CN': '请求体为空', en: 'The request body is empty' },
  notFound: { 'zh-CN': '找不到该记录', en: 'Not found' },
  routeNotFound: { 'zh-CN': '没有这个接口：{method} {url}', en: 'No such endpoint: {method} {url}' },
  forbidden: { 'zh-CN': '无权执行此操作', en: 'You are not allowed to do this' },
  unauthenticated: { 'zh-CN': '请先登录', en: 'Please sign in' },
  csrfMissing: {
    'zh-CN': '缺少或错误的 CSRF 令牌（x-csrf-token）',
    en: 'Missing or wrong CSRF token (x-csrf-token)',
  },
  rateLimited: {
    'zh-CN': '请求过于频繁，请 {retryAfter} 秒后再试',
    en: 'Too many requests; try again in {retryAfter} s',
  },
  payloadTooLarge: {
    'zh-CN': '请求体过大（上限 {limit} 字节）',
    en: 'The request body is too large (limit {limit} bytes)',
  },
  unsupportedMediaType: {
    'zh-CN': '不支持的内容类型：{contentType}',
    en: 'Unsupported content type: {contentType}',
  },
  conflict: { 'zh-CN': '与当前状态冲突', en: 'Conflicts with the current state' },
  versionConflict: {
    'zh-CN': '记录已被他人修改，请刷新后重试',
    en: 'Someone else changed this record; reload and try again',
  },
  duplicateCode: { 'zh-CN': '编码 {code} 已存在', en: 'Code {code} already exists' },
  calendarYearUnknown: {
    'zh-CN': '日历不包含 {year} 年的节假日安排，请先维护日历覆盖表',
    en: 'The calendar does not know the holidays of {year}; add them to the override table first',
  },
  internal: {
    'zh-CN': '服务器内部错误，已记录（请求号 {requestId}）',
    en: 'Internal server error, logged (request {requestId})',
  },
  unavailable: { 'zh-CN': '服务暂不可用', en: 'Service unavailable' },
};

/** Picks the caller's language from ?lang= or Accept-Language; zh-CN unless English is preferred. */
export function pickLang(acceptLanguage: string | undefined, query?: string): Lang {
  const pick = (s: string | undefined) =>
    s && /^\s*en\b/i.test(s) ? 'en' : s && /^\s*zh\b/i.test(s) ? 'zh-CN' : undefined;
  return pick(query) ?? pick(acceptLanguage) ?? 'zh-CN';
}

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/**
 * How an instant reads in a message: Shanghai wall-clock time to the minute, with its offset, as the pages
 * show it ("2026-11-30 10:00 +08:00"). The details beside the message keep the UTC ISO form for programs.
 */
export const shownInstant = (iso: string): string => {
  const local = formatShanghai(new Date(iso));
  return `${local.slice(0, 10)} ${local.slice(11, 16)} +08:00`;
};

/** Renders a message key in a language, filling {placeholders} from details (instants in Shanghai time). */
export function renderMessage(
  catalogue: MessageCatalogue,
  key: string,
  lang: Lang,
  details: Record<string, unknown>,
): string {
  const entry = catalogue[key];
  if (!entry) return key;
  return entry[lang].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = details[name];
    if (v === undefined) return `{${name}}`;
    if (typeof v !== 'string') return JSON.stringify(v);
    return UTC_INSTANT.test(v) && Number.isFinite(Date.parse(v)) ? shownInstant(v) : v;
  });
}
