/** Every query of patrol plans, patrol records and the compounds they covered. */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { DB } from '../schema.js';
import type { PatrolPlanTable, PatrolRecordTable } from '../dualreport/dual-report.tables.js';
import type { LineStringGeometry, PatrolPlanFields, PolygonGeometry } from './patrols.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface StoredPlan extends PatrolPlanFields {
  id: string;
  unitId: string;
  unitPath: string;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const toPlan = (r: PatrolPlanTable): StoredPlan => ({
  id: r.id,
  unitId: r.unit_id,
  unitPath: r.unit_path,
  name: r.name,
  officerIds: JSON.parse(r.officer_ids) as string[],
  compoundIds: JSON.parse(r.compound_ids) as string[],
  area: r.area === null ? null : (JSON.parse(r.area) as PolygonGeometry),
  weekdays: JSON.parse(r.weekdays) as number[],
  startTime: r.start_time,
  endTime: r.end_time,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  active: r.active === 1,
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The plan's fields as columns. */
export const planColumns = (f: PatrolPlanFields) => ({
  name: f.name.trim(),
  officer_ids: JSON.stringify(f.officerIds),
  compound_ids: JSON.stringify(f.compoundIds),
  area: f.area === null ? null : JSON.stringify(f.area),
  weekdays: JSON.stringify(f.weekdays),
  start_time: f.startTime,
  end_time: f.endTime,
  valid_from: f.validFrom,
  valid_to: f.validTo,
});

export const insertPlan = (tx: Q, row: Insertable<PatrolPlanTable>) =>
  tx.insertInto('patrol_plan').values(row).execute();

export async function findPlan(db: Q, id: string): Promise<StoredPlan | undefined> {
  const r = await db.selectFrom('patrol_plan').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toPlan(r);
}

export async function listPlans(
  db: Q,
  f: { pathPrefix?: string; active?: boolean; limit: number },
): Promise<StoredPlan[]> {
  let q = db.selectFrom('patrol_plan').selectAll();
  if (f.pathPrefix) q = q.where('unit_path', 'like', `${f.pathPrefix}%`);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  return (await q.orderBy('name').orderBy('id').limit(f.limit).execute()).map(toPlan);
}

/** Optimistic update: false when the version moved. */
export async function updatePlan(
  tx: Q,
  id: string,
  version: number,
  set: Updateable<PatrolPlanTable>,
): Promise<boolean> {
  const r = await tx
    .updateTable('patrol_plan')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The ids among these that are active users (a plan's officers). */
export async function activeUserIds(db: Q, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('app_user')
    .select('id')
    .where('id', 'in', [...ids])
    .where('active', '=', 1)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export interface StoredRecord {
  id: string;
  planId: string | null;
  officerId: string;
  unitId: string;
  unitPath: string;
  startedAt: string;
  endedAt: string | null;
  track: LineStringGeometry | null;
  findings: string[];
  coveredCompoundIds: string[];
}

export const insertRecord = (tx: Q, row: Insertable<PatrolRecordTable>) =>
  tx.insertInto('patrol_record').values(row).execute();

async function covered(db: Q, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('patrol_covered')
    .select(['record_id', 'compound_id'])
    .where('record_id', 'in', [...ids])
    .orderBy('compound_id')
    .execute();
  for (const r of rows) out.set(r.record_id, [...(out.get(r.record_id) ?? []), r.compound_id]);
  return out;
}

const toRecord = (r: PatrolRecordTable, cov: Map<string, string[]>): StoredRecord => ({
  id: r.id,
  planId: r.plan_id,
  officerId: r.officer_id,
  unitId: r.unit_id,
  unitPath: r.unit_path,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  track: r.track === null ? null : (JSON.parse(r.track) as LineStringGeometry),
  findings: JSON.parse(r.findings) as string[],
  coveredCompoundIds: cov.get(r.id) ?? [],
});

export async function findRecord(db: Q, id: string): Promise<StoredRecord | undefined> {
  const r = await db.selectFrom('patrol_record').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toRecord(r, await covered(db, [r.id]));
}

export async function listRecords(
  db: Q,
  f: { pathPrefix?: string; from?: string; to?: string; limit: number },
): Promise<StoredRecord[]> {
  let q = db.selectFrom('patrol_record').selectAll();
  if (f.pathPrefix) q = q.where('unit_path', 'like', `${f.pathPrefix}%`);
  if (f.from) q = q.where('started_at', '>=', f.from);
  if (f.to) q = q.where('started_at', '<', f.to);
  const rows = await q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  const cov = await covered(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toRecord(r, cov));
}

/** Finishes an open record once, with the ground it covered: false when it was already finished. */
export async function finishRecord(
  tx: Q,
  r: { id: string; startedAt: string },
  set: { endedAt: string; track: LineStringGeometry | null; findings: string[]; compoundIds: string[] },
): Promise<boolean> {
  const u = await tx
    .updateTable('patrol_record')
    .set({
      ended_at: set.endedAt,
      track: set.track && JSON.stringify(set.track),
      findings: JSON.stringify(set.findings),
    })
    .where('id', '=', r.id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (Number(u.numUpdatedRows) !== 1) return false;
  if (set.compoundIds.length > 0)
    await tx
      .insertInto('patrol_covered')
      .values(set.compoundIds.map((c) => ({ record_id: r.id, compound_id: c, started_at: r.startedAt })))
      .execute();
  return true;
}

/** Per compound: finished patrols that covered it with a start in [from, to), and the latest start. */
export async function coverageCounts(
  db: Q,
  from: string,
  to: string,
): Promise<Map<string, { patrols: number; lastAt: string }>> {
  const rows = await db
    .selectFrom('patrol_covered')
    .select((eb) => ['compound_id', eb.fn.countAll<number>().as('n'), eb.fn.max('started_at').as('last')])
    .where('started_at', '>=', from)
    .where('started_at', '<', to)
    .groupBy('compound_id')
    .execute();
  return new Map(rows.map((r) => [r.compound_id, { patrols: Number(r.n), lastAt: String(r.last) }]));
}
