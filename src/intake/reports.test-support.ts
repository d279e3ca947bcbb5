/**
 * Test support for intake: the real demo district (generated once per test file, loaded per database), its
 * default responsibility rules, actors of the roles that report and dispatch, and points whose answers are
 * known from the generated district itself.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import {
  ROLE_PERMISSIONS,
  scopePathOf,
  systemActor,
  type Actor,
  type Permission,
  type Role,
} from '../access/roles.js';
import { type DemoDistrict } from '../registry/demo/index.js';
import { loadDemoDistrict } from '../registry/demo.service.js';
import { searchOrgUnits } from '../registry/org-units.service.js';
import { interiorPoint } from '../registry/geo/interior.js';
import { districtOutline } from '../registry/grid-layers.service.js';
import type { Deps } from '../deps.js';
import { ensureDefaultRules } from '../routing/rules.service.js';
import { testDemoDistrict } from '../testing/demo-district.js';

export const XINZHUANG = '310112101';
export const MEILONG = '310112102';
/** 私搭乱建: enforcement, the squad of the point's subdistrict. */
export const ENFORCEMENT = 'event:06001';
/** A community matter: the point's workstation. */
export const COMMUNITY = 'event:06005';

export const generateDistrict = async (): Promise<DemoDistrict> =>
  await testDemoDistrict();

export interface Place {
  lng: number;
  lat: number;
}

/** A point `east` and `north` metres from p (flat-earth; exact enough for tens of metres). */
export const offset = (p: Place, east: number, north: number): Place => ({
  lng: p.lng + east / (111_320 * Math.cos((p.lat * Math.PI) / 180)),
  lat: p.lat + north / 110_574,
});

export interface LoadedDistrict {
  /** unit code → id */
  id(code: string): string;
  path(code: string): string;
  actor(role: Role, unitCode: string, extra?: Permission[]): Actor;
  /** Points at least 400 m inside a subdistrict, from its unit-grid cells; `n` of them, ~1 km apart. */
  deepPoints(subdistrictCode: string, n: number): Place[];
  /** A point ~300 m west of the district's bounding box (outside, near), and one ~50 km west (far). */
  nearOutside: Place;
  farOutside: Place;
  compound: { id: string; code: string; location: Place; subdistrictCode: string };
}

/** Loads the demo district and the default rules into an empty test database. */
export async function loadDistrict(deps: Deps, district: DemoDistrict): Promise<LoadedDistrict> {
  await loadDemoDistrict(deps, { district });
  const system = systemActor('test');
  await ensureDefaultRules(deps, { actor: system });
  const units = await searchOrgUnits(deps, system, { limit: 5000 });
  const byCode = new Map(units.map((u) => [u.code, u]));
  const unit = (code: string) => {
    const u = byCode.get(code);
    if (!u) throw new Error(`no unit ${code}`);
    return u;
  };
  const outline = (await districtOutline(deps)) ?? [];
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const poly of outline)
    for (const [x, y] of poly[0] ?? []) {
      minLng = Math.min(minLng, x);
      minLat = Math.min(minLat, y);
      maxLat = Math.max(maxLat, y);
    }
  const midLat = (minLat + maxLat) / 2;
  const compoundRow = await deps.database.db
    .selectFrom('compound as c')
    .innerJoin('org_unit as com', 'com.id', 'c.community_id')
    .select(['c.id', 'c.code', 'c.lng', 'c.lat', 'com.code as community_code'])
    .where('com.code', 'like', `${XINZHUANG}%`)
    .orderBy('c.code')
    .executeTakeFirstOrThrow();
  return {
    id: (code) => unit(code).id,
    path: (code) => unit(code).path,
    actor(role, unitCode, extra = []) {
      const u = unit(unitCode);
      return {
        kind: 'user',
        id: `u-${role}-${unitCode}`,
        name: `${role}@${unitCode}`,
        role,
        unitId: u.id,
        unitPath: scopePathOf(u.kind, u.path),
        permissions: new Set([...ROLE_PERMISSIONS[role], ...extra]),
      };
    },
    deepPoints(subdistrictCode, n) {
      const sub = district.subdistricts.find((s) => s.code === subdistrictCode);
      if (!sub) throw new Error(`no subdistrict ${subdistrictCode}`);
      const inside = (p: Place) => booleanPointInPolygon([p.lng, p.lat], sub.geometry);
      const out: Place[] = [];
      for (const cell of district.unitGrid) {
        if (cell.subdistrictCode !== subdistrictCode || cell.clipped) continue;
        const [lng, lat] = interiorPoint(cell.geometry.coordinates);
        const p = { lng, lat };
        const deep = [
          [400, 0],
          [-400, 0],
          [0, 400],
          [0, -400],
        ].every(([e, nn]) => inside(offset(p, e as number, nn as number)));
        if (!deep || out.some((q) => Math.hypot((q.lng - p.lng) * 95_000, (q.lat - p.lat) * 111_000) < 1000))
          continue;
        out.push(p);
        if (out.length === n) return out;
      }
      throw new Error(`only ${out.length} deep points in ${subdistrictCode}`);
    },
    nearOutside: { lng: minLng - 0.003, lat: midLat },
    farOutside: { lng: minLng - 0.5, lat: midLat },
    compound: {
      id: compoundRow.id,
      code: compoundRow.code,
      location: { lng: Number(compoundRow.lng), lat: Number(compoundRow.lat) },
      subdistrictCode: XINZHUANG,
    },
  };
}
