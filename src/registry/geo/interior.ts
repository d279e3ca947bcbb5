import { polygonAreaM2 } from './area.js';
import type { MultiPolygonCoords, PolygonCoords, Position } from './types.js';

// A representative point that lies inside the area (a centroid can fall outside a crescent-shaped gap or
// a ring-shaped overlap). Several horizontal scanlines cut the polygon; the midpoint of the widest inside
// interval is taken. Good enough to put a marker on a map; not a pole of inaccessibility.

const SCANLINES = 7;

/** A point inside the polygon (its first vertex if the polygon is degenerate). */
export function interiorPointOfPolygon(polygon: PolygonCoords): Position {
  const shell = polygon[0];
  const start = shell?.[0];
  if (!shell || !start) return [NaN, NaN];
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [, y] of shell) {
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  let best: Position = [start[0], start[1]];
  let bestWidth = -1;
  for (let k = 1; k <= SCANLINES; k++) {
    const y = minY + ((maxY - minY) * k) / (SCANLINES + 1);
    const xs: number[] = [];
    for (const ring of polygon) {
      for (let i = 0, n = ring.length; i < n; i++) {
        const a = ring[i] as Position;
        const b = ring[(i + 1) % n] as Position;
        if (a[1] > y !== b[1] > y) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
      }
    }
    xs.sort((p, q) => p - q);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const w = (xs[i + 1] as number) - (xs[i] as number);
      if (w > bestWidth) {
        bestWidth = w;
        best = [((xs[i] as number) + (xs[i + 1] as number)) / 2, y];
      }
    }
  }
  return best;
}

/** A point inside the largest part of a MultiPolygon. */
export function interiorPoint(coords: MultiPolygonCoords): Position {
  let best: PolygonCoords | undefined;
  let bestArea = -1;
  for (const polygon of coords) {
    const a = polygonAreaM2(polygon);
    if (a > bestArea) {
      bestArea = a;
      best = polygon;
    }
  }
  return best ? interiorPointOfPolygon(best) : [NaN, NaN];
}
