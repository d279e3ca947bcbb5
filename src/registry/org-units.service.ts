import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, inScope, type Actor } from '../access/roles.js';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { childPath, mayBeUnder, type OrgUnit, type OrgUnitKind } from './org-units.js';
import { activeDependents, findOrgUnit, findOrgUnitByCode, insertOrgUnit, listOrgUnits, updateOrgUnitRow } from './org-units.store.js';

export interface NewOrgUnit {
  parentId: string | null;
  kind: OrgUnitKind;
  code: string;
  name: string;
  nameEn?: string | null;
}

/** Creates an org unit under a parent the actor can see; audited. */
export async function createOrgUnit(deps: Deps, ctx: ActionContext, input: NewOrgUnit): Promise<OrgUnit> {
  if (!can(ctx.actor, 'registry:write')) throw forbidden();
  return audited(deps, ctx, async (tx, audit) => {
    const parent = input.parentId ? await findOrgUnit(tx, input.parentId) : undefined;
    if (input.parentId && (!parent || !inScope(ctx.actor, parent.path))) throw notFound('orgUnit', input.parentId);
    if (!mayBeUnder(input.kind, parent?.kind ?? null)) {
      throw invalid('orgUnitParentKind', { field: 'parentId', kind: input.kind, parentKind: parent?.kind ?? null });
    }
    if (await findOrgUnitByCode(tx, input.kind, input.code)) {
      throw conflict('duplicateCode', { field: 'code', code: input.code });
    }
    const id = newId();
    const now = deps.clock().toISOString();
    const row = {
      id,
      parent_id: parent?.id ?? null,
      kind: input.kind,
      code: input.code,
      name: input.name,
      name_en: input.nameEn ?? null,
      path: childPath(parent?.path ?? null, id),
      active: 1,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await insertOrgUnit(tx, row);
    await audit({ action: 'orgUnit.create', entity: 'orgUnit', entityId: id, after: { kind: input.kind, code: input.code, name: input.name } });
    return { id, parentId: row.parent_id, kind: input.kind, code: input.code, name: input.name, nameEn: row.name_en, path: row.path, active: true, version: 1 };
  });
}

/** A unit the actor may see; one outside its scope answers exactly like one that does not exist. */
export async function getOrgUnit(deps: Pick<Deps, 'database'>, actor: Actor, id: string): Promise<OrgUnit> {
  const u = await findOrgUnit(deps.database.db, id);
  if (!u || !inScope(actor, u.path)) throw notFound('orgUnit', id);
  return u;
}

export async function searchOrgUnits(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  f: { kind?: string; q?: string; parentId?: string; limit?: number },
): Promise<OrgUnit[]> {
  if (!can(actor, 'registry:read')) throw forbidden();
  return listOrgUnits(deps.database.db, {
    ...f,
    ...(can(actor, 'scope:district') ? {} : { pathPrefix: actor.unitPath }),
    limit: Math.min(f.limit ?? 200, 5000),
  });
}

export interface OrgUnitPatch {
  name?: string;
  nameEn?: string | null;
  code?: string;
  version: number;
}

/** Renames or recodes a unit under optimistic locking (a stale version answers 409 with the current unit). */
export async function updateOrgUnit(deps: Deps, ctx: ActionContext, id: string, patch: OrgUnitPatch): Promise<OrgUnit> {
  if (!can(ctx.actor, 'registry:write')) throw forbidden();
  return audited(deps, ctx, async (tx, audit) => {
    const cur = await findOrgUnit(tx, id);
    if (!cur || !inScope(ctx.actor, cur.path)) throw notFound('orgUnit', id);
    // a company's or department's unit follows its record (parties.service keeps them in step)
    if (cur.kind === 'propertyCompany' || cur.kind === 'department') throw invalid('orgUnitEditedViaParty', { field: 'id', kind: cur.kind });
    if (cur.version !== patch.version) throw conflict('versionConflict', { entity: 'orgUnit', current: cur });
    if (patch.code !== undefined && patch.code !== cur.code && (await findOrgUnitByCode(tx, cur.kind, patch.code))) {
      throw conflict('duplicateCode', { field: 'code', code: patch.code });
    }
    const next = { name: patch.name ?? cur.name, name_en: patch.nameEn === undefined ? cur.nameEn : patch.nameEn, code: patch.code ?? cur.code };
    if (!(await updateOrgUnitRow(tx, id, cur.version, { ...next, updated_at: deps.clock().toISOString() }))) {
      throw conflict('versionConflict', { entity: 'orgUnit', current: await findOrgUnit(tx, id) });
    }
    await audit({ action: 'orgUnit.update', entity: 'orgUnit', entityId: id, before: { name: cur.name, nameEn: cur.nameEn, code: cur.code }, after: { name: next.name, nameEn: next.name_en, code: next.code } });
    return { ...cur, name: next.name, nameEn: next.name_en, code: next.code, version: cur.version + 1 };
  });
}

/**
 * Deactivates or reactivates a unit (units are never deleted: cases refer to them). A unit with active
 * units below it or active users in it cannot be deactivated: they would be left without a parent.
 */
export async function setOrgUnitActive(deps: Deps, ctx: ActionContext, id: string, active: boolean, version: number): Promise<OrgUnit> {
  if (!can(ctx.actor, 'registry:write')) throw forbidden();
  return audited(deps, ctx, async (tx, audit) => {
    const cur = await findOrgUnit(tx, id);
    if (!cur || !inScope(ctx.actor, cur.path)) throw notFound('orgUnit', id);
    if (cur.version !== version) throw conflict('versionConflict', { entity: 'orgUnit', current: cur });
    if (!active) {
      const deps2 = await activeDependents(tx, id);
      if (deps2.units > 0 || deps2.users > 0) throw conflict('orgUnitHasDependents', { units: deps2.units, users: deps2.users });
    }
    if (!(await updateOrgUnitRow(tx, id, cur.version, { active: active ? 1 : 0, updated_at: deps.clock().toISOString() }))) {
      throw conflict('versionConflict', { entity: 'orgUnit', current: await findOrgUnit(tx, id) });
    }
    await audit({ action: active ? 'orgUnit.activate' : 'orgUnit.deactivate', entity: 'orgUnit', entityId: id, before: { active: cur.active }, after: { active } });
    return { ...cur, active, version: cur.version + 1 };
  });
}
