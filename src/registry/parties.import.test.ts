import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { systemActor } from '../access/roles.js';
import { creditCodeCheckChar } from './codes.js';
import { PARTY_KINDS } from './parties.js';
import { exportParties, importParties, searchCompounds, searchPropertyCompanies } from './parties.service.js';

const ctx = { actor: systemActor('test') };
const creditCode = (serial: string) => `91310112${serial}${creditCodeCheckChar(`91310112${serial}`)}`;
const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
const count = async (deps: TestDeps, table: 'compound' | 'merchant' | 'property_company' | 'department') =>
  Number(
    (
      await deps.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const lineFields = (r: { problems: Array<{ line: number; field: string; reason: string }> }) =>
  r.problems.map((p) => [p.line, p.field, p.reason]);

for (const dialect of DIALECTS) {
  describe(`registry CSV import and export [${dialect}]`, () => {
    let deps: TestDeps;
    beforeAll(async () => {
      deps = await buildTestDeps(dialect);
    });
    afterAll(async () => deps.cleanup());

    it('reports every bad row by line and column and imports nothing', async () => {
      const auditBefore = (await verifyAuditChain(deps)).count;
      const file = csv(
        'code,name,address,lng,lat,communityCode,propertyCompanyCreditCode,ownersCommittee,active',
        'DJ-001,东苑,"东街 1 号,\r\n2 幢",121.38,31.11,310112101001,,,',
        'DJ-002,西苑,,121.38,31.11,310112101999,,,',
        'DJ-003,南苑,,121.38,95,310112101001,,,',
        'DJ-001,重复,,,,310112101001,,,',
        'DJ-005,,,,,310112101001,,,',
        'DJ-006,北苑,,121.38,,310112101001,91310112MA1GBX0001,,maybe',
        'DJ-007,中苑,,,,,,',
      );
      const r = await importParties(deps, ctx, 'compounds', file);
      expect(r).toMatchObject({ kind: 'compounds', rejected: true, imported: 0, rows: 7 });
      // the address of line 2 spans two lines, so the next record starts on line 4
      expect(lineFields(r)).toEqual([
        [4, 'communityCode', 'unknown'],
        [5, 'lat', 'latRange'],
        [6, 'code', 'duplicateInFile'],
        [7, 'name', 'required'],
        [8, 'lat', 'missingPair'],
        [8, 'active', 'format'],
        [8, 'propertyCompanyCreditCode', 'unknown'],
        [9, '*', 'fieldCount'],
      ]);
      expect(r.problems.find((p) => p.line === 6)).toMatchObject({ key: 'duplicateInFile', value: '2' });
      expect(await count(deps, 'compound')).toBe(0);
      expect((await verifyAuditChain(deps)).count).toBe(auditBefore);
    });

    it('with skipBadRows imports the good rows in one transaction and lists the skipped ones', async () => {
      const file = csv(
        'code,name,address,lng,lat,communityCode',
        'SK-001,东苑,"东街 1 号",121.38,31.11,310112101001',
        'SK-002,西苑,,121.38,31.11,310112101999',
        'SK-003,南苑,,,,310112101001',
      );
      const r = await importParties(deps, ctx, 'compounds', file, { skipBadRows: true });
      expect(r).toMatchObject({ rejected: false, imported: 2, rows: 3, skippedLines: [3] });
      expect(lineFields(r)).toEqual([[3, 'communityCode', 'unknown']]);
      const got = await searchCompounds(deps, ctx.actor, { q: 'SK-' });
      expect(got.map((c) => [c.code, c.name, c.address, c.location])).toEqual([
        ['SK-001', '东苑', '东街 1 号', { lng: 121.38, lat: 31.11 }],
        ['SK-003', '南苑', null, null],
      ]);
      const entries = await deps.database.db
        .selectFrom('audit_entry')
        .select(['action', 'summary'])
        .where('action', 'in', ['compound.create', 'registry.import'])
        .orderBy('seq')
        .execute();
      expect(entries.map((e) => e.action)).toEqual(['compound.create', 'compound.create', 'registry.import']);
      expect(JSON.parse(entries[2]!.summary).after).toEqual({
        kind: 'compounds',
        rows: 3,
        imported: 2,
        skippedLines: [3],
      });
      // the same file again: every row is now a duplicate of the database
      const again = await importParties(deps, ctx, 'compounds', file);
      expect(lineFields(again)).toEqual([
        [2, 'code', 'duplicate'],
        [3, 'communityCode', 'unknown'],
        [4, 'code', 'duplicate'],
      ]);
    });

    it('checks credit codes with their check character, and companies’ subdistricts by code', async () => {
      const good = creditCode('MA1EMP001');
      const bad = `${good.slice(0, 17)}${good.endsWith('1') ? '2' : '1'}`;
      const file = csv(
        '\uFEFFcreditCode,name,contactPhone,subdistrictCode',
        `${good},东苑物业,13812345678,310112101`,
        `${bad},坏码物业,,`,
        `${good.toLowerCase()},同码物业,,`,
        `${creditCode('MA1EMP002')},无街镇物业,,310112999`,
        `${creditCode('MA1EMP003')},电话错,phone,`,
      );
      const r = await importParties(deps, ctx, 'property-companies', file);
      expect(lineFields(r)).toEqual([
        [3, 'creditCode', 'checkChar'],
        [4, 'creditCode', 'duplicateInFile'],
        [5, 'subdistrictCode', 'unknown'],
        [6, 'contactPhone', 'format'],
      ]);
      expect(await count(deps, 'property_company')).toBe(0);
      const ok = await importParties(deps, ctx, 'property-companies', file, { skipBadRows: true });
      expect(ok.imported).toBe(1);
      const [c] = await searchPropertyCompanies(deps, ctx.actor, { q: good });
      expect(c).toMatchObject({
        name: '东苑物业',
        parentUnit: { code: '310112101' },
        contactPhone: '138****5678',
      });
      expect(
        (
          await deps.database.db
            .selectFrom('org_unit')
            .select('kind')
            .where('id', '=', c!.unitId)
            .executeTakeFirstOrThrow()
        ).kind,
      ).toBe('propertyCompany');
    });

    it('a bad header stops the import even when skipping bad rows', async () => {
      const r = await importParties(deps, ctx, 'merchants', csv('name,colour,address', '面馆,red,老街'), {
        skipBadRows: true,
      });
      expect(r.rejected).toBe(true);
      expect(lineFields(r)).toEqual([
        [1, 'colour', 'unknownColumn'],
        [1, 'subdistrictCode', 'missingColumn'],
      ]);
      expect(await count(deps, 'merchant')).toBe(0);
      expect((await importParties(deps, ctx, 'departments', '')).problems.map((p) => p.reason)).toEqual([
        'empty',
      ]);
    });

    it('export → import into another database → export gives the same file, for every kind', async () => {
      const pc = creditCode('MA1RT0001');
      await importParties(
        deps,
        ctx,
        'property-companies',
        csv(
          'creditCode,name,address,contactName,contactPhone,subdistrictCode,active',
          `${pc},"往返物业, 有限公司","沪闵路 ""8"" 号",周经理,+8613812345678,,true`,
        ),
      );
      await importParties(
        deps,
        ctx,
        'departments',
        csv(
          'code,kind,name,nameEn,active',
          '310112-LH,greening,闵行区绿化市容局,"Greening, City Appearance",true',
          '310112-SJ,data,闵行区数据局,,false',
        ),
      );
      await importParties(
        deps,
        ctx,
        'compounds',
        csv(
          'code,name,address,lng,lat,communityCode,propertyCompanyCreditCode,ownersCommittee,active',
          `RT-001,往返小区,"两行\r\n地址",121.381234,31.112345,310112101001,${pc},=业委会,false`,
        ),
      );
      await importParties(
        deps,
        ctx,
        'merchants',
        csv(
          'name,address,lng,lat,subdistrictCode,business,active',
          '往返面馆,老街 1 号,121.37,31.11,310112101,-餐饮-,',
        ),
      );
      const other = await buildTestDeps(dialect);
      try {
        for (const kind of PARTY_KINDS.slice().sort((x, y) => order(x) - order(y))) {
          const first = await exportParties(deps, ctx.actor, kind);
          const r = await importParties(other, ctx, kind, first);
          expect(r.problems).toEqual([]);
          expect(await exportParties(other, ctx.actor, kind)).toBe(first);
        }
        const exported = await exportParties(deps, ctx.actor, 'compounds');
        expect(
          exported.startsWith(
            '\uFEFFcode,name,address,lng,lat,communityCode,propertyCompanyCreditCode,ownersCommittee,active\r\n',
          ),
        ).toBe(true);
        expect(exported).toContain(
          `RT-001,往返小区,"两行\r\n地址",121.381234,31.112345,310112101001,${pc},'=业委会,false\r\n`,
        );
        const merchants = await exportParties(deps, ctx.actor, 'merchants');
        expect(merchants).toContain("往返面馆,老街 1 号,121.37,31.11,310112101,'-餐饮-,true\r\n");
      } finally {
        await other.cleanup();
      }
    });
  });
}

/** Companies before compounds (which name them); the rest in any order. */
const order = (k: string) => (k === 'property-companies' ? 0 : k === 'compounds' ? 2 : 1);
