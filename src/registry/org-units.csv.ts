/**
 * CSV import and export of org units and users. Units refer to their parent by kind and code, users to
 * their unit by kind and code, so a file moves between databases. Import checks every row first, lists
 * every problem by line and column, and writes nothing unless told to skip bad rows.
 */
import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { findUserByUsername, insertUser, listUsersInScope } from '../access/access.store.js';
import { hashPassword } from '../access/passwords.js';
import { USERNAME, maskPhone } from '../access/users.service.js';
import { can, inScope, isRole, type Actor } from '../access/roles.js';
import { forbidden } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { readCsvTable, writeCsv, guardFormula } from './csv.js';
import { childPath, isOrgUnitKind, mayBeUnder, type OrgUnitKind } from './org-units.js';
import { findOrgUnitByCode, insertOrgUnit, listOrgUnits } from './org-units.store.js';

export const ORG_UNIT_COLUMNS = ['kind', 'code', 'name', 'nameEn', 'parentKind', 'parentCode', 'active'] as const;
export const USER_COLUMNS = ['username', 'displayName', 'role', 'unitKind', 'unitCode', 'phone', 'active'] as const;

export interface CsvProblem {
  line: number;
  field: string;
  reason: string;
  value?: string;
}

export interface CsvImportResult {
  rejected: boolean;
  imported: number;
  skippedLines: number[];
  problems: CsvProblem[];
  /** Users only: the one-time password of each new user (they must change it). */
  passwords?: Array<{ username: string; password: string }>;
}

/** Every unit in the actor's scope, parents before children. */
export async function exportOrgUnitsCsv(deps: Pick<Deps, 'database'>, actor: Actor): Promise<string> {
  if (!can(actor, 'registry:read')) throw forbidden();
  const units = await listOrgUnits(deps.database.db, { ...(can(actor, 'scope:district') ? {} : { pathPrefix: actor.unitPath }), includeInactive: true, limit: 1_000_000 });
  const byId = new Map(units.map((u) => [u.id, u]));
  const rows = units.map((u) => {
    const p = u.parentId ? byId.get(u.parentId) : undefined;
    return [u.kind, u.code, u.name, u.nameEn ?? '', p?.kind ?? '', p?.code ?? '', u.active ? 'true' : 'false'].map(guardFormula);
  });
  return writeCsv([[...ORG_UNIT_COLUMNS], ...rows], { bom: true });
}

/** Imports units; a parent may be in the database or earlier in the file. */
export async function importOrgUnitsCsv(deps: Deps, ctx: ActionContext, text: string, opts: { skipBadRows: boolean }): Promise<CsvImportResult> {
  if (!can(ctx.actor, 'registry:write')) throw forbidden();
  const table = readCsvTable(text, ORG_UNIT_COLUMNS, ['kind', 'code', 'name']);
  const problems: CsvProblem[] = table.problems.map((p) => ({ ...p }));
  if (problems.some((p) => p.line === 1)) return { rejected: true, imported: 0, skippedLines: [], problems };
  const inFile = new Map<string, { kind: OrgUnitKind }>();
  const good: Array<{ line: number; kind: OrgUnitKind; code: string; name: string; nameEn: string | null; parentKey: string | null; active: boolean }> = [];
  for (const { line, cells } of table.rows) {
    const before = problems.length;
    const kind = (cells.kind ?? '').trim();
    const code = (cells.code ?? '').trim();
    const name = (cells.name ?? '').trim();
    const parentKind = (cells.parentKind ?? '').trim();
    const parentCode = (cells.parentCode ?? '').trim();
    if (!isOrgUnitKind(kind)) problems.push({ line, field: 'kind', reason: 'unknownKind', value: kind });
    if (!code) problems.push({ line, field: 'code', reason: 'required' });
    if (!name) problems.push({ line, field: 'name', reason: 'required' });
    const active = (cells.active ?? 'true').trim().toLowerCase();
    if (!['', 'true', 'false'].includes(active)) problems.push({ line, field: 'active', reason: 'notBoolean', value: active });
    if (isOrgUnitKind(kind) && code) {
      if (inFile.has(`${kind}:${code}`) || (await findOrgUnitByCode(deps.database.db, kind, code))) problems.push({ line, field: 'code', reason: 'duplicateCode', value: code });
      let pk: OrgUnitKind | null = null;
      if (parentKind || parentCode) {
        if (!isOrgUnitKind(parentKind)) problems.push({ line, field: 'parentKind', reason: 'unknownKind', value: parentKind });
        else {
          const fromFile = inFile.has(`${parentKind}:${parentCode}`);
          const stored = fromFile ? undefined : await findOrgUnitByCode(deps.database.db, parentKind, parentCode);
          if (!fromFile && (!stored || !inScope(ctx.actor, stored.path))) problems.push({ line, field: 'parentCode', reason: 'unknownParent', value: `${parentKind}:${parentCode}` });
          else pk = parentKind;
        }
      }
      if (problems.length === before && !mayBeUnder(kind, pk)) problems.push({ line, field: 'parentKind', reason: 'parentKindNotAllowed', value: `${kind} under ${pk ?? '(top)'}` });
    }
    if (problems.length === before && isOrgUnitKind(kind)) {
      inFile.set(`${kind}:${code}`, { kind });
      good.push({ line, kind, code, name, nameEn: (cells.nameEn ?? '').trim() || null, parentKey: parentKind ? `${parentKind}:${parentCode}` : null, active: active !== 'false' });
    }
  }
  const badLines = [...new Set(problems.map((p) => p.line))].sort((a, b) => a - b);
  if (problems.length > 0 && !opts.skipBadRows) return { rejected: true, imported: 0, skippedLines: [], problems };
  if (good.length === 0) return { rejected: false, imported: 0, skippedLines: badLines, problems };
  const now = deps.clock().toISOString();
  await audited(deps, ctx, async (tx, audit) => {
    const made = new Map<string, { id: string; path: string }>();
    for (const g of good) {
      let parent: { id: string; path: string } | undefined;
      if (g.parentKey) {
        const [pk, ...rest] = g.parentKey.split(':');
        parent = made.get(g.parentKey) ?? (await findOrgUnitByCode(tx, pk ?? '', rest.join(':')));
      }
      const id = newId();
      const path = childPath(parent?.path ?? null, id);
      await insertOrgUnit(tx, { id, parent_id: parent?.id ?? null, kind: g.kind, code: g.code, name: g.name, name_en: g.nameEn, path, active: g.active ? 1 : 0, created_at: now, updated_at: now, version: 1 });
      made.set(`${g.kind}:${g.code}`, { id, path });
      await audit({ action: 'orgUnit.create', entity: 'orgUnit', entityId: id, after: { kind: g.kind, code: g.code, name: g.name, source: 'csv', line: g.line } });
    }
  });
  return { rejected: false, imported: good.length, skippedLines: badLines, problems };
}

/** Users in the actor's scope with their unit by kind and code; phones masked like every listing. */
export async function exportUsersCsv(deps: Pick<Deps, 'database'>, actor: Actor): Promise<string> {
  if (!can(actor, 'users:manage')) throw forbidden();
  const rows = await listUsersInScope(deps.database.db, { ...(can(actor, 'scope:district') ? {} : { pathPrefix: actor.unitPath }), includeInactive: true, limit: 1_000_000 });
  return writeCsv(
    [[...USER_COLUMNS], ...rows.map((u) => [u.username, u.display_name, u.role, u.unit_kind, u.unit_code, maskPhone(u.phone) ?? '', u.active === 1 ? 'true' : 'false'].map(guardFormula))],
    { bom: true },
  );
}


/** Creates users from a file; each gets a one-time password, returned once, which they must change. */
export async function importUsersCsv(deps: Deps, ctx: ActionContext, text: string, opts: { skipBadRows: boolean }): Promise<CsvImportResult> {
  if (!can(ctx.actor, 'users:manage')) throw forbidden();
  const table = readCsvTable(text, USER_COLUMNS, ['username', 'displayName', 'role', 'unitKind', 'unitCode']);
  const problems: CsvProblem[] = table.problems.map((p) => ({ ...p }));
  if (problems.some((p) => p.line === 1)) return { rejected: true, imported: 0, skippedLines: [], problems };
  const seen = new Set<string>();
  const good: Array<{ line: number; username: string; displayName: string; role: string; unitId: string; phone: string | null }> = [];
  for (const { line, cells } of table.rows) {
    const before = problems.length;
    const username = (cells.username ?? '').trim();
    const role = (cells.role ?? '').trim();
    const displayName = (cells.displayName ?? '').trim();
    const phone = (cells.phone ?? '').trim();
    if (!USERNAME.test(username)) problems.push({ line, field: 'username', reason: 'usernameFormat', value: username });
    else if (seen.has(username) || (await findUserByUsername(deps.database.db, username))) problems.push({ line, field: 'username', reason: 'usernameTaken', value: username });
    if (!displayName) problems.push({ line, field: 'displayName', reason: 'required' });
    if (!isRole(role)) problems.push({ line, field: 'role', reason: 'unknownRole', value: role });
    if (phone && !/^\+?\d{5,20}$/.test(phone)) problems.push({ line, field: 'phone', reason: 'phoneFormat', value: phone });
    const unit = await findOrgUnitByCode(deps.database.db, (cells.unitKind ?? '').trim(), (cells.unitCode ?? '').trim());
    if (!unit || !inScope(ctx.actor, unit.path)) problems.push({ line, field: 'unitCode', reason: 'unknownUnit', value: `${cells.unitKind ?? ''}:${cells.unitCode ?? ''}` });
    if (problems.length === before && unit) {
      seen.add(username);
      good.push({ line, username, displayName, role, unitId: unit.id, phone: phone || null });
    }
  }
  const badLines = [...new Set(problems.map((p) => p.line))].sort((a, b) => a - b);
  if (problems.length > 0 && !opts.skipBadRows) return { rejected: true, imported: 0, skippedLines: [], problems };
  const passwords: Array<{ username: string; password: string; hash: string }> = [];
  for (const g of good) {
    const password = `${randomBytes(9).toString('base64url')}7a`; // 12 random characters + letter and digit
    passwords.push({ username: g.username, password, hash: await hashPassword(password, deps.config.argon2) });
  }
  const now = deps.clock().toISOString();
  if (good.length > 0) {
    await audited(deps, ctx, async (tx, audit) => {
      for (const [i, g] of good.entries()) {
        const id = newId();
        await insertUser(tx, { id, username: g.username, display_name: g.displayName, password_hash: passwords[i]!.hash, role: g.role, unit_id: g.unitId, phone: g.phone, active: 1, created_at: now, updated_at: now, version: 1 });
        await audit({ action: 'user.create', entity: 'user', entityId: id, after: { username: g.username, role: g.role, unitId: g.unitId, source: 'csv', line: g.line } });
      }
    });
  }
  return { rejected: false, imported: good.length, skippedLines: badLines, problems, passwords: passwords.map(({ username, password }) => ({ username, password })) };
}
