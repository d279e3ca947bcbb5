/**
 * The demo district: a complete, deterministic, realistic-looking 闵行区 for demonstrations and tests.
 *
 * WHAT IS REAL AND WHAT IS NOT. The district outline is the real one (AMap DataV, converted from GCJ-02 to
 * WGS-84); the 14 subdistricts and the 596 居委/村委 have their real names and statistical codes (2023).
 * ALL OTHER GEOMETRY IS GENERATED, NOT OFFICIAL: subdistrict, community, workstation, unit-grid and police
 * boundaries are grown from seeded sites inside the outline (rough real positions steer the subdistricts),
 * and compounds, property companies, departments' liaisons and merchants are invented. No openly licensed
 * 街镇 boundaries of Shanghai exist; a real deployment imports its official layers instead.
 *
 * Pure: the output depends only on the sources and the seed (mulberry32 streams, no clock, no
 * Math.random). All geometry is GeoJSON in WGS-84 ([lng, lat], closed rings, outer rings CCW).
 *
 * Codes:
 * - unit-grid cell: GB/T 30428.1 15 characters = 12-digit community code + 3-character sequence, numbered
 *   within the community row by row from north to south and west to east in each row (see codes.ts).
 * - workstation: `<subdistrict code>W<nn>` (e.g. 310112108W01).
 * - police station `<district code>P<nn>`, police beat (警务区) `<station code>J<nn>`.
 * - compound `<community code>-C<nn>`; merchant `<subdistrict code>M<nnn>`.
 */
import { invalid } from '../../platform/errors.js';
import Flatbush from 'flatbush';
import type { CommunityKind, SubdistrictKind } from '../codes.js';
import { communityKind, creditCodeCheckChar, formatUnitGridCode, organizationCodeCheckChar, subdistrictKind } from '../codes.js';
import type { MultiPoly, MultiPolygonGeometry, PointGeometry, Position, Projection } from './geometry.js';
import {
  EdgeIndex,
  bboxOf,
  centroidOf,
  distanceToBoundary,
  fromGeoJsonMultiPolygon,
  intersect,
  localProjection,
  multiPolyArea,
  pointInMultiPoly,
  toGeoJsonMultiPolygon,
  toGeoJsonPoint,
} from './geometry.js';
import {
  COMPANY_HEADS,
  COMPANY_TAILS,
  COMPOUND_NAME_ENDING,
  COMPOUND_SUFFIXES,
  GIVEN_CHARS,
  MINHANG_ANCHORS,
  MINHANG_POLICE_PLACES,
  MINHANG_ROADS,
  NAME_SYLLABLES,
  SHOP_NAMES,
  SHOP_TRADES,
  SURNAMES,
} from './names.js';
import type { AtomMesh } from './partition.js';
import { buildAtomMesh, growRegions, nearestAtom, ringsToPolygons, smoothBorders, spreadSeeds, unionRings } from './partition.js';
import type { Rng } from './random.js';
import { pick, randInt, shuffled, stream, valueNoise, hashString } from './random.js';
import type { DistrictSources, SourceCommunity } from './sources.js';

export type { MultiPolygonGeometry, PointGeometry, Position } from './geometry.js';

export interface DemoSubdistrict {
  code: string;
  name: string;
  kind: SubdistrictKind;
  communityCount: number;
  areaM2: number;
  geometry: MultiPolygonGeometry;
}

export interface DemoCommunity {
  code: string;
  name: string;
  subdistrictCode: string;
  kind: CommunityKind;
  workstationCode: string;
  areaM2: number;
  geometry: MultiPolygonGeometry;
}

/** 片区 of a subdistrict served by one workstation. */
export type Sector = 'north' | 'central' | 'south' | 'east' | 'west';

export interface DemoWorkstationArea {
  code: string;
  name: string;
  subdistrictCode: string;
  /** The 片区 (北片/中片/南片 …) when a subdistrict has several area workstations; null otherwise. */
  sector: Sector | null;
  communityCodes: string[];
  areaM2: number;
  geometry: MultiPolygonGeometry;
}

export interface DemoUnitCell {
  /** GB/T 30428.1 unit-grid code (15 characters). */
  code: string;
  subdistrictCode: string;
  communityCode: string;
  /** True when the cell was cut by the district border. */
  clipped: boolean;
  areaM2: number;
  geometry: MultiPolygonGeometry;
}

export interface DemoPoliceBeat {
  code: string;
  name: string;
  stationCode: string;
  stationName: string;
  areaM2: number;
  geometry: MultiPolygonGeometry;
}

export interface DemoPropertyCompany {
  index: number;
  name: string;
  /** Unified social credit code (GB 32100-2015), valid check character. */
  creditCode: string;
  phone: string;
}

export interface DemoCompound {
  code: string;
  name: string;
  address: string;
  subdistrictCode: string;
  communityCode: string;
  households: number;
  location: PointGeometry;
  /** Index into `propertyCompanies`. */
  propertyCompanyIndex: number;
  propertyCompanyCreditCode: string;
  ownersCommittee: { established: boolean; name: string | null };
}

export type DepartmentKey = 'police' | 'greening' | 'housing' | 'water' | 'planning' | 'marketRegulation' | 'ecology' | 'demolition' | 'data';

export interface DemoDepartment {
  key: DepartmentKey;
  /** The short name users say (公安, 绿化市容 …). */
  shortNameZh: string;
  nameZh: string;
  nameEn: string;
  creditCode: string;
  liaison: { name: string; phone: string };
}

export interface DemoMerchant {
  code: string;
  name: string;
  trade: string;
  kind: string;
  roadName: string;
  address: string;
  subdistrictCode: string;
  communityCode: string;
  location: PointGeometry;
}

export interface DemoDistrict {
  seed: number;
  crs: 'WGS84';
  /** Says in one sentence that the geometry is generated. */
  notice: string;
  district: { code: string; name: string; areaM2: number };
  outline: MultiPolygonGeometry;
  subdistricts: DemoSubdistrict[];
  communities: DemoCommunity[];
  workstationAreas: DemoWorkstationArea[];
  unitGrid: DemoUnitCell[];
  policeGrid: DemoPoliceBeat[];
  compounds: DemoCompound[];
  propertyCompanies: DemoPropertyCompany[];
  departments: DemoDepartment[];
  merchants: DemoMerchant[];
}

export interface GenerateOptions {
  seed: number;
}

/** Distance between atoms of the administrative mesh, metres: fine enough for ~0.1 km² communities. */
const ATOM_SPACING = 110;
/** Distance between atoms of the police mesh: a different mesh so police borders cross the others. */
const POLICE_ATOM_SPACING = 160;
/** Side of a unit-grid cell ("万米单元网格": ~10,000 m²). */
export const UNIT_CELL_SIZE_M = 100;

const NOTICE =
  'Generated demo geometry (not official): only the district outline and the names and codes of subdistricts and communities are real.';

/** Generates the demo district from its sources; the same sources and seed give the same district. */
export function generateDemoDistrict(sources: DistrictSources, options: GenerateOptions): DemoDistrict {
  const seed = options.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw invalid('demoSeedInvalid', { field: 'seed', value: seed });
  if (sources.subdistricts.length === 0) throw invalid('demoSourcesEmpty', { field: 'subdistricts' });

  const [lng0, lat0] = bboxCentre(sources.outlineWgs84);
  const proj = localProjection(lng0, lat0);
  const outline = fromGeoJsonMultiPolygon(sources.outlineWgs84, proj);
  const edges = new EdgeIndex(outline);
  const outlineArea = multiPolyArea(outline);

  const admin = buildAdministrative(sources, seed, outline, edges, proj);
  // Only regions near the border need cutting; the others lie wholly inside the outline.
  const clip = (mp: MultiPoly) => {
    if (mp.length === 0) return mp;
    const [x0, y0, x1, y1] = bboxOf(mp);
    return edges.candidates(x0, y0, x1, y1).length === 0 ? mp : intersect(mp, outline);
  };

  // Polygons: communities, workstation areas, subdistricts, each the union of its atoms, clipped.
  const commPolys = admin.communityAtoms.map((atoms, c) => clip(ringsToPolygons(admin.mesh, admin.communityRings[c] ?? unionRings(admin.mesh, atoms))));
  const subPolys = admin.subAtoms.map((atoms) => clip(ringsToPolygons(admin.mesh, unionRings(admin.mesh, atoms))));
  const wsPolys = admin.workstations.map((ws) => clip(ringsToPolygons(admin.mesh, unionRings(admin.mesh, ws.atoms))));

  const gj = (mp: MultiPoly) => toGeoJsonMultiPolygon(mp, proj);
  const area = (mp: MultiPoly) => Math.round(multiPolyArea(mp));

  const subdistricts: DemoSubdistrict[] = admin.subs.map((s, i) => ({
    code: s.code,
    name: s.name,
    kind: subdistrictKind(s.code),
    communityCount: admin.communities.filter((c) => c.subdistrictCode === s.code).length,
    areaM2: area(subPolys[i] ?? []),
    geometry: gj(subPolys[i] ?? []),
  }));
  const communities: DemoCommunity[] = admin.communities.map((c, i) => ({
    code: c.code,
    name: c.name,
    subdistrictCode: c.subdistrictCode,
    kind: communityKind(c.code) ?? 'residents',
    workstationCode: admin.workstationOfCommunity[i] ?? '',
    areaM2: area(commPolys[i] ?? []),
    geometry: gj(commPolys[i] ?? []),
  }));
  const workstationAreas: DemoWorkstationArea[] = admin.workstations.map((ws, i) => ({
    code: ws.code,
    name: ws.name,
    subdistrictCode: ws.subdistrictCode,
    sector: ws.sector,
    communityCodes: ws.communityCodes,
    areaM2: area(wsPolys[i] ?? []),
    geometry: gj(wsPolys[i] ?? []),
  }));

  const locator = new Locator(commPolys, admin);
  const unitGrid = buildUnitGrid(outline, edges, proj, locator, admin);
  const policeGrid = buildPoliceGrid(sources, seed, outline, edges, proj, subPolys, admin);
  const propertyCompanies = buildPropertyCompanies(seed);
  const compounds = buildCompounds(seed, admin, commPolys, proj, propertyCompanies);
  const departments = buildDepartments(seed, sources);
  const merchants = buildMerchants(seed, admin, subPolys, proj, locator);

  return {
    seed,
    crs: 'WGS84',
    notice: NOTICE,
    district: { code: sources.districtCode, name: sources.districtName, areaM2: Math.round(outlineArea) },
    outline: gj(outline),
    subdistricts,
    communities,
    workstationAreas,
    unitGrid,
    policeGrid,
    compounds,
    propertyCompanies,
    departments,
    merchants,
  };
}

/** Counts for the CLI to print after generating or persisting a demo district. */
export function demoDistrictSummary(d: DemoDistrict): {
  district: string;
  seed: number;
  areaKm2: number;
  subdistricts: number;
  communities: number;
  workstationAreas: number;
  unitGridCells: number;
  policeStations: number;
  policeBeats: number;
  compounds: number;
  propertyCompanies: number;
  departments: number;
  merchants: number;
} {
  return {
    district: `${d.district.name} (${d.district.code})`,
    seed: d.seed,
    areaKm2: Math.round(d.district.areaM2 / 1e4) / 100,
    subdistricts: d.subdistricts.length,
    communities: d.communities.length,
    workstationAreas: d.workstationAreas.length,
    unitGridCells: d.unitGrid.length,
    policeStations: new Set(d.policeGrid.map((b) => b.stationCode)).size,
    policeBeats: d.policeGrid.length,
    compounds: d.compounds.length,
    propertyCompanies: d.propertyCompanies.length,
    departments: d.departments.length,
    merchants: d.merchants.length,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Administrative partition: subdistricts → workstation areas → communities
// ---------------------------------------------------------------------------------------------------------

interface WorkstationPlan {
  code: string;
  name: string;
  subdistrictCode: string;
  sector: Sector | null;
  communityCodes: string[];
  atoms: number[];
}

interface Administrative {
  mesh: AtomMesh;
  subs: { code: string; name: string }[];
  communities: SourceCommunity[];
  subAtoms: number[][];
  communityAtoms: number[][];
  communityRings: number[][][];
  /** Global community index of each atom (-1 when none). */
  communityOfAtom: Int32Array;
  workstations: WorkstationPlan[];
  workstationOfCommunity: string[];
}

/** How much area a community asks for: villages (村委) are rural and several times larger. */
function communityWeight(code: string): number {
  const k = communityKind(code);
  return k === 'villagers' || k === 'villagersLike' ? 2.6 : 1;
}

function buildAdministrative(sources: DistrictSources, seed: number, outline: MultiPoly, edges: EdgeIndex, proj: Projection): Administrative {
  const angleRng = stream(seed, 'mesh-angle');
  const mesh = buildAtomMesh({ outline, edges, spacing: ATOM_SPACING, angle: angleRng() * (Math.PI / 2), rng: stream(seed, 'mesh') });
  const active: number[] = [];
  for (let a = 0; a < mesh.n; a++) if (mesh.active[a] === 1) active.push(a);
  const insideOf = (atoms: readonly number[]) => atoms.filter((a) => mesh.inside[a] === 1);

  const subs = sources.subdistricts.slice().sort((a, b) => a.code.localeCompare(b.code));
  const communities = sources.communities.filter((c) => subs.some((s) => s.code === c.subdistrictCode)).sort((a, b) => a.code.localeCompare(b.code));
  const commsOf = (code: string) => communities.filter((c) => c.subdistrictCode === code);

  // Level 1: subdistricts, seeded near their rough real positions.
  const rngSeeds = stream(seed, 'sub-seeds');
  const inside = insideOf(active);
  const used = new Set<number>();
  const subSeeds: number[] = [];
  for (const s of subs) {
    const anchor = MINHANG_ANCHORS[s.code];
    let atom: number;
    if (anchor !== undefined) {
      const [x, y] = proj.forward(anchor[0], anchor[1]);
      atom = nearestAtom(mesh, inside, x + (rngSeeds() - 0.5) * 900, y + (rngSeeds() - 0.5) * 900, used);
    } else {
      atom = spreadSeeds(mesh, inside.filter((a) => !used.has(a)), 1, rngSeeds, 25)[0] ?? -1;
    }
    if (atom < 0) throw invalid('demoOutlineTooSmall', { field: 'outline' });
    used.add(atom);
    subSeeds.push(atom);
  }
  const totalWeight = communities.reduce((s, c) => s + communityWeight(c.code), 0);
  const subTargets = subs.map((s) => Math.max(commsOf(s.code).reduce((t, c) => t + communityWeight(c.code), 0), totalWeight * 0.03));
  const subLabels = growRegions(mesh, active, subSeeds, subTargets, {
    noise: valueNoise(hashString(`${seed}:sub-noise`), 3000, 3),
    roughness: 0.7,
    iterations: 24,
    relax: 0.3,
    warp: 900,
  });
  const subAtoms: number[][] = subs.map(() => []);
  for (const a of active) {
    const l = subLabels[a] ?? -1;
    if (l >= 0) subAtoms[l]?.push(a);
  }

  // Levels 2 and 3 inside each subdistrict.
  const communityOfAtom = new Int32Array(mesh.n).fill(-1);
  const communityAtoms: number[][] = communities.map(() => []);
  const communityIndex = new Map(communities.map((c, i) => [c.code, i]));
  const workstations: WorkstationPlan[] = [];
  const workstationOfCommunity: string[] = communities.map(() => '');
  subs.forEach((s, si) => {
    const members = subAtoms[si] ?? [];
    const comms = commsOf(s.code);
    const rng = stream(seed, `ws:${s.code}`);
    const perCommunity = s.name === '莘庄镇';
    const k = perCommunity ? 1 : s.name === '梅陇镇' ? 3 : comms.length <= 30 ? 1 : comms.length <= 60 ? 2 : 3;
    const groups = splitByWeight(comms, Math.min(k, Math.max(1, comms.length)));
    // Sector seeds: north/central/south for 梅陇 (its real 北片/中片/南片), spread out elsewhere.
    const insideMembers = insideOf(members).length > 0 ? insideOf(members) : members;
    const sectorSeeds = s.name === '梅陇镇' && groups.length === 3 ? northCentralSouthSeeds(mesh, insideMembers) : spreadSeeds(mesh, insideMembers, groups.length, rng, 40);
    const sectorLabels =
      groups.length > 1
        ? growRegions(mesh, members, sectorSeeds, groups.map((g) => g.reduce((t, c) => t + communityWeight(c.code), 0)), {
            noise: valueNoise(hashString(`${seed}:sector-noise:${s.code}`), 2500, 3),
            roughness: 0.5,
            iterations: 12,
            // 梅陇's sectors keep their north/central/south seeds; elsewhere seeds drift to compact sectors.
            relax: s.name === '梅陇镇' ? 0 : 0.3,
            warp: 400,
          })
        : null;
    const groupAtoms = groups.map((_, g) => (sectorLabels === null ? members : members.filter((a) => sectorLabels[a] === g)));
    groups.forEach((group, g) => {
      const atoms = groupAtoms[g] ?? [];
      const candidates = insideOf(atoms).length >= group.length ? insideOf(atoms) : atoms;
      const seeds = chainOrder(mesh, spreadSeeds(mesh, candidates, group.length, rng, 12));
      if (seeds.length < group.length) throw invalid('demoOutlineTooSmall', { field: 'outline', subdistrict: s.code });
      const labels = growRegions(mesh, atoms, seeds, group.map((c) => communityWeight(c.code)), {
        noise: valueNoise(hashString(`${seed}:comm-noise:${s.code}:${g}`), 1200, 3),
        roughness: 0.5,
        iterations: 12,
        relax: 0.4,
        warp: 120,
      });
      for (const a of atoms) {
        const l = labels[a] ?? -1;
        const comm = group[l];
        if (comm === undefined) continue;
        const ci = communityIndex.get(comm.code) ?? -1;
        communityOfAtom[a] = ci;
        communityAtoms[ci]?.push(a);
      }
    });
    // Workstations.
    if (perCommunity) {
      comms.forEach((c, i) => {
        const code = `${s.code}W${String(i + 1).padStart(2, '0')}`;
        workstations.push({
          code,
          name: `${s.name}${shortCommunityName(c.name)}城管社区工作室`,
          subdistrictCode: s.code,
          sector: null,
          communityCodes: [c.code],
          atoms: communityAtoms[communityIndex.get(c.code) ?? -1] ?? [],
        });
        workstationOfCommunity[communityIndex.get(c.code) ?? -1] = code;
      });
      return;
    }
    const sectors = nameSectors(mesh, groupAtoms, s.name === '梅陇镇');
    groups.forEach((group, g) => {
      const code = `${s.code}W${String(g + 1).padStart(2, '0')}`;
      const sector = groups.length > 1 ? (sectors[g] ?? null) : null;
      workstations.push({
        code,
        name: sector === null ? `${s.name}城管社区工作站` : `${s.name}${SECTOR_ZH[sector]}城管社区工作站`,
        subdistrictCode: s.code,
        sector,
        communityCodes: group.map((c) => c.code),
        atoms: groupAtoms[g] ?? [],
      });
      for (const c of group) workstationOfCommunity[communityIndex.get(c.code) ?? -1] = code;
    });
  });

  // Smooth the shared borders once, on the finest level; every coarser polygon reuses those vertices.
  const communityRings = communityAtoms.map((atoms) => unionRings(mesh, atoms));
  smoothBorders(mesh, communityRings, 3);
  return { mesh, subs, communities, subAtoms, communityAtoms, communityRings, communityOfAtom, workstations, workstationOfCommunity };
}

const SECTOR_ZH: Record<Sector, string> = { north: '北片', central: '中片', south: '南片', east: '东片', west: '西片' };

/** Splits communities (in code order) into `k` consecutive groups of about equal weight. */
function splitByWeight(comms: readonly SourceCommunity[], k: number): SourceCommunity[][] {
  const total = comms.reduce((t, c) => t + communityWeight(c.code), 0);
  const groups: SourceCommunity[][] = Array.from({ length: k }, () => []);
  let acc = 0;
  for (const c of comms) {
    const w = communityWeight(c.code);
    const g = Math.min(k - 1, Math.floor(((acc + w / 2) / total) * k));
    groups[g]?.push(c);
    acc += w;
  }
  return groups.filter((g) => g.length > 0);
}

/** Three seeds at the north, middle and south of a set of atoms (by latitude), near its middle meridian. */
function northCentralSouthSeeds(mesh: AtomMesh, atoms: readonly number[]): number[] {
  const sorted = atoms.slice().sort((a, b) => (mesh.siteY[b] ?? 0) - (mesh.siteY[a] ?? 0));
  const n = sorted.length;
  return [1 / 6, 1 / 2, 5 / 6].map((q) => {
    const lo = Math.max(0, Math.floor((q - 1 / 12) * n));
    const hi = Math.min(n, Math.ceil((q + 1 / 12) * n));
    const band = sorted.slice(lo, Math.max(hi, lo + 1));
    const xs = band.map((a) => mesh.siteX[a] ?? 0).sort((a, b) => a - b);
    const mid = xs[Math.floor(xs.length / 2)] ?? 0;
    let best = band[0] ?? 0;
    for (const a of band) if (Math.abs((mesh.siteX[a] ?? 0) - mid) < Math.abs((mesh.siteX[best] ?? 0) - mid)) best = a;
    return best;
  });
}

/** Names the sectors of a subdistrict by where their centres lie along its longer axis. */
function nameSectors(mesh: AtomMesh, groupAtoms: readonly number[][], northSouth: boolean): Sector[] {
  const centres = groupAtoms.map((atoms) => {
    let x = 0;
    let y = 0;
    for (const a of atoms) {
      x += mesh.siteX[a] ?? 0;
      y += mesh.siteY[a] ?? 0;
    }
    return [x / Math.max(1, atoms.length), y / Math.max(1, atoms.length)] as Position;
  });
  const spread = (i: 0 | 1) => Math.max(...centres.map((c) => c[i])) - Math.min(...centres.map((c) => c[i]));
  const useY = northSouth || spread(1) >= spread(0);
  const order = centres.map((c, i) => ({ i, v: useY ? -c[1] : c[0] })).sort((a, b) => a.v - b.v);
  const names: Sector[] = useY ? (centres.length === 2 ? ['north', 'south'] : ['north', 'central', 'south']) : centres.length === 2 ? ['west', 'east'] : ['west', 'central', 'east'];
  const out: Sector[] = centres.map(() => 'central');
  order.forEach((o, rank) => {
    out[o.i] = names[rank] ?? 'central';
  });
  return out;
}

/** Orders seeds as a greedy nearest-neighbour chain from the north-west, so that consecutive codes are neighbours. */
function chainOrder(mesh: AtomMesh, seeds: readonly number[]): number[] {
  const left = seeds.slice();
  const out: number[] = [];
  let cur = left.reduce((best, a) => ((mesh.siteX[a] ?? 0) - (mesh.siteY[a] ?? 0) < (mesh.siteX[best] ?? 0) - (mesh.siteY[best] ?? 0) ? a : best), left[0] ?? 0);
  while (left.length > 0) {
    const i = left.indexOf(cur);
    left.splice(i, 1);
    out.push(cur);
    let best = -1;
    let bestD = Infinity;
    for (const a of left) {
      const d = Math.hypot((mesh.siteX[a] ?? 0) - (mesh.siteX[cur] ?? 0), (mesh.siteY[a] ?? 0) - (mesh.siteY[cur] ?? 0));
      if (d < bestD) {
        bestD = d;
        best = a;
      }
    }
    if (best < 0) break;
    cur = best;
  }
  return out;
}

function shortSubdistrictName(name: string): string {
  return name.replace(/(街道|镇|乡)$/, '');
}

/** 莲花新村居委会 → 莲花新村; 华一村村委会 → 华一村. */
function shortCommunityName(name: string): string {
  return name.replace(/(居民委员会|村民委员会|居委会|村委会)$/, '');
}

function bboxCentre(g: MultiPolygonGeometry): Position {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of g.coordinates) {
    for (const [x, y] of poly[0] ?? []) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  return [(minX + maxX) / 2, (minY + maxY) / 2];
}

// ---------------------------------------------------------------------------------------------------------
// Locating points in communities
// ---------------------------------------------------------------------------------------------------------

/** Finds the community (index) containing a metric point: by polygon, else by the mesh atom under it. */
class Locator {
  private readonly index: Flatbush;
  constructor(
    private readonly polys: readonly MultiPoly[],
    private readonly admin: Administrative,
  ) {
    this.index = new Flatbush(Math.max(1, polys.length));
    for (const p of polys) {
      const [a, b, c, d] = p.length > 0 ? bboxOf(p) : [0, 0, 0, 0];
      this.index.add(a, b, c, d);
    }
    if (polys.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  communityAt(x: number, y: number): number {
    for (const i of this.index.search(x, y, x, y)) {
      const p = this.polys[i];
      if (p !== undefined && pointInMultiPoly(x, y, p)) return i;
    }
    const { mesh, communityOfAtom } = this.admin;
    let atom = mesh.delaunay.find(x, y);
    const seen = new Set<number>([atom]);
    let frontier = [atom];
    while ((communityOfAtom[atom] ?? -1) < 0 && frontier.length > 0) {
      const next: number[] = [];
      for (const a of frontier) {
        const end = mesh.adjStart[a + 1] ?? 0;
        for (let q = mesh.adjStart[a] ?? 0; q < end; q++) {
          const nb = mesh.adjList[q] ?? 0;
          if (seen.has(nb)) continue;
          seen.add(nb);
          if ((communityOfAtom[nb] ?? -1) >= 0) {
            atom = nb;
            break;
          }
          next.push(nb);
        }
        if ((communityOfAtom[atom] ?? -1) >= 0) break;
      }
      frontier = next;
    }
    return communityOfAtom[atom] ?? 0;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Unit grid (GB/T 30428.1 "万米单元网格")
// ---------------------------------------------------------------------------------------------------------

function buildUnitGrid(outline: MultiPoly, edges: EdgeIndex, proj: Projection, locator: Locator, admin: Administrative): DemoUnitCell[] {
  const S = UNIT_CELL_SIZE_M;
  const [minX, minY, maxX, maxY] = bboxOf(outline);
  const x0 = Math.floor(minX / S) * S;
  const yTop0 = Math.ceil(maxY / S) * S;
  const cols = Math.ceil((maxX - x0) / S);
  const rows = Math.ceil((yTop0 - minY) / S);
  const TILE = 10; // cells per tile side: the outline is pre-cut per tile so each border cell clips a small piece
  const tiles = new Map<string, MultiPoly>();
  const tilePiece = (c: number, r: number): MultiPoly => {
    const tc = Math.floor(c / TILE);
    const tr = Math.floor(r / TILE);
    const key = `${tc},${tr}`;
    let piece = tiles.get(key);
    if (piece === undefined) {
      const xl = x0 + tc * TILE * S - 1;
      const yt = yTop0 - tr * TILE * S + 1;
      piece = intersect([[[[xl, yt - TILE * S - 2], [xl + TILE * S + 2, yt - TILE * S - 2], [xl + TILE * S + 2, yt], [xl, yt]]]], outline);
      tiles.set(key, piece);
    }
    return piece;
  };
  const cells: DemoUnitCell[] = [];
  const nextSeq = new Map<number, number>();
  // North to south, and west to east within a row: the numbering order of DB11 / GB/T 30428.1 practice.
  for (let r = 0; r < rows; r++) {
    const yT = yTop0 - r * S;
    const yB = yT - S;
    const yc = yT - S / 2;
    const crossings = edges.crossingsAt(yc, minX - 1, maxX + 1);
    let k = 0;
    for (let c = 0; c < cols; c++) {
      const xL = x0 + c * S;
      const xR = xL + S;
      const xc = xL + S / 2;
      while (k < crossings.length && (crossings[k] ?? Infinity) < xc) k++;
      const square: MultiPoly = [[[[xL, yB], [xR, yB], [xR, yT], [xL, yT]]]];
      let piece: MultiPoly;
      let clipped = false;
      if (edges.crossesBox(xL, yB, xR, yT)) {
        piece = intersect(square, tilePiece(c, r));
        clipped = true;
        if (multiPolyArea(piece) < 1) continue; // a touch or a sliver, not a cell
      } else if (k % 2 === 1) {
        piece = square;
      } else continue;
      let [px, py] = [xc, yc];
      if (clipped && !pointInMultiPoly(px, py, piece)) [px, py] = interiorPoint(piece);
      const ci = locator.communityAt(px, py);
      const comm = admin.communities[ci];
      if (comm === undefined) continue;
      const seq = (nextSeq.get(ci) ?? 0) + 1;
      nextSeq.set(ci, seq);
      cells.push({
        code: formatUnitGridCode(comm.code, seq),
        subdistrictCode: comm.subdistrictCode,
        communityCode: comm.code,
        clipped,
        areaM2: Math.round(multiPolyArea(piece) * 10) / 10,
        geometry: toGeoJsonMultiPolygon(piece, proj),
      });
    }
  }
  return cells;
}

/** A point inside a small polygon: its centroid if inside, else the midpoint of a horizontal chord. */
function interiorPoint(mp: MultiPoly): Position {
  const c = centroidOf(mp);
  if (pointInMultiPoly(c[0], c[1], mp)) return c;
  const [minX, minY, maxX, maxY] = bboxOf(mp);
  const y = (minY + maxY) / 2;
  const xs: number[] = [];
  for (const poly of mp) {
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [ax, ay] = ring[j] as Position;
        const [bx, by] = ring[i] as Position;
        if (ay > y !== by > y) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
      }
    }
  }
  xs.sort((a, b) => a - b);
  const a = xs[0];
  const b = xs[1];
  return a !== undefined && b !== undefined ? [(a + b) / 2, y] : [(minX + maxX) / 2, y];
}

// ---------------------------------------------------------------------------------------------------------
// Police grid: 派出所 and their 警务区, on a mesh of its own so that borders do not line up
// ---------------------------------------------------------------------------------------------------------

function buildPoliceGrid(
  sources: DistrictSources,
  seed: number,
  outline: MultiPoly,
  edges: EdgeIndex,
  proj: Projection,
  subPolys: readonly MultiPoly[],
  admin: Administrative,
): DemoPoliceBeat[] {
  const rng = stream(seed, 'police');
  const mesh = buildAtomMesh({ outline, edges, spacing: POLICE_ATOM_SPACING, angle: 0.35 + rng() * 0.5, rng: stream(seed, 'police-mesh') });
  const active: number[] = [];
  for (let a = 0; a < mesh.n; a++) if (mesh.active[a] === 1) active.push(a);
  const inside = active.filter((a) => mesh.inside[a] === 1);
  const areaKm2 = multiPolyArea(outline) / 1e6;
  const stationCount = Math.max(6, Math.min(30, Math.round(areaKm2 / 20)));
  const stationSeeds = spreadSeeds(mesh, inside, stationCount, rng, 30);
  const stationLabels = growRegions(
    mesh,
    active,
    stationSeeds,
    stationSeeds.map(() => 0.75 + rng() * 0.5),
    { noise: valueNoise(hashString(`${seed}:police-noise`), 4000, 3), roughness: 0.6, iterations: 12, relax: 0.4, warp: 700 },
  );
  const beatAtoms: { station: number; atoms: number[] }[] = [];
  stationSeeds.forEach((_, s) => {
    const members = active.filter((a) => stationLabels[a] === s);
    const inMembers = members.filter((a) => mesh.inside[a] === 1);
    const count = Math.min(3 + randInt(rng, 3), Math.max(1, inMembers.length));
    const seeds = chainOrder(mesh, spreadSeeds(mesh, inMembers.length > 0 ? inMembers : members, count, rng, 20));
    const labels = growRegions(mesh, members, seeds, seeds.map(() => 1), {
      noise: valueNoise(hashString(`${seed}:beat-noise:${s}`), 1500, 2),
      roughness: 0.5,
      iterations: 8,
      relax: 0.4,
      warp: 250,
    });
    seeds.forEach((_, b) => beatAtoms.push({ station: s, atoms: members.filter((a) => labels[a] === b) }));
  });
  const rings = beatAtoms.map((b) => unionRings(mesh, b.atoms));
  smoothBorders(mesh, rings, 3);
  const beatPolys = rings.map((r) => intersect(ringsToPolygons(mesh, r), outline));

  // Station names: the place of the subdistrict the station's centre lies in.
  const usedPlaces = new Set<string>();
  const stationNames = stationSeeds.map((_, s) => {
    const parts = beatPolys.filter((_, i) => beatAtoms[i]?.station === s).flat();
    const [cx, cy] = centroidOf(parts);
    let si = subPolys.findIndex((p) => pointInMultiPoly(cx, cy, p));
    if (si < 0) si = subPolys.findIndex((p) => p.length > 0 && parts.length > 0 && pointInMultiPoly(...interiorPoint(parts), p));
    const sub = admin.subs[Math.max(0, si)];
    const pool = sub !== undefined ? (MINHANG_POLICE_PLACES[sub.code] ?? [shortSubdistrictName(sub.name)]) : [sources.districtName];
    let place = pool.find((p) => !usedPlaces.has(p));
    for (let n = 2; place === undefined; n++) {
      const candidate = `${pool[0] ?? sources.districtName}${CHINESE_ORDINALS[n] ?? n}`;
      if (!usedPlaces.has(candidate)) place = candidate;
    }
    usedPlaces.add(place);
    return `${place}派出所`;
  });

  const beatNo = new Map<number, number>();
  const out: DemoPoliceBeat[] = [];
  beatAtoms.forEach((b, i) => {
    const poly = beatPolys[i] ?? [];
    if (poly.length === 0) return;
    const n = (beatNo.get(b.station) ?? 0) + 1;
    beatNo.set(b.station, n);
    const stationCode = `${sources.districtCode}P${String(b.station + 1).padStart(2, '0')}`;
    const stationName = stationNames[b.station] ?? '';
    out.push({
      code: `${stationCode}J${String(n).padStart(2, '0')}`,
      name: `${stationName}第${CHINESE_ORDINALS[n] ?? n}警务区`,
      stationCode,
      stationName,
      areaM2: Math.round(multiPolyArea(poly)),
      geometry: toGeoJsonMultiPolygon(poly, proj),
    });
  });
  return out;
}

const CHINESE_ORDINALS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

// ---------------------------------------------------------------------------------------------------------
// Parties: property companies, compounds, departments, merchants
// ---------------------------------------------------------------------------------------------------------

const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid credit code: category prefix + division code + organisation code (GB 11714 check) + check char. */
function makeCreditCode(rng: Rng, prefix: string, division: string): string {
  let body: string;
  if (rng() < 0.7) {
    // Codes issued since 2015 carry an assigned 主体标识码 beginning "MA".
    body = 'MA1';
    for (let i = 0; i < 5; i++) body += pick(rng, CODE_CHARS.split(''));
  } else {
    body = pick(rng, ['6', '7', '0']);
    for (let i = 0; i < 7; i++) body += String(randInt(rng, 10));
  }
  const first17 = prefix + division + body + organizationCodeCheckChar(body);
  return first17 + creditCodeCheckChar(first17);
}

function maskedMobile(rng: Rng): string {
  return `1${pick(rng, ['3', '5', '8', '9'])}${randInt(rng, 10)}****${String(randInt(rng, 10000)).padStart(4, '0')}`;
}

function personName(rng: Rng): string {
  const given = rng() < 0.6 ? pick(rng, GIVEN_CHARS) + pick(rng, GIVEN_CHARS) : pick(rng, GIVEN_CHARS);
  return pick(rng, SURNAMES) + given;
}

function buildPropertyCompanies(seed: number): DemoPropertyCompany[] {
  const rng = stream(seed, 'property-companies');
  const names = new Set<string>();
  const out: DemoPropertyCompany[] = [];
  const count = 36;
  let guard = 0;
  while (out.length < count && guard++ < 10_000) {
    const head = pick(rng, COMPANY_HEADS) + pick(rng, COMPANY_TAILS);
    const kind = rng() < 0.55 ? '物业管理有限公司' : '物业服务有限公司';
    const name = rng() < 0.2 ? `上海闵行${head}${kind}` : `上海${head}${kind}`;
    if (names.has(name) || head.charAt(0) === head.charAt(1)) continue;
    names.add(name);
    const division = rng() < 0.75 ? '310112' : pick(rng, ['310104', '310115', '310117', '310105']);
    out.push({
      index: out.length,
      name,
      creditCode: makeCreditCode(rng, '91', division),
      phone: `021-${pick(rng, ['5', '6'])}${randInt(rng, 10)}${randInt(rng, 10)}${randInt(rng, 10)}****`,
    });
  }
  return out;
}

function buildCompounds(seed: number, admin: Administrative, commPolys: readonly MultiPoly[], proj: Projection, companies: readonly DemoPropertyCompany[]): DemoCompound[] {
  const rng = stream(seed, 'compounds');
  const usedNames = new Set<string>();
  const usedAddresses = new Set<string>();
  const out: DemoCompound[] = [];
  admin.communities.forEach((comm, ci) => {
    const poly = commPolys[ci] ?? [];
    if (poly.length === 0) return;
    const kind = communityKind(comm.code);
    const r = rng();
    const count = kind === 'villagers' || kind === 'villagersLike' ? (r < 0.3 ? 1 : 0) : r < 0.15 ? 0 : r < 0.85 ? 1 : 2;
    const base = shortCommunityName(comm.name).replace(/第[一二三四五六七八九十]+$/, '');
    const placed: Position[] = [];
    for (let n = 0; n < count; n++) {
      const name = compoundName(rng, base, kind, usedNames);
      const point = pointInside(rng, poly, placed);
      if (point === null) continue;
      placed.push(point);
      usedNames.add(name);
      const roads = roadsOf(comm.subdistrictCode);
      let address = '';
      for (let t = 0; t < 50 && (address === '' || usedAddresses.has(address)); t++) address = `${pick(rng, roads)}${1 + randInt(rng, 1200)}弄`;
      usedAddresses.add(address);
      // A few companies manage many compounds, most manage a handful.
      const companyIndex = Math.min(companies.length - 1, Math.floor(companies.length * Math.pow(rng(), 1.6)));
      const established = rng() < 0.78;
      out.push({
        code: `${comm.code}-C${String(n + 1).padStart(2, '0')}`,
        name,
        address: `${address}（${name}）`,
        subdistrictCode: comm.subdistrictCode,
        communityCode: comm.code,
        households: 150 + randInt(rng, 1850),
        location: toGeoJsonPoint(point[0], point[1], proj),
        propertyCompanyIndex: companyIndex,
        propertyCompanyCreditCode: companies[companyIndex]?.creditCode ?? '',
        ownersCommittee: { established, name: established ? `${name}业主委员会` : null },
      });
    }
  });
  return out;
}

/** A compound name: the community's own compound name when it has one (莲花公寓, 罗秀苑), else place + ending. */
function compoundName(rng: Rng, base: string, kind: CommunityKind | null, used: ReadonlySet<string>): string {
  if (COMPOUND_NAME_ENDING.test(base) && !used.has(base)) return base;
  const place = kind === 'villagers' || kind === 'villagersLike' ? base.replace(/村$/, '') : base.replace(/(新村|花园|公寓|苑|园|路)$/, '');
  for (let t = 0; t < 40; t++) {
    const stem = t < 8 && place.length >= 2 ? place : (place.length >= 1 ? place.charAt(0) : '') + pick(rng, NAME_SYLLABLES);
    const name = stem + pick(rng, COMPOUND_SUFFIXES);
    if (!used.has(name)) return name;
  }
  for (let n = 2; ; n++) {
    const name = `${place}${pick(rng, COMPOUND_SUFFIXES)}${n}期`;
    if (!used.has(name)) return name;
  }
}

/** A random point inside a polygon, away from its border and from other points; null if none found. */
function pointInside(rng: Rng, poly: MultiPoly, others: readonly Position[], margin = 25, spacing = 80): Position | null {
  const [minX, minY, maxX, maxY] = bboxOf(poly);
  for (let relax = 0; relax < 3; relax++) {
    const m = margin / (relax + 1);
    const sp = spacing / (relax + 1);
    for (let t = 0; t < 150; t++) {
      const x = minX + rng() * (maxX - minX);
      const y = minY + rng() * (maxY - minY);
      if (!pointInMultiPoly(x, y, poly)) continue;
      if (distanceToBoundary(x, y, poly) < m) continue;
      if (others.some(([ox, oy]) => Math.hypot(ox - x, oy - y) < sp)) continue;
      return [x, y];
    }
  }
  return null;
}

function roadsOf(subdistrictCode: string): readonly string[] {
  const roads = MINHANG_ROADS[subdistrictCode];
  if (roads !== undefined) return roads;
  const rng = stream(hashString(subdistrictCode), 'roads');
  return Array.from({ length: 6 }, () => `${pick(rng, NAME_SYLLABLES)}${pick(rng, NAME_SYLLABLES)}路`);
}

const DEPARTMENTS: readonly { key: DepartmentKey; shortNameZh: string; zh: (d: string) => string; en: (d: string) => string }[] = [
  { key: 'police', shortNameZh: '公安', zh: (d) => `上海市公安局${d.replace(/区$/, '')}分局`, en: (d) => `${d} Branch, Shanghai Public Security Bureau` },
  { key: 'greening', shortNameZh: '绿化市容', zh: (d) => `${d}绿化和市容管理局`, en: (d) => `${d} Greening and City Appearance Bureau` },
  { key: 'housing', shortNameZh: '房管', zh: (d) => `${d}房屋管理局`, en: (d) => `${d} Housing Administration Bureau` },
  { key: 'water', shortNameZh: '水务', zh: (d) => `${d}水务局`, en: (d) => `${d} Water Affairs Bureau` },
  { key: 'planning', shortNameZh: '规划资源', zh: (d) => `${d}规划和自然资源局`, en: (d) => `${d} Planning and Natural Resources Bureau` },
  { key: 'marketRegulation', shortNameZh: '市场监管', zh: (d) => `${d}市场监督管理局`, en: (d) => `${d} Market Regulation Bureau` },
  { key: 'ecology', shortNameZh: '生态环境', zh: (d) => `${d}生态环境局`, en: (d) => `${d} Ecology and Environment Bureau` },
  { key: 'demolition', shortNameZh: '拆违办', zh: (d) => `${d}拆除违法建筑工作办公室`, en: (d) => `${d} Illegal Construction Removal Office` },
  { key: 'data', shortNameZh: '数据局', zh: (d) => `${d}数据局`, en: (d) => `${d} Data Bureau` },
];

const DISTRICT_EN: Readonly<Record<string, string>> = { '310112': 'Minhang District' };

function buildDepartments(seed: number, sources: DistrictSources): DemoDepartment[] {
  const rng = stream(seed, 'departments');
  const en = DISTRICT_EN[sources.districtCode] ?? `District ${sources.districtCode}`;
  return DEPARTMENTS.map((d) => ({
    key: d.key,
    shortNameZh: d.shortNameZh,
    nameZh: d.zh(sources.districtName),
    nameEn: d.en(en),
    // 11 = 机构编制 registration, 机关 category (GB 32100-2015 表2).
    creditCode: makeCreditCode(rng, '11', sources.districtCode),
    liaison: { name: personName(rng), phone: maskedMobile(rng) },
  }));
}

function buildMerchants(seed: number, admin: Administrative, subPolys: readonly MultiPoly[], proj: Projection, locator: Locator): DemoMerchant[] {
  const rng = stream(seed, 'merchants');
  const total = Math.round(admin.communities.length * 0.5);
  const baseAngle = rng() * 0.3;
  const usedNames = new Set<string>();
  const out: DemoMerchant[] = [];
  admin.subs.forEach((s, si) => {
    const poly = subPolys[si] ?? [];
    if (poly.length === 0) return;
    const share = admin.communities.filter((c) => c.subdistrictCode === s.code).length / Math.max(1, admin.communities.length);
    const want = Math.max(6, Math.round(total * share));
    const roads = shuffled(rng, roadsOf(s.code));
    const streets = Math.max(1, Math.ceil(want / 14));
    let made = 0;
    let seq = 0;
    for (let st = 0; st < streets && made < want; st++) {
      const road = roads[st % roads.length] ?? '';
      const start = pointInside(rng, poly, [], 120, 0);
      if (start === null) continue;
      const angle = baseAngle + (rng() < 0.5 ? 0 : Math.PI / 2) + (rng() - 0.5) * 0.3;
      const dx = Math.cos(angle);
      const dy = Math.sin(angle);
      const quota = Math.min(want - made, 10 + randInt(rng, 8));
      const spots: { t: number; side: number; x: number; y: number }[] = [];
      for (let i = 0; spots.length < quota && i < quota * 3; i++) {
        // Alternate both ways from the start along the street, shops on both sides.
        const t = (i % 2 === 0 ? 1 : -1) * Math.floor((i + 1) / 2) * (30 + rng() * 25);
        const side = rng() < 0.5 ? 1 : -1;
        const x = start[0] + dx * t - dy * side * 14;
        const y = start[1] + dy * t + dx * side * 14;
        if (pointInMultiPoly(x, y, poly) && distanceToBoundary(x, y, poly) > 5) spots.push({ t, side, x, y });
      }
      spots.sort((a, b) => a.t - b.t);
      const tMin = spots[0]?.t ?? 0;
      const usedNumbers = new Set<number>();
      const offset = randInt(rng, 200) * 2;
      for (const spot of spots) {
        let number = offset + 2 * Math.round((spot.t - tMin) / 12) + (spot.side > 0 ? 1 : 2);
        while (usedNumbers.has(number)) number += 2;
        usedNumbers.add(number);
        const trade = pick(rng, SHOP_TRADES);
        let name = `${pick(rng, SHOP_NAMES)}${trade.trade}`;
        if (usedNames.has(name)) name = `${name}（${road.replace(/(公路|路)$/, '')}店）`;
        if (usedNames.has(name)) continue;
        usedNames.add(name);
        seq++;
        made++;
        const ci = locator.communityAt(spot.x, spot.y);
        out.push({
          code: `${s.code}M${String(seq).padStart(3, '0')}`,
          name,
          trade: trade.trade,
          kind: trade.kind,
          roadName: road,
          address: `${road}${number}号`,
          subdistrictCode: s.code,
          communityCode: admin.communities[ci]?.code ?? '',
          location: toGeoJsonPoint(spot.x, spot.y, proj),
        });
      }
    }
  });
  return out;
}
