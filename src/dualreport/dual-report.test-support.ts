/**
 * Test support for the dual report, patrols and duty notices: the demo district with its default local
 * categories (新增违建), a property company of 莘庄镇 with two compounds it manages and one it does not, and
 * the actors who report, receive and read.
 */
import { ROLE_PERMISSIONS, systemActor, type Actor } from '../access/roles.js';
import type { Deps } from '../deps.js';
import { ensureDefaultLocalCategories } from '../registry/categories.service.js';
import { departmentCode, squadCode } from '../registry/demo.service.js';
import type { DemoDistrict } from '../registry/demo/index.js';
import { MEILONG, XINZHUANG, loadDistrict, type LoadedDistrict } from '../intake/reports.test-support.js';

/** 新增违建 (local, family illegalConstruction). */
export const NEW_CONSTRUCTION = 'event:06901';
/** 占道经营-like matter outside the illegal-construction family: 06005 (a community matter). */
export const NOT_CONSTRUCTION = 'event:06005';

export interface DualReportWorld {
  d: LoadedDistrict;
  company: { id: string; name: string; unitId: string; unitPath: string };
  /** Two compounds of 莘庄镇 the company manages, and one of 莘庄镇 it does not. */
  managed: [string, string];
  notManaged: string;
  otherCompany: { id: string; unitId: string; unitPath: string };
  companyUser: Actor;
  otherCompanyUser: Actor;
  officer: Actor;
  squadLeader: Actor;
  meilongOfficer: Actor;
  liaison: Actor;
  housingLiaison: Actor;
  bureau: Actor;
}

const companyActor = (c: { unitId: string; unitPath: string }, id: string): Actor => ({
  kind: 'user',
  id,
  name: id,
  role: 'propertyCompany',
  unitId: c.unitId,
  unitPath: c.unitPath,
  permissions: new Set(ROLE_PERMISSIONS.propertyCompany),
});

/** Loads the district and picks the company and compounds the tests use. */
export async function loadDualReportWorld(deps: Deps, district: DemoDistrict): Promise<DualReportWorld> {
  const d = await loadDistrict(deps, district);
  await ensureDefaultLocalCategories(deps, { actor: systemActor('test') });
  const rows = await deps.database.db
    .selectFrom('compound as c')
    .innerJoin('org_unit as com', 'com.id', 'c.community_id')
    .innerJoin('property_company as pc', 'pc.id', 'c.property_company_id')
    .innerJoin('org_unit as pu', 'pu.id', 'pc.unit_id')
    .select(['c.id', 'pc.id as company_id', 'pc.name', 'pc.unit_id', 'pu.path'])
    .where('com.code', 'like', `${XINZHUANG}%`)
    .where('c.lng', 'is not', null)
    .orderBy('c.code')
    .execute();
  const byCompany = new Map<string, typeof rows>();
  for (const r of rows) byCompany.set(r.company_id, [...(byCompany.get(r.company_id) ?? []), r]);
  const [first, second] = [...byCompany.values()].filter((cs) => cs.length >= 2);
  if (!first || !second)
    throw new Error('the demo district has fewer than two companies with two compounds in 莘庄镇');
  const c = first[0]!;
  const o = second[0]!;
  const company = { id: c.company_id, name: c.name, unitId: c.unit_id, unitPath: c.path };
  const otherCompany = { id: o.company_id, unitId: o.unit_id, unitPath: o.path };
  return {
    d,
    company,
    managed: [first[0]!.id, first[1]!.id],
    notManaged: o.id,
    otherCompany,
    companyUser: companyActor(company, 'u-property'),
    otherCompanyUser: companyActor(otherCompany, 'u-property-2'),
    officer: d.actor('officer', squadCode(XINZHUANG)),
    squadLeader: d.actor('squadLeader', squadCode(XINZHUANG)),
    meilongOfficer: d.actor('officer', squadCode(MEILONG)),
    liaison: d.actor('departmentLiaison', departmentCode('illegalConstructionOffice')),
    housingLiaison: d.actor('departmentLiaison', departmentCode('housing')),
    bureau: d.actor('bureauLeader', '310112'),
  };
}

/** A valid dual-report input on a compound, discovered `hoursAgo` before `now`, dissuaded an hour later. */
export const dualInput = (
  compoundId: string,
  now: Date,
  hoursAgo = 3,
  extra: Record<string, unknown> = {},
) => {
  const discovered = new Date(now.getTime() - hoursAgo * 3600_000);
  return {
    compoundId,
    place: { building: '12号', unit: '2', room: '601' },
    categoryKey: NEW_CONSTRUCTION,
    description: '顶楼露台正在搭建彩钢板房',
    discoveredAt: discovered.toISOString(),
    underWay: false,
    dissuasion: {
      at: new Date(discovered.getTime() + 3600_000).toISOString(),
      by: '王保安',
      outcome: 'ineffective' as const,
      note: '业主拒绝停工',
    },
    ...extra,
  };
};
