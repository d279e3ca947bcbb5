import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { systemActor } from '../access/roles.js';
import { createApiKey } from '../access/users.service.js';
import { type DemoDistrict } from '../registry/demo/index.js';
import { loadDemoDistrict } from '../registry/demo.service.js';
import { searchOrgUnits } from '../registry/org-units.service.js';
import { interiorPoint } from '../registry/geo/interior.js';
import { fromWgs84 } from '../registry/geo/crs.js';
import type { Position } from '../registry/geo/types.js';
import { ensureDefaultRules } from './rules.service.js';
import { testDemoDistrict } from '../testing/demo-district.js';

let district: DemoDistrict;
beforeAll(async () => {
  district = await testDemoDistrict();
}, 180_000);

type Who = { cookie: string; csrf: string };

for (const dialect of DIALECTS) {
  describe(`routing over HTTP [${dialect}]`, () => {
    let t: TestApp;
    let staff: Who;
    let dispatcher: Who;
    let liaison: Who;
    let apiKey: string;
    let point: Position;
    const ids = new Map<string, string>();

    beforeAll(async () => {
      t = await buildTestApp(dialect);
      await loadDemoDistrict(t.deps, { district });
      await ensureDefaultRules(t.deps, { actor: systemActor('test') });
      for (const u of await searchOrgUnits(t.deps, systemActor('t'), { limit: 5000 })) ids.set(u.code, u.id);
      staff = await t.signIn('bureaustaff');
      dispatcher = await t.signIn('dispatcher');
      liaison = await t.signIn('liaison');
      apiKey = (
        await createApiKey(
          t.deps,
          { actor: systemActor('t') },
          { name: 'intake client', unitId: ids.get('310112')!, permissions: ['reports:create'] },
        )
      ).key;
      const cell = district.unitGrid.find((c) => c.subdistrictCode === '310112101' && !c.clipped)!;
      point = interiorPoint(cell.geometry.coordinates);
    }, 300_000);
    afterAll(async () => t.close());

    const get = (url: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'GET', url, headers });
    const resolveUrl = (q: Record<string, string | number>) =>
      `/api/routing/resolve?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}`;

    it('answers where a point belongs and who owns a category there, with unit names', async () => {
      const [x, y] = fromWgs84(point[0], point[1], 'gcj02');
      const res = await get(resolveUrl({ lng: x, lat: y, crs: 'gcj02', category: 'event:06001' }), {
        cookie: dispatcher.cookie,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const squad = ids.get('310112101-ZD')!;
      expect(body.responsible).toMatchObject({ unitId: squad, assisting: [] });
      expect(body.triage).toBeNull();
      expect(body.units[squad]).toMatchObject({
        code: '310112101-ZD',
        kind: 'squad',
        name: '莘庄镇城管执法中队',
      });
      expect(body.cells.find((c: { layer: string }) => c.layer === 'subdistricts')).toMatchObject({
        code: '310112101',
        unitId: ids.get('310112101'),
      });
      expect(body.units[ids.get('310112101')!].name).toBe('莘庄镇');
      expect(body.point.lng).toBeCloseTo(point[0], 5);
      // an API key that may create reports resolves too; without category: triage at the squad
      const byKey = await get(resolveUrl({ lng: point[0], lat: point[1], crs: 'wgs84' }), {
        authorization: `Bearer ${apiKey}`,
      });
      expect(byKey.statusCode).toBe(200);
      expect(byKey.json().triage).toEqual({ unitId: squad, reason: 'noCategory', ruleId: null });
    });

    it('answers a point far outside the district (a wrong CRS by hundreds of km) with triage at the bureau', async () => {
      const res = await get(
        resolveUrl({ lng: point[0] - 3.2, lat: point[1], crs: 'bd09', category: 'event:06001' }),
        { cookie: dispatcher.cookie },
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        cells: [],
        responsible: null,
        triage: { unitId: ids.get('310112'), reason: 'outsideDistrict' },
      });
      expect(res.json().units[ids.get('310112')!].kind).toBe('bureau');
    });

    it('refuses bad coordinates, CRS and categories with 400 naming the field, and unknown callers', async () => {
      const bad = async (q: Record<string, string | number>, field: string) => {
        const res = await get(resolveUrl(q), { cookie: dispatcher.cookie });
        expect(res.statusCode, JSON.stringify(q)).toBe(400);
        const err = res.json().error;
        expect(err.code).toBe('Invalid');
        expect(JSON.stringify(err.details)).toContain(field);
      };
      await bad({ lng: 'abc', lat: point[1], crs: 'wgs84' }, 'querystring.lng');
      await bad({ lng: 181, lat: point[1], crs: 'wgs84' }, 'querystring.lng');
      await bad({ lng: point[0], lat: -91, crs: 'wgs84' }, 'querystring.lat');
      await bad({ lng: point[0], crs: 'wgs84' }, 'querystring.lat');
      await bad({ lng: point[0], lat: point[1], crs: 'utm' }, 'querystring.crs');
      await bad({ lng: point[0], lat: point[1] }, 'querystring.crs');
      await bad(
        { lng: point[0], lat: point[1], crs: 'wgs84', category: 'event:6001' },
        'querystring.category',
      );
      await bad({ lng: point[0], lat: point[1], crs: 'wgs84', category: 'event:06999' }, 'category'); // well formed, unknown
      const english = await t.app.inject({
        method: 'GET',
        url: resolveUrl({ lng: point[0], lat: point[1], crs: 'wgs84', category: 'event:06999' }),
        headers: { cookie: dispatcher.cookie, 'accept-language': 'en' },
      });
      expect(english.json().error.message).toBe('There is no category event:06999');
      expect((await get(resolveUrl({ lng: point[0], lat: point[1], crs: 'wgs84' }), {})).statusCode).toBe(
        401,
      );
      expect(
        (await get(resolveUrl({ lng: point[0], lat: point[1], crs: 'wgs84' }), { cookie: liaison.cookie }))
          .statusCode,
      ).toBe(403);
    });

    it('lets bureau staff add and edit rules, refuses others and stale versions', async () => {
      const body = {
        categoryKey: 'event:06001',
        area: { kind: 'unit', unitId: ids.get('310112101') },
        lead: { departmentKind: 'illegalConstructionOffice' },
        priority: 10,
      };
      const write = (who: Who) => ({ cookie: who.cookie, 'x-csrf-token': who.csrf });
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/routing/rules',
            headers: write(dispatcher),
            payload: body,
          })
        ).statusCode,
      ).toBe(403);
      const unknownField = await t.app.inject({
        method: 'POST',
        url: '/api/routing/rules',
        headers: write(staff),
        payload: { ...body, lead: { departmentKind: 'army' } },
      });
      expect(unknownField.statusCode).toBe(400);
      const probeUrl = resolveUrl({ lng: point[0], lat: point[1], crs: 'wgs84', category: 'event:06001' });
      // the engine holds a snapshot from before the rule (so picking up the change is what is tested below)
      expect((await get(probeUrl, { cookie: dispatcher.cookie })).json().responsible).toMatchObject({
        unitId: ids.get('310112101-ZD'),
      });
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/routing/rules',
        headers: write(staff),
        payload: body,
      });
      expect(created.statusCode).toBe(201);
      const rule = created.json();
      expect(rule).toMatchObject({
        categoryKey: 'event:06001',
        majorCode: null,
        priority: 10,
        version: 1,
        active: true,
      });

      // the very next lookup routes by the new rule (no waiting for the engine's background check)
      const probe = await get(probeUrl, { cookie: dispatcher.cookie });
      expect(probe.json().responsible).toMatchObject({ ruleId: rule.id });
      expect(probe.json().units[probe.json().responsible.unitId].kind).toBe('department');

      const list = await get('/api/routing/rules', { cookie: dispatcher.cookie });
      expect(list.statusCode).toBe(200);
      const items = list.json().items as Array<{ id: string; priority: number }>;
      expect(items[0]!.id).toBe(rule.id); // highest priority first, above every default
      expect(items.slice(1).every((r) => r.priority < 0)).toBe(true);
      expect((await get('/api/routing/rules', { cookie: liaison.cookie })).statusCode).toBe(403);

      const patch = (payload: Record<string, unknown>) =>
        t.app.inject({
          method: 'PATCH',
          url: `/api/routing/rules/${rule.id}`,
          headers: write(staff),
          payload,
        });
      expect((await patch({ version: 1, priority: 20 })).statusCode).toBe(200);
      const stale = await patch({ version: 1, active: false });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('Conflict');
      const off = await patch({ version: 2, active: false });
      expect(off.json()).toMatchObject({ active: false, version: 3, priority: 20 });
      expect(
        (
          await t.app.inject({
            method: 'PATCH',
            url: '/api/routing/rules/nope',
            headers: write(staff),
            payload: { version: 1, note: 'x' },
          })
        ).statusCode,
      ).toBe(404);

      // the rule was switched off before this lookup: the default (莘庄镇's squad) decides again at once
      const afterOff = await get(probeUrl, { cookie: dispatcher.cookie });
      expect(afterOff.json().responsible).toMatchObject({ unitId: ids.get('310112101-ZD') });

      const stats = await get('/api/routing/stats', { cookie: staff.cookie });
      expect(stats.statusCode).toBe(200);
      expect(stats.json().layers).toHaveLength(6);
      expect((await get('/api/routing/stats', { cookie: dispatcher.cookie })).statusCode).toBe(403);
    });
  });
}
