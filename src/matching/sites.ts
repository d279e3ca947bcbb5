/**
 * Matching (比对): grouping reports of every channel about illegal construction into sites, one site per
 * structure. Pure: no I/O, no clock. Deterministic: the same reports, settings and overrides always give the
 * same sites, the same site ids and the same recorded links, whatever order the input comes in.
 *
 * Two reports link when all of these hold:
 *  - they are at most `distanceM` apart (haversine between their WGS-84 points);
 *  - their receipt times are at most `windowDays` apart;
 *  - they do not name two different compounds (a report without a compound links across);
 *  - their building / unit / room texts agree where both give the same part (see `parsePlace`).
 * A site is a connected component of those links. Reports are processed in (receivedAt, id) order with a
 * union-find; for each report, the candidate earlier reports are taken nearest first, and each link that
 * merges two groups is recorded on the later report with its reason. The recorded links of a site form a
 * spanning tree of it: every member is explained by a chain of links to the site's first report, whose id
 * names the site.
 */
import Flatbush from 'flatbush';
import type { CategoryFamily } from '../registry/categories.js';
import { boxAround, haversineM } from '../intake/reports.js';

// ---------------------------------------------------------------------------------------------------------
// Inputs and settings
// ---------------------------------------------------------------------------------------------------------

/** One report as matching sees it. Times are ISO instants; the point is WGS-84. */
export interface MatchReport {
  id: string;
  channel: string;
  receivedAt: string;
  /** When the reporter says the construction was discovered (dual reports); null when not given. */
  discoveredAt: string | null;
  lng: number;
  lat: number;
  compoundId: string | null;
  /** Building / unit / room as the reporter wrote it, e.g. '12号楼2单元301室'. */
  placeText: string | null;
  /** The property company that filed it (dual reports); null otherwise. */
  propertyCompanyId: string | null;
  /** An officer checked it on site (核实) or verified it (核查). */
  verified: boolean;
}

export interface MatchSettings {
  /** Reports at most this far apart (metres) may be about one structure. */
  distanceM: number;
  /** … when received at most this many days apart. */
  windowDays: number;
}

/** The defaults of issue 6: 30 m, 90 days. */
export const DEFAULT_MATCH_SETTINGS: MatchSettings = { distanceM: 30, windowDays: 90 };

export const MATCH_DISTANCE_MAX_M = 1000;
export const MATCH_WINDOW_MAX_DAYS = 3660;

/** Why a report belongs with an earlier one. */
export type Link =
  | { kind: 'auto'; toReportId: string; distanceM: number; sameCompound: boolean; text: 'match' | 'absent' }
  | { kind: 'join'; toReportId: string; overrideId: string };

/**
 * A dispatcher's correction, applied on top of the automatic links in (at, id) order, the later winning:
 *  - `split` takes the report out of every automatic link and of every earlier join: it stands alone unless a
 *    later join puts it somewhere;
 *  - `join` links two reports (the first reports of the two sites joined), unless a later split undoes it.
 */
export interface Override {
  id: string;
  kind: 'split' | 'join';
  reportId: string;
  /** join: the report of the other site. */
  otherReportId: string | null;
  at: string;
}

export interface Site {
  /** `site-` + the id of its first report. */
  id: string;
  firstReportId: string;
  /** Members in (receivedAt, id) order. */
  reportIds: string[];
}

export interface Membership {
  siteId: string;
  /** The links that merged this report's group with earlier reports' groups ([] for a site's first report). */
  links: Link[];
}

export interface Matching {
  sites: Site[];
  /** report id → its site and links */
  members: Map<string, Membership>;
}

/** A site's id: derived from its first report, so it is stable while that report stays first. */
export const siteIdOf = (firstReportId: string): string => `site-${firstReportId}`;

// ---------------------------------------------------------------------------------------------------------
// The illegal-construction family
// ---------------------------------------------------------------------------------------------------------

/**
 * The keys of a family in a category directory: categories marked with the family, and local categories
 * (e.g. 新增违建) whose parent is marked with it.
 */
export function familyKeys(
  categories: ReadonlyArray<{ key: string; family: CategoryFamily | null; parentKey: string | null }>,
  family: CategoryFamily = 'illegalConstruction',
): Set<string> {
  const marked = new Set(categories.filter((c) => c.family === family).map((c) => c.key));
  const out = new Set(marked);
  for (const c of categories) if (c.parentKey !== null && marked.has(c.parentKey)) out.add(c.key);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Building / unit / room text
// ---------------------------------------------------------------------------------------------------------

export interface PlaceParts {
  building: string | null;
  unit: string | null;
  room: string | null;
}

/**
 * The building, unit and room a text names. The text is first normalised: NFKC (全角 digits, letters and
 * spaces become half-width), whitespace removed. Then:
 *  - building: a number followed by 号楼, 栋, 幢, 号, 楼 or # ('12号楼', '12栋', '12幢', '12号', '12楼' are one
 *    building; colloquial '3楼' for a floor is rare in addresses, which write 3层);
 *  - unit: a number followed by 单元;
 *  - room: a number followed by 室, or the number that follows the building (and unit) directly ('12栋301');
 *  - the dashed form '12-301' / '12-2-301' (building-room / building-unit-room) when no marker is present.
 * Numbers lose leading zeros ('0301室' = '301室'). A text with none of these gives no parts.
 */
export function parsePlace(text: string | null): PlaceParts {
  const none: PlaceParts = { building: null, unit: null, room: null };
  if (text === null) return none;
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  const num = (s: string | undefined) => (s === undefined ? null : String(Number(s)));
  const dashed = /(?:^|[^\d-])(\d+)-(\d+)(?:-(\d+))?(?:$|[^\d-])/.exec(t);
  const b = /(\d+)(?:号楼|栋|幢|号|楼|#)/.exec(t);
  const u = /(\d+)单元/.exec(t);
  const r = /(\d+)室/.exec(t);
  if (!b && !u && !r && dashed)
    return dashed[3] === undefined
      ? { building: num(dashed[1]), unit: null, room: num(dashed[2]) }
      : { building: num(dashed[1]), unit: num(dashed[2]), room: num(dashed[3]) };
  let room = num(r?.[1]);
  if (room === null && b) {
    // '12栋301' or '12栋2单元301': the bare number right after the building (and unit).
    const rest = t.slice(b.index + b[0].length).replace(/^\d+单元/, '');
    room = num(/^(\d+)/.exec(rest)?.[1]);
  }
  return { building: num(b?.[1]), unit: num(u?.[1]), room };
}

/**
 * Whether two places agree: 'match' when they share at least one part and every shared part is equal,
 * 'absent' when they share none (one or both texts missing, or naming different parts), null when a
 * shared part differs (the reports are about different structures).
 */
export function placeAgreement(a: PlaceParts, b: PlaceParts): 'match' | 'absent' | null {
  let shared = 0;
  for (const k of ['building', 'unit', 'room'] as const) {
    const x = a[k];
    const y = b[k];
    if (x === null || y === null) continue;
    if (x !== y) return null;
    shared += 1;
  }
  return shared > 0 ? 'match' : 'absent';
}

// ---------------------------------------------------------------------------------------------------------
// The pairwise rule
// ---------------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** A report prepared once: its parsed time and place. */
interface Prepared {
  r: MatchReport;
  t: number;
  place: PlaceParts;
}

function prepare(reports: readonly MatchReport[]): Prepared[] {
  const seen = new Set<string>();
  const out = reports.map((r) => {
    if (seen.has(r.id)) throw new Error(`matchSites: report ${r.id} given twice`);
    seen.add(r.id);
    const t = Date.parse(r.receivedAt);
    if (Number.isNaN(t)) throw new Error(`matchSites: report ${r.id} has no valid receivedAt`);
    return { r, t, place: parsePlace(r.placeText) };
  });
  // (receivedAt, id): the order that makes ids and links independent of the input order.
  return out.sort((a, b) => a.t - b.t || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0));
}

/** The link between two prepared reports, or null when they do not link. `a` is the later one. */
function linkOf(a: Prepared, b: Prepared, s: MatchSettings): Extract<Link, { kind: 'auto' }> | null {
  if (Math.abs(a.t - b.t) > s.windowDays * DAY_MS) return null;
  const ca = a.r.compoundId;
  const cb = b.r.compoundId;
  if (ca !== null && cb !== null && ca !== cb) return null;
  const d = haversineM(a.r, b.r);
  if (d > s.distanceM) return null;
  const text = placeAgreement(a.place, b.place);
  if (text === null) return null;
  return {
    kind: 'auto',
    toReportId: b.r.id,
    distanceM: Math.round(d * 10) / 10,
    sameCompound: ca !== null && ca === cb,
    text,
  };
}

/** Whether two reports link by the automatic rule (both directions give the same answer). */
export function reportsLink(
  a: MatchReport,
  b: MatchReport,
  s: MatchSettings = DEFAULT_MATCH_SETTINGS,
): boolean {
  const [pa, pb] = prepare([a, b]);
  return pa !== undefined && pb !== undefined && linkOf(pb, pa, s) !== null;
}

// ---------------------------------------------------------------------------------------------------------
// Grouping
// ---------------------------------------------------------------------------------------------------------

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n).map((_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    while (this.parent[i] !== root) {
      const next = this.parent[i] as number;
      this.parent[i] = root;
      i = next;
    }
    return root;
  }
  /** Joins the groups of i and j; false when they were one already. The smaller index stays root. */
  union(i: number, j: number): boolean {
    const a = this.find(i);
    const b = this.find(j);
    if (a === b) return false;
    if (a < b) this.parent[b] = a;
    else this.parent[a] = b;
    return true;
  }
}

/** Reports whose automatic links a split removed, and the joins no later split undid. */
function effectiveOverrides(overrides: readonly Override[]): {
  isolated: Set<string>;
  joins: Override[];
} {
  const ordered = [...overrides].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
  const isolated = new Set<string>();
  let joins: Override[] = [];
  for (const o of ordered) {
    if (o.kind === 'split') {
      isolated.add(o.reportId);
      joins = joins.filter((j) => j.reportId !== o.reportId && j.otherReportId !== o.reportId);
    } else if (o.otherReportId !== null) {
      joins.push(o);
    }
  }
  return { isolated, joins };
}

/**
 * Groups reports into sites with a spatial index and a time-bucketed sweep: each report is compared only
 * with earlier reports inside its distance box in its own and the previous time bucket (one window long),
 * so the work grows with the number of nearby reports, not with the square of all of them.
 */
export function matchSites(
  reports: readonly MatchReport[],
  settings: MatchSettings = DEFAULT_MATCH_SETTINGS,
  overrides: readonly Override[] = [],
): Matching {
  const items = prepare(reports);
  const n = items.length;
  const { isolated, joins } = effectiveOverrides(overrides);
  const uf = new UnionFind(n);
  const links: Link[][] = items.map(() => []);
  const windowMs = settings.windowDays * DAY_MS;

  // Time buckets one window long, each with its own static index over its reports' points.
  const t0 = n > 0 ? (items[0] as Prepared).t : 0;
  const bucketOf = (t: number) => (windowMs > 0 ? Math.floor((t - t0) / windowMs) : 0);
  const buckets = new Map<number, { start: number; tree: Flatbush }>();
  for (let i = 0; i < n;) {
    const b = bucketOf((items[i] as Prepared).t);
    let j = i;
    while (j < n && bucketOf((items[j] as Prepared).t) === b) j += 1;
    const tree = new Flatbush(j - i);
    for (let k = i; k < j; k += 1) {
      const p = (items[k] as Prepared).r;
      tree.add(p.lng, p.lat, p.lng, p.lat);
    }
    tree.finish();
    buckets.set(b, { start: i, tree });
    i = j;
  }

  for (let i = 0; i < n; i += 1) {
    const a = items[i] as Prepared;
    if (isolated.has(a.r.id)) continue;
    const box = boxAround(a.r, settings.distanceM);
    const b = bucketOf(a.t);
    const candidates: Array<{ j: number; link: Extract<Link, { kind: 'auto' }> }> = [];
    for (const bucket of [buckets.get(b - 1), buckets.get(b)]) {
      if (!bucket) continue;
      for (const k of bucket.tree.search(box.minLng, box.minLat, box.maxLng, box.maxLat)) {
        const j = bucket.start + k;
        if (j >= i) continue;
        const c = items[j] as Prepared;
        if (isolated.has(c.r.id)) continue;
        const link = linkOf(a, c, settings);
        if (link) candidates.push({ j, link });
      }
    }
    candidates.sort((x, y) => x.link.distanceM - y.link.distanceM || x.j - y.j);
    for (const c of candidates) if (uf.union(i, c.j)) (links[i] as Link[]).push(c.link);
  }

  const indexOf = new Map(items.map((p, i) => [p.r.id, i]));
  for (const o of joins) {
    const x = indexOf.get(o.reportId);
    const y = o.otherReportId === null ? undefined : indexOf.get(o.otherReportId);
    if (x === undefined || y === undefined) continue; // a report that left the family or was removed
    const [later, earlier] = x > y ? [x, y] : [y, x];
    if (uf.union(later, earlier))
      (links[later] as Link[]).push({
        kind: 'join',
        toReportId: (items[earlier] as Prepared).r.id,
        overrideId: o.id,
      });
  }
  return collect(items, uf, links);
}

function collect(items: Prepared[], uf: UnionFind, links: Link[][]): Matching {
  // The root of each group is its smallest index, i.e. its first report in (receivedAt, id) order.
  const byRoot = new Map<number, Site>();
  const sites: Site[] = [];
  const members = new Map<string, Membership>();
  items.forEach((p, i) => {
    const root = uf.find(i);
    let site = byRoot.get(root);
    if (!site) {
      const first = (items[root] as Prepared).r.id;
      site = { id: siteIdOf(first), firstReportId: first, reportIds: [] };
      byRoot.set(root, site);
      sites.push(site);
    }
    site.reportIds.push(p.r.id);
    members.set(p.r.id, { siteId: site.id, links: links[i] as Link[] });
  });
  return { sites, members };
}

/**
 * The naive matcher: every pair compared, no index, no overrides. The benchmark's baseline and the tests'
 * oracle: it must give the same sites as `matchSites`.
 */
export function matchSitesNaive(
  reports: readonly MatchReport[],
  settings: MatchSettings = DEFAULT_MATCH_SETTINGS,
): Site[] {
  const items = prepare(reports);
  const uf = new UnionFind(items.length);
  for (let i = 0; i < items.length; i += 1)
    for (let j = 0; j < i; j += 1)
      if (linkOf(items[i] as Prepared, items[j] as Prepared, settings)) uf.union(i, j);
  return collect(
    items,
    uf,
    items.map(() => []),
  ).sites;
}

/** Sites as a canonical text (one line per site: its id and member ids), for comparing two groupings. */
export const sitesFingerprint = (sites: readonly Site[]): string =>
  sites
    .map((s) => `${s.id}:${[...s.reportIds].sort().join(',')}`)
    .sort()
    .join('\n');
