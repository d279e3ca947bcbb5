import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { systemActor } from '../access/roles.js';
import { DomainError } from '../platform/errors.js';
import { exportGridLayer, getGridLayer, importGridLayer, listGridLayers, loadCurrentLayers } from './grid-layers.service.js';
import { fromWgs84 } from './geo/crs.js';

const square = (x0: number, y0: number, d: number): number[][][] => [[[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]];
// A 2×2 partition near 莘庄 (WGS-84), 0.01° cells, cell units by org-unit code.
const layer = (shift = 0) => ({
  type: 'FeatureCollection',
  features: [
    [0, 0, 'A1', '310112101'],
    [1, 0, 'A2', '310112101'],
    [0, 1, 'B1', '310112101'],
    [1, 1, 'B2', 'no-such-unit'],
  ].map(([i, j, code, unit]) => ({
    type: 'Feature',
    properties: { code, unit },
    geometry: { type: 'Polygon', coordinates: square(121.36 + (i as number) * 0.01 + shift, 31.1 + (j as number) * 0.01, 0.01) },
  })),
});
const actor = systemActor('test');

for (const dialect of DIALECTS) {
  describe(`grid layers [${dialect}]`, () => {
    let deps: TestDeps;
    beforeAll(async () => {
      deps = await buildTestDeps(dialect);
    });
    afterAll(async () => deps.cleanup());

    it('imports a layer, maps units by code, keeps versions, exports back', async () => {
      const r1 = await importGridLayer(deps, { actor }, { layer: 'workstationAreas', crs: 'wgs84', strict: false, unitField: 'unit', geojson: layer() });
      expect(r1).toMatchObject({ committed: true, version: 1, cellCount: 4, unitsMatched: 3 });
      expect(r1.findings).toEqual([]);
      const r2 = await importGridLayer(deps, { actor }, { layer: 'workstationAreas', crs: 'wgs84', strict: false, unitField: 'unit', geojson: layer() });
      expect(r2.version).toBe(2);
      const info = await getGridLayer(deps, actor, 'workstationAreas');
      expect(info.currentVersion).toBe(2);
      expect(info.versions.map((v) => v.version)).toEqual([2, 1]);
      const fc = await exportGridLayer(deps, actor, 'workstationAreas');
      expect(fc.features.map((f) => f.properties.code).sort()).toEqual(['A1', 'A2', 'B1', 'B2']);
      expect(fc.features.find((f) => f.properties.code === 'A1')!.geometry.coordinates[0]![0]![0]).toEqual([121.36, 31.1]);
      // the export imports again as an identical layer
      const again = await importGridLayer(deps, { actor }, { layer: 'roundTrip', crs: 'wgs84', strict: true, geojson: fc });
      expect(again.cellCount).toBe(4);
      const bboxed = await exportGridLayer(deps, actor, 'workstationAreas', { bbox: [121.361, 31.101, 121.362, 31.102] });
      expect(bboxed.features.map((f) => f.properties.code)).toEqual(['A1']);
      const layers = await listGridLayers(deps, actor);
      expect(layers.find((l) => l.name === 'workstationAreas')).toMatchObject({ currentVersion: 2, cellCount: 4 });
      const current = await loadCurrentLayers(deps);
      expect(current.find((l) => l.layerId === 'workstationAreas')!.cells).toHaveLength(4);
      const audit = await deps.database.db.selectFrom('audit_entry').select('action').where('action', '=', 'gridLayer.import').execute();
      expect(audit.length).toBe(3);
    });

    it('converts GCJ-02 to WGS-84 on import', async () => {
      const wgs = layer();
      const gcj = JSON.parse(JSON.stringify(wgs)) as typeof wgs;
      for (const f of gcj.features) f.geometry.coordinates = f.geometry.coordinates.map((ring) => ring.map((p) => fromWgs84(p[0]!, p[1]!, 'gcj02')));
      await importGridLayer(deps, { actor }, { layer: 'gcjLayer', crs: 'gcj02', strict: false, geojson: gcj });
      const fc = await exportGridLayer(deps, actor, 'gcjLayer');
      const p = fc.features.find((f) => f.properties.code === 'A1')!.geometry.coordinates[0]![0]![0]!;
      expect(Math.abs(p[0]! - 121.36)).toBeLessThan(1e-5);
      expect(Math.abs(p[1]! - 31.1)).toBeLessThan(1e-5);
    });

    it('reports overlaps and gaps; strict mode refuses and stores nothing; dry run stores nothing', async () => {
      const bad = layer();
      bad.features[1]!.geometry.coordinates = square(121.365, 31.1, 0.01); // overlaps A1, leaves a gap
      const dry = await importGridLayer(deps, { actor }, { layer: 'badLayer', crs: 'wgs84', strict: false, dryRun: true, geojson: bad });
      expect(dry.committed).toBe(false);
      const kinds = new Set(dry.findings.map((f) => f.kind));
      expect(kinds.has('overlap')).toBe(true);
      const overlap = dry.findings.find((f) => f.kind === 'overlap')!;
      expect(overlap.cellCodes.sort()).toEqual(['A1', 'A2']);
      expect(overlap.areaM2).toBeGreaterThan(100_000);
      try {
        await importGridLayer(deps, { actor }, { layer: 'badLayer', crs: 'wgs84', strict: true, geojson: bad });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).messageKey).toBe('gridLayerStrictRefused');
      }
      const stored = await deps.database.db.selectFrom('grid_layer').select('name').where('name', '=', 'badLayer').execute();
      expect(stored).toEqual([]);
      // without --strict the findings are stored as warnings with the version
      const kept = await importGridLayer(deps, { actor }, { layer: 'badLayer', crs: 'wgs84', strict: false, geojson: bad });
      expect(kept.committed).toBe(true);
      const info = await getGridLayer(deps, actor, 'badLayer');
      expect(info.versions[0]!.findings.length).toBe(kept.findings.length);
    });

    it('refuses what is not a layer, with nothing half-imported', async () => {
      for (const geojson of [{ type: 'Feature' }, { type: 'FeatureCollection', features: [] }, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'x' }, geometry: { type: 'Point', coordinates: [121, 31] } }] }, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'x' }, geometry: { type: 'Polygon', coordinates: [[[121, 31, 5], [121.1, 31, 5], [121.1, 31.1, 5], [121, 31]]] } }] }]) {
        await expect(importGridLayer(deps, { actor }, { layer: 'junk', crs: 'wgs84', strict: false, geojson })).rejects.toMatchObject({ code: 'Invalid' });
      }
      expect(await deps.database.db.selectFrom('grid_layer').select('name').where('name', '=', 'junk').execute()).toEqual([]);
    });
  });
}

describe('grid layer import over HTTP [sqlite]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('validates with dryRun, imports, lists and exports; a dispatcher cannot import', async () => {
    const staff = await t.signIn('bureaustaff');
    const h = { cookie: staff.cookie, 'x-csrf-token': staff.csrf };
    const dry = await t.app.inject({ method: 'POST', url: '/api/grid-layers/communities/import?crs=wgs84&dryRun=true', headers: h, payload: layer() });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ committed: false, cellCount: 4 });
    const ok = await t.app.inject({ method: 'POST', url: '/api/grid-layers/communities/import?crs=wgs84', headers: h, payload: layer() });
    expect(ok.json()).toMatchObject({ committed: true, version: 1 });
    const list = await t.app.inject({ method: 'GET', url: '/api/grid-layers', headers: { cookie: staff.cookie } });
    expect(list.json().items[0]).toMatchObject({ name: 'communities', cellCount: 4 });
    const geo = await t.app.inject({ method: 'GET', url: '/api/grid-layers/communities/geojson', headers: { cookie: staff.cookie } });
    expect(geo.headers['content-type']).toContain('application/geo+json');
    expect(geo.json().features).toHaveLength(4);
    const badCrs = await t.app.inject({ method: 'POST', url: '/api/grid-layers/communities/import?crs=mars', headers: h, payload: layer() });
    expect(badCrs.statusCode).toBe(400);
    expect(JSON.stringify(badCrs.json())).toContain('querystring.crs');
    const notLayer = await t.app.inject({ method: 'POST', url: '/api/grid-layers/communities/import?crs=wgs84', headers: h, payload: { hello: 1 } });
    expect(notLayer.statusCode).toBe(400);
    expect(notLayer.json().error.code).toBe('Invalid');
    const disp = await t.signIn('dispatcher');
    const refused = await t.app.inject({ method: 'POST', url: '/api/grid-layers/communities/import?crs=wgs84', headers: { cookie: disp.cookie, 'x-csrf-token': disp.csrf }, payload: layer() });
    expect(refused.statusCode).toBe(403);
  });
});
