import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.js';
import { checkMonthRange, cleanComment, ratingRoundOf, satisfactionRate, squadFor } from './ratings.js';

const keyOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return { key: e.messageKey, field: e.details.field };
    throw e;
  }
  return null;
};

describe('satisfaction rate (DOMAIN-CN §3.3: (满意 + 基本满意) / 有效回访数)', () => {
  it('counts basically satisfied as satisfied and has no rate without ratings', () => {
    expect(satisfactionRate({ satisfied: 3, basicallySatisfied: 1, dissatisfied: 1 })).toBe(0.8);
    expect(satisfactionRate({ satisfied: 0, basicallySatisfied: 0, dissatisfied: 2 })).toBe(0);
    expect(satisfactionRate({ satisfied: 0, basicallySatisfied: 0, dissatisfied: 0 })).toBeNull();
  });

  it('takes the round from the case state’s reopen count', () => {
    expect(ratingRoundOf(null)).toBe(0);
    expect(ratingRoundOf(JSON.stringify({ reopenCount: 2 }))).toBe(2);
    expect(ratingRoundOf(JSON.stringify({}))).toBe(0);
  });

  it('refuses bad month bounds and a too long comment, naming the field', () => {
    expect(keyOf(() => checkMonthRange({ from: '2026-13' }))).toEqual({ key: 'monthInvalid', field: 'from' });
    expect(keyOf(() => checkMonthRange({ from: '2026-05', to: '2026-04' }))).toEqual({
      key: 'monthRangeReversed',
      field: 'to',
    });
    expect(keyOf(() => checkMonthRange({ from: '2026-04', to: '2026-04' }))).toBeNull();
    expect(keyOf(() => cleanComment('好'.repeat(501)))).toEqual({ key: 'fieldTooLong', field: 'comment' });
    expect(cleanComment('  ')).toBeNull();
  });
});

describe('the squad told of a dissatisfied rating', () => {
  const squads = [
    { id: 'sq-a', parentId: 'sub-a', code: '310112101-ZD' },
    { id: 'sq-b', parentId: 'sub-b', code: '310112102-ZD' },
  ];
  it('is the squad whose subdistrict holds the case', () => {
    expect(squadFor('/bureau/sub-b/ws/', squads)).toBe('sq-b');
    expect(squadFor('/bureau/sub-a/sq-a/', squads)).toBe('sq-a');
  });
  it('is none for a case of the bureau itself or without a unit', () => {
    expect(squadFor('/bureau/', squads)).toBeNull();
    expect(squadFor(null, squads)).toBeNull();
  });
});
