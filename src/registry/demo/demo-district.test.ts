import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import area from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import polygonClipping from 'polygon-clipping';
import { beforeAll, describe, expect, it } from 'vitest';
import { isValidCommunityCode, isValidCreditCode, isValidUnitGridCode, parseUnitGridCode } from '../codes.js';
import type { DemoDistrict, MultiPolygonGeometry, Position } from './demo-district.js';
import { demoDistrictSummary, generateDemoDistrict } from './demo-district.js';
import type { DistrictSources } from './sources.js';
import { loadMinhangSources } from './sources.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sharedData = path.resolve(projectRoot, '../shared/data');
const SEED = 20261129;

let sources: DistrictSources;
let d: DemoDistrict;
let generationMs = 0;

beforeAll(async () => {
  sources = await loadMinhangSources(sharedData);
  const t0 = performance.now();
  d = generateDemoDistrict(sources, { seed: SEED });
  generationMs = performance.now() - t0;
});

const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');
const km2 = (g: MultiPolygonGeometry) => area(g) / 1e6;
const ringArea = (ring: Position[]) => {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
};
const overlapKm2 = (a: MultiPolygonGeometry, b: MultiPolygonGeometry) => {
  const inter = polygonClipping.intersection(a.coordinates, b.coordinates);
  return inter.length === 0 ? 0 : area({ type: 'MultiPolygon', coordinates: inter }) / 1e6;
};
const bbox = (g: MultiPolygonGeometry) => {
  const xs = g.coordinates.flatMap((p) => p[0] ?? []).map((c) => c[0]);
  const ys = g.coordinates.flatMap((p) => p[0] ?? []).map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const;
};
const bboxesTouch = (a: MultiPolygonGeometry, b: MultiPolygonGeometry) => {
  const [a0, a1, a2, a3] = bbox(a);
  const [b0, b1, b2, b3] = bbox(b);
  return a0 <= b2 && b0 <= a2 && a1 <= b3 && b1 <= a3;
};
const pointIn = (p: Position, g: MultiPolygonGeometry) => booleanPointInPolygon(p, g);

describe('generateDemoDistrict', () => {
  it('is fast enough to run at start-up and in tests', () => {
    // Measured in beforeAll; the budget is generous because CI machines are shared.
    expect(generationMs).toBeGreaterThan(0);
    expect(generationMs).toBeLessThan(60_000);
  });

  it('is deterministic: the same seed gives the same district, another seed another', { timeout: 180_000 }, () => {
    const again = generateDemoDistrict(sources, { seed: SEED });
    expect(sha(again)).toBe(sha(d));
    const other = generateDemoDistrict(sources, { seed: SEED + 1 });
    expect(sha(other.subdistricts)).not.toBe(sha(d.subdistricts));
    expect(sha(other.unitGrid)).not.toBe(sha(d.unitGrid));
    expect(other.communities.map((c) => c.code)).toEqual(d.communities.map((c) => c.code));
  });

  it('rejects a seed that is not a 32-bit unsigned integer', () => {
    expect(() => generateDemoDistrict(sources, { seed: 1.5 })).toThrow();
    expect(() => generateDemoDistrict(sources, { seed: -1 })).toThrow();
  });

  it('has the 14 real subdistricts with their codes, names and kinds', () => {
    expect(d.subdistricts.map((s) => s.code)).toEqual(sources.subdistricts.map((s) => s.code));
    expect(d.subdistricts).toHaveLength(14);
    const byName = new Map(d.subdistricts.map((s) => [s.name, s]));
    expect(byName.get('古美街道')?.kind).toBe('street');
    expect(byName.get('梅陇镇')?.kind).toBe('town');
    expect(byName.get('莘庄工业区')?.kind).toBe('town');
    expect(d.subdistricts.filter((s) => s.kind === 'street').map((s) => s.name)).toEqual(['江川路街道', '古美街道', '新虹街道', '浦锦街道']);
  });

  it('subdistricts partition the outline: areas add up within 0.5%, overlaps negligible', () => {
    const outline = km2(d.outline);
    expect(outline).toBeGreaterThan(360);
    expect(outline).toBeLessThan(385);
    const total = d.subdistricts.reduce((s, x) => s + km2(x.geometry), 0);
    expect(Math.abs(total - outline) / outline).toBeLessThan(0.005);
    let overlap = 0;
    for (let i = 0; i < d.subdistricts.length; i++) {
      for (let j = i + 1; j < d.subdistricts.length; j++) {
        const a = d.subdistricts[i]?.geometry;
        const b = d.subdistricts[j]?.geometry;
        if (a !== undefined && b !== undefined && bboxesTouch(a, b)) overlap += overlapKm2(a, b);
      }
    }
    expect(overlap).toBeLessThan(outline * 0.0005);
    // Sizes follow the number (and kind) of communities: the big rural 浦江镇 outweighs 新虹街道.
    const size = new Map(d.subdistricts.map((s) => [s.name, km2(s.geometry)]));
    expect(size.get('浦江镇') ?? 0).toBeGreaterThan(3 * (size.get('新虹街道') ?? Infinity));
    for (const s of d.subdistricts) expect(km2(s.geometry)).toBeGreaterThan(5);
  });

  it('communities are the real ones, nested in their subdistricts, and partition them', () => {
    expect(d.communities).toHaveLength(596);
    expect(new Set(d.communities.map((c) => c.code)).size).toBe(596);
    for (const c of d.communities) {
      expect(c.code.startsWith(c.subdistrictCode)).toBe(true);
      expect(isValidCommunityCode(c.code, c.subdistrictCode)).toBe(true);
      expect(c.geometry.coordinates.length).toBeGreaterThan(0);
      expect(c.areaM2).toBeGreaterThan(10_000);
    }
    for (const s of d.subdistricts) {
      const comms = d.communities.filter((c) => c.subdistrictCode === s.code);
      expect(comms).toHaveLength(s.communityCount);
      const sum = comms.reduce((t, c) => t + km2(c.geometry), 0);
      expect(Math.abs(sum - km2(s.geometry)) / km2(s.geometry)).toBeLessThan(0.005);
    }
    // Overlaps within one subdistrict: 梅陇镇 (79 communities) checked pairwise.
    const ml = d.communities.filter((c) => c.subdistrictCode === '310112108');
    let overlap = 0;
    for (let i = 0; i < ml.length; i++) {
      for (let j = i + 1; j < ml.length; j++) {
        const a = ml[i]?.geometry;
        const b = ml[j]?.geometry;
        if (a !== undefined && b !== undefined && bboxesTouch(a, b)) overlap += overlapKm2(a, b);
      }
    }
    expect(overlap).toBeLessThan(0.01);
  });

  it('every polygon is RFC 7946 GeoJSON: closed rings, outer CCW, holes CW, no self-crossing community ring', () => {
    const all: MultiPolygonGeometry[] = [
      d.outline,
      ...d.subdistricts.map((x) => x.geometry),
      ...d.communities.map((x) => x.geometry),
      ...d.workstationAreas.map((x) => x.geometry),
      ...d.policeGrid.map((x) => x.geometry),
      ...d.unitGrid.map((x) => x.geometry),
    ];
    for (const g of all) {
      expect(g.type).toBe('MultiPolygon');
      for (const poly of g.coordinates) {
        poly.forEach((ring, i) => {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          if (i === 0) expect(ringArea(ring)).toBeGreaterThan(0);
          else expect(ringArea(ring)).toBeLessThan(0);
        });
      }
    }
    const [x0, y0, x1, y1] = bbox(d.outline);
    expect(x0).toBeGreaterThan(121.2);
    expect(x1).toBeLessThan(121.6);
    expect(y0).toBeGreaterThan(30.9);
    expect(y1).toBeLessThan(31.3);
    for (const c of d.communities) {
      for (const poly of c.geometry.coordinates) for (const ring of poly) expect(selfCrossings(ring)).toBe(0);
    }
  });

  it('workstation areas: 梅陇镇 north/central/south, 莘庄镇 one per community, others one to three', () => {
    const of = (code: string) => d.workstationAreas.filter((w) => w.subdistrictCode === code);
    const meilong = of('310112108');
    expect(meilong.map((w) => w.sector)).toEqual(['north', 'central', 'south']);
    expect(meilong.map((w) => w.name)).toEqual(['梅陇镇北片城管社区工作站', '梅陇镇中片城管社区工作站', '梅陇镇南片城管社区工作站']);
    const lat = (g: MultiPolygonGeometry) => {
      const pts = g.coordinates.flatMap((p) => p[0] ?? []);
      return pts.reduce((s, p) => s + p[1], 0) / pts.length;
    };
    const [n, c, s] = meilong.map((w) => lat(w.geometry));
    expect(n).toBeGreaterThan(c ?? Infinity);
    expect(c).toBeGreaterThan(s ?? Infinity);
    const xinzhuang = of('310112101');
    expect(xinzhuang).toHaveLength(d.communities.filter((x) => x.subdistrictCode === '310112101').length);
    expect(xinzhuang.every((w) => w.communityCodes.length === 1)).toBe(true);
    for (const sd of d.subdistricts) {
      if (sd.code === '310112101') continue;
      expect(of(sd.code).length).toBeGreaterThanOrEqual(1);
      expect(of(sd.code).length).toBeLessThanOrEqual(3);
    }
    // Each community is served by exactly one workstation, the one it names, and the area is their union.
    const served = d.workstationAreas.flatMap((w) => w.communityCodes);
    expect(served.slice().sort()).toEqual(d.communities.map((x) => x.code).sort());
    const byCode = new Map(d.workstationAreas.map((w) => [w.code, w]));
    for (const comm of d.communities) expect(byCode.get(comm.workstationCode)?.communityCodes).toContain(comm.code);
    for (const w of meilong) {
      const sum = d.communities.filter((x) => w.communityCodes.includes(x.code)).reduce((t, x) => t + km2(x.geometry), 0);
      expect(Math.abs(sum - km2(w.geometry)) / sum).toBeLessThan(0.005);
    }
  });

  it('unit grid: tens of thousands of ~10,000 m² cells covering the outline, coded by community', () => {
    const cells = d.unitGrid;
    expect(cells.length).toBeGreaterThan(20_000);
    expect(cells.length).toBeLessThan(100_000);
    const interior = cells.filter((c) => !c.clipped);
    const mean = interior.reduce((s, c) => s + area(c.geometry), 0) / interior.length;
    expect(Math.abs(mean - 10_000) / 10_000).toBeLessThan(0.02);
    const total = cells.reduce((s, c) => s + area(c.geometry), 0) / 1e6;
    expect(Math.abs(total - km2(d.outline)) / km2(d.outline)).toBeLessThan(0.005);
    expect(new Set(cells.map((c) => c.code)).size).toBe(cells.length);
    const commByCode = new Map(d.communities.map((c) => [c.code, c]));
    for (const c of cells) {
      expect(isValidUnitGridCode(c.code)).toBe(true);
      expect(parseUnitGridCode(c.code)?.communityCode).toBe(c.communityCode);
      expect(commByCode.get(c.communityCode)?.subdistrictCode).toBe(c.subdistrictCode);
    }
    // The community of a cell is the one containing its centre (checked on a sample of whole cells).
    for (let i = 0; i < interior.length; i += 97) {
      const cell = interior[i];
      if (cell === undefined) continue;
      const ring = cell.geometry.coordinates[0]?.[0] ?? [];
      const centre: Position = [(ring[0]?.[0] ?? 0) / 2 + (ring[2]?.[0] ?? 0) / 2, (ring[0]?.[1] ?? 0) / 2 + (ring[2]?.[1] ?? 0) / 2];
      const comm = commByCode.get(cell.communityCode);
      expect(comm !== undefined && pointIn(centre, comm.geometry)).toBe(true);
    }
  });

  it('police beats partition the district on borders of their own', () => {
    const beats = d.policeGrid;
    expect(beats.length).toBeGreaterThan(30);
    expect(new Set(beats.map((b) => b.code)).size).toBe(beats.length);
    for (const b of beats) {
      expect(b.stationName).toMatch(/派出所$/);
      expect(b.name).toMatch(/^.+派出所第.+警务区$/);
      expect(b.code.startsWith(b.stationCode)).toBe(true);
    }
    const total = beats.reduce((s, b) => s + km2(b.geometry), 0);
    expect(Math.abs(total - km2(d.outline)) / km2(d.outline)).toBeLessThan(0.005);
    // Borders do not line up: most beats take in unit cells of several communities.
    const sample = d.unitGrid.filter((_, i) => i % 7 === 0);
    let straddling = 0;
    for (const b of beats) {
      const comms = new Set<string>();
      for (const cell of sample) {
        const p = cell.geometry.coordinates[0]?.[0]?.[0];
        if (p !== undefined && pointIn(p, b.geometry)) comms.add(cell.communityCode);
      }
      if (comms.size >= 2) straddling++;
    }
    expect(straddling / beats.length).toBeGreaterThan(0.8);
  });

  it('compounds: a few hundred points inside their communities, with unique names and valid companies', () => {
    expect(d.compounds.length).toBeGreaterThan(200);
    expect(d.compounds.length).toBeLessThan(1000);
    expect(new Set(d.compounds.map((c) => c.name)).size).toBe(d.compounds.length);
    expect(new Set(d.compounds.map((c) => c.code)).size).toBe(d.compounds.length);
    const commByCode = new Map(d.communities.map((c) => [c.code, c]));
    for (const c of d.compounds) {
      const comm = commByCode.get(c.communityCode);
      expect(comm?.subdistrictCode).toBe(c.subdistrictCode);
      expect(comm !== undefined && pointIn(c.location.coordinates, comm.geometry)).toBe(true);
      expect(c.name).toMatch(/(苑|园|新村|公寓|小区|华庭|名邸|丽都|城|邸|庭|都|府|湾|墅|寰宇|期)$/);
      const company = d.propertyCompanies[c.propertyCompanyIndex];
      expect(company?.creditCode).toBe(c.propertyCompanyCreditCode);
      expect(c.ownersCommittee.established ? c.ownersCommittee.name : null).toBe(c.ownersCommittee.name);
      expect(c.address).toMatch(/\d+弄/);
    }
    expect(d.compounds.some((c) => c.ownersCommittee.established)).toBe(true);
    expect(d.compounds.some((c) => !c.ownersCommittee.established)).toBe(true);
  });

  it('property companies and departments carry valid credit codes', () => {
    expect(d.propertyCompanies.length).toBeGreaterThanOrEqual(20);
    expect(d.propertyCompanies.length).toBeLessThanOrEqual(60);
    expect(new Set(d.propertyCompanies.map((c) => c.name)).size).toBe(d.propertyCompanies.length);
    for (const c of d.propertyCompanies) {
      expect(c.name).toMatch(/^上海.+物业(管理|服务)有限公司$/);
      expect(c.creditCode.startsWith('9131')).toBe(true);
      expect(isValidCreditCode(c.creditCode)).toBe(true);
    }
    expect(d.departments.map((x) => x.shortNameZh)).toEqual(['公安', '绿化市容', '房管', '水务', '规划资源', '市场监管', '生态环境', '拆违办', '数据局']);
    for (const dep of d.departments) {
      expect(isValidCreditCode(dep.creditCode)).toBe(true);
      expect(dep.nameZh).toContain('闵行');
      expect(dep.nameEn).toContain('Minhang');
      expect(dep.liaison.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(dep.liaison.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    }
  });

  it('merchants stand along streets inside their subdistricts', () => {
    expect(d.merchants.length).toBeGreaterThan(150);
    expect(d.merchants.length).toBeLessThan(1000);
    expect(new Set(d.merchants.map((m) => m.code)).size).toBe(d.merchants.length);
    expect(new Set(d.merchants.map((m) => m.name)).size).toBe(d.merchants.length);
    const subByCode = new Map(d.subdistricts.map((s) => [s.code, s]));
    const commByCode = new Map(d.communities.map((c) => [c.code, c]));
    for (const m of d.merchants) {
      const sub = subByCode.get(m.subdistrictCode);
      expect(sub !== undefined && pointIn(m.location.coordinates, sub.geometry)).toBe(true);
      expect(commByCode.get(m.communityCode)?.subdistrictCode).toBe(m.subdistrictCode);
      expect(m.address.startsWith(m.roadName)).toBe(true);
      expect(m.address).toMatch(/\d+号$/);
    }
    // Along streets: most shops have another shop of the same road within 80 m.
    const near = d.merchants.filter((m) =>
      d.merchants.some((o) => o !== m && o.roadName === m.roadName && Math.hypot((o.location.coordinates[0] - m.location.coordinates[0]) * 95_000, (o.location.coordinates[1] - m.location.coordinates[1]) * 111_000) < 80),
    );
    expect(near.length / d.merchants.length).toBeGreaterThan(0.9);
  });

  it('summarises the counts for the CLI', () => {
    const s = demoDistrictSummary(d);
    expect(s).toMatchObject({
      district: '闵行区 (310112)',
      seed: SEED,
      subdistricts: 14,
      communities: 596,
      workstationAreas: d.workstationAreas.length,
      unitGridCells: d.unitGrid.length,
      policeBeats: d.policeGrid.length,
      compounds: d.compounds.length,
      propertyCompanies: d.propertyCompanies.length,
      departments: 9,
      merchants: d.merchants.length,
    });
    expect(s.policeStations).toBeGreaterThan(5);
    expect(s.areaKm2).toBeGreaterThan(360);
    expect(d.notice).toMatch(/not official/);
  });
});

/** Number of pairs of non-adjacent edges of a closed ring that cross (brute force). */
function selfCrossings(ring: Position[]): number {
  const n = ring.length - 1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      const c = ring[j] as Position;
      const e = ring[j + 1] as Position;
      if (Math.max(a[0], b[0]) < Math.min(c[0], e[0]) || Math.max(c[0], e[0]) < Math.min(a[0], b[0])) continue;
      if (Math.max(a[1], b[1]) < Math.min(c[1], e[1]) || Math.max(c[1], e[1]) < Math.min(a[1], b[1])) continue;
      const d1 = orient(c, e, a);
      const d2 = orient(c, e, b);
      const d3 = orient(a, b, c);
      const d4 = orient(a, b, e);
      if (d1 * d2 < 0 && d3 * d4 < 0) count++;
    }
  }
  return count;
}

function orient(p: Position, q: Position, r: Position): number {
  return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
}
