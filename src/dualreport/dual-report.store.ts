/**
 * Every query of dual reports and their deliveries, and the registry look-ups they need (the user's company,
 * the compound's squad, the 拆违办). Maps rows to plain objects; the service never sees a row type.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { DeliveryTable, DualReportTable } from './dual-report.tables.js';
import type { DissuasionRecord, Recipient } from './dual-report.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface UnitRef {
  id: string;
  path: string;
  name: string;
}

/** The active property company whose org unit this is: a company user's unit binds the user to it. */
export async function companyOfUnit(
  db: Q,
  unitId: string,
): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('property_company')
    .select(['id', 'name'])
    .where('unit_id', '=', unitId)
    .where('active', '=', 1)
    .executeTakeFirst();
}

/** The active squad of the subdistrict that is one of these ancestor units (a compound's community path). */
export async function squadOfAncestors(db: Q, ancestorIds: readonly string[]): Promise<UnitRef | undefined> {
  if (ancestorIds.length === 0) return undefined;
  return db
    .selectFrom('org_unit as sub')
    .innerJoin('org_unit as squad', 'squad.parent_id', 'sub.id')
    .select(['squad.id', 'squad.path', 'squad.name'])
    .where('sub.id', 'in', [...ancestorIds])
    .where('sub.kind', '=', 'subdistrict')
    .where('squad.kind', '=', 'squad')
    .where('squad.active', '=', 1)
    .orderBy('squad.code')
    .executeTakeFirst();
}

/** The unit of the district's active department of this kind (拆违办: illegalConstructionOffice; 房管: housing). */
export async function departmentUnit(db: Q, kind: string): Promise<UnitRef | undefined> {
  return db
    .selectFrom('department as d')
    .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
    .select(['u.id', 'u.path', 'u.name'])
    .where('d.kind', '=', kind)
    .where('d.active', '=', 1)
    .orderBy('d.created_at')
    .executeTakeFirst();
}

export const insertDualReport = (tx: Q, row: Insertable<DualReportTable>) =>
  tx.insertInto('dual_report').values(row).execute();

export const insertDelivery = (tx: Q, row: Insertable<DeliveryTable>) =>
  tx.insertInto('delivery').values(row).execute();

export interface StoredDelivery {
  id: string;
  reportId: string;
  recipient: Recipient;
  unit: { id: string; name: string; path: string };
  receiptCode: string;
  deliveredAt: string;
  ackDeadline: { due: string; basis: string };
  onSiteDeadline: { due: string; basis: string };
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  onSiteAt: string | null;
  onSiteBy: string | null;
}

const deliveryQuery = (db: Q) =>
  db
    .selectFrom('delivery as d')
    .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
    .selectAll('d')
    .select(['u.name as unit_name']);

type DeliveryRow = DeliveryTable & { unit_name: string };

const toDelivery = (r: DeliveryRow): StoredDelivery => ({
  id: r.id,
  reportId: r.report_id,
  recipient: r.recipient as Recipient,
  unit: { id: r.unit_id, name: r.unit_name, path: r.unit_path },
  receiptCode: r.receipt_code,
  deliveredAt: r.delivered_at,
  ackDeadline: { due: r.ack_deadline, basis: r.ack_basis },
  onSiteDeadline: { due: r.on_site_deadline, basis: r.on_site_basis },
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  onSiteAt: r.on_site_at,
  onSiteBy: r.on_site_by,
});

export async function findDelivery(db: Q, id: string): Promise<StoredDelivery | undefined> {
  const r = await deliveryQuery(db).where('d.id', '=', id).executeTakeFirst();
  return r && toDelivery(r);
}

export async function deliveriesOf(db: Q, reportIds: readonly string[]): Promise<StoredDelivery[]> {
  if (reportIds.length === 0) return [];
  const rows = await deliveryQuery(db)
    .where('d.report_id', 'in', [...reportIds])
    .orderBy('d.recipient')
    .execute();
  return rows.map(toDelivery);
}

/** Sets the acknowledgement once: false when it was already set (a second acknowledgement). */
export async function setAcknowledged(tx: Q, id: string, at: string, by: string): Promise<boolean> {
  const r = await tx
    .updateTable('delivery')
    .set({ acknowledged_at: at, acknowledged_by: by })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets the on-site arrival once, after the acknowledgement: false otherwise. */
export async function setOnSite(tx: Q, id: string, at: string, by: string): Promise<boolean> {
  const r = await tx
    .updateTable('delivery')
    .set({ on_site_at: at, on_site_by: by })
    .where('id', '=', id)
    .where('on_site_at', 'is', null)
    .where('acknowledged_at', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface StoredDualReport {
  reportId: string;
  trackingCode: string;
  company: { id: string; name: string };
  compound: { id: string; name: string };
  place: { building: string | null; unit: string | null; room: string | null };
  categoryKey: string | null;
  description: string;
  location: { lng: number; lat: number } | null;
  discoveredAt: string;
  reportedAt: string;
  underWay: boolean;
  dissuasion: DissuasionRecord | null;
  noDissuasionReason: string | null;
  lagMinutes: number;
  late: boolean;
  case: { id: string; code: string; status: string; step: string } | null;
}

export interface DualReportFilter {
  companyId?: string;
  /** Only reports with a delivery to a unit under this path (a recipient's scope). */
  recipientPathPrefix?: string;
  compoundId?: string;
  from?: string;
  to?: string;
  late?: boolean;
  limit: number;
}

const reportQuery = (db: Q) =>
  db
    .selectFrom('dual_report as dr')
    .innerJoin('report as r', 'r.id', 'dr.report_id')
    .innerJoin('property_company as pc', 'pc.id', 'dr.company_id')
    .innerJoin('compound as c', 'c.id', 'dr.compound_id')
    .leftJoin('case_file as cf', 'cf.id', 'r.case_id')
    .selectAll('dr')
    .select([
      'r.tracking_code',
      'r.category_key',
      'r.description',
      'r.lng',
      'r.lat',
      'pc.name as company_name',
      'c.name as compound_name',
      'cf.id as case_id',
      'cf.code as case_code',
      'cf.status as case_status',
      'cf.step as case_step',
    ]);

type ReportRow = DualReportTable & {
  tracking_code: string;
  category_key: string | null;
  description: string;
  lng: number | null;
  lat: number | null;
  company_name: string;
  compound_name: string;
  case_id: string | null;
  case_code: string | null;
  case_status: string | null;
  case_step: string | null;
};

const toReport = (r: ReportRow): StoredDualReport => ({
  reportId: r.report_id,
  trackingCode: r.tracking_code,
  company: { id: r.company_id, name: r.company_name },
  compound: { id: r.compound_id, name: r.compound_name },
  place: { building: r.building, unit: r.unit, room: r.room },
  categoryKey: r.category_key,
  description: r.description,
  location: r.lng === null || r.lat === null ? null : { lng: Number(r.lng), lat: Number(r.lat) },
  discoveredAt: r.discovered_at,
  reportedAt: r.reported_at,
  underWay: r.under_way === 1,
  dissuasion: r.dissuasion === null ? null : (JSON.parse(r.dissuasion) as DissuasionRecord),
  noDissuasionReason: r.no_dissuasion_reason,
  lagMinutes: Number(r.lag_minutes),
  late: r.late === 1,
  case:
    r.case_id && r.case_code && r.case_status && r.case_step
      ? { id: r.case_id, code: r.case_code, status: r.case_status, step: r.case_step }
      : null,
});

export async function findDualReport(db: Q, reportId: string): Promise<StoredDualReport | undefined> {
  const r = await reportQuery(db).where('dr.report_id', '=', reportId).executeTakeFirst();
  return r && toReport(r);
}

/** Dual reports newest first, by company, recipient scope, compound, period and late flag. */
export async function listDualReports(db: Q, f: DualReportFilter): Promise<StoredDualReport[]> {
  let q = reportQuery(db);
  if (f.companyId) q = q.where('dr.company_id', '=', f.companyId);
  if (f.compoundId) q = q.where('dr.compound_id', '=', f.compoundId);
  if (f.from) q = q.where('dr.reported_at', '>=', f.from);
  if (f.to) q = q.where('dr.reported_at', '<', f.to);
  if (f.late !== undefined) q = q.where('dr.late', '=', f.late ? 1 : 0);
  const prefix = f.recipientPathPrefix;
  if (prefix !== undefined)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('delivery as d')
          .select('d.id')
          .whereRef('d.report_id', '=', 'dr.report_id')
          .where('d.unit_path', 'like', `${prefix}%`),
      ),
    );
  const rows = await q
    .orderBy('dr.reported_at', 'desc')
    .orderBy('dr.report_id', 'desc')
    .limit(f.limit)
    .execute();
  return rows.map(toReport);
}

/** Counts of a company's dual reports in a period: all and late (for the duty score). */
export async function dualReportCounts(
  db: Q,
  companyId: string,
  from: string,
  to: string,
): Promise<{ reports: number; late: number }> {
  const r = await db
    .selectFrom('dual_report')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('late').as('late')])
    .where('company_id', '=', companyId)
    .where('reported_at', '>=', from)
    .where('reported_at', '<', to)
    .executeTakeFirstOrThrow();
  return { reports: Number(r.n), late: Number(r.late ?? 0) };
}
