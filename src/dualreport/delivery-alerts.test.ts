import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../platform/calendar/shanghai-time.js';
import { DEFAULT_ALERT_SETTINGS as S, shownShanghai } from '../cases/alerts.js';
import { decideDeliveryAlerts, type DueDelivery } from './delivery-alerts.js';

const DELIVERED = '2026-11-30T02:00:00.000Z'; // 10:00 in Shanghai
const delivered = new Date(DELIVERED).getTime();
const at = (offsetMs: number) => new Date(delivered + offsetMs);
const iso = (offsetMs: number) => at(offsetMs).toISOString();
const ACK_BASIS = 'OneGrid working rule: acknowledge a dual report within 1 hour';
const ON_SITE_BASIS = '上海市拆除违法建筑若干规定 第7条: on site within 24 hours of the report';

const base = (over: Partial<DueDelivery> = {}): DueDelivery => ({
  id: 'dl1',
  caseId: 'c1',
  caseCode: 'AJ-1',
  caseStatus: 'active',
  receiptCode: 'SB-1-ZD',
  recipient: 'squad',
  unitId: 'u-squad',
  deliveredAt: DELIVERED,
  ackDeadline: iso(HOUR_MS),
  ackBasis: ACK_BASIS,
  acknowledgedAt: null,
  onSiteDeadline: iso(24 * HOUR_MS),
  onSiteBasis: ON_SITE_BASIS,
  onSiteAt: null,
  ...over,
});
/** Building under way: 2 hours on site (第7条). */
const underWay = (over: Partial<DueDelivery> = {}) =>
  base({ onSiteDeadline: iso(2 * HOUR_MS), onSiteBasis: '第7条: 2 hours while under way', ...over });
const acked = { acknowledgedAt: iso(10 * MINUTE_MS) };

const kinds = (d: DueDelivery, now: Date) => decideDeliveryAlerts(d, now, S).map((a) => a.kind);

describe('decideDeliveryAlerts', () => {
  it('warns a quarter of the on-site period ahead: 6 hours before a 24-hour limit, 30 minutes before a 2-hour one', () => {
    expect(kinds(base(acked), at(18 * HOUR_MS - 1))).toEqual([]);
    expect(kinds(base(acked), at(18 * HOUR_MS))).toEqual(['deliveryOnSiteWarn']);
    expect(kinds(base(acked), at(24 * HOUR_MS))).toEqual(['deliveryOnSiteWarn']);
    expect(kinds(underWay(acked), at(90 * MINUTE_MS - 1))).toEqual([]);
    expect(kinds(underWay(acked), at(90 * MINUTE_MS))).toEqual(['deliveryOnSiteWarn']);
  });

  it('warns of the 1-hour acknowledgement no closer than the minimum lead of 30 minutes', () => {
    expect(S.warnLeadMinMs).toBe(30 * MINUTE_MS);
    expect(kinds(base(), at(0))).toEqual([]);
    expect(kinds(base(), at(30 * MINUTE_MS - 1))).toEqual([]);
    expect(kinds(base(), at(30 * MINUTE_MS))).toEqual(['deliveryAckWarn']);
  });

  it('is overdue strictly after the deadline, and then sends no warning', () => {
    expect(kinds(base(), at(HOUR_MS))).toEqual(['deliveryAckWarn']);
    expect(kinds(base(), at(HOUR_MS + 1))).toEqual(['deliveryAckOverdue']);
    expect(kinds(base(), at(18 * HOUR_MS))).toEqual(['deliveryAckOverdue', 'deliveryOnSiteWarn']);
    expect(kinds(base(), at(24 * HOUR_MS + 1))).toEqual(['deliveryAckOverdue', 'deliveryOnSiteOverdue']);
    // Long after an outage: the overdue alerts, nothing more.
    expect(kinds(base(), at(30 * 24 * HOUR_MS))).toEqual(['deliveryAckOverdue', 'deliveryOnSiteOverdue']);
  });

  it('sends no acknowledgement alert once acknowledged, but still the on-site ones', () => {
    expect(kinds(base(acked), at(40 * MINUTE_MS))).toEqual([]);
    expect(kinds(base(acked), at(HOUR_MS + 1))).toEqual([]);
    expect(kinds(base(acked), at(24 * HOUR_MS + 1))).toEqual(['deliveryOnSiteOverdue']);
    // Acknowledged late: the acknowledgement is done all the same.
    expect(kinds(base({ acknowledgedAt: iso(3 * HOUR_MS) }), at(24 * HOUR_MS + 1))).toEqual([
      'deliveryOnSiteOverdue',
    ]);
  });

  it('sends no on-site alert once someone was on site', () => {
    const onSite = { ...acked, onSiteAt: iso(HOUR_MS) };
    expect(kinds(base(onSite), at(20 * HOUR_MS))).toEqual([]);
    expect(kinds(base(onSite), at(25 * HOUR_MS))).toEqual([]);
    expect(kinds(underWay(onSite), at(3 * HOUR_MS))).toEqual([]);
  });

  it('reminds nobody of a case that is not active', () => {
    for (const caseStatus of ['suspended', 'closed', 'rejected', 'voided'])
      expect(kinds(base({ caseStatus }), at(24 * HOUR_MS + 1))).toEqual([]);
  });

  it('addresses the delivery’s unit, names the deadline in the dedupe key, and says what is due by when and why', () => {
    const [ack, onSite] = decideDeliveryAlerts(base(), at(24 * HOUR_MS + 1), S);
    const ackDue = iso(HOUR_MS);
    const onSiteDue = iso(24 * HOUR_MS);
    expect(ack).toEqual({
      dedupeKey: `deliveryAckOverdue:dl1:${ackDue}`,
      kind: 'deliveryAckOverdue',
      caseId: 'c1',
      unitId: 'u-squad',
      role: null,
      dueAt: ackDue,
      message: `双报告回执 SB-1-ZD 已于 2026-11-30 11:00 超时未签收（依据：${ACK_BASIS}）`,
    });
    expect(onSite).toEqual({
      dedupeKey: `deliveryOnSiteOverdue:dl1:${onSiteDue}`,
      kind: 'deliveryOnSiteOverdue',
      caseId: 'c1',
      unitId: 'u-squad',
      role: null,
      dueAt: onSiteDue,
      message: `双报告回执 SB-1-ZD（案件 AJ-1）已于 2026-12-01 10:00 超时未到场核查（依据：${ON_SITE_BASIS}）`,
    });
    const [warn] = decideDeliveryAlerts(base(acked), at(20 * HOUR_MS), S);
    expect(warn).toMatchObject({
      dedupeKey: `deliveryOnSiteWarn:dl1:${onSiteDue}`,
      message: `双报告回执 SB-1-ZD（案件 AJ-1）应于 ${shownShanghai(new Date(onSiteDue))} 前到场核查（依据：${ON_SITE_BASIS}）`,
    });
    expect(decideDeliveryAlerts(base(), at(45 * MINUTE_MS), S)[0]?.message).toBe(
      `双报告回执 SB-1-ZD 应于 2026-11-30 11:00 前签收（依据：${ACK_BASIS}）`,
    );
    // The same instant written another way is the same deadline, so the same key.
    const [again] = decideDeliveryAlerts(
      base({ ackDeadline: '2026-11-30T11:00:00+08:00' }),
      at(HOUR_MS + 1),
      S,
    );
    expect(again?.dedupeKey).toBe(`deliveryAckOverdue:dl1:${ackDue}`);
  });

  it('takes the lead from the settings', () => {
    const half = { ...S, warnShare: 0.5 };
    expect(decideDeliveryAlerts(base(acked), at(12 * HOUR_MS - 1), half)).toEqual([]);
    expect(decideDeliveryAlerts(base(acked), at(12 * HOUR_MS), half).map((a) => a.kind)).toEqual([
      'deliveryOnSiteWarn',
    ]);
  });
});
