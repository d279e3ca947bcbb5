import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categoryOfCell, formatOfFileName, parseImport, rowDraft, sourceInstant } from './import.js';
import {
  CROCKFORD,
  DEFAULT_INTAKE_SETTINGS,
  boxAround,
  canonicalJson,
  checkReport,
  decodeCursor,
  distanceToBoxM,
  encodeCursor,
  haversineM,
  isIdempotencyKey,
  makeCaseCode,
  makeTrackingCode,
  normalizeTrackingCode,
  observedAtProblem,
  pickDuplicate,
  reportStatusOf,
  trackingCheckChar,
  type CaseCandidate,
  type ReportDraft,
} from './reports.js';

const bytes = fc.uint8Array({ minLength: 9, maxLength: 9 });

describe('tracking codes', () => {
  it('are 10 Crockford symbols whose last one checks the others', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const code = makeTrackingCode(b);
        expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
        expect(normalizeTrackingCode(code)).toBe(code);
      }),
    );
  });

  it('catch every single wrong character (except 0 for Z) and every swap of two neighbours (except 0 and Z)', () => {
    fc.assert(
      fc.property(bytes, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 31 }), (b, at, v) => {
        const code = makeTrackingCode(b);
        const wrong = code.slice(0, at) + CROCKFORD.charAt(v) + code.slice(at + 1);
        if (wrong === code) return;
        const zeroZ = new Set([code.charAt(at), CROCKFORD.charAt(v)]);
        if (zeroZ.has('0') && zeroZ.has('Z')) return; // equal mod 31: the documented blind spot
        expect(normalizeTrackingCode(wrong)).toBeNull();
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(bytes, fc.integer({ min: 0, max: 8 }), (b, at) => {
        const code = makeTrackingCode(b);
        const [x, y] = [code.charAt(at), code.charAt(at + 1)];
        if (x === y || (new Set([x, y]).has('0') && new Set([x, y]).has('Z'))) return;
        const swapped = code.slice(0, at) + y + x + code.slice(at + 2);
        expect(normalizeTrackingCode(swapped)).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it('read as people type them: lower case, dashes, spaces, I and L for 1, O for 0', () => {
    const body = '01ABCDEFG';
    const code = body + trackingCheckChar(body);
    expect(normalizeTrackingCode(`oi-abc def${code.slice(-2).toLowerCase()}`)).toBe(code);
    expect(normalizeTrackingCode('0LABCDEFG' + trackingCheckChar(body))).toBe(code);
    expect(normalizeTrackingCode('U1ABCDEFGH')).toBeNull(); // U is not a Crockford symbol
    expect(normalizeTrackingCode(code.slice(0, 9))).toBeNull();
    expect(normalizeTrackingCode('')).toBeNull();
  });

  it('make case codes from the Shanghai date', () => {
    // 2026-11-29 23:30 UTC is already 30 November in Shanghai
    expect(makeCaseCode(new Date('2026-11-29T23:30:00Z'), new Uint8Array(6))).toBe('20261130-000000');
  });
});

describe('distances and duplicates', () => {
  const p = { lng: 121.38, lat: 31.11 };

  it('haversine: one degree of latitude is about 111 km, symmetric, zero to itself', () => {
    expect(haversineM({ lng: 121, lat: 31 }, { lng: 121, lat: 32 })).toBeCloseTo(111_195, -2);
    fc.assert(
      fc.property(
        fc.double({ min: -0.1, max: 0.1, noNaN: true }),
        fc.double({ min: -0.1, max: 0.1, noNaN: true }),
        (dx, dy) => {
          const q = { lng: p.lng + dx, lat: p.lat + dy };
          expect(Math.abs(haversineM(p, q) - haversineM(q, p))).toBeLessThan(1e-6);
        },
      ),
    );
    expect(haversineM(p, p)).toBe(0);
  });

  it('the box around a point holds every point within the radius (the SQL prefilter never loses a match)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 2000, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -60, max: 60, noNaN: true }),
        (radius, angle, frac, lat) => {
          const c = { lng: 121, lat };
          const r = radius * frac;
          const q = {
            lng: c.lng + (r * Math.cos(angle)) / (111_320 * Math.cos((lat * Math.PI) / 180)),
            lat: c.lat + (r * Math.sin(angle)) / 111_320,
          };
          if (haversineM(c, q) > radius) return;
          const b = boxAround(c, radius);
          expect(q.lng >= b.minLng && q.lng <= b.maxLng && q.lat >= b.minLat && q.lat <= b.maxLat).toBe(true);
        },
      ),
    );
  });

  it('measures the distance to a box, zero inside', () => {
    const b = { minLng: 121, minLat: 31, maxLng: 121.5, maxLat: 31.2 };
    expect(distanceToBoxM({ lng: 121.2, lat: 31.1 }, b)).toBe(0);
    expect(distanceToBoxM({ lng: 121.2, lat: 31.3 }, b)).toBeCloseTo(11_119, -1);
  });

  it('joins the nearest open case of the same category within the distance and window', () => {
    const now = new Date('2026-11-30T00:00:00Z');
    const c = (
      id: string,
      east: number,
      hoursAgo: number,
      extra: Partial<CaseCandidate> = {},
    ): CaseCandidate => ({
      id,
      code: `C-${id}`,
      categoryKey: 'event:06001',
      lng: p.lng + east / (111_320 * Math.cos((p.lat * Math.PI) / 180)),
      lat: p.lat,
      openedAt: new Date(now.getTime() - hoursAgo * 3600_000).toISOString(),
      status: 'open',
      responsibleUnitId: 'u1',
      ...extra,
    });
    const s = DEFAULT_INTAKE_SETTINGS;
    const r = { categoryKey: 'event:06001', point: p };
    expect(pickDuplicate(r, [c('far', 60, 1), c('near', 40, 1), c('nearer', 20, 70)], now, s)).toMatchObject({
      caseId: 'nearer',
      status: 'open',
    });
    expect(pickDuplicate(r, [c('old', 10, 72.1)], now, s)).toBeNull();
    expect(pickDuplicate(r, [c('closed', 10, 1, { status: 'closed' })], now, s)).toBeNull();
    expect(pickDuplicate(r, [c('other', 10, 1, { categoryKey: 'event:06005' })], now, s)).toBeNull();
    expect(pickDuplicate(r, [c('future', 10, -1)], now, s)).toBeNull();
    expect(pickDuplicate(r, [c('b', 10, 1), c('a', 10, 1)], now, s)?.caseId).toBe('a'); // a tie: the smaller id
    expect(
      pickDuplicate(r, [c('wide', 140, 100)], now, { duplicateDistanceM: 150, duplicateWindowHours: 120 })
        ?.caseId,
    ).toBe('wide');
  });

  it('a report shows triage while its case has no responsible unit, then the case status', () => {
    expect(reportStatusOf({ status: 'open', responsibleUnitId: null })).toBe('triage');
    expect(reportStatusOf({ status: 'open', responsibleUnitId: 'u' })).toBe('open');
    expect(reportStatusOf({ status: 'closed', responsibleUnitId: null })).toBe('closed');
  });
});

describe('report fields', () => {
  const now = new Date('2026-11-30T02:00:00Z');
  const draft = (patch: Partial<ReportDraft> = {}): ReportDraft => ({
    channel: 'resident',
    description: '违建',
    address: null,
    observedAt: null,
    reporterName: null,
    reporterPhone: null,
    photoIds: [],
    accuracyM: null,
    ...patch,
  });
  const fields = (patch: Partial<ReportDraft>) =>
    checkReport(draft(patch), now, DEFAULT_INTAKE_SETTINGS).map((p) => `${p.field}:${p.reason}`);

  it('counts the 4,000 characters of a description in characters, not UTF-16 units', () => {
    expect(fields({ description: '😀'.repeat(4000) })).toEqual([]);
    expect(fields({ description: '违'.repeat(4001) })).toEqual(['description:tooLong']);
    expect(fields({ description: ' \n' })).toEqual(['description:required']);
  });

  it('names every bad field', () => {
    expect(
      fields({ reporterPhone: '12', photoIds: ['a', 'a'], accuracyM: -3, address: 'x'.repeat(501) }),
    ).toEqual(['address:tooLong', 'reporter.phone:format', 'photoIds:duplicate', 'location.accuracy:range']);
    expect(
      fields({
        reporterPhone: '+86 138',
        photoIds: Array(10)
          .fill(0)
          .map((_, i) => `p${i}`),
      }),
    ).toEqual(['reporter.phone:format', 'photoIds:tooMany']);
    expect(fields({ reporterPhone: '021-64123456' })).toEqual([]);
  });

  it('wants observation times with a zone, not in the future beyond the skew', () => {
    const skew = DEFAULT_INTAKE_SETTINGS.clockSkewMs;
    expect(observedAtProblem('observedAt', '2026-11-30T09:59:00+08:00', now, skew)).toBeNull();
    expect(observedAtProblem('observedAt', '2026-11-30T10:04:00+08:00', now, skew)).toBeNull(); // 4 min fast
    expect(observedAtProblem('observedAt', '2026-11-30T10:06:00+08:00', now, skew)?.reason).toBe('future');
    expect(observedAtProblem('observedAt', '2026-11-30T09:59:00', now, skew)?.reason).toBe('format');
    expect(observedAtProblem('observedAt', '2026-02-31T09:59:00Z', now, skew)).toBeNull(); // Date rolls it over; still an instant
    expect(observedAtProblem('observedAt', '2026-11-30T99:99:00Z', now, skew)?.reason).toBe('format');
    expect(observedAtProblem('observedAt', '1999-12-31T23:00:00Z', now, skew)?.reason).toBe('tooOld');
  });
});

describe('idempotency and cursors', () => {
  it('canonical JSON does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(o));
        expect(JSON.parse(canonicalJson(o))).toEqual(JSON.parse(JSON.stringify(o)));
      }),
    );
  });

  it('keys are 1–100 visible ASCII characters', () => {
    expect(isIdempotencyKey('3f2b-…')).toBe(false);
    expect(isIdempotencyKey('abc-123_DEF')).toBe(true);
    expect(isIdempotencyKey('a b')).toBe(true);
    expect(isIdempotencyKey(' ab')).toBe(false);
    expect(isIdempotencyKey('')).toBe(false);
    expect(isIdempotencyKey('k'.repeat(100))).toBe(true);
    expect(isIdempotencyKey('k'.repeat(101))).toBe(false);
  });

  it('cursors round-trip and refuse anything else', () => {
    const c = { receivedAt: '2026-11-30T02:00:00.000Z', id: '01a22837-2630-7d0e-b82c-53987d6e88cd' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const c2 = decodeCursor(s);
        expect(c2 === null || typeof c2.id === 'string').toBe(true);
      }),
    );
    expect(decodeCursor('bogus')).toBeNull();
  });
});

describe('batch import rules', () => {
  it('tells the format by the file name', () => {
    expect(formatOfFileName('tickets.CSV')).toBe('csv');
    expect(formatOfFileName('t.ndjson')).toBe('jsonl');
    expect(formatOfFileName('t.jsonl')).toBe('jsonl');
    expect(formatOfFileName('t.xlsx')).toBeUndefined();
  });

  it('reads 12345 times without a zone as Shanghai time', () => {
    expect(sourceInstant('2026-11-29 08:30')).toBe('2026-11-29T08:30:00+08:00');
    expect(sourceInstant('2026-11-29 08:30:15')).toBe('2026-11-29T08:30:15+08:00');
    expect(sourceInstant('2026-11-29T08:30:00Z')).toBe('2026-11-29T08:30:00Z');
  });

  it('names the line and column of every bad row', () => {
    const csv =
      'ticketId,description,lng,lat,crs\nA,ok,121.4,31.1,wgs84\n,no ticket,121.4,31.1,\nB,bad,x,31.1,utm\nC,no location,,,\nD,short\n';
    const parsed = parseImport(csv, 'csv');
    expect(parsed.fatal).toBe(false);
    expect(parsed.problems).toEqual([
      { line: 6, field: '*', key: 'csvFieldCount', reason: 'fieldCount', value: '2/5' },
    ]);
    const out = parsed.rows.map(rowDraft);
    expect(out[0]).toMatchObject({ ticketId: 'A', location: { lng: 121.4, lat: 31.1, crs: 'wgs84' } });
    expect(
      out.slice(1).map((o) => (Array.isArray(o) ? o.map((p) => `${p.line}:${p.field}:${p.key}`) : o)),
    ).toEqual([
      ['3:ticketId:fieldRequired'],
      ['4:lng:coordinateFormat', '4:crs:crsUnknown'],
      ['5:lng:locationRequired'],
    ]);
    expect(parseImport('who,description\n', 'csv')).toMatchObject({ fatal: true });
  });

  it('finds a category by key, or by its one Chinese or English name', () => {
    const dir = {
      keys: new Set(['event:06001', 'event:06002', 'event:07001']),
      byName: new Map([
        ['私搭乱建', ['event:06001']],
        ['other', ['event:06002', 'event:07001']],
      ]),
    };
    expect(categoryOfCell('event:06001', dir)).toEqual({ key: 'event:06001' });
    expect(categoryOfCell('私搭乱建', dir)).toEqual({ key: 'event:06001' });
    expect(categoryOfCell('Other', dir)).toEqual({ problem: 'ambiguous' });
    expect(categoryOfCell('nothing', dir)).toEqual({ problem: 'unknown' });
  });
});
