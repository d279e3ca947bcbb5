/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) over OneGrid: how our categories, reports
 * and case states read as Open311 services and service requests, and how Open311 query strings and
 * form posts read as our inputs. Pure rules: no I/O, no clock (a `now` is passed in).
 *
 * Decisions (ARCHITECTURE.md's open311/ row; the report of issue 4 repeats them):
 * - service_code is the category key without its colon: 'event:06001' → 'event06001'. The bare 5-digit
 *   code is ambiguous (管理部件 and 管理事项 both have 01001), and the colon would need escaping in the
 *   `services/{code}.json` path. On input the key itself ('event:06001') is accepted too.
 * - status is 'closed' once the report's case is closed (or voided, rejected …: every terminal state);
 *   a report in the triage queue or on an open case is 'open'.
 * - Instants are ISO 8601 in Asia/Shanghai with an explicit +08:00 offset.
 */
import { invalid, type DomainError } from '../platform/errors.js';
import {
  DAY_MS,
  formatShanghai,
  parseInstant,
  startOfShanghaiDay,
  dayNumberOf,
} from '../platform/calendar/shanghai-time.js';
import type { Category, CategoryKey } from '../registry/categories.js';

/** The two representations of GeoReport v2; XML is the spec's required one. */
export const FORMATS = ['json', 'xml'] as const;
export type Format = (typeof FORMATS)[number];
export const isFormat = (v: string): v is Format => (FORMATS as readonly string[]).includes(v);

export type Lang = 'zh-CN' | 'en';

/** The spec's longest default window for GET requests (and the widest range we accept). */
export const MAX_SPAN_DAYS = 90;
/** The spec's default and our maximum page of GET requests. */
export const MAX_REQUESTS = 1000;
/** How many ids one `service_request_id` list may name. */
export const MAX_IDS = 200;
/** The Open311 request schema's limit on description. */
export const DESCRIPTION_MAX = 4000;

// ---------------------------------------------------------------------------------------------------------
// Path segments: 'event06001.json' → { id, format }
// ---------------------------------------------------------------------------------------------------------

/** Splits a path segment `{id}.{format}` at its last dot; null when the format is not json or xml. */
export function splitFormat(segment: string): { id: string; format: Format } | null {
  const dot = segment.lastIndexOf('.');
  if (dot <= 0) return null;
  const ext = segment.slice(dot + 1).toLowerCase();
  return isFormat(ext) ? { id: segment.slice(0, dot), format: ext } : null;
}

/** The format an error should be written in: XML when the path ends in .xml, JSON otherwise. */
export function formatOfUrl(url: string): Format {
  const path = (url.split('?')[0] ?? '').toLowerCase();
  return path.endsWith('.xml') ? 'xml' : 'json';
}

// ---------------------------------------------------------------------------------------------------------
// service_code ↔ category key
// ---------------------------------------------------------------------------------------------------------

/** The service_code of a category: its key without the colon ('event:06001' → 'event06001'). */
export const serviceCodeOf = (key: CategoryKey | string): string => key.replace(':', '');

/** The category key a service_code names ('event06001' or 'event:06001'); null when it names none. */
export function categoryKeyOfServiceCode(code: string): CategoryKey | null {
  const m = /^(component|event):?(\d{5})$/.exec(code.trim());
  return m ? (`${m[1]}:${m[2]}` as CategoryKey) : null;
}

const KIND_LABEL: Record<Category['kind'], Record<Lang, string>> = {
  component: { 'zh-CN': '管理部件', en: 'Managed component' },
  event: { 'zh-CN': '管理事项', en: 'Managed matter' },
};

/** An Open311 service (GET services). */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

/**
 * A category as an Open311 service: name in the caller's language, group = its major class, no extra
 * attributes (metadata false), realtime (a report is routed and answered in the same request).
 */
export function serviceOf(c: Category, lang: Lang): Open311Service {
  const en = lang === 'en';
  const major = en ? (c.majorNameEn ?? c.majorName) : c.majorName;
  const kind = KIND_LABEL[c.kind][lang];
  const standard = c.local ? (en ? 'local category' : '本区扩展类别') : 'GB/T 47678.5';
  return {
    service_code: serviceCodeOf(c.key),
    service_name: en ? c.nameEn : c.name,
    description: `${kind} ${c.code} (${standard})`,
    metadata: false,
    type: 'realtime',
    keywords: [c.kind, c.code, c.name, c.nameEn].join(','),
    group: major,
  };
}

/** A service definition (GET services/{code}): we ask for no attributes beyond the standard fields. */
export interface Open311ServiceDefinition {
  service_code: string;
  attributes: never[];
}

export const serviceDefinitionOf = (c: Category): Open311ServiceDefinition => ({
  service_code: serviceCodeOf(c.key),
  attributes: [],
});

// ---------------------------------------------------------------------------------------------------------
// Case state → Open311 status
// ---------------------------------------------------------------------------------------------------------

export type Open311Status = 'open' | 'closed';
export const OPEN311_STATUSES: readonly Open311Status[] = ['open', 'closed'];

/** Case states after which nothing more will be done: Open311 calls all of them 'closed'. */
export const TERMINAL_CASE_STATUSES: readonly string[] = [
  'closed',
  'voided',
  'rejected',
  'declined',
  'cancelled',
  'archived',
];

/** The Open311 status of a report: closed when its case is in a terminal state, open otherwise. */
export function statusOf(caseStatus: string | null | undefined, closedAt?: string | null): Open311Status {
  if (closedAt) return 'closed';
  return caseStatus != null && TERMINAL_CASE_STATUSES.includes(caseStatus) ? 'closed' : 'open';
}

/** An instant as Open311 wants it: ISO 8601 with the Shanghai offset. */
export const open311Time = (iso: string): string => formatShanghai(new Date(iso));

// ---------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------

/** A service request (GET requests, GET requests/{id}); every field of the spec, null when unknown. */
export interface Open311Request {
  service_request_id: string;
  status: Open311Status;
  status_notes: string | null;
  service_name: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** The answer to POST requests. */
export interface Open311Receipt {
  service_request_id: string;
  token: string;
  service_notice: string | null;
  /** We keep no accounts of Open311 users; left out (the Swagger's RequestResponse types it string, not null). */
  account_id?: string;
}

/** The answer to GET tokens/{token}. */
export interface Open311Token {
  service_request_id: string;
  token: string;
}

/** mySociety's GET servicerequestupdates item. */
export interface Open311Update {
  update_id: string;
  service_request_id: string;
  status: Open311Status;
  updated_datetime: string;
  description: string;
  media_url: string | null;
}

/** The discovery document (http://wiki.open311.org/Service_discovery). */
export interface Open311Discovery {
  changeset: string;
  contact: string;
  key_service: string;
  endpoints: Array<{
    specification: string;
    url: string;
    changeset: string;
    type: 'production' | 'test';
    formats: string[];
  }>;
}

/** When the shape of this endpoint last changed (discovery's changeset). */
export const CHANGESET = '2026-11-29T18:00:00+08:00';

export function discoveryOf(baseUrl: string, lang: Lang): Open311Discovery {
  return {
    changeset: CHANGESET,
    contact:
      lang === 'en'
        ? 'District urban management bureau, OneGrid operations; ask your bureau contact for help'
        : '区城市管理行政执法局 一网统管运维组；如需帮助请联系对接人',
    key_service:
      lang === 'en'
        ? 'API keys with the open311:submit permission are issued by the bureau (onegrid users api-key)'
        : '提交服务请求需要具有 open311:submit 权限的 API 密钥，由区局签发（onegrid users api-key）',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: baseUrl,
        changeset: CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Parameters (query strings and form bodies)
// ---------------------------------------------------------------------------------------------------------

/** A parsed query string or form body: node's parser gives a string, or an array for a repeated key. */
export type RawParams = Record<string, unknown>;

/** A single-valued parameter (text, or a JSON body's number); a repeated or other one is refused, naming it. */
export function single(raw: RawParams, field: string): string | undefined {
  const v = raw[field];
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v); // a JSON body's numbers
  if (typeof v !== 'string') throw invalid('open311Repeated', { field });
  return v;
}

/** A list parameter: comma-delimited and/or repeated; blanks dropped. */
export function list(raw: RawParams, field: string): string[] | undefined {
  const v = raw[field];
  if (v === undefined) return undefined;
  const parts = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : ''));
  const items = parts
    .flatMap((p) => p.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items;
}

/** Caller's language: ?locale= (en, en-US, en_US, zh-CN …) first, then Accept-Language; zh-CN by default. */
export function langOf(locale: unknown, acceptLanguage: string | undefined): Lang {
  const pick = (s: string | undefined) =>
    s && /^\s*en(\b|_)/i.test(s) ? 'en' : s && /^\s*zh(\b|_)/i.test(s) ? 'zh-CN' : undefined;
  return pick(typeof locale === 'string' ? locale : undefined) ?? pick(acceptLanguage) ?? 'zh-CN';
}

/** start_date / end_date: ISO 8601 with a zone, or a bare date (a whole day in Shanghai). */
export function parseDateParam(text: string, field: string, edge: 'start' | 'end'): Date {
  const value = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    let day: number;
    try {
      day = dayNumberOf(value, field);
    } catch {
      throw invalid('open311Date', { field, value: text });
    }
    return new Date(startOfShanghaiDay(edge === 'start' ? day : day + 1) - (edge === 'start' ? 0 : 1));
  }
  try {
    return parseInstant(value, field);
  } catch (e) {
    const key = (e as DomainError).messageKey === 'timezoneRequired' ? 'open311DateZone' : 'open311Date';
    throw invalid(key, { field, value: text });
  }
}

/** The time window of a listing; the spec's default is the last 90 days. */
export interface Window {
  from: Date;
  to: Date;
}

/**
 * start_date and end_date → a window of at most 90 days. Neither: the 90 days up to now. Only start: 90
 * days from it (not past now). Only end: the 90 days before it. Refuses a reversed or wider range.
 */
export function parseWindow(raw: RawParams, now: Date): Window {
  const s = single(raw, 'start_date');
  const e = single(raw, 'end_date');
  const span = MAX_SPAN_DAYS * DAY_MS;
  const start = s === undefined || s.trim() === '' ? undefined : parseDateParam(s, 'start_date', 'start');
  const end = e === undefined || e.trim() === '' ? undefined : parseDateParam(e, 'end_date', 'end');
  if (start && end) {
    if (end.getTime() < start.getTime())
      throw invalid('open311RangeReversed', { field: 'end_date', start: s, end: e });
    if (end.getTime() - start.getTime() > span)
      throw invalid('open311RangeTooLong', { field: 'end_date', days: MAX_SPAN_DAYS });
    return { from: start, to: end };
  }
  if (start)
    return {
      from: start,
      to: new Date(Math.min(start.getTime() + span, Math.max(now.getTime(), start.getTime()))),
    };
  if (end) return { from: new Date(end.getTime() - span), to: end };
  return { from: new Date(now.getTime() - span), to: now };
}

/** A service_request_id as we issue them: letters, digits, '-' and '_'. */
export const isRequestId = (v: string): boolean => /^[A-Za-z0-9_-]{1,64}$/.test(v);

export interface RequestsQuery {
  /** service_request_id: when given it overrides every other filter (the spec says so). */
  ids?: string[];
  categoryKeys?: CategoryKey[];
  statuses?: Open311Status[];
  window: Window;
  limit: number;
}

/** GET requests: the spec's filters, checked, each refusal naming its parameter. */
export function parseRequestsQuery(raw: RawParams, now: Date): RequestsQuery {
  const ids = list(raw, 'service_request_id');
  if (ids !== undefined && ids.length > 0) {
    if (ids.length > MAX_IDS)
      throw invalid('open311TooManyIds', { field: 'service_request_id', max: MAX_IDS });
    const bad = ids.find((id) => !isRequestId(id));
    if (bad !== undefined) throw invalid('open311RequestId', { field: 'service_request_id', value: bad });
    return { ids: [...new Set(ids)], window: parseWindow({}, now), limit: MAX_REQUESTS };
  }
  const codes = list(raw, 'service_code');
  let categoryKeys: CategoryKey[] | undefined;
  if (codes !== undefined && codes.length > 0) {
    categoryKeys = codes.map((c) => {
      const k = categoryKeyOfServiceCode(c);
      if (!k) throw invalid('open311ServiceCode', { field: 'service_code', value: c });
      return k;
    });
  }
  const st = list(raw, 'status');
  let statuses: Open311Status[] | undefined;
  if (st !== undefined && st.length > 0) {
    statuses = st.map((v) => {
      const s = v.toLowerCase();
      if (s !== 'open' && s !== 'closed') throw invalid('open311Status', { field: 'status', value: v });
      return s;
    });
  }
  return {
    ...(categoryKeys ? { categoryKeys: [...new Set(categoryKeys)] } : {}),
    ...(statuses ? { statuses: [...new Set(statuses)] } : {}),
    window: parseWindow(raw, now),
    limit: MAX_REQUESTS,
  };
}

/** A new service request as posted, checked; the location is WGS-84 (the spec says so). */
export interface NewServiceRequest {
  categoryKey: CategoryKey;
  location: { lng: number; lat: number } | null;
  addressString: string | null;
  addressId: string | null;
  description: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  mediaUrl: string | null;
  deviceId: string | null;
  accountId: string | null;
}

const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

function coordinate(raw: RawParams, field: 'lat' | 'long', max: number): number | undefined {
  const v = single(raw, field);
  if (v === undefined || v.trim() === '') return undefined;
  const n = NUMBER.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || Math.abs(n) > max) throw invalid('open311Coordinate', { field, value: v, max });
  return n;
}

function text(raw: RawParams, field: string, max: number): string | null {
  const v = single(raw, field);
  if (v === undefined) return null;
  const t = v.trim();
  if (t === '') return null;
  if ([...t].length > max) throw invalid('open311TooLong', { field, max });
  return t;
}

/**
 * POST requests: service_code, a location (lat+long, address_string or address_id), description and the
 * optional contact fields. Unknown fields (attribute[…], device_id …) are ignored: we define no attributes.
 */
export function parseNewServiceRequest(raw: RawParams): NewServiceRequest {
  const code = single(raw, 'service_code');
  if (code === undefined || code.trim() === '') throw invalid('open311Required', { field: 'service_code' });
  const categoryKey = categoryKeyOfServiceCode(code);
  if (!categoryKey) throw invalid('open311ServiceCode', { field: 'service_code', value: code });

  const lat = coordinate(raw, 'lat', 90);
  const lng = coordinate(raw, 'long', 180);
  if ((lat === undefined) !== (lng === undefined)) {
    throw invalid('open311LatLongPair', { field: lat === undefined ? 'lat' : 'long' });
  }
  const addressString = text(raw, 'address_string', 500);
  const addressId = text(raw, 'address_id', 64);
  const location = lat !== undefined && lng !== undefined ? { lng, lat } : null;
  if (!location && !addressString && !addressId) throw invalid('open311LocationMissing', { field: 'lat' });

  const description = text(raw, 'description', DESCRIPTION_MAX) ?? '';
  const email = text(raw, 'email', 254);
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw invalid('open311Email', { field: 'email', value: email });
  // Spaces, dots and brackets are dropped; what is left must be a phone number as intake stores it.
  const given = text(raw, 'phone', 32);
  const phone = given === null ? null : given.replace(/[\s().]/g, '');
  if (given !== null && !/^\+?[0-9][0-9-]{4,19}$/.test(phone ?? ''))
    throw invalid('open311Phone', { field: 'phone', value: given });
  const mediaUrl = text(raw, 'media_url', 2000);
  if (mediaUrl !== null && !isHttpUrl(mediaUrl))
    throw invalid('open311MediaUrl', { field: 'media_url', value: mediaUrl });
  return {
    categoryKey,
    location,
    addressString,
    addressId,
    description,
    email,
    firstName: text(raw, 'first_name', 100),
    lastName: text(raw, 'last_name', 100),
    phone,
    mediaUrl,
    deviceId: text(raw, 'device_id', 100),
    accountId: text(raw, 'account_id', 100),
  };
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The reporter's name from first_name and last_name, Chinese order when the text is Chinese. */
export function reporterName(first: string | null, last: string | null): string | null {
  if (!first && !last) return null;
  if (!first || !last) return first ?? last;
  return /[\u3400-\u9fff]/.test(first + last) ? `${last}${first}` : `${first} ${last}`;
}

// ---------------------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------------------

/** A value as XML writes it: scalars, null (an empty element), nested objects, and lists of one item name. */
export type XmlValue = string | number | boolean | null | undefined | XmlObject | XmlList;
export interface XmlObject {
  readonly [name: string]: XmlValue;
}
/** A list written as repeated `<item>` elements. */
export class XmlList {
  constructor(
    readonly item: string,
    readonly items: readonly XmlValue[],
  ) {}
}

// XML 1.0 forbids most control characters and lone surrogates even when escaped: drop them.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Text escaped for an XML element, with characters XML cannot carry removed; CR as a character reference,
 * else a parser would normalise it to LF.
 */
export const xmlText = (s: string): string =>
  s
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');

function element(name: string, v: XmlValue): string {
  if (v === null || v === undefined || v === '') return `<${name}/>`;
  if (v instanceof XmlList) {
    const inner = v.items.map((i) => element(v.item, i)).join('');
    return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
  }
  if (typeof v === 'object') {
    return `<${name}>${Object.entries(v)
      .map(([k, x]) => element(k, x))
      .join('')}</${name}>`;
  }
  return `<${name}>${xmlText(String(v))}</${name}>`;
}

/** A whole document with its declaration (the spec requires encoding="UTF-8"). */
export const xmlDocument = (root: string, v: XmlValue): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, v)}\n`;

/** The spec's element names for each list we answer. */
export const XML_SHAPES = {
  services: { root: 'services', item: 'service' },
  requests: { root: 'service_requests', item: 'request' },
  updates: { root: 'service_request_updates', item: 'request_update' },
  errors: { root: 'errors', item: 'error' },
} as const;

/** Open311 service definition as XML: attributes as a list of <attribute>. */
export const serviceDefinitionXml = (d: Open311ServiceDefinition): string =>
  xmlDocument('service_definition', {
    service_code: d.service_code,
    attributes: new XmlList('attribute', d.attributes),
  });

/** The discovery document as XML: endpoints/endpoint, formats/format. */
export const discoveryXml = (d: Open311Discovery): string =>
  xmlDocument('discovery', {
    changeset: d.changeset,
    contact: d.contact,
    key_service: d.key_service,
    endpoints: new XmlList(
      'endpoint',
      d.endpoints.map((e) => ({ ...e, formats: new XmlList('format', e.formats) })),
    ),
  });

/** A list (services, requests, updates, errors) as XML. */
export const listXml = (shape: keyof typeof XML_SHAPES, items: readonly object[]): string =>
  xmlDocument(XML_SHAPES[shape].root, new XmlList(XML_SHAPES[shape].item, items as XmlObject[]));

// ---------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------

/** The spec's error item: `[{ code, description }]` / `<errors><error>…`. */
export interface Open311Error {
  code: number;
  description: string;
}
