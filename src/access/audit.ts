import { createHash } from 'node:crypto';

/** One entry of the append-only audit log, as hashed. */
export interface AuditRecord {
  seq: number;
  at: string;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  role: string | null;
  unitId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  /** Before/after summary (JSON text). */
  summary: string;
  requestId: string | null;
  prevHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys, so that the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** SHA-256 over the previous hash and the canonical form of the entry: the link of the chain. */
export function auditHash(r: AuditRecord): string {
  return createHash('sha256').update(r.prevHash).update('\n').update(canonicalJson(r)).digest('hex');
}

export type ChainProblem =
  | { kind: 'gap'; seq: number; expectedSeq: number }
  | { kind: 'brokenLink'; seq: number }
  | { kind: 'hashMismatch'; seq: number }
  | { kind: 'headMismatch'; seq: number; headSeq: number };

export type ChainResult = { ok: true; count: number } | { ok: false; count: number; problem: ChainProblem };

/**
 * Checks entries one at a time, in seq order, and keeps the first problem: a missing or reordered entry
 * (gap), an entry whose prevHash is not the previous entry's hash, an entry whose content no longer
 * matches its hash, or (at the end) a head that does not point at the last entry (the tail was cut off).
 */
export class ChainVerifier {
  private expectedSeq: number;
  private prev: string;
  private count = 0;
  private problem: ChainProblem | null = null;

  constructor(from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }) {
    this.expectedSeq = from.seq + 1;
    this.prev = from.hash;
  }

  /** Returns false once a problem is found; later entries are then ignored. */
  push(e: AuditRecord & { hash: string }): boolean {
    if (this.problem) return false;
    if (e.seq !== this.expectedSeq) this.problem = { kind: 'gap', seq: e.seq, expectedSeq: this.expectedSeq };
    else if (e.prevHash !== this.prev) this.problem = { kind: 'brokenLink', seq: e.seq };
    else {
      const { hash, ...record } = e;
      if (auditHash(record) !== hash) this.problem = { kind: 'hashMismatch', seq: e.seq };
      else {
        this.prev = hash;
        this.expectedSeq += 1;
        this.count += 1;
      }
    }
    return this.problem === null;
  }

  finish(head: { seq: number; hash: string }): ChainResult {
    if (this.problem) return { ok: false, count: this.count, problem: this.problem };
    if (head.seq !== this.expectedSeq - 1 || head.hash !== this.prev) {
      return { ok: false, count: this.count, problem: { kind: 'headMismatch', seq: this.expectedSeq - 1, headSeq: head.seq } };
    }
    return { ok: true, count: this.count };
  }
}

/** Verifies a whole chain held in memory. */
export function verifyChain(
  entries: Iterable<AuditRecord & { hash: string }>,
  head: { seq: number; hash: string },
): ChainResult {
  const v = new ChainVerifier();
  for (const e of entries) if (!v.push(e)) break;
  return v.finish(head);
}
