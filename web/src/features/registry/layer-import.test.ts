import { describe, expect, it } from 'vitest';
import {
  byAreaDesc,
  inspectGeoJson,
  previewCollection,
  suggestCodeField,
  suggestLayerName,
} from './layer-import';
import type { Finding } from './registry-api';

const FC = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { BM: 'A', name: 'x' },
      geometry: { type: 'Point', coordinates: [121.4, 31.1] },
    },
    { type: 'Feature', properties: { BM: 'B' }, geometry: { type: 'Point', coordinates: [121.41, 31.11] } },
  ],
};

describe('layer import helpers', () => {
  it('reads a FeatureCollection and lists its property names, most frequent first', () => {
    const r = inspectGeoJson(JSON.stringify(FC));
    expect(r.ok && r.featureCount).toBe(2);
    expect(r.ok && r.propertyKeys).toEqual(['BM', 'name']);
    expect(suggestCodeField(['name', 'BM'])).toBe('BM');
    expect(inspectGeoJson('{"type":"Feature"}')).toMatchObject({ ok: false, reason: 'notFeatureCollection' });
    expect(inspectGeoJson('not json')).toMatchObject({ ok: false, reason: 'notJson' });
  });

  it('suggests layer names the server accepts', () => {
    expect(suggestLayerName('unit-grid.geojson')).toBe('unit-grid');
    expect(suggestLayerName('2024 单元网格 v2.json')).toBe('v2');
    expect(suggestLayerName('网格.geojson')).toBe('');
  });

  it('converts GCJ-02 to WGS-84 for the preview without touching the file', () => {
    const wgs = previewCollection(FC as never, 'gcj02');
    const [lng] = (wgs.features[0]?.geometry as { coordinates: number[] }).coordinates;
    // In Shanghai the GCJ-02 offset is a few hundred metres: WGS-84 lies west of GCJ-02.
    expect(lng).toBeLessThan(121.4);
    expect(lng).toBeGreaterThan(121.39);
    expect(FC.features[0]?.geometry.coordinates[0]).toBe(121.4);
  });

  it('orders findings by area, largest first, those without an area last', () => {
    const f = (areaM2?: number): Finding => ({
      kind: 'gap',
      severity: 'warning',
      cellCodes: [],
      message: '',
      ...(areaM2 === undefined ? {} : { areaM2 }),
    });
    expect([f(5), f(), f(50)].sort(byAreaDesc).map((x) => x.areaM2)).toEqual([50, 5, undefined]);
  });
});
