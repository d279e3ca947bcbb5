import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { DEMO_PASSWORD } from './demo-seed.service.js';
import { login } from '../access/access.service.js';
import { verifyAuditChain } from '../access/audit.service.js';
import type { Actor } from '../access/roles.js';
import { DomainError } from '../platform/errors.js';
import { creditCodeCheckChar } from './codes.js';
import type { OrgUnit } from './org-units.js';
import { searchOrgUnits } from './org-units.service.js';
import {
  createCompound,
  createDepartment,
  createLiaison,
  createMerchant,
  createPropertyCompany,
  getCompound,
  getDepartment,
  getMerchant,
  getPropertyCompany,
  searchCompounds,
  searchDepartments,
  searchLiaisons,
  searchMerchants,
  searchPropertyCompanies,
  setCompoundActive,
  setLiaisonActive,
  setMerchantActive,
  setPropertyCompanyActive,
  updateCompound,
  updateDepartment,
  updateLiaison,
  updateMerchant,
  updatePropertyCompany,
} from './parties.service.js';

/** A valid credit code of a Shanghai (310112) company from a 9-character serial. */
export const creditCode = (serial: string) => {
  const body = `91310112${serial}`;
  return body + creditCodeCheckChar(body);
};

const failure = async (p: Promise<unknown>): Promise<DomainError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a domain error');
};

for (const dialect of DIALECTS) {
  describe(`registry parties [${dialect}]`, () => {
    let deps: TestDeps;
    const a: Record<string, Actor> = {};
    const unit: Record<string, OrgUnit> = {};
    const auditOf = (entityId: string) =>
      deps.database.db
        .selectFrom('audit_entry')
        .select(['action', 'summary', 'actor_name'])
        .where('entity_id', '=', entityId)
        .orderBy('seq')
        .execute();

    beforeAll(async () => {
      deps = await buildTestDeps(dialect);
      for (const u of [
        'leader',
        'bureaustaff',
        'squadleader',
        'dispatcher',
        'officer',
        'workstation',
        'liaison',
        'resident',
      ]) {
        a[u] = (await login(deps, { username: u, password: DEMO_PASSWORD })).actor;
      }
      for (const u of await searchOrgUnits(deps, a.leader!, {})) unit[u.kind] ??= u;
    });
    afterAll(async () => deps.cleanup());

    describe('property companies', () => {
      it('creates the company and its org unit in one transaction, audited, phone masked in the log and listings', async () => {
        const c = await createPropertyCompany(
          deps,
          { actor: a.bureaustaff! },
          {
            name: ' 上海东苑物业管理有限公司 ',
            creditCode: creditCode('MA1FL0001').toLowerCase(),
            address: '莘庄镇沪闵路 1 号',
            contactName: '钱经理',
            contactPhone: '13812345678',
            subdistrictId: unit.subdistrict!.id,
          },
        );
        expect(c).toMatchObject({
          name: '上海东苑物业管理有限公司',
          creditCode: creditCode('MA1FL0001'),
          contactPhone: '13812345678',
          active: true,
          version: 1,
        });
        expect(c.parentUnit).toEqual({ id: unit.subdistrict!.id, code: '310112101', name: '莘庄镇' });
        const u = await deps.database.db
          .selectFrom('org_unit')
          .selectAll()
          .where('id', '=', c.unitId)
          .executeTakeFirstOrThrow();
        expect(u).toMatchObject({
          kind: 'propertyCompany',
          code: c.creditCode,
          name: c.name,
          parent_id: unit.subdistrict!.id,
          path: `${unit.subdistrict!.path}${u.id}/`,
        });
        const entries = await auditOf(c.id);
        expect(entries.map((e) => e.action)).toEqual(['propertyCompany.create']);
        expect(JSON.parse(entries[0]!.summary)).toMatchObject({
          before: null,
          after: {
            creditCode: c.creditCode,
            contactPhone: '138****5678',
            parentUnitId: unit.subdistrict!.id,
          },
        });
        expect(entries[0]!.summary).not.toContain('13812345678');
        const listed = await searchPropertyCompanies(deps, a.leader!, { q: '东苑' });
        expect(listed.map((x) => [x.id, x.contactPhone])).toEqual([[c.id, '138****5678']]);
        // the reader without write permission sees the phone masked on the record too
        expect((await getPropertyCompany(deps, a.leader!, c.id)).contactPhone).toBe('138****5678');
        expect(
          (await searchPropertyCompanies(deps, a.leader!, { q: creditCode('MA1FL0001').slice(0, 12) })).map(
            (x) => x.id,
          ),
        ).toEqual([c.id]);
        expect(
          (await searchPropertyCompanies(deps, a.leader!, { subdistrictId: unit.subdistrict!.id })).map(
            (x) => x.id,
          ),
        ).toContain(c.id);
      });

      it('takes over the org unit of a company that users were placed in before the company was registered', async () => {
        // The demo skeleton has the unit of 莘城物业 (the `property` user's) but no company record.
        const demo = unit.propertyCompany!;
        const c = await createPropertyCompany(
          deps,
          { actor: a.bureaustaff! },
          { name: '上海莘城物业管理有限公司', creditCode: demo.code, subdistrictId: unit.subdistrict!.id },
        );
        expect(c.unitId).toBe(demo.id);
        expect(JSON.parse((await auditOf(c.id))[0]!.summary).after).toMatchObject({
          unitId: demo.id,
          adoptedUnit: true,
        });
        const again = await failure(
          createPropertyCompany(deps, { actor: a.bureaustaff! }, { name: '再登记', creditCode: demo.code }),
        );
        expect(again).toMatchObject({ code: 'Conflict', details: { field: 'creditCode' } });
      });

      it('refuses a credit code with a wrong check character, naming the field, and writes nothing', async () => {
        const good = creditCode('MA1FL0002');
        const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
        const units = await deps.database.db.selectFrom('org_unit').select('id').execute();
        const e = await failure(
          createPropertyCompany(deps, { actor: a.bureaustaff! }, { name: '坏代码物业', creditCode: bad }),
        );
        expect(e).toMatchObject({
          code: 'Invalid',
          messageKey: 'creditCodeInvalid',
          details: { field: 'creditCode', reason: 'checkChar', value: bad },
        });
        expect(await deps.database.db.selectFrom('org_unit').select('id').execute()).toHaveLength(
          units.length,
        );
        expect(
          (
            await failure(
              createPropertyCompany(deps, { actor: a.bureaustaff! }, { name: '短', creditCode: '9131011' }),
            )
          ).details,
        ).toMatchObject({ field: 'creditCode', reason: 'length' });
        expect(
          (
            await failure(
              createPropertyCompany(deps, { actor: a.bureaustaff! }, { name: '', creditCode: good }),
            )
          ).details,
        ).toMatchObject({ field: 'name', reason: 'required' });
        expect(
          (
            await failure(
              createPropertyCompany(
                deps,
                { actor: a.bureaustaff! },
                { name: 'x', creditCode: good, contactPhone: 'call me' },
              ),
            )
          ).details,
        ).toMatchObject({ field: 'contactPhone' });
      });

      it('refuses a registered credit code (409), an unknown subdistrict (404) and callers without registry:write (403)', async () => {
        const code = creditCode('MA1FL0003');
        await createPropertyCompany(deps, { actor: a.bureaustaff! }, { name: '甲物业', creditCode: code });
        expect(
          await failure(
            createPropertyCompany(deps, { actor: a.bureaustaff! }, { name: '乙物业', creditCode: code }),
          ),
        ).toMatchObject({
          code: 'Conflict',
          details: { field: 'creditCode' },
        });
        expect(
          (
            await failure(
              createPropertyCompany(
                deps,
                { actor: a.bureaustaff! },
                { name: '丙物业', creditCode: creditCode('MA1FL0004'), subdistrictId: unit.squad!.id },
              ),
            )
          ).code,
        ).toBe('NotFound');
        expect(
          (
            await failure(
              createPropertyCompany(
                deps,
                { actor: a.squadleader! },
                { name: '丁物业', creditCode: creditCode('MA1FL0005') },
              ),
            )
          ).code,
        ).toBe('Forbidden');
      });

      it('edits under optimistic locking: a stale version answers 409 with the current record; the org unit follows', async () => {
        const c = await createPropertyCompany(
          deps,
          { actor: a.bureaustaff! },
          { name: '旧名物业', creditCode: creditCode('MA1FL0006') },
        );
        expect(c.parentUnit.id).toBe(unit.bureau!.id);
        const v2 = await updatePropertyCompany(deps, { actor: a.bureaustaff! }, c.id, {
          version: 1,
          name: '新名物业',
          subdistrictId: unit.subdistrict!.id,
        });
        expect(v2).toMatchObject({ name: '新名物业', version: 2, parentUnit: { id: unit.subdistrict!.id } });
        const u = await deps.database.db
          .selectFrom('org_unit')
          .selectAll()
          .where('id', '=', c.unitId)
          .executeTakeFirstOrThrow();
        expect(u).toMatchObject({
          name: '新名物业',
          parent_id: unit.subdistrict!.id,
          path: `${unit.subdistrict!.path}${c.unitId}/`,
        });
        const stale = await failure(
          updatePropertyCompany(deps, { actor: a.bureaustaff! }, c.id, { version: 1, name: '抢改' }),
        );
        expect(stale).toMatchObject({
          code: 'Conflict',
          messageKey: 'versionConflict',
          details: { field: 'version', currentVersion: 2, current: { name: '新名物业', version: 2 } },
        });
        expect((await getPropertyCompany(deps, a.leader!, c.id)).name).toBe('新名物业');
        const entries = await auditOf(c.id);
        expect(entries.map((e) => e.action)).toEqual(['propertyCompany.create', 'propertyCompany.update']);
        expect(JSON.parse(entries[1]!.summary)).toEqual({
          before: { name: '旧名物业', parentUnitId: unit.bureau!.id },
          after: { name: '新名物业', parentUnitId: unit.subdistrict!.id },
        });
      });

      it('deactivates and reactivates (never deletes); its org unit follows; listings filter by state', async () => {
        const c = await createPropertyCompany(
          deps,
          { actor: a.bureaustaff! },
          { name: '停业物业', creditCode: creditCode('MA1FL0007') },
        );
        const off = await setPropertyCompanyActive(deps, { actor: a.bureaustaff! }, c.id, false, 1);
        expect(off).toMatchObject({ active: false, version: 2 });
        expect(
          (
            await deps.database.db
              .selectFrom('org_unit')
              .select('active')
              .where('id', '=', c.unitId)
              .executeTakeFirstOrThrow()
          ).active,
        ).toBe(0);
        expect(
          (await searchPropertyCompanies(deps, a.leader!, { q: '停业', active: true })).map((x) => x.id),
        ).toEqual([]);
        expect(
          (await searchPropertyCompanies(deps, a.leader!, { q: '停业', active: false })).map((x) => x.id),
        ).toEqual([c.id]);
        expect(
          (await failure(setPropertyCompanyActive(deps, { actor: a.bureaustaff! }, c.id, true, 1))).code,
        ).toBe('Conflict');
        await setPropertyCompanyActive(deps, { actor: a.bureaustaff! }, c.id, true);
        expect((await searchPropertyCompanies(deps, a.leader!, { q: '停业' })).map((x) => x.active)).toEqual([
          true,
        ]);
        expect((await auditOf(c.id)).map((e) => e.action)).toEqual([
          'propertyCompany.create',
          'propertyCompany.deactivate',
          'propertyCompany.activate',
        ]);
      });
    });

    describe('departments and liaisons', () => {
      it('creates a department with its org unit under the bureau, and takes over a unit that existed before it', async () => {
        const police = await createDepartment(
          deps,
          { actor: a.bureaustaff! },
          { code: '310112-GA', kind: 'police', name: '闵行公安分局' },
        );
        const pu = await deps.database.db
          .selectFrom('org_unit')
          .selectAll()
          .where('id', '=', police.unitId)
          .executeTakeFirstOrThrow();
        expect(pu).toMatchObject({ kind: 'department', code: '310112-GA', parent_id: unit.bureau!.id });
        // The demo skeleton has the 拆违办 unit (the liaison user's) but no department record yet.
        const cwb = await createDepartment(
          deps,
          { actor: a.bureaustaff! },
          { code: unit.department!.code, kind: 'illegalConstructionOffice', name: '闵行区拆违办' },
        );
        expect(cwb.unitId).toBe(unit.department!.id);
        expect(JSON.parse((await auditOf(cwb.id))[0]!.summary).after).toMatchObject({
          code: unit.department!.code,
          adoptedUnit: true,
        });
        // scope: the liaison user belongs to 拆违办 and sees it, not the police
        expect((await getDepartment(deps, a.liaison!, cwb.id)).kind).toBe('illegalConstructionOffice');
        const hidden = await failure(getDepartment(deps, a.liaison!, police.id));
        const missing = await failure(getDepartment(deps, a.liaison!, 'no-such-department'));
        expect([hidden.code, hidden.messageKey]).toEqual([missing.code, missing.messageKey]);
        expect((await searchDepartments(deps, a.liaison!, {})).map((d) => d.id)).toEqual([cwb.id]);
        expect((await searchDepartments(deps, a.leader!, { kind: 'police' })).map((d) => d.id)).toEqual([
          police.id,
        ]);
        expect(
          await failure(
            createDepartment(
              deps,
              { actor: a.bureaustaff! },
              { code: '310112-GA', kind: 'police', name: 'dup' },
            ),
          ),
        ).toMatchObject({ code: 'Conflict', details: { field: 'code' } });
        expect(
          await failure(
            createDepartment(deps, { actor: a.bureaustaff! }, { code: '310112-XX', kind: 'army', name: 'x' }),
          ),
        ).toMatchObject({ code: 'Invalid', details: { field: 'kind' } });
        const edited = await updateDepartment(deps, { actor: a.bureaustaff! }, police.id, {
          version: 1,
          nameEn: 'Minhang Public Security',
        });
        expect(edited).toMatchObject({ nameEn: 'Minhang Public Security', version: 2 });
        expect(
          (
            await failure(
              updateDepartment(deps, { actor: a.bureaustaff! }, police.id, { version: 1, name: 'x' }),
            )
          ).details,
        ).toMatchObject({ current: { version: 2 } });
      });

      it('keeps liaison persons with masked phones in listings, edits them by version and deactivates them', async () => {
        const d = await createDepartment(
          deps,
          { actor: a.bureaustaff! },
          { code: '310112-SW', kind: 'water', name: '闵行区水务局' },
        );
        const l = await createLiaison(deps, { actor: a.bureaustaff! }, d.id, {
          name: '孙工',
          title: '科长',
          phone: '13912345678',
        });
        expect(l.phone).toBe('13912345678');
        expect((await searchLiaisons(deps, a.leader!, d.id)).map((x) => x.phone)).toEqual(['139****5678']);
        const v2 = await updateLiaison(deps, { actor: a.bureaustaff! }, l.id, {
          version: 1,
          phone: '021-64123456',
        });
        expect(v2).toMatchObject({ phone: '021-64123456', version: 2 });
        expect(
          await failure(updateLiaison(deps, { actor: a.bureaustaff! }, l.id, { version: 1, title: '处长' })),
        ).toMatchObject({ code: 'Conflict', details: { current: { version: 2 } } });
        await setLiaisonActive(deps, { actor: a.bureaustaff! }, l.id, false);
        expect(await searchLiaisons(deps, a.leader!, d.id, { active: true })).toEqual([]);
        expect(await searchLiaisons(deps, a.leader!, d.id)).toHaveLength(1);
        const entries = await auditOf(l.id);
        expect(entries.map((e) => e.action)).toEqual([
          'liaison.create',
          'liaison.update',
          'liaison.deactivate',
        ]);
        expect(JSON.parse(entries[1]!.summary)).toEqual({
          before: { phone: '139****5678' },
          after: { phone: '021****3456' },
        });
        expect(
          (
            await failure(
              createLiaison(deps, { actor: a.bureaustaff! }, d.id, { name: '无号', phone: 'abc' }),
            )
          ).details,
        ).toMatchObject({ field: 'phone' });
        expect((await failure(searchLiaisons(deps, a.liaison!, d.id))).code).toBe('NotFound');
      });
    });

    describe('compounds', () => {
      let companyId: string;
      beforeAll(async () => {
        companyId = (
          await createPropertyCompany(
            deps,
            { actor: a.bureaustaff! },
            { name: '莘城物业', creditCode: creditCode('MA1FL0100'), subdistrictId: unit.subdistrict!.id },
          )
        ).id;
      });

      it('creates a compound in a community with its company and location; scope follows the community', async () => {
        const c = await createCompound(
          deps,
          { actor: a.bureaustaff! },
          {
            code: 'XZ-DJ-001',
            name: '东街小区',
            address: '莘庄镇东街 88 弄',
            location: { lng: 121.3817, lat: 31.1128 },
            communityId: unit.community!.id,
            propertyCompanyId: companyId,
            ownersCommittee: '东街小区第三届业委会',
          },
        );
        expect(c).toMatchObject({
          code: 'XZ-DJ-001',
          location: { lng: 121.3817, lat: 31.1128 },
          community: { id: unit.community!.id, code: '310112101001' },
          propertyCompany: { id: companyId, name: '莘城物业' },
          version: 1,
        });
        expect((await auditOf(c.id)).map((e) => e.action)).toEqual(['compound.create']);
        // the workstation serving the community and the subdistrict's squad see it; a department's liaison
        // does not, and cannot tell it exists
        expect((await getCompound(deps, a.workstation!, c.id)).id).toBe(c.id);
        expect((await searchCompounds(deps, a.workstation!, {})).map((x) => x.id)).toContain(c.id);
        expect((await searchCompounds(deps, a.dispatcher!, {})).map((x) => x.id)).toContain(c.id);
        expect(await searchCompounds(deps, a.liaison!, {})).toEqual([]);
        const hidden = await failure(getCompound(deps, a.liaison!, c.id));
        const missing = await failure(getCompound(deps, a.liaison!, '00000000-0000-7000-8000-000000000000'));
        expect([hidden.code, hidden.messageKey, hidden.details.entity]).toEqual([
          missing.code,
          missing.messageKey,
          missing.details.entity,
        ]);
        expect((await failure(searchCompounds(deps, a.resident!, {}))).code).toBe('Forbidden');
      });

      it('searches by text on name, code and address and filters by community, subdistrict, company and state', async () => {
        const other = await createCompound(
          deps,
          { actor: a.bureaustaff! },
          { code: 'XZ-DJ-002', name: '西苑', address: '莘松路 9 号', communityId: unit.community!.id },
        );
        const ids = async (f: Parameters<typeof searchCompounds>[2]) =>
          (await searchCompounds(deps, a.leader!, f)).map((x) => x.code);
        expect(await ids({ q: '东街小区' })).toEqual(['XZ-DJ-001']);
        expect(await ids({ q: 'DJ-002' })).toEqual(['XZ-DJ-002']);
        expect(await ids({ q: '莘松路' })).toEqual(['XZ-DJ-002']);
        expect(await ids({ communityId: unit.community!.id })).toEqual(['XZ-DJ-001', 'XZ-DJ-002']);
        expect(await ids({ subdistrictId: unit.subdistrict!.id })).toEqual(['XZ-DJ-001', 'XZ-DJ-002']);
        expect(await ids({ subdistrictId: unit.squad!.id })).toEqual([]);
        expect(await ids({ propertyCompanyId: companyId })).toEqual(['XZ-DJ-001']);
        await setCompoundActive(deps, { actor: a.bureaustaff! }, other.id, false, 1);
        expect(await ids({ communityId: unit.community!.id, active: true })).toEqual(['XZ-DJ-001']);
        expect(await ids({ communityId: unit.community!.id, active: false })).toEqual(['XZ-DJ-002']);
        expect(await ids({ communityId: unit.community!.id })).toEqual(['XZ-DJ-001', 'XZ-DJ-002']);
      });

      it('names the field of bad coordinates, unknown references and duplicate codes', async () => {
        const base = { code: 'XZ-BAD-1', name: '坏小区', communityId: unit.community!.id };
        expect(
          (
            await failure(
              createCompound(deps, { actor: a.bureaustaff! }, { ...base, location: { lng: 121.4, lat: 95 } }),
            )
          ).details,
        ).toMatchObject({ field: 'lat', reason: 'latRange' });
        // lat/lng swapped: a Shanghai point read the wrong way round
        expect(
          (
            await failure(
              createCompound(
                deps,
                { actor: a.bureaustaff! },
                { ...base, location: { lng: 31.1, lat: 121.4 } },
              ),
            )
          ).details,
        ).toMatchObject({ field: 'lat' });
        expect(
          (
            await failure(
              createCompound(
                deps,
                { actor: a.bureaustaff! },
                { ...base, location: { lng: 116.4, lat: 39.9 } },
              ),
            )
          ).details,
        ).toMatchObject({ field: 'lng', reason: 'outsideServiceArea' });
        expect(
          await failure(
            createCompound(deps, { actor: a.bureaustaff! }, { ...base, communityId: unit.workstation!.id }),
          ),
        ).toMatchObject({ code: 'NotFound' });
        expect(
          await failure(
            createCompound(deps, { actor: a.bureaustaff! }, { ...base, propertyCompanyId: 'nope' }),
          ),
        ).toMatchObject({ code: 'NotFound' });
        expect(
          await failure(createCompound(deps, { actor: a.bureaustaff! }, { ...base, code: 'XZ-DJ-001' })),
        ).toMatchObject({ code: 'Conflict', details: { field: 'code' } });
        expect(
          await failure(createCompound(deps, { actor: a.bureaustaff! }, { ...base, code: 'has space' })),
        ).toMatchObject({ code: 'Invalid', details: { field: 'code' } });
        expect(await searchCompounds(deps, a.leader!, { q: '坏小区' })).toEqual([]);
      });

      it('edits by version with before/after in the audit entry; a stale version gets the current record', async () => {
        const c = await createCompound(
          deps,
          { actor: a.bureaustaff! },
          { code: 'XZ-DJ-003', name: '南苑', communityId: unit.community!.id },
        );
        const v2 = await updateCompound(deps, { actor: a.bureaustaff! }, c.id, {
          version: 1,
          location: { lng: 121.38, lat: 31.11 },
          propertyCompanyId: companyId,
        });
        expect(v2).toMatchObject({
          version: 2,
          location: { lng: 121.38, lat: 31.11 },
          propertyCompany: { id: companyId },
        });
        const stale = await failure(
          updateCompound(deps, { actor: a.workstation! }, c.id, { version: 1, name: 'x' }),
        );
        expect(stale.code).toBe('Forbidden');
        const conflictErr = await failure(
          updateCompound(deps, { actor: a.bureaustaff! }, c.id, { version: 1, name: '北苑' }),
        );
        expect(conflictErr).toMatchObject({
          code: 'Conflict',
          details: { current: { id: c.id, name: '南苑', version: 2, propertyCompany: { id: companyId } } },
        });
        const entries = await auditOf(c.id);
        expect(JSON.parse(entries[1]!.summary)).toEqual({
          before: { location: null, propertyCompanyId: null },
          after: { location: { lng: 121.38, lat: 31.11 }, propertyCompanyId: companyId },
        });
        expect(
          (
            await failure(
              updateCompound(deps, { actor: a.bureaustaff! }, c.id, { version: 2, code: 'XZ-DJ-001' }),
            )
          ).details,
        ).toMatchObject({ field: 'code' });
      });
    });

    describe('merchants', () => {
      it('creates, edits, deactivates; scope follows the subdistrict; same name at the same address is a duplicate', async () => {
        const m = await createMerchant(
          deps,
          { actor: a.bureaustaff! },
          {
            name: '老街面馆',
            address: '莘庄镇老街 12 号',
            location: { lng: 121.37, lat: 31.11 },
            subdistrictId: unit.subdistrict!.id,
            business: '餐饮',
          },
        );
        expect(m).toMatchObject({ subdistrict: { id: unit.subdistrict!.id, code: '310112101' }, version: 1 });
        expect((await getMerchant(deps, a.leader!, m.id)).name).toBe('老街面馆');
        expect((await getMerchant(deps, a.squadleader!, m.id)).id).toBe(m.id);
        expect((await failure(getMerchant(deps, a.workstation!, m.id))).code).toBe('NotFound');
        expect(await searchMerchants(deps, a.liaison!, {})).toEqual([]);
        expect((await searchMerchants(deps, a.leader!, { q: '餐饮' })).map((x) => x.id)).toEqual([m.id]);
        expect(
          (await searchMerchants(deps, a.leader!, { subdistrictId: unit.subdistrict!.id })).map((x) => x.id),
        ).toEqual([m.id]);
        expect(
          await failure(
            createMerchant(
              deps,
              { actor: a.bureaustaff! },
              { name: '老街面馆', address: '莘庄镇老街 12 号', subdistrictId: unit.subdistrict!.id },
            ),
          ),
        ).toMatchObject({
          code: 'Conflict',
          details: { field: 'name' },
        });
        expect(
          await failure(
            createMerchant(
              deps,
              { actor: a.bureaustaff! },
              { name: '别处', subdistrictId: unit.community!.id },
            ),
          ),
        ).toMatchObject({ code: 'NotFound' });
        const v2 = await updateMerchant(deps, { actor: a.bureaustaff! }, m.id, {
          version: 1,
          business: '餐饮（面食）',
        });
        expect(v2.version).toBe(2);
        await setMerchantActive(deps, { actor: a.bureaustaff! }, m.id, false, 2);
        expect((await searchMerchants(deps, a.leader!, { active: true })).map((x) => x.id)).not.toContain(
          m.id,
        );
        expect((await auditOf(m.id)).map((e) => e.action)).toEqual([
          'merchant.create',
          'merchant.update',
          'merchant.deactivate',
        ]);
      });
    });

    it('every write left an intact audit hash chain', async () => {
      const r = await verifyAuditChain(deps);
      expect(r.ok).toBe(true);
    });
  });
}
