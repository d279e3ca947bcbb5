// What the matcher reads from a report's `extra`: the dual-report service's shape (place + companyId) and the
// older flat one (placeText / building… + propertyCompanyId) give the same place and company.
import { describe, expect, it } from 'vitest';
import { toMatchReport } from './matching.service.js';
import { parsePlace } from './sites.js';

const base = {
  id: 'r1',
  channel: 'dualReport',
  receivedAt: '2026-11-01T02:00:00.000Z',
  lng: 121.38,
  lat: 31.11,
  compoundId: 'cmp1',
  unitPath: '/b/',
  caseId: 'c1',
};

describe('toMatchReport reads both shapes of a dual report', () => {
  it('labels the parts of `place` so that they parse like free text, and takes companyId', () => {
    const m = toMatchReport(
      { ...base, extra: { companyId: 'pc9', place: { building: '9', unit: '1', room: '1303' }, discoveredAt: '2026-11-01T08:00:00+08:00' } },
      undefined,
      new Map([['cmp1', 'pcManaging']]),
    );
    expect(m.propertyCompanyId).toBe('pc9');
    expect(parsePlace(m.placeText)).toEqual({ building: '9', unit: '1', room: '1303' });
    expect(m.discoveredAt).not.toBeNull();
  });

  it('keeps labels already given, reads the flat shape, and falls back to the managing company', () => {
    const labelled = toMatchReport({ ...base, extra: { place: { building: '9号楼', room: '1303室' } } }, '2026-11-02', new Map([['cmp1', 'pcM']]));
    expect(parsePlace(labelled.placeText)).toEqual({ building: '9', unit: null, room: '1303' });
    expect(labelled.propertyCompanyId).toBe('pcM');
    expect(labelled.verified).toBe(true);
    const flat = toMatchReport({ ...base, extra: { placeText: '12-301', propertyCompanyId: 'pcF' } }, undefined, new Map());
    expect(flat.placeText).toBe('12-301');
    expect(flat.propertyCompanyId).toBe('pcF');
    const patrol = toMatchReport({ ...base, channel: 'patrol', extra: null }, undefined, new Map([['cmp1', 'pcM']]));
    expect(patrol.propertyCompanyId).toBeNull();
    expect(patrol.placeText).toBeNull();
  });
});
