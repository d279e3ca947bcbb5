import chineseDays from 'chinese-days';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import {
  type CalendarOverrides,
  chineseDaysData,
  createWorkCalendar,
  officeMinutesOf,
  yearsCoveredBy,
} from './calendar.js';
import { civilDateOf, dayNumberOf } from './shanghai-time.js';

const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, got a result');
};

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = dayNumberOf(from); d <= dayNumberOf(to); d += 1) out.push(civilDateOf(d));
  return out;
};

const calendar = createWorkCalendar();

describe('the 2026 arrangement (DOMAIN-CN §4.2)', () => {
  const holidays2026 = [
    ...days('2026-01-01', '2026-01-03'),
    ...days('2026-02-15', '2026-02-23'),
    ...days('2026-04-04', '2026-04-06'),
    ...days('2026-05-01', '2026-05-05'),
    ...days('2026-06-19', '2026-06-21'),
    ...days('2026-09-25', '2026-09-27'),
    ...days('2026-10-01', '2026-10-07'),
  ];
  const makeUpWorkdays2026 = [
    '2026-01-04',
    '2026-02-14',
    '2026-02-28',
    '2026-05-09',
    '2026-09-20',
    '2026-10-10',
  ];

  it.each(holidays2026)('%s is a holiday', (date) => {
    expect(calendar.isWorkday(date)).toBe(false);
  });

  it.each(makeUpWorkdays2026)('%s is a make-up working day although a weekend', (date) => {
    expect(calendar.isWorkday(date)).toBe(true);
  });

  it('has exactly these non-working weekdays and working weekend days in 2026', () => {
    const all = days('2026-01-01', '2026-12-31');
    const weekend = (d: string): boolean => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
    expect(all.filter((d) => !weekend(d) && !calendar.isWorkday(d))).toEqual(
      holidays2026.filter((d) => !weekend(d)),
    );
    expect(all.filter((d) => weekend(d) && calendar.isWorkday(d))).toEqual(makeUpWorkdays2026);
  });

  it('counts an ordinary week and the National Day week', () => {
    expect(calendar.countWorkdays('2026-03-01', '2026-03-08')).toBe(5);
    // 10-01..07 off, 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up), 10-11 Sun off, 10-12 Mon
    expect(calendar.countWorkdays('2026-09-30', '2026-10-12')).toBe(4);
    expect(calendar.addWorkdays('2026-09-30', 3)).toBe('2026-10-10');
  });
});

describe('which years the calendar knows', () => {
  it('knows exactly the years the library has an arrangement for, 2004–2026', () => {
    expect(calendar.knownYears).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
  });

  it.each([2027, 2031, 2003])('refuses %i, which the library answers for without data', (year) => {
    const e = refusal(() => calendar.isWorkday(`${year}-01-05`));
    expect(e.code).toBe('DeadlineUnknown');
    expect(e.details).toEqual({ year });
    expect(calendar.knowsYear(year)).toBe(false);
  });

  it('the library itself would silently call 2027-01-01 a working day (why its answers are not trusted)', () => {
    expect(chineseDays.isWorkday(new Date(2027, 0, 1))).toBe(true);
  });

  it('does not count a year that holds only a spill-over day of the next arrangement', () => {
    const data = {
      holidays: {
        '2026-02-17': 'Spring Festival,春节,4',
        '2026-10-01': 'National Day,国庆节,3',
        '2026-12-31': "New Year's Day,元旦,1", // belongs to a 2027 arrangement
        '2027-01-01': "New Year's Day,元旦,1",
      },
      workdays: {},
    };
    expect(yearsCoveredBy(data)).toEqual([2026]);
    expect(yearsCoveredBy(chineseDaysData())).toContain(2022); // 2022-12-31 is 2023's 元旦
  });

  it('agrees with chinese-days on every day of every year it knows', () => {
    for (const year of calendar.knownYears) {
      for (
        let d = new Date(year, 0, 1);
        d.getFullYear() === year;
        d = new Date(year, d.getMonth(), d.getDate() + 1)
      ) {
        // Local-midnight Date objects: the library reads local date fields.
        const date = `${year}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        if (calendar.isWorkday(date) !== chineseDays.isWorkday(d)) {
          throw new Error(`disagreement on ${date}`);
        }
      }
    }
  });
});

describe('override tables', () => {
  // A plausible 2027 table, as the bureau would enter it from the State Council notice.
  const with2027: CalendarOverrides = {
    years: [2027],
    holidays: [...days('2027-01-01', '2027-01-03'), ...days('2027-02-06', '2027-02-13')],
    workdays: ['2027-02-14'],
  };

  it('adds a year the library does not know', () => {
    const cal = createWorkCalendar({ overrides: with2027 });
    expect(cal.knowsYear(2027)).toBe(true);
    expect(cal.isWorkday('2027-01-01')).toBe(false); // a Friday, but a holiday
    expect(cal.isWorkday('2027-01-04')).toBe(true); // an ordinary Monday
    expect(cal.isWorkday('2027-01-09')).toBe(false); // an ordinary Saturday
    expect(cal.isWorkday('2027-02-14')).toBe(true); // a Sunday make-up day
    expect(cal.addWorkdays('2026-12-31', 1)).toBe('2027-01-04');
    expect(refusal(() => cal.isWorkday('2028-01-03')).details).toEqual({ year: 2028 });
  });

  it('does not make a year known from stray entries when the year is not declared covered', () => {
    const cal = createWorkCalendar({ overrides: { ...with2027, years: [] } });
    expect(refusal(() => cal.isWorkday('2027-01-04')).code).toBe('DeadlineUnknown');
  });

  it('wins over the library, date by date, in a year the library knows', () => {
    const cal = createWorkCalendar({
      overrides: { years: [], holidays: ['2026-03-02'], workdays: ['2026-10-07'] },
    });
    expect(cal.isWorkday('2026-03-02')).toBe(false);
    expect(cal.isWorkday('2026-10-07')).toBe(true);
    expect(cal.isWorkday('2026-10-06')).toBe(false); // the rest of the library's arrangement stays
  });

  it('replaces the library entirely for a year it declares covered', () => {
    const cal = createWorkCalendar({ overrides: { years: [2026], holidays: ['2026-10-01'], workdays: [] } });
    expect(cal.isWorkday('2026-10-01')).toBe(false);
    expect(cal.isWorkday('2026-10-02')).toBe(true); // the library says holiday; the table does not
    expect(cal.isWorkday('2026-01-04')).toBe(false); // a Sunday, no longer a make-up day
  });

  it('refuses a malformed table, naming the entry', () => {
    expect(
      refusal(() => createWorkCalendar({ overrides: { years: [], holidays: ['2026-2-1'], workdays: [] } }))
        .details,
    ).toMatchObject({ field: 'overrides.holidays[0]' });
    expect(
      refusal(() => createWorkCalendar({ overrides: { years: [27], holidays: [], workdays: [] } })).details,
    ).toMatchObject({ field: 'overrides.years[0]' });
    expect(
      refusal(() =>
        createWorkCalendar({ overrides: { years: [], holidays: ['2026-05-06'], workdays: ['2026-05-06'] } }),
      ).messageKey,
    ).toBe('overrideDateConflict');
  });
});

describe('office hours', () => {
  it('converts to minutes and refuses overlapping or reversed periods', () => {
    expect(
      officeMinutesOf([
        { start: '09:00', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ]),
    ).toEqual([
      { start: 540, end: 720 },
      { start: 810, end: 1050 },
    ]);
    expect(
      refusal(() =>
        officeMinutesOf([
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '17:00' },
        ]),
      ).code,
    ).toBe('Invalid');
    expect(refusal(() => officeMinutesOf([{ start: '12:00', end: '09:00' }])).code).toBe('Invalid');
    expect(refusal(() => officeMinutesOf([])).messageKey).toBe('officeHoursEmpty');
    expect(refusal(() => officeMinutesOf([{ start: '9:00', end: '12:00' }])).details).toMatchObject({
      field: 'officeHours[0].start',
    });
  });
});

describe('working-day laws', () => {
  const knownDay = fc
    .integer({ min: dayNumberOf('2004-01-01'), max: dayNumberOf('2026-09-30') })
    .map(civilDateOf);

  it('adding n working days and counting back gives n', () => {
    fc.assert(
      fc.property(knownDay, fc.integer({ min: 0, max: 40 }), (start, n) => {
        const end = calendar.addWorkdays(start, n);
        expect(calendar.countWorkdays(start, end)).toBe(n);
      }),
    );
  });

  it('adding n ≥ 1 working days never lands on a non-working day', () => {
    fc.assert(
      fc.property(knownDay, fc.integer({ min: 1, max: 40 }), (start, n) => {
        expect(calendar.isWorkday(calendar.addWorkdays(start, n))).toBe(true);
      }),
    );
  });

  it('refuses a reversed range', () => {
    expect(refusal(() => calendar.countWorkdays('2026-03-02', '2026-03-01')).details).toMatchObject({
      field: 'to',
    });
  });
});
