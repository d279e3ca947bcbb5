// `npm run bench -- matching [--reports N] [--patrols N] [--naive N] [--seed S]`: groups N reports of every
// channel and N patrol findings (100,000 each by default) into sites with the indexed sweep of
// src/matching/sites.ts, with its time and peak memory; then, in the same run, the naive all-pairs matcher
// on a 10,000-report subset, asserting that both give identical sites, with the speed ratio.
//
// The data are generated deterministically (seeded): structures scattered over 闵行区's box, each reported
// by one to several channels within a few metres and a few weeks, some in compounds with building/room
// texts, so that many reports link and some do not (different building, outside the window).
import { mulberry32, type Rng } from '../src/registry/demo/random.js';
import {
  DEFAULT_MATCH_SETTINGS,
  matchSites,
  matchSitesNaive,
  sitesFingerprint,
  type MatchReport,
} from '../src/matching/sites.js';

/** 闵行区's bounding box, roughly (WGS-84). */
const BOX = { minLng: 121.33, minLat: 30.98, maxLng: 121.55, maxLat: 31.2 };
const OTHER_CHANNELS = ['resident', 'dualReport', 'gridWorker', 'hotline12345', 'open311'] as const;
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const M_PER_DEG_LAT = 110_574;

/**
 * `reports` reports of the non-patrol channels and `patrols` patrol findings about shared structures: each
 * structure draws 1–6 reports (channel mix per structure), jittered up to 12 m and up to 60 days.
 */
export function generateReports(reports: number, patrols: number, seed = 20261129): MatchReport[] {
  const rnd: Rng = mulberry32(seed);
  const out: MatchReport[] = [];
  let left = { other: reports, patrol: patrols };
  while (left.other + left.patrol > 0) {
    const lng = BOX.minLng + rnd() * (BOX.maxLng - BOX.minLng);
    const lat = BOX.minLat + rnd() * (BOX.maxLat - BOX.minLat);
    const t = T0 + rnd() * 365 * DAY_MS;
    const compound = rnd() < 0.5 ? `k${Math.floor(rnd() * 5000)}` : null;
    const building = compound !== null && rnd() < 0.6 ? 1 + Math.floor(rnd() * 30) : null;
    const n = 1 + Math.floor(rnd() * 6);
    for (let i = 0; i < n; i += 1) {
      const patrol = left.other === 0 || (left.patrol > 0 && rnd() < 0.5);
      if (patrol) left = { ...left, patrol: left.patrol - 1 };
      else left = { ...left, other: left.other - 1 };
      const channel = patrol
        ? 'patrol'
        : (OTHER_CHANNELS[Math.floor(rnd() * OTHER_CHANNELS.length)] as string);
      const r = rnd() * 12;
      const a = rnd() * 2 * Math.PI;
      const cos = Math.cos((lat * Math.PI) / 180);
      // A few reports give another building in the same compound (a different structure next door).
      const b = building === null || rnd() < 0.7 ? null : rnd() < 0.9 ? building : building + 1;
      const receivedAt = t + rnd() * 60 * DAY_MS;
      out.push({
        id: `r${String(out.length).padStart(7, '0')}`,
        channel,
        receivedAt: new Date(receivedAt).toISOString(),
        discoveredAt:
          channel === 'dualReport' ? new Date(receivedAt - rnd() * 2 * DAY_MS).toISOString() : null,
        lng: lng + (r * Math.cos(a)) / (M_PER_DEG_LAT * cos),
        lat: lat + (r * Math.sin(a)) / M_PER_DEG_LAT,
        compoundId: compound !== null && rnd() < 0.8 ? compound : null,
        placeText: b === null ? null : `${b}号楼`,
        propertyCompanyId: null,
        verified: rnd() < 0.6,
      });
      if (left.other + left.patrol === 0) break;
    }
  }
  return out;
}

/** A spatially compact subset (the westernmost n reports), so that its clusters stay whole. */
export function westernmost(reports: readonly MatchReport[], n: number): MatchReport[] {
  return [...reports].sort((a, b) => a.lng - b.lng).slice(0, n);
}

export interface Comparison {
  reports: number;
  sites: number;
  indexedMs: number;
  naiveMs: number;
  identical: boolean;
}

/** Both matchers on the same reports: times and whether their sites are identical. */
export function compareWithNaive(reports: readonly MatchReport[]): Comparison {
  let t = performance.now();
  const fast = matchSites(reports, DEFAULT_MATCH_SETTINGS).sites;
  const indexedMs = performance.now() - t;
  t = performance.now();
  const naive = matchSitesNaive(reports, DEFAULT_MATCH_SETTINGS);
  const naiveMs = performance.now() - t;
  return {
    reports: reports.length,
    sites: fast.length,
    indexedMs,
    naiveMs,
    identical: sitesFingerprint(fast) === sitesFingerprint(naive),
  };
}

const flag = (args: string[], name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number`);
  return v;
};

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export async function run(args: string[]): Promise<void> {
  const reportCount = flag(args, '--reports', 100_000);
  const patrolCount = flag(args, '--patrols', 100_000);
  const naiveCount = flag(args, '--naive', 10_000);
  const seed = flag(args, '--seed', 20261129);
  const out = process.stdout;
  out.write(
    `matching bench — node ${process.version}, seed ${seed}, ${DEFAULT_MATCH_SETTINGS.distanceM} m / ${DEFAULT_MATCH_SETTINGS.windowDays} days\n`,
  );

  let t = performance.now();
  const reports = generateReports(reportCount, patrolCount, seed);
  out.write(
    `generated ${reports.length.toLocaleString('en-US')} reports in ${(performance.now() - t).toFixed(0)} ms\n`,
  );

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  t = performance.now();
  const m = matchSites(reports, DEFAULT_MATCH_SETTINGS);
  const ms = performance.now() - t;
  const heapAfter = process.memoryUsage().heapUsed;
  const rssPeak = process.resourceUsage().maxRSS * 1024;
  const links = [...m.members.values()].reduce((n, x) => n + x.links.length, 0);
  const multi = m.sites.filter((s) => s.reportIds.length > 1);
  const channelOf = new Map(reports.map((r) => [r.id, r.channel]));
  const mixed = multi.filter((s) => new Set(s.reportIds.map((id) => channelOf.get(id))).size > 1).length;
  out.write(
    `\nindexed sweep (flatbush per window bucket + union-find), ${reports.length.toLocaleString('en-US')} reports\n` +
      `  ${ms.toFixed(0)} ms → ${m.sites.length.toLocaleString('en-US')} sites (${multi.length.toLocaleString('en-US')} with ≥ 2 reports, ${mixed.toLocaleString('en-US')} found by several channels), ${links.toLocaleString('en-US')} recorded links\n` +
      `  heap after − before: ${mib(heapAfter - heapBefore)}; peak RSS of the process: ${mib(rssPeak)} (was ${mib(rssBefore)} before matching)\n`,
  );

  const subset = westernmost(reports, naiveCount);
  const c = compareWithNaive(subset);
  out.write(
    `\nnaive all-pairs on the ${c.reports.toLocaleString('en-US')} westernmost reports (${c.sites.toLocaleString('en-US')} sites)\n` +
      `  indexed ${c.indexedMs.toFixed(1)} ms, naive ${c.naiveMs.toFixed(0)} ms: indexed is ×${(c.naiveMs / c.indexedMs).toFixed(0)}\n` +
      `  sites identical: ${c.identical ? 'yes' : 'NO'}\n`,
  );
  if (!c.identical) throw new Error('matching bench: the indexed and naive matchers disagree');
  const pairs = (reports.length * (reports.length - 1)) / 2;
  const perPairNs = (c.naiveMs * 1e6) / ((c.reports * (c.reports - 1)) / 2);
  out.write(
    `  the naive matcher on all ${reports.length.toLocaleString('en-US')} would compare ${pairs.toExponential(2)} pairs: ~${((pairs * perPairNs) / 1e9 / 60).toFixed(0)} min at its measured ${perPairNs.toFixed(0)} ns a pair\n`,
  );
}
