import { describe, expect, it } from 'vitest';
import { calendarOverridesOf, implausibleYearReason, layerTimeLimits } from './case-rules.js';
import type { TimeLimitEntry } from './time-limits.js';

describe('case rules as data', () => {
  const e = (scope: string, n: number): TimeLimitEntry => ({
    scope,
    grade: '*',
    step: 'handle',
    rule: { n, unit: 'workday', basis: `b${n}` },
  });
  it('merges layers, later winning, and says what each entry replaces', () => {
    const t = layerTimeLimits([
      { origin: 'default', entries: [e('*', 3), e('event:06010', 1)] },
      { origin: 'category', entries: [e('event:06010', 2)] },
      { origin: 'bureau', entries: [e('event:06010', 4), e('event:06', 5)] },
    ]);
    expect(
      t.map((x) => [x.scope, x.origin, x.rule.n, x.replaces?.origin ?? null, x.replaces?.rule.n ?? null]),
    ).toEqual([
      ['*', 'default', 3, null, null],
      ['event:06', 'bureau', 5, null, null],
      ['event:06010', 'bureau', 4, 'category', 2],
    ]);
  });

  it('calls a year plausible only with a holiday on a weekday', () => {
    // 2027-01-01 is a Friday; 2027-01-02 a Saturday.
    expect(implausibleYearReason(2027, [{ date: '2027-01-02', kind: 'holiday' }])).toBe('noWeekdayHoliday');
    expect(implausibleYearReason(2027, [{ date: '2027-01-01', kind: 'workday' }])).toBe('noWeekdayHoliday');
    expect(implausibleYearReason(2027, [{ date: '2027-01-01', kind: 'holiday' }])).toBeNull();
    expect(implausibleYearReason(2028, [{ date: '2027-01-01', kind: 'holiday' }])).toBe('noWeekdayHoliday');
    expect(
      calendarOverridesOf(
        [
          { date: '2027-01-01', kind: 'holiday' },
          { date: '2027-02-06', kind: 'workday' },
        ],
        [2027],
      ),
    ).toEqual({ years: [2027], holidays: ['2027-01-01'], workdays: ['2027-02-06'] });
  });
});
