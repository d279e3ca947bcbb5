import { orient2d } from 'robust-predicates';
import type { MultiPolygonCoords, PointLocation, PolygonCoords, Ring } from './types.js';

// Point-in-polygon by crossing parity with exact arithmetic where it matters. A horizontal ray goes from
// the point towards +x; an edge counts when it straddles the ray's line under the half-open rule
// (one end strictly above, the other at or below), which counts a vertex on the ray exactly once. The side
// of the point against an edge is decided by Shewchuk's adaptive orient2d, so a point on an edge is found
// exactly and never flips inside/outside by rounding. Coordinates are compared as given (degrees).

/** Edge state: 0 = no crossing, 1 = crossing to the right of the point, 2 = point lies on the edge. */
export type EdgeHit = 0 | 1 | 2;

/** Tests one edge a→b against point (x, y). Exported for the prepared index, which loops over its own arrays. */
export function edgeHit(ax: number, ay: number, bx: number, by: number, x: number, y: number): EdgeHit {
  // Outside the edge's y-range: it can neither hold the point nor cross the ray.
  if ((y < ay && y < by) || (y > ay && y > by)) return 0;
  // Entirely to the left: no crossing; on the edge only if the point is its end (ruled out by x).
  if (x > ax && x > bx) return 0;
  const straddles = ay > y !== by > y;
  if (x < ax && x < bx) return straddles ? 1 : 0;
  // The point's x lies within the edge's x-range: decide the side exactly.
  // robust-predicates: orient2d > 0 when a, b, p turn clockwise, i.e. p lies to the right of a→b.
  const o = orient2d(ax, ay, bx, by, x, y);
  if (o === 0) {
    // Collinear with the edge's line and within both ranges of the segment: on the segment.
    return 2;
  }
  if (!straddles) return 0;
  // Upward edge: the crossing is right of p iff p is left of a→b (o < 0); downward edge: the reverse.
  return (by > ay ? o < 0 : o > 0) ? 1 : 0;
}

/** Locates a point against one ring (closed or not; the closing edge is implied). */
export function locateInRing(x: number, y: number, ring: Ring): PointLocation {
  let inside = false;
  const n = ring.length;
  if (n === 0) return 'outside';
  let prev = ring[n - 1] as [number, number];
  for (let i = 0; i < n; i++) {
    const cur = ring[i] as [number, number];
    const h = edgeHit(prev[0], prev[1], cur[0], cur[1], x, y);
    if (h === 2) return 'boundary';
    if (h === 1) inside = !inside;
    prev = cur;
  }
  return inside ? 'inside' : 'outside';
}

/** Locates a point against a polygon with holes: on any ring is 'boundary'; inside the shell and no hole is 'inside'. */
export function locateInPolygon(x: number, y: number, polygon: PolygonCoords): PointLocation {
  const [shell, ...holes] = polygon;
  if (!shell) return 'outside';
  const s = locateInRing(x, y, shell);
  if (s !== 'inside') return s;
  for (const hole of holes) {
    const h = locateInRing(x, y, hole);
    if (h === 'boundary') return 'boundary';
    if (h === 'inside') return 'outside';
  }
  return 'inside';
}

/** Locates a point against MultiPolygon coordinates: inside any part wins over the border of another. */
export function locateInMultiPolygon(x: number, y: number, coords: MultiPolygonCoords): PointLocation {
  let onBoundary = false;
  for (const polygon of coords) {
    const l = locateInPolygon(x, y, polygon);
    if (l === 'inside') return 'inside';
    if (l === 'boundary') onBoundary = true;
  }
  return onBoundary ? 'boundary' : 'outside';
}
