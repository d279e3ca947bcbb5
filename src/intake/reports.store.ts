/**
 * Every query of reports, their minimal cases and idempotency records. Maps rows to the domain objects of
 * reports.ts; the service never sees a row type.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { insertRow } from '../platform/db/statements.js';
import type { CaseFileTable, IdempotencyRecordTable, ReportTable } from './intake.tables.js';
import { OPEN_CASE_STATUSES, type Box, type CaseCandidate, type Channel, type Cursor } from './reports.js';

type Q = Kysely<DB> | Transaction<DB>;

/** A unit as a report shows it. */
export interface UnitName {
  id: string;
  name: string;
  nameEn: string | null;
}

/** A category as a report shows it. */
export interface CategoryName {
  key: string;
  name: string;
  nameEn: string | null;
}

/** The case a report belongs to, as far as intake knows it. */
export interface CaseSummary {
  id: string;
  code: string;
  status: string;
  step: string;
  category: CategoryName | null;
  responsibleUnit: UnitName | null;
  unitPath: string | null;
  lng: number | null;
  lat: number | null;
  openedAt: string;
  version: number;
}

/** A stored report with the names it refers to and its case. */
export interface StoredReport {
  id: string;
  trackingCode: string;
  channel: string;
  sourceTicketId: string | null;
  category: CategoryName | null;
  description: string;
  location: { lng: number; lat: number } | null;
  source: { crs: string | null; lng: number | null; lat: number | null };
  accuracyM: number | null;
  address: string | null;
  compoundId: string | null;
  observedAt: string | null;
  receivedAt: string;
  reporterName: string | null;
  reporterPhone: string | null;
  anonymous: boolean;
  submittedBy: string | null;
  routing: unknown;
  responsibleUnit: UnitName | null;
  ruleId: string | null;
  triageUnit: UnitName | null;
  triageReason: string | null;
  unitPath: string;
  case: CaseSummary | null;
  extra: Record<string, unknown> | null;
}

/** True for a unique or primary-key violation on either dialect (SQLite constraint codes, PostgreSQL 23505). */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

// ---------------------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------------------

export async function insertCase(db: Q, row: Insertable<CaseFileTable>): Promise<void> {
  await db.insertInto('case_file').values(row).execute();
}

export async function insertReport(db: Q, row: ReportTable): Promise<void> {
  await insertRow(db, 'report', row); // every report: compiled once (statements.ts)
}

/** The one change a report ever sees: which case it belongs to (a dispatcher's split). */
export async function setReportCase(
  db: Q,
  reportId: string,
  fromCaseId: string,
  toCaseId: string,
): Promise<boolean> {
  const r = await db
    .updateTable('report')
    .set({ case_id: toCaseId })
    .where('id', '=', reportId)
    .where('case_id', '=', fromCaseId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Changes a case if it still has `version`; false when someone else changed it first. */
export async function updateCase(
  db: Q,
  id: string,
  version: number,
  patch: Partial<Pick<CaseFileTable, 'category_key' | 'responsible_unit_id' | 'unit_path' | 'updated_at'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('case_file')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------------------------------------
// Cases near a point
// ---------------------------------------------------------------------------------------------------------

/**
 * Open cases whose point lies in a box (the SQL prefilter; the exact distance is the caller's), optionally
 * of one category and opened since an instant. At most `limit`, the most recent first.
 */
export async function openCasesInBox(
  db: Q,
  box: Box,
  f: { categoryKey?: string; openedSince?: string; limit: number },
): Promise<CaseCandidate[]> {
  // Every report with a category runs this: written as one SQL text (no query building per call), which the
  // index case_file_near (category_key, lat, lng) answers.
  const rows = await sql<{
    id: string;
    code: string;
    category_key: string | null;
    lng: number | null;
    lat: number | null;
    opened_at: string;
    status: string;
    responsible_unit_id: string | null;
  }>`select "id", "code", "category_key", "lng", "lat", "opened_at", "status", "responsible_unit_id"
    from "case_file"
    where "status" in (${sql.join(OPEN_CASE_STATUSES)})
      and "lng" >= ${box.minLng} and "lng" <= ${box.maxLng}
      and "lat" >= ${box.minLat} and "lat" <= ${box.maxLat}
      ${f.categoryKey !== undefined ? sql`and "category_key" = ${f.categoryKey}` : sql``}
      ${f.openedSince !== undefined ? sql`and "opened_at" >= ${f.openedSince}` : sql``}
    order by "opened_at" desc, "id"
    limit ${f.limit}`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    code: r.code,
    categoryKey: r.category_key,
    lng: r.lng === null ? null : Number(r.lng),
    lat: r.lat === null ? null : Number(r.lat),
    openedAt: r.opened_at,
    status: r.status,
    responsibleUnitId: r.responsible_unit_id,
  }));
}

/** The number of reports of each of some cases. */
export async function reportCounts(db: Q, caseIds: readonly string[]): Promise<Map<string, number>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('report')
    .select(['case_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('case_id', 'in', caseIds)
    .groupBy('case_id')
    .execute();
  return new Map(rows.map((r) => [r.case_id as string, Number(r.n)]));
}

/** Category names for some keys (the directory is public reference data). */
export async function categoryNames(db: Q, keys: readonly string[]): Promise<Map<string, CategoryName>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('category')
    .select(['key', 'name', 'name_en'])
    .where('key', 'in', keys)
    .execute();
  return new Map(rows.map((r) => [r.key, { key: r.key, name: r.name, nameEn: r.name_en }]));
}

// ---------------------------------------------------------------------------------------------------------
// Reading reports
// ---------------------------------------------------------------------------------------------------------

const reportQuery = (db: Q) =>
  db
    .selectFrom('report as r')
    .leftJoin('case_file as c', 'c.id', 'r.case_id')
    .leftJoin('category as rc', 'rc.key', 'r.category_key')
    .leftJoin('category as cc', 'cc.key', 'c.category_key')
    .leftJoin('org_unit as ru', 'ru.id', 'r.responsible_unit_id')
    .leftJoin('org_unit as tu', 'tu.id', 'r.triage_unit_id')
    .leftJoin('org_unit as cu', 'cu.id', 'c.responsible_unit_id')
    .selectAll('r')
    .select([
      'rc.name as rc_name',
      'rc.name_en as rc_name_en',
      'ru.name as ru_name',
      'ru.name_en as ru_name_en',
      'tu.name as tu_name',
      'tu.name_en as tu_name_en',
      'c.code as c_code',
      'c.status as c_status',
      'c.step as c_step',
      'c.category_key as c_category_key',
      'cc.name as cc_name',
      'cc.name_en as cc_name_en',
      'c.responsible_unit_id as c_responsible_unit_id',
      'cu.name as cu_name',
      'cu.name_en as cu_name_en',
      'c.unit_path as c_unit_path',
      'c.lng as c_lng',
      'c.lat as c_lat',
      'c.opened_at as c_opened_at',
      'c.version as c_version',
    ]);

type ReportRow = ReportTable & {
  rc_name: string | null;
  rc_name_en: string | null;
  ru_name: string | null;
  ru_name_en: string | null;
  tu_name: string | null;
  tu_name_en: string | null;
  c_code: string | null;
  c_status: string | null;
  c_step: string | null;
  c_category_key: string | null;
  cc_name: string | null;
  cc_name_en: string | null;
  c_responsible_unit_id: string | null;
  cu_name: string | null;
  cu_name_en: string | null;
  c_unit_path: string | null;
  c_lng: number | null;
  c_lat: number | null;
  c_opened_at: string | null;
  c_version: number | null;
};

const unit = (id: string | null, name: string | null, nameEn: string | null): UnitName | null =>
  id === null ? null : { id, name: name ?? id, nameEn };
const category = (key: string | null, name: string | null, nameEn: string | null): CategoryName | null =>
  key === null ? null : { key, name: name ?? key, nameEn };
const num = (v: number | null) => (v === null ? null : Number(v));

function toReport(r: ReportRow): StoredReport {
  const lng = num(r.lng);
  const lat = num(r.lat);
  return {
    id: r.id,
    trackingCode: r.tracking_code,
    channel: r.channel,
    sourceTicketId: r.source_ticket_id,
    category: category(r.category_key, r.rc_name, r.rc_name_en),
    description: r.description,
    location: lng === null || lat === null ? null : { lng, lat },
    source: { crs: r.source_crs, lng: num(r.source_lng), lat: num(r.source_lat) },
    accuracyM: num(r.accuracy_m),
    address: r.address,
    compoundId: r.compound_id,
    observedAt: r.observed_at,
    receivedAt: r.received_at,
    reporterName: r.reporter_name,
    reporterPhone: r.reporter_phone,
    anonymous: r.anonymous === 1,
    submittedBy: r.submitted_by,
    routing: JSON.parse(r.routing) as unknown,
    responsibleUnit: unit(r.responsible_unit_id, r.ru_name, r.ru_name_en),
    ruleId: r.rule_id,
    triageUnit: unit(r.triage_unit_id, r.tu_name, r.tu_name_en),
    triageReason: r.triage_reason,
    unitPath: r.unit_path,
    case:
      r.case_id === null || r.c_code === null
        ? null
        : {
            id: r.case_id,
            code: r.c_code,
            status: r.c_status ?? 'active',
            step: r.c_step ?? 'collect',
            category: category(r.c_category_key, r.cc_name, r.cc_name_en),
            responsibleUnit: unit(r.c_responsible_unit_id, r.cu_name, r.cu_name_en),
            unitPath: r.c_unit_path,
            lng: num(r.c_lng),
            lat: num(r.c_lat),
            openedAt: r.c_opened_at ?? r.received_at,
            version: Number(r.c_version ?? 1),
          },
    extra: r.extra === null ? null : (JSON.parse(r.extra) as Record<string, unknown>),
  };
}

export async function findReport(db: Q, id: string): Promise<StoredReport | undefined> {
  const r = await reportQuery(db).where('r.id', '=', id).executeTakeFirst();
  return r && toReport(r);
}

export async function findReportByTrackingCode(db: Q, code: string): Promise<StoredReport | undefined> {
  const r = await reportQuery(db).where('r.tracking_code', '=', code).executeTakeFirst();
  return r && toReport(r);
}

export interface ReportFilter {
  /** Reports whose own unit path or whose case's unit path starts with this (absent: the whole district). */
  pathPrefix?: string;
  channel?: Channel;
  status?: 'triage' | 'open' | 'closed';
  /** Only reports routed to a triage queue at receipt. */
  triage?: boolean;
  unitId?: string;
  from?: string;
  to?: string;
  caseId?: string;
  after?: Cursor;
  limit: number;
}

/** Reports newest first (received time, then id), filtered. */
export async function listReports(db: Q, f: ReportFilter): Promise<StoredReport[]> {
  let q = reportQuery(db).orderBy('r.received_at', 'desc').orderBy('r.id', 'desc').limit(f.limit);
  const prefix = f.pathPrefix;
  if (prefix !== undefined)
    q = q.where((eb) =>
      eb.or([eb('r.unit_path', 'like', `${prefix}%`), eb('c.unit_path', 'like', `${prefix}%`)]),
    );
  if (f.channel) q = q.where('r.channel', '=', f.channel);
  const live = [...OPEN_CASE_STATUSES];
  if (f.status === 'triage') q = q.where('c.status', 'in', live).where('c.responsible_unit_id', 'is', null);
  if (f.status === 'open') q = q.where('c.status', 'in', live).where('c.responsible_unit_id', 'is not', null);
  if (f.status === 'closed') q = q.where('c.status', 'not in', live);
  if (f.triage === true) q = q.where('r.triage_unit_id', 'is not', null);
  if (f.triage === false) q = q.where('r.triage_unit_id', 'is', null);
  const unitId = f.unitId;
  if (unitId)
    q = q.where((eb) =>
      eb.or([
        eb('r.responsible_unit_id', '=', unitId),
        eb('r.triage_unit_id', '=', unitId),
        eb('c.responsible_unit_id', '=', unitId),
      ]),
    );
  if (f.from) q = q.where('r.received_at', '>=', f.from);
  if (f.to) q = q.where('r.received_at', '<', f.to);
  if (f.caseId) q = q.where('r.case_id', '=', f.caseId);
  const after = f.after;
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('r.received_at', '<', after.receivedAt),
        eb.and([eb('r.received_at', '=', after.receivedAt), eb('r.id', '<', after.id)]),
      ]),
    );
  return (await q.execute()).map(toReport);
}

/**
 * The triage queue: reports routed to a dispatcher at receipt whose case still has no responsible unit,
 * oldest first (first come, first decided).
 */
export async function listTriageQueue(
  db: Q,
  f: { pathPrefix?: string; limit: number },
): Promise<StoredReport[]> {
  let q = reportQuery(db)
    .where('r.triage_unit_id', 'is not', null)
    .where('c.status', 'in', [...OPEN_CASE_STATUSES])
    .where('c.responsible_unit_id', 'is', null)
    .orderBy('r.received_at')
    .orderBy('r.id')
    .limit(f.limit);
  if (f.pathPrefix !== undefined) q = q.where('r.unit_path', 'like', `${f.pathPrefix}%`);
  return (await q.execute()).map(toReport);
}

/** Ids of the reports of a case, oldest first. */
export async function reportIdsOfCase(db: Q, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('report')
    .select('id')
    .where('case_id', '=', caseId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Which of some source tickets of a channel are already stored. */
export async function existingTickets(
  db: Q,
  channel: string,
  ticketIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ticketIds.length; i += 500) {
    const rows = await db
      .selectFrom('report')
      .select('source_ticket_id')
      .where('channel', '=', channel)
      .where('source_ticket_id', 'in', ticketIds.slice(i, i + 500))
      .execute();
    for (const r of rows) if (r.source_ticket_id !== null) out.add(r.source_ticket_id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Idempotency records
// ---------------------------------------------------------------------------------------------------------

export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number;
  response: unknown;
}

export async function findIdempotencyRecord(
  db: Q,
  key: string,
  principal: string,
): Promise<IdempotencyRecord | undefined> {
  const r = await db
    .selectFrom('idempotency_record')
    .selectAll()
    .where('key', '=', key)
    .where('principal', '=', principal)
    .executeTakeFirst();
  return (
    r && {
      requestHash: r.request_hash,
      statusCode: Number(r.status_code),
      response: JSON.parse(r.response) as unknown,
    }
  );
}

/**
 * Claims a key for a principal inside the caller's transaction (a unique violation when another request
 * holds it: PostgreSQL makes a concurrent claimer wait for the holder's commit, then fail).
 */
export async function claimIdempotencyKey(
  db: Q,
  row: Omit<IdempotencyRecordTable, 'status_code' | 'response'>,
): Promise<void> {
  await db
    .insertInto('idempotency_record')
    .values({ ...row, status_code: 0, response: 'null' })
    .execute();
}

/** Records the answer of a claimed key, in the same transaction as the claim. */
export async function completeIdempotencyKey(
  db: Q,
  key: string,
  principal: string,
  statusCode: number,
  response: unknown,
): Promise<void> {
  await db
    .updateTable('idempotency_record')
    .set({ status_code: statusCode, response: JSON.stringify(response) })
    .where('key', '=', key)
    .where('principal', '=', principal)
    .execute();
}
