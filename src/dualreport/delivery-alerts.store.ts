/**
 * The delivery sweep's one read: deliveries with a deadline still unmet within the horizon, with the case
 * their report belongs to. The alerts themselves are written by the case alerts' store (case_alert).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../platform/db/database.js';
import type { DueDelivery } from './delivery-alerts.js';

type Q = Kysely<DB> | Transaction<DB>;

function dueQuery(db: Q) {
  return db
    .selectFrom('delivery as d')
    .innerJoin('report as r', 'r.id', 'd.report_id')
    .innerJoin('case_file as c', 'c.id', 'r.case_id')
    .select([
      'd.id',
      'd.receipt_code',
      'd.recipient',
      'd.unit_id',
      'd.delivered_at',
      'd.ack_deadline',
      'd.ack_basis',
      'd.acknowledged_at',
      'd.on_site_deadline',
      'd.on_site_basis',
      'd.on_site_at',
      'c.id as case_id',
      'c.code as case_code',
      'c.status as case_status',
    ]);
}

type DueRow = Awaited<ReturnType<ReturnType<typeof dueQuery>['execute']>>[number];

const toDueDelivery = (r: DueRow): DueDelivery => ({
  id: r.id,
  caseId: r.case_id,
  caseCode: r.case_code,
  caseStatus: r.case_status,
  receiptCode: r.receipt_code,
  recipient: r.recipient,
  unitId: r.unit_id,
  deliveredAt: r.delivered_at,
  ackDeadline: r.ack_deadline,
  ackBasis: r.ack_basis,
  acknowledgedAt: r.acknowledged_at,
  onSiteDeadline: r.on_site_deadline,
  onSiteBasis: r.on_site_basis,
  onSiteAt: r.on_site_at,
});

/**
 * One batch of deliveries not acknowledged by an acknowledgement deadline, or not on site by an on-site
 * deadline, at or before `horizon` and after `since`, whose case is active; in delivery id order after `after`. Instants are
 * UTC ISO text on both dialects, so comparing them as text compares the instants.
 */
export async function selectDueDeliveries(
  db: Q,
  f: { horizon: string; since: string; after: string | null; limit: number },
): Promise<{ deliveries: DueDelivery[]; next: string | null }> {
  let q = dueQuery(db)
    .where('c.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('d.acknowledged_at', 'is', null),
          eb('d.ack_deadline', '<=', f.horizon),
          eb('d.ack_deadline', '>', f.since),
        ]),
        eb.and([
          eb('d.on_site_at', 'is', null),
          eb('d.on_site_deadline', '<=', f.horizon),
          eb('d.on_site_deadline', '>', f.since),
        ]),
      ]),
    )
    .orderBy('d.id')
    .limit(f.limit);
  if (f.after !== null) q = q.where('d.id', '>', f.after);
  const rows = await q.execute();
  const last = rows.at(-1);
  return {
    deliveries: rows.map(toDueDelivery),
    next: last && rows.length === f.limit ? last.id : null,
  };
}

/**
 * The deliveries again inside the writing transaction, their rows locked on PostgreSQL (in id order, so two
 * sweeps never deadlock): an acknowledgement or arrival that commits meanwhile is seen, and none can slip
 * in before the alerts are written.
 */
export async function lockDeliveries(
  tx: Transaction<DB>,
  dialect: Dialect,
  ids: readonly string[],
): Promise<DueDelivery[]> {
  if (ids.length === 0) return [];
  let q = dueQuery(tx).where('d.id', 'in', ids).orderBy('d.id');
  if (dialect === 'postgres') q = q.forUpdate('d');
  return (await q.execute()).map(toDueDelivery);
}
