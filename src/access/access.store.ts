import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { ApiKeyTable, AppUserTable, UserSessionTable } from './access.tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export const findUserByUsername = (db: Q, username: string) =>
  db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();

export const findUserById = (db: Q, id: string) =>
  db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertUser(db: Q, row: AppUserTable): Promise<void> {
  await db.insertInto('app_user').values(row).execute();
}

export async function updateUser(
  db: Q,
  id: string,
  version: number,
  patch: Partial<Pick<AppUserTable, 'display_name' | 'password_hash' | 'role' | 'unit_id' | 'phone' | 'active' | 'updated_at'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('app_user')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Users with their unit's path, for listing inside a scope. */
export async function listUsersInScope(
  db: Q,
  f: { pathPrefix?: string; q?: string; role?: string; unitId?: string; limit: number; includeInactive?: boolean },
) {
  let q = db
    .selectFrom('app_user as u')
    .innerJoin('org_unit as o', 'o.id', 'u.unit_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.unit_id',
      'u.phone',
      'u.active',
      'u.version',
      'o.name as unit_name',
      'o.code as unit_code',
      'o.kind as unit_kind',
      'o.path as unit_path',
    ])
    .orderBy('u.username')
    .limit(f.limit);
  if (f.pathPrefix) q = q.where('o.path', 'like', `${f.pathPrefix}%`);
  if (f.role) q = q.where('u.role', '=', f.role);
  if (f.unitId) q = q.where('u.unit_id', '=', f.unitId);
  if (f.q) q = q.where((eb) => eb.or([eb('u.username', 'like', `%${f.q}%`), eb('u.display_name', 'like', `%${f.q}%`)]));
  if (!f.includeInactive) q = q.where('u.active', '=', 1);
  return q.execute();
}

export async function countUsers(db: Q): Promise<number> {
  const r = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertSession(db: Q, row: UserSessionTable): Promise<void> {
  await db.insertInto('user_session').values(row).execute();
}

export const findSession = (db: Q, id: string) =>
  db.selectFrom('user_session').selectAll().where('id', '=', id).executeTakeFirst();

export async function deleteSession(db: Q, id: string): Promise<number> {
  const r = await db.deleteFrom('user_session').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteSessionsOfUser(db: Q, userId: string): Promise<number> {
  const r = await db.deleteFrom('user_session').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: Q, nowIso: string): Promise<number> {
  const r = await db.deleteFrom('user_session').where('expires_at', '<', nowIso).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertApiKey(db: Q, row: ApiKeyTable): Promise<void> {
  await db.insertInto('api_key').values(row).execute();
}

export const findApiKeyByPrefix = (db: Q, prefix: string) =>
  db.selectFrom('api_key').selectAll().where('prefix', '=', prefix).executeTakeFirst();

export const findApiKeyById = (db: Q, id: string) =>
  db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst();

export async function revokeApiKey(db: Q, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('api_key').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const listApiKeys = (db: Q) =>
  db.selectFrom('api_key').select(['id', 'name', 'prefix', 'unit_id', 'permissions', 'created_at', 'revoked_at', 'last_used_at']).orderBy('created_at').execute();

/** The session, its user and the user's unit in one query: every authenticated request runs it. */
export const findSessionWithUser = (db: Q, sessionId: string) =>
  db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .innerJoin('org_unit as o', 'o.id', 'u.unit_id')
    .select([
      's.id as session_id',
      's.csrf_token',
      's.expires_at',
      'u.id as user_id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.active',
      'u.unit_id',
      'o.path as unit_path',
      'o.code as unit_code',
      'o.name as unit_name',
      'o.name_en as unit_name_en',
      'o.kind as unit_kind',
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();

export const findApiKeyWithUnit = (db: Q, prefix: string) =>
  db
    .selectFrom('api_key as k')
    .innerJoin('org_unit as o', 'o.id', 'k.unit_id')
    .select(['k.id', 'k.name', 'k.key_hash', 'k.permissions', 'k.revoked_at', 'k.unit_id', 'o.path as unit_path'])
    .where('k.prefix', '=', prefix)
    .executeTakeFirst();

/** A user with its unit's kind and path: what an actor is built from. */
export const findUserWithUnit = (db: Q, userId: string) =>
  db
    .selectFrom('app_user as u')
    .innerJoin('org_unit as o', 'o.id', 'u.unit_id')
    .select(['u.id', 'u.display_name', 'u.role', 'u.unit_id', 'o.path', 'o.kind'])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();

export async function countExpiredSessions(db: Q, nowIso: string): Promise<number> {
  const r = await db.selectFrom('user_session').select((eb) => eb.fn.countAll<number>().as('n')).where('expires_at', '<', nowIso).executeTakeFirstOrThrow();
  return Number(r.n);
}
