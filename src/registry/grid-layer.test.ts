import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../platform/errors.js';
import { parseGridLayer, toGeoJSON } from './grid-layer.js';
import type { Finding, GridLayerPhase } from './grid-layer.js';
import { locateInMultiPolygon } from './geo/pip.js';
import { ringAreaM2 } from './geo/area.js';
import type { MultiPolygonCoords, Position, Ring } from './geo/types.js';

const square = (x0: number, y0: number, s: number): Ring => [
  [x0, y0],
  [x0 + s, y0],
  [x0 + s, y0 + s],
  [x0, y0 + s],
  [x0, y0],
];
const feature = (code: string | undefined, coordinates: unknown, type = 'Polygon', extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { ...(code === undefined ? {} : { code }), ...extra },
  geometry: { type, coordinates },
});
const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features });

/**
 * An n × n grid of d-degree cells from (x0, y0). Neighbours share their vertices bit for bit, as cells cut
 * from one topology do; `independent` draws each cell on its own, so shared borders differ in the last bits.
 */
function grid(n: number, x0 = 121.3, y0 = 31.0, d = 0.0015, skip: (i: number, j: number) => boolean = () => false, independent = false) {
  const X = (i: number) => x0 + i * d;
  const Y = (j: number) => y0 + j * d;
  const features = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (skip(i, j)) continue;
      const ring: Ring = independent
        ? square(X(i), Y(j), d)
        : [[X(i), Y(j)], [X(i + 1), Y(j)], [X(i + 1), Y(j + 1)], [X(i), Y(j + 1)], [X(i), Y(j)]];
      features.push(feature(`U${i}-${j}`, [ring]));
    }
  }
  return features;
}

function refusal(input: unknown, options = {}): { key: string; reason: unknown; details: Record<string, unknown> } {
  try {
    parseGridLayer(input, { crs: 'wgs84', ...options });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    expect(e.code).toBe('Invalid');
    return { key: e.messageKey, reason: e.details.reason, details: e.details };
  }
  throw new Error('expected a refusal');
}

const kinds = (findings: Finding[]) => findings.map((f) => f.kind).sort();
const outlineOf = (ring: Ring): MultiPolygonCoords => [[ring]];

describe('parseGridLayer refuses what cannot be a grid layer', () => {
  it('names the problem and where it is', () => {
    expect(refusal({ type: 'Feature' }).reason).toBe('notFeatureCollection');
    expect(refusal('nope').reason).toBe('notFeatureCollection');
    expect(refusal(collection([])).reason).toBe('noFeatures');
    const line = refusal(collection([feature('a', [[0, 0], [1, 1]], 'LineString')]));
    expect(line).toMatchObject({ key: 'gridLayerInvalid', reason: 'geometryType', details: { featureIndex: 0, found: 'LineString' } });
    const threeD = refusal(collection([feature('a', [square(0, 0, 1)]), feature('b', [[[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]])]));
    expect(threeD).toMatchObject({ reason: 'coordinates3d', details: { featureIndex: 1, path: 'features[1].geometry.coordinates[0][0]' } });
    expect(refusal(collection([feature('a', [[[0, 0], ['1', 0], [1, 1], [0, 0]]])])).reason).toBe('malformedCoordinates');
    expect(refusal(collection([feature('a', [[[0, 0], [NaN, 0], [1, 1], [0, 0]]])])).reason).toBe('coordinateNotFinite');
    expect(refusal(collection([feature('a', [[[0, 0], [Infinity, 0], [1, 1], [0, 0]]])])).reason).toBe('coordinateNotFinite');
    // Web-Mercator metres declared as degrees.
    expect(refusal(collection([feature('a', [square(13_500_000, 3_600_000, 100)])])).reason).toBe('coordinateOutOfRange');
    expect(refusal(collection([feature(undefined, [square(0, 0, 1)])])).details).toMatchObject({ reason: 'missingCode', featureIndex: 0 });
    expect(refusal(collection([feature('a', [square(0, 0, 1)])]), { codeField: 'grid_no' }).reason).toBe('missingCode');
  });

  it('refuses a layer whose declared CRS puts it far from the district', () => {
    // A Minhang-sized outline; the layer is somewhere else entirely (BD-09 Beijing drawn as if here).
    const r = refusal(collection(grid(3, 116.4, 39.9)), { districtOutline: outlineOf(square(121.3, 31.0, 0.1)) });
    expect(r.key).toBe('gridLayerCrsMismatch');
    expect(r.details).toMatchObject({ reason: 'crsMismatch', declaredCrs: 'wgs84', shareNearDistrict: 0 });
  });
});

describe('parseGridLayer imports and reports', () => {
  it('returns WGS-84 MultiPolygon cells with holes, boxes, areas, units and properties', () => {
    const r = parseGridLayer(
      collection([feature('A', [square(121.4, 31.1, 0.01), square(121.402, 31.102, 0.002)], 'Polygon', { ws: 'WS-7', name: '一号' })]),
      { crs: 'gcj02', unitField: 'ws' },
    );
    const [c] = r.cells;
    expect(c).toMatchObject({ code: 'A', unitRef: 'WS-7', properties: { name: '一号' } });
    expect(c!.geometry.type).toBe('MultiPolygon');
    expect(c!.geometry.coordinates[0]).toHaveLength(2); // the hole is kept
    // GCJ-02 → WGS-84 moves Shanghai points west by roughly 0.004–0.005°.
    expect(c!.bbox[0]).toBeGreaterThan(121.394);
    expect(c!.bbox[0]).toBeLessThan(121.397);
    const expected = ringAreaM2(square(121.4, 31.1, 0.01)) - ringAreaM2(square(121.402, 31.102, 0.002));
    expect(c!.areaM2).toBeGreaterThan(expected * 0.999);
    expect(c!.areaM2).toBeLessThan(expected * 1.001);
    // Nothing fills the hole: without a district outline it is a gap enclosed by the layer.
    expect(r.findings.map((f) => f.kind)).toEqual(['gap']);
    expect(r.findings[0]!.areaM2! / ringAreaM2(square(121.402, 31.102, 0.002))).toBeCloseTo(1, 2);
  });

  it('reports unclosed, short and self-crossing rings with the cell and the place', () => {
    const r = parseGridLayer(
      collection([
        feature('open', [[[0, 0], [1, 0], [1, 1], [0, 1]]]),
        feature('bowtie', [[[2, 0], [4, 2], [4, 0], [2, 2], [2, 0]]]),
        feature('sliver', [[[5, 0], [6, 0], [5, 0]]]),
      ]),
      { crs: 'wgs84' },
    );
    const rings = r.findings.filter((f) => f.kind === 'invalidRing');
    expect(rings.find((f) => f.cellCodes[0] === 'open')).toMatchObject({ severity: 'warning', location: [0, 1] });
    expect(rings.find((f) => f.cellCodes[0] === 'bowtie')).toMatchObject({ severity: 'error', location: [3, 1] });
    expect(rings.filter((f) => f.cellCodes[0] === 'sliver').length).toBe(2); // short ring, then no polygon left
    expect(r.cells.map((c) => c.code)).toEqual(['open', 'bowtie']);
    expect(r.cells[0]!.geometry.coordinates[0]![0]).toHaveLength(5); // closed on import
  });

  it('finds duplicate codes, a gap, an overlap and cells outside the district, with areas and places', () => {
    const d = 0.0015;
    const features = grid(4, 121.3, 31.0, d, (i, j) => i === 1 && j === 2); // one cell missing: a gap
    features.push(feature('U0-0', [square(121.3 + 3 * d, 31.0 + 3 * d, d / 2)])); // same code, and overlapping U3-3
    features.push(feature('far', [square(121.3 + 4 * d + 0.001, 31.0, d)])); // wholly outside
    features.push(feature('edge', [square(121.3 - d / 2, 31.0 + d, d)])); // half outside, half over U0-1
    const outline = outlineOf(square(121.3, 31.0, 4 * d));
    const phases = new Set<GridLayerPhase>();
    const r = parseGridLayer(collection(features), { crs: 'wgs84', districtOutline: outline, onProgress: (_d, _t, p) => phases.add(p) });
    const cellArea = ringAreaM2(square(121.3, 31.0, d));

    expect(r.findings.find((f) => f.kind === 'duplicateCode')?.cellCodes).toEqual(['U0-0']);

    const gaps = r.findings.filter((f) => f.kind === 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.areaM2).toBeCloseTo(cellArea, -1);
    const [gx, gy] = gaps[0]!.location as Position;
    expect(locateInMultiPolygon(gx, gy, [[square(121.3 + d, 31.0 + 2 * d, d)]])).toBe('inside');

    const overlaps = r.findings.filter((f) => f.kind === 'overlap').map((f) => `${f.cellCodes.join('+')}:${Math.round(f.areaM2! / (cellArea / 4))}`);
    expect(overlaps.sort()).toEqual(['U0-0+U3-3:1', 'U0-1+edge:2'].sort());

    const outside = r.findings.filter((f) => f.kind === 'outsideDistrict');
    expect(outside.map((f) => `${f.cellCodes[0]}:${f.severity}:${Math.round(f.areaM2! / (cellArea / 2))}`).sort()).toEqual(['edge:warning:1', 'far:error:2']);
    expect(r.summary).toMatchObject({ gapCount: 1, overlapCount: 2, outsideCount: 2, clippingFailures: 0 });
    expect(r.crsSanity).toMatchObject({ declaredCrs: 'wgs84', bestCrs: 'wgs84', suspect: false });
    expect([...phases].sort()).toEqual(['coverage', 'crs', 'outside', 'overlaps', 'read']);
  });

  it('without an outline, reports holes enclosed by the layer as gaps but not the world around it', () => {
    const r = parseGridLayer(collection(grid(5, 121.3, 31.0, 0.001, (i, j) => i === 2 && j === 2)), { crs: 'wgs84' });
    expect(kinds(r.findings)).toEqual(['gap']);
    expect(r.summary.gapAreaM2).toBeCloseTo(ringAreaM2(square(121.302, 31.002, 0.001)), -1);
  });

  it('exports cells back to GeoJSON that imports to the same cells', () => {
    const first = parseGridLayer(collection(grid(3)), { crs: 'wgs84' });
    const again = parseGridLayer(toGeoJSON(first.cells), { crs: 'wgs84' });
    expect(again.cells.map((c) => [c.code, c.geometry])).toEqual(first.cells.map((c) => [c.code, c.geometry]));
  });
});

describe('real and large layers', () => {
  it('finds the LA council layer\'s real overlaps and gaps', { timeout: 180_000 }, () => {
    const la = JSON.parse(readFileSync(new URL('../../../shared/data/la-311/nc-certified.geojson', import.meta.url), 'utf8')) as unknown;
    const t0 = performance.now();
    const r = parseGridLayer(la, { crs: 'wgs84', codeField: 'nc_id' });
    const ms = performance.now() - t0;
    const s = r.summary;
    console.log(
      `LA NC layer: ${s.cellCount} cells in ${ms.toFixed(0)} ms; overlaps ${s.overlapCount} (${(s.overlapAreaM2 / 1e6).toFixed(2)} km²), ` +
        `gaps ${s.gapCount} (${(s.gapAreaM2 / 1e6).toFixed(2)} km²), below 1 m²: ${JSON.stringify(s.ignored)}, clipping failures ${s.clippingFailures}`,
    );
    expect(s.cellCount).toBe(99);
    expect(s.overlapCount).toBeGreaterThan(100);
    expect(s.gapCount).toBeGreaterThan(100);
    // The largest overlap: councils 18 and 19 share about 8.1 km².
    const biggest = r.findings.filter((f) => f.kind === 'overlap').sort((a, b) => b.areaM2! - a.areaM2!)[0]!;
    expect(biggest.cellCodes).toEqual(['18', '19']);
    expect(biggest.areaM2! / 1e6).toBeGreaterThan(8);
    expect(biggest.areaM2! / 1e6).toBeLessThan(8.3);
    expect(kinds(r.findings).filter((k) => k !== 'gap' && k !== 'overlap')).toEqual([]);
  });

  it.each([
    ['shared vertices', false],
    ['independently drawn cells', true],
  ])('checks a 40,000-cell unit grid (%s) with one missing cell and one overlap in reasonable time', { timeout: 180_000 }, (_label, independent) => {
    const n = 200;
    const d = 0.3 / n;
    const features = grid(n, 121.3, 31.0, d, (i, j) => i === 150 && j === 40, independent);
    features.push(feature('X', [square(121.3 + 77.5 * d, 31.0 + 120.5 * d, d)]));
    const t0 = performance.now();
    const r = parseGridLayer(collection(features), { crs: 'wgs84', districtOutline: outlineOf(square(121.3, 31.0, 0.3)) });
    const ms = performance.now() - t0;
    console.log(`40k grid (${_label}): ${r.cells.length} cells in ${ms.toFixed(0)} ms, ${r.summary.slowTiles}/${r.summary.tiles} tiles clipped`);
    expect(r.cells.length).toBe(n * n);
    expect(r.findings.filter((f) => f.kind === 'gap').map((f) => Math.round(f.areaM2! / 1000))).toEqual([Math.round(ringAreaM2(square(121.3 + 150 * d, 31.0 + 40 * d, d)) / 1000)]);
    expect(r.findings.filter((f) => f.kind === 'overlap')).toHaveLength(4); // X straddles four cells
    expect(ms).toBeLessThan(60_000);
  });
});
