/**
 * Every query of matching: the reports it groups (read-only over intake and the case loop), the sites it
 * stores, the overrides and the runs. Rows ↔ domain objects here; the service never sees a row.
 */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { Link, MatchSettings, Override } from './sites.js';
import type { SiteReportTable, SiteTable } from './matching.tables.js';

type Q = Kysely<DB> | Transaction<DB>;

// ---------------------------------------------------------------------------------------------------------
// What matching reads
// ---------------------------------------------------------------------------------------------------------

/** A report of the family as stored, with the channel-specific fields of `extra` it may carry. */
export interface SourceReport {
  id: string;
  channel: string;
  receivedAt: string;
  lng: number;
  lat: number;
  compoundId: string | null;
  unitPath: string;
  caseId: string | null;
  extra: Record<string, unknown> | null;
}

/** Reports of these categories that have a point. */
export async function familyReports(db: Q, categoryKeys: readonly string[]): Promise<SourceReport[]> {
  if (categoryKeys.length === 0) return [];
  const rows = await db
    .selectFrom('report')
    .select(['id', 'channel', 'received_at', 'lng', 'lat', 'compound_id', 'unit_path', 'case_id', 'extra'])
    .where('category_key', 'in', [...categoryKeys])
    .where('lng', 'is not', null)
    .where('lat', 'is not', null)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    receivedAt: r.received_at,
    lng: Number(r.lng),
    lat: Number(r.lat),
    compoundId: r.compound_id,
    unitPath: r.unit_path,
    caseId: r.case_id,
    extra: parseExtra(r.extra),
  }));
}

function parseExtra(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null; // extra is written by intake as JSON; anything else is treated as absent
  }
}

/**
 * case id → the first time an officer checked it on site (核实, move 'check') or verified it (核查, move
 * 'verify'), for the cases of reports of these categories.
 */
export async function verifiedCases(db: Q, categoryKeys: readonly string[]): Promise<Map<string, string>> {
  if (categoryKeys.length === 0) return new Map();
  const rows = await db
    .selectFrom('case_flow')
    .select(['case_id', (eb) => eb.fn.min<string>('ended_at').as('at')])
    .where('move', 'in', ['check', 'verify'])
    .where('case_id', 'in', (eb) =>
      eb
        .selectFrom('report')
        .select('case_id')
        .where('category_key', 'in', [...categoryKeys])
        .where('case_id', 'is not', null),
    )
    .groupBy('case_id')
    .execute();
  return new Map(rows.map((r) => [r.case_id, r.at]));
}

/** compound id → the property company that manages it (null when none). */
export async function compoundCompanies(db: Q): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('compound').select(['id', 'property_company_id']).execute();
  return new Map(rows.map((r) => [r.id, r.property_company_id]));
}

export interface UnitRef {
  id: string;
  path: string;
}

export async function subdistricts(db: Q): Promise<UnitRef[]> {
  return db.selectFrom('org_unit').select(['id', 'path']).where('kind', '=', 'subdistrict').execute();
}

// ---------------------------------------------------------------------------------------------------------
// Overrides and runs
// ---------------------------------------------------------------------------------------------------------

export async function listOverrides(db: Q): Promise<Override[]> {
  const rows = await db.selectFrom('site_override').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind === 'join' ? 'join' : 'split',
    reportId: r.report_id,
    otherReportId: r.other_report_id,
    at: r.created_at,
  }));
}

export async function insertOverride(
  db: Q,
  o: Override & { reason: string | null; createdBy: string },
): Promise<void> {
  await db
    .insertInto('site_override')
    .values({
      id: o.id,
      kind: o.kind,
      report_id: o.reportId,
      other_report_id: o.otherReportId,
      reason: o.reason,
      created_by: o.createdBy,
      created_at: o.at,
    })
    .execute();
}

/** The settings of the latest rebuild; null before the first. */
export async function lastRunSettings(db: Q): Promise<MatchSettings | null> {
  const r = await db
    .selectFrom('matching_run')
    .select(['distance_m', 'window_days'])
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? { distanceM: Number(r.distance_m), windowDays: Number(r.window_days) } : null;
}

export async function insertRun(
  db: Q,
  r: { id: string; at: string; actorId: string; settings: MatchSettings; reports: number; sites: number },
): Promise<void> {
  await db
    .insertInto('matching_run')
    .values({
      id: r.id,
      at: r.at,
      actor_id: r.actorId,
      distance_m: r.settings.distanceM,
      window_days: r.settings.windowDays,
      reports: r.reports,
      sites: r.sites,
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------------------
// Sites
// ---------------------------------------------------------------------------------------------------------

export interface StoredSite {
  id: string;
  firstReportId: string;
  firstChannel: string;
  firstReceivedAt: string;
  lastReceivedAt: string;
  reportCount: number;
  channels: string[];
  lng: number;
  lat: number;
  compoundId: string | null;
  propertyCompanyId: string | null;
  subdistrictId: string | null;
  unitPath: string;
  verified: boolean;
  verifiedAt: string | null;
  builtAt: string;
}

export interface StoredMember {
  reportId: string;
  siteId: string;
  seq: number;
  channel: string;
  receivedAt: string;
  discoveredAt: string | null;
  propertyCompanyId: string | null;
  placeText: string | null;
  verifiedAt: string | null;
  links: Link[];
}

const siteRow = (s: StoredSite): Insertable<SiteTable> => ({
  id: s.id,
  first_report_id: s.firstReportId,
  first_channel: s.firstChannel,
  first_received_at: s.firstReceivedAt,
  last_received_at: s.lastReceivedAt,
  report_count: s.reportCount,
  channels: JSON.stringify(s.channels),
  lng: s.lng,
  lat: s.lat,
  compound_id: s.compoundId,
  property_company_id: s.propertyCompanyId,
  subdistrict_id: s.subdistrictId,
  unit_path: s.unitPath,
  verified: s.verified ? 1 : 0,
  verified_at: s.verifiedAt,
  built_at: s.builtAt,
});

const memberRow = (m: StoredMember): Insertable<SiteReportTable> => ({
  report_id: m.reportId,
  site_id: m.siteId,
  seq: m.seq,
  channel: m.channel,
  received_at: m.receivedAt,
  discovered_at: m.discoveredAt,
  property_company_id: m.propertyCompanyId,
  place_text: m.placeText,
  verified_at: m.verifiedAt,
  links: JSON.stringify(m.links),
});

/** Chunks small enough for SQLite's and PostgreSQL's bound-parameter limits (≤ 16 columns a row). */
const CHUNK = 500;

/** Replaces every site and membership with these (the caller's transaction makes it atomic). */
export async function replaceSites(
  db: Q,
  sites: readonly StoredSite[],
  members: readonly StoredMember[],
): Promise<void> {
  await db.deleteFrom('site_report').execute();
  await db.deleteFrom('site').execute();
  for (let i = 0; i < sites.length; i += CHUNK)
    await db
      .insertInto('site')
      .values(sites.slice(i, i + CHUNK).map(siteRow))
      .execute();
  for (let i = 0; i < members.length; i += CHUNK)
    await db
      .insertInto('site_report')
      .values(members.slice(i, i + CHUNK).map(memberRow))
      .execute();
}

type SiteRow = Selectable<SiteTable>;

const toSite = (r: SiteRow): StoredSite => ({
  id: r.id,
  firstReportId: r.first_report_id,
  firstChannel: r.first_channel,
  firstReceivedAt: r.first_received_at,
  lastReceivedAt: r.last_received_at,
  reportCount: Number(r.report_count),
  channels: JSON.parse(r.channels) as string[],
  lng: Number(r.lng),
  lat: Number(r.lat),
  compoundId: r.compound_id,
  propertyCompanyId: r.property_company_id,
  subdistrictId: r.subdistrict_id,
  unitPath: r.unit_path,
  verified: Number(r.verified) === 1,
  verifiedAt: r.verified_at,
  builtAt: r.built_at,
});

export interface SiteFilter {
  /** Only sites whose unit path starts with this (the actor's scope); undefined: all. */
  pathPrefix?: string;
  bbox?: { minLng: number; minLat: number; maxLng: number; maxLat: number };
  verified?: boolean;
  firstChannel?: string;
  /** Sites first reported in [from, to). */
  from?: string;
  to?: string;
  limit?: number;
}

/** Sites matching the filter, newest first. */
export async function findSites(db: Q, f: SiteFilter): Promise<StoredSite[]> {
  let q = db.selectFrom('site').selectAll();
  if (f.pathPrefix !== undefined) q = q.where('unit_path', 'like', `${f.pathPrefix}%`);
  if (f.bbox) {
    const b = f.bbox;
    q = q
      .where('lng', '>=', b.minLng)
      .where('lng', '<=', b.maxLng)
      .where('lat', '>=', b.minLat)
      .where('lat', '<=', b.maxLat);
  }
  if (f.verified !== undefined) q = q.where('verified', '=', f.verified ? 1 : 0);
  if (f.firstChannel !== undefined) q = q.where('first_channel', '=', f.firstChannel);
  if (f.from !== undefined) q = q.where('first_received_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('first_received_at', '<', f.to);
  q = q.orderBy('first_received_at', 'desc').orderBy('id', 'desc');
  if (f.limit !== undefined) q = q.limit(f.limit);
  return (await q.execute()).map(toSite);
}

export async function findSite(db: Q, id: string): Promise<StoredSite | null> {
  const r = await db.selectFrom('site').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toSite(r) : null;
}

/** The site a report belongs to; null when it is in none. */
export async function siteIdOfReport(db: Q, reportId: string): Promise<string | null> {
  const r = await db
    .selectFrom('site_report')
    .select('site_id')
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return r?.site_id ?? null;
}

/** Members of these sites, by site then seq. */
export async function membersOf(db: Q, siteIds: readonly string[]): Promise<StoredMember[]> {
  const out: StoredMember[] = [];
  for (let i = 0; i < siteIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('site_report')
      .selectAll()
      .where('site_id', 'in', siteIds.slice(i, i + CHUNK))
      .orderBy('site_id')
      .orderBy('seq')
      .execute();
    for (const r of rows)
      out.push({
        reportId: r.report_id,
        siteId: r.site_id,
        seq: Number(r.seq),
        channel: r.channel,
        receivedAt: r.received_at,
        discoveredAt: r.discovered_at,
        propertyCompanyId: r.property_company_id,
        placeText: r.place_text,
        verifiedAt: r.verified_at,
        links: JSON.parse(r.links) as Link[],
      });
  }
  return out;
}

/** What the site detail shows of each linked report, by report id. */
export interface ReportSummary {
  id: string;
  trackingCode: string;
  categoryKey: string | null;
  description: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  compoundId: string | null;
  caseId: string | null;
}

export async function reportSummaries(db: Q, ids: readonly string[]): Promise<Map<string, ReportSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('report')
    .select([
      'id',
      'tracking_code',
      'category_key',
      'description',
      'address',
      'lng',
      'lat',
      'compound_id',
      'case_id',
    ])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        trackingCode: r.tracking_code,
        categoryKey: r.category_key,
        description: r.description,
        address: r.address,
        lng: r.lng === null ? null : Number(r.lng),
        lat: r.lat === null ? null : Number(r.lat),
        compoundId: r.compound_id,
        caseId: r.case_id,
      },
    ]),
  );
}

/** Names of the groups discovery figures are given for. */
export async function groupNames(db: Q): Promise<Map<string, string>> {
  const [companies, compounds, units] = await Promise.all([
    db.selectFrom('property_company').select(['id', 'name']).execute(),
    db.selectFrom('compound').select(['id', 'name']).execute(),
    db.selectFrom('org_unit').select(['id', 'name']).where('kind', '=', 'subdistrict').execute(),
  ]);
  return new Map([...companies, ...compounds, ...units].map((r) => [r.id, r.name]));
}
