import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { CategoryTable } from './registry.tables.js';
import {
  isCategoryFamily,
  isCategoryKind,
  isUnitKindRef,
  type Category,
  type CategoryKey,
  type MajorClass,
} from './categories.js';

type Q = Kysely<DB> | Transaction<DB>;

export const toCategory = (r: CategoryTable): Category => ({
  key: r.key as CategoryKey,
  kind: isCategoryKind(r.kind) ? r.kind : 'event',
  code: r.code,
  majorCode: r.major_code,
  majorName: r.major_name,
  majorNameEn: r.major_name_en,
  parentKey: r.parent_key as CategoryKey | null,
  name: r.name,
  nameEn: r.name_en,
  local: r.local === 1,
  family: r.family !== null && isCategoryFamily(r.family) ? r.family : null,
  defaultUnitKind:
    r.default_unit_kind !== null && isUnitKindRef(r.default_unit_kind) ? r.default_unit_kind : null,
  defaultTimeLimit: r.default_time_limit,
  active: r.active === 1,
  version: r.version,
});

export async function findCategory(db: Q, key: string): Promise<Category | undefined> {
  const r = await db.selectFrom('category').selectAll().where('key', '=', key).executeTakeFirst();
  return r && toCategory(r);
}

/** Every category row, standard and local, keyed by key (the loader compares against it). */
export async function allCategoryRows(db: Q): Promise<Map<string, CategoryTable>> {
  const rows = await db.selectFrom('category').selectAll().execute();
  return new Map(rows.map((r) => [r.key, r]));
}

export async function insertCategories(db: Q, rows: readonly CategoryTable[]): Promise<void> {
  // Chunks keep every statement far below SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < rows.length; i += 50)
    await db
      .insertInto('category')
      .values(rows.slice(i, i + 50))
      .execute();
}

/** Updates one category if it still has `version`; false when someone else changed it first. */
export async function updateCategoryRow(
  db: Q,
  key: string,
  version: number,
  patch: Partial<Omit<CategoryTable, 'key' | 'kind' | 'code' | 'local' | 'created_at' | 'version'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('category')
    .set({ ...patch, version: version + 1 })
    .where('key', '=', key)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface CategoryFilter {
  kind?: string;
  major?: string;
  q?: string;
  local?: boolean;
  family?: string;
  includeInactive?: boolean;
  limit: number;
}

export async function listCategoryRows(db: Q, f: CategoryFilter): Promise<Category[]> {
  let q = db.selectFrom('category').selectAll().orderBy('kind').orderBy('code').limit(f.limit);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.major) q = q.where('major_code', '=', f.major);
  if (f.local !== undefined) q = q.where('local', '=', f.local ? 1 : 0);
  if (f.family) q = q.where('family', '=', f.family);
  if (!f.includeInactive) q = q.where('active', '=', 1);
  if (f.q) {
    const text = f.q;
    const lower = `%${text.toLowerCase()}%`;
    q = q.where((eb) =>
      eb.or([
        eb('name', 'like', `%${text}%`),
        eb(eb.fn<string>('lower', ['name_en']), 'like', lower),
        eb('code', 'like', `${text}%`),
        eb('key', '=', text),
      ]),
    );
  }
  return (await q.execute()).map(toCategory);
}

/** The major classes with their names and counts of active categories (standard and local). */
export async function listMajorClassRows(db: Q): Promise<MajorClass[]> {
  const rows = await db
    .selectFrom('category')
    .select((eb) => [
      'kind',
      'major_code',
      eb.fn.max('major_name').as('major_name'),
      eb.fn.max('major_name_en').as('major_name_en'),
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('local').as('n_local'),
    ])
    .where('active', '=', 1)
    .groupBy(['kind', 'major_code'])
    .orderBy('kind')
    .orderBy('major_code')
    .execute();
  return rows.map((r) => ({
    kind: isCategoryKind(r.kind) ? r.kind : 'event',
    code: r.major_code,
    name: r.major_name,
    nameEn: r.major_name_en,
    count: Number(r.n),
    localCount: Number(r.n_local ?? 0),
  }));
}

/** The name of a major class as the standard rows have it, or undefined when the class does not exist. */
export async function findStandardMajor(
  db: Q,
  kind: string,
  majorCode: string,
): Promise<{ name: string; nameEn: string | null } | undefined> {
  const r = await db
    .selectFrom('category')
    .select(['major_name', 'major_name_en'])
    .where('kind', '=', kind)
    .where('major_code', '=', majorCode)
    .where('local', '=', 0)
    .limit(1)
    .executeTakeFirst();
  return r && { name: r.major_name, nameEn: r.major_name_en };
}
