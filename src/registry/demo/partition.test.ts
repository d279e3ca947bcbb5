import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MultiPoly } from './geometry.js';
import { EdgeIndex, localProjection, multiPolyArea, pointInMultiPoly, ringSignedArea, toGeoJsonMultiPolygon } from './geometry.js';
import { buildAtomMesh, growRegions, ringsToPolygons, smoothBorders, spreadSeeds, unionRings } from './partition.js';
import { mulberry32, stream, valueNoise } from './random.js';

// An L-shaped "district" of 6 km² with a square hole, in metres.
const outline: MultiPoly = [
  [
    [
      [0, 0],
      [3000, 0],
      [3000, 1000],
      [1000, 1000],
      [1000, 3000],
      [0, 3000],
    ],
    [
      [300, 300],
      [300, 600],
      [600, 600],
      [600, 300],
    ],
  ],
];

describe('random', () => {
  it('mulberry32 streams repeat for a seed and differ between seeds and labels', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(stream(1, 'x')()).not.toBe(stream(1, 'y')());
    expect(stream(1, 'x')()).not.toBe(stream(2, 'x')());
    const noise = valueNoise(3, 500);
    fc.assert(fc.property(fc.double({ min: -1e5, max: 1e5, noNaN: true }), fc.double({ min: -1e5, max: 1e5, noNaN: true }), (x, y) => Math.abs(noise(x, y)) <= 1));
  });
});

describe('geometry', () => {
  it('EdgeIndex.contains agrees with the plain point-in-polygon test', () => {
    const edges = new EdgeIndex(outline);
    fc.assert(
      fc.property(fc.double({ min: -100, max: 3100, noNaN: true }), fc.double({ min: -100, max: 3100, noNaN: true }), (x, y) => edges.contains(x, y) === pointInMultiPoly(x, y, outline)),
    );
  });

  it('writes GeoJSON with closed rings, outer ring counter-clockwise and holes clockwise', () => {
    const reversed: MultiPoly = [[(outline[0]?.[0] ?? []).slice().reverse(), (outline[0]?.[1] ?? []).slice().reverse()]];
    const g = toGeoJsonMultiPolygon(reversed, localProjection(121.4, 31.1));
    const [outer, hole] = g.coordinates[0] ?? [];
    expect(outer?.[0]).toEqual(outer?.[outer.length - 1]);
    expect(ringSignedArea((outer ?? []).slice(0, -1))).toBeGreaterThan(0);
    expect(ringSignedArea((hole ?? []).slice(0, -1))).toBeLessThan(0);
  });
});

describe('partition', () => {
  const edges = new EdgeIndex(outline);
  const mesh = buildAtomMesh({ outline, edges, spacing: 60, angle: 0.3, rng: stream(5, 'mesh') });
  const active: number[] = [];
  for (let a = 0; a < mesh.n; a++) if (mesh.active[a] === 1) active.push(a);

  it('grows connected regions near their target sizes that together use every active atom', () => {
    const inside = active.filter((a) => mesh.inside[a] === 1);
    const seeds = spreadSeeds(mesh, inside, 3, stream(5, 'seeds'));
    const labels = growRegions(mesh, active, seeds, [1, 2, 3], { noise: valueNoise(9, 800), roughness: 0.5, iterations: 20, relax: 0.3, warp: 60 });
    expect(active.every((a) => (labels[a] ?? -1) >= 0)).toBe(true);
    const got = [0, 0, 0];
    for (const a of active) got[labels[a] ?? 0] = (got[labels[a] ?? 0] ?? 0) + (mesh.weight[a] ?? 0);
    const total = got.reduce((s, x) => s + x, 0);
    expect(Math.abs((got[0] ?? 0) / total - 1 / 6)).toBeLessThan(0.06);
    expect(Math.abs((got[2] ?? 0) / total - 1 / 2)).toBeLessThan(0.06);
    // Each region is one piece: a walk over neighbours with the same label reaches all of it.
    for (let r = 0; r < 3; r++) {
      const region = active.filter((a) => labels[a] === r);
      const seen = new Set<number>([region[0] ?? -1]);
      const queue = [region[0] ?? -1];
      while (queue.length > 0) {
        const a = queue.pop() ?? 0;
        for (let q = mesh.adjStart[a] ?? 0; q < (mesh.adjStart[a + 1] ?? 0); q++) {
          const b = mesh.adjList[q] ?? 0;
          if (labels[b] === r && mesh.active[b] === 1 && !seen.has(b)) {
            seen.add(b);
            queue.push(b);
          }
        }
      }
      expect(seen.size).toBe(region.length);
    }
  });

  it('the union of atoms, smoothed on shared vertices, still tiles the area exactly', () => {
    const inside = active.filter((a) => mesh.inside[a] === 1);
    const seeds = spreadSeeds(mesh, inside, 5, stream(6, 'seeds'));
    const labels = growRegions(mesh, active, seeds, [1, 1, 1, 1, 1], { noise: valueNoise(2, 500), roughness: 0.4, iterations: 5 });
    const groups = seeds.map((_, r) => active.filter((a) => labels[a] === r));
    const rings = groups.map((atoms) => unionRings(mesh, atoms));
    const before = groups.map((atoms) => multiPolyArea(ringsToPolygons(mesh, unionRings(mesh, atoms))));
    smoothBorders(mesh, rings, 3);
    const parts = rings.map((r) => multiPolyArea(ringsToPolygons(mesh, r)));
    const whole = multiPolyArea(ringsToPolygons(mesh, unionRings(mesh, active)));
    // Smoothing moves shared vertices for both neighbours at once: the parts still add up to the whole.
    expect(Math.abs(parts.reduce((s, x) => s + x, 0) - whole)).toBeLessThan(1e-6 * whole);
    expect(parts.some((p, i) => Math.abs(p - (before[i] ?? 0)) > 1)).toBe(true);
  });
});
