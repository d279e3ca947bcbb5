import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FusionIndex } from './fusion-index.js';
import type { FusionCellInput } from './fusion-index.js';
import { locateInPolygon } from '../registry/geo/pip.js';
import type { PolygonCoords } from '../registry/geo/types.js';

const rect = (x0: number, y0: number, x1: number, y1: number): PolygonCoords => [
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ],
];
const cell = (code: string, polygon: PolygonCoords, unitRef?: string): FusionCellInput => ({
  code,
  ...(unitRef ? { unitRef } : {}),
  geometry: { type: 'Polygon', coordinates: polygon },
});

// 2 × 2 cells around (1, 1), codes deliberately not in drawing order.
const quad = [
  cell('D', rect(0, 0, 1, 1), 'ws-1'),
  cell('B', rect(1, 0, 2, 1), 'ws-2'),
  cell('C', rect(0, 1, 1, 2)),
  cell('A', rect(1, 1, 2, 2)),
];

describe('FusionIndex', () => {
  it('answers the cell holding a point, with its unit, and none outside', () => {
    const index = FusionIndex.build([{ layerId: 'grid', version: 3, cells: quad }]);
    expect(index.resolveLayer('grid', 0.5, 0.5)).toEqual({ layerId: 'grid', version: 3, code: 'D', unitRef: 'ws-1' });
    expect(index.resolveLayer('grid', 1.5, 1.5)).toEqual({ layerId: 'grid', version: 3, code: 'A', unitRef: null });
    expect(index.resolveLayer('grid', 5, 5)).toEqual({ layerId: 'grid', none: true });
    expect(index.resolveLayer('grid', NaN, 1)).toEqual({ layerId: 'grid', none: true });
  });

  it('gives a point on a shared border or vertex to the smallest code, whatever the input order', () => {
    for (const cells of [quad, [...quad].reverse()]) {
      const index = FusionIndex.build([{ layerId: 'g', version: 1, cells }]);
      const code = (x: number, y: number) => {
        const a = index.resolveLayer('g', x, y);
        return 'none' in a ? null : a.code;
      };
      expect(code(1, 1)).toBe('A'); // the vertex all four share
      expect(code(1, 0.5)).toBe('B'); // border D|B
      expect(code(0.5, 1)).toBe('C'); // border D|C
      expect(code(0, 0.5)).toBe('D'); // the layer's outer border still belongs to the cell
    }
  });

  it('gives a point inside overlapping cells of one layer to the smallest code, and lists both', () => {
    const index = FusionIndex.build([
      { layerId: 'g', version: 1, cells: [cell('Z', rect(0, 0, 10, 10)), cell('M', rect(2, 2, 4, 4)), cell('N', rect(3, 3, 5, 5))] },
    ]);
    expect(index.resolveLayer('g', 3.5, 3.5)).toMatchObject({ code: 'M' });
    expect(index.resolveLayer('g', 4.5, 4.5)).toMatchObject({ code: 'N' });
    expect(index.resolveLayer('g', 8, 8)).toMatchObject({ code: 'Z' });
    expect(index.matchesInLayer('g', 3.5, 3.5).map((m) => m.code)).toEqual(['M', 'N', 'Z']);
    expect(index.matchesInLayer('g', 4, 3.5).map((m) => `${m.code}:${m.location}`)).toEqual(['M:boundary', 'N:inside', 'Z:inside']);
  });

  it('honours holes and multi-part cells', () => {
    const donut: FusionCellInput = {
      code: 'ring',
      geometry: { type: 'MultiPolygon', coordinates: [[...rect(0, 0, 10, 10), ...rect(4, 4, 6, 6)], rect(20, 0, 21, 1)] },
    };
    const index = FusionIndex.build([{ layerId: 'g', version: 1, cells: [donut] }]);
    expect(index.resolveLayer('g', 5, 5)).toEqual({ layerId: 'g', none: true });
    expect(index.resolveLayer('g', 1, 1)).toMatchObject({ code: 'ring' });
    expect(index.resolveLayer('g', 20.5, 0.5)).toMatchObject({ code: 'ring' });
  });

  it('answers every layer in order, and refuses a layer it does not hold', () => {
    const index = FusionIndex.build([
      { layerId: 'community', version: 2, cells: [cell('310112001001', rect(0, 0, 2, 2))] },
      { layerId: 'unit', version: 7, cells: quad },
      { layerId: 'police', version: 1, cells: [] },
    ]);
    expect(index.resolve(0.5, 1.5)).toEqual([
      { layerId: 'community', version: 2, code: '310112001001', unitRef: null },
      { layerId: 'unit', version: 7, code: 'C', unitRef: null },
      { layerId: 'police', none: true },
    ]);
    expect(() => index.resolveLayer('nope', 0, 0)).toThrow(/no layer nope/);
    expect(() => FusionIndex.build([{ layerId: 'x', version: 1, cells: [] }, { layerId: 'x', version: 2, cells: [] }])).toThrow();
    expect(index.approximateBytes).toBeGreaterThan(0);
    expect(index.layerSummaries.map((l) => l.cells)).toEqual([1, 4, 0]);
  });

  it('always answers the smallest code among cells holding the point (property, random rectangles)', () => {
    const box = fc
      .tuple(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }))
      .map(([x, y, w, h]) => rect(x / 2, y / 2, (x + w) / 2, (y + h) / 2));
    const half = fc.integer({ min: -2, max: 26 }).map((v) => v / 4); // hits borders and vertices often
    fc.assert(
      fc.property(fc.array(box, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(half, half), { minLength: 1, maxLength: 30 }), (boxes, pts) => {
        const cells = boxes.map((b, i) => cell(`c${String((i * 7) % 13).padStart(2, '0')}-${i}`, b));
        const index = FusionIndex.build([{ layerId: 'g', version: 1, cells }]);
        for (const [x, y] of pts) {
          const holding = cells
            .filter((c) => c.geometry.type === 'Polygon' && locateInPolygon(x, y, c.geometry.coordinates) !== 'outside')
            .map((c) => c.code)
            .sort();
          const a = index.resolveLayer('g', x, y);
          expect('none' in a ? null : a.code).toBe(holding[0] ?? null);
        }
      }),
      { numRuns: 300 },
    );
  });
});
