// The rules of the job queue, pure: types, backoff, the retry decision, recurring slots. No I/O, no
// clock (a `now` is passed in), no randomness of its own (a `random` in [0, 1) is passed in).

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'failed'];

/** A job as the rest of the system sees it; instants are ISO-8601 UTC text with milliseconds. */
export interface Job {
  id: string;
  kind: string;
  payload: unknown;
  dedupeKey: string | null;
  status: JobStatus;
  runAt: string;
  /** Runs started so far, counting the current one: a claim increments it. */
  attempts: number;
  maxAttempts: number;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Aborted when this process has lost the job's lease (another process may now run it): stop early. */
  signal: AbortSignal;
}

/** Does the work of one kind of job. Resolving completes the job; throwing fails this attempt. */
export type JobHandler<P = unknown> = (payload: P, ctx: JobContext) => Promise<void>;

/**
 * Thrown by a handler when retrying cannot help (the payload names something that no longer exists,
 * say): the job fails at once instead of spending its remaining attempts.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export interface BackoffPolicy {
  /** Delay before the first retry. */
  baseMs: number;
  /** No delay exceeds this. */
  maxMs: number;
  /** Fraction of the delay removed at random, 0 … 1, so that jobs failing together do not retry together. */
  jitter: number;
}

/** 2 s, 4 s, 8 s … up to one hour, each shortened by up to a fifth at random. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 60 * 60 * 1000, jitter: 0.2 };
export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * The delay before retrying after the `attempt`-th run failed: baseMs · 2^(attempt−1), capped at maxMs,
 * then shortened by up to `jitter` of itself ("equal jitter" keeps a floor, so retries never stampede
 * back at once).
 */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^exponent overflows to Infinity for huge attempts, which the cap absorbs.
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const r = Math.min(1, Math.max(0, random));
  return Math.round(delay * (1 - jitter * r));
}

export type RetryDecision = { kind: 'retry'; runAt: string } | { kind: 'give-up' };

/** After a failed run: retry later with backoff, or give up (attempts spent, or the error is permanent). */
export function retryDecision(input: {
  attempt: number;
  maxAttempts: number;
  error: unknown;
  now: Date;
  policy: BackoffPolicy;
  random: number;
}): RetryDecision {
  if (input.error instanceof PermanentJobError || input.attempt >= input.maxAttempts)
    return { kind: 'give-up' };
  const delay = backoffMs(input.attempt, input.policy, input.random);
  return { kind: 'retry', runAt: new Date(input.now.getTime() + delay).toISOString() };
}

const MAX_ERROR_TEXT = 2000;

/** What is kept of an error in `last_error`: its name and message (and the cause's), bounded in length. */
export function errorText(error: unknown): string {
  const one = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  let text = one(error);
  if (error instanceof Error && error.cause !== undefined) text += ` (cause: ${one(error.cause)})`;
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text;
}

/**
 * The slot a recurring schedule is in at `now`: slots are `intervalMs` long and start at the Unix epoch
 * shifted by `offsetMs` (e.g. −8 h so that daily slots start at midnight in Shanghai, UTC+8).
 */
export function slotStart(now: Date, intervalMs: number, offsetMs = 0): Date {
  const t = now.getTime() - offsetMs;
  return new Date(Math.floor(t / intervalMs) * intervalMs + offsetMs);
}

/** Dedupe keys starting with this belong to recurring slots; callers' own keys must not use it. */
export const SLOT_KEY_PREFIX = 'every:';

/**
 * The dedupe key of one slot of a recurring schedule: every process computes the same key for the same
 * slot, so the unique index lets exactly one run of the slot into the queue.
 */
export function slotDedupeKey(kind: string, intervalMs: number, slot: Date): string {
  return `${SLOT_KEY_PREFIX}${kind}:${intervalMs}:${slot.toISOString()}`;
}

/** A recurring job's payload: the start of the slot it runs for. */
export interface SlotPayload {
  slot: string;
}
