import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKOFF,
  PermanentJobError,
  backoffMs,
  errorText,
  retryDecision,
  slotDedupeKey,
  slotStart,
  type BackoffPolicy,
} from './jobs.js';

const policy: BackoffPolicy = { baseMs: 1000, maxMs: 60_000, jitter: 0.5 };

describe('backoffMs', () => {
  it('doubles from the base without jitter, then stops at the cap', () => {
    const noJitter = { ...policy, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffMs(a, noJitter, 0.7))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });

  it('removes at most the jitter fraction', () => {
    expect(backoffMs(3, policy, 0)).toBe(4000);
    expect(backoffMs(3, policy, 0.999999)).toBe(2000);
    expect(backoffMs(3, policy, 0.5)).toBe(3000);
  });

  it('stays finite for absurd attempt numbers', () => {
    expect(backoffMs(10_000, policy, 0)).toBe(60_000);
  });

  it('law: between (1 − jitter) · min(cap, base · 2^(n−1)) and that, never above the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.99999, noNaN: true }),
        (attempt, baseMs, maxMs, jitter, random) => {
          const p = { baseMs, maxMs, jitter };
          const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
          const d = backoffMs(attempt, p, random);
          expect(d).toBeLessThanOrEqual(Math.round(ceiling));
          expect(d).toBeLessThanOrEqual(maxMs);
          expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling * (1 - jitter)));
        },
      ),
    );
  });

  it('law: without jitter, a later attempt never waits less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), (a, b) => {
        const p = { ...DEFAULT_BACKOFF, jitter: 0 };
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(backoffMs(lo, p, 0)).toBeLessThanOrEqual(backoffMs(hi, p, 0));
      }),
    );
  });
});

describe('retryDecision', () => {
  const now = new Date('2026-12-01T02:00:00.000Z');
  const base = { maxAttempts: 3, now, policy: { ...policy, jitter: 0 }, random: 0, error: new Error('boom') };

  it('retries after the backoff while attempts remain', () => {
    expect(retryDecision({ ...base, attempt: 1 })).toEqual({
      kind: 'retry',
      runAt: '2026-12-01T02:00:01.000Z',
    });
    expect(retryDecision({ ...base, attempt: 2 })).toEqual({
      kind: 'retry',
      runAt: '2026-12-01T02:00:02.000Z',
    });
  });

  it('gives up on the last attempt', () => {
    expect(retryDecision({ ...base, attempt: 3 })).toEqual({ kind: 'give-up' });
    expect(retryDecision({ ...base, attempt: 4 })).toEqual({ kind: 'give-up' });
  });

  it('gives up at once on a permanent error', () => {
    expect(retryDecision({ ...base, attempt: 1, error: new PermanentJobError('case deleted') })).toEqual({
      kind: 'give-up',
    });
  });
});

describe('errorText', () => {
  it('keeps the name, the message and the cause', () => {
    const e = new TypeError('bad payload', { cause: new Error('missing caseId') });
    expect(errorText(e)).toBe('TypeError: bad payload (cause: Error: missing caseId)');
    expect(errorText('plain')).toBe('plain');
  });

  it('is bounded in length', () => {
    const t = errorText(new Error('x'.repeat(10_000)));
    expect(t.length).toBe(2000);
    expect(t.endsWith('…')).toBe(true);
  });
});

describe('recurring slots', () => {
  it('cuts time into intervals from the epoch', () => {
    const at = new Date('2026-12-01T02:07:31.250Z');
    expect(slotStart(at, 5 * 60_000).toISOString()).toBe('2026-12-01T02:05:00.000Z');
    expect(slotStart(at, 60 * 60_000).toISOString()).toBe('2026-12-01T02:00:00.000Z');
  });

  it('starts daily slots at Shanghai midnight with an offset of −8 h', () => {
    const day = 24 * 3600_000;
    // 2026-12-01 01:00 in Shanghai is 2026-11-30T17:00Z; its day began at 2026-11-30T16:00Z.
    expect(slotStart(new Date('2026-11-30T17:00:00.000Z'), day, -8 * 3600_000).toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    );
    // 23:59 in Shanghai the day before.
    expect(slotStart(new Date('2026-11-30T15:59:00.000Z'), day, -8 * 3600_000).toISOString()).toBe(
      '2026-11-29T16:00:00.000Z',
    );
  });

  it('law: every instant of a slot maps to the same slot and key; the next slot to another', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 1, max: 7 * 24 * 3600_000 }),
        fc.integer({ min: -12 * 3600_000, max: 12 * 3600_000 }),
        (t, interval, offset) => {
          const s = slotStart(new Date(t), interval, offset);
          expect(s.getTime()).toBeLessThanOrEqual(t);
          expect(t - s.getTime()).toBeLessThan(interval);
          const last = new Date(s.getTime() + interval - 1);
          expect(slotDedupeKey('k', interval, slotStart(last, interval, offset))).toBe(
            slotDedupeKey('k', interval, s),
          );
          const next = slotStart(new Date(s.getTime() + interval), interval, offset);
          expect(next.getTime()).toBe(s.getTime() + interval);
        },
      ),
    );
  });
});
