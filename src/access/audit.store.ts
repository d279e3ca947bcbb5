import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../platform/db/database.js';
import { fixedQuery, insertRow } from '../platform/db/statements.js';
import { auditHash, type AuditRecord } from './audit.js';

export type AuditInsert = Omit<AuditRecord, 'seq' | 'prevHash'>;

/**
 * Appends one entry to the chain inside the caller's transaction. Reading the head with FOR UPDATE on
 * PostgreSQL makes concurrent writers queue on the head row, so every entry links to its true
 * predecessor; SQLite writers are serialised by the database itself.
 */
export async function appendAuditEntry(
  tx: Transaction<DB>,
  dialect: Dialect,
  entry: AuditInsert,
): Promise<AuditRecord & { hash: string }> {
  const [head] = await (dialect === 'postgres' ? readHeadForUpdate : readHead)(tx, [1]);
  if (!head) throw new Error('audit_head has no row: the database was not migrated');
  const record: AuditRecord = { ...entry, seq: Number(head.seq) + 1, prevHash: head.hash };
  const hash = auditHash(record);
  await insertRow(tx, 'audit_entry', {
    seq: record.seq,
    at: record.at,
    actor_kind: record.actorKind,
    actor_id: record.actorId,
    actor_name: record.actorName,
    role: record.role,
    unit_id: record.unitId,
    action: record.action,
    entity: record.entity,
    entity_id: record.entityId,
    summary: record.summary,
    request_id: record.requestId,
    prev_hash: record.prevHash,
    hash,
  });
  await moveHead(tx, [record.seq, hash, 1]);
  return { ...record, hash };
}

// Every write transaction appends an entry: these three statements are compiled once (statements.ts).
const readHead = fixedQuery('audit.head', (db: Kysely<DB> | Transaction<DB>) =>
  db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1),
);
const readHeadForUpdate = fixedQuery('audit.head.forUpdate', (db: Kysely<DB> | Transaction<DB>) =>
  db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate(),
);
/** Parameters: seq, hash, then the head row's id (1). */
const moveHead = fixedQuery('audit.head.move', (db: Kysely<DB> | Transaction<DB>) =>
  db.updateTable('audit_head').set({ seq: 0, hash: '' }).where('id', '=', 1),
);

export async function readAuditHead(db: Kysely<DB>): Promise<{ seq: number; hash: string }> {
  const h = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(h.seq), hash: h.hash };
}

/** Streams the chain in seq order, a page at a time, so verification holds any length in little memory. */
export async function* readAuditEntries(
  db: Kysely<DB>,
  pageSize = 5000,
): AsyncGenerator<AuditRecord & { hash: string }> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_entry')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      yield {
        seq: Number(r.seq),
        at: r.at,
        actorKind: r.actor_kind,
        actorId: r.actor_id,
        actorName: r.actor_name,
        role: r.role,
        unitId: r.unit_id,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        summary: r.summary,
        requestId: r.request_id,
        prevHash: r.prev_hash,
        hash: r.hash,
      };
    }
    const last = rows[rows.length - 1];
    if (!last) return;
    after = Number(last.seq);
  }
}

export interface AuditListFilter {
  entity?: string;
  entityId?: string;
  limit: number;
  beforeSeq?: number;
}

export async function listAuditEntries(db: Kysely<DB>, f: AuditListFilter) {
  let q = db.selectFrom('audit_entry').selectAll().orderBy('seq', 'desc').limit(f.limit);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.beforeSeq) q = q.where('seq', '<', f.beforeSeq);
  return q.execute();
}
