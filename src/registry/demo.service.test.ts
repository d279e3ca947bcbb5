import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { type DemoDistrict } from './demo/index.js';
import { loadDemoDistrict } from './demo.service.js';
import { listGridLayers, exportGridLayer } from './grid-layers.service.js';
import { systemActor } from '../access/roles.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { testDemoDistrict } from '../testing/demo-district.js';

let district: DemoDistrict;
beforeAll(async () => {
  district = await testDemoDistrict();
}, 180_000);

for (const dialect of DIALECTS) {
  describe(`onegrid demo [${dialect}]`, () => {
    let deps: TestDeps;
    beforeAll(async () => {
      deps = await buildTestDeps(dialect, { seed: false });
    });
    afterAll(async () => deps.cleanup());

    it('stores the district: real subdistricts and communities, parties, generated layers, categories, placed users', async () => {
      const r = await loadDemoDistrict(deps, { district });
      expect(r.skipped).toBe(false);
      const db = deps.database.db;
      const count = async (kind: string) => Number((await db.selectFrom('org_unit').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kind).executeTakeFirstOrThrow()).n);
      expect(await count('subdistrict')).toBe(14);
      expect(await count('squad')).toBe(14);
      expect(await count('community')).toBe(596);
      const meilong = await db.selectFrom('org_unit as s').innerJoin('org_unit as p', 'p.id', 's.parent_id').select(['s.name']).where('s.kind', '=', 'sector').where('p.name', '=', '梅陇镇').orderBy('s.name').execute();
      expect(meilong.map((s) => s.name).sort()).toEqual(['梅陇镇中片', '梅陇镇北片', '梅陇镇南片'].sort()); // north, central, south
      const xinzhuangWs = await db.selectFrom('org_unit as w').innerJoin('org_unit as s', 's.id', 'w.parent_id').select('w.id').where('w.kind', '=', 'workstation').where('s.code', '=', '310112101').execute();
      const xinzhuangCommunities = district.communities.filter((c) => c.subdistrictCode === '310112101').length;
      expect(xinzhuangWs.length).toBe(xinzhuangCommunities); // 莘庄镇: one workstation per community
      expect(Number((await db.selectFrom('compound').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(district.compounds.length);
      expect(Number((await db.selectFrom('department').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(11); // the 9 of the generator + construction and utility
      expect(Number((await db.selectFrom('category').select((eb) => eb.fn.countAll<number>().as('n')).where('local', '=', 0).executeTakeFirstOrThrow()).n)).toBe(403);

      const layers = await listGridLayers(deps, systemActor('t'));
      const byName = new Map(layers.map((l) => [l.name, l]));
      expect([...byName.keys()].sort()).toEqual(['communities', 'district', 'policeGrid', 'subdistricts', 'unitGrid', 'workstationAreas']);
      expect(byName.get('unitGrid')!.cellCount).toBe(district.unitGrid.length);
      expect(layers.every((l) => l.generated)).toBe(true);
      const subs = await exportGridLayer(deps, systemActor('t'), 'subdistricts');
      expect(subs.features.every((f) => typeof f.properties.unitId === 'string')).toBe(true); // every cell has its unit

      // the property-company demo user sits in a company that manages compounds in 莘庄镇
      const property = await db
        .selectFrom('app_user as u')
        .innerJoin('property_company as p', 'p.unit_id', 'u.unit_id')
        .innerJoin('compound as c', 'c.property_company_id', 'p.id')
        .innerJoin('org_unit as com', 'com.id', 'c.community_id')
        .select(['com.code'])
        .where('u.username', '=', 'property')
        .execute();
      expect(property.some((c) => c.code.startsWith('310112101'))).toBe(true);
      expect((await verifyAuditChain(deps)).ok).toBe(true);
      // a second run changes nothing
      expect((await loadDemoDistrict(deps, { district })).skipped).toBe(true);
    }, 300_000);
  });
}
