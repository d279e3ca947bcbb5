import { describe, expect, it } from 'vitest';
import { discoveryFigures, type DiscoveryReport, type DiscoverySite } from './discovery.js';

const h = (hours: number) => new Date(Date.UTC(2026, 2, 1) + hours * 3_600_000).toISOString();
const dual = (co: string, receivedH: number, discoveredH: number | null): DiscoveryReport => ({
  channel: 'dualReport',
  receivedAt: h(receivedH),
  discoveredAt: discoveredH === null ? null : h(discoveredH),
  propertyCompanyId: co,
});
const other = (channel: string, receivedH: number): DiscoveryReport => ({
  channel,
  receivedAt: h(receivedH),
  discoveredAt: null,
  propertyCompanyId: null,
});
const site = (
  id: string,
  co: string | null,
  reports: DiscoveryReport[],
  more: Partial<DiscoverySite> = {},
): DiscoverySite => ({
  id,
  verified: true,
  compoundId: co === null ? null : `k-${co}`,
  propertyCompanyId: co,
  subdistrictId: 'sub1',
  reports,
  ...more,
});

/**
 * Company A manages 4 verified sites: s1 reported first and on time, s2 reported first but 30 h after
 * discovery, s3 found by patrol and reported by A 2 h later, s4 found by a resident and never reported.
 * Company B: s5 reported first without a discovery time. s6 lies outside any compound (patrol). s7 is A's
 * but unverified; s8 is A's but first reported before the period.
 */
const SITES: DiscoverySite[] = [
  site('s1', 'A', [dual('A', 10, 2), other('patrol', 20)]),
  site('s2', 'A', [dual('A', 40, 10)]),
  site('s3', 'A', [dual('A', 52, 51), other('patrol', 50)]),
  site('s4', 'A', [other('resident', 60), other('patrol', 61)]),
  site('s5', 'B', [dual('B', 70, null)]),
  site('s6', null, [other('patrol', 80)], { subdistrictId: 'sub2' }),
  site('s7', 'A', [other('patrol', 90)], { verified: false }),
  site('s8', 'A', [other('patrol', -5)]),
];
const PERIOD = { from: h(0), to: h(24 * 30) };

describe('discoveryFigures', () => {
  it('per property company: rate, timeliness, first and missed, computed by hand', () => {
    const d = discoveryFigures(SITES, PERIOD, 'propertyCompany');
    const a = d.groups.find((g) => g.key === 'A');
    expect(a).toMatchObject({
      verifiedSites: 4,
      companySites: 4,
      reportedByCompany: 3, // s1 s2 s3
      timely: 2, // s1 (8 h), s3 (1 h)
      late: 1, // s2 (30 h)
      lagUnknown: 0,
      companyFirst: 2, // s1 s2
      missedNever: 1, // s4
      missedLater: 1, // s3
      firstFinders: { dualReport: 2, patrol: 1, resident: 1 },
    });
    expect(a?.discoveryRate).toBeCloseTo(3 / 4);
    expect(a?.timeliness).toBeCloseTo(2 / 3);
    const b = d.groups.find((g) => g.key === 'B');
    expect(b).toMatchObject({
      verifiedSites: 1,
      reportedByCompany: 1,
      lagUnknown: 1,
      timeliness: null,
      discoveryRate: 1,
    });
    expect(d.groups.map((g) => g.key)).toEqual(['A', 'B']); // s6 has no company
    expect(d.missed).toEqual([
      {
        siteId: 's3',
        compoundId: 'k-A',
        propertyCompanyId: 'A',
        subdistrictId: 'sub1',
        firstChannel: 'patrol',
        firstReceivedAt: h(50),
        companyReportedAt: h(52),
        reason: 'later',
      },
      expect.objectContaining({
        siteId: 's4',
        firstChannel: 'resident',
        companyReportedAt: null,
        reason: 'never',
      }),
    ]);
  });

  it('totals and per channel: shares of all verified sites found and found first', () => {
    const d = discoveryFigures(SITES, PERIOD, 'channel');
    expect(d.groups).toEqual([]);
    expect(d.totals).toMatchObject({ verifiedSites: 6, companySites: 5, reportedByCompany: 4 });
    // patrol: in s1 s3 s4 s6 (4 of 6), first in s3 s6; dualReport: s1 s2 s3 s5 (4), first in s1 s2 s5.
    expect(d.channels).toEqual([
      { channel: 'dualReport', sitesFound: 4, foundFirst: 3, share: 4 / 6, firstShare: 3 / 6 },
      { channel: 'patrol', sitesFound: 4, foundFirst: 2, share: 4 / 6, firstShare: 2 / 6 },
      { channel: 'resident', sitesFound: 1, foundFirst: 1, share: 1 / 6, firstShare: 1 / 6 },
    ]);
  });

  it('per subdistrict and compound', () => {
    const bySub = discoveryFigures(SITES, PERIOD, 'subdistrict');
    expect(bySub.groups.map((g) => [g.key, g.verifiedSites, g.companySites, g.reportedByCompany])).toEqual([
      ['sub1', 5, 5, 4],
      ['sub2', 1, 0, 0],
    ]);
    expect(bySub.groups[1]?.discoveryRate).toBeNull();
    const byCompound = discoveryFigures(SITES, PERIOD, 'compound');
    expect(byCompound.groups.map((g) => g.key)).toEqual(['k-A', 'k-B']);
  });

  it('a dual report by another company does not count for the managing one', () => {
    const d = discoveryFigures([site('s', 'A', [dual('B', 1, 0)])], PERIOD, 'propertyCompany');
    expect(d.groups[0]).toMatchObject({ key: 'A', reportedByCompany: 0, missedNever: 1 });
  });

  it('an empty period gives zeros and null rates', () => {
    const d = discoveryFigures(SITES, { from: h(5000), to: h(6000) }, 'propertyCompany');
    expect(d.totals).toMatchObject({ verifiedSites: 0, discoveryRate: null, timeliness: null });
    expect(d.channels).toEqual([]);
  });
});
