import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { createApiKey } from '../access/users.service.js';
import { systemActor } from '../access/roles.js';
import type { HttpServer } from '../platform/http/server.js';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { type DemoDistrict } from '../registry/demo/index.js';
import { loadDemoDistrict } from '../registry/demo.service.js';
import { searchCompounds } from '../registry/parties.service.js';
import { searchOrgUnits } from '../registry/org-units.service.js';
import { assignReport, searchReports, submitReport } from '../intake/reports.service.js';
import { anonymousActor } from '../intake/photos.service.js';
import { createRoutingEngine } from '../routing/routing.service.js';
import {
  errorsOf,
  open311Validators,
  parseXml,
  xmlItems,
  type Open311Validators,
} from './schemas.testing.js';
import { testDemoDistrict } from '../testing/demo-district.js';

const BASE = '/open311/v2';
const OFFSET = /[+-]\d{2}:\d{2}$/;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

let district: DemoDistrict;
let v: Open311Validators;
beforeAll(async () => {
  v = open311Validators();
  district = await testDemoDistrict();
}, 180_000);

/** The spec's error body in JSON: one item with the status as code and a text naming the problem. */
function expectJsonError(res: LightMyRequestResponse, status: number, mentions?: RegExp) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json() as Array<{ code: number; description: string }>;
  expect(body).toHaveLength(1);
  expect(body[0]!.code).toBe(status);
  if (mentions) expect(body[0]!.description).toMatch(mentions);
}

function expectXmlError(res: LightMyRequestResponse, status: number, mentions?: RegExp) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/xml/);
  const [e] = xmlItems((parseXml(res.body) as { errors: unknown }).errors, 'error');
  expect(e?.code).toBe(String(status));
  if (mentions) expect(String(e?.description)).toMatch(mentions);
}

for (const dialect of DIALECTS) {
  describe(`Open311 GeoReport v2 [${dialect}]`, () => {
    let deps: TestDeps;
    let app: HttpServer;
    let now = new Date('2026-11-20T02:00:00Z');
    let apiKey: string;
    let readOnlyKey: string;
    let point: { lng: number; lat: number };
    let compound: { id: string; code: string; name: string; address: string | null };
    const get = (url: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url: `${BASE}${url}`, headers });
    const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: `${BASE}${url}`,
        headers: { ...FORM, ...headers },
        payload: form(fields),
      });
    const reportCount = async () =>
      (await searchReports(deps, systemActor('t'), { limit: 500 })).items.length;

    beforeAll(async () => {
      deps = await buildTestDeps(dialect, { seed: false, now: () => now });
      await loadDemoDistrict(deps, { district });
      app = await buildApp(deps);
      await app.ready();
      const system = { actor: systemActor('t') };
      const [bureau] = await searchOrgUnits(deps, system.actor, { kind: 'bureau', limit: 1 });
      apiKey = (
        await createApiKey(deps, system, {
          name: 'open311 gateway',
          unitId: bureau!.id,
          permissions: ['open311:submit'],
        })
      ).key;
      readOnlyKey = (
        await createApiKey(deps, system, {
          name: 'reader',
          unitId: bureau!.id,
          permissions: ['registry:read'],
        })
      ).key;
      const compounds = await searchCompounds(deps, system.actor, { limit: 50 });
      const c = compounds.find((x) => x.location !== null)!;
      compound = { id: c.id, code: c.code, name: c.name, address: c.address };
      point = c.location!;
    }, 300_000);
    afterAll(async () => {
      await app?.close();
      await deps?.cleanup();
    });

    it('answers discovery in JSON and XML with this endpoint and both formats', async () => {
      const j = await get('/discovery.json');
      expect(j.statusCode).toBe(200);
      const d = j.json() as {
        changeset: string;
        endpoints: Array<{ url: string; specification: string; formats: string[]; type: string }>;
      };
      expect(d.changeset).toMatch(OFFSET);
      expect(d.endpoints[0]).toMatchObject({
        specification: 'http://wiki.open311.org/GeoReport_v2',
        type: 'production',
      });
      expect(d.endpoints[0]!.url).toMatch(/^http:\/\/localhost(:80)?\/open311\/v2$/); // absolute, from the request's host
      expect(d.endpoints[0]!.formats.sort()).toEqual(['application/json', 'text/xml']);
      const x = await get('/discovery.xml');
      expect(x.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
      const doc = parseXml(x.body) as { discovery: { endpoints: unknown; changeset: string } };
      const [ep] = xmlItems(doc.discovery.endpoints, 'endpoint');
      expect(ep?.url).toBe(d.endpoints[0]!.url);
      expect(xmlItems(ep?.formats, 'format') as unknown[]).toEqual(['text/xml', 'application/json']);
    });

    it('lists every active category as a service: schema-valid, zh-CN by default, English on request, same in XML', async () => {
      const zh = await get('/services.json');
      expect(zh.statusCode).toBe(200);
      const services = zh.json() as Array<{
        service_code: string;
        service_name: string;
        group: string;
        metadata: boolean;
        type: string;
      }>;
      expect(v.services(services), errorsOf(v.services)).toBe(true);
      expect(services.length).toBeGreaterThanOrEqual(403);
      const ic = services.find((s) => s.service_code === 'event06001');
      expect(ic).toMatchObject({ service_name: '私搭乱建', metadata: false, type: 'realtime' });
      expect(ic!.group).toMatch(/[\u4e00-\u9fff]/);
      const en = (await get('/services.json?locale=en')).json() as typeof services;
      expect(en.find((s) => s.service_code === 'event06001')!.service_name).toMatch(/^[\x20-\x7e]+$/);
      const en2 = (
        await get('/services.json', { 'accept-language': 'en-US,en;q=0.8' })
      ).json() as typeof services;
      expect(en2.find((s) => s.service_code === 'event06001')!.group).toBe(
        en.find((s) => s.service_code === 'event06001')!.group,
      );
      const x = await get('/services.xml');
      const items = xmlItems((parseXml(x.body) as { services: unknown }).services, 'service');
      expect(items).toHaveLength(services.length);
      expect(items.find((s) => s.service_code === 'event06001')).toMatchObject({
        service_name: '私搭乱建',
        metadata: 'false',
        type: 'realtime',
        group: ic!.group,
      });
      // one jurisdiction: its id is accepted, any other is the spec's 404
      expect((await get('/services.json?jurisdiction_id=310112')).statusCode).toBe(200);
      expectJsonError(await get('/services.json?jurisdiction_id=chicago.gov'), 404, /jurisdiction_id/);
      expectXmlError(await get('/services.xml?jurisdiction_id=chicago.gov'), 404, /jurisdiction_id/);
    });

    it('defines one service (no extra attributes) and answers 404 in the spec format for an unknown one', async () => {
      const d = await get('/services/event06001.json');
      expect(d.statusCode).toBe(200);
      expect(v.serviceDefinition(d.json()), errorsOf(v.serviceDefinition)).toBe(true);
      expect(d.json()).toEqual({ service_code: 'event06001', attributes: [] });
      expect((await get('/services/event:06001.json')).json()).toEqual({
        service_code: 'event06001',
        attributes: [],
      });
      const x = parseXml((await get('/services/event06001.xml')).body) as {
        service_definition: { service_code: string; attributes: unknown };
      };
      expect(x.service_definition.service_code).toBe('event06001');
      expect(xmlItems(x.service_definition.attributes, 'attribute')).toEqual([]);
      expectJsonError(await get('/services/event99999.json'), 404, /event99999/);
      expectXmlError(await get('/services/event99999.xml'), 404, /event99999/);
      expectJsonError(await get('/services/event06001.html'), 404);
      expectJsonError(await get('/nothing-here.json'), 404);
      expectXmlError(await get('/nothing-here.xml'), 404);
    });

    it('refuses POST without a good api_key with the spec 403, and stores nothing', async () => {
      const before = await reportCount();
      const fields = {
        service_code: 'event06001',
        lat: String(point.lat),
        long: String(point.lng),
        description: '无密钥',
      };
      expectJsonError(await post('/requests.json', fields), 403, /api_key/);
      expectJsonError(await post('/requests.json', { ...fields, api_key: 'og_nonsense' }), 403, /api_key/);
      expectJsonError(await post('/requests.json', { ...fields, api_key: `${apiKey}x` }), 403, /api_key/);
      expectXmlError(
        await post('/requests.xml', { ...fields, api_key: readOnlyKey }, { 'accept-language': 'en' }),
        403,
        /open311:submit/,
      );
      expect(await reportCount()).toBe(before);
    });

    it('refuses bad input with 4xx naming the problem, in the spec format, and stores nothing', async () => {
      const before = await reportCount();
      const ok = {
        api_key: apiKey,
        service_code: 'event06001',
        lat: String(point.lat),
        long: String(point.lng),
        description: '坏输入',
      };
      const en = { 'accept-language': 'en' };
      expectJsonError(await post('/requests.json', { ...ok, lat: '', long: '' }, en), 400, /location/i);
      expectJsonError(await post('/requests.json', { ...ok, long: '' }, en), 400, /long/);
      expectJsonError(await post('/requests.json', { ...ok, lat: 'north' }, en), 400, /lat/);
      expectJsonError(
        await post('/requests.json', { ...ok, service_code: 'event99999' }, en),
        400,
        /service_code/,
      );
      expectJsonError(await post('/requests.json', { ...ok, service_code: '' }, en), 400, /service_code/);
      expectJsonError(
        await post('/requests.json', { ...ok, lat: '39.9042', long: '116.4074' }, en),
        400,
        /outside the district/,
      ); // Beijing
      expectJsonError(
        await post('/requests.json', { ...ok, description: '长'.repeat(4001) }, en),
        400,
        /description/,
      );
      expectJsonError(
        await post('/requests.json', { ...ok, media_url: 'file:///etc/passwd' }, en),
        400,
        /media_url/,
      );
      expectJsonError(
        await post('/requests.json', { ...ok, lat: '', long: '', address_string: '莘庄镇某路1号' }, en),
        400,
        /address_string/,
      );
      expectJsonError(
        await post('/requests.json', { ...ok, lat: '', long: '', address_id: 'NO-SUCH' }, en),
        400,
        /address_id/,
      );
      expectXmlError(await post('/requests.xml', { ...ok, phone: 'call me' }, en), 400, /phone/);
      const big = await app.inject({
        method: 'POST',
        url: `${BASE}/requests.json`,
        headers: FORM,
        payload: form({ ...ok, description: 'x'.repeat(10 * 1024 * 1024) }),
      });
      expectJsonError(big, 413);
      const text = await app.inject({
        method: 'POST',
        url: `${BASE}/requests.xml`,
        headers: { 'content-type': 'text/plain' },
        payload: 'hello',
      });
      expectXmlError(text, 415);
      expect(await reportCount()).toBe(before);
    });

    let created: { service_request_id: string; token: string };
    it('creates a service request from a form post: tracking code as id, report id as token, routed by intake', async () => {
      const res = await post('/requests.json', {
        api_key: apiKey,
        service_code: 'event06001',
        lat: String(point.lat),
        long: String(point.lng),
        description: '小区绿地里新搭了一间彩钢板房',
        first_name: '小明',
        last_name: '王',
        phone: '138 1234 5678',
        email: 'wang@example.cn',
        media_url: 'https://img.example.cn/1.jpg',
        'attribute[none]': 'ignored',
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as Array<{
        service_request_id: string;
        token: string;
        service_notice: string;
        account_id?: string;
      }>;
      expect(v.receipts(body), errorsOf(v.receipts)).toBe(true);
      expect(body).toHaveLength(1);
      created = body[0]!;
      expect(created.service_request_id).toMatch(/^[0-9A-Z]{10}$/);
      expect(body[0]!.service_notice).toMatch(/已受理/);
      expect(body[0]).not.toHaveProperty('account_id'); // we keep no accounts: left out (the Swagger types it string, not null)

      const one = await get(`/requests/${created.service_request_id}.json`);
      expect(one.statusCode).toBe(200);
      const [r] = one.json() as Array<Record<string, unknown>>;
      expect(v.requests(one.json()), errorsOf(v.requests)).toBe(true);
      expect(r).toMatchObject({
        service_request_id: created.service_request_id,
        status: 'open',
        service_code: 'event06001',
        service_name: '私搭乱建',
        description: '小区绿地里新搭了一间彩钢板房',
        media_url: 'https://img.example.cn/1.jpg',
      });
      expect(r!.requested_datetime).toMatch(/\+08:00$/);
      expect(r!.updated_datetime).toMatch(/\+08:00$/);
      expect(typeof r!.address === 'string' && (r!.address as string).length > 0).toBe(true);
      expect(r!.address).toMatch(/[\u4e00-\u9fff]/); // named from the registry: community, subdistrict
      expect(r!.lat as number).toBeCloseTo(point.lat, 6);
      expect(r!.long as number).toBeCloseTo(point.lng, 6);
      expect(JSON.stringify(r)).not.toMatch(/13812345678|wang@example|王小明/); // no personal data in public listings

      // the same request in XML, with the same fields
      const x = await get(`/requests/${created.service_request_id}.xml`);
      const [xr] = xmlItems((parseXml(x.body) as { service_requests: unknown }).service_requests, 'request');
      for (const k of [
        'service_request_id',
        'status',
        'service_code',
        'service_name',
        'requested_datetime',
        'updated_datetime',
        'address',
        'description',
        'media_url',
      ])
        expect(xr?.[k], k).toBe(String(r![k]));
      expect(Number(xr?.lat)).toBeCloseTo(point.lat, 6);
      expect(xr?.expected_datetime).toBe('');

      // the token resolves to the same request; the Swagger's /request/{id} spelling works too
      const t = await get(`/tokens/${created.token}.json`);
      expect(v.tokens(t.json()), errorsOf(v.tokens)).toBe(true);
      expect(t.json()).toEqual([{ service_request_id: created.service_request_id, token: created.token }]);
      const tx = xmlItems(
        (parseXml((await get(`/tokens/${created.token}.xml`)).body) as { service_requests: unknown })
          .service_requests,
        'request',
      );
      expect(tx[0]).toEqual({ service_request_id: created.service_request_id, token: created.token });
      expect((await get(`/request/${created.service_request_id}.json`)).json()).toEqual(one.json());
      expectJsonError(await get('/tokens/0190a8c8-0000-7000-8000-000000000000.json'), 404, /0190a8c8/);
      expectJsonError(await get('/requests/ZZZZZZZZZZ.json'), 404);
      expectXmlError(await get('/requests/nope.xml'), 404);
    });

    it("places a request by address_id (a compound code); address is the compound's", async () => {
      now = new Date(now.getTime() + 60_000);
      const res = await post('/requests.xml', {
        api_key: apiKey,
        service_code: 'event03001',
        address_id: compound.code,
        description: '垃圾桶满溢',
      });
      expect(res.statusCode, res.body).toBe(200);
      const [receipt] = xmlItems(
        (parseXml(res.body) as { service_requests: unknown }).service_requests,
        'request',
      );
      expect(receipt?.service_request_id).toMatch(/^[0-9A-Z]{10}$/);
      const [r] = (
        await get(`/requests/${String(receipt!.service_request_id)}.json?locale=en`)
      ).json() as Array<Record<string, unknown>>;
      expect(r!.address_id).toBe(compound.code);
      // intake keeps the compound's own address when none is given; without one the compound is named
      expect(r!.address).toBe(compound.address ?? expect.stringContaining(compound.name));
    });

    it('lists requests with the spec filters, schema-valid in JSON and the same in XML', async () => {
      // a resident's report is listed too, but without its description (the resident wrote it for the bureau)
      now = new Date(now.getTime() + 60_000);
      const resident = await submitReport(
        deps,
        createRoutingEngine(deps),
        { actor: anonymousActor() },
        {
          channel: 'resident',
          categoryKey: 'event:06001',
          description: '我家楼下有人违建，我叫张三',
          location: { ...point, crs: 'wgs84' },
        },
      );
      const all = await get('/requests.json');
      expect(all.statusCode).toBe(200);
      expect(v.requests(all.json()), errorsOf(v.requests)).toBe(true);
      const list = all.json() as Array<Record<string, unknown>>;
      const ids = list.map((r) => r.service_request_id);
      expect(ids).toContain(created.service_request_id);
      expect(ids).toContain(resident.trackingCode);
      expect(list.find((r) => r.service_request_id === resident.trackingCode)!.description).toBeNull();
      expect(list.every((r) => typeof r.address === 'string' && r.address !== '')).toBe(true);
      const x = await get('/requests.xml');
      expect(
        xmlItems((parseXml(x.body) as { service_requests: unknown }).service_requests, 'request').map(
          (r) => r.service_request_id,
        ),
      ).toEqual(ids);

      const byCode = (await get('/requests.json?service_code=event03001')).json() as Array<{
        service_code: string;
      }>;
      expect(byCode.length).toBe(1);
      expect(byCode.every((r) => r.service_code === 'event03001')).toBe(true);
      expect((await get('/requests.json?status=closed')).json()).toEqual([]);
      expect(((await get('/requests.json?status=open')).json() as unknown[]).length).toBe(list.length);
      const byId = (
        await get(
          `/requests.json?service_request_id=${created.service_request_id},${resident.trackingCode}&status=closed`,
        )
      ).json() as unknown[];
      expect(byId).toHaveLength(2); // service_request_id overrides the other filters
      expect((await get('/requests.json?start_date=2026-12-01T00:00:00%2B08:00')).json()).toEqual([]);
      expect(
        ((await get('/requests.json?start_date=2026-11-20&end_date=2026-11-21')).json() as unknown[]).length,
      ).toBe(list.length);
      expectJsonError(await get('/requests.json?status=pending'), 400, /status/);
      expectJsonError(await get('/requests.json?start_date=2026-01-01&end_date=2026-11-01'), 400, /90/);
      expectXmlError(await get('/requests.xml?end_date=tomorrow'), 400, /end_date/);
    });

    it("answers mySociety's servicerequestupdates when a request's case changes", async () => {
      expect((await get('/servicerequestupdates.json')).json()).toEqual([]);
      const reports = await searchReports(deps, systemActor('t'), { channel: 'open311', limit: 10 });
      const mine = reports.items.find((r) => r.trackingCode === created.service_request_id)!;
      const [squad] = await searchOrgUnits(deps, systemActor('t'), { kind: 'squad', limit: 1 });
      now = new Date(now.getTime() + 3600_000);
      await assignReport(deps, { actor: systemActor('t') }, mine.id, { unitId: squad!.id });
      const res = await get('/servicerequestupdates.json');
      expect(res.statusCode).toBe(200);
      const updates = res.json() as Array<Record<string, unknown>>;
      const u = updates.find((x) => x.service_request_id === created.service_request_id);
      expect(u).toMatchObject({ status: 'open', media_url: null });
      expect(typeof u!.update_id).toBe('string');
      expect(u!.updated_datetime).toMatch(/\+08:00$/);
      expect(Date.parse(String(u!.updated_datetime))).toBe(now.getTime());
      const x = xmlItems(
        (parseXml((await get('/servicerequestupdates.xml')).body) as { service_request_updates: unknown })
          .service_request_updates,
        'request_update',
      );
      expect(x.find((e) => e.service_request_id === created.service_request_id)).toMatchObject({
        update_id: u!.update_id,
        status: 'open',
        updated_datetime: u!.updated_datetime,
      });
      expect((await get('/servicerequestupdates.json?start_date=2026-12-01')).json()).toEqual([]);
      const [r] = (await get(`/requests/${created.service_request_id}.json`)).json() as Array<
        Record<string, unknown>
      >;
      expect(r!.agency_responsible).toBe(squad!.name);
    });

    it('never answers 5xx to thousands of random and malformed queries and bodies (fast-check)', async () => {
      const paths = [
        '/discovery',
        '/services',
        '/services/event06001',
        '/services/x',
        '/requests',
        `/requests/${created.service_request_id}`,
        '/requests/x',
        '/tokens/x',
        `/tokens/${created.token}`,
        '/servicerequestupdates',
        '/request/x',
      ];
      const ext = fc.constantFrom('.json', '.xml', '', '.html', '.JSON');
      const params = fc.constantFrom(
        'service_request_id',
        'service_code',
        'start_date',
        'end_date',
        'status',
        'jurisdiction_id',
        'locale',
        'lat',
        'long',
        'description',
        'api_key',
        'address_id',
        'address_string',
        'email',
        'phone',
        'media_url',
        '__proto__',
        'constructor',
        'first_name',
      );
      const value = fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary' }),
        fc.constantFrom(
          'event06001',
          String(point.lat),
          String(point.lng),
          apiKey,
          '2026-11-20',
          'open',
          '1e999',
          '-0',
          'NaN',
          compound.code,
        ),
      );
      const pairs = fc.array(fc.tuple(params, value), { maxLength: 8 });
      const encode = (kv: Array<[string, string]>) =>
        kv.map(([k, x]) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`).join('&');
      const raw = fc.oneof(
        pairs.map(encode),
        fc.string({ unit: 'binary' }),
        fc.constantFrom('%', '%E0%A4%A', '&&==&', 'a[b]=1&a[c]=2', 'lat=1&lat=2'),
      );
      const contentType = fc.constantFrom(
        'application/x-www-form-urlencoded',
        'application/json',
        'text/plain',
        'multipart/form-data; boundary=x',
        'application/xml',
        '',
      );
      const runs = dialect === 'sqlite' ? 3000 : 1000;
      let fives = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...paths),
          ext,
          raw,
          fc.boolean(),
          contentType,
          raw,
          async (path, e, query, isPost, ct, body) => {
            const res = await app.inject({
              method: isPost ? 'POST' : 'GET',
              url: `${BASE}${path}${e}?${query.replace(/#/g, '%23')}`,
              headers: isPost && ct ? { 'content-type': ct } : {},
              ...(isPost ? { payload: body } : {}),
            });
            if (res.statusCode >= 500) fives++;
            expect(res.statusCode, `${path}${e}?${query} → ${res.body}`).toBeLessThan(500);
            if (res.statusCode >= 400) {
              const isXml = res.headers['content-type']?.toString().startsWith('text/xml');
              if (isXml)
                expect(xmlItems((parseXml(res.body) as { errors: unknown }).errors, 'error')[0]?.code).toBe(
                  String(res.statusCode),
                );
              else expect((res.json() as Array<{ code: number }>)[0]?.code).toBe(res.statusCode);
            }
          },
        ),
        { numRuns: runs },
      );
      expect(fives).toBe(0);
    }, 300_000);
  });
}
