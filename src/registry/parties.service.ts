import type { Kysely, Transaction } from 'kysely';
import type { Deps } from '../deps.js';
import type { DB } from '../schema.js';
import { audited, type ActionContext, type Audit } from '../access/audit.service.js';
import { can, inScope, type Actor } from '../access/roles.js';
import { maskPhone } from '../access/users.service.js';
import { DomainError, conflict, forbidden, invalid, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { guardFormula, readCsvTable, writeCsv } from './csv.js';
import { childPath, type OrgUnit, type OrgUnitKind } from './org-units.js';
import { findOrgUnit, findOrgUnitByCode, insertOrgUnit } from './org-units.store.js';
import {
  CSV_COLUMNS,
  CSV_REQUIRED_COLUMNS,
  changedFields,
  checkCompound,
  checkDepartment,
  checkLiaison,
  checkMerchant,
  checkPropertyCompany,
  cleanCreditCode,
  cleanText,
  parseActiveCell,
  parseLocationCells,
  type Compound,
  type Department,
  type DepartmentKind,
  type FieldProblem,
  type Liaison,
  type Location,
  type Merchant,
  type PartyKind,
  type PropertyCompany,
} from './parties.js';
import {
  findBureau,
  findCompound,
  findCompoundByCode,
  findDepartment,
  findLiaison,
  findMerchant,
  findMerchantLike,
  findPropertyCompany,
  findPropertyCompanyByCreditCode,
  findUserUnitPath,
  insertCompound,
  insertDepartment,
  insertLiaison,
  insertMerchant,
  insertPropertyCompany,
  listCompounds,
  listDepartments,
  listLiaisons,
  listMerchants,
  listPropertyCompanies,
  unitHasParty,
  updateCompound as storeUpdateCompound,
  updateDepartment as storeUpdateDepartment,
  updateLiaison as storeUpdateLiaison,
  updateMerchant as storeUpdateMerchant,
  updatePartyUnit,
  updatePropertyCompany as storeUpdatePropertyCompany,
  type Scoped,
} from './parties.store.js';

type Q = Kysely<DB> | Transaction<DB>;
type ReadDeps = Pick<Deps, 'database'>;

// ---------------------------------------------------------------------------------------------------------
// Access, presentation and problems
// ---------------------------------------------------------------------------------------------------------

/** A field problem, and which domain error it becomes when a single create or edit meets it. */
interface Problem extends FieldProblem {
  error: 'Invalid' | 'NotFound' | 'Conflict';
  /** For NotFound: the entity that was looked for. */
  entity?: string;
}

const asProblems = (ps: FieldProblem[]): Problem[] => ps.map((p) => ({ ...p, error: 'Invalid' }));

function errorOf(p: Problem): DomainError {
  const details = { field: p.field, reason: p.reason, ...(p.value === undefined ? {} : { value: p.value }) };
  // Missing and out of scope answer alike; naming the input field tells the client which reference failed.
  if (p.error === 'NotFound')
    return new DomainError('NotFound', 'notFound', {
      ...notFound(p.entity ?? p.field, p.value).details,
      field: p.field,
    });
  if (p.error === 'Conflict') return conflict(p.key, { ...details, code: p.value });
  return invalid(p.key, details);
}

/** Throws the first problem as its domain error (the HTTP answer names the field). */
function throwFirst(problems: Problem[]): void {
  const first = problems[0];
  if (first) throw errorOf(first);
}

const requireRead = (actor: Actor) => {
  if (!can(actor, 'registry:read')) throw forbidden();
};
const requireWrite = (actor: Actor) => {
  if (!can(actor, 'registry:write')) throw forbidden();
};
/** The path prefix a listing is limited to: none for district-wide roles. */
const scopePrefix = (actor: Actor) => (can(actor, 'scope:district') ? {} : { pathPrefix: actor.unitPath });

/** The record if it exists and the actor may see it; otherwise NotFound, the same either way. */
function visible<T>(actor: Actor, rec: Scoped<T> | undefined, entity: string, id: string): Scoped<T> {
  if (!rec || !inScope(actor, rec.scopePath)) throw notFound(entity, id);
  return rec;
}

/** Phones are shown in full only to those who may edit them, and masked in every listing. */
type PhoneView = 'full' | 'masked';
const phoneViewOf = (actor: Actor): PhoneView => (can(actor, 'registry:write') ? 'full' : 'masked');
const phone = (p: string | null, view: PhoneView) => (view === 'full' ? p : maskPhone(p));

function strip<T>(rec: Scoped<T>): T {
  const { scopePath: _scopePath, ...rest } = rec;
  return rest as T;
}

const presentCompany = (c: Scoped<PropertyCompany>, view: PhoneView): PropertyCompany => ({
  ...strip(c),
  contactPhone: phone(c.contactPhone, view),
});
const presentLiaison = (l: Scoped<Liaison>, view: PhoneView): Liaison => ({
  ...strip(l),
  phone: phone(l.phone, view),
});

/** An unchanged `version` or a 409 that carries the record as it is now, so the client can merge. */
function checkVersion<T>(
  current: Scoped<T> & { version: number },
  version: number | undefined,
  entity: string,
  present: (r: Scoped<T>) => unknown,
): void {
  if (version !== undefined && current.version !== version) {
    throw conflict('versionConflict', {
      entity,
      field: 'version',
      version,
      currentVersion: current.version,
      current: present(current),
    });
  }
}

async function reloadConflict<T>(
  find: () => Promise<Scoped<T> | undefined>,
  entity: string,
  present: (r: Scoped<T>) => unknown,
): Promise<never> {
  const now = await find();
  throw conflict('versionConflict', { entity, field: 'version', ...(now ? { current: present(now) } : {}) });
}

// Audit summaries never hold a full phone number: the log is kept for years and cannot be edited.
const companySummary = (c: Omit<PropertyCompany, 'id' | 'version' | 'createdAt' | 'updatedAt'>) => ({
  name: c.name,
  creditCode: c.creditCode,
  address: c.address,
  contactName: c.contactName,
  contactPhone: maskPhone(c.contactPhone),
  parentUnitId: c.parentUnit.id,
  active: c.active,
});
const departmentSummary = (d: Pick<Department, 'code' | 'kind' | 'name' | 'nameEn' | 'active'>) => ({
  code: d.code,
  kind: d.kind,
  name: d.name,
  nameEn: d.nameEn,
  active: d.active,
});
const liaisonSummary = (
  l: Pick<Liaison, 'departmentId' | 'name' | 'title' | 'phone' | 'userId' | 'active'>,
) => ({
  departmentId: l.departmentId,
  name: l.name,
  title: l.title,
  phone: maskPhone(l.phone),
  userId: l.userId,
  active: l.active,
});
const compoundSummary = (
  c: Pick<Compound, 'code' | 'name' | 'address' | 'location' | 'ownersCommittee' | 'active'> & {
    communityId: string;
    propertyCompanyId: string | null;
  },
) => ({
  code: c.code,
  name: c.name,
  address: c.address,
  location: c.location,
  communityId: c.communityId,
  propertyCompanyId: c.propertyCompanyId,
  ownersCommittee: c.ownersCommittee,
  active: c.active,
});
const merchantSummary = (
  m: Pick<Merchant, 'name' | 'address' | 'location' | 'business' | 'active'> & { subdistrictId: string },
) => ({
  name: m.name,
  address: m.address,
  location: m.location,
  subdistrictId: m.subdistrictId,
  business: m.business,
  active: m.active,
});

// ---------------------------------------------------------------------------------------------------------
// References: by id (the API) or by code (CSV files)
// ---------------------------------------------------------------------------------------------------------

/** A reference to another record as the input gives it, and the input field that gave it. */
type Ref = { by: 'id' | 'code'; value: string; field: string };

const unknownRef = (ref: Ref, entity: string): Problem => ({
  field: ref.field,
  key: 'unknownReference',
  reason: 'unknown',
  value: ref.value,
  error: 'NotFound',
  entity,
});

/** An org unit of a kind that the actor may see, or a NotFound problem (missing, other kind and out of scope alike). */
async function resolveUnit(db: Q, actor: Actor, ref: Ref, kind: OrgUnitKind): Promise<OrgUnit | Problem> {
  const u = ref.by === 'id' ? await findOrgUnit(db, ref.value) : await findOrgUnitByCode(db, kind, ref.value);
  if (!u || u.kind !== kind || !inScope(actor, u.path)) return unknownRef(ref, kind);
  return u;
}

async function resolveCompany(db: Q, actor: Actor, ref: Ref): Promise<Scoped<PropertyCompany> | Problem> {
  const c =
    ref.by === 'id'
      ? await findPropertyCompany(db, ref.value)
      : await findPropertyCompanyByCreditCode(db, cleanCreditCode(ref.value));
  // A compound names its manager; a company outside the writer's scope is still a company it may name,
  // because companies serve several subdistricts. Only a company that does not exist is refused.
  if (!c) return unknownRef(ref, 'propertyCompany');
  return c;
}

const isProblem = (v: unknown): v is Problem =>
  typeof v === 'object' && v !== null && 'error' in v && 'key' in v;

/** The parent of a company's unit: the subdistrict given, or the bureau. */
async function companyParent(db: Q, actor: Actor, ref: Ref | null): Promise<OrgUnit | Problem> {
  if (ref === null) {
    const b = await findBureau(db);
    return b && inScope(actor, b.path)
      ? b
      : {
          field: 'subdistrictId',
          key: 'unknownReference',
          reason: 'unknown',
          error: 'NotFound',
          entity: 'bureau',
        };
  }
  return resolveUnit(db, actor, ref, 'subdistrict');
}

// ---------------------------------------------------------------------------------------------------------
// Property companies
// ---------------------------------------------------------------------------------------------------------

export interface NewPropertyCompany {
  name: string;
  creditCode: string;
  address?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  /** The subdistrict the company's unit sits under; absent or null: the bureau (district-wide). */
  subdistrictId?: string | null;
}
export type PropertyCompanyPatch = Partial<NewPropertyCompany> & { version: number };

interface CompanyDraft {
  name: string;
  creditCode: string;
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
  parent: Ref | null;
  active: boolean;
}
interface PreparedCompany extends CompanyDraft {
  parentUnit: OrgUnit;
  /** An org unit of kind propertyCompany with this code that no company owns yet: it is taken over. */
  adoptUnit: OrgUnit | null;
}

async function prepareCompany(
  db: Q,
  actor: Actor,
  d: CompanyDraft,
  self?: { id: string; unitId: string },
): Promise<PreparedCompany | Problem[]> {
  const problems = asProblems(checkPropertyCompany(d));
  const parent = await companyParent(db, actor, d.parent);
  if (isProblem(parent)) problems.push(parent);
  let adoptUnit: OrgUnit | null = null;
  if (!problems.some((p) => p.field === 'creditCode')) {
    const dup = await findPropertyCompanyByCreditCode(db, d.creditCode);
    const unit = await findOrgUnitByCode(db, 'propertyCompany', d.creditCode);
    if (dup && dup.id !== self?.id) {
      problems.push({
        field: 'creditCode',
        key: 'duplicateCreditCode',
        reason: 'duplicate',
        value: d.creditCode,
        error: 'Conflict',
      });
    } else if (unit && unit.id !== self?.unitId) {
      // A unit made before its company (an org-unit import, the demo skeleton) is taken over on create.
      if (!self && !(await unitHasParty(db, unit.id))) adoptUnit = unit;
      else
        problems.push({
          field: 'creditCode',
          key: 'duplicateCreditCode',
          reason: 'duplicate',
          value: d.creditCode,
          error: 'Conflict',
        });
    }
  }
  if (problems.length > 0 || isProblem(parent)) return problems;
  return { ...d, parentUnit: parent, adoptUnit };
}

async function writeCompany(
  tx: Transaction<DB>,
  audit: Audit,
  now: string,
  p: PreparedCompany,
): Promise<string> {
  const id = newId();
  let unitId: string;
  if (p.adoptUnit) {
    unitId = p.adoptUnit.id;
    await updatePartyUnit(tx, unitId, {
      name: p.name,
      parent_id: p.parentUnit.id,
      path: childPath(p.parentUnit.path, unitId),
      active: p.active ? 1 : 0,
      updated_at: now,
    });
  } else {
    unitId = newId();
    await insertOrgUnit(tx, {
      id: unitId,
      parent_id: p.parentUnit.id,
      kind: 'propertyCompany',
      code: p.creditCode,
      name: p.name,
      name_en: null,
      path: childPath(p.parentUnit.path, unitId),
      active: p.active ? 1 : 0,
      created_at: now,
      updated_at: now,
      version: 1,
    });
  }
  await insertPropertyCompany(tx, {
    id,
    unit_id: unitId,
    name: p.name,
    credit_code: p.creditCode,
    address: p.address,
    contact_name: p.contactName,
    contact_phone: p.contactPhone,
    active: p.active ? 1 : 0,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  const after = companySummary({ ...p, unitId, parentUnit: p.parentUnit });
  await audit({
    action: 'propertyCompany.create',
    entity: 'propertyCompany',
    entityId: id,
    after: { ...after, unitId, adoptedUnit: p.adoptUnit !== null },
  });
  return id;
}

const companyDraft = (input: NewPropertyCompany, active = true): CompanyDraft => ({
  name: input.name.trim(),
  creditCode: cleanCreditCode(input.creditCode),
  address: cleanText(input.address),
  contactName: cleanText(input.contactName),
  contactPhone: cleanText(input.contactPhone),
  parent: input.subdistrictId ? { by: 'id', value: input.subdistrictId, field: 'subdistrictId' } : null,
  active,
});

/** Creates a property company and its org unit (kind propertyCompany) in one transaction; audited. */
export async function createPropertyCompany(
  deps: Deps,
  ctx: ActionContext,
  input: NewPropertyCompany,
): Promise<PropertyCompany> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const prepared = await prepareCompany(tx, ctx.actor, companyDraft(input));
    if (Array.isArray(prepared)) throw errorOf(prepared[0]!);
    const id = await writeCompany(tx, audit, deps.clock().toISOString(), prepared);
    return presentCompany((await findPropertyCompany(tx, id))!, phoneViewOf(ctx.actor));
  });
}

/** Edits a company under optimistic locking; its org unit follows the name, code and subdistrict. */
export async function updatePropertyCompany(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  patch: PropertyCompanyPatch,
): Promise<PropertyCompany> {
  requireWrite(ctx.actor);
  const view = phoneViewOf(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findPropertyCompany(tx, id), 'propertyCompany', id);
    checkVersion(cur, patch.version, 'propertyCompany', (c) => presentCompany(c, view));
    const merged: NewPropertyCompany = {
      name: patch.name ?? cur.name,
      creditCode: patch.creditCode ?? cur.creditCode,
      address: patch.address === undefined ? cur.address : patch.address,
      contactName: patch.contactName === undefined ? cur.contactName : patch.contactName,
      contactPhone: patch.contactPhone === undefined ? cur.contactPhone : patch.contactPhone,
    };
    const draft = companyDraft(merged, cur.active);
    // The current parent may be the bureau, which is not a subdistrict: keep it unless the edit moves it.
    const keepParent = patch.subdistrictId === undefined;
    const parent: Ref | null = patch.subdistrictId
      ? { by: 'id', value: patch.subdistrictId, field: 'subdistrictId' }
      : null;
    const prepared = await prepareCompany(
      tx,
      ctx.actor,
      { ...draft, parent },
      { id: cur.id, unitId: cur.unitId },
    );
    if (Array.isArray(prepared)) throw errorOf(prepared[0]!);
    const parentUnit = keepParent
      ? ((await findOrgUnit(tx, cur.parentUnit.id)) ?? prepared.parentUnit)
      : prepared.parentUnit;
    const now = deps.clock().toISOString();
    const ok = await storeUpdatePropertyCompany(tx, id, cur.version, {
      name: prepared.name,
      credit_code: prepared.creditCode,
      address: prepared.address,
      contact_name: prepared.contactName,
      contact_phone: prepared.contactPhone,
      updated_at: now,
    });
    if (!ok)
      return reloadConflict(
        () => findPropertyCompany(tx, id),
        'propertyCompany',
        (c) => presentCompany(c, view),
      );
    await updatePartyUnit(tx, cur.unitId, {
      name: prepared.name,
      code: prepared.creditCode,
      parent_id: parentUnit.id,
      path: childPath(parentUnit.path, cur.unitId),
      updated_at: now,
    });
    const next = (await findPropertyCompany(tx, id))!;
    await audit({
      action: 'propertyCompany.update',
      entity: 'propertyCompany',
      entityId: id,
      ...changedFields(companySummary(cur), companySummary(next)),
    });
    return presentCompany(next, view);
  });
}

/** Deactivates or reactivates a company (never deleted); its org unit follows. */
export async function setPropertyCompanyActive(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  active: boolean,
  version?: number,
): Promise<PropertyCompany> {
  requireWrite(ctx.actor);
  const view = phoneViewOf(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findPropertyCompany(tx, id), 'propertyCompany', id);
    checkVersion(cur, version, 'propertyCompany', (c) => presentCompany(c, view));
    const now = deps.clock().toISOString();
    if (
      !(await storeUpdatePropertyCompany(tx, id, cur.version, { active: active ? 1 : 0, updated_at: now }))
    ) {
      return reloadConflict(
        () => findPropertyCompany(tx, id),
        'propertyCompany',
        (c) => presentCompany(c, view),
      );
    }
    await updatePartyUnit(tx, cur.unitId, { active: active ? 1 : 0, updated_at: now });
    await audit({
      action: active ? 'propertyCompany.activate' : 'propertyCompany.deactivate',
      entity: 'propertyCompany',
      entityId: id,
      before: { active: cur.active },
      after: { active },
    });
    return presentCompany((await findPropertyCompany(tx, id))!, view);
  });
}

export async function getPropertyCompany(deps: ReadDeps, actor: Actor, id: string): Promise<PropertyCompany> {
  requireRead(actor);
  return presentCompany(
    visible(actor, await findPropertyCompany(deps.database.db, id), 'propertyCompany', id),
    phoneViewOf(actor),
  );
}

export interface ListOptions {
  q?: string;
  active?: boolean;
  limit?: number;
}
const limitOf = (f: ListOptions) => Math.min(f.limit ?? 200, 5000);

/** Companies in the actor's scope, phones masked. */
export async function searchPropertyCompanies(
  deps: ReadDeps,
  actor: Actor,
  f: ListOptions & { subdistrictId?: string },
): Promise<PropertyCompany[]> {
  requireRead(actor);
  const rows = await listPropertyCompanies(deps.database.db, {
    ...scopePrefix(actor),
    ...pick(f),
    ...(f.subdistrictId ? { parentId: f.subdistrictId } : {}),
    limit: limitOf(f),
  });
  return rows.map((c) => presentCompany(c, 'masked'));
}

const pick = (f: ListOptions) => ({
  ...(f.q ? { q: f.q } : {}),
  ...(f.active === undefined ? {} : { active: f.active }),
});

// ---------------------------------------------------------------------------------------------------------
// Departments and their liaisons
// ---------------------------------------------------------------------------------------------------------

export interface NewDepartment {
  code: string;
  kind: DepartmentKind | string;
  name: string;
  nameEn?: string | null;
}
export type DepartmentPatch = Partial<NewDepartment> & { version: number };

interface DepartmentDraft {
  code: string;
  kind: string;
  name: string;
  nameEn: string | null;
  active: boolean;
}
interface PreparedDepartment extends DepartmentDraft {
  kind: DepartmentKind;
  bureau: OrgUnit;
  adoptUnit: OrgUnit | null;
}

async function prepareDepartment(
  db: Q,
  actor: Actor,
  d: DepartmentDraft,
  self?: { id: string; unitId: string },
): Promise<PreparedDepartment | Problem[]> {
  const problems = asProblems(checkDepartment(d));
  const bureau = await findBureau(db);
  if (!bureau || !inScope(actor, bureau.path))
    problems.push({
      field: 'code',
      key: 'unknownReference',
      reason: 'unknown',
      error: 'NotFound',
      entity: 'bureau',
    });
  let adoptUnit: OrgUnit | null = null;
  if (!problems.some((p) => p.field === 'code')) {
    const unit = await findOrgUnitByCode(db, 'department', d.code);
    if (unit && unit.id !== self?.unitId) {
      if (!self && !(await unitHasParty(db, unit.id))) adoptUnit = unit;
      else
        problems.push({
          field: 'code',
          key: 'duplicateCode',
          reason: 'duplicate',
          value: d.code,
          error: 'Conflict',
        });
    }
  }
  if (problems.length > 0 || !bureau) return problems;
  return { ...d, kind: d.kind as DepartmentKind, bureau, adoptUnit };
}

async function writeDepartment(
  tx: Transaction<DB>,
  audit: Audit,
  now: string,
  p: PreparedDepartment,
): Promise<string> {
  const id = newId();
  let unitId: string;
  if (p.adoptUnit) {
    unitId = p.adoptUnit.id;
    await updatePartyUnit(tx, unitId, {
      name: p.name,
      name_en: p.nameEn,
      active: p.active ? 1 : 0,
      updated_at: now,
    });
  } else {
    unitId = newId();
    await insertOrgUnit(tx, {
      id: unitId,
      parent_id: p.bureau.id,
      kind: 'department',
      code: p.code,
      name: p.name,
      name_en: p.nameEn,
      path: childPath(p.bureau.path, unitId),
      active: p.active ? 1 : 0,
      created_at: now,
      updated_at: now,
      version: 1,
    });
  }
  await insertDepartment(tx, {
    id,
    unit_id: unitId,
    kind: p.kind,
    name: p.name,
    name_en: p.nameEn,
    active: p.active ? 1 : 0,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  await audit({
    action: 'department.create',
    entity: 'department',
    entityId: id,
    after: { ...departmentSummary(p), unitId, adoptedUnit: p.adoptUnit !== null },
  });
  return id;
}

const departmentDraft = (input: NewDepartment, active = true): DepartmentDraft => ({
  code: input.code.trim(),
  kind: input.kind.trim(),
  name: input.name.trim(),
  nameEn: cleanText(input.nameEn),
  active,
});

/** Creates a partner department and its org unit (kind department, under the bureau); audited. */
export async function createDepartment(
  deps: Deps,
  ctx: ActionContext,
  input: NewDepartment,
): Promise<Department> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const prepared = await prepareDepartment(tx, ctx.actor, departmentDraft(input));
    if (Array.isArray(prepared)) throw errorOf(prepared[0]!);
    const id = await writeDepartment(tx, audit, deps.clock().toISOString(), prepared);
    return strip((await findDepartment(tx, id))!);
  });
}

export async function updateDepartment(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  patch: DepartmentPatch,
): Promise<Department> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findDepartment(tx, id), 'department', id);
    checkVersion(cur, patch.version, 'department', strip);
    const draft = departmentDraft(
      {
        code: patch.code ?? cur.code,
        kind: patch.kind ?? cur.kind,
        name: patch.name ?? cur.name,
        nameEn: patch.nameEn === undefined ? cur.nameEn : patch.nameEn,
      },
      cur.active,
    );
    const prepared = await prepareDepartment(tx, ctx.actor, draft, { id: cur.id, unitId: cur.unitId });
    if (Array.isArray(prepared)) throw errorOf(prepared[0]!);
    const now = deps.clock().toISOString();
    if (
      !(await storeUpdateDepartment(tx, id, cur.version, {
        kind: prepared.kind,
        name: prepared.name,
        name_en: prepared.nameEn,
        updated_at: now,
      }))
    ) {
      return reloadConflict(() => findDepartment(tx, id), 'department', strip);
    }
    await updatePartyUnit(tx, cur.unitId, {
      code: prepared.code,
      name: prepared.name,
      name_en: prepared.nameEn,
      updated_at: now,
    });
    const next = (await findDepartment(tx, id))!;
    await audit({
      action: 'department.update',
      entity: 'department',
      entityId: id,
      ...changedFields(departmentSummary(cur), departmentSummary(next)),
    });
    return strip(next);
  });
}

export async function setDepartmentActive(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  active: boolean,
  version?: number,
): Promise<Department> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findDepartment(tx, id), 'department', id);
    checkVersion(cur, version, 'department', strip);
    const now = deps.clock().toISOString();
    if (!(await storeUpdateDepartment(tx, id, cur.version, { active: active ? 1 : 0, updated_at: now })))
      return reloadConflict(() => findDepartment(tx, id), 'department', strip);
    await updatePartyUnit(tx, cur.unitId, { active: active ? 1 : 0, updated_at: now });
    await audit({
      action: active ? 'department.activate' : 'department.deactivate',
      entity: 'department',
      entityId: id,
      before: { active: cur.active },
      after: { active },
    });
    return strip((await findDepartment(tx, id))!);
  });
}

export async function getDepartment(deps: ReadDeps, actor: Actor, id: string): Promise<Department> {
  requireRead(actor);
  return strip(visible(actor, await findDepartment(deps.database.db, id), 'department', id));
}

export async function searchDepartments(
  deps: ReadDeps,
  actor: Actor,
  f: ListOptions & { kind?: string },
): Promise<Department[]> {
  requireRead(actor);
  const rows = await listDepartments(deps.database.db, {
    ...scopePrefix(actor),
    ...pick(f),
    ...(f.kind ? { kind: f.kind } : {}),
    limit: limitOf(f),
  });
  return rows.map(strip);
}

export interface NewLiaison {
  name: string;
  title?: string | null;
  phone?: string | null;
  userId?: string | null;
}
export type LiaisonPatch = Partial<NewLiaison> & { version: number };

async function checkLiaisonUser(db: Q, actor: Actor, userId: string | null): Promise<void> {
  if (userId === null) return;
  const path = await findUserUnitPath(db, userId);
  if (path === undefined || !inScope(actor, path)) throw notFound('user', userId);
}

/** Adds a liaison person to a department the actor may see; audited. */
export async function createLiaison(
  deps: Deps,
  ctx: ActionContext,
  departmentId: string,
  input: NewLiaison,
): Promise<Liaison> {
  requireWrite(ctx.actor);
  const fields = {
    name: input.name.trim(),
    title: cleanText(input.title),
    phone: cleanText(input.phone),
    userId: input.userId ?? null,
  };
  throwFirst(asProblems(checkLiaison(fields)));
  return audited(deps, ctx, async (tx, audit) => {
    visible(ctx.actor, await findDepartment(tx, departmentId), 'department', departmentId);
    await checkLiaisonUser(tx, ctx.actor, fields.userId);
    const id = newId();
    const now = deps.clock().toISOString();
    await insertLiaison(tx, {
      id,
      department_id: departmentId,
      name: fields.name,
      title: fields.title,
      phone: fields.phone,
      user_id: fields.userId,
      active: 1,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    await audit({
      action: 'liaison.create',
      entity: 'liaison',
      entityId: id,
      after: liaisonSummary({ ...fields, departmentId, active: true }),
    });
    return presentLiaison((await findLiaison(tx, id))!, phoneViewOf(ctx.actor));
  });
}

export async function updateLiaison(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  patch: LiaisonPatch,
): Promise<Liaison> {
  requireWrite(ctx.actor);
  const view = phoneViewOf(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findLiaison(tx, id), 'liaison', id);
    checkVersion(cur, patch.version, 'liaison', (l) => presentLiaison(l, view));
    const fields = {
      name: (patch.name ?? cur.name).trim(),
      title: patch.title === undefined ? cur.title : cleanText(patch.title),
      phone: patch.phone === undefined ? cur.phone : cleanText(patch.phone),
      userId: patch.userId === undefined ? cur.userId : patch.userId,
    };
    throwFirst(asProblems(checkLiaison(fields)));
    if (fields.userId !== cur.userId) await checkLiaisonUser(tx, ctx.actor, fields.userId);
    const now = deps.clock().toISOString();
    if (
      !(await storeUpdateLiaison(tx, id, cur.version, {
        name: fields.name,
        title: fields.title,
        phone: fields.phone,
        user_id: fields.userId,
        updated_at: now,
      }))
    ) {
      return reloadConflict(
        () => findLiaison(tx, id),
        'liaison',
        (l) => presentLiaison(l, view),
      );
    }
    const next = (await findLiaison(tx, id))!;
    await audit({
      action: 'liaison.update',
      entity: 'liaison',
      entityId: id,
      ...changedFields(liaisonSummary(cur), liaisonSummary(next)),
    });
    return presentLiaison(next, view);
  });
}

export async function setLiaisonActive(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  active: boolean,
  version?: number,
): Promise<Liaison> {
  requireWrite(ctx.actor);
  const view = phoneViewOf(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findLiaison(tx, id), 'liaison', id);
    checkVersion(cur, version, 'liaison', (l) => presentLiaison(l, view));
    if (
      !(await storeUpdateLiaison(tx, id, cur.version, {
        active: active ? 1 : 0,
        updated_at: deps.clock().toISOString(),
      }))
    ) {
      return reloadConflict(
        () => findLiaison(tx, id),
        'liaison',
        (l) => presentLiaison(l, view),
      );
    }
    await audit({
      action: active ? 'liaison.activate' : 'liaison.deactivate',
      entity: 'liaison',
      entityId: id,
      before: { active: cur.active },
      after: { active },
    });
    return presentLiaison((await findLiaison(tx, id))!, view);
  });
}

/** The liaison persons of a department the actor may see, phones masked. */
export async function searchLiaisons(
  deps: ReadDeps,
  actor: Actor,
  departmentId: string,
  f: { active?: boolean } = {},
): Promise<Liaison[]> {
  requireRead(actor);
  visible(actor, await findDepartment(deps.database.db, departmentId), 'department', departmentId);
  return (await listLiaisons(deps.database.db, departmentId, f)).map((l) => presentLiaison(l, 'masked'));
}

// ---------------------------------------------------------------------------------------------------------
// Compounds
// ---------------------------------------------------------------------------------------------------------

export interface NewCompound {
  code: string;
  name: string;
  address?: string | null;
  location?: Location | null;
  communityId: string;
  propertyCompanyId?: string | null;
  ownersCommittee?: string | null;
}
export type CompoundPatch = Partial<NewCompound> & { version: number };

interface CompoundDraft {
  code: string;
  name: string;
  address: string | null;
  location: Location | null;
  community: Ref;
  propertyCompany: Ref | null;
  ownersCommittee: string | null;
  active: boolean;
}
interface PreparedCompound extends CompoundDraft {
  communityUnit: OrgUnit;
  companyId: string | null;
}

async function prepareCompound(
  db: Q,
  actor: Actor,
  d: CompoundDraft,
  selfId?: string,
): Promise<PreparedCompound | Problem[]> {
  const problems = asProblems(checkCompound(d));
  const community = await resolveUnit(db, actor, d.community, 'community');
  if (isProblem(community)) problems.push(community);
  const company = d.propertyCompany ? await resolveCompany(db, actor, d.propertyCompany) : null;
  if (isProblem(company)) problems.push(company);
  if (!problems.some((p) => p.field === 'code')) {
    const dup = await findCompoundByCode(db, d.code);
    if (dup && dup.id !== selfId)
      problems.push({
        field: 'code',
        key: 'duplicateCode',
        reason: 'duplicate',
        value: d.code,
        error: 'Conflict',
      });
  }
  if (problems.length > 0 || isProblem(community) || isProblem(company)) return problems;
  return { ...d, communityUnit: community, companyId: company?.id ?? null };
}

async function writeCompound(
  tx: Transaction<DB>,
  audit: Audit,
  now: string,
  p: PreparedCompound,
): Promise<string> {
  const id = newId();
  await insertCompound(tx, {
    id,
    code: p.code,
    name: p.name,
    address: p.address,
    lng: p.location?.lng ?? null,
    lat: p.location?.lat ?? null,
    community_id: p.communityUnit.id,
    property_company_id: p.companyId,
    owners_committee: p.ownersCommittee,
    active: p.active ? 1 : 0,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  await audit({
    action: 'compound.create',
    entity: 'compound',
    entityId: id,
    after: compoundSummary({ ...p, communityId: p.communityUnit.id, propertyCompanyId: p.companyId }),
  });
  return id;
}

const compoundDraft = (input: NewCompound, active = true): CompoundDraft => ({
  code: input.code.trim(),
  name: input.name.trim(),
  address: cleanText(input.address),
  location: input.location ?? null,
  community: { by: 'id', value: input.communityId, field: 'communityId' },
  propertyCompany: input.propertyCompanyId
    ? { by: 'id', value: input.propertyCompanyId, field: 'propertyCompanyId' }
    : null,
  ownersCommittee: cleanText(input.ownersCommittee),
  active,
});

const flatCompound = (c: Compound) =>
  compoundSummary({ ...c, communityId: c.community.id, propertyCompanyId: c.propertyCompany?.id ?? null });

/** Creates a compound in a community the actor may see; audited. */
export async function createCompound(deps: Deps, ctx: ActionContext, input: NewCompound): Promise<Compound> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const prepared = await prepareCompound(tx, ctx.actor, compoundDraft(input));
    if (Array.isArray(prepared)) throw errorOf(prepared[0]!);
    const id = await writeCompound(tx, audit, deps.clock().toISOString(), prepared);
    return strip((await findCompound(tx, id))!);
  });
}

export async function updateCompound(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  patch: CompoundPatch,
): Promise<Compound> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findCompound(tx, id), 'compound', id);
    checkVersion(cur, patch.version, 'compound', strip);
    const draft = compoundDraft(
      {
        code: patch.code ?? cur.code,
        name: patch.name ?? cur.name,
        address: patch.address === undefined ? cur.address : patch.address,
        location: patch.location === undefined ? cur.location : patch.location,
        communityId: patch.communityId ?? cur.community.id,
        propertyCompanyId:
          patch.propertyCompanyId === undefined ? (cur.propertyCompany?.id ?? null) : patch.propertyCompanyId,
        ownersCommittee: patch.ownersCommittee === undefined ? cur.ownersCommittee : patch.ownersCommittee,
      },
      cur.active,
    );
    const prepared = await prepareCompound(tx, ctx.actor, draft, cur.id);
    if (Array.isArray(prepared)) throw errorOf(prepared[0]!);
    const ok = await storeUpdateCompound(tx, id, cur.version, {
      code: prepared.code,
      name: prepared.name,
      address: prepared.address,
      lng: prepared.location?.lng ?? null,
      lat: prepared.location?.lat ?? null,
      community_id: prepared.communityUnit.id,
      property_company_id: prepared.companyId,
      owners_committee: prepared.ownersCommittee,
      updated_at: deps.clock().toISOString(),
    });
    if (!ok) return reloadConflict(() => findCompound(tx, id), 'compound', strip);
    const next = (await findCompound(tx, id))!;
    await audit({
      action: 'compound.update',
      entity: 'compound',
      entityId: id,
      ...changedFields(flatCompound(cur), flatCompound(next)),
    });
    return strip(next);
  });
}

export async function setCompoundActive(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  active: boolean,
  version?: number,
): Promise<Compound> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findCompound(tx, id), 'compound', id);
    checkVersion(cur, version, 'compound', strip);
    if (
      !(await storeUpdateCompound(tx, id, cur.version, {
        active: active ? 1 : 0,
        updated_at: deps.clock().toISOString(),
      }))
    ) {
      return reloadConflict(() => findCompound(tx, id), 'compound', strip);
    }
    await audit({
      action: active ? 'compound.activate' : 'compound.deactivate',
      entity: 'compound',
      entityId: id,
      before: { active: cur.active },
      after: { active },
    });
    return strip((await findCompound(tx, id))!);
  });
}

export async function getCompound(deps: ReadDeps, actor: Actor, id: string): Promise<Compound> {
  requireRead(actor);
  return strip(visible(actor, await findCompound(deps.database.db, id), 'compound', id));
}

/** Compounds in the actor's scope, by text, community, subdistrict, property company and state. */
export async function searchCompounds(
  deps: ReadDeps,
  actor: Actor,
  f: ListOptions & { communityId?: string; subdistrictId?: string; propertyCompanyId?: string },
): Promise<Compound[]> {
  requireRead(actor);
  let underPath: string | undefined;
  if (f.subdistrictId) {
    const sub = await findOrgUnit(deps.database.db, f.subdistrictId);
    if (!sub || sub.kind !== 'subdistrict') return [];
    underPath = sub.path;
  }
  const rows = await listCompounds(deps.database.db, {
    ...scopePrefix(actor),
    ...pick(f),
    ...(underPath ? { underPath } : {}),
    ...(f.communityId ? { communityId: f.communityId } : {}),
    ...(f.propertyCompanyId ? { propertyCompanyId: f.propertyCompanyId } : {}),
    limit: limitOf(f),
  });
  return rows.map(strip);
}

// ---------------------------------------------------------------------------------------------------------
// Merchants
// ---------------------------------------------------------------------------------------------------------

export interface NewMerchant {
  name: string;
  address?: string | null;
  location?: Location | null;
  subdistrictId: string;
  business?: string | null;
}
export type MerchantPatch = Partial<NewMerchant> & { version: number };

interface MerchantDraft {
  name: string;
  address: string | null;
  location: Location | null;
  subdistrict: Ref;
  business: string | null;
  active: boolean;
}
interface PreparedMerchant extends MerchantDraft {
  subdistrictUnit: OrgUnit;
}

async function prepareMerchant(
  db: Q,
  actor: Actor,
  d: MerchantDraft,
  selfId?: string,
): Promise<PreparedMerchant | Problem[]> {
  const problems = asProblems(checkMerchant(d));
  const sub = await resolveUnit(db, actor, d.subdistrict, 'subdistrict');
  if (isProblem(sub)) return [...problems, sub];
  if (!problems.some((p) => p.field === 'name')) {
    const dup = await findMerchantLike(db, sub.id, d.name, d.address);
    if (dup && dup.id !== selfId)
      problems.push({
        field: 'name',
        key: 'duplicateMerchant',
        reason: 'duplicate',
        value: d.name,
        error: 'Conflict',
      });
  }
  return problems.length > 0 ? problems : { ...d, subdistrictUnit: sub };
}

async function writeMerchant(
  tx: Transaction<DB>,
  audit: Audit,
  now: string,
  p: PreparedMerchant,
): Promise<string> {
  const id = newId();
  await insertMerchant(tx, {
    id,
    name: p.name,
    address: p.address,
    lng: p.location?.lng ?? null,
    lat: p.location?.lat ?? null,
    subdistrict_id: p.subdistrictUnit.id,
    business: p.business,
    active: p.active ? 1 : 0,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  await audit({
    action: 'merchant.create',
    entity: 'merchant',
    entityId: id,
    after: merchantSummary({ ...p, subdistrictId: p.subdistrictUnit.id }),
  });
  return id;
}

const merchantDraft = (input: NewMerchant, active = true): MerchantDraft => ({
  name: input.name.trim(),
  address: cleanText(input.address),
  location: input.location ?? null,
  subdistrict: { by: 'id', value: input.subdistrictId, field: 'subdistrictId' },
  business: cleanText(input.business),
  active,
});

const flatMerchant = (m: Merchant) => merchantSummary({ ...m, subdistrictId: m.subdistrict.id });

/** Creates a merchant in a subdistrict the actor may see; audited. */
export async function createMerchant(deps: Deps, ctx: ActionContext, input: NewMerchant): Promise<Merchant> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const prepared = await prepareMerchant(tx, ctx.actor, merchantDraft(input));
    if (Array.isArray(prepared)) throw errorOf(prepared[0]!);
    const id = await writeMerchant(tx, audit, deps.clock().toISOString(), prepared);
    return strip((await findMerchant(tx, id))!);
  });
}

export async function updateMerchant(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  patch: MerchantPatch,
): Promise<Merchant> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findMerchant(tx, id), 'merchant', id);
    checkVersion(cur, patch.version, 'merchant', strip);
    const draft = merchantDraft(
      {
        name: patch.name ?? cur.name,
        address: patch.address === undefined ? cur.address : patch.address,
        location: patch.location === undefined ? cur.location : patch.location,
        subdistrictId: patch.subdistrictId ?? cur.subdistrict.id,
        business: patch.business === undefined ? cur.business : patch.business,
      },
      cur.active,
    );
    const prepared = await prepareMerchant(tx, ctx.actor, draft, cur.id);
    if (Array.isArray(prepared)) throw errorOf(prepared[0]!);
    const ok = await storeUpdateMerchant(tx, id, cur.version, {
      name: prepared.name,
      address: prepared.address,
      lng: prepared.location?.lng ?? null,
      lat: prepared.location?.lat ?? null,
      subdistrict_id: prepared.subdistrictUnit.id,
      business: prepared.business,
      updated_at: deps.clock().toISOString(),
    });
    if (!ok) return reloadConflict(() => findMerchant(tx, id), 'merchant', strip);
    const next = (await findMerchant(tx, id))!;
    await audit({
      action: 'merchant.update',
      entity: 'merchant',
      entityId: id,
      ...changedFields(flatMerchant(cur), flatMerchant(next)),
    });
    return strip(next);
  });
}

export async function setMerchantActive(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  active: boolean,
  version?: number,
): Promise<Merchant> {
  requireWrite(ctx.actor);
  return audited(deps, ctx, async (tx, audit) => {
    const cur = visible(ctx.actor, await findMerchant(tx, id), 'merchant', id);
    checkVersion(cur, version, 'merchant', strip);
    if (
      !(await storeUpdateMerchant(tx, id, cur.version, {
        active: active ? 1 : 0,
        updated_at: deps.clock().toISOString(),
      }))
    ) {
      return reloadConflict(() => findMerchant(tx, id), 'merchant', strip);
    }
    await audit({
      action: active ? 'merchant.activate' : 'merchant.deactivate',
      entity: 'merchant',
      entityId: id,
      before: { active: cur.active },
      after: { active },
    });
    return strip((await findMerchant(tx, id))!);
  });
}

export async function getMerchant(deps: ReadDeps, actor: Actor, id: string): Promise<Merchant> {
  requireRead(actor);
  return strip(visible(actor, await findMerchant(deps.database.db, id), 'merchant', id));
}

export async function searchMerchants(
  deps: ReadDeps,
  actor: Actor,
  f: ListOptions & { subdistrictId?: string },
): Promise<Merchant[]> {
  requireRead(actor);
  const rows = await listMerchants(deps.database.db, {
    ...scopePrefix(actor),
    ...pick(f),
    ...(f.subdistrictId ? { subdistrictId: f.subdistrictId } : {}),
    limit: limitOf(f),
  });
  return rows.map(strip);
}

// ---------------------------------------------------------------------------------------------------------
// CSV import and export
// ---------------------------------------------------------------------------------------------------------

/** One bad row (or header) of an import: the line in the file, the column and what was wrong. */
export interface ImportProblem {
  line: number;
  field: string;
  key: string;
  reason: string;
  value?: string;
}

export interface ImportReport {
  kind: PartyKind;
  /** Data rows read (blank rows not counted). */
  rows: number;
  imported: number;
  /** True when bad rows stopped the import: nothing was written. */
  rejected: boolean;
  /** Every problem, by line; with skipBadRows these rows were skipped. */
  problems: ImportProblem[];
  /** The lines that were skipped (skipBadRows only). */
  skippedLines: number[];
}

interface KindHandler<D, P> {
  entity: string;
  /** The draft of one row and the problems that need no database. */
  draft(cells: Record<string, string>): { draft: D | null; problems: Problem[] };
  /** What makes two rows of one file the same record, and the column to blame. */
  fileKey(d: D): { key: string; field: string } | null;
  prepare(db: Q, actor: Actor, d: D): Promise<P | Problem[]>;
  write(tx: Transaction<DB>, audit: Audit, now: string, p: P): Promise<string>;
  /** Rows for export, header excluded. */
  exportRows(db: Q, actor: Actor, phones: PhoneView): Promise<string[][]>;
}

const cell = (cells: Record<string, string>, name: string) => cells[name] ?? '';
const activeOf = (cells: Record<string, string>): { active: boolean; problems: Problem[] } => {
  const a = parseActiveCell(cell(cells, 'active'));
  return a === null
    ? {
        active: true,
        problems: [
          {
            field: 'active',
            key: 'fieldFormat',
            reason: 'format',
            value: cell(cells, 'active'),
            error: 'Invalid',
          },
        ],
      }
    : { active: a, problems: [] };
};
const codeRef = (value: string, field: string): Ref => ({ by: 'code', value: value.trim(), field });
const requiredRef = (
  cells: Record<string, string>,
  field: string,
): { ref: Ref | null; problems: Problem[] } => {
  const v = cell(cells, field).trim();
  return v === ''
    ? { ref: null, problems: [{ field, key: 'fieldRequired', reason: 'required', error: 'Invalid' }] }
    : { ref: codeRef(v, field), problems: [] };
};
const num = (v: number | undefined) => (v === undefined ? '' : String(v));
const text = (v: string | null) => guardFormula(v ?? '');
const ALL = 1_000_000;

const HANDLERS: { [K in PartyKind]: KindHandler<unknown, unknown> } = {
  'property-companies': {
    entity: 'propertyCompany',
    draft(cells) {
      const a = activeOf(cells);
      const sub = cell(cells, 'subdistrictCode').trim();
      return {
        draft: {
          name: cell(cells, 'name').trim(),
          creditCode: cleanCreditCode(cell(cells, 'creditCode')),
          address: cleanText(cells.address),
          contactName: cleanText(cells.contactName),
          contactPhone: cleanText(cells.contactPhone),
          parent: sub === '' ? null : codeRef(sub, 'subdistrictCode'),
          active: a.active,
        } satisfies CompanyDraft,
        problems: a.problems,
      };
    },
    fileKey: (d) => ({ key: (d as CompanyDraft).creditCode, field: 'creditCode' }),
    prepare: (db, actor, d) => prepareCompany(db, actor, d as CompanyDraft),
    write: (tx, audit, now, p) => writeCompany(tx, audit, now, p as PreparedCompany),
    async exportRows(db, actor, phones) {
      const rows = await listPropertyCompanies(db, { ...scopePrefix(actor), limit: ALL });
      const bureau = await findBureau(db);
      return rows.map((c) => [
        c.creditCode,
        text(c.name),
        text(c.address),
        text(c.contactName),
        text(phone(c.contactPhone, phones)),
        c.parentUnit.id === bureau?.id ? '' : c.parentUnit.code,
        c.active ? 'true' : 'false',
      ]);
    },
  },
  departments: {
    entity: 'department',
    draft(cells) {
      const a = activeOf(cells);
      return {
        draft: {
          code: cell(cells, 'code').trim(),
          kind: cell(cells, 'kind').trim(),
          name: cell(cells, 'name').trim(),
          nameEn: cleanText(cells.nameEn),
          active: a.active,
        } satisfies DepartmentDraft,
        problems: a.problems,
      };
    },
    fileKey: (d) => ({ key: (d as DepartmentDraft).code, field: 'code' }),
    prepare: (db, actor, d) => prepareDepartment(db, actor, d as DepartmentDraft),
    write: (tx, audit, now, p) => writeDepartment(tx, audit, now, p as PreparedDepartment),
    async exportRows(db, actor) {
      const rows = await listDepartments(db, { ...scopePrefix(actor), limit: ALL });
      return rows.map((d) => [d.code, d.kind, text(d.name), text(d.nameEn), d.active ? 'true' : 'false']);
    },
  },
  compounds: {
    entity: 'compound',
    draft(cells) {
      const a = activeOf(cells);
      const loc = parseLocationCells(cell(cells, 'lng'), cell(cells, 'lat'));
      const community = requiredRef(cells, 'communityCode');
      const company = cell(cells, 'propertyCompanyCreditCode').trim();
      const problems = [...asProblems(loc.problems), ...community.problems, ...a.problems];
      return {
        draft: community.ref
          ? ({
              code: cell(cells, 'code').trim(),
              name: cell(cells, 'name').trim(),
              address: cleanText(cells.address),
              location: loc.location,
              community: community.ref,
              propertyCompany: company === '' ? null : codeRef(company, 'propertyCompanyCreditCode'),
              ownersCommittee: cleanText(cells.ownersCommittee),
              active: a.active,
            } satisfies CompoundDraft)
          : null,
        problems,
      };
    },
    fileKey: (d) => ({ key: (d as CompoundDraft).code, field: 'code' }),
    prepare: (db, actor, d) => prepareCompound(db, actor, d as CompoundDraft),
    write: (tx, audit, now, p) => writeCompound(tx, audit, now, p as PreparedCompound),
    async exportRows(db, actor) {
      const rows = await listCompounds(db, { ...scopePrefix(actor), limit: ALL });
      return rows.map((c) => [
        c.code,
        text(c.name),
        text(c.address),
        num(c.location?.lng),
        num(c.location?.lat),
        c.community.code,
        c.propertyCompany?.creditCode ?? '',
        text(c.ownersCommittee),
        c.active ? 'true' : 'false',
      ]);
    },
  },
  merchants: {
    entity: 'merchant',
    draft(cells) {
      const a = activeOf(cells);
      const loc = parseLocationCells(cell(cells, 'lng'), cell(cells, 'lat'));
      const sub = requiredRef(cells, 'subdistrictCode');
      return {
        draft: sub.ref
          ? ({
              name: cell(cells, 'name').trim(),
              address: cleanText(cells.address),
              location: loc.location,
              subdistrict: sub.ref,
              business: cleanText(cells.business),
              active: a.active,
            } satisfies MerchantDraft)
          : null,
        problems: [...asProblems(loc.problems), ...sub.problems, ...a.problems],
      };
    },
    fileKey: (d) => {
      const m = d as MerchantDraft;
      return { key: `${m.subdistrict.value}\u0000${m.name}\u0000${m.address ?? ''}`, field: 'name' };
    },
    prepare: (db, actor, d) => prepareMerchant(db, actor, d as MerchantDraft),
    write: (tx, audit, now, p) => writeMerchant(tx, audit, now, p as PreparedMerchant),
    async exportRows(db, actor) {
      const rows = await listMerchants(db, { ...scopePrefix(actor), limit: ALL });
      return rows.map((m) => [
        text(m.name),
        text(m.address),
        num(m.location?.lng),
        num(m.location?.lat),
        m.subdistrict.code,
        text(m.business),
        m.active ? 'true' : 'false',
      ]);
    },
  },
};

const TABLE_KEYS = {
  unknownColumn: 'csvUnknownColumn',
  duplicateColumn: 'csvDuplicateColumn',
  missingColumn: 'csvMissingColumn',
  fieldCount: 'csvFieldCount',
  empty: 'csvEmpty',
} as const;

/**
 * Imports a CSV of one kind. Every row is checked first (fields, references by code, duplicates in the
 * database and in the file) and every problem is reported by line and column. With any bad row nothing is
 * imported, unless `skipBadRows`: then the good rows are imported in one transaction and the bad ones are
 * listed. A bad header always stops the import. Each record gets its own audit entry, the import one more.
 */
export async function importParties(
  deps: Deps,
  ctx: ActionContext,
  kind: PartyKind,
  csvText: string,
  opts: { skipBadRows?: boolean } = {},
): Promise<ImportReport> {
  requireWrite(ctx.actor);
  const handler = HANDLERS[kind];
  const table = readCsvTable(csvText, CSV_COLUMNS[kind], CSV_REQUIRED_COLUMNS[kind]);
  const problems: ImportProblem[] = table.problems.map((p) => ({
    line: p.line,
    field: p.field,
    key: TABLE_KEYS[p.reason],
    reason: p.reason,
    ...(p.value === undefined ? {} : { value: p.value }),
  }));
  const headerBad = table.problems.some((p) => p.reason !== 'fieldCount');
  const report = (imported: number, rejected: boolean, skippedLines: number[] = []): ImportReport => ({
    kind,
    rows: table.rows.length + table.problems.filter((p) => p.reason === 'fieldCount').length,
    imported,
    rejected,
    problems: problems.sort((a, b) => a.line - b.line),
    skippedLines,
  });
  if (headerBad) return report(0, true);

  const good: Array<{ line: number; draft: unknown }> = [];
  const seen = new Map<string, number>();
  const db = deps.database.db;
  for (const row of table.rows) {
    const { draft, problems: pure } = handler.draft(row.cells);
    const rowProblems: Problem[] = [...pure];
    if (draft !== null) {
      const prepared = await handler.prepare(db, ctx.actor, draft);
      if (Array.isArray(prepared)) rowProblems.push(...(prepared as Problem[]));
      const fk = handler.fileKey(draft);
      if (fk && fk.key !== '') {
        const first = seen.get(fk.key);
        if (first !== undefined)
          rowProblems.push({
            field: fk.field,
            key: 'duplicateInFile',
            reason: 'duplicateInFile',
            value: String(first),
            error: 'Conflict',
          });
        else seen.set(fk.key, row.line);
      }
    }
    if (rowProblems.length > 0) {
      // The file checks and the record checks may both see the same thing (a coordinate out of range).
      const once = new Map(rowProblems.map((p) => [`${p.field}\u0000${p.reason}`, p]));
      for (const p of once.values())
        problems.push({
          line: row.line,
          field: p.field,
          key: p.key,
          reason: p.reason,
          ...(p.value === undefined ? {} : { value: p.value }),
        });
    } else {
      good.push({ line: row.line, draft });
    }
  }
  const badLines = [...new Set(problems.map((p) => p.line))].sort((a, b) => a - b);
  if (badLines.length > 0 && !opts.skipBadRows) return report(0, true);
  if (good.length === 0) return report(0, false, badLines);

  await audited(deps, ctx, async (tx, audit) => {
    const now = deps.clock().toISOString();
    for (const g of good) {
      // Checked again inside the transaction: someone may have written the same code since.
      const prepared = await handler.prepare(tx, ctx.actor, g.draft);
      if (Array.isArray(prepared)) {
        const p = (prepared as Problem[])[0]!;
        throw conflict('importRaced', { line: g.line, field: p.field, reason: p.reason });
      }
      await handler.write(tx, audit, now, prepared);
    }
    await audit({
      action: 'registry.import',
      entity: handler.entity,
      after: { kind, rows: table.rows.length, imported: good.length, skippedLines: badLines },
    });
  });
  return report(good.length, false, badLines);
}

/**
 * Every record of a kind in the actor's scope (inactive ones too) as CSV with a header, in the format that
 * `importParties` reads back. Phones are written in full only for those who may edit them.
 */
export async function exportParties(deps: ReadDeps, actor: Actor, kind: PartyKind): Promise<string> {
  requireRead(actor);
  const rows = await HANDLERS[kind].exportRows(deps.database.db, actor, phoneViewOf(actor));
  return writeCsv([CSV_COLUMNS[kind], ...rows]);
}
