import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { systemActor } from '../access/roles.js';
import { createApiKey, createUser } from '../access/users.service.js';
import { DEMO_PASSWORD } from '../registry/demo-seed.service.js';
import { BUREAU_CODE, squadCode } from '../registry/demo.service.js';
import { fromWgs84 } from '../registry/geo/crs.js';
import type { DemoDistrict } from '../registry/demo/index.js';
import {
  ENFORCEMENT,
  MEILONG,
  XINZHUANG,
  generateDistrict,
  loadDistrict,
  offset,
  type LoadedDistrict,
  type Place,
} from './reports.test-support.js';
import { anonymousActor, storePhoto } from './photos.service.js';
import { jpeg } from './photos.test-support.js';

let district: DemoDistrict;
beforeAll(async () => {
  district = await generateDistrict();
}, 180_000);

type Who = { cookie: string; csrf: string };

for (const dialect of DIALECTS) {
  describe(`reports over HTTP [${dialect}]`, () => {
    let t: TestApp;
    let d: LoadedDistrict;
    let dispatcher: Who;
    let meilong: Who;
    let officer: Who;
    let importKey: string;
    let createKey: string;
    let pts: Place[];
    const count = async () =>
      Number(
        (
          await t.deps.database.db
            .selectFrom('report')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(payload),
      });
    const as = (w: Who, write = false) => ({
      cookie: w.cookie,
      ...(write ? { 'x-csrf-token': w.csrf } : {}),
    });
    const report = (p: Place, extra: Record<string, unknown> = {}) => ({
      channel: 'resident',
      categoryKey: ENFORCEMENT,
      description: '楼下有人私搭乱建',
      location: { lng: p.lng, lat: p.lat, crs: 'wgs84' },
      ...extra,
    });

    beforeAll(async () => {
      t = await buildTestApp(dialect);
      d = await loadDistrict(t.deps, district);
      pts = d.deepPoints(XINZHUANG, 8);
      const system = { actor: systemActor('test') };
      await createUser(t.deps, system, {
        username: 'meilong',
        displayName: '梅陇受理员',
        password: DEMO_PASSWORD,
        role: 'dispatcher',
        unitId: d.id(squadCode(MEILONG)),
      });
      dispatcher = await t.signIn('dispatcher');
      officer = await t.signIn('officer');
      meilong = await t.signIn('meilong');
      importKey = (
        await createApiKey(t.deps, system, {
          name: '12345 bridge',
          unitId: d.id(BUREAU_CODE),
          permissions: ['reports:import'],
        })
      ).key;
      createKey = (
        await createApiKey(t.deps, system, {
          name: 'app',
          unitId: d.id(BUREAU_CODE),
          permissions: ['reports:create'],
        })
      ).key;
    }, 300_000);
    afterAll(async () => t.close());

    it('takes an anonymous resident’s report (GCJ-02 by default) and answers with a tracking code', async () => {
      const [gx, gy] = fromWgs84(pts[0]!.lng, pts[0]!.lat, 'gcj02');
      const res = await post('/api/reports', {
        channel: 'resident',
        description: '占道经营',
        location: { lng: gx, lat: gy, accuracy: 15 },
        reporter: { phone: '13812345678' },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        status: 'triage',
        responsibleUnit: null,
        triage: { reason: 'noCategory', unit: { id: d.id(squadCode(XINZHUANG)) } },
      });
      expect(body.trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      const track = await t.app.inject({ method: 'GET', url: `/api/track/${body.trackingCode}` });
      expect(track.statusCode).toBe(200);
      expect(track.json()).toEqual({
        trackingCode: body.trackingCode,
        status: 'triage',
        receivedAt: body.receivedAt,
        category: null,
        caseCode: body.caseCode,
        replies: [],
      });
      expect(track.body).not.toMatch(/138|5678|占道/);
      expect((await t.app.inject({ method: 'GET', url: '/api/track/ABCDEFGHJK' })).statusCode).toBe(404);
    });

    it('refuses bad input with a 4xx naming the field, and stores nothing', async () => {
      const before = await count();
      const cases: Array<[unknown, number, string]> = [
        [report(pts[1]!, { categoryKey: 'event:06999' }), 400, 'categoryKey'],
        [report(pts[1]!, { location: null }), 400, 'location'],
        [report(d.farOutside), 400, 'location'],
        [report(pts[1]!, { description: 'x'.repeat(4001) }), 400, 'description'],
        [report(pts[1]!, { owner: 'me' }), 400, 'body'],
        [report(pts[1]!, { channel: 'fax' }), 400, 'body.channel'],
        [{ channel: 'resident', location: { lng: 121.4, lat: 31.1 } }, 400, 'body.description'],
        [report(pts[1]!, { observedAt: 'yesterday' }), 400, 'observedAt'],
        [report(pts[1]!, { reporter: { phone: 'x' } }), 400, 'reporter.phone'],
        [report(pts[1]!, { description: 'a\u0000b' }), 400, 'description'],
      ];
      for (const [payload, status, field] of cases) {
        const res = await post('/api/reports', payload, { 'accept-language': 'en' });
        expect(res.statusCode, JSON.stringify(payload).slice(0, 200)).toBe(status);
        const err = res.json().error;
        const fields = [
          err.details.field,
          ...((err.details.issues ?? []) as Array<{ field: string }>).map((i) => i.field),
        ].join(' ');
        expect(fields, res.body).toContain(field);
        expect(err.message).not.toMatch(/\{\w+\}/); // every placeholder filled
      }
      // a 10 MB description: refused by the body limit before it is read
      const huge = await post('/api/reports', report(pts[1]!, { description: 'x'.repeat(10 * 1024 * 1024) }));
      expect(huge.statusCode).toBe(413);
      expect(huge.json().error.code).toBe('PayloadTooLarge');
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/reports',
            headers: { 'content-type': 'text/plain' },
            payload: 'hello',
          })
        ).statusCode,
      ).toBe(415);
      // staff channels need a login and the right role
      expect((await post('/api/reports', report(pts[1]!, { channel: 'patrol' }))).statusCode).toBe(401);
      expect(
        (
          await post('/api/reports', report(pts[1]!, { channel: 'patrol' }), {
            authorization: `Bearer ${createKey}`,
          })
        ).statusCode,
      ).toBe(403);
      expect(await count()).toBe(before);
      const patrol = await post('/api/reports', report(pts[1]!, { channel: 'patrol' }), as(officer, true));
      expect(patrol.statusCode).toBe(201);
      expect(patrol.json()).toMatchObject({
        status: 'open',
        responsibleUnit: { id: d.id(squadCode(XINZHUANG)) },
      });
    });

    it('honours Idempotency-Key: the same body replays the first answer, another body is 409, 20 concurrent retries make one report', async () => {
      const body = report(pts[2]!);
      const first = await post('/api/reports', body, { 'idempotency-key': 'phone-retry-1' });
      expect(first.statusCode).toBe(201);
      const again = await post(
        '/api/reports',
        { ...body, location: { crs: 'wgs84', lat: pts[2]!.lat, lng: pts[2]!.lng } },
        { 'idempotency-key': 'phone-retry-1' },
      ); // keys in another order: the same body
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      const other = await post(
        '/api/reports',
        { ...body, description: '别的事' },
        { 'idempotency-key': 'phone-retry-1' },
      );
      expect(other.statusCode).toBe(409);
      expect(other.json().error).toMatchObject({ code: 'Conflict', details: { field: 'Idempotency-Key' } });
      // the key belongs to its principal: a signed-in officer's key of the same name is another record
      const officers = await post(
        '/api/reports',
        { ...body, channel: 'patrol' },
        { ...as(officer, true), 'idempotency-key': 'phone-retry-1' },
      );
      expect(officers.statusCode).toBe(201);
      expect(officers.json().id).not.toBe(first.json().id);
      expect(
        (await post('/api/reports', body, { 'idempotency-key': 'k'.repeat(101) })).json().error.details.field,
      ).toBe('Idempotency-Key');

      const before = await count();
      const burst = await Promise.all(
        Array.from({ length: 20 }, () =>
          post('/api/reports', report(pts[3]!), { 'idempotency-key': 'burst-7' }),
        ),
      );
      expect(burst.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
      expect(new Set(burst.map((r) => r.json().id)).size).toBe(1);
      expect(await count()).toBe(before + 1);
    });

    it('lists and shows reports in scope with masked phones; another subdistrict’s squad gets 404; the triage queue, assign and split', async () => {
      const a = (
        await post('/api/reports', report(pts[4]!, { reporter: { name: '王五', phone: '13911112222' } }))
      ).json();
      const b = (await post('/api/reports', report(offset(pts[4]!, 20, 0)))).json();
      expect(b.duplicateOf).toMatchObject({ caseId: a.caseId });
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/reports?limit=100',
        headers: as(dispatcher),
      });
      expect(list.statusCode).toBe(200);
      const mine = list.json().items.find((r: { id: string }) => r.id === a.id);
      expect(mine.reporter).toEqual({ name: '王五', phone: '139****2222', anonymous: false });
      expect(list.body).not.toContain('13911112222');
      const detail = await t.app.inject({ method: 'GET', url: `/api/reports/${a.id}`, headers: as(officer) });
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({
        reporter: { phone: '139****2222' },
        caseReportIds: [a.id, b.id],
      });
      expect(detail.json().routing.cells).toHaveLength(6);
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/reports/${a.id}`, headers: as(meilong) })).statusCode,
      ).toBe(404);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/reports/nope', headers: as(meilong) })).statusCode,
      ).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `/api/reports/${a.id}` })).statusCode).toBe(401);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/reports?limit=500', headers: as(meilong) }))
          .json()
          .items.some((r: { id: string }) => r.id === a.id),
      ).toBe(false);

      const nearby = await t.app.inject({
        method: 'GET',
        url: `/api/reports/nearby?lng=${pts[4]!.lng}&lat=${pts[4]!.lat}&crs=wgs84&category=${ENFORCEMENT}`,
      });
      expect(nearby.statusCode).toBe(200);
      expect(nearby.json().items[0]).toMatchObject({ caseId: a.caseId, reports: 2 });
      expect(nearby.body).not.toContain('王五');

      const split = await t.app.inject({
        method: 'POST',
        url: `/api/reports/${b.id}/split`,
        headers: as(dispatcher, true),
      });
      expect(split.statusCode).toBe(200);
      expect(split.json().case.id).not.toBe(a.caseId);
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/reports/${a.id}/split`,
            headers: as(dispatcher, true),
          })
        ).statusCode,
      ).toBe(409);

      const queue = await t.app.inject({
        method: 'GET',
        url: '/api/reports/triage',
        headers: as(dispatcher),
      });
      expect(queue.statusCode).toBe(200);
      const waiting = queue.json().items as Array<{ id: string; triage: { reason: string } }>;
      expect(waiting.length).toBeGreaterThan(0);
      expect(waiting.every((r) => r.triage.reason)).toBe(true);
      const first = waiting[0]!;
      const assign = await t.app.inject({
        method: 'POST',
        url: `/api/reports/${first.id}/assign`,
        headers: { ...as(dispatcher, true), 'content-type': 'application/json' },
        payload: JSON.stringify({ categoryKey: ENFORCEMENT, unitId: d.id(squadCode(XINZHUANG)) }),
      });
      expect(assign.statusCode).toBe(200);
      expect(assign.json()).toMatchObject({
        status: 'open',
        case: { responsibleUnit: { id: d.id(squadCode(XINZHUANG)) } },
      });
      expect(assign.json().reporter.phone).not.toContain('*'); // a dispatcher may call back
      const after = (
        await t.app.inject({ method: 'GET', url: '/api/reports/triage', headers: as(dispatcher) })
      ).json().items;
      expect(after.some((r: { id: string }) => r.id === first.id)).toBe(false);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/reports/triage', headers: as(officer) })).statusCode,
      ).toBe(403);
    });

    it('shows a report’s photos in its detail, with thumbnail and served copy that load', async () => {
      const photo = await storePhoto(t.deps, { actor: anonymousActor() }, { bytes: await jpeg(300, 200, 8) });
      const created = await post('/api/reports', report(offset(pts[6]!, 0, 400), { photoIds: [photo.id] }));
      expect(created.statusCode).toBe(201);
      const detail = await t.app.inject({
        method: 'GET',
        url: `/api/reports/${created.json().id}`,
        headers: as(dispatcher),
      });
      expect(detail.statusCode).toBe(200);
      expect(detail.json().photos).toEqual([
        {
          id: photo.id,
          sha256: photo.sha256,
          servedUrl: `/api/photos/${photo.id}`,
          thumbUrl: `/api/photos/${photo.id}/thumb`,
          mime: 'image/jpeg',
          bytes: photo.bytes,
          width: 300,
          height: 200,
        },
      ]);
      const thumb = await t.app.inject({ method: 'GET', url: detail.json().photos[0].thumbUrl });
      expect(thumb.statusCode).toBe(200);
      expect(thumb.headers['content-type']).toBe('image/webp');
      const served = await t.app.inject({ method: 'GET', url: detail.json().photos[0].servedUrl });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
    });

    it('imports a 12345 CSV over HTTP with an API key (reports:import): bad rows by line, a re-import skips the tickets', async () => {
      const p = offset(pts[5]!, 0, 0);
      const csv = `\uFEFFticketId,receivedAt,category,description,lng,lat,crs,address,reporterName,reporterPhone\r\nW-1,2026-11-29 08:00,${ENFORCEMENT},来电,${p.lng},${p.lat},wgs84,某路,赵六,13600001111\r\nW-2,,,坏坐标,abc,31,wgs84,,,\r\n`;
      const send = (key: string, body: string, type = 'text/csv') =>
        t.app.inject({
          method: 'POST',
          url: '/api/reports/import?channel=hotline12345',
          headers: { authorization: `Bearer ${key}`, 'content-type': type, 'accept-language': 'en' },
          payload: body,
        });
      const res = await send(importKey, csv);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        channel: 'hotline12345',
        rows: 2,
        imported: 1,
        skipped: [],
        rejected: false,
      });
      expect(res.json().problems).toEqual([
        expect.objectContaining({
          line: 3,
          field: 'lng',
          key: 'coordinateFormat',
          message: expect.stringContaining('not a number'),
        }),
      ]);
      const again = await send(importKey, csv);
      expect(again.json()).toMatchObject({ imported: 0, skipped: [{ line: 2, ticketId: 'W-1' }] });
      const jsonl = `${JSON.stringify({ ticketId: 'W-3', description: 'ndjson', lng: p.lng, lat: p.lat + 0.003, crs: 'wgs84' })}\n`;
      expect((await send(importKey, jsonl, 'application/x-ndjson')).json()).toMatchObject({ imported: 1 });
      expect((await send(createKey, csv)).statusCode).toBe(403);
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/reports/import',
            headers: { 'content-type': 'text/csv' },
            payload: csv,
          })
        ).statusCode,
      ).toBe(401);
      expect((await send(importKey, JSON.stringify({ a: 1 }), 'application/json')).statusCode).toBe(400);
      expect((await send(importKey, Buffer.from([0xff, 0xfe, 0x41]) as unknown as string)).statusCode).toBe(
        400,
      ); // not UTF-8
    });

    it('never answers 5xx to random and malformed bodies, headers and queries', async () => {
      const near = pts[6]!;
      const crs = fc.constantFrom('wgs84', 'gcj02', 'bd09', 'WGS84', '', 'utm');
      const num = fc.oneof(
        fc.double(),
        fc.double({ min: near.lng - 0.01, max: near.lng + 0.01, noNaN: true }),
        fc.double({ min: near.lat - 0.01, max: near.lat + 0.01, noNaN: true }),
        fc.integer(),
        fc.constant(1e308),
      );
      const text = fc.oneof(
        fc.string(),
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'binary', maxLength: 50 }),
        fc.constant('a\u0000b'),
        fc.constant(''),
      );
      const body = fc.oneof(
        fc.anything(),
        fc.record(
          {
            channel: fc.constantFrom(
              'resident',
              'patrol',
              'hotline12345',
              'open311',
              'dualReport',
              'gridWorker',
              'x',
            ),
            categoryKey: fc.oneof(
              fc.constantFrom(ENFORCEMENT, 'event:06005', 'component:01001', 'event:99999', null),
              text,
            ),
            description: text,
            location: fc.oneof(
              fc.constant(null),
              fc.record(
                { lng: num, lat: num, crs, accuracy: fc.oneof(num, fc.constant(null)) },
                { requiredKeys: [] },
              ),
              fc.anything(),
            ),
            compoundId: fc.oneof(text, fc.constant(d.compound.id), fc.constant(null)),
            address: fc.oneof(text, fc.constant(null)),
            observedAt: fc.oneof(
              text,
              fc.date({ noInvalidDate: true }).map((x) => x.toISOString()),
              fc.constant(null),
            ),
            photoIds: fc.array(text, { maxLength: 12 }),
            reporter: fc.oneof(
              fc.constant(null),
              fc.record(
                {
                  name: fc.oneof(text, fc.constant(null)),
                  phone: fc.oneof(text, fc.constantFrom('13812345678', '021-64123456')),
                  anonymous: fc.boolean(),
                },
                { requiredKeys: [] },
              ),
            ),
            sourceTicketId: fc.oneof(text, fc.constant(null)),
          },
          { requiredKeys: [] },
        ),
      );
      // nearly valid: a good report with random optional parts, so that many requests reach the store
      const nearlyValid = fc.record(
        {
          channel: fc.constant('resident'),
          categoryKey: fc.constantFrom(ENFORCEMENT, 'event:06005', 'component:01001', null),
          description: fc.string({ minLength: 1, maxLength: 200 }).map((x) => `报告 ${x}`),
          location: fc.record({
            lng: fc.double({ min: near.lng - 0.002, max: near.lng + 0.002, noNaN: true }),
            lat: fc.double({ min: near.lat - 0.002, max: near.lat + 0.002, noNaN: true }),
            crs: fc.constantFrom('wgs84', 'gcj02'),
          }),
          reporter: fc.option(
            fc.record({
              name: fc.string({ maxLength: 20 }),
              phone: fc.constantFrom('13812345678', 'abc', ''),
            }),
            { nil: undefined },
          ),
          observedAt: fc.option(
            fc
              .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
              .map((x) => x.toISOString()),
            { nil: undefined },
          ),
        },
        { requiredKeys: ['channel', 'description', 'location'] },
      );
      const raw = fc.oneof(
        body.map((b) => JSON.stringify(b) ?? 'null'),
        nearlyValid.map((b) => JSON.stringify(b)),
        fc.string(),
        fc.constant('{"channel":'),
        fc.constant(''),
      );
      const header = fc.option(fc.oneof(fc.string({ maxLength: 120 }), fc.constantFrom('k1', 'k2', 'k3')), {
        nil: undefined,
      });
      const contentType = fc.constantFrom(
        'application/json',
        'application/json',
        'application/json',
        'text/csv',
        'application/x-ndjson',
        'multipart/form-data; boundary=x',
      );
      const runs = dialect === 'sqlite' ? 2000 : 400;
      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(raw, header, contentType, async (payload, key, type) => {
          const headers: Record<string, string> = { 'content-type': type };
          if (key !== undefined && /^[\t\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
          const res = await t.app.inject({ method: 'POST', url: '/api/reports', headers, payload });
          seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500)
            throw new Error(`${res.statusCode} for ${payload.slice(0, 300)}: ${res.body}`);
        }),
        { numRuns: runs },
      );
      // the bodies reach every layer: the schema (400), domain checks (400/401/403/409) and the store (201)
      expect(seen.get(201) ?? 0).toBeGreaterThan(0);
      expect(seen.get(400) ?? 0).toBeGreaterThan(runs / 4);
      const queries = fc.dictionary(
        fc.constantFrom(
          'lng',
          'lat',
          'crs',
          'category',
          'radius',
          'channel',
          'status',
          'triage',
          'unitId',
          'from',
          'to',
          'limit',
          'cursor',
          'x',
        ),
        fc.oneof(fc.string(), fc.double().map(String), fc.constant('a%00b')),
      );
      await fc.assert(
        fc.asyncProperty(
          queries,
          fc.constantFrom(
            '/api/reports/nearby',
            '/api/reports',
            '/api/reports/triage',
            '/api/track/',
            '/api/reports/',
          ),
          fc.string(),
          async (q, path, tail) => {
            const qs = Object.entries(q)
              .map(([k, v]) => `${k}=${encodeURIComponent(v).replace('a%2500b', 'a%00b')}`)
              .join('&');
            const url = path.endsWith('/')
              ? `${path}${encodeURIComponent(tail) || 'x'}?${qs}`
              : `${path}?${qs}`;
            const res = await t.app.inject({ method: 'GET', url, headers: as(dispatcher) });
            if (res.statusCode >= 500) throw new Error(`${res.statusCode} for GET ${url}: ${res.body}`);
          },
        ),
        { numRuns: dialect === 'sqlite' ? 1000 : 300 },
      );
    }, 300_000);
  });
}
