import type { Deps } from '../deps.js';
import { unauthenticated } from '../platform/errors.js';
import { audited } from './audit.service.js';
import {
  deleteSession,
  findApiKeyWithUnit,
  findSessionWithUser,
  findUserByUsername,
  findUserWithUnit,
  insertSession,
} from './access.store.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { ROLE_PERMISSIONS, isPermission, isRole, scopePathOf, type Actor, type Permission } from './roles.js';
import { newToken, parseApiKey, safeEqualHex, sha256Hex } from './tokens.js';

export interface SignedInUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  unit: { id: string; code: string; name: string; nameEn: string | null; kind: string };
  permissions: Permission[];
}

export interface Session {
  token: string;
  csrfToken: string;
  expiresAt: string;
}

// A hash to verify against when the username is unknown, so that the answer takes as long as for a
// wrong password and nobody learns which usernames exist.
let dummyHash: Promise<string> | undefined;
const dummy = (deps: Pick<Deps, 'config'>) => (dummyHash ??= hashPassword('not-a-real-password-0', deps.config.argon2));

/** Checks a username and password; on success opens a session (audited) and returns its tokens. */
export async function login(
  deps: Deps,
  input: { username: string; password: string; ip?: string; userAgent?: string; requestId?: string },
): Promise<{ session: Session; actor: Actor }> {
  const user = await findUserByUsername(deps.database.db, input.username);
  const ok = await verifyPassword(user?.password_hash ?? (await dummy(deps)), input.password);
  if (!user || !ok || user.active !== 1 || !isRole(user.role)) throw unauthenticated('badCredentials');
  const token = newToken();
  const csrfToken = newToken(24);
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + deps.config.sessionHours * 3600_000).toISOString();
  const actorRow = await sessionActorOf(deps, user.id);
  await audited(deps, { actor: actorRow, ...(input.requestId ? { requestId: input.requestId } : {}) }, async (tx, audit) => {
    await insertSession(tx, {
      id: sha256Hex(token),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    });
    await audit({ action: 'session.login', entity: 'user', entityId: user.id, after: { ip: input.ip ?? null } });
  });
  return { session: { token, csrfToken, expiresAt }, actor: actorRow };
}

async function sessionActorOf(deps: Deps, userId: string): Promise<Actor> {
  const row = await findUserWithUnit(deps.database.db, userId);
  const role = isRole(row.role) ? row.role : 'resident';
  return { kind: 'user', id: row.id, name: row.display_name, role, unitId: row.unit_id, unitPath: scopePathOf(row.kind, row.path), permissions: new Set(ROLE_PERMISSIONS[role]) };
}

/** Resolves a session cookie to its actor; expired or unknown sessions are refused. */
export async function authenticateSession(
  deps: Pick<Deps, 'database' | 'clock'>,
  token: string,
): Promise<{ actor: Actor; user: SignedInUser; csrfToken: string; sessionId: string }> {
  const row = await findSessionWithUser(deps.database.db, sha256Hex(token));
  if (!row || row.active !== 1 || row.expires_at <= deps.clock().toISOString() || !isRole(row.role)) {
    throw unauthenticated();
  }
  const permissions = ROLE_PERMISSIONS[row.role];
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    actor: {
      kind: 'user',
      id: row.user_id,
      name: row.display_name,
      role: row.role,
      unitId: row.unit_id,
      unitPath: scopePathOf(row.unit_kind, row.unit_path),
      permissions: new Set(permissions),
    },
    user: {
      id: row.user_id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      unit: { id: row.unit_id, code: row.unit_code, name: row.unit_name, nameEn: row.unit_name_en, kind: row.unit_kind },
      permissions: [...permissions],
    },
  };
}

/** Ends a session (audited). */
export async function logout(deps: Deps, actor: Actor, sessionId: string, requestId?: string): Promise<void> {
  await audited(deps, { actor, ...(requestId ? { requestId } : {}) }, async (tx, audit) => {
    await deleteSession(tx, sessionId);
    await audit({ action: 'session.logout', entity: 'user', entityId: actor.id });
  });
}

/** Resolves an API key to a machine actor bound to its unit and permissions. */
export async function authenticateApiKey(deps: Pick<Deps, 'database'>, key: string): Promise<Actor> {
  const parsed = parseApiKey(key);
  if (!parsed) throw unauthenticated('badApiKey');
  const row = await findApiKeyWithUnit(deps.database.db, parsed.prefix);
  if (!row || row.revoked_at !== null || !safeEqualHex(row.key_hash, sha256Hex(parsed.full))) {
    throw unauthenticated('badApiKey');
  }
  const perms = (JSON.parse(row.permissions) as string[]).filter(isPermission);
  return { kind: 'apiKey', id: row.id, name: row.name, role: null, unitId: row.unit_id, unitPath: row.unit_path, permissions: new Set(perms) };
}

