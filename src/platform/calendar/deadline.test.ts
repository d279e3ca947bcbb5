import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { createWorkCalendar } from './calendar.js';
import { type Duration, type Suspension, addDuration, computeDeadline, countWorkhours } from './deadline.js';
import {
  HOUR_MS,
  civilDateOf,
  dayNumberOf,
  formatShanghai,
  parseInstant,
  shanghaiDateOf,
  shanghaiDayOf,
} from './shanghai-time.js';

const calendar = createWorkCalendar();
const at = (text: string): Date => parseInstant(text);
const due = (from: string, rule: Duration, suspensions: Suspension[] = []): string =>
  formatShanghai(addDuration(calendar, at(from), rule, suspensions));

const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, got a result');
};

describe('fixed cases on the 2026 calendar', () => {
  it('workday: the start day is not counted and the period ends at the end of the last day', () => {
    // 上海市城市管理行政执法条例 第26条: report checked Monday → tell the reporter within 5 working days.
    expect(due('2026-03-02T10:00:00+08:00', { n: 5, unit: 'workday' })).toBe('2026-03-09T23:59:59.999+08:00');
    // The instant is read in Shanghai time: 2026-03-01T17:00Z is already Monday 01:00 in Shanghai.
    expect(due('2026-03-01T17:00:00Z', { n: 1, unit: 'workday' })).toBe('2026-03-03T23:59:59.999+08:00');
  });

  it('workday: skips the National Day week and counts the make-up Saturday 10-10', () => {
    expect(due('2026-09-30T16:00:00+08:00', { n: 3, unit: 'workday' })).toBe('2026-10-10T23:59:59.999+08:00');
    expect(due('2026-09-30T16:00:00+08:00', { n: 4, unit: 'workday' })).toBe('2026-10-12T23:59:59.999+08:00');
  });

  it('workday: a report received on a Saturday starts counting on Monday', () => {
    expect(due('2026-03-07T11:00:00+08:00', { n: 1, unit: 'workday' })).toBe('2026-03-09T23:59:59.999+08:00');
  });

  it('day: an ordinary natural-day period ends on its n-th day', () => {
    // 行政处罚法 第60条: 90 days from filing. 2026-03-02 + 90 = 2026-05-31 (Sunday) → Monday 06-01.
    expect(due('2026-03-02T09:00:00+08:00', { n: 90, unit: 'day' })).toBe('2026-06-01T23:59:59.999+08:00');
    expect(due('2026-03-02T09:00:00+08:00', { n: 15, unit: 'day' })).toBe('2026-03-17T23:59:59.999+08:00');
  });

  it('day: a last day in the Spring Festival holiday runs to the next working day', () => {
    // 2026-02-05 + 15 = 02-20 (holiday, 02-15..23 off) → 02-24.
    expect(due('2026-02-05T09:00:00+08:00', { n: 15, unit: 'day' })).toBe('2026-02-24T23:59:59.999+08:00');
  });

  it('day: a last day on a make-up working Saturday is not moved', () => {
    // 2026-02-04 + 10 = 02-14, a Saturday but a working day.
    expect(due('2026-02-04T09:00:00+08:00', { n: 10, unit: 'day' })).toBe('2026-02-14T23:59:59.999+08:00');
  });

  it('hour: natural hours from the instant itself, holidays included', () => {
    // 上海市住宅物业管理规定 第59条: report within 24 hours.
    expect(due('2026-09-30T20:15:00+08:00', { n: 24, unit: 'hour' })).toBe('2026-10-01T20:15:00.000+08:00');
  });

  it('hour: needs no calendar year, so it works beyond the known years', () => {
    expect(due('2031-05-01T08:00:00+08:00', { n: 2, unit: 'hour' })).toBe('2031-05-01T10:00:00.000+08:00');
  });

  it('workhour: counts office time only, across lunch, nights, weekends and holidays', () => {
    // Friday 16:30 + 5 working hours: 1h Friday, Monday 09:00–12:00 (3h), 13:30–14:30 (1h).
    expect(due('2026-03-06T16:30:00+08:00', { n: 5, unit: 'workhour' })).toBe(
      '2026-03-09T14:30:00.000+08:00',
    );
    // Before opening: starts at 09:00.
    expect(due('2026-03-02T07:00:00+08:00', { n: 3, unit: 'workhour' })).toBe(
      '2026-03-02T12:00:00.000+08:00',
    );
    // 2026-09-30 17:00 + 2h: 0.5h that day, then 10-08 09:00 + 1.5h.
    expect(due('2026-09-30T17:00:00+08:00', { n: 2, unit: 'workhour' })).toBe(
      '2026-10-08T10:30:00.000+08:00',
    );
  });

  it('workhour: uses configured office hours', () => {
    const cal = createWorkCalendar({
      officeHours: [
        { start: '08:30', end: '11:30' },
        { start: '13:00', end: '17:00' },
      ],
    });
    expect(
      formatShanghai(addDuration(cal, at('2026-03-02T11:00:00+08:00'), { n: 1, unit: 'workhour' })),
    ).toBe('2026-03-02T13:30:00.000+08:00');
  });
});

describe('suspensions (听证、公告、鉴定 … 不计入期限)', () => {
  it('workday: each working day a suspension touches is not counted', () => {
    // Hearing Tue 03-03 14:00–16:00 and appraisal Thu 03-05 10:00 → Fri 03-06 10:00.
    const suspensions = [
      { from: at('2026-03-03T14:00:00+08:00'), to: at('2026-03-03T16:00:00+08:00') },
      { from: at('2026-03-05T10:00:00+08:00'), to: at('2026-03-06T10:00:00+08:00') },
    ];
    expect(due('2026-03-02T10:00:00+08:00', { n: 5, unit: 'workday' }, suspensions)).toBe(
      '2026-03-12T23:59:59.999+08:00',
    );
  });

  it('a suspension ending at 00:00 does not touch that day', () => {
    const suspension = [{ from: at('2026-03-03T00:00:00+08:00'), to: at('2026-03-04T00:00:00+08:00') }];
    expect(due('2026-03-02T10:00:00+08:00', { n: 2, unit: 'workday' }, suspension)).toBe(
      '2026-03-05T23:59:59.999+08:00',
    );
  });

  it('day: a 30-day public notice extends a natural-day period by its days', () => {
    // Notice 03-10 00:00 to 04-09 00:00 touches 03-10..04-08 (30 days); 90 + 30 days from 03-02 = 06-30.
    const notice = [{ from: at('2026-03-10T00:00:00+08:00'), to: at('2026-04-09T00:00:00+08:00') }];
    expect(due('2026-03-02T09:00:00+08:00', { n: 90, unit: 'day' }, notice)).toBe(
      '2026-06-30T23:59:59.999+08:00',
    );
  });

  it('hour: the clock stops during the suspension', () => {
    const s = [{ from: at('2026-03-02T10:00:00+08:00'), to: at('2026-03-02T13:00:00+08:00') }];
    expect(due('2026-03-02T09:00:00+08:00', { n: 2, unit: 'hour' }, s)).toBe('2026-03-02T14:00:00.000+08:00');
  });

  it('workhour: only the office time inside the suspension extends the period', () => {
    // 09:00–11:00 counts 2h; suspended 11:00–14:00; the third hour is 14:00–15:00. Unsuspended the
    // period would end at 12:00, so it was extended by the 1.5h of office time the suspension holds.
    const s = [{ from: at('2026-03-02T11:00:00+08:00'), to: at('2026-03-02T14:00:00+08:00') }];
    expect(due('2026-03-02T09:00:00+08:00', { n: 3, unit: 'workhour' })).toBe(
      '2026-03-02T12:00:00.000+08:00',
    );
    expect(due('2026-03-02T09:00:00+08:00', { n: 3, unit: 'workhour' }, s)).toBe(
      '2026-03-02T15:00:00.000+08:00',
    );
  });
});

describe('refusals', () => {
  it('refuses a period that needs a year the calendar does not know (2031)', () => {
    for (const unit of ['day', 'workday', 'workhour'] as const) {
      const e = refusal(() => addDuration(calendar, at('2031-03-03T09:00:00+08:00'), { n: 1, unit }));
      expect(e.code).toBe('DeadlineUnknown');
      expect(e.details).toEqual({ year: 2031 });
    }
  });

  it('refuses a period that runs from a known year into an unknown one', () => {
    const e = refusal(() =>
      addDuration(calendar, at('2026-12-20T09:00:00+08:00'), { n: 15, unit: 'workday' }),
    );
    expect(e.details).toEqual({ year: 2027 });
  });

  it('computes into the next year once an override table covers it', () => {
    const cal = createWorkCalendar({
      overrides: { years: [2027], holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] },
    });
    // 12-31 (Thu) is a working day; 2027-01-01..03 off; Mon 01-04 is the 10th working day after 12-18.
    expect(
      formatShanghai(addDuration(cal, at('2026-12-18T09:00:00+08:00'), { n: 10, unit: 'workday' })),
    ).toBe('2027-01-04T23:59:59.999+08:00');
  });

  it.each([
    [{ n: 0, unit: 'day' }, 'n'],
    [{ n: 2.5, unit: 'workday' }, 'n'],
    [{ n: 3, unit: 'week' }, 'unit'],
  ] as [Duration, string][])('refuses the rule %o, naming %s', (rule, field) => {
    const e = refusal(() => addDuration(calendar, at('2026-03-02T09:00:00+08:00'), rule));
    expect(e.code).toBe('Invalid');
    expect(e.details['field']).toBe(field);
  });

  it('refuses a suspension that ends before it starts', () => {
    const s = [{ from: at('2026-03-03T10:00:00+08:00'), to: at('2026-03-03T09:00:00+08:00') }];
    expect(
      refusal(() => addDuration(calendar, at('2026-03-02T09:00:00+08:00'), { n: 1, unit: 'day' }, s)).details,
    ).toMatchObject({ field: 'suspensions[0]' });
  });
});

describe('computeDeadline', () => {
  it('carries the due instant, the rule, the legal basis and the suspensions', () => {
    const deadline = computeDeadline(calendar, {
      from: at('2026-03-02T02:00:00Z'),
      rule: { n: 5, unit: 'workday' },
      basis: '上海市城市管理行政执法条例 第26条: 5 working days to tell the reporter',
      suspensions: [{ from: at('2026-03-03T14:00:00+08:00'), to: at('2026-03-03T16:00:00+08:00') }],
    });
    expect(deadline).toEqual({
      due: '2026-03-10T23:59:59.999+08:00',
      from: '2026-03-02T10:00:00.000+08:00',
      rule: { n: 5, unit: 'workday' },
      basis: '上海市城市管理行政执法条例 第26条: 5 working days to tell the reporter',
      suspensions: [{ from: '2026-03-03T14:00:00.000+08:00', to: '2026-03-03T16:00:00.000+08:00' }],
    });
  });

  it('refuses a deadline without a legal basis', () => {
    const e = refusal(() =>
      computeDeadline(calendar, {
        from: at('2026-03-02T02:00:00Z'),
        rule: { n: 5, unit: 'day' },
        basis: ' ',
      }),
    );
    expect(e.details).toMatchObject({ field: 'basis' });
  });
});

// Properties: starts between 2004 and mid-2026 so that every result stays inside the known years.
const instant = fc
  .integer({ min: Date.parse('2004-01-02T00:00:00Z'), max: Date.parse('2026-06-30T00:00:00Z') })
  .map((ms) => new Date(ms));
const minutes = (n: number): number => n * 60_000;
const suspensionNear = (base: Date): fc.Arbitrary<Suspension> =>
  fc
    .tuple(
      fc.integer({ min: -minutes(3 * 24 * 60), max: minutes(20 * 24 * 60) }),
      fc.integer({ min: 1, max: minutes(6 * 24 * 60) }),
    )
    .map(([offset, length]) => ({
      from: new Date(base.getTime() + offset),
      to: new Date(base.getTime() + offset + length),
    }));
const withSuspension = instant.chain((from) => fc.tuple(fc.constant(from), suspensionNear(from)));

const endOfDay = (d: Date): boolean => formatShanghai(d).endsWith('T23:59:59.999+08:00');

describe('laws of the engine', () => {
  it('workday: counting back from the due date gives n, and the due date is a working day', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), (from, n) => {
        const d = addDuration(calendar, from, { n, unit: 'workday' });
        expect(calendar.countWorkdays(shanghaiDateOf(from), shanghaiDateOf(d))).toBe(n);
        expect(calendar.isWorkday(shanghaiDateOf(d))).toBe(true);
        expect(endOfDay(d)).toBe(true);
      }),
    );
  });

  it('day: ends at the end of day start+n, or of the first working day after it when that day is off', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 120 }), (from, n) => {
        const d = addDuration(calendar, from, { n, unit: 'day' });
        const nominal = shanghaiDayOf(from.getTime()) + n;
        const last = dayNumberOf(shanghaiDateOf(d));
        expect(endOfDay(d)).toBe(true);
        expect(calendar.isWorkday(civilDateOf(last))).toBe(true);
        expect(last).toBeGreaterThanOrEqual(nominal);
        for (let day = nominal; day < last; day += 1)
          expect(calendar.isWorkday(civilDateOf(day))).toBe(false);
      }),
    );
  });

  it('workhour: counting back gives n, and the result is inside office hours on a working day', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 150 }), (from, n) => {
        const d = addDuration(calendar, from, { n, unit: 'workhour' });
        expect(countWorkhours(calendar, from, d)).toBe(n);
        expect(calendar.isWorkday(shanghaiDateOf(d))).toBe(true);
        // Milliseconds after Shanghai midnight; inside a period, its closing time included (a period
        // filled exactly ends at closing), its opening excluded (n ≥ 1 means some office time passed).
        const clock = d.getTime() - (shanghaiDayOf(d.getTime()) * 86_400_000 - 8 * HOUR_MS);
        const hm = (h: number, m: number): number => (h * 60 + m) * 60_000;
        const inside =
          (clock > hm(9, 0) && clock <= hm(12, 0)) || (clock > hm(13, 30) && clock <= hm(17, 30));
        expect(inside, formatShanghai(d)).toBe(true);
      }),
    );
  });

  it('workday: a suspension extends the period by exactly the working days it touches', () => {
    fc.assert(
      fc.property(withSuspension, fc.integer({ min: 1, max: 40 }), ([from, s], n) => {
        const rule: Duration = { n, unit: 'workday' };
        const plain = shanghaiDateOf(addDuration(calendar, from, rule));
        const suspended = shanghaiDateOf(addDuration(calendar, from, rule, [s]));
        // Working days the suspension touches, after the start day and up to the new due day.
        let touched = 0;
        const sFirst = shanghaiDayOf(s.from.getTime());
        const sLast = shanghaiDayOf(s.to.getTime() - 1);
        const startDay = shanghaiDayOf(from.getTime());
        for (
          let day = Math.max(sFirst, startDay + 1);
          day <= Math.min(sLast, dayNumberOf(suspended));
          day += 1
        ) {
          if (calendar.isWorkday(civilDateOf(day))) touched += 1;
        }
        expect(calendar.countWorkdays(plain, suspended)).toBe(touched);
      }),
    );
  });

  it('workhour: a suspension extends the period by exactly its overlap with office time', () => {
    fc.assert(
      fc.property(withSuspension, fc.integer({ min: 1, max: 80 }), ([from, s], n) => {
        const rule: Duration = { n, unit: 'workhour' };
        const plain = addDuration(calendar, from, rule);
        const suspended = addDuration(calendar, from, rule, [s]);
        // Office time inside the suspension and inside the (extended) running period.
        const a = Math.max(s.from.getTime(), from.getTime());
        const b = Math.min(s.to.getTime(), suspended.getTime());
        const overlap = b > a ? countWorkhours(calendar, new Date(a), new Date(b)) : 0;
        expect(countWorkhours(calendar, from, suspended, [s])).toBeCloseTo(n, 9);
        expect(countWorkhours(calendar, plain, suspended)).toBeCloseTo(overlap, 9);
      }),
    );
  });

  it('hour: a suspension extends the period by exactly its overlap with the running period', () => {
    fc.assert(
      fc.property(withSuspension, fc.integer({ min: 1, max: 500 }), ([from, s], n) => {
        const plain = addDuration(calendar, from, { n, unit: 'hour' });
        const suspended = addDuration(calendar, from, { n, unit: 'hour' }, [s]);
        const overlap = Math.max(
          0,
          Math.min(s.to.getTime(), suspended.getTime()) - Math.max(s.from.getTime(), from.getTime()),
        );
        expect(plain.getTime()).toBe(from.getTime() + n * HOUR_MS);
        expect(suspended.getTime() - plain.getTime()).toBe(overlap);
      }),
    );
  });
});
