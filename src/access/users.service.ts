import type { Deps } from '../deps.js';
import { findOrgUnit } from '../registry/org-units.store.js';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { audited, type ActionContext } from './audit.service.js';
import {
  deleteSessionsOfUser,
  findApiKeyById,
  findApiKeyByPrefix,
  findUserById,
  findUserByUsername,
  insertApiKey,
  insertUser,
  listApiKeys,
  listUsersInScope,
  revokeApiKey,
  updateUser,
} from './access.store.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { can, inScope, isPermission, type Actor, type Permission, type Role } from './roles.js';
import { newApiKey, sha256Hex } from './tokens.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  unit: { id: string; name: string; code: string; kind: string };
  phone: string | null;
  active: boolean;
  version: number;
}

/** Phone numbers are shown masked in every listing: 138****5678. */
export const maskPhone = (p: string | null): string | null =>
  p === null ? null : p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****';

/** A login name: a lower-case letter, then 2-39 lower-case letters, digits or _ . - */
export const USERNAME = /^[a-z][a-z0-9_.-]{2,39}$/;

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  unitId: string;
  phone?: string | null;
}

/** Creates a staff user in a unit inside the actor's scope; audited. The password is hashed with argon2id. */
export async function createUser(deps: Deps, ctx: ActionContext, input: NewUser): Promise<UserView> {
  if (!can(ctx.actor, 'users:manage')) throw forbidden();
  if (!USERNAME.test(input.username)) throw invalid('usernameFormat', { field: 'username' });
  const problem = passwordProblem(input.password);
  if (problem) throw invalid(problem, { field: 'password' });
  const passwordHash = await hashPassword(input.password, deps.config.argon2);
  return audited(deps, ctx, async (tx, audit) => {
    const unit = await findOrgUnit(tx, input.unitId);
    if (!unit || !inScope(ctx.actor, unit.path)) throw notFound('orgUnit', input.unitId);
    if (await findUserByUsername(tx, input.username)) throw conflict('usernameTaken', { field: 'username' });
    const id = newId();
    const now = deps.clock().toISOString();
    await insertUser(tx, {
      id,
      username: input.username,
      display_name: input.displayName,
      password_hash: passwordHash,
      role: input.role,
      unit_id: unit.id,
      phone: input.phone ?? null,
      active: 1,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    await audit({ action: 'user.create', entity: 'user', entityId: id, after: { username: input.username, role: input.role, unitId: unit.id } });
    return {
      id,
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      unit: { id: unit.id, name: unit.name, code: unit.code, kind: unit.kind },
      phone: maskPhone(input.phone ?? null),
      active: true,
      version: 1,
    };
  });
}

/** Users the actor may see (its unit and below, or the district), phones masked. */
export async function listUsers(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  f: { q?: string; role?: string; unitId?: string; limit?: number; includeInactive?: boolean },
): Promise<UserView[]> {
  if (!can(actor, 'users:manage') && !can(actor, 'registry:read')) throw forbidden();
  const rows = await listUsersInScope(deps.database.db, {
    ...f,
    ...(can(actor, 'scope:district') ? {} : { pathPrefix: actor.unitPath }),
    limit: Math.min(f.limit ?? 100, 1000),
  });
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    unit: { id: r.unit_id, name: r.unit_name, code: r.unit_code, kind: r.unit_kind },
    phone: maskPhone(r.phone),
    active: r.active === 1,
    version: r.version,
  }));
}

async function userInScope(deps: Deps, actor: Actor, tx: Parameters<typeof findUserById>[0], idOrUsername: string) {
  const user = (await findUserById(tx, idOrUsername)) ?? (await findUserByUsername(tx, idOrUsername));
  const unit = user && (await findOrgUnit(tx, user.unit_id));
  if (!user || !unit || !inScope(actor, unit.path)) throw notFound('user', idOrUsername);
  return user;
}

/** Sets a new password and ends the user's sessions; audited (the hash itself never enters the log). */
export async function resetPassword(deps: Deps, ctx: ActionContext, idOrUsername: string, password: string): Promise<void> {
  if (!can(ctx.actor, 'users:manage')) throw forbidden();
  const problem = passwordProblem(password);
  if (problem) throw invalid(problem, { field: 'password' });
  const passwordHash = await hashPassword(password, deps.config.argon2);
  await audited(deps, ctx, async (tx, audit) => {
    const user = await userInScope(deps, ctx.actor, tx, idOrUsername);
    const ok = await updateUser(tx, user.id, user.version, { password_hash: passwordHash, updated_at: deps.clock().toISOString() });
    if (!ok) throw conflict('versionConflict', { entity: 'user' });
    await deleteSessionsOfUser(tx, user.id);
    await audit({ action: 'user.resetPassword', entity: 'user', entityId: user.id });
  });
}

/** Deactivates (never deletes) a user and ends its sessions. */
export async function setUserActive(deps: Deps, ctx: ActionContext, idOrUsername: string, active: boolean): Promise<void> {
  if (!can(ctx.actor, 'users:manage')) throw forbidden();
  await audited(deps, ctx, async (tx, audit) => {
    const user = await userInScope(deps, ctx.actor, tx, idOrUsername);
    const ok = await updateUser(tx, user.id, user.version, { active: active ? 1 : 0, updated_at: deps.clock().toISOString() });
    if (!ok) throw conflict('versionConflict', { entity: 'user' });
    if (!active) await deleteSessionsOfUser(tx, user.id);
    await audit({ action: active ? 'user.activate' : 'user.deactivate', entity: 'user', entityId: user.id, before: { active: user.active === 1 }, after: { active } });
  });
}

/** Creates an API key bound to a unit and permissions; the key is shown once, only its hash is kept. */
export async function createApiKey(
  deps: Deps,
  ctx: ActionContext,
  input: { name: string; unitId: string; permissions: string[] },
): Promise<{ id: string; key: string; prefix: string; permissions: Permission[] }> {
  if (!can(ctx.actor, 'apikeys:manage')) throw forbidden();
  const bad = input.permissions.filter((p) => !isPermission(p));
  if (bad.length > 0) throw invalid('unknownPermission', { field: 'permissions', values: bad });
  const permissions = input.permissions.filter(isPermission);
  if (permissions.length === 0) throw invalid('noPermissions', { field: 'permissions' });
  // An API key can never hold more than the person who creates it.
  const beyond = permissions.filter((p) => !can(ctx.actor, p));
  if (beyond.length > 0) throw forbidden('permissionBeyondOwn', { permissions: beyond });
  const { prefix, key } = newApiKey();
  return audited(deps, ctx, async (tx, audit) => {
    const unit = await findOrgUnit(tx, input.unitId);
    if (!unit || !inScope(ctx.actor, unit.path)) throw notFound('orgUnit', input.unitId);
    const id = newId();
    await insertApiKey(tx, {
      id,
      name: input.name,
      prefix,
      key_hash: sha256Hex(key),
      unit_id: unit.id,
      permissions: JSON.stringify(permissions),
      created_by: ctx.actor.id,
      created_at: deps.clock().toISOString(),
      revoked_at: null,
      last_used_at: null,
    });
    await audit({ action: 'apiKey.create', entity: 'apiKey', entityId: id, after: { name: input.name, prefix, unitId: unit.id, permissions } });
    return { id, key, prefix, permissions };
  });
}

export async function revokeApiKeyById(deps: Deps, ctx: ActionContext, idOrPrefix: string): Promise<void> {
  if (!can(ctx.actor, 'apikeys:manage')) throw forbidden();
  await audited(deps, ctx, async (tx, audit) => {
    const key = (await findApiKeyById(tx, idOrPrefix)) ?? (await findApiKeyByPrefix(tx, idOrPrefix));
    const unit = key && (await findOrgUnit(tx, key.unit_id));
    if (!key || !unit || !inScope(ctx.actor, unit.path)) throw notFound('apiKey', idOrPrefix);
    if (!(await revokeApiKey(tx, key.id, deps.clock().toISOString()))) throw conflict('alreadyRevoked', { entity: 'apiKey' });
    await audit({ action: 'apiKey.revoke', entity: 'apiKey', entityId: key.id });
  });
}

export async function listApiKeysFor(deps: Pick<Deps, 'database'>, actor: Actor) {
  if (!can(actor, 'apikeys:manage')) throw forbidden();
  const rows = await listApiKeys(deps.database.db);
  return rows.map((r) => ({ ...r, permissions: JSON.parse(r.permissions) as string[] }));
}
