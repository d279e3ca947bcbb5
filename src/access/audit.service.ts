import type { Transaction } from 'kysely';
import type { Deps } from '../deps.js';
import type { DB } from '../schema.js';
import { forbidden } from '../platform/errors.js';
import { ChainVerifier, type ChainResult } from './audit.js';
import { appendAuditEntry, listAuditEntries, readAuditEntries, readAuditHead } from './audit.store.js';
import { can, type Actor } from './roles.js';

/** Who acts and under which request: passed to every service call that writes. */
export interface ActionContext {
  actor: Actor;
  requestId?: string;
}

export interface AuditInput {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

export type Audit = (input: AuditInput) => Promise<void>;

/**
 * The one way to write: opens a transaction, hands the work an `audit` function that appends to the
 * hash chain inside the same transaction, and commits both or neither. A write that records no audit
 * entry is refused, so no service can forget it.
 */
export async function audited<T>(
  deps: Pick<Deps, 'database' | 'clock'>,
  ctx: ActionContext,
  work: (tx: Transaction<DB>, audit: Audit) => Promise<T>,
): Promise<T> {
  const { database } = deps;
  return database.writeTransaction(async (tx) => {
    let entries = 0;
    const audit: Audit = async (input) => {
      entries += 1;
      await appendAuditEntry(tx, database.dialect, {
        at: deps.clock().toISOString(),
        actorKind: ctx.actor.kind,
        actorId: ctx.actor.id,
        actorName: ctx.actor.name,
        role: ctx.actor.role,
        unitId: ctx.actor.unitId || null,
        action: input.action,
        entity: input.entity,
        entityId: input.entityId ?? null,
        summary: JSON.stringify({ before: input.before ?? null, after: input.after ?? null }),
        requestId: ctx.requestId ?? null,
      });
    };
    const result = await work(tx, audit);
    if (entries === 0) throw new Error('audited(): a write transaction recorded no audit entry');
    return result;
  });
}

/** Walks the whole chain; the first bad entry, if any, is named in the result. */
export async function verifyAuditChain(deps: Pick<Deps, 'database'>): Promise<ChainResult> {
  const v = new ChainVerifier();
  for await (const e of readAuditEntries(deps.database.db)) if (!v.push(e)) break;
  return v.finish(await readAuditHead(deps.database.db));
}

export async function listAudit(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  filter: { entity?: string; entityId?: string; limit?: number; beforeSeq?: number },
) {
  if (!can(actor, 'audit:read')) throw forbidden();
  const rows = await listAuditEntries(deps.database.db, { ...filter, limit: Math.min(filter.limit ?? 50, 500) });
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name, role: r.role, unitId: r.unit_id },
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    summary: JSON.parse(r.summary) as unknown,
    requestId: r.request_id,
    hash: r.hash,
  }));
}
