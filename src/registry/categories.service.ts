import { join } from 'node:path';
import type { Transaction } from 'kysely';
import type { Deps } from '../deps.js';
import type { DB } from '../schema.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, type Actor } from '../access/roles.js';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.js';
import type { CategoryTable } from './registry.tables.js';
import {
  DEFAULT_LOCAL_CATEGORIES,
  STANDARD_FAMILIES,
  assertDefaults,
  categoryKey,
  isCategoryFamily,
  localCodeProblem,
  majorNameEn,
  parseStandardDirectory,
  patchNeeds,
  standardDefaults,
  standardNameEn,
  type Category,
  type CategoryFamily,
  type CategoryKind,
  type CategoryPatch,
  type LocalCategorySpec,
  type MajorClass,
} from './categories.js';
import {
  allCategoryRows,
  findCategory,
  findStandardMajor,
  insertCategories,
  listCategoryRows,
  listMajorClassRows,
  updateCategoryRow,
  type CategoryFilter,
} from './categories.store.js';

/** Where the standard directory lives, relative to the configured shared data folder. */
export const STANDARD_DIRECTORY_FILE = join('categories', 'gbt47678-5-2026-directory.csv');
/** The directory file's path under a shared data folder (`config.sharedDataDir`). */
export const standardDirectoryPath = (sharedDataDir: string): string =>
  join(sharedDataDir, STANDARD_DIRECTORY_FILE);

export interface LoadResult {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Standard categories in the database that the file no longer lists (kept; never deleted). */
  notInFile: number;
  /** Rows the English table (category-names-en.ts) does not know yet: loaded with the Chinese name as nameEn. */
  withoutNameEn: string[];
  localCreated: number;
}

type Tx = Transaction<DB>;

async function createDefaultLocals(
  tx: Tx,
  existing: Map<string, CategoryTable>,
  now: string,
): Promise<string[]> {
  const rows: CategoryTable[] = [];
  for (const spec of DEFAULT_LOCAL_CATEGORIES) {
    const key = categoryKey(spec.kind, spec.code);
    if (existing.has(key)) continue; // never overwrite what the bureau may have edited or deactivated
    if (spec.parentKey !== null && !existing.has(spec.parentKey)) continue;
    const major = spec.code.slice(0, 2);
    const majorRow = [...existing.values()].find(
      (r) => r.kind === spec.kind && r.major_code === major && r.local === 0,
    );
    if (!majorRow) continue; // the standard directory is not loaded: nothing to hang it under
    rows.push(localRow(spec, { name: majorRow.major_name, nameEn: majorRow.major_name_en }, now));
  }
  await insertCategories(tx, rows);
  return rows.map((r) => r.key);
}

function localRow(
  spec: LocalCategorySpec,
  major: { name: string; nameEn: string | null },
  now: string,
): CategoryTable {
  return {
    key: categoryKey(spec.kind, spec.code),
    kind: spec.kind,
    code: spec.code,
    major_code: spec.code.slice(0, 2),
    major_name: major.name,
    major_name_en: major.nameEn,
    parent_key: spec.parentKey,
    name: spec.name,
    name_en: spec.nameEn,
    local: 1,
    family: spec.family,
    default_unit_kind: spec.defaultUnitKind,
    default_time_limit: spec.defaultTimeLimit,
    active: 1,
    created_at: now,
    updated_at: now,
    version: 1,
  };
}

/**
 * Loads the GB/T 47678.5 directory into the category table and ensures the default local categories.
 * Idempotent: a category already there keeps its key, defaults and active flag; only its names (and the
 * major class names) follow the file, bumping the version when they change. One audit entry with counts.
 * Standard categories the file no longer lists are kept (cases refer to them) and counted.
 */
export async function loadStandardCategories(
  deps: Deps,
  ctx: ActionContext,
  csvText: string,
): Promise<LoadResult> {
  if (!can(ctx.actor, 'registry:write')) throw forbidden();
  const parsed = parseStandardDirectory(csvText);
  // A newer directory may list codes the English table lacks: load them (the Chinese name stands in, the
  // column is NOT NULL) and name them in the result, rather than refuse the whole standard.
  const withoutNameEn = parsed.filter((r) => standardNameEn(r.key) === undefined).map((r) => r.key);
  return audited(deps, ctx, async (tx, audit) => {
    const now = deps.clock().toISOString();
    const existing = await allCategoryRows(tx);
    const fresh: CategoryTable[] = [];
    let updated = 0;
    let unchanged = 0;
    for (const r of parsed) {
      const names = {
        major_name: r.majorName,
        major_name_en: majorNameEn(r.kind, r.majorCode),
        name: r.name,
        name_en: standardNameEn(r.key) ?? r.name,
      };
      const old = existing.get(r.key);
      if (!old) {
        const defaults = standardDefaults(r.code);
        const row: CategoryTable = {
          key: r.key,
          kind: r.kind,
          code: r.code,
          major_code: r.majorCode,
          ...names,
          parent_key: null,
          local: 0,
          family: STANDARD_FAMILIES[r.key] ?? null,
          default_unit_kind: defaults.unitKind,
          default_time_limit: defaults.timeLimit,
          active: 1,
          created_at: now,
          updated_at: now,
          version: 1,
        };
        fresh.push(row);
        existing.set(r.key, row);
      } else if (
        old.name !== names.name ||
        old.name_en !== names.name_en ||
        old.major_name !== names.major_name ||
        old.major_name_en !== names.major_name_en
      ) {
        if (!(await updateCategoryRow(tx, r.key, old.version, { ...names, updated_at: now })))
          throw conflict('versionConflict', { entity: 'category', key: r.key });
        updated += 1;
      } else {
        unchanged += 1;
      }
    }
    await insertCategories(tx, fresh);
    const inFile = new Set<string>(parsed.map((r) => r.key));
    const notInFile = [...existing.values()].filter((r) => r.local === 0 && !inFile.has(r.key)).length;
    const locals = await createDefaultLocals(tx, existing, now);
    const result: LoadResult = {
      rows: parsed.length,
      inserted: fresh.length,
      updated,
      unchanged,
      notInFile,
      withoutNameEn,
      localCreated: locals.length,
    };
    await audit({
      action: 'category.load',
      entity: 'category',
      entityId: null,
      after: { ...result, localKeys: locals },
    });
    return result;
  });
}

/** Creates the default local categories that are absent (e.g. after one was added to the list); audited. */
export async function ensureDefaultLocalCategories(
  deps: Deps,
  ctx: ActionContext,
): Promise<{ created: string[] }> {
  if (!can(ctx.actor, 'registry:write')) throw forbidden();
  return audited(deps, ctx, async (tx, audit) => {
    const created = await createDefaultLocals(tx, await allCategoryRows(tx), deps.clock().toISOString());
    await audit({ action: 'category.ensureLocal', entity: 'category', entityId: null, after: { created } });
    return { created };
  });
}

export interface CategoryQuery {
  kind?: CategoryKind;
  major?: string;
  q?: string;
  local?: boolean;
  family?: CategoryFamily;
  includeInactive?: boolean;
  limit?: number;
}

/** Categories matching the filter (every active one by default); the directory is district-wide. */
export async function listCategories(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  f: CategoryQuery,
): Promise<Category[]> {
  if (!can(actor, 'registry:read')) throw forbidden();
  const filter: CategoryFilter = { ...f, limit: Math.min(f.limit ?? 2000, 5000) };
  return listCategoryRows(deps.database.db, filter);
}

export async function getCategory(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  key: string,
): Promise<Category> {
  if (!can(actor, 'registry:read')) throw forbidden();
  const c = await findCategory(deps.database.db, key);
  if (!c) throw notFound('category', key);
  return c;
}

/** The major classes with zh/en names and the number of active categories in each. */
export async function listMajorClasses(deps: Pick<Deps, 'database'>, actor: Actor): Promise<MajorClass[]> {
  if (!can(actor, 'registry:read')) throw forbidden();
  return listMajorClassRows(deps.database.db);
}

export interface NewLocalCategory {
  kind: CategoryKind;
  majorCode: string;
  code: string;
  name: string;
  nameEn: string;
  parentKey?: string | null;
  family?: string | null;
  defaultUnitKind?: string | null;
  defaultTimeLimit?: string | null;
}

/** Checks that a parent is a standard category of the same kind and major class; returns it. */
async function checkParent(
  tx: Tx,
  kind: CategoryKind,
  majorCode: string,
  parentKey: string,
): Promise<Category> {
  const parent = await findCategory(tx, parentKey);
  if (!parent) throw invalid('categoryParentUnknown', { field: 'parentKey', value: parentKey });
  if (parent.local || parent.kind !== kind || parent.majorCode !== majorCode) {
    throw invalid('categoryParentMismatch', { field: 'parentKey', value: parentKey, kind, majorCode });
  }
  return parent;
}

/**
 * Adds a local category under a standard major class (registry:write; defaults need rules:manage too,
 * else they are inherited from the parent or the major class). Refuses an unknown class, a code outside
 * the local range and a code already taken.
 */
export async function createLocalCategory(
  deps: Deps,
  ctx: ActionContext,
  input: NewLocalCategory,
): Promise<Category> {
  if (!can(ctx.actor, 'registry:write')) throw forbidden();
  const givesDefaults = input.defaultUnitKind != null || input.defaultTimeLimit != null;
  if (givesDefaults && !can(ctx.actor, 'rules:manage')) throw forbidden();
  assertDefaults(input);
  if (input.family != null && !isCategoryFamily(input.family))
    throw invalid('categoryFamily', { field: 'family', value: input.family });
  const codeProblem = localCodeProblem(input.majorCode, input.code);
  if (codeProblem)
    throw invalid('categoryLocalCode', {
      field: 'code',
      reason: codeProblem,
      value: input.code,
      majorCode: input.majorCode,
    });
  return audited(deps, ctx, async (tx, audit) => {
    const major = await findStandardMajor(tx, input.kind, input.majorCode);
    if (!major)
      throw invalid('categoryMajorUnknown', { field: 'majorCode', kind: input.kind, value: input.majorCode });
    const key = categoryKey(input.kind, input.code);
    if (await findCategory(tx, key))
      throw conflict('duplicateCode', { field: 'code', code: input.code, key });
    const parent = input.parentKey
      ? await checkParent(tx, input.kind, input.majorCode, input.parentKey)
      : undefined;
    const inherited = parent
      ? { unitKind: parent.defaultUnitKind, timeLimit: parent.defaultTimeLimit }
      : standardDefaults(`${input.majorCode}000`);
    const now = deps.clock().toISOString();
    const row = localRow(
      {
        kind: input.kind,
        code: input.code,
        parentKey: parent?.key ?? null,
        name: input.name,
        nameEn: input.nameEn,
        family: (input.family ?? parent?.family ?? null) as CategoryFamily | null,
        defaultUnitKind: (input.defaultUnitKind ??
          inherited.unitKind ??
          'squad') as LocalCategorySpec['defaultUnitKind'],
        defaultTimeLimit: input.defaultTimeLimit ?? inherited.timeLimit ?? '3 workday',
      },
      major,
      now,
    );
    await insertCategories(tx, [row]);
    const created = await findCategory(tx, key);
    if (!created) throw new Error(`category ${key} vanished inside its own transaction`);
    await audit({ action: 'category.create', entity: 'category', entityId: key, after: created });
    return created;
  });
}

/**
 * Edits a category under optimistic locking (`version`; Conflict when stale). Local categories: names,
 * parent, family, active (registry:write). Every category: its default unit kind and time limit
 * (rules:manage). A standard category's own fields are refused as Invalid naming the field.
 */
export async function updateCategory(
  deps: Deps,
  ctx: ActionContext,
  key: string,
  input: CategoryPatch & { version: number },
): Promise<Category> {
  const { version, ...patch } = input;
  if (!can(ctx.actor, 'registry:write') && !can(ctx.actor, 'rules:manage')) throw forbidden();
  return audited(deps, ctx, async (tx, audit) => {
    const current = await findCategory(tx, key);
    if (!current) throw notFound('category', key);
    const needs = patchNeeds(current, patch);
    if (
      (needs.registryWrite && !can(ctx.actor, 'registry:write')) ||
      (needs.rulesManage && !can(ctx.actor, 'rules:manage'))
    )
      throw forbidden();
    if (current.version !== version)
      throw conflict('versionConflict', { entity: 'category', key, version: current.version });
    if (patch.parentKey) await checkParent(tx, current.kind, current.majorCode, patch.parentKey);
    const changes: Partial<CategoryTable> = {};
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.nameEn !== undefined) changes.name_en = patch.nameEn;
    if (patch.parentKey !== undefined) changes.parent_key = patch.parentKey;
    if (patch.family !== undefined) changes.family = patch.family;
    if (patch.active !== undefined) changes.active = patch.active ? 1 : 0;
    if (patch.defaultUnitKind !== undefined) changes.default_unit_kind = patch.defaultUnitKind;
    if (patch.defaultTimeLimit !== undefined) changes.default_time_limit = patch.defaultTimeLimit;
    if (
      !(await updateCategoryRow(tx, key, version, { ...changes, updated_at: deps.clock().toISOString() }))
    ) {
      throw conflict('versionConflict', { entity: 'category', key });
    }
    const after = await findCategory(tx, key);
    if (!after) throw new Error(`category ${key} vanished inside its own transaction`);
    const before = Object.fromEntries(Object.keys(patch).map((f) => [f, current[f as keyof Category]]));
    const action = patch.active === false ? 'category.deactivate' : 'category.update';
    await audit({ action, entity: 'category', entityId: key, before, after: patch });
    return after;
  });
}
