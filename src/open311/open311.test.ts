import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDomainError } from '../platform/errors.js';
import type { Category } from '../registry/categories.js';
import {
  MAX_SPAN_DAYS,
  categoryKeyOfServiceCode,
  formatOfUrl,
  langOf,
  listXml,
  open311Time,
  parseNewServiceRequest,
  parseRequestsQuery,
  parseWindow,
  reporterName,
  serviceCodeOf,
  serviceOf,
  splitFormat,
  statusOf,
  xmlText,
} from './open311.js';
import { parseXml, xmlItems } from './schemas.testing.js';

const NOW = new Date('2026-11-29T08:00:00Z'); // 16:00 in Shanghai
const DAY = 86_400_000;

/** The refusal a call throws: its message key and the field it names. */
function refusal(f: () => unknown): { key: string; field: unknown } {
  try {
    f();
  } catch (e) {
    if (isDomainError(e)) return { key: e.messageKey, field: e.details.field };
    throw e;
  }
  throw new Error('no refusal');
}

const category = (over: Partial<Category> = {}): Category => ({
  key: 'event:06001',
  kind: 'event',
  code: '06001',
  majorCode: '06',
  majorName: '市容环境',
  majorNameEn: 'City appearance and environment',
  parentKey: null,
  name: '私搭乱建',
  nameEn: 'Illegal construction',
  local: false,
  family: 'illegalConstruction',
  defaultUnitKind: 'squad',
  defaultTimeLimit: '5 workday',
  active: true,
  version: 1,
  ...over,
});

describe('service_code ↔ category key', () => {
  it('drops the colon and reads both spellings back', () => {
    expect(serviceCodeOf('event:06001')).toBe('event06001');
    expect(categoryKeyOfServiceCode('event06001')).toBe('event:06001');
    expect(categoryKeyOfServiceCode('event:06001')).toBe('event:06001');
    expect(categoryKeyOfServiceCode('component01001')).toBe('component:01001');
    for (const bad of [
      '06001',
      'event0600',
      'event060011',
      'EVENT06001',
      'thing:06001',
      '',
      'event::06001',
    ]) {
      expect(categoryKeyOfServiceCode(bad)).toBeNull();
    }
  });

  it('round-trips every well-formed key (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('component', 'event'), fc.stringMatching(/^\d{5}$/), (kind, code) => {
        const key = `${kind}:${code}`;
        expect(categoryKeyOfServiceCode(serviceCodeOf(key))).toBe(key);
        expect(serviceCodeOf(key)).toMatch(/^[a-z]+\d{5}$/); // URL-safe: no escaping in services/{code}.json
      }),
    );
  });
});

describe('services', () => {
  it('names the service in zh-CN by default and in English on request; group is the major class', () => {
    const zh = serviceOf(category(), 'zh-CN');
    expect(zh).toMatchObject({
      service_code: 'event06001',
      service_name: '私搭乱建',
      group: '市容环境',
      metadata: false,
      type: 'realtime',
    });
    const en = serviceOf(category(), 'en');
    expect(en).toMatchObject({
      service_name: 'Illegal construction',
      group: 'City appearance and environment',
    });
    // a major class without an English name falls back to the Chinese one rather than to nothing
    expect(serviceOf(category({ majorNameEn: null }), 'en').group).toBe('市容环境');
  });

  it('picks the language from locale first, then Accept-Language', () => {
    expect(langOf(undefined, undefined)).toBe('zh-CN');
    expect(langOf('en', undefined)).toBe('en');
    expect(langOf('en_US', 'zh-CN')).toBe('en');
    expect(langOf('en-GB', undefined)).toBe('en');
    expect(langOf(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(langOf('zh_CN', 'en')).toBe('zh-CN');
    expect(langOf(['en', 'en'], undefined)).toBe('zh-CN'); // a repeated locale is not trusted
  });
});

describe('status', () => {
  it('is closed for every terminal case state, open otherwise (triage included)', () => {
    expect(statusOf(null)).toBe('open');
    expect(statusOf('open')).toBe('open');
    expect(statusOf('triage')).toBe('open');
    expect(statusOf('closed')).toBe('closed');
    expect(statusOf('voided')).toBe('closed');
    expect(statusOf('open', '2026-11-29T00:00:00.000Z')).toBe('closed');
  });

  it('writes instants in Shanghai time with +08:00', () => {
    expect(open311Time('2026-11-29T08:00:00.000Z')).toBe('2026-11-29T16:00:00.000+08:00');
    expect(open311Time('2026-11-29T17:30:00.000Z')).toBe('2026-11-30T01:30:00.000+08:00');
  });
});

describe('paths', () => {
  it('splits {id}.{format} at the last dot and knows only json and xml', () => {
    expect(splitFormat('event06001.json')).toEqual({ id: 'event06001', format: 'json' });
    expect(splitFormat('ABC.XML')).toEqual({ id: 'ABC', format: 'xml' });
    expect(splitFormat('a.b.xml')).toEqual({ id: 'a.b', format: 'xml' });
    expect(splitFormat('event06001')).toBeNull();
    expect(splitFormat('.json')).toBeNull();
    expect(splitFormat('x.html')).toBeNull();
    expect(formatOfUrl('/open311/v2/requests.xml?status=open')).toBe('xml');
    expect(formatOfUrl('/open311/v2/nothing')).toBe('json');
  });
});

describe('GET requests filters', () => {
  it('defaults to the 90 days up to now and at most 1000 requests', () => {
    const q = parseRequestsQuery({}, NOW);
    expect(q.window.to).toEqual(NOW);
    expect(NOW.getTime() - q.window.from.getTime()).toBe(MAX_SPAN_DAYS * DAY);
    expect(q.limit).toBe(1000);
  });

  it('reads comma-delimited and repeated lists; service_request_id overrides the rest', () => {
    const q = parseRequestsQuery(
      { service_code: ['event06001,component:01001', 'event06001'], status: 'open,CLOSED' },
      NOW,
    );
    expect(q.categoryKeys).toEqual(['event:06001', 'component:01001']);
    expect(q.statuses).toEqual(['open', 'closed']);
    const byId = parseRequestsQuery({ service_request_id: 'AB12,CD34', status: 'nonsense' }, NOW);
    expect(byId.ids).toEqual(['AB12', 'CD34']);
    expect(byId.statuses).toBeUndefined();
  });

  it('refuses a bad status, service_code, id or date, naming the parameter', () => {
    expect(refusal(() => parseRequestsQuery({ status: 'pending' }, NOW))).toEqual({
      key: 'open311Status',
      field: 'status',
    });
    expect(refusal(() => parseRequestsQuery({ service_code: '06001' }, NOW))).toEqual({
      key: 'open311ServiceCode',
      field: 'service_code',
    });
    expect(refusal(() => parseRequestsQuery({ service_request_id: 'a b' }, NOW))).toEqual({
      key: 'open311RequestId',
      field: 'service_request_id',
    });
    expect(refusal(() => parseRequestsQuery({ start_date: 'yesterday' }, NOW))).toEqual({
      key: 'open311Date',
      field: 'start_date',
    });
    expect(refusal(() => parseRequestsQuery({ end_date: '2026-11-01T10:00:00' }, NOW))).toEqual({
      key: 'open311DateZone',
      field: 'end_date',
    });
    expect(refusal(() => parseRequestsQuery({ start_date: ['2026-11-01', '2026-11-02'] }, NOW))).toEqual({
      key: 'open311Repeated',
      field: 'start_date',
    });
    expect(refusal(() => parseRequestsQuery({ start_date: '2026-02-30' }, NOW))).toEqual({
      key: 'open311Date',
      field: 'start_date',
    });
  });

  it('takes dates with a zone or bare Shanghai days; refuses reversed or wider than 90 days', () => {
    const w = parseWindow({ start_date: '2026-11-01', end_date: '2026-11-02' }, NOW);
    expect(w.from.toISOString()).toBe('2026-10-31T16:00:00.000Z'); // 00:00 in Shanghai
    expect(w.to.toISOString()).toBe('2026-11-02T15:59:59.999Z'); // the end of the day in Shanghai
    const z = parseWindow({ start_date: '2026-11-01T00:00:00Z', end_date: '2026-11-01T12:00:00+08:00' }, NOW);
    expect(z.to.getTime() - z.from.getTime()).toBe(4 * 3600_000);
    expect(refusal(() => parseWindow({ start_date: '2026-11-02', end_date: '2026-11-01' }, NOW)).key).toBe(
      'open311RangeReversed',
    );
    expect(refusal(() => parseWindow({ start_date: '2026-01-01', end_date: '2026-11-01' }, NOW)).key).toBe(
      'open311RangeTooLong',
    );
    const onlyEnd = parseWindow({ end_date: '2026-06-01T00:00:00+08:00' }, NOW);
    expect(onlyEnd.to.getTime() - onlyEnd.from.getTime()).toBe(MAX_SPAN_DAYS * DAY);
    const onlyStart = parseWindow({ start_date: '2026-11-20T00:00:00+08:00' }, NOW);
    expect(onlyStart.to).toEqual(NOW); // never past now
  });

  it('never throws anything but a domain refusal, whatever the query (property)', () => {
    const value = fc.oneof(
      fc.string(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constant(undefined),
      fc.integer(),
      fc.object(),
    );
    const keys = fc.constantFrom(
      'service_request_id',
      'service_code',
      'start_date',
      'end_date',
      'status',
      'jurisdiction_id',
      'x',
    );
    fc.assert(
      fc.property(fc.dictionary(keys, value), (raw) => {
        try {
          const q = parseRequestsQuery(raw, NOW);
          expect(q.window.from.getTime()).toBeLessThanOrEqual(q.window.to.getTime());
          expect(q.window.to.getTime() - q.window.from.getTime()).toBeLessThanOrEqual(MAX_SPAN_DAYS * DAY);
        } catch (e) {
          expect(isDomainError(e) && e.code === 'Invalid').toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('POST requests form', () => {
  const base = {
    service_code: 'event06001',
    lat: '31.1',
    long: '121.38',
    description: '小区里搭了一间彩钢板房',
  };

  it('reads the spec fields: location, description, contact, media_url', () => {
    const r = parseNewServiceRequest({
      ...base,
      email: 'a@b.cn',
      first_name: '小明',
      last_name: '王',
      phone: '138 1234 5678',
      media_url: 'https://img.example.cn/1.jpg',
      'attribute[x]': 'y',
    });
    expect(r).toMatchObject({
      categoryKey: 'event:06001',
      location: { lat: 31.1, lng: 121.38 },
      email: 'a@b.cn',
      phone: '13812345678',
      mediaUrl: 'https://img.example.cn/1.jpg',
    });
    expect(reporterName(r.firstName, r.lastName)).toBe('王小明');
    expect(reporterName('Jane', 'Doe')).toBe('Jane Doe');
    expect(parseNewServiceRequest({ service_code: 'event06001', address_id: 'C001' })).toMatchObject({
      location: null,
      addressId: 'C001',
      description: '',
    });
  });

  it('refuses, naming the field: no service_code, no location, half a point, bad numbers, too long a description', () => {
    expect(refusal(() => parseNewServiceRequest({ lat: '31', long: '121' }))).toEqual({
      key: 'open311Required',
      field: 'service_code',
    });
    expect(refusal(() => parseNewServiceRequest({ service_code: 'x' }))).toEqual({
      key: 'open311ServiceCode',
      field: 'service_code',
    });
    expect(refusal(() => parseNewServiceRequest({ service_code: 'event06001' }))).toEqual({
      key: 'open311LocationMissing',
      field: 'lat',
    });
    expect(refusal(() => parseNewServiceRequest({ ...base, long: undefined }))).toEqual({
      key: 'open311LatLongPair',
      field: 'long',
    });
    expect(refusal(() => parseNewServiceRequest({ ...base, lat: '91' }))).toEqual({
      key: 'open311Coordinate',
      field: 'lat',
    });
    expect(refusal(() => parseNewServiceRequest({ ...base, long: 'NaN' }))).toEqual({
      key: 'open311Coordinate',
      field: 'long',
    });
    expect(refusal(() => parseNewServiceRequest({ ...base, long: '0x10' }))).toEqual({
      key: 'open311Coordinate',
      field: 'long',
    });
    expect(refusal(() => parseNewServiceRequest({ ...base, description: '字'.repeat(4001) }))).toEqual({
      key: 'open311TooLong',
      field: 'description',
    });
    expect(refusal(() => parseNewServiceRequest({ ...base, email: 'nobody' }))).toEqual({
      key: 'open311Email',
      field: 'email',
    });
    expect(refusal(() => parseNewServiceRequest({ ...base, media_url: 'javascript:alert(1)' }))).toEqual({
      key: 'open311MediaUrl',
      field: 'media_url',
    });
    expect(refusal(() => parseNewServiceRequest({ ...base, lat: ['31', '32'] }))).toEqual({
      key: 'open311Repeated',
      field: 'lat',
    });
  });

  it('never throws anything but a domain refusal, whatever the form (property)', () => {
    const keys = fc.constantFrom(
      'service_code',
      'lat',
      'long',
      'address_string',
      'address_id',
      'description',
      'email',
      'phone',
      'media_url',
      'first_name',
      'last_name',
      'api_key',
    );
    const value = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.constant('event06001'),
      fc.constant(''),
    );
    fc.assert(
      fc.property(fc.dictionary(keys, value), (raw) => {
        try {
          const r = parseNewServiceRequest(raw);
          expect(r.location !== null || r.addressString !== null || r.addressId !== null).toBe(true);
          if (r.location) expect(Math.abs(r.location.lat)).toBeLessThanOrEqual(90);
        } catch (e) {
          expect(isDomainError(e) && e.code === 'Invalid').toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('XML', () => {
  it('writes lists with the spec element names, empty elements for null, and escapes text', () => {
    const xml = listXml('requests', [
      { service_request_id: 'A1', description: 'a < b & "c"', lat: null, long: 121.5 },
    ]);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const doc = parseXml(xml) as { service_requests: unknown };
    const [r] = xmlItems(doc.service_requests, 'request');
    expect(r).toMatchObject({ service_request_id: 'A1', description: 'a < b & "c"', lat: '', long: '121.5' });
    expect(
      xmlItems((parseXml(listXml('services', [])) as { services: unknown }).services, 'service'),
    ).toEqual([]);
  });

  it('always produces well-formed XML that gives the text back, minus characters XML cannot carry (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const doc = parseXml(listXml('errors', [{ code: 400, description: s }])) as { errors: unknown };
        const [e] = xmlItems(doc.errors, 'error');
        expect(e?.description ?? '').toBe(
          xmlText(s)
            .replace(/&#13;/g, '\r')
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&amp;/g, '&'),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
