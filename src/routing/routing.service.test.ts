import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { ROLE_PERMISSIONS, systemActor, type Actor } from '../access/roles.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { type DemoDistrict } from '../registry/demo/index.js';
import {
  BUREAU_CODE,
  departmentCode,
  loadDemoDistrict,
  squadCode,
} from '../registry/demo.service.js';
import { importGridLayer, loadCurrentLayers } from '../registry/grid-layers.service.js';
import { searchOrgUnits } from '../registry/org-units.service.js';
import { interiorPoint } from '../registry/geo/interior.js';
import { fromWgs84 } from '../registry/geo/crs.js';
import type { Position } from '../registry/geo/types.js';
import { FusionIndex } from './fusion-index.js';
import { createRoutingEngine, type Resolution, type RoutingEngine } from './routing.service.js';
import { createRule, ensureDefaultRules, listRules, updateRule } from './rules.service.js';
import { testDemoDistrict } from '../testing/demo-district.js';
import { refusalOf } from '../testing/refusal.js';

const XINZHUANG = '310112101';

let district: DemoDistrict;
beforeAll(async () => {
  district = await testDemoDistrict();
}, 180_000);

const errorOf = (p: Promise<unknown>) => refusalOf(p, 'field');

for (const dialect of DIALECTS) {
  describe(`routing engine on the demo district [${dialect}]`, () => {
    let deps: TestDeps;
    let engine: RoutingEngine;
    const system = { actor: systemActor('test') };
    /** unit code → id */
    const ids = new Map<string, string>();
    const id = (code: string) => {
      const v = ids.get(code);
      if (!v) throw new Error(`no unit ${code}`);
      return v;
    };
    let staff: Actor;
    let dispatcher: Actor;
    // A point inside a unit-grid cell of 莘庄镇, and what each layer must answer there (from the generated
    // district, not from the index): the cell, its community, the community's workstation, the police beat.
    let point: Position;
    let expected: { unitGrid: string; community: string; workstation: string; police: string };

    beforeAll(async () => {
      deps = await buildTestDeps(dialect, { seed: false });
      await loadDemoDistrict(deps, { district });
      // the demo loader has created the default rules already; ensuring them again creates none
      expect(await ensureDefaultRules(deps, system)).toMatchObject({ created: 0 });
      for (const u of await searchOrgUnits(deps, systemActor('t'), { limit: 5000 })) ids.set(u.code, u.id);
      const bureau = (await searchOrgUnits(deps, systemActor('t'), { kind: 'bureau' }))[0]!;
      const actorOf = (role: 'bureauStaff' | 'dispatcher', unitId: string, unitPath: string): Actor => ({
        kind: 'user',
        id: `u-${role}`,
        name: role,
        role,
        unitId,
        unitPath,
        permissions: new Set(ROLE_PERMISSIONS[role]),
      });
      staff = actorOf('bureauStaff', bureau.id, bureau.path);
      dispatcher = actorOf('dispatcher', id(squadCode(XINZHUANG)), bureau.path);

      const cell = district.unitGrid.find((c) => c.subdistrictCode === XINZHUANG && !c.clipped)!;
      point = interiorPoint(cell.geometry.coordinates);
      const community = district.communities.find((c) => c.code === cell.communityCode)!;
      const police = district.policeGrid.filter((p) => booleanPointInPolygon(point, p.geometry));
      expect(police).toHaveLength(1);
      expected = {
        unitGrid: cell.code,
        community: community.code,
        workstation: community.workstationCode,
        police: police[0]!.code,
      };
      engine = createRoutingEngine(deps);
    }, 300_000);
    afterAll(async () => deps.cleanup());

    const code = (r: Resolution, layer: string) => r.cells.find((c) => c.layer === layer)?.code;

    it('resolves a point in 莘庄镇 to its subdistrict, community, workstation, unit grid and police cells', async () => {
      const r = await engine.resolve(point[0], point[1], 'wgs84', 'event:06001');
      expect(r.missingLayers).toEqual([]);
      expect(Object.fromEntries(r.cells.map((c) => [c.layer, c.code]))).toEqual({
        district: BUREAU_CODE,
        subdistricts: XINZHUANG,
        communities: expected.community,
        workstationAreas: expected.workstation,
        unitGrid: expected.unitGrid,
        policeGrid: expected.police,
      });
      const unitOf = (layer: string) => r.cells.find((c) => c.layer === layer)?.unitId;
      expect(unitOf('subdistricts')).toBe(id(XINZHUANG));
      expect(unitOf('workstationAreas')).toBe(id(expected.workstation));
      expect(unitOf('policeGrid')).toBe(id(departmentCode('police')));
      expect(r.cells.every((c) => c.version === 1 && c.versionId !== '')).toBe(true);
      const stats = engine.stats();
      expect(stats.layers.map((l) => l.layer).sort()).toEqual([
        'communities',
        'district',
        'policeGrid',
        'subdistricts',
        'unitGrid',
        'workstationAreas',
      ]);
      expect(stats.cells).toBe(
        1 +
          14 +
          district.communities.length +
          district.workstationAreas.length +
          district.policeGrid.length +
          district.unitGrid.length,
      );
      expect(stats.indexBytes).toBeGreaterThan(0);
      expect(stats.builtAt).not.toBeNull();
    });

    it('sends enforcement to 莘庄镇’s squad, community matters to the point’s workstation and 井盖 to the water department', async () => {
      const enforcement = await engine.resolve(point[0], point[1], 'wgs84', 'event:06001'); // 私搭乱建
      expect(enforcement.triage).toBeNull();
      expect(enforcement.responsible).toMatchObject({ unitId: id('310112101-ZD'), assisting: [] });
      expect(enforcement.responsible!.rule).toMatch(
        /^default rule: .*\(event:06\), everywhere → the squad of the point's subdistricts cell/,
      );
      const community = await engine.resolve(point[0], point[1], 'wgs84', 'event:06005');
      expect(community.responsible?.unitId).toBe(id(expected.workstation));
      const cover = await engine.resolve(point[0], point[1], 'wgs84', 'component:01001'); // 供水井盖
      expect(cover.responsible?.unitId).toBe(id(departmentCode('water')));
      expect(cover.responsible!.rule).toContain('供水井盖 (component:01001)');
      // road facilities default to the construction department
      const road = await engine.resolve(point[0], point[1], 'wgs84', 'component:02001');
      expect(road.responsible?.unitId).toBe(id(departmentCode('construction')));
      expect(road.triage).toBeNull();
    });

    it('answers the same for the point given in GCJ-02 and BD-09', async () => {
      for (const crs of ['gcj02', 'bd09'] as const) {
        const [x, y] = fromWgs84(point[0], point[1], crs);
        expect(Math.hypot(x - point[0], y - point[1])).toBeGreaterThan(0.001); // the offset is hundreds of metres
        const r = await engine.resolve(x, y, crs, 'event:06001');
        expect(r.point.lng).toBeCloseTo(point[0], 5);
        expect(r.point.lat).toBeCloseTo(point[1], 5);
        expect(code(r, 'unitGrid')).toBe(expected.unitGrid);
      }
    });

    it('triages a report without category at the squad, and a point 300 km away at the bureau', async () => {
      const none = await engine.resolve(point[0], point[1], 'wgs84');
      expect(none).toMatchObject({
        responsible: null,
        triage: { reason: 'noCategory', unitId: id('310112101-ZD') },
      });
      const far = await engine.resolve(point[0] + 3.15, point[1], 'wgs84', 'event:06001'); // ≈ 300 km east, at sea
      expect(far).toMatchObject({
        cells: [],
        responsible: null,
        triage: { reason: 'outsideDistrict', unitId: id(BUREAU_CODE) },
      });
      expect(far.missingLayers).toHaveLength(6);
      expect(await errorOf(engine.resolve(point[0], point[1], 'wgs84', 'event:06999'))).toEqual({
        code: 'Invalid',
        key: 'routingCategoryUnknown',
        field: 'category',
      });
      expect(await errorOf(engine.resolve(200, point[1], 'wgs84'))).toMatchObject({
        code: 'Invalid',
        field: 'lng',
      });
      expect(await errorOf(engine.resolve(point[0], Number.NaN, 'wgs84'))).toMatchObject({
        code: 'Invalid',
        field: 'lat',
      });
    });

    it('resolves a point on the border of two subdistricts to the smaller code, through the engine', async () => {
      // A vertex of 莘庄镇's outline that another subdistrict shares (the generated partition shares vertices).
      const subs = (await loadCurrentLayers(deps)).find((l) => l.layerId === 'subdistricts')!;
      const index = FusionIndex.build([{ layerId: 's', version: 1, cells: subs.cells }]);
      const ring = district.subdistricts.find((s) => s.code === XINZHUANG)!.geometry.coordinates[0]![0]!;
      const shared = ring
        .map((p) => ({ p, codes: index.matchesInLayer('s', p[0], p[1]).map((m) => m.code) }))
        .find((v) => v.codes.length >= 2);
      expect(shared).toBeDefined();
      const winner = [...shared!.codes].sort()[0]!;
      const r = await engine.resolve(shared!.p[0], shared!.p[1], 'wgs84', 'event:06001');
      expect(code(r, 'subdistricts')).toBe(winner);
      expect(r.responsible?.unitId).toBe(id(squadCode(winner)));
    });

    it('lets a bureau rule of higher priority win, audited, and refuses a stale edit', async () => {
      expect(
        await errorOf(
          createRule(
            deps,
            { actor: dispatcher },
            {
              categoryKey: 'event:06001',
              area: { kind: 'everywhere' },
              lead: { fixedUnitId: id(BUREAU_CODE) },
              priority: 1,
            },
          ),
        ),
      ).toMatchObject({ code: 'Forbidden' });
      expect(
        await errorOf(
          createRule(
            deps,
            { actor: staff },
            {
              categoryKey: 'event:06001',
              area: { kind: 'everywhere' },
              lead: { fixedUnitId: id(BUREAU_CODE) },
              priority: -5,
            },
          ),
        ),
      ).toMatchObject({ code: 'Invalid', field: 'priority' });
      expect(
        await errorOf(
          createRule(
            deps,
            { actor: staff },
            {
              categoryKey: 'event:06001',
              area: { kind: 'unit', unitId: id('310112101-ZD') },
              lead: { fixedUnitId: id(BUREAU_CODE) },
              priority: 1,
            },
          ),
        ),
      ).toMatchObject({ key: 'routingAreaUnitKind' });
      expect(
        await errorOf(
          createRule(
            deps,
            { actor: staff },
            {
              majorCode: 'event:06',
              area: { kind: 'everywhere' },
              lead: { fromLayer: 'noSuchLayer' },
              priority: 1,
            },
          ),
        ),
      ).toMatchObject({ key: 'routingLayerUnknown', field: 'lead.fromLayer' });

      // 莘庄镇's illegal construction goes to the 拆违办, with the squad assisting
      const rule = await createRule(
        deps,
        { actor: staff, requestId: 'req-rule' },
        {
          categoryKey: 'event:06001',
          area: { kind: 'unit', unitId: id(XINZHUANG) },
          lead: { departmentKind: 'illegalConstructionOffice' },
          assisting: [{ fromLayer: 'subdistricts', as: 'squad' }],
          priority: 10,
          note: '莘庄镇拆违专项',
        },
      );
      expect(rule).toMatchObject({ version: 1, active: true, priority: 10 });
      await engine.refresh();
      const r = await engine.resolve(point[0], point[1], 'wgs84', 'event:06001');
      expect(r.responsible).toMatchObject({
        unitId: id(departmentCode('illegalConstructionOffice')),
        ruleId: rule.id,
        assisting: [id('310112101-ZD')],
      });
      expect(r.responsible!.rule).toContain('bureau rule: 私搭乱建 (event:06001), in 莘庄镇');
      // outside 莘庄镇 the default still holds: 梅陇镇's squad
      const meilong = district.unitGrid.find((c) => c.subdistrictCode === '310112102' && !c.clipped)!;
      const [mx, my] = interiorPoint(meilong.geometry.coordinates);
      expect((await engine.resolve(mx, my, 'wgs84', 'event:06001')).responsible?.unitId).toBe(
        id('310112102-ZD'),
      );
      const entry = await deps.database.db
        .selectFrom('audit_entry')
        .selectAll()
        .where('action', '=', 'routingRule.create')
        .where('entity_id', '=', rule.id)
        .executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ actor_id: 'u-bureauStaff', request_id: 'req-rule' });

      const edited = await updateRule(deps, { actor: staff }, rule.id, {
        version: 1,
        note: '莘庄镇拆违专项（2026）',
      });
      expect(edited.version).toBe(2);
      expect(
        await errorOf(updateRule(deps, { actor: staff }, rule.id, { version: 1, priority: 20 })),
      ).toMatchObject({ code: 'Conflict' });
      expect(await errorOf(updateRule(deps, { actor: staff }, rule.id, { version: 2 }))).toMatchObject({
        code: 'Invalid',
        field: 'body',
      });
      const off = await updateRule(deps, { actor: staff }, rule.id, { version: 2, active: false });
      expect(off).toMatchObject({ active: false, version: 3 });
      expect((await listRules(deps, dispatcher)).some((x) => x.id === rule.id)).toBe(false);
      expect(
        (await listRules(deps, staff, { includeInactive: true })).find((x) => x.id === rule.id)?.active,
      ).toBe(false);
      await engine.refresh();
      expect((await engine.resolve(point[0], point[1], 'wgs84', 'event:06001')).responsible?.unitId).toBe(
        id('310112101-ZD'),
      );
      const actions = await deps.database.db
        .selectFrom('audit_entry')
        .select('action')
        .where('entity_id', '=', rule.id)
        .orderBy('seq')
        .execute();
      expect(actions.map((a) => a.action)).toEqual([
        'routingRule.create',
        'routingRule.update',
        'routingRule.deactivate',
      ]);
      expect((await ensureDefaultRules(deps, system)).created).toBe(0); // defaults are not created twice
      expect((await verifyAuditChain(deps)).ok).toBe(true);
    });

    it('rebuilds in the background after a new layer version, answering from the old index meanwhile', async () => {
      const background = createRoutingEngine(deps, { recheckMs: 0 });
      const before = await background.resolve(point[0], point[1], 'wgs84', 'event:06001');
      const v1 = before.cells.find((c) => c.layer === 'subdistricts')!;
      expect(v1.version).toBe(1);
      let stop = false;
      const seen: Array<{ version: number; afterImport: boolean }> = [];
      let imported = false;
      const errors: unknown[] = [];
      const loop = async () => {
        while (!stop) {
          try {
            const r = await background.resolve(point[0], point[1], 'wgs84', 'event:06001');
            if (!r.responsible || r.triage) throw new Error('no owner');
            seen.push({
              version: r.cells.find((c) => c.layer === 'subdistricts')!.version,
              afterImport: imported,
            });
          } catch (e) {
            errors.push(e);
          }
          await new Promise((res) => setTimeout(res, 1));
        }
      };
      const loops = [loop(), loop()];
      const fc = {
        type: 'FeatureCollection',
        features: district.subdistricts.map((s) => ({
          type: 'Feature',
          properties: { code: s.code, unit: s.code, name: s.name },
          geometry: s.geometry,
        })),
      };
      const r = await importGridLayer(deps, system, {
        layer: 'subdistricts',
        crs: 'wgs84',
        strict: false,
        unitField: 'unit',
        geojson: fc,
      });
      expect(r.version).toBe(2);
      imported = true;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !seen.some((s) => s.version === 2))
        await new Promise((res) => setTimeout(res, 20));
      stop = true;
      await Promise.all(loops);
      expect(errors).toEqual([]);
      // the old index answered after the import was committed, until the new one was swapped in
      expect(seen.some((s) => s.afterImport && s.version === 1)).toBe(true);
      expect(seen.some((s) => s.version === 2)).toBe(true);
      const after = await background.resolve(point[0], point[1], 'wgs84', 'event:06001');
      const v2 = after.cells.find((c) => c.layer === 'subdistricts')!;
      expect(v2).toMatchObject({ version: 2, code: XINZHUANG });
      expect(v2.versionId).not.toBe(v1.versionId);
      expect(background.stats().layers.find((l) => l.layer === 'subdistricts')?.version).toBe(2);
      expect(background.stats().lastError).toBeNull();
    }, 120_000);
  });
}
