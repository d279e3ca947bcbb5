import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type {
  CompoundTable,
  DepartmentTable,
  LiaisonTable,
  MerchantTable,
  PropertyCompanyTable,
} from './registry.tables.js';
import { toOrgUnit } from './org-units.store.js';
import type { OrgUnit } from './org-units.js';
import {
  isDepartmentKind,
  type Compound,
  type Department,
  type Liaison,
  type Merchant,
  type PropertyCompany,
} from './parties.js';

type Q = Kysely<DB> | Transaction<DB>;

/** A record with the path of the unit that decides who may see it. */
export type Scoped<T> = T & { scopePath: string };

/** Filters every listing takes: the caller's scope, free text, active or not, and how many. */
export interface ListFilter {
  /** Only records whose unit path starts with this (absent: the whole district). */
  pathPrefix?: string;
  q?: string;
  /** true / false: only active / inactive ones; undefined: both. */
  active?: boolean;
  limit: number;
}

const located = (lng: number | null, lat: number | null) =>
  lng === null || lat === null ? null : { lng: Number(lng), lat: Number(lat) };

async function bumpVersion<T extends 'property_company' | 'department' | 'liaison' | 'compound' | 'merchant'>(
  db: Q,
  table: T,
  id: string,
  version: number,
  patch: Record<string, unknown>,
): Promise<boolean> {
  // Optimistic concurrency: the update only lands when nobody changed the row since it was read.
  // The five tables share id/version/active/updated_at; Kysely cannot type a table chosen at run time,
  // so the builder is typed as one of them (callers pass patches of their own table's columns).
  const r = await (db as Kysely<DB>)
    .updateTable(table as 'compound')
    .set({ ...(patch as Partial<CompoundTable>), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------------------------------------
// Org units of the parties: a company's and a department's own unit follows its name, code and state
// ---------------------------------------------------------------------------------------------------------

export async function updatePartyUnit(
  db: Q,
  id: string,
  patch: {
    name?: string;
    code?: string;
    name_en?: string | null;
    active?: number;
    parent_id?: string;
    path?: string;
    updated_at: string;
  },
): Promise<void> {
  // The unit's own version moves too, so that an edit through the org-unit screens sees the change.
  await db
    .updateTable('org_unit')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------------------
// Property companies
// ---------------------------------------------------------------------------------------------------------

const companyQuery = (db: Q) =>
  db
    .selectFrom('property_company as p')
    .innerJoin('org_unit as u', 'u.id', 'p.unit_id')
    .innerJoin('org_unit as pu', 'pu.id', 'u.parent_id')
    .selectAll('p')
    .select([
      'u.path as scope_path',
      'pu.id as parent_id',
      'pu.code as parent_code',
      'pu.name as parent_name',
    ]);

type CompanyRow = PropertyCompanyTable & {
  scope_path: string;
  parent_id: string;
  parent_code: string;
  parent_name: string;
};

const toCompany = (r: CompanyRow): Scoped<PropertyCompany> => ({
  id: r.id,
  unitId: r.unit_id,
  parentUnit: { id: r.parent_id, code: r.parent_code, name: r.parent_name },
  name: r.name,
  creditCode: r.credit_code,
  address: r.address,
  contactName: r.contact_name,
  contactPhone: r.contact_phone,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  scopePath: r.scope_path,
});

export async function findPropertyCompany(db: Q, id: string): Promise<Scoped<PropertyCompany> | undefined> {
  const r = await companyQuery(db).where('p.id', '=', id).executeTakeFirst();
  return r && toCompany(r);
}

export async function findPropertyCompanyByCreditCode(
  db: Q,
  creditCode: string,
): Promise<Scoped<PropertyCompany> | undefined> {
  const r = await companyQuery(db).where('p.credit_code', '=', creditCode).executeTakeFirst();
  return r && toCompany(r);
}

export async function listPropertyCompanies(
  db: Q,
  f: ListFilter & { parentId?: string },
): Promise<Scoped<PropertyCompany>[]> {
  let q = companyQuery(db).orderBy('p.name').orderBy('p.id').limit(f.limit);
  if (f.pathPrefix) q = q.where('u.path', 'like', `${f.pathPrefix}%`);
  if (f.parentId) q = q.where('u.parent_id', '=', f.parentId);
  if (f.q)
    q = q.where((eb) =>
      eb.or([
        eb('p.name', 'like', `%${f.q}%`),
        eb('p.credit_code', 'like', `%${f.q}%`),
        eb('p.address', 'like', `%${f.q}%`),
      ]),
    );
  if (f.active !== undefined) q = q.where('p.active', '=', f.active ? 1 : 0);
  return (await q.execute()).map(toCompany);
}

export async function insertPropertyCompany(db: Q, row: PropertyCompanyTable): Promise<void> {
  await db.insertInto('property_company').values(row).execute();
}

export const updatePropertyCompany = (
  db: Q,
  id: string,
  version: number,
  patch: Partial<PropertyCompanyTable>,
) => bumpVersion(db, 'property_company', id, version, patch);

// ---------------------------------------------------------------------------------------------------------
// Departments and liaisons
// ---------------------------------------------------------------------------------------------------------

const departmentQuery = (db: Q) =>
  db
    .selectFrom('department as d')
    .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
    .selectAll('d')
    .select(['u.path as scope_path', 'u.code as code']);

const toDepartment = (r: DepartmentTable & { scope_path: string; code: string }): Scoped<Department> => ({
  id: r.id,
  unitId: r.unit_id,
  code: r.code,
  kind: isDepartmentKind(r.kind) ? r.kind : 'data',
  name: r.name,
  nameEn: r.name_en,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  scopePath: r.scope_path,
});

export async function findDepartment(db: Q, id: string): Promise<Scoped<Department> | undefined> {
  const r = await departmentQuery(db).where('d.id', '=', id).executeTakeFirst();
  return r && toDepartment(r);
}

export async function findDepartmentByCode(db: Q, code: string): Promise<Scoped<Department> | undefined> {
  const r = await departmentQuery(db)
    .where('u.code', '=', code)
    .where('u.kind', '=', 'department')
    .executeTakeFirst();
  return r && toDepartment(r);
}

export async function findDepartmentByUnit(db: Q, unitId: string): Promise<Scoped<Department> | undefined> {
  const r = await departmentQuery(db).where('d.unit_id', '=', unitId).executeTakeFirst();
  return r && toDepartment(r);
}

export async function listDepartments(
  db: Q,
  f: ListFilter & { kind?: string },
): Promise<Scoped<Department>[]> {
  let q = departmentQuery(db).orderBy('u.code').orderBy('d.id').limit(f.limit);
  if (f.pathPrefix) q = q.where('u.path', 'like', `${f.pathPrefix}%`);
  if (f.kind) q = q.where('d.kind', '=', f.kind);
  if (f.q)
    q = q.where((eb) =>
      eb.or([
        eb('d.name', 'like', `%${f.q}%`),
        eb('d.name_en', 'like', `%${f.q}%`),
        eb('u.code', 'like', `%${f.q}%`),
      ]),
    );
  if (f.active !== undefined) q = q.where('d.active', '=', f.active ? 1 : 0);
  return (await q.execute()).map(toDepartment);
}

export async function insertDepartment(db: Q, row: DepartmentTable): Promise<void> {
  await db.insertInto('department').values(row).execute();
}

export const updateDepartment = (db: Q, id: string, version: number, patch: Partial<DepartmentTable>) =>
  bumpVersion(db, 'department', id, version, patch);

const liaisonQuery = (db: Q) =>
  db
    .selectFrom('liaison as l')
    .innerJoin('department as d', 'd.id', 'l.department_id')
    .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
    .selectAll('l')
    .select(['u.path as scope_path']);

const toLiaison = (r: LiaisonTable & { scope_path: string }): Scoped<Liaison> => ({
  id: r.id,
  departmentId: r.department_id,
  name: r.name,
  title: r.title,
  phone: r.phone,
  userId: r.user_id,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  scopePath: r.scope_path,
});

export async function findLiaison(db: Q, id: string): Promise<Scoped<Liaison> | undefined> {
  const r = await liaisonQuery(db).where('l.id', '=', id).executeTakeFirst();
  return r && toLiaison(r);
}

export async function listLiaisons(
  db: Q,
  departmentId: string,
  f: { active?: boolean },
): Promise<Scoped<Liaison>[]> {
  let q = liaisonQuery(db).where('l.department_id', '=', departmentId).orderBy('l.name').orderBy('l.id');
  if (f.active !== undefined) q = q.where('l.active', '=', f.active ? 1 : 0);
  return (await q.execute()).map(toLiaison);
}

export async function insertLiaison(db: Q, row: LiaisonTable): Promise<void> {
  await db.insertInto('liaison').values(row).execute();
}

export const updateLiaison = (db: Q, id: string, version: number, patch: Partial<LiaisonTable>) =>
  bumpVersion(db, 'liaison', id, version, patch);

/** The path of a user's unit, to check that a liaison's account is one the caller may see. */
export async function findUserUnitPath(db: Q, userId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('app_user as a')
    .innerJoin('org_unit as o', 'o.id', 'a.unit_id')
    .select('o.path')
    .where('a.id', '=', userId)
    .executeTakeFirst();
  return r?.path;
}

// ---------------------------------------------------------------------------------------------------------
// Compounds
// ---------------------------------------------------------------------------------------------------------

const compoundQuery = (db: Q) =>
  db
    .selectFrom('compound as c')
    .innerJoin('org_unit as o', 'o.id', 'c.community_id')
    .leftJoin('property_company as p', 'p.id', 'c.property_company_id')
    .selectAll('c')
    .select([
      'o.path as scope_path',
      'o.code as community_code',
      'o.name as community_name',
      'p.name as company_name',
      'p.credit_code as company_credit_code',
    ]);

type CompoundRow = CompoundTable & {
  scope_path: string;
  community_code: string;
  community_name: string;
  company_name: string | null;
  company_credit_code: string | null;
};

const toCompound = (r: CompoundRow): Scoped<Compound> => ({
  id: r.id,
  code: r.code,
  name: r.name,
  address: r.address,
  location: located(r.lng, r.lat),
  community: { id: r.community_id, code: r.community_code, name: r.community_name },
  propertyCompany: r.property_company_id
    ? { id: r.property_company_id, name: r.company_name ?? '', creditCode: r.company_credit_code ?? '' }
    : null,
  ownersCommittee: r.owners_committee,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  scopePath: r.scope_path,
});

export async function findCompound(db: Q, id: string): Promise<Scoped<Compound> | undefined> {
  const r = await compoundQuery(db).where('c.id', '=', id).executeTakeFirst();
  return r && toCompound(r);
}

export async function findCompoundByCode(db: Q, code: string): Promise<Scoped<Compound> | undefined> {
  const r = await compoundQuery(db).where('c.code', '=', code).executeTakeFirst();
  return r && toCompound(r);
}

export async function listCompounds(
  db: Q,
  f: ListFilter & { communityId?: string; underPath?: string; propertyCompanyId?: string },
): Promise<Scoped<Compound>[]> {
  let q = compoundQuery(db).orderBy('c.code').limit(f.limit);
  if (f.pathPrefix) q = q.where('o.path', 'like', `${f.pathPrefix}%`);
  if (f.underPath) q = q.where('o.path', 'like', `${f.underPath}%`);
  if (f.communityId) q = q.where('c.community_id', '=', f.communityId);
  if (f.propertyCompanyId) q = q.where('c.property_company_id', '=', f.propertyCompanyId);
  if (f.q)
    q = q.where((eb) =>
      eb.or([
        eb('c.name', 'like', `%${f.q}%`),
        eb('c.code', 'like', `%${f.q}%`),
        eb('c.address', 'like', `%${f.q}%`),
      ]),
    );
  if (f.active !== undefined) q = q.where('c.active', '=', f.active ? 1 : 0);
  return (await q.execute()).map(toCompound);
}

export async function insertCompound(db: Q, row: CompoundTable): Promise<void> {
  await db.insertInto('compound').values(row).execute();
}

export const updateCompound = (db: Q, id: string, version: number, patch: Partial<CompoundTable>) =>
  bumpVersion(db, 'compound', id, version, patch);

// ---------------------------------------------------------------------------------------------------------
// Merchants
// ---------------------------------------------------------------------------------------------------------

const merchantQuery = (db: Q) =>
  db
    .selectFrom('merchant as m')
    .innerJoin('org_unit as o', 'o.id', 'm.subdistrict_id')
    .selectAll('m')
    .select(['o.path as scope_path', 'o.code as subdistrict_code', 'o.name as subdistrict_name']);

const toMerchant = (
  r: MerchantTable & { scope_path: string; subdistrict_code: string; subdistrict_name: string },
): Scoped<Merchant> => ({
  id: r.id,
  name: r.name,
  address: r.address,
  location: located(r.lng, r.lat),
  subdistrict: { id: r.subdistrict_id, code: r.subdistrict_code, name: r.subdistrict_name },
  business: r.business,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  scopePath: r.scope_path,
});

export async function findMerchant(db: Q, id: string): Promise<Scoped<Merchant> | undefined> {
  const r = await merchantQuery(db).where('m.id', '=', id).executeTakeFirst();
  return r && toMerchant(r);
}

/** A merchant with the same name at the same address in the same subdistrict: merchants have no code. */
export async function findMerchantLike(
  db: Q,
  subdistrictId: string,
  name: string,
  address: string | null,
): Promise<Scoped<Merchant> | undefined> {
  let q = merchantQuery(db).where('m.subdistrict_id', '=', subdistrictId).where('m.name', '=', name);
  q = address === null ? q.where('m.address', 'is', null) : q.where('m.address', '=', address);
  const r = await q.executeTakeFirst();
  return r && toMerchant(r);
}

export async function listMerchants(
  db: Q,
  f: ListFilter & { subdistrictId?: string },
): Promise<Scoped<Merchant>[]> {
  let q = merchantQuery(db).orderBy('o.code').orderBy('m.name').orderBy('m.id').limit(f.limit);
  if (f.pathPrefix) q = q.where('o.path', 'like', `${f.pathPrefix}%`);
  if (f.subdistrictId) q = q.where('m.subdistrict_id', '=', f.subdistrictId);
  if (f.q)
    q = q.where((eb) =>
      eb.or([
        eb('m.name', 'like', `%${f.q}%`),
        eb('m.address', 'like', `%${f.q}%`),
        eb('m.business', 'like', `%${f.q}%`),
      ]),
    );
  if (f.active !== undefined) q = q.where('m.active', '=', f.active ? 1 : 0);
  return (await q.execute()).map(toMerchant);
}

export async function insertMerchant(db: Q, row: MerchantTable): Promise<void> {
  await db.insertInto('merchant').values(row).execute();
}

export const updateMerchant = (db: Q, id: string, version: number, patch: Partial<MerchantTable>) =>
  bumpVersion(db, 'merchant', id, version, patch);

// ---------------------------------------------------------------------------------------------------------
// Units the parties hang on
// ---------------------------------------------------------------------------------------------------------

/** The bureau: the root of the district's tree, where departments and district-wide companies sit. */
export async function findBureau(db: Q): Promise<OrgUnit | undefined> {
  const r = await db
    .selectFrom('org_unit')
    .selectAll()
    .where('kind', '=', 'bureau')
    .where('parent_id', 'is', null)
    .orderBy('created_at')
    .executeTakeFirst();
  return r && toOrgUnit(r);
}

/** True when some company or department already owns this org unit. */
export async function unitHasParty(db: Q, unitId: string): Promise<boolean> {
  const c = await db
    .selectFrom('property_company')
    .select('id')
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  if (c) return true;
  return (
    (await db.selectFrom('department').select('id').where('unit_id', '=', unitId).executeTakeFirst()) !==
    undefined
  );
}
