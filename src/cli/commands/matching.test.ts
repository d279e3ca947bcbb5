import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../platform/testing/db.js';
import { parseCsv } from '../../registry/csv.js';
import { buildTestDeps, type TestDeps } from '../../testing/deps.js';
import { at, h, matchingFixture, type Fixture } from '../../matching/matching.test-support.js';
import { CliExit } from '../context.js';
import { runDiscovery } from './matching.js';

describe.each(DIALECTS)('onegrid matching discovery [%s]', (dialect) => {
  let deps: TestDeps;
  let f: Fixture;
  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { now: () => new Date(h(24 * 40)) });
    f = await matchingFixture(deps);
    // Company A: one site found by patrol first, reported by A a day later (late: 30 h after discovery),
    // one site never reported; company B: one site reported at once.
    const p1 = await f.addReport({
      channel: 'patrol',
      point: at(0),
      receivedAt: h(10),
      compoundId: f.compoundA,
    });
    await f.addReport({
      channel: 'dualReport',
      point: at(5),
      receivedAt: h(34),
      compoundId: f.compoundA,
      extra: { discoveredAt: h(4) },
    });
    const p2 = await f.addReport({
      channel: 'resident',
      point: at(300),
      receivedAt: h(20),
      compoundId: f.compoundA,
    });
    const b = await f.addReport({
      channel: 'dualReport',
      point: at(600),
      receivedAt: h(30),
      compoundId: f.compoundB,
      extra: { discoveredAt: h(29) },
    });
    for (const r of [p1, p2, b]) await f.check(r.caseId, h(40));
  }, 120_000);
  afterAll(async () => deps?.cleanup());

  it('prints one CSV row per property company and the totals, after a rebuild', async () => {
    const text = await runDiscovery(deps, {
      from: '2026-03-01',
      to: '2026-03-31',
      by: 'propertyCompany',
      format: 'csv',
      rebuild: true,
    });
    const rows = parseCsv(text.replace(/^\uFEFF/, '')).map((r) => r.fields);
    const header = rows[0] ?? [];
    const byName = new Map(
      rows.slice(1).map((r) => [r[1], Object.fromEntries(header.map((k, i) => [k, r[i]]))]),
    );
    expect(byName.get('甲物业')).toMatchObject({
      verifiedSites: '2',
      reportedByCompany: '1',
      discoveryRate: '0.5000',
      late: '1',
      timeliness: '0.0000',
      missedNever: '1',
      missedLater: '1',
      firstFinders: 'patrol:1 resident:1',
    });
    expect(byName.get('乙物业')).toMatchObject({
      verifiedSites: '1',
      discoveryRate: '1.0000',
      timeliness: '1.0000',
      companyFirst: '1',
    });
    expect(byName.get('')).toMatchObject({ key: 'all', verifiedSites: '3', reportedByCompany: '2' });
  });

  it('prints the channels as JSON', async () => {
    const d = JSON.parse(
      await runDiscovery(deps, { from: '2026-03-01', to: '2026-03-31', by: 'channel' }),
    ) as { channels: Array<{ channel: string; foundFirst: number }> };
    expect(d.channels.map((c) => [c.channel, c.foundFirst])).toEqual([
      ['dualReport', 1],
      ['patrol', 1],
      ['resident', 1],
    ]);
  });

  it('refuses a bad grouping, format or date with exit code 2', async () => {
    const exit = async (o: Parameters<typeof runDiscovery>[1]) => {
      const e = await runDiscovery(deps, o).catch((x: unknown) => x);
      return e instanceof CliExit ? [e.exitCode, e.message] : e;
    };
    expect(await exit({ from: '2026-03-01', to: '2026-03-31', by: 'town' })).toEqual([
      2,
      expect.stringMatching(/--by must be one of/),
    ]);
    expect(await exit({ from: '2026-03-01', to: '2026-03-31', by: 'channel', format: 'xml' })).toEqual([
      2,
      expect.stringMatching(/--format/),
    ]);
    expect(await exit({ from: '2026-02-30', to: '2026-03-31', by: 'channel' })).toEqual([
      2,
      expect.stringMatching(/--from: dateMalformed/),
    ]);
  });
});
