/**
 * The job runner of a server process: polls the `job` table, claims due jobs under a lease, runs their
 * handlers, and records the outcome; also keeps recurring schedules filled.
 *
 * Delivery is AT LEAST ONCE. A run that finishes cleanly (its handler resolves and the completion is
 * recorded while the run still holds its lease) is never run again, by this or any other process. A
 * run whose process dies, or that stalls past its lease without a heartbeat, is claimed again by some
 * process once the lease has expired — so its handler may run a second time after having done part or
 * all of its work. Handlers must therefore be idempotent, or guard their effect themselves (the usual
 * way: write the effect and a "done" marker in one transaction, or use a dedupe key for follow-up jobs).
 *
 * Instants come from each process's clock; processes on different hosts need clocks that agree to well
 * within the lease (NTP does this).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  errorText,
  retryDecision,
  slotDedupeKey,
  slotStart,
  type BackoffPolicy,
  type Job,
  type JobHandler,
  type JobStatus,
  type SlotPayload,
} from './jobs.js';
import {
  claimJobs,
  completeJob,
  countJobsByStatus,
  enqueueJob,
  extendLease,
  failJob,
  type JobDatabase,
  type RunRef,
} from './jobs.store.js';

/** The logging the runner does; a pino Logger fits. */
export interface JobLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const silentLogger: JobLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface JobRunnerOptions {
  /** The database holding the `job` table; from the app's database use `jobDatabase(deps.database)`. */
  database: JobDatabase;
  /** Names this process in leases; must be unique among the processes sharing the database. */
  owner: string;
  /** One handler per kind. This runner claims only jobs of these kinds. */
  handlers: Record<string, JobHandler>;
  /** How often to look for due jobs when idle. Default 1000. */
  pollMs?: number;
  /** How long a claim holds a job without a heartbeat. Default 60 000. */
  leaseMs?: number;
  /** Heartbeat period while a job runs; must be well below leaseMs. Default leaseMs / 3. */
  heartbeatMs?: number;
  /** Jobs run at the same time by this process. Default 4. */
  concurrency?: number;
  clock?: () => Date;
  logger?: JobLogger;
  backoff?: BackoffPolicy;
  /** Attempts a job gets when enqueue does not say. Default 5. */
  defaultMaxAttempts?: number;
  /** A number in [0, 1) for the backoff jitter; tests pass a fixed one. */
  random?: () => number;
}

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one job ever exists per key (e.g. `reminder:<case>:<deadline>`): no reminder is sent twice. */
  dedupeKey?: string;
  maxAttempts?: number;
}

interface Schedule {
  intervalMs: number;
  offsetMs: number;
  maxAttempts: number;
  /** The last slot this process has made sure is in the queue. */
  lastSlot?: string;
}

/** An owner name unique to this process: host, pid and a random suffix. */
export function defaultOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

const positiveInt = (name: string, v: number): number => {
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`JobRunner: ${name} must be a positive integer, got ${v}`);
  return v;
};

export class JobRunner {
  private readonly database: JobDatabase;
  readonly owner: string;
  private readonly handlers: ReadonlyMap<string, JobHandler>;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly concurrency: number;
  private readonly clock: () => Date;
  private readonly logger: JobLogger;
  private readonly backoff: BackoffPolicy;
  private readonly defaultMaxAttempts: number;
  private readonly random: () => number;

  private readonly schedules = new Map<string, Schedule>();
  private readonly running = new Map<string, Promise<void>>();
  private started = false;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private tickInFlight: Promise<void> | undefined;
  private wakeRequested = false;

  constructor(options: JobRunnerOptions) {
    if (!options.owner) throw new RangeError('JobRunner: owner must not be empty');
    this.database = options.database;
    this.owner = options.owner;
    this.handlers = new Map(Object.entries(options.handlers));
    this.pollMs = positiveInt('pollMs', options.pollMs ?? 1000);
    this.leaseMs = positiveInt('leaseMs', options.leaseMs ?? 60_000);
    this.heartbeatMs = positiveInt(
      'heartbeatMs',
      options.heartbeatMs ?? Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    if (this.heartbeatMs >= this.leaseMs)
      throw new RangeError('JobRunner: heartbeatMs must be below leaseMs');
    this.concurrency = positiveInt('concurrency', options.concurrency ?? 4);
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.defaultMaxAttempts = positiveInt(
      'defaultMaxAttempts',
      options.defaultMaxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    );
    this.random = options.random ?? Math.random;
  }

  /** Adds a job; with a dedupe key already used, adds nothing and returns the existing job's id. */
  enqueue(
    kind: string,
    payload: unknown,
    options: EnqueueOptions = {},
  ): Promise<{ id: string; created: boolean }> {
    const now = this.clock();
    return enqueueJob(this.database, {
      kind,
      payload,
      runAt: options.runAt ?? now,
      maxAttempts: positiveInt('maxAttempts', options.maxAttempts ?? this.defaultMaxAttempts),
      dedupeKey: options.dedupeKey,
      now,
    });
  }

  /**
   * Runs `kind` once per slot of `intervalMs` (slots start at the epoch shifted by `offsetMs`). Each
   * poll makes sure the current slot's job is queued, under a dedupe key naming the slot, so any
   * number of processes create one run per slot. The handler gets `{ slot }` (an ISO instant) as its
   * payload. Slots passed while no process was running are not made up.
   */
  every(kind: string, intervalMs: number, options: { offsetMs?: number; maxAttempts?: number } = {}): void {
    if (!this.handlers.has(kind)) throw new RangeError(`JobRunner: no handler for recurring kind ${kind}`);
    this.schedules.set(kind, {
      intervalMs: positiveInt('intervalMs', intervalMs),
      offsetMs: options.offsetMs ?? 0,
      maxAttempts: positiveInt('maxAttempts', options.maxAttempts ?? this.defaultMaxAttempts),
    });
    this.wake();
  }

  /** Starts polling. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.logger.info({ owner: this.owner, kinds: [...this.handlers.keys()] }, 'job runner started');
    this.schedule(0);
  }

  /** Stops claiming jobs and resolves once every job this process is running has finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tickInFlight;
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
    if (this.started) this.logger.info({ owner: this.owner }, 'job runner stopped');
    this.started = false;
  }

  /** Jobs this process is running now. */
  get activeCount(): number {
    return this.running.size;
  }

  counts(): Promise<Record<JobStatus, number>> {
    return countJobsByStatus(this.database);
  }

  /**
   * One poll, for tests and tools: queues the current recurring slots, claims what is due (up to the
   * free concurrency) and runs it to the end. Returns how many jobs ran.
   */
  async runDueOnce(): Promise<number> {
    await this.ensureSchedules();
    const jobs = await this.claim();
    await Promise.all(jobs.map((job) => this.launch(job)));
    return jobs.length;
  }

  private wake(): void {
    if (this.started && !this.stopping) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopping) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.tickInFlight) {
        this.wakeRequested = true;
        return;
      }
      this.tickInFlight = this.tick().finally(() => {
        this.tickInFlight = undefined;
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    this.wakeRequested = false;
    let full = false;
    try {
      await this.ensureSchedules();
      const free = this.concurrency - this.running.size;
      const jobs = await this.claim();
      // Not awaited: each job reports its own outcome and wakes the loop when it ends.
      for (const job of jobs) void this.launch(job);
      full = free > 0 && jobs.length === free;
    } catch (error) {
      this.logger.error({ owner: this.owner, err: errorText(error) }, 'job poll failed');
    }
    // A full batch suggests more is due; otherwise wait for the next poll or a finishing job's wake.
    this.schedule(full || this.wakeRequested ? 0 : this.pollMs);
  }

  private async ensureSchedules(): Promise<void> {
    const now = this.clock();
    for (const [kind, s] of this.schedules) {
      const slot = slotStart(now, s.intervalMs, s.offsetMs);
      const iso = slot.toISOString();
      if (s.lastSlot === iso) continue;
      const payload: SlotPayload = { slot: iso };
      await enqueueJob(this.database, {
        kind,
        payload,
        runAt: slot,
        maxAttempts: s.maxAttempts,
        dedupeKey: slotDedupeKey(kind, s.intervalMs, slot),
        now,
      });
      s.lastSlot = iso;
    }
  }

  private async claim(): Promise<Job[]> {
    const free = this.concurrency - this.running.size;
    if (free <= 0 || this.stopping) return [];
    return claimJobs(this.database, {
      owner: this.owner,
      kinds: [...this.handlers.keys()],
      limit: free,
      leaseMs: this.leaseMs,
      now: this.clock(),
    });
  }

  /** Runs one claimed job and records its outcome; never rejects. */
  private launch(job: Job): Promise<void> {
    const run = this.runJob(job).finally(() => {
      this.running.delete(job.id);
      this.wake();
    });
    this.running.set(job.id, run);
    return run;
  }

  private async runJob(job: Job): Promise<void> {
    const ref: RunRef = { id: job.id, owner: this.owner, attempt: job.attempts };
    const log = { owner: this.owner, jobId: job.id, kind: job.kind, attempt: job.attempts };
    const controller = new AbortController();
    const stopHeartbeat = this.heartbeat(ref, controller);
    let failure: { error: unknown } | undefined;
    try {
      const handler = this.handlers.get(job.kind);
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`); // claim filters by kind; defensive
      this.logger.debug(log, 'job started');
      await handler(job.payload, { jobId: job.id, attempt: job.attempts, signal: controller.signal });
    } catch (error) {
      failure = { error };
    } finally {
      stopHeartbeat();
    }
    try {
      if (!failure) {
        if (await completeJob(this.database, ref, this.clock())) this.logger.debug(log, 'job done');
        else this.logger.warn(log, 'job finished after its lease was taken over; another run owns it now');
        return;
      }
      const now = this.clock();
      const decision = retryDecision({
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
        error: failure.error,
        now,
        policy: this.backoff,
        random: this.random(),
      });
      const error = errorText(failure.error);
      const outcome = await failJob(this.database, ref, {
        now,
        error,
        retryAt: decision.kind === 'retry' ? decision.runAt : null,
      });
      switch (outcome) {
        case 'retry':
          this.logger.warn(
            { ...log, err: error, retryAt: decision.kind === 'retry' ? decision.runAt : null },
            'job failed; will retry',
          );
          break;
        case 'failed':
          this.logger.error({ ...log, err: error }, 'job failed for good');
          break;
        case 'lost':
          this.logger.warn({ ...log, err: error }, 'job failed after its lease was taken over');
          break;
      }
    } catch (error) {
      // The outcome could not be recorded: the lease will expire and the job run again (at least once).
      this.logger.error({ ...log, err: errorText(error) }, 'could not record job outcome');
    }
  }

  /** Extends the lease every heartbeatMs until stopped; aborts the run's signal if the lease is lost. */
  private heartbeat(ref: RunRef, controller: AbortController): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const beat = async () => {
      try {
        const held = await extendLease(this.database, ref, { now: this.clock(), leaseMs: this.leaseMs });
        if (!held && !stopped) {
          stopped = true;
          this.logger.warn({ owner: this.owner, jobId: ref.id }, 'job lease lost; aborting the run');
          controller.abort(new Error('job lease lost'));
          return;
        }
      } catch (error) {
        // A missed heartbeat is not yet a lost lease: try again next period.
        this.logger.warn({ owner: this.owner, jobId: ref.id, err: errorText(error) }, 'job heartbeat failed');
      }
      if (!stopped) timer = setTimeout(() => void beat(), this.heartbeatMs);
    };
    timer = setTimeout(() => void beat(), this.heartbeatMs);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }
}
