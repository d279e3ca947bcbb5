import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { DEMO_PASSWORD } from './demo-seed.service.js';
import { login } from '../access/access.service.js';
import { listAudit, verifyAuditChain } from '../access/audit.service.js';
import type { Actor } from '../access/roles.js';
import { projectRoot } from '../platform/config/config.js';
import { DomainError } from '../platform/errors.js';
import { CATEGORY_NAMES_EN } from './category-names-en.js';
import {
  createLocalCategory,
  ensureDefaultLocalCategories,
  getCategory,
  listCategories,
  listMajorClasses,
  loadStandardCategories,
  standardDirectoryPath,
  updateCategory,
} from './categories.service.js';

const csv = readFileSync(standardDirectoryPath(join(projectRoot(), '..', 'shared', 'data')), 'utf8');

const failure = async (p: Promise<unknown>): Promise<DomainError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

for (const dialect of DIALECTS) {
  describe(`categories [${dialect}]`, () => {
    let deps: TestDeps;
    const actors: Record<string, Actor> = {};
    const staff = () => ({ actor: actors.bureaustaff! });
    beforeAll(async () => {
      deps = await buildTestDeps(dialect);
      for (const u of ['leader', 'bureaustaff', 'dispatcher', 'workstation', 'resident']) {
        actors[u] = (await login(deps, { username: u, password: DEMO_PASSWORD })).actor;
      }
    });
    afterAll(async () => deps.cleanup());

    it('loads the directory twice: 403 standard + the default locals, no duplicates, one audit entry each', async () => {
      const first = await loadStandardCategories(deps, staff(), csv);
      expect(first).toEqual({
        rows: 403,
        inserted: 403,
        updated: 0,
        unchanged: 0,
        notInFile: 0,
        withoutNameEn: [],
        localCreated: 4,
      });
      const second = await loadStandardCategories(deps, staff(), csv);
      expect(second).toEqual({
        rows: 403,
        inserted: 0,
        updated: 0,
        unchanged: 403,
        notInFile: 0,
        withoutNameEn: [],
        localCreated: 0,
      });
      const all = await listCategories(deps, actors.dispatcher!, {});
      expect(all).toHaveLength(407);
      expect(all.filter((c) => !c.local)).toHaveLength(403);
      expect(new Set(all.map((c) => c.key)).size).toBe(407);
      const n = await deps.database.db
        .selectFrom('category')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(407);
      const loads = (await listAudit(deps, actors.bureaustaff!, { entity: 'category' })).filter(
        (e) => e.action === 'category.load',
      );
      expect(loads).toHaveLength(2);
      expect(loads[0]?.summary).toMatchObject({ after: { inserted: 0, unchanged: 403 } });
      expect(loads[1]?.summary).toMatchObject({
        after: { inserted: 403, localCreated: 4, localKeys: expect.arrayContaining(['event:06901']) },
      });
      expect((await verifyAuditChain(deps)).ok).toBe(true);
    });

    it('stores an English name for every row, the major classes in both languages, and the defaults', async () => {
      const all = await listCategories(deps, actors.dispatcher!, { local: false });
      for (const c of all) expect(c.nameEn, c.key).toBe(CATEGORY_NAMES_EN[c.key]);
      expect(
        all.every((c) => c.majorNameEn !== null && c.defaultUnitKind !== null && c.defaultTimeLimit !== null),
      ).toBe(true);
      expect(await getCategory(deps, actors.dispatcher!, 'event:06001')).toMatchObject({
        name: '私搭乱建',
        nameEn: 'Illegal construction',
        family: 'illegalConstruction',
        defaultUnitKind: 'squad',
        defaultTimeLimit: '4 workhour',
        local: false,
      });
      const majors = await listMajorClasses(deps, actors.dispatcher!);
      expect(majors).toHaveLength(15);
      expect(majors.find((m) => m.kind === 'event' && m.code === '06')).toEqual({
        kind: 'event',
        code: '06',
        name: '市容环境类',
        nameEn: 'City appearance and environment',
        count: 53,
        localCount: 2,
      });
    });

    it('creates the default local set: 新增违建 under 私搭乱建 in the illegal-construction family', async () => {
      const locals = await listCategories(deps, actors.dispatcher!, { local: true });
      expect(locals.map((c) => c.name).sort()).toEqual(
        ['小区装修垃圾与无序', '新增违建', '渣土运输', '群租'].sort(),
      );
      const ic = await listCategories(deps, actors.dispatcher!, { family: 'illegalConstruction' });
      expect(ic.map((c) => c.key)).toEqual(['event:06001', 'event:06901', 'event:08016']);
      expect(ic.find((c) => c.key === 'event:06901')).toMatchObject({
        parentKey: 'event:06001',
        majorName: '市容环境类',
        defaultTimeLimit: '2 hour',
      });
      expect((await listCategories(deps, actors.dispatcher!, { q: '群租' })).map((c) => c.family)).toEqual([
        'groupRental',
      ]);
      expect(
        (await listCategories(deps, actors.dispatcher!, { q: 'MANHOLE', kind: 'component', major: '01' }))
          .length,
      ).toBeGreaterThan(15);
      expect((await ensureDefaultLocalCategories(deps, staff())).created).toEqual([]);
    });

    it('re-loading a changed directory renames in place, keeps edited defaults, adds and keeps rows', async () => {
      const c = await getCategory(deps, actors.dispatcher!, 'event:06010');
      await updateCategory(deps, staff(), 'event:06010', {
        version: c.version,
        defaultTimeLimit: '6 workhour',
      });
      // a newer directory: one name changed, one code the English table does not know yet
      const renamed = `${csv.replace('06010,暴露垃圾', '06010,暴露垃圾（含散落）')}管理事项,06,市容环境类,06053,新类别\r\n`;
      const r = await loadStandardCategories(deps, staff(), renamed);
      expect(r).toMatchObject({
        rows: 404,
        inserted: 1,
        updated: 1,
        unchanged: 402,
        withoutNameEn: ['event:06053'],
      });
      expect(await getCategory(deps, actors.dispatcher!, 'event:06053')).toMatchObject({
        name: '新类别',
        nameEn: '新类别',
        majorNameEn: 'City appearance and environment',
        defaultUnitKind: 'squad',
      });
      expect(await getCategory(deps, actors.dispatcher!, 'event:06010')).toMatchObject({
        name: '暴露垃圾（含散落）',
        defaultTimeLimit: '6 workhour',
        version: c.version + 2,
      });
      expect(await loadStandardCategories(deps, staff(), csv)).toMatchObject({ updated: 1, notInFile: 1 });
      expect((await getCategory(deps, actors.dispatcher!, 'event:06010')).name).toBe('暴露垃圾');
      expect((await getCategory(deps, actors.dispatcher!, 'event:06053')).active).toBe(true);
    });

    it('adds a local category, refusing an unknown major class, a bad code and a duplicate code', async () => {
      const created = await createLocalCategory(deps, staff(), {
        kind: 'event',
        majorCode: '09',
        code: '09901',
        name: '违规外摆',
        nameEn: 'Unauthorized outdoor seating',
        parentKey: 'event:09005',
      });
      expect(created).toMatchObject({
        key: 'event:09901',
        local: true,
        majorName: '街面秩序类',
        majorNameEn: 'Street order',
        parentKey: 'event:09005',
        defaultUnitKind: 'squad',
        defaultTimeLimit: '1 workday',
        version: 1,
      });
      const audit = await listAudit(deps, actors.bureaustaff!, {
        entity: 'category',
        entityId: 'event:09901',
      });
      expect(audit[0]).toMatchObject({ action: 'category.create', actor: { name: '李科员' } });

      const unknownMajor = await failure(
        createLocalCategory(deps, staff(), {
          kind: 'component',
          majorCode: '06',
          code: '06901',
          name: 'x',
          nameEn: 'x',
        }),
      );
      expect(unknownMajor).toMatchObject({
        code: 'Invalid',
        messageKey: 'categoryMajorUnknown',
        details: { field: 'majorCode' },
      });
      const duplicate = await failure(
        createLocalCategory(deps, staff(), {
          kind: 'event',
          majorCode: '09',
          code: '09901',
          name: 'y',
          nameEn: 'y',
        }),
      );
      expect(duplicate).toMatchObject({
        code: 'Conflict',
        messageKey: 'duplicateCode',
        details: { field: 'code' },
      });
      const standardCode = await failure(
        createLocalCategory(deps, staff(), {
          kind: 'event',
          majorCode: '09',
          code: '09001',
          name: 'y',
          nameEn: 'y',
        }),
      );
      expect(standardCode).toMatchObject({
        code: 'Invalid',
        details: { field: 'code', reason: 'localRange' },
      });
      const wrongParent = await failure(
        createLocalCategory(deps, staff(), {
          kind: 'event',
          majorCode: '09',
          code: '09902',
          name: 'y',
          nameEn: 'y',
          parentKey: 'event:06001',
        }),
      );
      expect(wrongParent).toMatchObject({ code: 'Invalid', details: { field: 'parentKey' } });
      expect(
        (await listCategories(deps, actors.dispatcher!, { major: '09', local: true })).map((c) => c.key),
      ).toEqual(['event:09901']);
    });

    it('edits with optimistic versions: a stale version is a Conflict and changes nothing', async () => {
      const c = await getCategory(deps, actors.dispatcher!, 'event:10901');
      const edited = await updateCategory(deps, staff(), c.key, {
        version: c.version,
        nameEn: 'Group renting',
        defaultTimeLimit: '3 workday',
      });
      expect(edited).toMatchObject({
        nameEn: 'Group renting',
        defaultTimeLimit: '3 workday',
        version: c.version + 1,
      });
      const stale = await failure(
        updateCategory(deps, staff(), c.key, { version: c.version, name: '群租房' }),
      );
      expect(stale).toMatchObject({ code: 'Conflict', messageKey: 'versionConflict' });
      expect((await getCategory(deps, actors.dispatcher!, c.key)).name).toBe('群租');
      const audit = await listAudit(deps, actors.bureaustaff!, { entity: 'category', entityId: c.key });
      expect(audit[0]).toMatchObject({
        action: 'category.update',
        summary: {
          before: { nameEn: 'Group rental', defaultTimeLimit: '5 workday' },
          after: { nameEn: 'Group renting' },
        },
      });
    });

    it('deactivates a local category: gone from lists, still readable by key', async () => {
      const c = await getCategory(deps, actors.dispatcher!, 'event:09901');
      await updateCategory(deps, staff(), c.key, { version: c.version, active: false });
      expect(
        (await listCategories(deps, actors.dispatcher!, { local: true })).map((x) => x.key),
      ).not.toContain('event:09901');
      expect(
        (await listCategories(deps, actors.dispatcher!, { local: true, includeInactive: true })).map(
          (x) => x.key,
        ),
      ).toContain('event:09901');
      expect(await getCategory(deps, actors.dispatcher!, c.key)).toMatchObject({ active: false });
      const audit = await listAudit(deps, actors.bureaustaff!, { entity: 'category', entityId: c.key });
      expect(audit[0]?.action).toBe('category.deactivate');
    });

    it('standard categories: only defaults are editable', async () => {
      const c = await getCategory(deps, actors.dispatcher!, 'component:01001');
      const e = await failure(
        updateCategory(deps, staff(), c.key, { version: c.version, name: '自来水井盖' }),
      );
      expect(e).toMatchObject({
        code: 'Invalid',
        messageKey: 'categoryStandardReadOnly',
        details: { field: 'name' },
      });
      const ok = await updateCategory(deps, staff(), c.key, {
        version: c.version,
        defaultUnitKind: 'department:water',
        defaultTimeLimit: '8 workhour',
      });
      expect(ok).toMatchObject({ defaultTimeLimit: '8 workhour', name: '供水井盖' });
      const bad = await failure(
        updateCategory(deps, staff(), c.key, { version: ok.version, defaultUnitKind: 'department:moon' }),
      );
      expect(bad).toMatchObject({ code: 'Invalid', details: { field: 'defaultUnitKind' } });
    });

    it('refuses what a role may not do', async () => {
      const c = await getCategory(deps, actors.dispatcher!, 'event:06901');
      expect((await failure(loadStandardCategories(deps, { actor: actors.leader! }, csv))).code).toBe(
        'Forbidden',
      );
      expect(
        (
          await failure(
            createLocalCategory(
              deps,
              { actor: actors.dispatcher! },
              { kind: 'event', majorCode: '06', code: '06909', name: 'x', nameEn: 'x' },
            ),
          )
        ).code,
      ).toBe('Forbidden');
      expect(
        (
          await failure(
            updateCategory(deps, { actor: actors.leader! }, c.key, {
              version: c.version,
              defaultTimeLimit: '1 day',
            }),
          )
        ).code,
      ).toBe('Forbidden');
      expect(
        (
          await failure(
            updateCategory(deps, { actor: actors.workstation! }, c.key, {
              version: c.version,
              active: false,
            }),
          )
        ).code,
      ).toBe('Forbidden');
      expect((await failure(listCategories(deps, actors.resident!, {}))).code).toBe('Forbidden');
      expect((await failure(getCategory(deps, actors.dispatcher!, 'event:99999'))).code).toBe('NotFound');
      expect(await getCategory(deps, actors.dispatcher!, c.key)).toMatchObject({
        active: true,
        version: c.version,
      });
    });
  });
}
