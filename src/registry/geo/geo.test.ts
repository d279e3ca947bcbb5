import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PreparedPolygon,
  bboxOfMultiPolygon,
  bboxOverlapsInterior,
  checkRing,
  clipRingToBBox,
  geometryToWgs84,
  interiorPointOfPolygon,
  locateInMultiPolygon,
  locateInPolygon,
  multiPolygonAreaM2,
  ringAreaM2,
  toWgs84,
} from './index.js';
import type { PolygonCoords, Ring } from './index.js';

const square = (x0: number, y0: number, s: number): Ring => [
  [x0, y0],
  [x0 + s, y0],
  [x0 + s, y0 + s],
  [x0, y0 + s],
  [x0, y0],
];
const withHole: PolygonCoords = [square(0, 0, 10), square(3, 3, 4)];

describe('point in polygon', () => {
  it('tells inside, outside and the border, holes included', () => {
    expect(locateInPolygon(1, 1, withHole)).toBe('inside');
    expect(locateInPolygon(5, 5, withHole)).toBe('outside'); // in the hole
    expect(locateInPolygon(3, 5, withHole)).toBe('boundary'); // on the hole's edge
    expect(locateInPolygon(10, 10, withHole)).toBe('boundary'); // a vertex
    expect(locateInPolygon(5, 0, withHole)).toBe('boundary'); // a horizontal edge
    expect(locateInPolygon(11, 5, withHole)).toBe('outside');
    expect(locateInPolygon(-1, 0, withHole)).toBe('outside'); // on the line of an edge, beyond it
  });

  it('finds a point exactly on a slanted edge that floating arithmetic would misplace', () => {
    // 0.1 + 0.2 style coordinates: the point is on the edge by construction of the same numbers.
    const tri: PolygonCoords = [[[0.1, 0.1], [0.7, 0.3], [0.1, 0.9], [0.1, 0.1]]];
    expect(locateInPolygon(0.4, 0.2, tri)).toBe('boundary');
    expect(locateInPolygon(0.4, 0.2 + 1e-15, tri)).toBe('inside');
    expect(locateInPolygon(0.4, 0.2 - 1e-15, tri)).toBe('outside');
  });

  it('counts a ray through a vertex once', () => {
    const diamond: PolygonCoords = [[[0, -1], [1, 0], [0, 1], [-1, 0], [0, -1]]];
    expect(locateInPolygon(-0.5, 0, diamond)).toBe('inside');
    expect(locateInPolygon(-2, 0, diamond)).toBe('outside');
  });

  it('treats a MultiPolygon as the union of its parts', () => {
    const mp = [withHole, [square(4, 4, 1)]]; // an island inside the hole
    expect(locateInMultiPolygon(4.5, 4.5, mp)).toBe('inside');
    expect(locateInMultiPolygon(3.5, 3.5, mp)).toBe('outside');
    expect(locateInMultiPolygon(4, 4.5, mp)).toBe('boundary');
  });

  it('prepared polygons answer exactly like the plain test (property)', () => {
    // A star-shaped ring with many edges, so that banding is used.
    const star: Ring = [];
    for (let i = 0; i < 60; i++) {
      const r = i % 2 === 0 ? 10 : 4;
      const t = (i / 60) * 2 * Math.PI;
      star.push([Math.round(r * Math.cos(t) * 8) / 8, Math.round(r * Math.sin(t) * 8) / 8]);
    }
    star.push(star[0]!);
    const poly: PolygonCoords = [star, square(-1, -1, 2)];
    const prepared = new PreparedPolygon(poly);
    const coord = fc.integer({ min: -96, max: 96 }).map((v) => v / 8); // on the 1/8 lattice: many border hits
    fc.assert(
      fc.property(coord, coord, (x, y) => prepared.locate(x, y) === locateInPolygon(x, y, poly)),
      { numRuns: 5000 },
    );
    expect(prepared.locate(10, 0)).toBe('boundary');
    expect(prepared.locate(0, 0)).toBe('outside');
  });
});

describe('coordinate systems', () => {
  it('removes the GCJ-02 offset (300–600 m in Shanghai) and the BD-09 one', () => {
    const wgs: [number, number] = [121.3817, 31.1128]; // 闵行区 area
    const gcj: [number, number] = [121.38616, 31.11099]; // the same place as AMap shows it (approx.)
    const back = toWgs84(gcj[0], gcj[1], 'gcj02');
    expect(Math.abs(back[0] - wgs[0])).toBeLessThan(0.0005);
    expect(Math.abs(back[1] - wgs[1])).toBeLessThan(0.0005);
    const bd = toWgs84(gcj[0], gcj[1], 'bd09');
    expect(Math.hypot(bd[0] - back[0], bd[1] - back[1])).toBeGreaterThan(0.005); // a different system
    expect(toWgs84(1, 2, 'wgs84')).toEqual([1, 2]);
  });

  it('converts every position of a geometry and keeps holes', () => {
    const g = geometryToWgs84({ type: 'Polygon', coordinates: [square(121.4, 31.1, 0.01), square(121.402, 31.102, 0.001)] }, 'gcj02');
    expect(g.coordinates).toHaveLength(2);
    expect(g.coordinates[0]![0]![0]).toBeLessThan(121.4);
  });
});

describe('areas and boxes', () => {
  it('measures a 0.01° square near Shanghai at about 1.11 km × 0.95 km', () => {
    const a = ringAreaM2(square(121.4, 31.1, 0.01));
    expect(a).toBeGreaterThan(1.04e6);
    expect(a).toBeLessThan(1.07e6);
    expect(multiPolygonAreaM2([withHole.map((r) => r.map(([x, y]) => [x / 1000 + 121, y / 1000 + 31] as [number, number]))])).toBeCloseTo(
      (ringAreaM2(square(121, 31, 0.01)) * 84) / 100,
      -1,
    );
  });

  it('computes and compares boxes', () => {
    const b = bboxOfMultiPolygon([withHole]);
    expect(b).toEqual([0, 0, 10, 10]);
    expect(bboxOverlapsInterior(b, [10, 0, 12, 3])).toBe(false); // touching only
    expect(bboxOverlapsInterior(b, [9, 0, 12, 3])).toBe(true);
  });
});

describe('ring validity', () => {
  it('reports an unclosed ring, a short ring, a bow-tie and a spike with a location', () => {
    expect(checkRing([[0, 0], [1, 0], [1, 1], [0, 1]]).map((p) => p.kind)).toEqual(['notClosed']);
    expect(checkRing([[0, 0], [1, 0], [0, 0]]).map((p) => p.kind)).toEqual(['tooFewPositions']);
    const bowtie = checkRing([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]);
    expect(bowtie).toEqual([{ kind: 'selfIntersection', location: [1, 1], count: 1 }]);
    const spike = checkRing([[0, 0], [2, 0], [2, 2], [2, 3], [2, 1], [0, 2], [0, 0]]);
    expect(spike[0]?.kind).toBe('selfIntersection');
    expect(checkRing(square(0, 0, 1))).toEqual([]);
  });
});

describe('helpers', () => {
  it('puts the representative point of a C shape inside it', () => {
    const c: PolygonCoords = [[[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]];
    const [x, y] = interiorPointOfPolygon(c);
    expect(locateInPolygon(x, y, c)).toBe('inside');
  });

  it('clips a ring to a box and keeps the area inside it', () => {
    const clipped = clipRingToBBox(square(0, 0, 10), [5, 5, 20, 20]);
    expect(bboxOfMultiPolygon([[clipped]])).toEqual([5, 5, 10, 10]);
    expect(clipRingToBBox(square(0, 0, 1), [5, 5, 6, 6])).toEqual([]);
  });
});
