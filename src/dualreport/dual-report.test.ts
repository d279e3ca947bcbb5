import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.js';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import {
  DEFAULT_DUAL_REPORT_SETTINGS as S,
  checkDualReport,
  deliveryDeadlines,
  lagOf,
  receiptCode,
} from './dual-report.js';

const now = new Date('2026-11-30T02:00:00.000Z');
const keyOf = (f: () => void) => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e.messageKey;
    throw e;
  }
  return null;
};
const draft = (over: Record<string, unknown> = {}) => ({
  discoveredAt: '2026-11-30T08:00:00+08:00',
  dissuasion: { at: '2026-11-30T09:00:00+08:00', by: '王保安', outcome: 'ineffective' as const },
  noDissuasionReason: null,
  place: {},
  ...over,
});

describe('dual report rules', () => {
  it('flags late exactly beyond the 24 hours of 住宅物业管理规定 第59条', () => {
    expect(lagOf('2026-11-29T02:00:00.000Z', '2026-11-30T02:00:00.000Z')).toEqual({
      lagMinutes: 1440,
      late: false,
    });
    expect(lagOf('2026-11-29T01:59:59.000Z', '2026-11-30T02:00:00.000Z')).toEqual({
      lagMinutes: 1440,
      late: true,
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), (ms) => {
        const r = lagOf(new Date(now.getTime() - ms).toISOString(), now.toISOString());
        return r.late === ms > 86_400_000 && r.lagMinutes === Math.floor(ms / 60_000);
      }),
    );
  });

  it('gives 24 h on site, or 2 h while building is under way (拆除违法建筑若干规定 第7条), with the acknowledgement first', () => {
    const cal = createWorkCalendar();
    const calm = deliveryDeadlines(cal, now, false, S);
    const busy = deliveryDeadlines(cal, now, true, S);
    expect(Date.parse(calm.onSite.due) - now.getTime()).toBe(24 * 3600_000);
    expect(Date.parse(busy.onSite.due) - now.getTime()).toBe(2 * 3600_000);
    expect(busy.onSite.basis).toContain('第7条');
    expect(Date.parse(busy.ack.due)).toBeLessThan(Date.parse(busy.onSite.due));
    expect(receiptCode('ABCD', 'squad')).not.toBe(receiptCode('ABCD', 'illegalConstructionOffice'));
  });

  it('checks discovery, dissuasion and place', () => {
    expect(keyOf(() => checkDualReport(draft(), true, now, S))).toBeNull();
    expect(keyOf(() => checkDualReport(draft({ discoveredAt: '2026-11-30 08:00' }), true, now, S))).toBe(
      'instantFormat',
    );
    expect(
      keyOf(() => checkDualReport(draft({ discoveredAt: '2026-11-30T11:00:00+08:00' }), true, now, S)),
    ).toBe('instantInFuture');
    expect(
      keyOf(() => checkDualReport(draft({ discoveredAt: '2026-11-30T10:01:00+08:00' }), true, now, S)),
    ).toBe('discoveryAfterReport');
    expect(keyOf(() => checkDualReport(draft({ dissuasion: null }), true, now, S))).toBe(
      'dissuasionRequired',
    );
    expect(keyOf(() => checkDualReport(draft({ dissuasion: null }), false, now, S))).toBeNull();
    expect(
      keyOf(() => checkDualReport(draft({ dissuasion: null, noDissuasionReason: '现场无人' }), true, now, S)),
    ).toBeNull();
    expect(
      keyOf(() =>
        checkDualReport(
          draft({ dissuasion: { at: '2026-11-30T10:30:00+08:00', by: 'x', outcome: 'ineffective' } }),
          true,
          now,
          S,
        ),
      ),
    ).toBe('dissuasionAfterReport');
    expect(
      keyOf(() =>
        checkDualReport(
          draft({ dissuasion: { at: '2026-11-30T09:00:00+08:00', by: ' ', outcome: 'ineffective' } }),
          true,
          now,
          S,
        ),
      ),
    ).toBe('fieldRequired');
    expect(keyOf(() => checkDualReport(draft({ place: { room: 'x'.repeat(51) } }), true, now, S))).toBe(
      'fieldTooLong',
    );
  });
});
