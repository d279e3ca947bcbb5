import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { systemActor } from '../access/roles.js';
import { projectRoot } from '../platform/config/config.js';
import { loadStandardCategories, standardDirectoryPath } from './categories.service.js';

const csv = readFileSync(standardDirectoryPath(join(projectRoot(), '..', 'shared', 'data')), 'utf8');

for (const dialect of DIALECTS) {
  describe(`categories over HTTP [${dialect}]`, () => {
    let t: TestApp;
    let staff: { cookie: string; csrf: string };
    let dispatcher: { cookie: string; csrf: string };
    beforeAll(async () => {
      t = await buildTestApp(dialect);
      await loadStandardCategories(t.deps, { actor: systemActor('test') }, csv);
      staff = await t.signIn('bureaustaff');
      dispatcher = await t.signIn('dispatcher');
    });
    afterAll(async () => t.close());

    const write = (who: { cookie: string; csrf: string }) => ({
      cookie: who.cookie,
      'x-csrf-token': who.csrf,
    });

    it('lists and filters categories, and answers one by key', async () => {
      const all = await t.app.inject({
        method: 'GET',
        url: '/api/categories',
        headers: { cookie: dispatcher.cookie },
      });
      expect(all.statusCode).toBe(200);
      expect(all.json().items).toHaveLength(407);
      const ic = await t.app.inject({
        method: 'GET',
        url: '/api/categories?family=illegalConstruction&kind=event',
        headers: { cookie: dispatcher.cookie },
      });
      expect(ic.json().items.map((c: { key: string }) => c.key)).toEqual([
        'event:06001',
        'event:06901',
        'event:08016',
      ]);
      const local = await t.app.inject({
        method: 'GET',
        url: '/api/categories?local=true&major=10',
        headers: { cookie: dispatcher.cookie },
      });
      expect(local.json().items).toMatchObject([
        { key: 'event:10901', name: '群租', nameEn: 'Group rental', family: 'groupRental', local: true },
      ]);
      const q = await t.app.inject({
        method: 'GET',
        url: `/api/categories?q=${encodeURIComponent('井盖')}&kind=component`,
        headers: { cookie: dispatcher.cookie },
      });
      expect(q.json().items.length).toBe(
        csv.split('\n').filter((l) => l.startsWith('管理部件') && l.includes('井盖')).length,
      );
      const one = await t.app.inject({
        method: 'GET',
        url: '/api/categories/component:01001',
        headers: { cookie: dispatcher.cookie },
      });
      expect(one.json()).toMatchObject({
        key: 'component:01001',
        name: '供水井盖',
        nameEn: 'Water supply manhole cover',
        defaultUnitKind: 'department:water',
        defaultTimeLimit: '1 workday',
      });
      const encoded = await t.app.inject({
        method: 'GET',
        url: '/api/categories/event%3A06001',
        headers: { cookie: dispatcher.cookie },
      });
      expect(encoded.json()).toMatchObject({
        key: 'event:06001',
        majorNameEn: 'City appearance and environment',
      });
      const missing = await t.app.inject({
        method: 'GET',
        url: '/api/categories/event:06999',
        headers: { cookie: dispatcher.cookie },
      });
      expect(missing.statusCode).toBe(404);
    });

    it('lists the major classes with zh/en names and counts', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/categories/majors',
        headers: { cookie: dispatcher.cookie },
      });
      expect(res.statusCode).toBe(200);
      const items = res.json().items as Array<{ kind: string; code: string; count: number }>;
      expect(items).toHaveLength(15);
      expect(items.find((m) => m.kind === 'component' && m.code === '01')).toEqual({
        kind: 'component',
        code: '01',
        name: '市政公用设施',
        nameEn: 'Municipal utility facilities',
        count: 76,
        localCount: 0,
      });
      expect(items.reduce((s, m) => s + m.count, 0)).toBe(407);
    });

    it('creates a local category and edits it with its version; a stale version is 409', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/categories',
        headers: write(staff),
        payload: {
          kind: 'event',
          majorCode: '07',
          code: '07901',
          name: '违规墙体广告',
          nameEn: 'Illegal wall advertisement',
          parentKey: 'event:07003',
        },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        key: 'event:07901',
        local: true,
        family: 'outdoorAd',
        version: 1,
      });
      const edited = await t.app.inject({
        method: 'PATCH',
        url: '/api/categories/event:07901',
        headers: write(staff),
        payload: { version: 1, nameEn: 'Illegal painted wall advertisement', defaultTimeLimit: '3 workday' },
      });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({
        nameEn: 'Illegal painted wall advertisement',
        defaultTimeLimit: '3 workday',
        version: 2,
      });
      const stale = await t.app.inject({
        method: 'PATCH',
        url: '/api/categories/event:07901',
        headers: { ...write(staff), 'accept-language': 'en' },
        payload: { version: 1, active: false },
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({
        error: { code: 'Conflict', message: 'Someone else changed this record; reload and try again' },
      });
      const dup = await t.app.inject({
        method: 'POST',
        url: '/api/categories',
        headers: write(staff),
        payload: { kind: 'event', majorCode: '07', code: '07901', name: 'x', nameEn: 'x' },
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.details).toMatchObject({ field: 'code' });
    });

    it('answers 4xx that name the field', async () => {
      const post = (payload: Record<string, unknown>) =>
        t.app.inject({ method: 'POST', url: '/api/categories', headers: write(staff), payload });
      const base = { kind: 'event', majorCode: '06', code: '06950', name: '测试', nameEn: 'Test' };
      const unknownField = await post({ ...base, local: false });
      expect(unknownField.statusCode).toBe(400);
      expect(JSON.stringify(unknownField.json().error)).toContain('local');
      const badKind = await post({ ...base, kind: 'matter' });
      expect(badKind.json().error.details.issues[0].field).toBe('body.kind');
      const badMajor = await post({ ...base, kind: 'component', majorCode: '06' });
      expect(badMajor.statusCode).toBe(400);
      expect(badMajor.json().error).toMatchObject({ code: 'Invalid', details: { field: 'majorCode' } });
      const badCode = await post({ ...base, code: '06050' });
      expect(badCode.json().error.details).toMatchObject({ field: 'code', reason: 'localRange' });
      const badLimit = await t.app.inject({
        method: 'PATCH',
        url: '/api/categories/event:06001',
        headers: { ...write(staff), 'accept-language': 'en' },
        payload: { version: 1, defaultTimeLimit: 'soon' },
      });
      expect(badLimit.statusCode).toBe(400);
      expect(badLimit.json().error).toMatchObject({
        details: { field: 'defaultTimeLimit' },
        message: 'Wrong default time limit: soon (expected <n> day|workday|hour|workhour)',
      });
      const standardName = await t.app.inject({
        method: 'PATCH',
        url: '/api/categories/event:06001',
        headers: write(staff),
        payload: { version: 1, name: '违建' },
      });
      expect(standardName.statusCode).toBe(400);
      expect(standardName.json().error).toMatchObject({
        code: 'Invalid',
        message: '国标类别的 name 不能修改，只能修改默认处置单位和时限',
        details: { field: 'name' },
      });
      const noVersion = await t.app.inject({
        method: 'PATCH',
        url: '/api/categories/event:06001',
        headers: write(staff),
        payload: { defaultTimeLimit: '1 day' },
      });
      expect(noVersion.json().error.details.issues[0].field).toBe('body.version');
      const badQuery = await t.app.inject({
        method: 'GET',
        url: '/api/categories?local=yes',
        headers: { cookie: dispatcher.cookie },
      });
      expect(badQuery.statusCode).toBe(400);
      expect(badQuery.json().error.details.issues[0].field).toBe('querystring.local');
    });

    it('refuses writes without the permission, without CSRF, and reads without a session', async () => {
      const asDispatcher = await t.app.inject({
        method: 'POST',
        url: '/api/categories',
        headers: write(dispatcher),
        payload: { kind: 'event', majorCode: '06', code: '06960', name: 'x', nameEn: 'x' },
      });
      expect(asDispatcher.statusCode).toBe(403);
      const patch = await t.app.inject({
        method: 'PATCH',
        url: '/api/categories/event:06001',
        headers: write(dispatcher),
        payload: { version: 1, defaultTimeLimit: '1 day' },
      });
      expect(patch.statusCode).toBe(403);
      const noCsrf = await t.app.inject({
        method: 'PATCH',
        url: '/api/categories/event:06001',
        headers: { cookie: staff.cookie },
        payload: { version: 1, defaultTimeLimit: '1 day' },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error.details).toEqual({ header: 'x-csrf-token' });
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/categories' });
      expect(anonymous.statusCode).toBe(401);
      const unchanged = await t.app.inject({
        method: 'GET',
        url: '/api/categories/event:06001',
        headers: { cookie: dispatcher.cookie },
      });
      expect(unchanged.json()).toMatchObject({ defaultTimeLimit: '4 workhour', version: 1 });
    });
  });
}
