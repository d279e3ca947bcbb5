/**
 * Discovery figures (发现率): who finds illegal construction, how fast, and which property companies miss
 * it. Pure: sites and their reports in, figures out.
 *
 * Rules:
 *  - only verified sites count (an officer checked them on site); a site belongs to the period in which its
 *    first report was received, [from, to);
 *  - "first finder" is the channel of the site's first report by receipt: only what reached OneGrid counts,
 *    a claimed discovery time does not make a channel first;
 *  - a site is the duty of the property company that manages its compound (上海市住宅物业管理规定 第59条,
 *    上海市拆除违法建筑若干规定 第4条); the company reported it when one of its dual reports is in the site;
 *  - discovery rate = sites the company reported / verified sites in its compounds;
 *  - timeliness = share of the company's reported sites whose first dual report came within 24 hours of
 *    the discovery it states (第59条: report within 24 hours); a report without a discovery time is counted
 *    apart (lagUnknown) and left out of the share;
 *  - missed = the company's sites found by another channel first: never reported by the company, or reported
 *    only later.
 */
export const DISCOVERY_GROUPINGS = ['propertyCompany', 'compound', 'subdistrict', 'channel'] as const;
export type DiscoveryGrouping = (typeof DISCOVERY_GROUPINGS)[number];
export const isDiscoveryGrouping = (v: string): v is DiscoveryGrouping =>
  (DISCOVERY_GROUPINGS as readonly string[]).includes(v);

/** 上海市住宅物业管理规定 第59条: within 24 hours. */
export const TIMELY_REPORT_MS = 24 * 3_600_000;

/** The channel of a property company's report (GLOSSARY: 双报告). */
export const DUAL_REPORT_CHANNEL = 'dualReport';

export interface DiscoveryReport {
  channel: string;
  receivedAt: string;
  discoveredAt: string | null;
  /** The filing company (dual reports). */
  propertyCompanyId: string | null;
}

export interface DiscoverySite {
  id: string;
  verified: boolean;
  compoundId: string | null;
  /** The company that manages the site's compound; null outside compounds or for unmanaged ones. */
  propertyCompanyId: string | null;
  subdistrictId: string | null;
  reports: readonly DiscoveryReport[];
}

export interface DiscoveryFigures {
  /** The group's id (company, compound, subdistrict); 'all' for the totals. */
  key: string;
  verifiedSites: number;
  /** Verified sites in compounds a property company manages: the denominator of the discovery rate. */
  companySites: number;
  reportedByCompany: number;
  /** reportedByCompany / companySites; null when there is no such site. */
  discoveryRate: number | null;
  timely: number;
  late: number;
  lagUnknown: number;
  /** timely / (timely + late); null when none is measurable. */
  timeliness: number | null;
  /** Sites the company reported before any other channel. */
  companyFirst: number;
  missedNever: number;
  missedLater: number;
  /** channel → verified sites it found first. */
  firstFinders: Record<string, number>;
}

export interface ChannelFigures {
  channel: string;
  /** Verified sites with at least one report of the channel. */
  sitesFound: number;
  foundFirst: number;
  /** sitesFound / all verified sites; null when there are none. */
  share: number | null;
  firstShare: number | null;
}

export interface MissedSite {
  siteId: string;
  compoundId: string | null;
  propertyCompanyId: string;
  subdistrictId: string | null;
  firstChannel: string;
  firstReceivedAt: string;
  /** When the company's first dual report came; null when it never reported. */
  companyReportedAt: string | null;
  reason: 'never' | 'later';
}

export interface Discovery {
  from: string;
  to: string;
  by: DiscoveryGrouping;
  totals: DiscoveryFigures;
  /** One row per group (ordered by key); empty when grouping by channel, whose rows are `channels`. */
  groups: DiscoveryFigures[];
  /** Every channel that found a site, ordered by sites found (then name). */
  channels: ChannelFigures[];
  missed: MissedSite[];
}

/** What one verified site contributes: its first finder and the company's part. */
interface SiteOutcome {
  site: DiscoverySite;
  first: DiscoveryReport;
  channels: Set<string>;
  company: null | {
    id: string;
    report: DiscoveryReport | null;
    lag: 'timely' | 'late' | 'unknown' | null;
    first: boolean;
  };
}

const ms = (iso: string) => Date.parse(iso);

function outcomeOf(site: DiscoverySite): SiteOutcome | null {
  // Stable sort: reports received at the same instant keep the order the caller gave.
  const reports = [...site.reports].sort((a, b) => ms(a.receivedAt) - ms(b.receivedAt));
  const first = reports[0];
  if (!first) return null;
  const channels = new Set(reports.map((r) => r.channel));
  const companyId = site.propertyCompanyId;
  if (companyId === null) return { site, first, channels, company: null };
  const report =
    reports.find((r) => r.channel === DUAL_REPORT_CHANNEL && r.propertyCompanyId === companyId) ?? null;
  let lag: 'timely' | 'late' | 'unknown' | null = null;
  if (report) {
    const found = report.discoveredAt === null ? NaN : ms(report.discoveredAt);
    lag = Number.isNaN(found)
      ? 'unknown'
      : ms(report.receivedAt) - found <= TIMELY_REPORT_MS
        ? 'timely'
        : 'late';
  }
  // The company was first unless another channel's report was received strictly before its own.
  const isFirst = report !== null && ms(first.receivedAt) >= ms(report.receivedAt);
  return { site, first, channels, company: { id: companyId, report, lag, first: isFirst } };
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

function figuresOf(key: string, outcomes: readonly SiteOutcome[]): DiscoveryFigures {
  const f: DiscoveryFigures = {
    key,
    verifiedSites: outcomes.length,
    companySites: 0,
    reportedByCompany: 0,
    discoveryRate: null,
    timely: 0,
    late: 0,
    lagUnknown: 0,
    timeliness: null,
    companyFirst: 0,
    missedNever: 0,
    missedLater: 0,
    firstFinders: {},
  };
  for (const o of outcomes) {
    f.firstFinders[o.first.channel] = (f.firstFinders[o.first.channel] ?? 0) + 1;
    const c = o.company;
    if (!c) continue;
    f.companySites += 1;
    if (!c.report) {
      f.missedNever += 1;
      continue;
    }
    f.reportedByCompany += 1;
    if (c.lag === 'timely') f.timely += 1;
    else if (c.lag === 'late') f.late += 1;
    else f.lagUnknown += 1;
    if (c.first) f.companyFirst += 1;
    else f.missedLater += 1;
  }
  f.discoveryRate = ratio(f.reportedByCompany, f.companySites);
  f.timeliness = ratio(f.timely, f.timely + f.late);
  return f;
}

const groupKey = (o: SiteOutcome, by: DiscoveryGrouping): string | null =>
  by === 'propertyCompany'
    ? o.site.propertyCompanyId
    : by === 'compound'
      ? o.site.compoundId
      : by === 'subdistrict'
        ? o.site.subdistrictId
        : null;

/** The discovery figures of the verified sites first reported in [from, to), grouped `by`. */
export function discoveryFigures(
  sites: readonly DiscoverySite[],
  period: { from: string; to: string },
  by: DiscoveryGrouping,
): Discovery {
  const from = ms(period.from);
  const to = ms(period.to);
  const outcomes: SiteOutcome[] = [];
  for (const s of sites) {
    if (!s.verified) continue;
    const o = outcomeOf(s);
    if (!o) continue;
    const t = ms(o.first.receivedAt);
    if (t >= from && t < to) outcomes.push(o);
  }

  const grouped = new Map<string, SiteOutcome[]>();
  for (const o of outcomes) {
    const k = groupKey(o, by);
    if (k === null) continue;
    const list = grouped.get(k);
    if (list) list.push(o);
    else grouped.set(k, [o]);
  }
  const groups = [...grouped.keys()].sort().map((k) => figuresOf(k, grouped.get(k) ?? []));

  const found = new Map<string, { sitesFound: number; foundFirst: number }>();
  const entry = (c: string) => {
    let e = found.get(c);
    if (!e) found.set(c, (e = { sitesFound: 0, foundFirst: 0 }));
    return e;
  };
  for (const o of outcomes) {
    for (const c of o.channels) entry(c).sitesFound += 1;
    entry(o.first.channel).foundFirst += 1;
  }
  const channels = [...found.entries()]
    .map(([channel, e]) => ({
      channel,
      ...e,
      share: ratio(e.sitesFound, outcomes.length),
      firstShare: ratio(e.foundFirst, outcomes.length),
    }))
    .sort((a, b) => b.sitesFound - a.sitesFound || (a.channel < b.channel ? -1 : 1));

  const missed: MissedSite[] = [];
  for (const o of outcomes) {
    const c = o.company;
    if (!c || c.first) continue;
    missed.push({
      siteId: o.site.id,
      compoundId: o.site.compoundId,
      propertyCompanyId: c.id,
      subdistrictId: o.site.subdistrictId,
      firstChannel: o.first.channel,
      firstReceivedAt: o.first.receivedAt,
      companyReportedAt: c.report?.receivedAt ?? null,
      reason: c.report ? 'later' : 'never',
    });
  }
  missed.sort((a, b) =>
    a.firstReceivedAt < b.firstReceivedAt
      ? -1
      : a.firstReceivedAt > b.firstReceivedAt
        ? 1
        : a.siteId < b.siteId
          ? -1
          : 1,
  );

  return {
    from: period.from,
    to: period.to,
    by,
    totals: figuresOf('all', outcomes),
    groups: by === 'channel' ? [] : groups,
    channels,
    missed,
  };
}
