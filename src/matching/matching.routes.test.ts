import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { at, h, matchingFixture, type Fixture } from './matching.test-support.js';

type Who = { cookie: string; csrf: string };

describe.each(DIALECTS)('matching over HTTP [%s]', (dialect) => {
  let t: TestApp;
  let f: Fixture;
  let dispatcher: Who;
  let officer: Who;
  let r: { id: string; caseId: string }[];
  const call = (who: Who | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      headers: who ? { cookie: who.cookie, ...(method === 'POST' ? { 'x-csrf-token': who.csrf } : {}) } : {},
    });

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    f = await matchingFixture(t.deps);
    r = [
      await f.addReport({ channel: 'patrol', point: at(0), receivedAt: h(10), compoundId: f.compoundA }),
      await f.addReport({
        channel: 'dualReport',
        point: at(8),
        receivedAt: h(12),
        compoundId: f.compoundA,
        extra: { discoveredAt: h(11) },
      }),
      await f.addReport({ channel: 'resident', point: at(400), receivedAt: h(20) }),
    ];
    await f.check(r[0]!.caseId, h(30));
    dispatcher = await t.signIn('dispatcher');
    officer = await t.signIn('officer');
  }, 120_000);
  afterAll(async () => t?.close());

  const site = (i: number) => `site-${r[i]!.id}`;

  it('rebuilds, lists and shows sites with the reasons of every link', async () => {
    const rebuilt = await call(dispatcher, 'POST', '/api/matching/rebuild', {});
    expect(rebuilt.statusCode, rebuilt.body).toBe(200);
    expect(rebuilt.json()).toMatchObject({ reports: 3, sites: 2, verifiedSites: 1 });

    const list = await call(dispatcher, 'GET', '/api/matching/sites?status=verified');
    expect(list.statusCode).toBe(200);
    expect(
      list.json().items.map((s: { id: string; firstChannel: string }) => [s.id, s.firstChannel]),
    ).toEqual([[site(0), 'patrol']]);
    const p = at(400);
    const boxed = await call(
      dispatcher,
      'GET',
      `/api/matching/sites?bbox=${p.lng - 0.001},${p.lat - 0.001},${p.lng + 0.001},${p.lat + 0.001}`,
    );
    expect(boxed.json().items.map((s: { id: string }) => s.id)).toEqual([site(2)]);

    const detail = await call(dispatcher, 'GET', `/api/matching/sites/${site(0)}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().reports[1]).toMatchObject({
      reportId: r[1]!.id,
      channel: 'dualReport',
      links: [{ kind: 'auto', toReportId: r[0]!.id, distanceM: 8, sameCompound: true, text: 'absent' }],
    });
  });

  it('splits and joins through the API; an officer may not', async () => {
    expect(
      (await call(officer, 'POST', '/api/matching/join', { siteIds: [site(0), site(2)] })).statusCode,
    ).toBe(403);
    const split = await call(dispatcher, 'POST', `/api/matching/sites/${site(0)}/split`, {
      reportId: r[1]!.id,
    });
    expect(split.statusCode, split.body).toBe(200);
    expect(split.json()).toEqual({ siteId: site(0), splitSiteId: site(1) });
    const join = await call(dispatcher, 'POST', '/api/matching/join', { siteIds: [site(1), site(0)] });
    expect(join.json()).toEqual({ siteId: site(0) });
    expect((await call(dispatcher, 'GET', `/api/matching/sites/${site(0)}`)).json().reportCount).toBe(2);
  });

  it('answers the discovery figures, and refuses bad input naming the field', async () => {
    const res = await call(
      dispatcher,
      'GET',
      '/api/matching/discovery?from=2026-03-01&to=2026-03-31&by=propertyCompany',
    );
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json().groups.find((g: { key: string }) => g.key === f.companyA);
    expect(a).toMatchObject({ verifiedSites: 1, reportedByCompany: 1, missedLater: 1, timely: 1 });
    const bad = await call(
      dispatcher,
      'GET',
      '/api/matching/discovery?from=2026-03-01&to=2026-03-31&by=town',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('by');
    const badDate = await call(
      dispatcher,
      'GET',
      '/api/matching/discovery?from=2026-13-01&to=2026-03-31&by=channel&lang=en',
    );
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.message).toContain('YYYY-MM-DD');
    expect((await call(dispatcher, 'GET', '/api/matching/sites/site-missing')).statusCode).toBe(404);
    expect(
      (
        await call(dispatcher, 'POST', `/api/matching/sites/${site(0)}/split`, {
          reportId: r[1]!.id,
          extra: 1,
        })
      ).statusCode,
    ).toBe(400);
    expect((await call(null, 'GET', '/api/matching/sites')).statusCode).toBe(401);
  });
});
