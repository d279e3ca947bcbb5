/**
 * `onegrid demo`: the demo district of 闵行区 in the database. The outline, subdistrict and community
 * names and codes are real; all other geometry and every party is generated (src/registry/demo/), and the
 * layers are marked generated so the console says so.
 */
import type { Deps } from '../deps.js';
import { audited } from '../access/audit.service.js';
import { systemActor } from '../access/roles.js';
import { newId } from '../platform/ids.js';
import { loadMinhangSources, generateDemoDistrict, demoDistrictSummary, type DemoDistrict, type DepartmentKey } from './demo/index.js';
import { childPath, type OrgUnitKind } from './org-units.js';
import { findOrgUnitByCode, insertOrgUnit } from './org-units.store.js';
import { insertCompound, insertDepartment, insertLiaison, insertMerchant, insertPropertyCompany } from './parties.store.js';
import type { DepartmentKind } from './parties.js';
import { importGridLayer, DISTRICT_LAYER } from './grid-layers.service.js';
import { loadStandardCategories, standardDirectoryPath } from './categories.service.js';
import { seedDemoBasics, type DemoLogin } from './demo-seed.service.js';
import { ensureDefaultRules } from '../routing/rules.service.js';
import { readFile } from 'node:fs/promises';
import { loadDemoYear, type DemoYearResult } from './demo/demo-year.js';

export const DEMO_SEED = 20261129;
export const BUREAU_CODE = '310112';
export const squadCode = (subdistrictCode: string) => `${subdistrictCode}-ZD`;
export const departmentCode = (kind: string) => `${BUREAU_CODE}-D-${kind}`;

const DEPARTMENT_KIND: Record<DepartmentKey, DepartmentKind> = {
  police: 'police',
  greening: 'greening',
  housing: 'housing',
  water: 'water',
  planning: 'planning',
  marketRegulation: 'market',
  ecology: 'ecology',
  demolition: 'illegalConstructionOffice',
  data: 'data',
};

const SECTOR_ZH: Record<string, string> = { north: '北片', central: '中片', south: '南片', east: '东片', west: '西片' };

export type DemoProgress = (step: string, done?: number, total?: number) => void;

export interface DemoResult {
  skipped: boolean;
  summary?: ReturnType<typeof demoDistrictSummary>;
  logins: DemoLogin[] | null;
  seconds: { generate: number; store: number; layers: number };
  /** The demo year of illegal-construction history (null when not loaded). */
  year?: DemoYearResult | null;
}

/**
 * Builds the demo district into an empty database (or one holding only the platform skeleton with no
 * districts beyond it). Returns without change when the district is already there.
 */
export async function loadDemoDistrict(
  deps: Deps,
  /** year: also load the demo year (src/registry/demo/demo-year.ts); by default only when no pre-generated district is passed (serve, `onegrid demo`), so tests stay fast. */
  opts: { seed?: number; onProgress?: DemoProgress; district?: DemoDistrict; year?: boolean } = {},
): Promise<DemoResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const ctx = { actor: systemActor('demo') };
  const existing = await findOrgUnitByCode(deps.database.db, 'subdistrict', '310112102');
  if (existing) return { skipped: true, logins: null, seconds: { generate: 0, store: 0, layers: 0 } };

  let t = Date.now();
  progress('generate');
  const d = opts.district ?? generateDemoDistrict(await loadMinhangSources(deps.config.sharedDataDir), { seed: opts.seed ?? DEMO_SEED });
  const generate = (Date.now() - t) / 1000;

  t = Date.now();
  progress('store');
  const units = await storeDistrict(deps, d);
  const store = (Date.now() - t) / 1000;

  t = Date.now();
  const layers = layerFiles(d);
  for (const [i, l] of layers.entries()) {
    progress(`layer ${l.name}`, i, layers.length);
    await importGridLayer(deps, ctx, { layer: l.name, title: l.title, titleEn: l.titleEn, crs: 'wgs84', strict: false, unitField: 'unit', generated: true, sourceName: 'onegrid demo (generated)', geojson: l.fc });
  }
  const layerSecs = (Date.now() - t) / 1000;

  progress('categories');
  await loadStandardCategories(deps, ctx, await readFile(standardDirectoryPath(deps.config.sharedDataDir), 'utf8'));

  progress('routing rules');
  await ensureDefaultRules(deps, ctx);

  progress('users');
  const logins = await seedDemoBasics(deps, units);
  let year: DemoYearResult | null = null;
  if (opts.year ?? opts.district === undefined) {
    progress('year of illegal-construction history');
    year = await loadDemoYear(deps, { seed: opts.seed ?? DEMO_SEED });
  }
  return { skipped: false, summary: demoDistrictSummary(d), logins, seconds: { generate, store, layers: layerSecs }, year };
}

/** The org tree, departments, property companies, compounds and merchants, in one audited transaction. */
async function storeDistrict(deps: Deps, d: DemoDistrict): Promise<Record<string, string>> {
  const now = deps.clock().toISOString();
  return audited(deps, { actor: systemActor('demo') }, async (tx, audit) => {
    const byCode = new Map<string, { id: string; path: string }>();
    const unit = async (kind: OrgUnitKind, code: string, name: string, nameEn: string | null, parentCode: string | null, subKind: string | null = null) => {
      const found = await findOrgUnitByCode(tx, kind, code);
      if (found) {
        byCode.set(code, found);
        return found;
      }
      const parent = parentCode ? byCode.get(parentCode) : undefined;
      const id = newId();
      const path = childPath(parent?.path ?? null, id);
      await insertOrgUnit(tx, { id, parent_id: parent?.id ?? null, kind, code, name, name_en: nameEn, path, active: 1, created_at: now, updated_at: now, version: 1, sub_kind: subKind });
      byCode.set(code, { id, path });
      return { id, path };
    };

    await unit('bureau', BUREAU_CODE, '闵行区城市管理行政执法局', 'Minhang District Urban Management Bureau', null);
    for (const s of d.subdistricts) {
      await unit('subdistrict', s.code, s.name, null, BUREAU_CODE, s.kind);
      await unit('squad', squadCode(s.code), `${s.name}城管执法中队`, null, s.code);
    }
    for (const w of d.workstationAreas) {
      let parent = w.subdistrictCode;
      if (w.sector) {
        const sectorCode = `${w.subdistrictCode}-S-${w.sector}`;
        const sub = d.subdistricts.find((s) => s.code === w.subdistrictCode);
        await unit('sector', sectorCode, `${sub?.name ?? ''}${SECTOR_ZH[w.sector] ?? w.sector}`, null, w.subdistrictCode);
        parent = sectorCode;
      }
      await unit('workstation', w.code, w.name, null, parent);
    }
    for (const c of d.communities) await unit('community', c.code, c.name, null, c.workstationCode || c.subdistrictCode);

    for (const dep of d.departments) {
      const kind = DEPARTMENT_KIND[dep.key];
      const u = await unit('department', departmentCode(kind), dep.nameZh, dep.nameEn, BUREAU_CODE);
      const depId = newId();
      await insertDepartment(tx, { id: depId, unit_id: u.id, kind, name: dep.nameZh, name_en: dep.nameEn, active: 1, created_at: now, updated_at: now, version: 1 });
      await insertLiaison(tx, { id: newId(), department_id: depId, name: dep.liaison.name, title: '联络员', phone: dep.liaison.phone, user_id: null, active: 1, created_at: now, updated_at: now, version: 1 });
    }

    // The facility categories of GB/T 47678.5 also default to these two (see categories.ts), which the
    // generated district does not list.
    for (const extra of [
      { kind: 'construction', name: '闵行区建设和管理委员会', nameEn: 'Minhang Construction and Administration Commission', liaison: '郑联络员' },
      { kind: 'utility', name: '闵行区公用管线运营单位联络组', nameEn: 'Minhang Utility Operators Liaison Group', liaison: '冯联络员' },
    ] as const) {
      const u = await unit('department', departmentCode(extra.kind), extra.name, extra.nameEn, BUREAU_CODE);
      const depId = newId();
      await insertDepartment(tx, { id: depId, unit_id: u.id, kind: extra.kind, name: extra.name, name_en: extra.nameEn, active: 1, created_at: now, updated_at: now, version: 1 });
      await insertLiaison(tx, { id: newId(), department_id: depId, name: extra.liaison, title: '联络员', phone: null, user_id: null, active: 1, created_at: now, updated_at: now, version: 1 });
    }

    const companyIds: string[] = [];
    for (const pc of d.propertyCompanies) {
      const u = await unit('propertyCompany', pc.creditCode, pc.name, null, BUREAU_CODE);
      const id = newId();
      companyIds[pc.index] = id;
      await insertPropertyCompany(tx, { id, unit_id: u.id, name: pc.name, credit_code: pc.creditCode, address: null, contact_name: null, contact_phone: pc.phone, active: 1, created_at: now, updated_at: now, version: 1 });
    }
    const companyUnitOf = new Map(d.propertyCompanies.map((pc) => [pc.index, pc.creditCode]));
    for (const c of d.compounds) {
      await insertCompound(tx, {
        id: newId(),
        code: c.code,
        name: c.name,
        address: c.address,
        lng: c.location.coordinates[0],
        lat: c.location.coordinates[1],
        community_id: byCode.get(c.communityCode)!.id,
        property_company_id: companyIds[c.propertyCompanyIndex] ?? null,
        owners_committee: c.ownersCommittee.established ? c.ownersCommittee.name : null,
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      });
    }
    for (const m of d.merchants) {
      await insertMerchant(tx, {
        id: newId(),
        name: m.name,
        address: m.address,
        lng: m.location.coordinates[0],
        lat: m.location.coordinates[1],
        subdistrict_id: byCode.get(m.subdistrictCode)!.id,
        business: m.trade,
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      });
    }
    await audit({ action: 'demo.loadDistrict', entity: 'demo', after: { ...demoDistrictSummary(d) } });

    // Where the demo users sit: 莘庄镇's squad, the workstation of 东街居委会, the 拆违办, and the property
    // company that manages the most compounds in 莘庄镇.
    const xinzhuang = d.compounds.filter((c) => c.subdistrictCode === '310112101');
    const counts = new Map<number, number>();
    for (const c of xinzhuang) counts.set(c.propertyCompanyIndex, (counts.get(c.propertyCompanyIndex) ?? 0) + 1);
    const topCompany = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
    const community = d.communities.find((c) => c.code === '310112101001') ?? d.communities.find((c) => c.subdistrictCode === '310112101');
    const out: Record<string, string> = {};
    const set = (key: string, code: string | undefined) => {
      const u = code ? byCode.get(code) : undefined;
      if (u) out[key] = u.id;
    };
    set('bureau', BUREAU_CODE);
    set('xinzhuang', '310112101');
    set('squad', squadCode('310112101'));
    set('workstation', community?.workstationCode);
    set('community', community?.code);
    set('chaiweiban', departmentCode('illegalConstructionOffice'));
    set('propertyCo', topCompany === undefined ? undefined : companyUnitOf.get(topCompany));
    return out;
  });
}

type FC = { type: 'FeatureCollection'; features: Array<{ type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }> };

function layerFiles(d: DemoDistrict): Array<{ name: string; title: string; titleEn: string; fc: FC }> {
  const fc = (features: FC['features']): FC => ({ type: 'FeatureCollection', features });
  const f = (code: string, unit: string | null, name: string | null, geometry: unknown, extra: Record<string, unknown> = {}) => ({
    type: 'Feature' as const,
    properties: { code, unit, name, ...extra },
    geometry,
  });
  return [
    { name: DISTRICT_LAYER, title: '区界', titleEn: 'District outline', fc: fc([f(BUREAU_CODE, BUREAU_CODE, d.district.name, d.outline)]) },
    { name: 'subdistricts', title: '街镇', titleEn: 'Subdistricts', fc: fc(d.subdistricts.map((s) => f(s.code, s.code, s.name, s.geometry, { kind: s.kind }))) },
    { name: 'communities', title: '居村委', titleEn: 'Communities', fc: fc(d.communities.map((c) => f(c.code, c.code, c.name, c.geometry, { subdistrictCode: c.subdistrictCode }))) },
    { name: 'workstationAreas', title: '城管社区工作站片区', titleEn: 'Workstation areas', fc: fc(d.workstationAreas.map((w) => f(w.code, w.code, w.name, w.geometry, { subdistrictCode: w.subdistrictCode, sector: w.sector }))) },
    { name: 'policeGrid', title: '警务网格', titleEn: 'Police grid', fc: fc(d.policeGrid.map((p) => f(p.code, departmentCode('police'), p.name, p.geometry, { stationCode: p.stationCode, stationName: p.stationName }))) },
    { name: 'unitGrid', title: '单元网格', titleEn: 'Unit grid', fc: fc(d.unitGrid.map((c) => f(c.code, c.communityCode, null, c.geometry, { subdistrictCode: c.subdistrictCode }))) },
  ];
}

