/** Every query of duty notices. Maps rows to plain objects. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { DutyNoticeTable } from './dual-report.tables.js';
import type { MissedRef } from './duty-notices.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface StoredDutyNotice {
  id: string;
  company: { id: string; name: string };
  unit: { id: string; name: string; path: string };
  missed: MissedRef[];
  note: string | null;
  issuedAt: string;
  issuedBy: string;
  deliveredAt: string | null;
  deliveredBy: string | null;
  reply: string | null;
  repliedAt: string | null;
  repliedBy: string | null;
}

export const insertDutyNotice = (tx: Q, row: Insertable<DutyNoticeTable>) =>
  tx.insertInto('duty_notice').values(row).execute();

const base = (db: Q) =>
  db
    .selectFrom('duty_notice as n')
    .innerJoin('property_company as pc', 'pc.id', 'n.company_id')
    .innerJoin('org_unit as u', 'u.id', 'n.unit_id')
    .selectAll('n')
    .select(['pc.name as company_name', 'u.name as unit_name']);

const toNotice = (r: DutyNoticeTable & { company_name: string; unit_name: string }): StoredDutyNotice => ({
  id: r.id,
  company: { id: r.company_id, name: r.company_name },
  unit: { id: r.unit_id, name: r.unit_name, path: r.unit_path },
  missed: JSON.parse(r.missed) as MissedRef[],
  note: r.note,
  issuedAt: r.issued_at,
  issuedBy: r.issued_by,
  deliveredAt: r.delivered_at,
  deliveredBy: r.delivered_by,
  reply: r.reply,
  repliedAt: r.replied_at,
  repliedBy: r.replied_by,
});

export async function findDutyNotice(db: Q, id: string): Promise<StoredDutyNotice | undefined> {
  const r = await base(db).where('n.id', '=', id).executeTakeFirst();
  return r && toNotice(r);
}

/** Notices newest first, by company, issuer scope and issue period. */
export async function listDutyNotices(
  db: Q,
  f: { companyId?: string; pathPrefix?: string; from?: string; to?: string; limit: number },
): Promise<StoredDutyNotice[]> {
  let q = base(db);
  if (f.companyId) q = q.where('n.company_id', '=', f.companyId);
  if (f.pathPrefix) q = q.where('n.unit_path', 'like', `${f.pathPrefix}%`);
  if (f.from) q = q.where('n.issued_at', '>=', f.from);
  if (f.to) q = q.where('n.issued_at', '<', f.to);
  const rows = await q.orderBy('n.issued_at', 'desc').orderBy('n.id', 'desc').limit(f.limit).execute();
  return rows.map(toNotice);
}

/** Sets the delivery once: false when it was already delivered. */
export async function setDelivered(tx: Q, id: string, at: string, by: string): Promise<boolean> {
  const r = await tx
    .updateTable('duty_notice')
    .set({ delivered_at: at, delivered_by: by })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets the company's reply once, after delivery: false otherwise. */
export async function setReply(tx: Q, id: string, reply: string, at: string, by: string): Promise<boolean> {
  const r = await tx
    .updateTable('duty_notice')
    .set({ reply, replied_at: at, replied_by: by })
    .where('id', '=', id)
    .where('delivered_at', 'is not', null)
    .where('replied_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
