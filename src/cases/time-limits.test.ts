import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import { parseInstant } from '../platform/calendar/shanghai-time.js';
import { DomainError } from '../platform/errors.js';
import {
  DEFAULT_TIME_LIMITS,
  LIMIT_STEPS,
  type TimeLimitEntry,
  createTimeLimitLookup,
  handleLimitsFromCategories,
  majorKeyOf,
  mergeTimeLimitTables,
  scopesOf,
  validateTimeLimitTable,
} from './time-limits.js';

const calendar = createWorkCalendar();
const at = (text: string): Date => parseInstant(text);
const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, got a result');
};

const e = (scope: string, grade: TimeLimitEntry['grade'], n: number): TimeLimitEntry => ({
  scope,
  grade,
  step: 'handle',
  rule: { n, unit: 'workhour', basis: `${scope}/${grade}` },
});

describe('the lookup order', () => {
  // One entry per level, each with its own n, so the answer says which level won.
  const levels: TimeLimitEntry[] = [
    e('event:06901', 'A', 1),
    e('event:06901', '*', 2),
    e('event:06001', 'A', 3),
    e('event:06001', '*', 4),
    e('event:06', 'A', 5),
    e('event:06', '*', 6),
    e('*', 'A', 7),
    e('*', '*', 8),
  ];
  const query = {
    step: 'handle' as const,
    categoryKey: 'event:06901',
    parentCategoryKey: 'event:06001',
    areaGrade: 'A' as const,
  };

  it('walks category → parent → major class → default, each with the grade before any grade', () => {
    for (let level = 0; level < levels.length; level += 1) {
      const lookup = createTimeLimitLookup(levels.slice(level), calendar);
      expect(lookup.find(query)?.n).toBe(level + 1);
    }
  });

  it('says which entry it used', () => {
    const lookup = createTimeLimitLookup(levels.slice(3), calendar);
    expect(lookup.find(query)).toEqual({
      n: 4,
      unit: 'workhour',
      basis: 'event:06001/*',
      scope: 'event:06001',
      grade: '*',
    });
  });

  it('a grade entry does not apply to another grade, nor to a case without a grade', () => {
    const lookup = createTimeLimitLookup([e('event:06010', 'A', 1), e('*', '*', 9)], calendar);
    const base = { step: 'handle' as const, categoryKey: 'event:06010' };
    expect(lookup.find({ ...base, areaGrade: 'A' })?.n).toBe(1);
    expect(lookup.find({ ...base, areaGrade: 'B' })?.n).toBe(9);
    expect(lookup.find({ ...base, areaGrade: null })?.n).toBe(9);
  });

  it('answers null, and no deadline, when nothing matches', () => {
    const lookup = createTimeLimitLookup([e('event:06010', '*', 1)], calendar);
    const q = { step: 'handle' as const, categoryKey: 'event:06011', areaGrade: 'B' as const };
    expect(lookup.find(q)).toBeNull();
    expect(lookup.deadline(q, at('2026-03-02T10:00:00+08:00'))).toBeNull();
  });

  it('scopes and major keys', () => {
    expect(majorKeyOf('component:01001')).toBe('component:01');
    expect(majorKeyOf('event:06')).toBeNull();
    expect(scopesOf({ categoryKey: null })).toEqual(['*']);
    expect(scopesOf({ categoryKey: 'event:06901', parentCategoryKey: 'event:06001' })).toEqual([
      'event:06901',
      'event:06001',
      'event:06',
      '*',
    ]);
  });
});

describe('the demo defaults', () => {
  const lookup = createTimeLimitLookup(DEFAULT_TIME_LIMITS, calendar);
  const find = (step: (typeof LIMIT_STEPS)[number], categoryKey: string | null = null) =>
    lookup.find({ step, categoryKey, areaGrade: 'B' });

  it('hold the figures of the issue, each with its basis', () => {
    expect(find('handle', 'event:06010')).toMatchObject({ n: 1, unit: 'workday' }); // exposed garbage
    expect(find('handle', 'event:06001')).toMatchObject({ n: 4, unit: 'workhour' }); // stop-work
    expect(find('reporterFeedback')).toMatchObject({
      n: 5,
      unit: 'workday',
      basis: expect.stringContaining('第26条'),
    });
    expect(find('transfer')).toMatchObject({
      n: 3,
      unit: 'workday',
      basis: expect.stringContaining('第26条'),
    });
    expect(find('assistReply')).toMatchObject({
      n: 10,
      unit: 'day',
      basis: expect.stringContaining('第29条'),
    });
    expect(find('onSiteCheck', 'event:06001')).toMatchObject({
      n: 24,
      unit: 'hour',
      basis: expect.stringContaining('第7条'),
    });
    expect(find('onSiteCheckUnderWay', 'event:06001')).toMatchObject({ n: 2, unit: 'hour' });
    // A local category falls back to its standard parent: 新增违建 → 私搭乱建.
    expect(
      lookup.find({
        step: 'onSiteCheck',
        categoryKey: 'event:06901',
        parentCategoryKey: 'event:06001',
        areaGrade: 'A',
      }),
    ).toMatchObject({ n: 24, unit: 'hour' });
  });

  it('give every step of the loop a limit', () => {
    for (const step of LIMIT_STEPS) expect(find(step), step).not.toBeNull();
  });

  it('a complaint received before National Day: the reporter is told by the 5th working day after it', () => {
    const d = lookup.deadline(
      { step: 'reporterFeedback', categoryKey: null, areaGrade: null },
      at('2026-09-30T10:00:00+08:00'),
    );
    // 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13.
    expect(d?.due).toBe('2026-10-13T23:59:59.999+08:00');
    expect(d?.rule).toEqual({ n: 5, unit: 'workday' });
  });

  it('the 10-day assistance reply is a natural-day period that runs past a holiday', () => {
    // 09-27 + 10 = 10-07, still in the National Day holiday → 10-08.
    const d = lookup.deadline(
      { step: 'assistReply', categoryKey: null, areaGrade: null },
      at('2026-09-27T10:00:00+08:00'),
    );
    expect(d?.due).toBe('2026-10-08T23:59:59.999+08:00');
  });
});

describe('an edited table', () => {
  it('is validated, naming the entry', () => {
    const good = e('event:06010', 'A', 1);
    const cases: Array<[TimeLimitEntry, string, string]> = [
      [{ ...good, scope: 'event:6' }, 'timeLimitScopeInvalid', 'timeLimits[0].scope'],
      [{ ...good, grade: 'D' as 'A' }, 'timeLimitGradeInvalid', 'timeLimits[0].grade'],
      [{ ...good, step: 'lunch' as 'handle' }, 'timeLimitStepInvalid', 'timeLimits[0].step'],
      [{ ...good, rule: { ...good.rule, unit: 'week' as 'day' } }, 'unitInvalid', 'timeLimits[0].rule.unit'],
      [{ ...good, rule: { ...good.rule, n: 1.5 } }, 'durationInvalid', 'timeLimits[0].rule.n'],
      [{ ...good, rule: { ...good.rule, basis: ' ' } }, 'basisRequired', 'timeLimits[0].rule.basis'],
    ];
    for (const [entry, key, field] of cases) {
      const err = refusal(() => validateTimeLimitTable([entry]));
      expect([err.code, err.messageKey, err.details.field]).toEqual(['Invalid', key, field]);
    }
    const dup = refusal(() => validateTimeLimitTable([good, { ...good }]));
    expect([dup.messageKey, dup.details.field]).toEqual(['timeLimitDuplicate', 'timeLimits[1]']);
  });

  it('merges over the defaults, later tables winning', () => {
    const edits = [
      { ...e('event:06010', '*', 2), rule: { n: 2, unit: 'workday' as const, basis: 'bureau 2026 edit' } },
    ];
    const merged = mergeTimeLimitTables(DEFAULT_TIME_LIMITS, edits);
    expect(merged).toHaveLength(DEFAULT_TIME_LIMITS.length);
    const lookup = createTimeLimitLookup(merged, calendar);
    expect(lookup.find({ step: 'handle', categoryKey: 'event:06010', areaGrade: 'C' })).toMatchObject({
      n: 2,
      basis: 'bureau 2026 edit',
    });
  });

  it('takes the handling limits edited on categories', () => {
    const entries = handleLimitsFromCategories([
      { key: 'event:06011', timeLimit: { n: 4, unit: 'workday' } },
      { key: 'event:06012', timeLimit: null },
    ]);
    expect(entries).toEqual([
      {
        scope: 'event:06011',
        grade: '*',
        step: 'handle',
        rule: { n: 4, unit: 'workday', basis: expect.stringContaining('event:06011') },
      },
    ]);
    expect(() => validateTimeLimitTable(entries)).not.toThrow();
  });
});
