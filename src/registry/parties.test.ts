import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { creditCodeCheckChar } from './codes.js';
import {
  SERVICE_AREA_BBOX,
  changedFields,
  checkCompound,
  checkDepartment,
  checkPropertyCompany,
  coordinateProblem,
  parseActiveCell,
  parseLocationCells,
} from './parties.js';

const fields = (ps: Array<{ field: string; reason: string }>) => ps.map((p) => `${p.field}:${p.reason}`);

describe('parties rules', () => {
  it('a property company needs a name and a credit code with the right check character', () => {
    const body = '91310112MA1FL0001';
    const good = body + creditCodeCheckChar(body);
    expect(
      checkPropertyCompany({ name: '东苑物业', creditCode: good, contactPhone: '021-64123456' }),
    ).toEqual([]);
    expect(
      fields(
        checkPropertyCompany({
          name: ' ',
          creditCode: `${body}${good.endsWith('0') ? '1' : '0'}`,
          contactPhone: '12',
        }),
      ),
    ).toEqual(['name:required', 'creditCode:checkChar', 'contactPhone:format']);
    expect(fields(checkPropertyCompany({ name: 'x'.repeat(201), creditCode: '' }))).toEqual([
      'name:tooLong',
      'creditCode:required',
    ]);
  });

  it('a department has a known kind and a code', () => {
    expect(checkDepartment({ code: '310112-GA', kind: 'police', name: '公安' })).toEqual([]);
    expect(fields(checkDepartment({ code: '', kind: 'army', name: '' }))).toEqual([
      'code:required',
      'kind:unknown',
      'name:required',
    ]);
  });

  it('coordinates: WGS-84 ranges, and points outside the service area (swapped, another city) are refused', () => {
    expect(coordinateProblem(121.38, 31.11)).toBeNull();
    expect(coordinateProblem(181, 31)).toBe('lngRange');
    expect(coordinateProblem(31.11, 121.38)).toBe('latRange');
    expect(coordinateProblem(116.4, 39.9)).toBe('outsideServiceArea');
    expect(coordinateProblem(Number.NaN, 31)).toBe('notANumber');
    fc.assert(
      fc.property(
        fc.double({ min: SERVICE_AREA_BBOX.minLng, max: SERVICE_AREA_BBOX.maxLng, noNaN: true }),
        fc.double({ min: SERVICE_AREA_BBOX.minLat, max: SERVICE_AREA_BBOX.maxLat, noNaN: true }),
        (lng, lat) => coordinateProblem(lng, lat) === null,
      ),
    );
    expect(fields(checkCompound({ code: 'A-1', name: '东苑', location: { lng: 121.4, lat: 95 } }))).toEqual([
      'lat:latRange',
    ]);
  });

  it('reads location and active cells of a CSV row', () => {
    expect(parseLocationCells('', ' ')).toEqual({ location: null, problems: [] });
    expect(parseLocationCells(' 121.38 ', '31.11')).toEqual({
      location: { lng: 121.38, lat: 31.11 },
      problems: [],
    });
    expect(fields(parseLocationCells('121.38', '').problems)).toEqual(['lat:missingPair']);
    expect(fields(parseLocationCells('121,38', '31.1').problems)).toEqual(['lng:notANumber']);
    expect(fields(parseLocationCells('0x10', '1e3').problems)).toEqual(['lng:notANumber', 'lat:notANumber']);
    expect(['', 'true', '1', '是', 'FALSE', '否', 'maybe'].map(parseActiveCell)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      null,
    ]);
  });

  it('audit summaries hold only the fields that changed', () => {
    expect(
      changedFields(
        { name: 'a', code: 'x', location: { lng: 1, lat: 2 } },
        { name: 'b', code: 'x', location: { lng: 1, lat: 2 } },
      ),
    ).toEqual({ before: { name: 'a' }, after: { name: 'b' } });
    expect(changedFields({ address: null }, { address: '沪闵路' })).toEqual({
      before: { address: null },
      after: { address: '沪闵路' },
    });
  });
});
