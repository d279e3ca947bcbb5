/**
 * Matching use cases: rebuild the sites from the reports of the illegal-construction family and the
 * dispatchers' overrides, list and show sites with the reasons of every link, split and join (audited), and
 * the discovery figures. Sites are derived data: every write rebuilds them as a whole in its transaction.
 */
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, type Actor } from '../access/roles.js';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { dayNumberOf, startOfShanghaiDay } from '../platform/calendar/shanghai-time.js';
import { listCategories } from '../registry/categories.service.js';
import {
  DEFAULT_MATCH_SETTINGS,
  MATCH_DISTANCE_MAX_M,
  MATCH_WINDOW_MAX_DAYS,
  familyKeys,
  matchSites,
  type Link,
  type MatchReport,
  type MatchSettings,
} from './sites.js';
import {
  DUAL_REPORT_CHANNEL,
  discoveryFigures,
  type Discovery,
  type DiscoveryGrouping,
  type DiscoverySite,
} from './discovery.js';
import {
  compoundCompanies,
  familyReports,
  findSite,
  findSites,
  groupNames,
  insertOverride,
  insertRun,
  lastRunSettings,
  listOverrides,
  membersOf,
  replaceSites,
  reportSummaries,
  siteIdOfReport,
  subdistricts,
  verifiedCases,
  type ReportSummary,
  type SiteFilter,
  type SourceReport,
  type StoredMember,
  type StoredSite,
} from './matching.store.js';

type Q = Parameters<typeof familyReports>[0];
type MatchingDeps = Pick<Deps, 'database' | 'clock'>;

/** The record paths the actor may see: all (undefined) with scope:district, else its own subtree. */
const pathPrefixOf = (actor: Actor): string | undefined =>
  actor.permissions.has('scope:district') ? undefined : actor.unitPath;

const inScope = (actor: Actor, s: StoredSite) => {
  const prefix = pathPrefixOf(actor);
  return prefix === undefined || s.unitPath.startsWith(prefix);
};

// ---------------------------------------------------------------------------------------------------------
// Reading reports into the matcher's shape
// ---------------------------------------------------------------------------------------------------------

const textOf = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const instantOf = (v: unknown): string | null => {
  const t = textOf(v);
  if (t === null) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/**
 * The matcher's view of a stored report. `extra` may carry (dual reports) placeText or building / unit /
 * room, discoveredAt and propertyCompanyId; what is missing or malformed counts as absent. A dual report
 * without a company id is the managing company's: only it may file dual reports for the compound.
 */
export function toMatchReport(
  r: SourceReport,
  verifiedAt: string | undefined,
  companyOfCompound: Map<string, string | null>,
): MatchReport {
  const x = r.extra ?? {};
  // The dual-report service writes `place: {building, unit, room}` and `companyId`; older or imported rows
  // may carry top-level building / unit / room, placeText and propertyCompanyId. The parts are labelled
  // (号楼 / 单元 / 室) so that parsePlace reads them as it reads free text.
  const place = (typeof x.place === 'object' && x.place !== null ? x.place : x) as Record<string, unknown>;
  const labelled = [
    [textOf(place.building), '号楼'],
    [textOf(place.unit), '单元'],
    [textOf(place.room), '室'],
  ] as const;
  const parts = labelled
    .filter(([v]) => v !== null)
    .map(([v, label]) => (/(号楼|栋|幢|号|楼|座|单元|室)$/.test(v ?? '') ? `${v}` : `${v}${label}`));
  const placeText = textOf(x.placeText) ?? (parts.length > 0 ? parts.join('') : null);
  const managing = r.compoundId === null ? null : (companyOfCompound.get(r.compoundId) ?? null);
  return {
    id: r.id,
    channel: r.channel,
    receivedAt: r.receivedAt,
    discoveredAt: instantOf(x.discoveredAt),
    lng: r.lng,
    lat: r.lat,
    compoundId: r.compoundId,
    placeText,
    propertyCompanyId:
      textOf(x.propertyCompanyId) ?? textOf(x.companyId) ?? (r.channel === DUAL_REPORT_CHANNEL ? managing : null),
    verified: verifiedAt !== undefined,
  };
}

/** The keys of the illegal-construction family in the category directory. */
async function familyOf(deps: Pick<Deps, 'database'>, actor: Actor): Promise<string[]> {
  const categories = await listCategories(deps, actor, { includeInactive: true, limit: 5000 });
  return [...familyKeys(categories)];
}

export interface RebuildResult {
  reports: number;
  sites: number;
  verifiedSites: number;
  settings: MatchSettings;
}

/** Groups every report of the family into sites and stores them, in the caller's transaction. */
async function rebuildIn(
  tx: Q,
  keys: readonly string[],
  settings: MatchSettings,
  actorId: string,
  now: string,
): Promise<RebuildResult> {
  const [sources, verified, companies, subs, overrides] = [
    await familyReports(tx, keys),
    await verifiedCases(tx, keys),
    await compoundCompanies(tx),
    await subdistricts(tx),
    await listOverrides(tx),
  ];
  const verifiedAtOf = (r: SourceReport) => (r.caseId === null ? undefined : verified.get(r.caseId));
  const byId = new Map(sources.map((r) => [r.id, r]));
  const reports = sources.map((r) => toMatchReport(r, verifiedAtOf(r), companies));
  const reportById = new Map(reports.map((r) => [r.id, r]));
  const { sites, members } = matchSites(reports, settings, overrides);

  const storedSites: StoredSite[] = [];
  const storedMembers: StoredMember[] = [];
  for (const s of sites) {
    const rs = s.reportIds.map((id) => reportById.get(id) as MatchReport);
    const first = rs[0] as MatchReport;
    const firstSource = byId.get(first.id) as SourceReport;
    const verifiedAts = s.reportIds
      .map((id) => verifiedAtOf(byId.get(id) as SourceReport))
      .filter((v): v is string => v !== undefined)
      .sort();
    const compoundId = rs.find((r) => r.compoundId !== null)?.compoundId ?? null;
    const unitPath = firstSource.unitPath;
    storedSites.push({
      id: s.id,
      firstReportId: first.id,
      firstChannel: first.channel,
      firstReceivedAt: first.receivedAt,
      lastReceivedAt: (rs[rs.length - 1] as MatchReport).receivedAt,
      reportCount: rs.length,
      channels: [...new Set(rs.map((r) => r.channel))].sort(),
      lng: first.lng,
      lat: first.lat,
      compoundId,
      propertyCompanyId: compoundId === null ? null : (companies.get(compoundId) ?? null),
      // The longest subdistrict path that holds the first report's unit path.
      subdistrictId:
        subs.filter((u) => unitPath.startsWith(u.path)).sort((a, b) => b.path.length - a.path.length)[0]
          ?.id ?? null,
      unitPath,
      verified: verifiedAts.length > 0,
      verifiedAt: verifiedAts[0] ?? null,
      builtAt: now,
    });
    rs.forEach((r, i) =>
      storedMembers.push({
        reportId: r.id,
        siteId: s.id,
        seq: i + 1,
        channel: r.channel,
        receivedAt: r.receivedAt,
        discoveredAt: r.discoveredAt,
        propertyCompanyId: r.propertyCompanyId,
        placeText: r.placeText,
        verifiedAt: verifiedAtOf(byId.get(r.id) as SourceReport) ?? null,
        links: members.get(r.id)?.links ?? [],
      }),
    );
  }
  await replaceSites(tx, storedSites, storedMembers);
  await insertRun(tx, {
    id: newId(),
    at: now,
    actorId,
    settings,
    reports: reports.length,
    sites: sites.length,
  });
  return {
    reports: reports.length,
    sites: sites.length,
    verifiedSites: storedSites.filter((s) => s.verified).length,
    settings,
  };
}

function checkSettings(s: MatchSettings): MatchSettings {
  if (!(s.distanceM > 0 && s.distanceM <= MATCH_DISTANCE_MAX_M))
    throw invalid('matchDistanceRange', {
      field: 'distanceM',
      value: s.distanceM,
      max: MATCH_DISTANCE_MAX_M,
    });
  if (!(Number.isInteger(s.windowDays) && s.windowDays >= 1 && s.windowDays <= MATCH_WINDOW_MAX_DAYS))
    throw invalid('matchWindowRange', {
      field: 'windowDays',
      value: s.windowDays,
      max: MATCH_WINDOW_MAX_DAYS,
    });
  return s;
}

/**
 * Rebuilds every site. Settings not given are those of the previous rebuild (the defaults the first time).
 * Deterministic: the same reports and overrides give the same sites, so any dispatcher may run it.
 */
export async function rebuildSites(
  deps: MatchingDeps,
  ctx: ActionContext,
  input: Partial<MatchSettings> = {},
): Promise<RebuildResult> {
  if (!can(ctx.actor, 'matching:write')) throw forbidden();
  const keys = await familyOf(deps, ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const previous = (await lastRunSettings(tx)) ?? DEFAULT_MATCH_SETTINGS;
    const settings = checkSettings({ ...previous, ...input });
    const result = await rebuildIn(tx, keys, settings, ctx.actor.id, deps.clock().toISOString());
    await audit({ action: 'matching.rebuild', entity: 'site', entityId: null, after: result });
    return result;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Reading sites
// ---------------------------------------------------------------------------------------------------------

export type SiteView = StoredSite;

export interface SiteQuery {
  bbox?: SiteFilter['bbox'];
  status?: 'verified' | 'unverified';
  firstFinder?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** Sites in the actor's scope, newest first. */
export async function listSites(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  q: SiteQuery,
): Promise<SiteView[]> {
  if (!can(actor, 'matching:read')) throw forbidden();
  const filter: SiteFilter = { limit: Math.min(q.limit ?? 500, 5000) };
  const prefix = pathPrefixOf(actor);
  if (prefix !== undefined) filter.pathPrefix = prefix;
  if (q.bbox) filter.bbox = q.bbox;
  if (q.status) filter.verified = q.status === 'verified';
  if (q.firstFinder) filter.firstChannel = q.firstFinder;
  if (q.from) filter.from = boundOf(q.from, 'from', 'start');
  if (q.to) filter.to = boundOf(q.to, 'to', 'end');
  return findSites(deps.database.db, filter);
}

export interface SiteMemberView extends Omit<StoredMember, 'siteId' | 'links'> {
  report: ReportSummary | null;
  links: Link[];
}

export interface SiteDetail extends SiteView {
  reports: SiteMemberView[];
}

async function siteInScope(db: Q, actor: Actor, id: string): Promise<StoredSite> {
  const site = await findSite(db, id);
  // Out of scope answers exactly like missing: nobody learns that the site exists.
  if (!site || !inScope(actor, site)) throw notFound('site', id);
  return site;
}

/** One site with every linked report and the reasons of each link. */
export async function getSite(deps: Pick<Deps, 'database'>, actor: Actor, id: string): Promise<SiteDetail> {
  if (!can(actor, 'matching:read')) throw forbidden();
  const db = deps.database.db;
  const site = await siteInScope(db, actor, id);
  const members = await membersOf(db, [site.id]);
  const summaries = await reportSummaries(
    db,
    members.map((m) => m.reportId),
  );
  return {
    ...site,
    reports: members.map(({ siteId: _siteId, ...m }) => ({
      ...m,
      report: summaries.get(m.reportId) ?? null,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Overrides
// ---------------------------------------------------------------------------------------------------------

/** Takes a report out of its site (it stands alone until joined); returns both resulting site ids. */
export async function splitSite(
  deps: MatchingDeps,
  ctx: ActionContext,
  siteId: string,
  input: { reportId: string; reason?: string | null },
): Promise<{ siteId: string; splitSiteId: string }> {
  if (!can(ctx.actor, 'matching:write')) throw forbidden();
  const keys = await familyOf(deps, ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const site = await siteInScope(tx, ctx.actor, siteId);
    if ((await siteIdOfReport(tx, input.reportId)) !== site.id)
      throw invalid('reportNotInSite', { field: 'reportId', value: input.reportId });
    if (site.reportCount < 2) throw conflict('siteSingleReport', { siteId });
    const stays = (await membersOf(tx, [site.id])).find((m) => m.reportId !== input.reportId)?.reportId ?? '';
    const at = deps.clock().toISOString();
    const override = {
      id: newId(),
      kind: 'split' as const,
      reportId: input.reportId,
      otherReportId: null,
      at,
    };
    await insertOverride(tx, { ...override, reason: input.reason ?? null, createdBy: ctx.actor.id });
    await rebuildIn(tx, keys, (await lastRunSettings(tx)) ?? DEFAULT_MATCH_SETTINGS, ctx.actor.id, at);
    const splitSiteId = (await siteIdOfReport(tx, input.reportId)) ?? '';
    const remaining = (await siteIdOfReport(tx, stays)) ?? '';
    await audit({
      action: 'site.split',
      entity: 'site',
      entityId: site.id,
      before: { siteId: site.id, reportCount: site.reportCount },
      after: { overrideId: override.id, reportId: input.reportId, splitSiteId, remainingSiteId: remaining },
    });
    return { siteId: remaining, splitSiteId };
  });
}

/** Joins two or more sites into one (the one with the earliest first report gives the id). */
export async function joinSites(
  deps: MatchingDeps,
  ctx: ActionContext,
  input: { siteIds: readonly string[]; reason?: string | null },
): Promise<{ siteId: string }> {
  if (!can(ctx.actor, 'matching:write')) throw forbidden();
  const ids = [...new Set(input.siteIds)];
  if (ids.length < 2)
    throw invalid('joinNeedsTwoSites', { field: 'siteIds', value: input.siteIds.join(',') });
  const keys = await familyOf(deps, ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const sites: StoredSite[] = [];
    for (const id of ids) sites.push(await siteInScope(tx, ctx.actor, id));
    sites.sort((a, b) =>
      a.firstReceivedAt < b.firstReceivedAt
        ? -1
        : a.firstReceivedAt > b.firstReceivedAt
          ? 1
          : a.id < b.id
            ? -1
            : 1,
    );
    const anchor = (sites[0] as StoredSite).firstReportId;
    const at = deps.clock().toISOString();
    const overrideIds: string[] = [];
    for (const s of sites.slice(1)) {
      const id = newId();
      overrideIds.push(id);
      await insertOverride(tx, {
        id,
        kind: 'join',
        reportId: s.firstReportId,
        otherReportId: anchor,
        at,
        reason: input.reason ?? null,
        createdBy: ctx.actor.id,
      });
    }
    await rebuildIn(tx, keys, (await lastRunSettings(tx)) ?? DEFAULT_MATCH_SETTINGS, ctx.actor.id, at);
    const siteId = (await siteIdOfReport(tx, anchor)) ?? '';
    await audit({
      action: 'site.join',
      entity: 'site',
      entityId: siteId,
      before: { siteIds: sites.map((s) => s.id) },
      after: { siteId, overrideIds },
    });
    return { siteId };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Discovery figures
// ---------------------------------------------------------------------------------------------------------

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A period bound as an instant: a date is a Shanghai calendar day (`from` its start, `to` the start of the
 * next day, so the `to` day is included); an instant must carry its zone.
 */
export function boundOf(text: string, field: 'from' | 'to', side: 'start' | 'end'): string {
  const t = text.trim();
  if (DATE_ONLY.test(t)) {
    const day = dayNumberOf(t, field);
    return new Date(startOfShanghaiDay(side === 'start' ? day : day + 1)).toISOString();
  }
  const ms = WITH_ZONE.test(t) ? Date.parse(t) : NaN;
  if (Number.isNaN(ms)) throw invalid('periodBound', { field, value: text });
  return new Date(ms).toISOString();
}

export interface DiscoveryView extends Discovery {
  /** Names of the groups' and missed sites' companies, compounds and subdistricts, by id. */
  names: Record<string, string>;
}

/** The discovery figures of the sites in the actor's scope first reported in the period. */
export async function discovery(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  q: { from: string; to: string; by: DiscoveryGrouping },
): Promise<DiscoveryView> {
  if (!can(actor, 'matching:read')) throw forbidden();
  const from = boundOf(q.from, 'from', 'start');
  const to = boundOf(q.to, 'to', 'end');
  if (to <= from) throw invalid('periodEmpty', { field: 'to', value: q.to });
  const db = deps.database.db;
  const filter: SiteFilter = { from, to };
  const prefix = pathPrefixOf(actor);
  if (prefix !== undefined) filter.pathPrefix = prefix;
  const sites = await findSites(db, filter);
  const members = await membersOf(
    db,
    sites.map((s) => s.id),
  );
  const bySite = new Map<string, StoredMember[]>();
  for (const m of members) {
    const list = bySite.get(m.siteId);
    if (list) list.push(m);
    else bySite.set(m.siteId, [m]);
  }
  const input: DiscoverySite[] = sites.map((s) => ({
    id: s.id,
    verified: s.verified,
    compoundId: s.compoundId,
    propertyCompanyId: s.propertyCompanyId,
    subdistrictId: s.subdistrictId,
    reports: (bySite.get(s.id) ?? []).map((m) => ({
      channel: m.channel,
      receivedAt: m.receivedAt,
      discoveredAt: m.discoveredAt,
      propertyCompanyId: m.propertyCompanyId,
    })),
  }));
  const result = discoveryFigures(input, { from, to }, q.by);
  const allNames = await groupNames(db);
  const names: Record<string, string> = {};
  const want = [
    ...result.groups.map((g) => g.key),
    ...result.missed.flatMap((m) => [m.propertyCompanyId, m.compoundId, m.subdistrictId]),
  ];
  for (const id of want) {
    const n = id === null ? undefined : allNames.get(id);
    if (id !== null && n !== undefined) names[id] = n;
  }
  return { ...result, names };
}
