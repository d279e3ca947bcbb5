// The SQL of the demo year: what it reads of the stored demo district (read-only) and the bulk inserts of its
// generated history. Demo data only: the product's own writes go through each capability's store.
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../../schema.js';

type Q = Kysely<DB> | Transaction<DB>;

/** The illegal-construction categories, and whether reports of them are stored already (the year is loaded). */
export async function illegalConstructionCategories(db: Q): Promise<{ categories: { key: string; parentKey: string | null }[]; reported: boolean }> {
  const rows = await db.selectFrom('category').select(['key', 'parent_key']).where('family', '=', 'illegalConstruction').execute();
  const reported =
    rows.length > 0 &&
    (await db.selectFrom('report').select('id').where('category_key', 'in', rows.map((c) => c.key)).limit(1).executeTakeFirst()) !== undefined;
  return { categories: rows.map((r) => ({ key: r.key, parentKey: r.parent_key })), reported };
}

/** What the year is planned over: units, active compounds, property companies and active users. */
export async function demoYearSources(db: Q) {
  const units = await db.selectFrom('org_unit').select(['id', 'kind', 'code', 'path', 'parent_id']).execute();
  const compounds = await db
    .selectFrom('compound')
    .select(['id', 'name', 'lng', 'lat', 'community_id', 'property_company_id'])
    .where('active', '=', 1)
    .orderBy('code')
    .execute();
  const companies = await db.selectFrom('property_company').select(['id', 'name', 'credit_code', 'unit_id']).execute();
  const users = await db.selectFrom('app_user').select(['id', 'role', 'display_name', 'unit_id']).where('active', '=', 1).execute();
  return { units, compounds, companies, users };
}

/** Inserts rows in chunks that stay under both dialects' bound-parameter limits. */
export async function bulkInsert<T extends keyof DB & string>(
  tx: Transaction<DB>,
  table: T,
  rows: ReadonlyArray<Insertable<DB[T]>>,
): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.floor(30_000 / cols));
  for (let i = 0; i < rows.length; i += size)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's generic insert over a table name
    await (tx.insertInto(table) as any).values(rows.slice(i, i + size)).execute();
}
