import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { satisfactionRates } from '../../cases/ratings.service.js';
import { DIALECTS } from '../../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../../testing/deps.js';
import type { DemoDistrict } from './index.js';
import { loadDemoDistrict } from '../demo.service.js';
import { testDemoDistrict } from '../../testing/demo-district.js';
import { systemActor } from '../../access/roles.js';
import { verifyAuditChain } from '../../access/audit.service.js';
import { discovery } from '../../matching/matching.service.js';
import { planDemoYear, type YearWorld } from './demo-year.js';

const world: YearWorld = {
  companies: [
    { id: 'a', name: 'A' },
    { id: 'b', name: 'B' },
  ],
  compounds: Array.from({ length: 20 }, (_, i) => ({
    id: `c${i}`,
    name: `小区${i}`,
    lng: 121.38 + i * 0.01,
    lat: 31.1,
    companyId: i % 2 === 0 ? 'a' : 'b',
    squadId: i < 10 ? 's1' : 's2',
    squadPath: i < 10 ? '/b/s1/' : '/b/s2/',
  })),
};

describe('planDemoYear', () => {
  it('is deterministic for a seed and stays inside the year', () => {
    const now = new Date('2026-11-29T10:00:00Z');
    const a = planDemoYear(world, now, 7);
    const b = planDemoYear(world, now, 7);
    expect(JSON.stringify({ ...a, profiles: [...a.profiles] })).toBe(
      JSON.stringify({ ...b, profiles: [...b.profiles] }),
    );
    expect(a.structures.length).toBeGreaterThan(10);
    for (const s of a.structures)
      for (const r of s.reports) {
        expect(r.receivedAt).toBeLessThan(now.getTime());
        expect(r.receivedAt).toBeGreaterThanOrEqual(a.from);
        if (r.channel === 'dualReport') expect(r.discoveredAt).toBeLessThanOrEqual(r.receivedAt);
      }
    // Every patrol finding comes from a patrol that covered the structure's compound.
    for (const s of a.structures)
      for (const r of s.reports.filter((x) => x.channel === 'patrol'))
        expect(a.patrols[r.patrolIndex as number]?.compoundIndexes).toContain(s.compoundIndex);
    expect(planDemoYear(world, now, 8).structures.length).not.toBe(-1);
  });
});

let district: DemoDistrict;
beforeAll(async () => {
  district = await testDemoDistrict();
}, 180_000);

for (const dialect of DIALECTS) {
  describe(`the demo year [${dialect}]`, () => {
    let deps: TestDeps;
    beforeAll(async () => {
      deps = await buildTestDeps(dialect, { seed: false });
    });
    afterAll(async () => deps.cleanup());

    it('loads a year of reports, cases, dual reports and patrols, and the sites show companies that differ', async () => {
      const t = Date.now();
      const r = await loadDemoDistrict(deps, { district, year: true });
      const y = r.year;
      expect(y).toBeTruthy();
      if (!y) return;
      console.log(`[${dialect}] demo year`, JSON.stringify(y), `whole demo ${(Date.now() - t) / 1000}s`);
      expect(y.reports).toBeGreaterThan(800);
      expect(y.reports).toBeLessThan(6000);
      expect(y.verifiedSites).toBeGreaterThan(y.sites * 0.8);
      const db = deps.database.db;
      const n = async (table: 'dual_report' | 'delivery' | 'patrol_record' | 'patrol_covered') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await n('dual_report')).toBe(y.dualReports);
      expect(await n('delivery')).toBe(2 * y.dualReports);
      expect(await n('patrol_covered')).toBeGreaterThan(await n('patrol_record'));
      const checks = await db.selectFrom('case_flow').select('case_id').where('move', '=', 'check').execute();
      expect(checks.length).toBeGreaterThan(0);

      const now = deps.clock();
      const from = new Date(now.getTime() - 365 * 86_400_000).toISOString();
      const d = await discovery(deps, systemActor('test'), {
        from,
        to: now.toISOString(),
        by: 'propertyCompany',
      });
      const rates = d.groups.filter((g) => g.companySites >= 5).map((g) => g.discoveryRate ?? 0);
      expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.4);
      expect(d.missed.length).toBeGreaterThan(0);
      expect(d.channels.map((c) => c.channel).sort()).toEqual([
        'dualReport',
        'hotline12345',
        'patrol',
        'resident',
      ]);
      expect((await verifyAuditChain(deps)).ok).toBe(true);
      // Deliveries as the API would allow them: on site only after acknowledging, never before delivery.
      const deliveries = await deps.database.db
        .selectFrom('delivery')
        .select(['delivered_at', 'acknowledged_at', 'on_site_at'])
        .execute();
      expect(deliveries.length).toBeGreaterThan(0);
      const bad = deliveries.filter(
        (d) =>
          (d.on_site_at !== null && (d.acknowledged_at === null || d.on_site_at < d.acknowledged_at)) ||
          (d.acknowledged_at !== null && d.acknowledged_at < d.delivered_at),
      );
      expect(bad).toEqual([]);
      // Reporters rated closed cases: one rating per close, after it, and the squads' rates differ.
      const ratings = await db
        .selectFrom('case_rating as r')
        .innerJoin('case_file as c', 'c.id', 'r.case_id')
        .select(['r.rated_at', 'c.closed_at', 'c.status'])
        .execute();
      expect(ratings.length).toBe(y.ratings);
      expect(y.ratings).toBeGreaterThan(50);
      expect(
        ratings.filter((x) => x.status !== 'closed' || x.closed_at === null || x.rated_at <= x.closed_at),
      ).toEqual([]);
      const byUnit = await satisfactionRates(deps, systemActor('test'), { by: 'unit' });
      const unitRates = byUnit.groups.filter((g) => g.rated >= 10).map((g) => g.rate ?? 0);
      expect(unitRates.length).toBeGreaterThan(1);
      expect(Math.max(...unitRates) - Math.min(...unitRates)).toBeGreaterThan(0.05);

      // Once is enough: a second call does nothing.
      expect((await loadDemoDistrict(deps, { district, year: true })).skipped).toBe(true);
    }, 240_000);
  });
}
