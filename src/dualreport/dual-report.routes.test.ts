import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { systemActor } from '../access/roles.js';
import { createUser } from '../access/users.service.js';
import { DEMO_PASSWORD } from '../registry/demo-seed.service.js';
import { departmentCode } from '../registry/demo.service.js';
import type { DemoDistrict } from '../registry/demo/index.js';
import { generateDistrict } from '../intake/reports.test-support.js';
import { dualInput, loadDualReportWorld, type DualReportWorld } from './dual-report.test-support.js';

let district: DemoDistrict;
beforeAll(async () => {
  district = await generateDistrict();
}, 180_000);

type Who = { cookie: string; csrf: string };

describe.each(DIALECTS)('dual reports, duty notices and patrol coverage over HTTP [%s]', (dialect) => {
  let t: TestApp;
  let w: DualReportWorld;
  let company: Who;
  let noCompany: Who;
  let officer: Who;
  let liaison: Who;
  let housing: Who;
  let squadLeader: Who;
  const send = (method: 'GET' | 'POST', url: string, who: Who, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: {
        cookie: who.cookie,
        ...(method === 'POST' ? { 'x-csrf-token': who.csrf } : {}),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const counts = async () => {
    const n = async (table: 'report' | 'dual_report' | 'delivery' | 'audit_entry' | 'duty_notice') =>
      Number(
        (
          await t.deps.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return [
      await n('report'),
      await n('dual_report'),
      await n('delivery'),
      await n('audit_entry'),
      await n('duty_notice'),
    ];
  };

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await loadDualReportWorld(t.deps, district);
    const system = { actor: systemActor('test') };
    const user = (username: string, role: 'propertyCompany' | 'departmentLiaison', unitId: string) =>
      createUser(t.deps, system, { username, displayName: username, password: DEMO_PASSWORD, role, unitId });
    await user('pcuser', 'propertyCompany', w.company.unitId);
    await user('housing', 'departmentLiaison', w.d.id(departmentCode('housing')));
    company = await t.signIn('pcuser');
    noCompany = await t.signIn('property'); // the seed's property user: its unit is no registered company's
    officer = await t.signIn('officer');
    liaison = await t.signIn('liaison');
    housing = await t.signIn('housing');
    squadLeader = await t.signIn('squadleader');
  }, 300_000);
  afterAll(async () => t.close());

  it('offers a company user its own compounds and the illegal-construction categories, and nobody else', async () => {
    const res = await send('GET', '/api/dual-reports/form', company);
    expect(res.statusCode, res.body).toBe(200);
    const form = res.json() as { company: { id: string }; compounds: { id: string }[]; categories: { key: string }[] };
    expect(form.company.id).toBe(w.company.id);
    const ids = form.compounds.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([...w.managed]));
    const managedInDb = await t.deps.database.db
      .selectFrom('compound')
      .select('id')
      .where('property_company_id', '=', w.company.id)
      .execute();
    expect([...ids].sort()).toEqual(managedInDb.map((r) => r.id).sort());
    expect(form.categories.length).toBeGreaterThan(0);
    for (const c of form.categories) {
      const row = await t.deps.database.db.selectFrom('category').select('family').where('key', '=', c.key).executeTakeFirstOrThrow();
      expect(row.family).toBe('illegalConstruction');
    }
    expect((await send('GET', '/api/dual-reports/form', officer)).statusCode).toBe(403);
  });

  it('takes a dual report, shows both receipts to the company, and lets each recipient acknowledge once (409 the second time)', async () => {
    const res = await send('POST', '/api/dual-reports', company, dualInput(w.managed[0], new Date(), 2));
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r.deliveries.map((d: { recipient: string }) => d.recipient).sort()).toEqual([
      'illegalConstructionOffice',
      'squad',
    ]);
    const list = await send('GET', '/api/dual-reports', company);
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(r.id);
    const squad = r.deliveries.find((d: { recipient: string }) => d.recipient === 'squad');
    const office = r.deliveries.find(
      (d: { recipient: string }) => d.recipient === 'illegalConstructionOffice',
    );
    expect((await send('POST', `/api/deliveries/${squad.id}/acknowledge`, officer)).statusCode).toBe(200);
    const before = await counts();
    const again = await send('POST', `/api/deliveries/${squad.id}/acknowledge?lang=en`, officer);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'Conflict',
      message: 'This delivery has already been acknowledged',
    });
    expect(await counts()).toEqual(before);
    expect((await send('POST', `/api/deliveries/${office.id}/acknowledge`, officer)).statusCode).toBe(404);
    expect((await send('POST', `/api/deliveries/${office.id}/acknowledge`, liaison)).statusCode).toBe(200);
    const onSite = await send('POST', `/api/deliveries/${office.id}/on-site`, liaison, {});
    expect(onSite.statusCode).toBe(200);
    expect(onSite.json().onSiteAt).toBeTruthy();
    const detail = (await send('GET', `/api/dual-reports/${r.id}`, company)).json();
    expect(detail.deliveries.every((d: { acknowledgedAt: string | null }) => d.acknowledgedAt !== null)).toBe(
      true,
    );
  });

  it('answers every bad input with a clear 4xx and stores nothing', async () => {
    const now = new Date();
    const before = await counts();
    const cases: Array<[Who, unknown, number, string, string?]> = [
      [company, dualInput(w.notManaged, now), 403, 'compoundNotManaged'],
      [
        company,
        dualInput(w.managed[0], now, 2, {
          discoveredAt: new Date(now.getTime() + 3 * 3600_000).toISOString(),
        }),
        400,
        'discoveredAt',
      ],
      [
        company,
        dualInput(w.managed[0], now, 2, { discoveredAt: new Date(now.getTime() + 60_000).toISOString() }),
        400,
        'discoveredAt',
      ],
      [company, dualInput(w.managed[0], now, 2, { dissuasion: null }), 400, 'dissuasion', '第五十九条'],
      [company, { ...dualInput(w.managed[0], now), surprise: 1 }, 400, ''],
      [noCompany, dualInput(w.managed[0], now), 403, ''],
      [officer, dualInput(w.managed[0], now), 403, ''],
    ];
    for (const [who, body, status, field, text] of cases) {
      const res = await send('POST', '/api/dual-reports?lang=zh-CN', who, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      const error = res.json().error;
      if (field && status === 400) expect(error.details.field).toBe(field);
      if (field && status === 403) expect(error.details.field).toBe('compoundId');
      if (text) expect(error.message).toContain(text);
    }
    expect(await counts()).toEqual(before);
  });

  it('issues, delivers and answers a duty notice, and shows the duty score to 房管 but not to the company', async () => {
    // A site of the company's compounds: the dual report filed above, grouped by the matcher.
    expect((await send('POST', '/api/matching/rebuild', squadLeader, {})).statusCode).toBe(200);
    const sites = ((await send('GET', '/api/matching/sites', squadLeader)).json() as { items: Array<{ id: string; propertyCompanyId: string | null }> }).items;
    const site = sites.find((x) => x.propertyCompanyId === w.company.id);
    expect(site).toBeDefined();
    const issued = await send('POST', '/api/duty-notices', squadLeader, {
      companyId: w.company.id,
      missed: [{ kind: 'site', id: site!.id }],
    });
    expect(issued.statusCode).toBe(201);
    const id = issued.json().id;
    expect((await send('POST', `/api/duty-notices/${id}/deliver`, squadLeader)).statusCode).toBe(200);
    expect(
      (await send('POST', `/api/duty-notices/${id}/reply`, company, { reply: '已整改' })).statusCode,
    ).toBe(200);
    expect((await send('POST', `/api/duty-notices/${id}/reply`, company, { reply: '再次' })).statusCode).toBe(
      409,
    );
    expect((await send('GET', '/api/duty-notices', company)).json().items).toHaveLength(1);
    const score = await send('GET', `/api/property-companies/${w.company.id}/duty-score`, housing);
    expect(score.statusCode).toBe(200);
    expect(score.json()).toMatchObject({ missed: 1, notices: 1, unanswered: 0, score: 95 });
    expect(
      (await send('GET', `/api/property-companies/${w.company.id}/duty-score`, company)).statusCode,
    ).toBe(403);
  });

  it('serves patrol coverage as a table and as a GeoJSON map layer', async () => {
    const table = await send('GET', '/api/patrols/coverage', officer);
    expect(table.statusCode).toBe(200);
    expect(table.json().total).toBeGreaterThan(0);
    const map = await send('GET', '/api/patrols/coverage.geojson', officer);
    expect(map.statusCode).toBe(200);
    expect(map.json().type).toBe('FeatureCollection');
    expect((await send('GET', '/api/patrols/coverage?from=yesterday', officer)).statusCode).toBe(400);
  });
});
