import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../registry/demo/random.js';
import {
  familyKeys,
  matchSites,
  matchSitesNaive,
  parsePlace,
  placeAgreement,
  reportsLink,
  sitesFingerprint,
  type MatchReport,
} from './sites.js';

const BASE = { lng: 121.385, lat: 31.11 };
/** A point `east` / `north` metres from BASE. */
const at = (east: number, north = 0) => ({
  lng: BASE.lng + east / (111_320 * Math.cos((BASE.lat * Math.PI) / 180)),
  lat: BASE.lat + north / 110_574,
});
const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();

const report = (id: string, east: number, d: number, extra: Partial<MatchReport> = {}): MatchReport => ({
  id,
  channel: 'patrol',
  receivedAt: day(d),
  discoveredAt: null,
  ...at(east),
  compoundId: null,
  placeText: null,
  propertyCompanyId: null,
  verified: false,
  ...extra,
});

const groups = (
  reports: MatchReport[],
  ...rest: Parameters<typeof matchSites> extends [unknown, ...infer R] ? R : never
) => matchSites(reports, ...rest).sites.map((s) => s.reportIds);

describe('parsePlace and placeAgreement', () => {
  it.each([
    ['12号楼2单元301室', { building: '12', unit: '2', room: '301' }],
    ['１２栋 ３０１室', { building: '12', unit: null, room: '301' }],
    ['12幢301', { building: '12', unit: null, room: '301' }],
    ['12号0301室', { building: '12', unit: null, room: '301' }],
    ['12-2-301', { building: '12', unit: '2', room: '301' }],
    ['12-301', { building: '12', unit: null, room: '301' }],
    ['小区东门车棚旁', { building: null, unit: null, room: null }],
  ])('%s', (text, parts) => {
    expect(parsePlace(text)).toEqual(parts);
  });

  it('agrees on shared parts, is absent without any, and refuses a different building or room', () => {
    expect(placeAgreement(parsePlace('12号楼301室'), parsePlace('12栋301'))).toBe('match');
    expect(placeAgreement(parsePlace('12号楼'), parsePlace('301室'))).toBe('absent');
    expect(placeAgreement(parsePlace(null), parsePlace('12号楼'))).toBe('absent');
    expect(placeAgreement(parsePlace('12号楼301室'), parsePlace('12号楼302室'))).toBeNull();
    expect(placeAgreement(parsePlace('11号楼'), parsePlace('12号楼'))).toBeNull();
  });
});

describe('reportsLink', () => {
  it('links within 30 m and 90 days, not beyond', () => {
    expect(reportsLink(report('a', 0, 0), report('b', 29, 10))).toBe(true);
    expect(reportsLink(report('a', 0, 0), report('b', 31, 10))).toBe(false);
    expect(reportsLink(report('a', 0, 0), report('b', 5, 91))).toBe(false);
    expect(reportsLink(report('a', 0, 0), report('b', 5, 89))).toBe(true);
    expect(reportsLink(report('a', 0, 0), report('b', 40, 10), { distanceM: 50, windowDays: 90 })).toBe(true);
  });
  it('keeps two named compounds apart but links a report without one', () => {
    expect(
      reportsLink(report('a', 0, 0, { compoundId: 'c1' }), report('b', 5, 1, { compoundId: 'c2' })),
    ).toBe(false);
    expect(reportsLink(report('a', 0, 0, { compoundId: 'c1' }), report('b', 5, 1))).toBe(true);
  });
  it('refuses when building/room texts disagree', () => {
    const a = report('a', 0, 0, { placeText: '3号楼101室' });
    expect(reportsLink(a, report('b', 5, 1, { placeText: '3栋102' }))).toBe(false);
    expect(reportsLink(a, report('b', 5, 1, { placeText: '３幢１０１室' }))).toBe(true);
  });
});

describe('matchSites', () => {
  it('groups a chain into one site and records a spanning tree of reasons', () => {
    // a–b 20 m, b–c 20 m, a–c 40 m: one site through b; d stands alone 200 m away.
    const rs = [
      report('c', 40, 2, { compoundId: 'k' }),
      report('a', 0, 0, { compoundId: 'k', placeText: '5号楼' }),
      report('d', 200, 1),
      report('b', 20, 1, { compoundId: 'k', placeText: '5栋' }),
    ];
    const m = matchSites(rs);
    expect(m.sites.map((s) => [s.id, s.reportIds])).toEqual([
      ['site-a', ['a', 'b', 'c']],
      ['site-d', ['d']],
    ]);
    expect(m.members.get('a')?.links).toEqual([]);
    expect(m.members.get('b')?.links).toEqual([
      { kind: 'auto', toReportId: 'a', distanceM: 20, sameCompound: true, text: 'match' },
    ]);
    expect(m.members.get('c')?.links).toEqual([
      { kind: 'auto', toReportId: 'b', distanceM: 20, sameCompound: true, text: 'absent' },
    ]);
  });

  it('records both links when a report bridges two earlier sites', () => {
    const m = matchSites([report('a', 0, 0), report('b', 50, 1), report('c', 25, 2)]);
    expect(m.sites.map((s) => s.reportIds)).toEqual([['a', 'b', 'c']]);
    expect(m.members.get('c')?.links.map((l) => l.toReportId)).toEqual(['a', 'b']);
  });

  it('does not depend on input order', () => {
    const rs = Array.from({ length: 40 }, (_, i) =>
      report(`r${String(i).padStart(2, '0')}`, (i * 7) % 90, i * 3),
    );
    const reversed = [...rs].reverse();
    expect(sitesFingerprint(matchSites(reversed).sites)).toBe(sitesFingerprint(matchSites(rs).sites));
  });

  it('links across a time-bucket boundary and not beyond the window', () => {
    // Buckets are one window long from the first report: 0–89 and 90–179 days.
    expect(groups([report('a', 0, 0), report('b', 5, 80), report('c', 10, 100)])).toEqual([['a', 'b', 'c']]);
    expect(groups([report('a', 0, 0), report('b', 5, 100)])).toEqual([['a'], ['b']]);
  });

  it('applies a split and a later join, the later override winning', () => {
    const rs = [report('a', 0, 0), report('b', 10, 1), report('c', 20, 2)];
    const split = { id: 'o1', kind: 'split' as const, reportId: 'b', otherReportId: null, at: day(10) };
    // Without b, a and c are 20 m apart and still link directly.
    expect(groups(rs, undefined, [split])).toEqual([['a', 'c'], ['b']]);
    const join = { id: 'o2', kind: 'join' as const, reportId: 'b', otherReportId: 'a', at: day(11) };
    const m = matchSites(rs, undefined, [join, split]);
    expect(m.sites.map((s) => s.reportIds)).toEqual([['a', 'b', 'c']]);
    expect(m.members.get('b')?.links).toEqual([{ kind: 'join', toReportId: 'a', overrideId: 'o2' }]);
    // A split after the join undoes it.
    const again = { ...split, id: 'o3', at: day(12) };
    expect(groups(rs, undefined, [split, join, again])).toEqual([['a', 'c'], ['b']]);
  });

  it('joins sites that are far apart', () => {
    const rs = [report('a', 0, 0), report('b', 500, 1)];
    const join = { id: 'o1', kind: 'join' as const, reportId: 'b', otherReportId: 'a', at: day(5) };
    expect(matchSites(rs, undefined, [join]).sites).toEqual([
      { id: 'site-a', firstReportId: 'a', reportIds: ['a', 'b'] },
    ]);
  });

  it('gives the same sites as the naive all-pairs matcher on random clustered reports', () => {
    const rnd = mulberry32(7);
    // 30 clusters 100 m apart, reports spread over 25 m and 400 days: links inside clusters, some windows.
    const rs = Array.from({ length: 400 }, (_, i) =>
      report(`r${i}`, Math.floor(rnd() * 30) * 100 + rnd() * 25, rnd() * 400, {
        compoundId: rnd() < 0.3 ? `k${Math.floor(rnd() * 3)}` : null,
        placeText: rnd() < 0.3 ? `${1 + Math.floor(rnd() * 2)}号楼` : null,
      }),
    );
    const fast = matchSites(rs).sites;
    expect(fast.length).toBeGreaterThan(20);
    expect(fast.length).toBeLessThan(300);
    expect(sitesFingerprint(fast)).toBe(sitesFingerprint(matchSitesNaive(rs)));
  });
});

describe('familyKeys', () => {
  it('takes marked categories and the local categories under them', () => {
    const keys = familyKeys([
      { key: 'event:06001', family: 'illegalConstruction', parentKey: null },
      { key: 'event:08016', family: 'illegalConstruction', parentKey: null },
      { key: 'event:06003', family: null, parentKey: null },
      { key: 'local:1', family: null, parentKey: 'event:06001' },
      { key: 'local:2', family: 'groupRental', parentKey: null },
    ]);
    expect([...keys].sort()).toEqual(['event:06001', 'event:08016', 'local:1']);
  });
});
