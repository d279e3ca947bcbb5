import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { OrgUnitTable } from './registry.tables.js';
import { isOrgUnitKind, type OrgUnit } from './org-units.js';

type Q = Kysely<DB> | Transaction<DB>;

export const toOrgUnit = (r: OrgUnitTable): OrgUnit => ({
  id: r.id,
  parentId: r.parent_id,
  kind: isOrgUnitKind(r.kind) ? r.kind : 'bureau',
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  path: r.path,
  active: r.active === 1,
  version: r.version,
});

export async function findOrgUnit(db: Q, id: string): Promise<OrgUnit | undefined> {
  const r = await db.selectFrom('org_unit').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toOrgUnit(r);
}

export async function findOrgUnitsByIds(db: Q, ids: readonly string[]): Promise<Map<string, OrgUnit>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('org_unit').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, toOrgUnit(r)]));
}

export async function findOrgUnitByCode(db: Q, kind: string, code: string): Promise<OrgUnit | undefined> {
  const r = await db.selectFrom('org_unit').selectAll().where('kind', '=', kind).where('code', '=', code).executeTakeFirst();
  return r && toOrgUnit(r);
}

export async function insertOrgUnit(db: Q, row: OrgUnitTable): Promise<void> {
  await db.insertInto('org_unit').values(row).execute();
}

export async function listOrgUnits(
  db: Q,
  f: { pathPrefix?: string; kind?: string; q?: string; parentId?: string; includeInactive?: boolean; limit: number },
): Promise<OrgUnit[]> {
  let q = db.selectFrom('org_unit').selectAll().orderBy('path').limit(f.limit);
  if (f.pathPrefix) q = q.where('path', 'like', `${f.pathPrefix}%`);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.parentId) q = q.where('parent_id', '=', f.parentId);
  if (f.q) q = q.where((eb) => eb.or([eb('name', 'like', `%${f.q}%`), eb('code', 'like', `${f.q}%`)]));
  if (!f.includeInactive) q = q.where('active', '=', 1);
  return (await q.execute()).map(toOrgUnit);
}

export async function countOrgUnits(db: Q): Promise<number> {
  const r = await db.selectFrom('org_unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Optimistic update: applies only when the row still has `version`; answers whether it did. */
export async function updateOrgUnitRow(
  db: Q,
  id: string,
  version: number,
  patch: Partial<Pick<OrgUnitTable, 'name' | 'name_en' | 'code' | 'active' | 'updated_at'>>,
): Promise<boolean> {
  const r = await db.updateTable('org_unit').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Active units directly below a unit, and active users in it: what a deactivation would orphan. */
export async function activeDependents(db: Q, id: string): Promise<{ units: number; users: number }> {
  const units = await db.selectFrom('org_unit').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', '=', id).where('active', '=', 1).executeTakeFirstOrThrow();
  const users = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).where('unit_id', '=', id).where('active', '=', 1).executeTakeFirstOrThrow();
  return { units: Number(units.n), users: Number(users.n) };
}
