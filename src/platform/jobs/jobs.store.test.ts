import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../testing/db.js';
import {
  claimJobs,
  completeJob,
  countJobsByStatus,
  deleteFinishedJobs,
  enqueueJob,
  extendLease,
  failJob,
  findJobByDedupeKey,
  getJob,
  type JobDatabase,
} from './jobs.store.js';
import type { JobTables } from './jobs.tables.js';
import { slotDedupeKey } from './jobs.js';

const T0 = new Date('2026-12-01T02:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

for (const dialect of DIALECTS) {
  describe(`job store (${dialect})`, () => {
    let t: TestDatabase<JobTables>;
    let db: JobDatabase;
    beforeEach(async () => {
      t = await createTestDatabase<JobTables>(dialect, migrations);
      db = t.database;
    });
    afterEach(async () => {
      await t.cleanup();
    });

    const enqueue = (
      kind: string,
      payload: unknown,
      extra: { runAt?: Date; dedupeKey?: string; maxAttempts?: number } = {},
    ) =>
      enqueueJob(db, {
        kind,
        payload,
        runAt: extra.runAt ?? T0,
        maxAttempts: extra.maxAttempts ?? 3,
        dedupeKey: extra.dedupeKey,
        now: T0,
      });

    it('enqueues a job with its payload and claims it under a lease', async () => {
      const { id, created } = await enqueue('notify', { caseId: 'c-1', n: 2 });
      expect(created).toBe(true);
      expect(await getJob(db, id)).toMatchObject({
        status: 'queued',
        attempts: 0,
        payload: { caseId: 'c-1', n: 2 },
      });

      const claimed = await claimJobs(db, {
        owner: 'p1',
        kinds: ['notify'],
        limit: 10,
        leaseMs: 30_000,
        now: at(5),
      });
      expect(claimed).toHaveLength(1);
      expect(claimed[0]).toMatchObject({
        id,
        status: 'running',
        attempts: 1,
        leaseOwner: 'p1',
        leaseUntil: at(30_005).toISOString(),
        payload: { caseId: 'c-1', n: 2 },
      });
      // Held: nobody else gets it while the lease lasts.
      expect(
        await claimJobs(db, { owner: 'p2', kinds: ['notify'], limit: 10, leaseMs: 30_000, now: at(10_000) }),
      ).toEqual([]);

      expect(await completeJob(db, { id, owner: 'p1', attempt: 1 }, at(20))).toBe(true);
      expect(await getJob(db, id)).toMatchObject({
        status: 'done',
        finishedAt: at(20).toISOString(),
        leaseUntil: null,
      });
      expect(await countJobsByStatus(db)).toEqual({ queued: 0, running: 0, done: 1, failed: 0 });
    });

    it('claims only due jobs of the kinds asked for, earliest first, up to the limit', async () => {
      const late = await enqueue('a', 1, { runAt: at(2000) });
      const first = await enqueue('a', 2, { runAt: at(-2000) });
      const second = await enqueue('a', 3, { runAt: at(-1000) });
      const third = await enqueue('a', 4, { runAt: at(0) });
      await enqueue('b', 5);

      const batch = await claimJobs(db, { owner: 'p1', kinds: ['a'], limit: 2, leaseMs: 1000, now: T0 });
      expect(batch.map((j) => j.id)).toEqual([first.id, second.id]);
      const rest = await claimJobs(db, { owner: 'p1', kinds: ['a'], limit: 10, leaseMs: 1000, now: T0 });
      expect(rest.map((j) => j.id)).toEqual([third.id]);
      expect(await claimJobs(db, { owner: 'p1', kinds: [], limit: 10, leaseMs: 1000, now: T0 })).toEqual([]);
      expect((await getJob(db, late.id))?.status).toBe('queued');
      expect(await countJobsByStatus(db)).toEqual({ queued: 2, running: 3, done: 0, failed: 0 });
    });

    it('keeps one job per dedupe key, even after it has finished', async () => {
      const a = await enqueue('remind', { n: 1 }, { dedupeKey: 'reminder:c-9:2026-12-03' });
      const b = await enqueue('remind', { n: 2 }, { dedupeKey: 'reminder:c-9:2026-12-03' });
      expect(a.created).toBe(true);
      expect(b).toEqual({ id: a.id, created: false });

      const [job] = await claimJobs(db, { owner: 'p1', kinds: ['remind'], limit: 1, leaseMs: 1000, now: T0 });
      expect(await completeJob(db, { id: a.id, owner: 'p1', attempt: job?.attempts ?? 0 }, T0)).toBe(true);
      expect(await enqueue('remind', { n: 3 }, { dedupeKey: 'reminder:c-9:2026-12-03' })).toEqual({
        id: a.id,
        created: false,
      });

      const other = await enqueue('remind', { n: 4 }, { dedupeKey: 'reminder:c-9:2026-12-04' });
      expect(other.created).toBe(true);
      expect((await findJobByDedupeKey(db, 'reminder:c-9:2026-12-03'))?.payload).toEqual({ n: 1 });
      expect(await countJobsByStatus(db)).toEqual({ queued: 1, running: 0, done: 1, failed: 0 });
    });

    it('dedupes concurrent enqueues of one key to one job', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => enqueue('remind', { i }, { dedupeKey: 'same-slot' })),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect((await countJobsByStatus(db)).queued).toBe(1);
    });

    it('hands a job whose lease expired to another owner, who fences out the first', async () => {
      const { id } = await enqueue('k', null);
      await claimJobs(db, { owner: 'dead', kinds: ['k'], limit: 1, leaseMs: 1000, now: T0 });
      // The lease ends at T0+1000: not yet claimable at that instant, claimable just after.
      expect(
        await claimJobs(db, { owner: 'p2', kinds: ['k'], limit: 1, leaseMs: 1000, now: at(1000) }),
      ).toEqual([]);
      const [taken] = await claimJobs(db, {
        owner: 'p2',
        kinds: ['k'],
        limit: 1,
        leaseMs: 1000,
        now: at(1001),
      });
      expect(taken).toMatchObject({ id, leaseOwner: 'p2', attempts: 2, lastError: 'lease of dead expired' });

      // The first owner wakes up late: none of its writes land.
      expect(await completeJob(db, { id, owner: 'dead', attempt: 1 }, at(1500))).toBe(false);
      expect(await extendLease(db, { id, owner: 'dead', attempt: 1 }, { now: at(1500), leaseMs: 1000 })).toBe(
        false,
      );
      expect(
        await failJob(db, { id, owner: 'dead', attempt: 1 }, { now: at(1500), error: 'x', retryAt: null }),
      ).toBe('lost');
      expect(await getJob(db, id)).toMatchObject({ status: 'running', leaseOwner: 'p2' });

      expect(await completeJob(db, { id, owner: 'p2', attempt: 2 }, at(1600))).toBe(true);
      expect((await getJob(db, id))?.status).toBe('done');
    });

    it('a heartbeat keeps the lease', async () => {
      const { id } = await enqueue('k', null);
      await claimJobs(db, { owner: 'p1', kinds: ['k'], limit: 1, leaseMs: 1000, now: T0 });
      expect(await extendLease(db, { id, owner: 'p1', attempt: 1 }, { now: at(900), leaseMs: 1000 })).toBe(
        true,
      );
      expect(
        await claimJobs(db, { owner: 'p2', kinds: ['k'], limit: 1, leaseMs: 1000, now: at(1500) }),
      ).toEqual([]);
      expect((await getJob(db, id))?.leaseUntil).toBe(at(1900).toISOString());
    });

    it('requeues a failed run at the retry time, and fails it for good with its last error', async () => {
      const { id } = await enqueue('k', null, { maxAttempts: 2 });
      await claimJobs(db, { owner: 'p1', kinds: ['k'], limit: 1, leaseMs: 1000, now: T0 });
      expect(
        await failJob(
          db,
          { id, owner: 'p1', attempt: 1 },
          { now: at(10), error: 'Error: smtp down', retryAt: at(5000).toISOString() },
        ),
      ).toBe('retry');
      expect(await getJob(db, id)).toMatchObject({
        status: 'queued',
        runAt: at(5000).toISOString(),
        lastError: 'Error: smtp down',
        leaseUntil: null,
      });
      expect(
        await claimJobs(db, { owner: 'p1', kinds: ['k'], limit: 1, leaseMs: 1000, now: at(4999) }),
      ).toEqual([]);
      const [again] = await claimJobs(db, {
        owner: 'p1',
        kinds: ['k'],
        limit: 1,
        leaseMs: 1000,
        now: at(5000),
      });
      expect(again?.attempts).toBe(2);
      expect(
        await failJob(
          db,
          { id, owner: 'p1', attempt: 2 },
          { now: at(5010), error: 'Error: still down', retryAt: null },
        ),
      ).toBe('failed');
      expect(await getJob(db, id)).toMatchObject({
        status: 'failed',
        lastError: 'Error: still down',
        finishedAt: at(5010).toISOString(),
      });
      expect(
        await claimJobs(db, { owner: 'p1', kinds: ['k'], limit: 1, leaseMs: 1000, now: at(999_999) }),
      ).toEqual([]);
    });

    it('fails a job whose lease expired on its last attempt instead of running it again', async () => {
      const { id } = await enqueue('k', null, { maxAttempts: 1 });
      await claimJobs(db, { owner: 'crashy', kinds: ['k'], limit: 1, leaseMs: 1000, now: T0 });
      expect(
        await claimJobs(db, { owner: 'p2', kinds: ['k'], limit: 5, leaseMs: 1000, now: at(2000) }),
      ).toEqual([]);
      expect(await getJob(db, id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'lease of crashy expired on the last attempt',
        finishedAt: at(2000).toISOString(),
      });
    });

    it('purges old finished jobs but keeps the rows that stop a deduped job from running twice', async () => {
      const finish = async (kind: string, dedupeKey?: string, fail = false) => {
        const { id } = await enqueue(kind, null, dedupeKey === undefined ? {} : { dedupeKey });
        await claimJobs(db, { owner: 'p', kinds: [kind], limit: 1, leaseMs: 1000, now: T0 });
        if (fail) await failJob(db, { id, owner: 'p', attempt: 1 }, { now: T0, error: 'x', retryAt: null });
        else await completeJob(db, { id, owner: 'p', attempt: 1 }, T0);
        return id;
      };
      const plain = await finish('plain');
      const failed = await finish('broken', undefined, true);
      const slot = await finish('tick', slotDedupeKey('tick', 60_000, T0));
      const reminder = await finish('remind', 'reminder:c-1:d1');
      const waiting = await enqueue('plain', null);

      expect(await deleteFinishedJobs(db, { finishedBefore: T0, limit: 100 })).toBe(0);
      expect(await deleteFinishedJobs(db, { finishedBefore: at(1), limit: 2 })).toBe(2);
      expect(await deleteFinishedJobs(db, { finishedBefore: at(1), limit: 100 })).toBe(1);
      for (const id of [plain, failed, slot]) expect(await getJob(db, id)).toBeUndefined();
      expect((await getJob(db, reminder))?.status).toBe('done');
      expect((await getJob(db, waiting.id))?.status).toBe('queued');
      expect((await enqueue('remind', null, { dedupeKey: 'reminder:c-1:d1' })).created).toBe(false);
    });
  });
}
