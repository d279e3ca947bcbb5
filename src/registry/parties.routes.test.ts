import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { creditCodeCheckChar } from './codes.js';

const creditCode = (serial: string) => `91310112${serial}${creditCodeCheckChar(`91310112${serial}`)}`;

for (const dialect of DIALECTS) {
  describe(`registry parties over HTTP [${dialect}]`, () => {
    let t: TestApp;
    let staff: { cookie: string; csrf: string };
    let units: Record<string, { id: string; code: string }>;
    const write = (
      method: 'POST' | 'PATCH',
      url: string,
      payload: unknown,
      headers: Record<string, string> = {},
    ) =>
      t.app.inject({
        method,
        url,
        headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, ...headers },
        payload: payload as string,
      });

    beforeAll(async () => {
      t = await buildTestApp(dialect);
      staff = await t.signIn('bureaustaff');
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/org-units',
        headers: { cookie: staff.cookie },
      });
      units = {};
      for (const u of res.json().items as Array<{ id: string; code: string; kind: string }>)
        units[u.kind] ??= u;
    });
    afterAll(async () => t.close());

    it('creates a property company (201) and names the field of a bad credit code, a missing name and an unknown field', async () => {
      const ok = await write('POST', '/api/registry/property-companies', {
        name: '东苑物业',
        creditCode: creditCode('MA1HT0001'),
        contactPhone: '13812345678',
        subdistrictId: units.subdistrict!.id,
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({
        name: '东苑物业',
        contactPhone: '13812345678',
        parentUnit: { code: '310112101' },
        version: 1,
      });
      const bad = await write(
        'POST',
        '/api/registry/property-companies',
        { name: '坏码物业', creditCode: '91310112MA1GBX0000' },
        { 'accept-language': 'en' },
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({
        code: 'Invalid',
        details: { field: 'creditCode', reason: 'checkChar' },
      });
      expect(bad.json().error.message).toContain('credit code');
      const missing = await write('POST', '/api/registry/property-companies', {
        creditCode: creditCode('MA1HT0002'),
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.details.issues.map((i: { field: string }) => i.field)).toContain(
        'body.name',
      );
      const extra = await write('POST', '/api/registry/property-companies', {
        name: 'x',
        creditCode: creditCode('MA1HT0003'),
        owner: 'me',
      });
      expect(extra.statusCode).toBe(400);
      expect(JSON.stringify(extra.json())).toContain('owner');
      const dup = await write('POST', '/api/registry/property-companies', {
        name: '再来',
        creditCode: creditCode('MA1HT0001'),
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.details.field).toBe('creditCode');
      const listed = await t.app.inject({
        method: 'GET',
        url: '/api/registry/property-companies?q=东苑',
        headers: { cookie: staff.cookie },
      });
      expect(listed.json().items.map((c: { contactPhone: string }) => c.contactPhone)).toEqual([
        '138****5678',
      ]);
    });

    it('compounds: create, scope answers 404 like missing, stale PATCH answers 409 with the current record, deactivate', async () => {
      const created = await write('POST', '/api/registry/compounds', {
        code: 'HT-001',
        name: '东街小区',
        location: { lng: 121.38, lat: 31.11 },
        communityId: units.community!.id,
      });
      expect(created.statusCode).toBe(201);
      const c = created.json() as { id: string; version: number };
      const noCommunity = await write('POST', '/api/registry/compounds', {
        code: 'HT-002',
        name: '无居委',
        communityId: units.workstation!.id,
      });
      expect(noCommunity.statusCode).toBe(404);
      expect(noCommunity.json().error.details).toMatchObject({ entity: 'community', field: 'communityId' });
      // a department's liaison reads the registry but not this subdistrict's compounds
      const officer = await t.signIn('liaison');
      const hidden = await t.app.inject({
        method: 'GET',
        url: `/api/registry/compounds/${c.id}`,
        headers: { cookie: officer.cookie },
      });
      const missing = await t.app.inject({
        method: 'GET',
        url: '/api/registry/compounds/00000000-0000-7000-8000-000000000000',
        headers: { cookie: officer.cookie },
      });
      expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
      const strip = (b: { error: { details: Record<string, unknown> } }) => ({
        ...b.error,
        details: { ...b.error.details, id: undefined },
      });
      expect(strip(hidden.json())).toEqual(strip(missing.json()));
      const ws = await t.signIn('workstation');
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/registry/compounds/${c.id}`,
            headers: { cookie: ws.cookie },
          })
        ).statusCode,
      ).toBe(200);

      const v2 = await write('PATCH', `/api/registry/compounds/${c.id}`, { version: 1, name: '东街新村' });
      expect(v2.statusCode).toBe(200);
      expect(v2.json()).toMatchObject({ name: '东街新村', version: 2 });
      const stale = await write('PATCH', `/api/registry/compounds/${c.id}`, { version: 1, name: '抢改' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({
        code: 'Conflict',
        details: { field: 'version', current: { id: c.id, name: '东街新村', version: 2 } },
      });
      const badLat = await write('PATCH', `/api/registry/compounds/${c.id}`, {
        version: 2,
        location: { lng: 121.38, lat: 91 },
      });
      expect(badLat.statusCode).toBe(400);
      expect(badLat.json().error.details.issues[0].field).toBe('body.location.lat');
      const off = await write('POST', `/api/registry/compounds/${c.id}/active`, {
        active: false,
        version: 2,
      });
      expect(off.json()).toMatchObject({ active: false, version: 3 });
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/registry/compounds?active=all&q=HT-',
        headers: { cookie: staff.cookie },
      });
      expect(list.json().items.map((x: { code: string; active: boolean }) => [x.code, x.active])).toEqual([
        ['HT-001', false],
      ]);
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: `/api/registry/compounds/${c.id}/active`,
        headers: { cookie: staff.cookie },
        payload: { active: true },
      });
      expect(noCsrf.statusCode).toBe(403);
      const readOnly = await t.signIn('leader');
      const forbidden = await t.app.inject({
        method: 'POST',
        url: `/api/registry/compounds/${c.id}/active`,
        headers: { cookie: readOnly.cookie, 'x-csrf-token': readOnly.csrf },
        payload: { active: true },
      });
      expect(forbidden.statusCode).toBe(403);
    });

    it('departments and liaisons', async () => {
      const d = await write('POST', '/api/registry/departments', {
        code: '310112-SCJG',
        kind: 'market',
        name: '闵行区市场监管局',
      });
      expect(d.statusCode).toBe(201);
      const badKind = await write('POST', '/api/registry/departments', {
        code: '310112-X',
        kind: 'navy',
        name: 'x',
      });
      expect(badKind.statusCode).toBe(400);
      expect(badKind.json().error.details.issues[0].field).toBe('body.kind');
      const l = await write('POST', `/api/registry/departments/${d.json().id}/liaisons`, {
        name: '郑科长',
        phone: '13700001111',
      });
      expect(l.statusCode).toBe(201);
      const ls = await t.app.inject({
        method: 'GET',
        url: `/api/registry/departments/${d.json().id}/liaisons`,
        headers: { cookie: staff.cookie },
      });
      expect(ls.json().items).toMatchObject([{ name: '郑科长', phone: '137****1111' }]);
    });

    it('imports CSV (text/csv): 400 naming every bad line and field, nothing imported; skipBadRows imports the rest; export.csv reads back', async () => {
      const file =
        '\uFEFFname,address,lng,lat,subdistrictCode,business\r\n面馆,老街 1 号,121.37,31.11,310112101,餐饮\r\n"错, 街镇",,121.37,31.11,999999999,\r\n无名,,121.37,abc,310112101,\r\n';
      const rejected = await write('POST', '/api/registry/merchants/import', file, {
        'content-type': 'text/csv; charset=utf-8',
        'accept-language': 'en',
      });
      expect(rejected.statusCode).toBe(400);
      expect(rejected.json().error).toMatchObject({ code: 'Invalid', details: { field: 'body', count: 2 } });
      expect(
        rejected.json().error.details.problems.map((p: { line: number; field: string }) => [p.line, p.field]),
      ).toEqual([
        [3, 'subdistrictCode'],
        [4, 'lat'],
      ]);
      expect(rejected.json().error.details.problems[0].message).toContain('999999999');
      const none = await t.app.inject({
        method: 'GET',
        url: '/api/registry/merchants?active=all',
        headers: { cookie: staff.cookie },
      });
      expect(none.json().items).toEqual([]);
      const skipped = await write('POST', '/api/registry/merchants/import?skipBadRows=true', file, {
        'content-type': 'text/csv',
      });
      expect(skipped.statusCode).toBe(200);
      expect(skipped.json()).toMatchObject({
        kind: 'merchants',
        rows: 3,
        imported: 1,
        rejected: false,
        skippedLines: [3, 4],
      });
      const exp = await t.app.inject({
        method: 'GET',
        url: '/api/registry/merchants/export.csv',
        headers: { cookie: staff.cookie },
      });
      expect(exp.statusCode).toBe(200);
      expect(exp.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(exp.headers['content-disposition']).toBe('attachment; filename="merchants.csv"');
      expect(exp.body).toBe(
        '\uFEFFname,address,lng,lat,subdistrictCode,business,active\r\n面馆,老街 1 号,121.37,31.11,310112101,餐饮,true\r\n',
      );
      const gbk = await write(
        'POST',
        '/api/registry/merchants/import',
        Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0d, 0x0a, 0xd6, 0xd0]) as unknown as string,
        { 'content-type': 'text/csv' },
      );
      expect(gbk.statusCode).toBe(400);
      expect(gbk.json().error.code).toBe('Invalid');
    });

    it('accepts text/csv only on the import routes, and lists the routes in the OpenAPI document', async () => {
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'text/csv' },
        payload: 'username,password\r\n',
      });
      expect(login.statusCode).toBe(415);
      const oa = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
        paths: Record<
          string,
          Record<string, { tags?: string[]; requestBody?: { content: Record<string, unknown> } }>
        >;
      };
      expect(Object.keys(oa.paths)).toEqual(
        expect.arrayContaining([
          '/api/registry/compounds',
          '/api/registry/compounds/{id}',
          '/api/registry/property-companies',
          '/api/registry/departments/{id}/liaisons',
          '/api/registry/merchants/import',
          '/api/registry/compounds/export.csv',
        ]),
      );
      expect(oa.paths['/api/registry/compounds']!.post!.tags).toEqual(['registry']);
      expect(Object.keys(oa.paths['/api/registry/merchants/import']!.post!.requestBody!.content)).toEqual([
        'text/csv',
      ]);
    });
  });
}
