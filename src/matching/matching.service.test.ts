import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../access/audit.service.js';
import { ROLE_PERMISSIONS, systemActor, type Actor, type Role } from '../access/roles.js';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { discovery, getSite, joinSites, listSites, rebuildSites, splitSite } from './matching.service.js';
import { at, h, matchingFixture, type Fixture } from './matching.test-support.js';
import { refusalOf } from '../testing/refusal.js';

const errorOf = (p: Promise<unknown>) => refusalOf(p);

describe.each(DIALECTS)('matching service [%s]', (dialect) => {
  let deps: TestDeps;
  let f: Fixture;
  let r: Record<string, { id: string; caseId: string }>;
  const actor = (role: Role, unitPath: string): Actor => ({
    kind: 'user',
    id: `u-${role}`,
    name: role,
    role,
    unitId: 'unit',
    unitPath,
    permissions: new Set(ROLE_PERMISSIONS[role]),
  });
  let dispatcher: Actor;
  const ctx = () => ({ actor: dispatcher });
  const auditActions = async () =>
    (await deps.database.db.selectFrom('audit_entry').select('action').orderBy('seq').execute()).map(
      (e) => e.action,
    );

  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { now: () => new Date(h(24 * 40)) });
    f = await matchingFixture(deps);
    dispatcher = actor('dispatcher', f.subdistrict.path);
    const A = f.compoundA;
    const B = f.compoundB;
    r = {
      // Site 1 (compound A): the company's dual report first, a patrol 12 m away, a resident 25 m away.
      r1: await f.addReport({
        channel: 'dualReport',
        point: at(0),
        receivedAt: h(10),
        compoundId: A,
        extra: { discoveredAt: h(2), placeText: '5号楼101室' },
      }),
      r2: await f.addReport({
        channel: 'patrol',
        point: at(12),
        receivedAt: h(20),
        compoundId: A,
        extra: { placeText: '5栋101' },
      }),
      r3: await f.addReport({ channel: 'resident', point: at(25), receivedAt: h(30) }),
      // Near r1 and r2 but another building, and 35 m from r3: a site of its own.
      r4: await f.addReport({
        channel: 'patrol',
        point: at(0, -25),
        receivedAt: h(40),
        compoundId: A,
        extra: { building: '6号楼' },
      }),
      // Site 2 (compound B): 12345 first, company B's dual report 40 h after discovery.
      r5: await f.addReport({ channel: 'hotline12345', point: at(500), receivedAt: h(50), compoundId: B }),
      r7: await f.addReport({
        channel: 'dualReport',
        point: at(500, 10),
        receivedAt: h(80),
        compoundId: B,
        extra: { discoveredAt: h(40) },
      }),
      // Not of the family (06005), though next to r1.
      r6: await f.addReport({
        channel: 'patrol',
        categoryKey: 'event:06005',
        point: at(3),
        receivedAt: h(15),
      }),
    };
    await f.check(r.r1!.caseId, h(25));
    await f.check(r.r5!.caseId, h(60));
  }, 120_000);
  afterAll(async () => deps?.cleanup());

  const id = (k: string) => r[k]!.id;
  const site = (k: string) => `site-${id(k)}`;

  it('rebuilds sites from the family, with the reason of every link, and audits it', async () => {
    const result = await rebuildSites(deps, ctx());
    expect(result).toEqual({
      reports: 6,
      sites: 3,
      verifiedSites: 2,
      settings: { distanceM: 30, windowDays: 90 },
    });
    const s1 = await getSite(deps, dispatcher, site('r1'));
    expect(s1).toMatchObject({
      firstChannel: 'dualReport',
      reportCount: 3,
      channels: ['dualReport', 'patrol', 'resident'],
      compoundId: f.compoundA,
      propertyCompanyId: f.companyA,
      subdistrictId: f.subdistrict.id,
      verified: true,
      verifiedAt: h(25),
    });
    expect(s1.reports.map((m) => [m.reportId, m.links])).toEqual([
      [id('r1'), []],
      [id('r2'), [{ kind: 'auto', toReportId: id('r1'), distanceM: 12, sameCompound: true, text: 'match' }]],
      [
        id('r3'),
        [{ kind: 'auto', toReportId: id('r2'), distanceM: 13, sameCompound: false, text: 'absent' }],
      ],
    ]);
    expect(s1.reports[0]).toMatchObject({
      discoveredAt: h(2),
      placeText: '5号楼101室',
      propertyCompanyId: f.companyA,
    });
    expect(s1.reports[0]?.report?.trackingCode).toMatch(/^T/);
    expect((await getSite(deps, dispatcher, site('r4'))).reportCount).toBe(1);
    expect((await getSite(deps, dispatcher, site('r5'))).reports.map((m) => m.reportId)).toEqual([
      id('r5'),
      id('r7'),
    ]);
    expect(await auditActions()).toContain('matching.rebuild');
  });

  it('lists sites by status, first finder and box, within scope only', async () => {
    const ids = async (q: Parameters<typeof listSites>[2], a = dispatcher) =>
      (await listSites(deps, a, q)).map((s) => s.id).sort();
    expect(await ids({})).toEqual([site('r1'), site('r4'), site('r5')].sort());
    expect(await ids({ status: 'unverified' })).toEqual([site('r4')]);
    expect(await ids({ firstFinder: 'hotline12345' })).toEqual([site('r5')]);
    const p = at(500);
    expect(
      await ids({
        bbox: { minLng: p.lng - 0.001, minLat: p.lat - 0.001, maxLng: p.lng + 0.001, maxLat: p.lat + 0.001 },
      }),
    ).toEqual([site('r5')]);
    const elsewhere = actor('dispatcher', '/another-subdistrict/');
    expect(await ids({}, elsewhere)).toEqual([]);
    expect(await errorOf(getSite(deps, elsewhere, site('r1')))).toEqual({
      code: 'NotFound',
      key: 'notFound',
    });
  });

  it('computes the discovery figures of the period', async () => {
    const d = await discovery(deps, dispatcher, {
      from: '2026-03-01',
      to: '2026-03-31',
      by: 'propertyCompany',
    });
    const a = d.groups.find((g) => g.key === f.companyA);
    const b = d.groups.find((g) => g.key === f.companyB);
    expect(a).toMatchObject({
      verifiedSites: 1,
      reportedByCompany: 1,
      discoveryRate: 1,
      timely: 1,
      companyFirst: 1,
      missedNever: 0,
    });
    expect(b).toMatchObject({
      verifiedSites: 1,
      reportedByCompany: 1,
      late: 1,
      timeliness: 0,
      companyFirst: 0,
      missedLater: 1,
    });
    expect(d.names[f.companyA]).toBe('甲物业');
    expect(d.missed).toEqual([
      expect.objectContaining({
        siteId: site('r5'),
        firstChannel: 'hotline12345',
        companyReportedAt: h(80),
        reason: 'later',
      }),
    ]);
    expect(d.channels.find((c) => c.channel === 'dualReport')).toMatchObject({
      sitesFound: 2,
      foundFirst: 1,
      share: 1,
    });
    const before = await discovery(deps, dispatcher, {
      from: '2026-02-01',
      to: '2026-02-28',
      by: 'subdistrict',
    });
    expect(before.totals.verifiedSites).toBe(0);
    expect(
      await errorOf(discovery(deps, dispatcher, { from: '2026-03-31', to: '2026-03-01', by: 'channel' })),
    ).toEqual({ code: 'Invalid', key: 'periodEmpty' });
    expect(
      await errorOf(
        discovery(deps, dispatcher, { from: '2026-03-01T00:00', to: '2026-03-31', by: 'channel' }),
      ),
    ).toEqual({ code: 'Invalid', key: 'periodBound' });
  });

  it('splits a report off and joins it back, both audited and kept across rebuilds', async () => {
    expect(await splitSite(deps, ctx(), site('r1'), { reportId: id('r2') })).toEqual({
      siteId: site('r1'),
      splitSiteId: site('r2'),
    });
    // r3 is 25 m from r1 and still links to it directly.
    expect((await getSite(deps, dispatcher, site('r1'))).reports.map((m) => m.reportId)).toEqual([
      id('r1'),
      id('r3'),
    ]);
    await rebuildSites(deps, ctx());
    expect((await getSite(deps, dispatcher, site('r2'))).reportCount).toBe(1);

    expect(await joinSites(deps, ctx(), { siteIds: [site('r2'), site('r1')] })).toEqual({
      siteId: site('r1'),
    });
    const joined = await getSite(deps, dispatcher, site('r1'));
    expect(joined.reports.map((m) => m.reportId)).toEqual([id('r1'), id('r2'), id('r3')]);
    expect(joined.reports[1]?.links).toEqual([
      expect.objectContaining({ kind: 'join', toReportId: id('r1') }),
    ]);

    // Splitting the first report renames what remains after its new first report.
    expect(await splitSite(deps, ctx(), site('r1'), { reportId: id('r1') })).toEqual({
      siteId: site('r2'),
      splitSiteId: site('r1'),
    });
    const actions = await auditActions();
    expect(actions.filter((a) => a === 'site.split')).toHaveLength(2);
    expect(actions).toContain('site.join');
    expect((await verifyAuditChain(deps)).ok).toBe(true);
  });

  it('refuses bad overrides and callers without the permission, storing nothing', async () => {
    const overrides = async () =>
      (await deps.database.db.selectFrom('site_override').select('id').execute()).length;
    const n = await overrides();
    expect(await errorOf(splitSite(deps, ctx(), site('r5'), { reportId: id('r2') }))).toEqual({
      code: 'Invalid',
      key: 'reportNotInSite',
    });
    expect(await errorOf(splitSite(deps, ctx(), site('r4'), { reportId: id('r4') }))).toEqual({
      code: 'Conflict',
      key: 'siteSingleReport',
    });
    expect(await errorOf(joinSites(deps, ctx(), { siteIds: [site('r4'), site('r4')] }))).toEqual({
      code: 'Invalid',
      key: 'joinNeedsTwoSites',
    });
    expect(await errorOf(joinSites(deps, ctx(), { siteIds: [site('r4'), 'site-nope'] }))).toEqual({
      code: 'NotFound',
      key: 'notFound',
    });
    const officer = actor('officer', f.squadPath);
    expect(await errorOf(joinSites(deps, { actor: officer }, { siteIds: [site('r4'), site('r5')] }))).toEqual(
      { code: 'Forbidden', key: 'forbidden' },
    );
    expect(await errorOf(rebuildSites(deps, ctx(), { distanceM: 5000 }))).toEqual({
      code: 'Invalid',
      key: 'matchDistanceRange',
    });
    expect(await overrides()).toBe(n);
  });

  it('keeps the settings of the last rebuild for later overrides', async () => {
    const system = { actor: systemActor('test') };
    const narrow = await rebuildSites(deps, system, { distanceM: 8 });
    expect(narrow.settings).toEqual({ distanceM: 8, windowDays: 90 });
    // r7 lies 10 m from r5: at 8 m it is a site of its own.
    expect((await getSite(deps, dispatcher, site('r7'))).reportCount).toBe(1);
    // A join rebuilds with the last settings (8 m), not the defaults, so r7 stays apart.
    await joinSites(deps, ctx(), { siteIds: [site('r4'), site('r5')] });
    expect((await getSite(deps, dispatcher, site('r7'))).reportCount).toBe(1);
    expect((await getSite(deps, dispatcher, site('r4'))).reports.map((m) => m.reportId)).toEqual([
      id('r4'),
      id('r5'),
    ]);
    expect((await rebuildSites(deps, system)).settings.distanceM).toBe(8);
  });
});
