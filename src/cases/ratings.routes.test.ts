import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import {
  UNIT,
  countRows,
  insertCase,
  insertReport,
  loadCategories,
  setCase,
  unitOf,
} from './case-rules.test-support.js';

type Who = { cookie: string; csrf: string };

for (const dialect of DIALECTS) {
  describe(`ratings and following over HTTP [${dialect}]`, () => {
    let t: TestApp;
    let dispatcher: Who;
    let officer: Who;
    let leader: Who;
    const post = (who: Who | null, url: string, payload?: unknown) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: who
          ? { cookie: who.cookie, 'x-csrf-token': who.csrf, 'accept-language': 'en' }
          : { 'accept-language': 'en' },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const get = (who: Who, url: string) =>
      t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });

    beforeAll(async () => {
      t = await buildTestApp(dialect);
      await loadCategories(t.deps);
      dispatcher = await t.signIn('dispatcher');
      officer = await t.signIn('officer');
      leader = await t.signIn('leader');
    }, 120_000);
    afterAll(async () => t?.close());

    it('a reporter rates a closed case without login, once; an open case and a second rating are 409', async () => {
      const open = await insertCase(t.deps, { status: 'active', categoryKey: 'event:06010' });
      const { trackingCode } = await insertReport(t.deps, open);
      const url = `/api/public/track/${trackingCode}/rating`;
      const early = await post(null, url, { rating: 'satisfied' });
      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({ error: { code: 'Conflict', details: { status: 'active' } } });
      expect((early.json() as { error: { message: string } }).error.message).toContain('not closed');

      await setCase(t.deps, open.id, { status: 'closed', reopenCount: 0 });
      const first = await post(null, url, { rating: 'dissatisfied', comment: 'still there' });
      expect(first.statusCode).toBe(201);
      const squad = await unitOf(t.deps, UNIT.squad);
      expect(first.json()).toMatchObject({
        caseCode: open.code,
        round: 0,
        source: 'reporter',
        alert: { unitId: squad.id, role: 'squadLeader' },
      });

      const counts = [await countRows(t.deps, 'case_rating'), await countRows(t.deps, 'case_alert')];
      const second = await post(null, url, { rating: 'satisfied' });
      expect(second.statusCode).toBe(409);
      expect(second.json()).toMatchObject({ error: { code: 'Conflict', details: { round: 0 } } });
      expect([await countRows(t.deps, 'case_rating'), await countRows(t.deps, 'case_alert')]).toEqual(counts);

      expect((await post(null, url, { rating: 'great' })).statusCode).toBe(400);
      expect((await post(null, url, { rating: 'satisfied', extra: 1 })).statusCode).toBe(400);
      expect(
        (await post(null, '/api/public/track/0000000000/rating', { rating: 'satisfied' })).statusCode,
      ).toBe(404);
    });

    it('a dispatcher records a callback rating; the rate is served per month, unit and category', async () => {
      const c = await insertCase(t.deps, { status: 'closed', categoryKey: 'event:06010' });
      expect((await post(officer, `/api/cases/${c.id}/ratings`, { rating: 'satisfied' })).statusCode).toBe(
        403,
      );
      const r = await post(dispatcher, `/api/cases/${c.id}/ratings`, { rating: 'basicallySatisfied' });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({ source: 'callback', rating: 'basicallySatisfied', alert: null });
      expect((await post(dispatcher, `/api/cases/${c.id}/ratings`, { rating: 'satisfied' })).statusCode).toBe(
        409,
      );
      const list = await get(officer, `/api/cases/${c.id}/ratings`);
      expect(list.json()).toMatchObject({
        items: [{ round: 0, rating: 'basicallySatisfied', source: 'callback' }],
      });

      for (const by of ['month', 'unit', 'category']) {
        const rate = await get(leader, `/api/ratings/rate?by=${by}`);
        expect(rate.statusCode).toBe(200);
        // One dissatisfied and one basically satisfied so far: 50 %.
        expect(rate.json()).toMatchObject({
          by,
          total: { rated: 2, satisfied: 0, basicallySatisfied: 1, dissatisfied: 1, rate: 0.5 },
        });
      }
      expect((await get(leader, '/api/ratings/rate?by=week')).statusCode).toBe(400);
      expect((await get(leader, '/api/ratings/rate?from=2026-1')).statusCode).toBe(400);
      expect((await get(officer, '/api/ratings/rate')).statusCode).toBe(403);
    });

    it('a resident follows an active case without login and tracks it with the new code', async () => {
      const c = await insertCase(t.deps, { status: 'active', categoryKey: 'event:06010' });
      const f = await post(null, `/api/public/cases/${c.id}/follow`, {
        name: '钱女士',
        phone: '13800138000',
      });
      expect(f.statusCode).toBe(201);
      const { trackingCode, caseCode, status } = f.json() as {
        trackingCode: string;
        caseCode: string;
        status: string;
      };
      expect({ caseCode, status }).toEqual({ caseCode: c.code, status: 'active' });
      const page = await t.app.inject({ method: 'GET', url: `/api/track/${trackingCode}` });
      expect(page.statusCode).toBe(200);
      expect(page.json()).toMatchObject({ trackingCode, caseCode: c.code, category: { key: 'event:06010' } });
      expect(page.body).not.toContain('13800138000');

      // No body at all is fine (name and phone are optional).
      expect(
        (await t.app.inject({ method: 'POST', url: `/api/public/cases/${c.id}/follow` })).statusCode,
      ).toBe(201);
      const before = await countRows(t.deps, 'case_follower');
      expect((await post(null, `/api/public/cases/${c.id}/follow`, { phone: 'ring me' })).statusCode).toBe(
        400,
      );
      const closed = await insertCase(t.deps, { status: 'closed' });
      const refused = await post(null, `/api/public/cases/${closed.id}/follow`, {});
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ error: { code: 'Conflict', details: { status: 'closed' } } });
      expect((await post(null, '/api/public/cases/nope/follow', {})).statusCode).toBe(404);
      expect(await countRows(t.deps, 'case_follower')).toBe(before);
    });
  });
}
