import type { BBox, MultiPolygonCoords, PolygonCoords, Position, Ring } from './types.js';

// Sutherland–Hodgman clipping of rings against an axis-aligned box. Against a convex window it is exact
// for area; a concave ring may come out joined by zero-width bridges along the box's border, which
// polygon-clipping accepts as input (self-touching rings are allowed there), so results are fed to it.

/** The part of a ring inside the box, as a closed ring, or [] when nothing is left. */
export function clipRingToBBox(ring: Ring, box: BBox): Ring {
  let pts: Position[] = ring.slice();
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first && last && first[0] === last[0] && first[1] === last[1]) pts.pop();
  // Each pass keeps the side where inside(p) holds, cutting edges that cross the line.
  pts = clipEdge(pts, (p) => p[0] >= box[0], (a, b) => atX(a, b, box[0]));
  pts = clipEdge(pts, (p) => p[0] <= box[2], (a, b) => atX(a, b, box[2]));
  pts = clipEdge(pts, (p) => p[1] >= box[1], (a, b) => atY(a, b, box[1]));
  pts = clipEdge(pts, (p) => p[1] <= box[3], (a, b) => atY(a, b, box[3]));
  if (pts.length < 3) return [];
  const head = pts[0] as Position;
  return [...pts, [head[0], head[1]]];
}

/** The part of a polygon inside the box, or null when its shell misses the box. */
export function clipPolygonToBBox(polygon: PolygonCoords, box: BBox): PolygonCoords | null {
  const [shell, ...holes] = polygon;
  if (!shell) return null;
  const s = clipRingToBBox(shell, box);
  if (s.length === 0) return null;
  const out: PolygonCoords = [s];
  for (const hole of holes) {
    const h = clipRingToBBox(hole, box);
    if (h.length > 0) out.push(h);
  }
  return out;
}

/** The part of a MultiPolygon inside the box. */
export function clipMultiPolygonToBBox(coords: MultiPolygonCoords, box: BBox): MultiPolygonCoords {
  const out: MultiPolygonCoords = [];
  for (const polygon of coords) {
    const c = clipPolygonToBBox(polygon, box);
    if (c) out.push(c);
  }
  return out;
}

/** The box as a one-polygon MultiPolygon. */
export function bboxPolygon(box: BBox): PolygonCoords {
  return [
    [
      [box[0], box[1]],
      [box[2], box[1]],
      [box[2], box[3]],
      [box[0], box[3]],
      [box[0], box[1]],
    ],
  ];
}

function clipEdge(pts: Position[], inside: (p: Position) => boolean, cut: (a: Position, b: Position) => Position): Position[] {
  const out: Position[] = [];
  const n = pts.length;
  for (let i = 0; i < n; i++) {
    const cur = pts[i] as Position;
    const prev = pts[(i + n - 1) % n] as Position;
    const ci = inside(cur);
    const pi = inside(prev);
    if (ci) {
      if (!pi) out.push(cut(prev, cur));
      out.push(cur);
    } else if (pi) {
      out.push(cut(prev, cur));
    }
  }
  return out;
}

function atX(a: Position, b: Position, x: number): Position {
  return [x, a[1] + ((x - a[0]) * (b[1] - a[1])) / (b[0] - a[0])];
}

function atY(a: Position, b: Position, y: number): Position {
  return [a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]), y];
}
