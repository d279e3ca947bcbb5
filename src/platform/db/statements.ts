// Hot-path statements without Kysely's per-call query building. Building and compiling an INSERT of a
// 25-column row through the query builder costs about as much as SQLite takes to store it; intake writes
// three such rows per report. The SQL text of each shape is compiled once (by Kysely, so quoting and
// placeholders stay the dialect's) and reused with the new values in the same order.
import { CompiledQuery, type Insertable, type Kysely, type Transaction } from 'kysely';

type Q<DB> = Kysely<DB> | Transaction<DB>;

/** Compiled SQL texts per dialect adapter (the same object for a database and all its transactions). */
const texts = new WeakMap<object, Map<string, string>>();

function textsOf<DB>(db: Q<DB>): Map<string, string> {
  const adapter = db.getExecutor().adapter;
  let m = texts.get(adapter);
  if (!m) {
    m = new Map();
    texts.set(adapter, m);
  }
  return m;
}

/**
 * Inserts one row. The same as `db.insertInto(table).values(row).execute()` (undefined values are left
 * out, as Kysely leaves them out), with the statement's text compiled once per table and column list.
 */
export async function insertRow<DB, T extends keyof DB & string>(
  db: Q<DB>,
  table: T,
  row: Insertable<DB[T]>,
): Promise<void> {
  const record = row as Record<string, unknown>;
  const columns = Object.keys(record).filter((k) => record[k] !== undefined);
  const key = `insert\u0000${table}\u0000${columns.join('\u0000')}`;
  const cache = textsOf(db);
  let text = cache.get(key);
  if (text === undefined) {
    text = db.insertInto(table).values(row).compile().sql;
    cache.set(key, text);
  }
  await db.executeQuery(
    CompiledQuery.raw(
      text,
      columns.map((c) => record[c]),
    ),
  );
}

/**
 * A fixed-shape query compiled once per dialect: `build` is called with sample values the first time only,
 * and every call passes its own parameters in the order the compiled text expects them (the order the
 * builder emits them: SET values, then WHERE values, left to right). Keep such queries few and simple.
 */
export function fixedQuery<DB, R>(
  key: string,
  build: (db: Q<DB>) => { compile(): CompiledQuery<R> },
): (db: Q<DB>, parameters: readonly unknown[]) => Promise<R[]> {
  const counts = new WeakMap<object, number>();
  return async (db, parameters) => {
    const cache = textsOf(db);
    let text = cache.get(key);
    if (text === undefined) {
      const compiled = build(db).compile();
      text = compiled.sql;
      cache.set(key, text);
      counts.set(db.getExecutor().adapter, compiled.parameters.length);
    }
    const expected = counts.get(db.getExecutor().adapter);
    if (expected !== parameters.length)
      throw new Error(
        `fixedQuery ${key}: compiled with ${expected} parameters, called with ${parameters.length}`,
      );
    return (await db.executeQuery(CompiledQuery.raw(text, [...parameters]) as CompiledQuery<R>)).rows;
  };
}
