/**
 * Read-only queries for the Open311 listings. Intake's service answers reports by internal id and pages
 * them 500 at a time without category, tracking-code or "updated since" filters, which GET requests,
 * GET requests/{id} and GET servicerequestupdates need; so this file reads the report and case_file
 * tables itself — read-only, and only the public columns (never the reporter's name or phone). It never
 * writes: every report comes in through intake's submitReport.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Open311Status } from './open311.js';

type Q = Kysely<DB>;

/** A report as Open311 may show it. */
export interface PublicReport {
  id: string;
  trackingCode: string;
  channel: string;
  categoryKey: string | null;
  category: { name: string; nameEn: string | null } | null;
  description: string;
  lng: number | null;
  lat: number | null;
  address: string | null;
  compoundId: string | null;
  receivedAt: string;
  /** Every layer's cell at receipt (intake's stored Resolution); used to name the place. */
  routing: string;
  responsibleUnit: { name: string; nameEn: string | null } | null;
  triageUnit: { name: string; nameEn: string | null } | null;
  extra: string | null;
  case: {
    code: string;
    status: string;
    closedAt: string | null;
    updatedAt: string;
    version: number;
    responsibleUnitId: string | null;
  } | null;
  /** The first photo's id, for media_url. */
  photoId: string | null;
}

export interface PublicReportFilter {
  channels: readonly string[];
  trackingCodes?: readonly string[];
  categoryKeys?: readonly string[];
  statuses?: readonly Open311Status[];
  /** received_at in [from, to]. */
  receivedFrom?: string;
  receivedTo?: string;
  /** case_file.updated_at in [from, to] (servicerequestupdates). */
  caseUpdatedFrom?: string;
  caseUpdatedTo?: string;
  limit: number;
}

const query = (db: Q) =>
  db
    .selectFrom('report as r')
    .leftJoin('case_file as c', 'c.id', 'r.case_id')
    .leftJoin('category as k', (j) =>
      j.on((eb) => eb('k.key', '=', eb.fn.coalesce('c.category_key', 'r.category_key'))),
    )
    .leftJoin('org_unit as cu', 'cu.id', 'c.responsible_unit_id')
    .leftJoin('org_unit as tu', 'tu.id', 'r.triage_unit_id')
    .select([
      'r.id',
      'r.tracking_code',
      'r.channel',
      'r.description',
      'r.lng',
      'r.lat',
      'r.address',
      'r.compound_id',
      'r.received_at',
      'r.routing',
      'r.extra',
      'k.key as category_key',
      'k.name as category_name',
      'k.name_en as category_name_en',
      'c.code as case_code',
      'c.status as case_status',
      'c.closed_at as case_closed_at',
      'c.updated_at as case_updated_at',
      'c.version as case_version',
      'c.responsible_unit_id as case_unit_id',
      'cu.name as case_unit_name',
      'cu.name_en as case_unit_name_en',
      'tu.name as triage_unit_name',
      'tu.name_en as triage_unit_name_en',
    ])
    .select((eb) =>
      eb
        .selectFrom('attachment as a')
        .select('a.id')
        .whereRef('a.report_id', '=', 'r.id')
        .orderBy('a.created_at')
        .orderBy('a.id')
        .limit(1)
        .as('photo_id'),
    );

/** Reports matching the filter, newest first (received time, then id). */
export async function listPublicReports(
  db: Q,
  f: PublicReportFilter,
  terminal: readonly string[],
): Promise<PublicReport[]> {
  let q = query(db).where('r.channel', 'in', [...f.channels]);
  if (f.trackingCodes)
    q = q.where('r.tracking_code', 'in', f.trackingCodes.length > 0 ? [...f.trackingCodes] : ['']);
  if (f.categoryKeys && f.categoryKeys.length > 0) {
    const keys = [...f.categoryKeys];
    q = q.where((eb) => eb.fn.coalesce('c.category_key', 'r.category_key'), 'in', keys);
  }
  if (f.statuses && f.statuses.length === 1) {
    const states = [...terminal];
    q =
      f.statuses[0] === 'closed'
        ? q.where((eb) => eb.or([eb('c.closed_at', 'is not', null), eb('c.status', 'in', states)]))
        : q.where((eb) =>
            eb.or([
              eb('c.id', 'is', null),
              eb.and([eb('c.closed_at', 'is', null), eb('c.status', 'not in', states)]),
            ]),
          );
  }
  if (f.receivedFrom) q = q.where('r.received_at', '>=', f.receivedFrom);
  if (f.receivedTo) q = q.where('r.received_at', '<=', f.receivedTo);
  if (f.caseUpdatedFrom) q = q.where('c.updated_at', '>=', f.caseUpdatedFrom);
  if (f.caseUpdatedTo) q = q.where('c.updated_at', '<=', f.caseUpdatedTo);
  const rows = await q.orderBy('r.received_at', 'desc').orderBy('r.id', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    trackingCode: r.tracking_code,
    channel: r.channel,
    categoryKey: r.category_key,
    category:
      r.category_key === null || r.category_name === null
        ? null
        : { name: r.category_name, nameEn: r.category_name_en },
    description: r.description,
    lng: r.lng === null ? null : Number(r.lng),
    lat: r.lat === null ? null : Number(r.lat),
    address: r.address,
    compoundId: r.compound_id,
    receivedAt: r.received_at,
    routing: r.routing,
    responsibleUnit:
      r.case_unit_id === null || r.case_unit_name === null
        ? null
        : { name: r.case_unit_name, nameEn: r.case_unit_name_en },
    triageUnit:
      r.triage_unit_name === null ? null : { name: r.triage_unit_name, nameEn: r.triage_unit_name_en },
    extra: r.extra,
    case:
      r.case_code === null
        ? null
        : {
            code: r.case_code,
            status: r.case_status ?? 'active',
            closedAt: r.case_closed_at,
            updatedAt: r.case_updated_at ?? r.received_at,
            version: Number(r.case_version ?? 1),
            responsibleUnitId: r.case_unit_id,
          },
    photoId: (r.photo_id as string | null) ?? null,
  }));
}
