import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isValidCommunityCode, isValidSubdistrictCode } from '../codes.js';
import { centroidOf, fromGeoJsonMultiPolygon, localProjection } from './geometry.js';
import { loadDistrictSources, loadMinhangSources, parseCsv } from './sources.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sharedData = path.resolve(projectRoot, '../shared/data');

describe('loadMinhangSources', () => {
  it('reads the real 14 subdistricts and 596 communities of 闵行区 with valid, nested codes', async () => {
    const s = await loadMinhangSources(sharedData);
    expect(s.districtCode).toBe('310112');
    expect(s.districtName).toBe('闵行区');
    expect(s.subdistricts.map((x) => `${x.code} ${x.name}`)).toEqual([
      '310112001 江川路街道',
      '310112006 古美街道',
      '310112008 新虹街道',
      '310112009 浦锦街道',
      '310112101 莘庄镇',
      '310112102 七宝镇',
      '310112103 颛桥镇',
      '310112106 华漕镇',
      '310112107 虹桥镇',
      '310112108 梅陇镇',
      '310112110 吴泾镇',
      '310112112 马桥镇',
      '310112114 浦江镇',
      '310112501 莘庄工业区',
    ]);
    expect(s.communities).toHaveLength(596);
    for (const c of s.communities) {
      expect(isValidCommunityCode(c.code, c.subdistrictCode)).toBe(true);
      expect(c.name).toMatch(/(居委会|村委会)$/);
    }
    expect(s.subdistricts.every((x) => isValidSubdistrictCode(x.code))).toBe(true);
    expect(s.communities.filter((c) => c.subdistrictCode === '310112108')).toHaveLength(79);
  });

  it('converts the GCJ-02 outline to WGS-84: the centroid moves by 300–600 m, to the west', async () => {
    const s = await loadMinhangSources(sharedData);
    const proj = localProjection(121.4, 31.1);
    const raw = centroidOf(fromGeoJsonMultiPolygon(s.outlineGcj02, proj));
    const wgs = centroidOf(fromGeoJsonMultiPolygon(s.outlineWgs84, proj));
    const shift = Math.hypot(raw[0] - wgs[0], raw[1] - wgs[1]);
    expect(shift).toBeGreaterThan(300);
    expect(shift).toBeLessThan(600);
    // GCJ-02 is pushed east (and north) of WGS-84 in Shanghai.
    expect(wgs[0]).toBeLessThan(raw[0]);
  });

  it('refuses an unknown district with an Invalid error, and fails on a wrong data directory', async () => {
    await expect(loadDistrictSources(sharedData, '310199')).rejects.toMatchObject({ code: 'Invalid', details: { field: 'districtCode' } });
    await expect(loadMinhangSources(path.join(sharedData, 'does-not-exist'))).rejects.toThrow();
  });
});

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes and CRLF line ends', () => {
    expect(parseCsv('code,name\r\n1,"a,b"\r\n2,"say ""hi"""\r\n')).toEqual([
      { code: '1', name: 'a,b' },
      { code: '2', name: 'say "hi"' },
    ]);
  });
});
