import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, inScope, type Actor } from '../access/roles.js';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { childPath, mayBeUnder, type OrgUnit, type OrgUnitKind } from './org-units.js';
import { findOrgUnit, findOrgUnitByCode, insertOrgUnit, listOrgUnits } from './org-units.store.js';

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
