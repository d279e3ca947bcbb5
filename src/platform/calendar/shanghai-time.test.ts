import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import {
  civilDateOf,
  dayNumberOf,
  formatShanghai,
  parseInstant,
  shanghaiDateOf,
  weekdayOfDay,
} from './shanghai-time.js';

const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, got a result');
};

describe('formatShanghai', () => {
  it('writes the Shanghai wall-clock time with an explicit +08:00', () => {
    expect(formatShanghai(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02T00:00:00.000+08:00');
    expect(formatShanghai(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31T23:59:59.999+08:00');
  });

  describe('does not depend on the process time zone', () => {
    const saved = process.env.TZ;
    afterEach(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });
    it('gives the same text under America/New_York and Asia/Kolkata', () => {
      const instant = new Date('2026-10-01T01:30:00Z');
      process.env.TZ = 'America/New_York';
      const ny = formatShanghai(instant);
      const nyDate = shanghaiDateOf(instant);
      process.env.TZ = 'Asia/Kolkata';
      expect(formatShanghai(instant)).toBe(ny);
      expect(ny).toBe('2026-10-01T09:30:00.000+08:00');
      expect(nyDate).toBe('2026-10-01');
      expect(parseInstant('2026-10-01T09:30:00+08:00').getTime()).toBe(instant.getTime());
    });
  });
});

describe('parseInstant', () => {
  it('reads Z and ±hh:mm offsets', () => {
    expect(parseInstant('2026-03-02T01:00:00Z').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(parseInstant('2026-03-02T09:00+08:00').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(parseInstant('2026-03-01T20:00:00.5-05:00').toISOString()).toBe('2026-03-02T01:00:00.500Z');
  });

  it('refuses a date-time without a time zone, naming the field', () => {
    const e = refusal(() => parseInstant('2026-03-02T09:00:00', 'from'));
    expect(e.code).toBe('Invalid');
    expect(e.messageKey).toBe('timezoneRequired');
    expect(e.details).toMatchObject({ field: 'from', value: '2026-03-02T09:00:00' });
  });

  it('refuses a bare date as lacking a time zone', () => {
    const e = refusal(() => parseInstant('2026-03-02', 'from'));
    expect(e.messageKey).toBe('timezoneRequired');
    expect(e.details['field']).toBe('from');
  });

  it.each([
    '2026-02-29T09:00:00+08:00',
    '2026-13-01T00:00Z',
    '2026-03-02T24:00Z',
    'tomorrow',
    '2026-03-02T09:00:00+0800',
  ])('refuses the malformed or impossible %s', (text) => {
    const e = refusal(() => parseInstant(text, 'at'));
    expect(e.code).toBe('Invalid');
    expect(e.details['field']).toBe('at');
  });

  it('reads back what formatShanghai writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const instant = new Date(ms);
        expect(parseInstant(formatShanghai(instant)).getTime()).toBe(ms);
      }),
    );
  });
});

describe('civil dates', () => {
  it('round-trips day numbers and knows the weekday', () => {
    expect(dayNumberOf('1970-01-01')).toBe(0);
    expect(civilDateOf(dayNumberOf('2026-01-04'))).toBe('2026-01-04');
    expect(weekdayOfDay(dayNumberOf('2026-01-04'))).toBe(0); // a Sunday (a 2026 make-up workday)
    expect(weekdayOfDay(dayNumberOf('2026-02-14'))).toBe(6); // a Saturday
  });

  it('refuses an impossible date', () => {
    expect(refusal(() => dayNumberOf('2026-02-30', 'date')).details).toMatchObject({ field: 'date' });
  });
});
