import type { BBox, MultiPolygonCoords, Position } from './types.js';

/** An empty box that any extend() fixes. */
export function emptyBBox(): BBox {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

/** Grows `box` in place to include the point. */
export function extendBBox(box: BBox, x: number, y: number): BBox {
  if (x < box[0]) box[0] = x;
  if (y < box[1]) box[1] = y;
  if (x > box[2]) box[2] = x;
  if (y > box[3]) box[3] = y;
  return box;
}

/** Bounding box of positions. */
export function bboxOfPositions(positions: readonly Position[], box: BBox = emptyBBox()): BBox {
  for (const [x, y] of positions) extendBBox(box, x, y);
  return box;
}

/** Bounding box of a MultiPolygon (all rings, though holes never widen it). */
export function bboxOfMultiPolygon(coords: MultiPolygonCoords): BBox {
  const box = emptyBBox();
  for (const polygon of coords) {
    const shell = polygon[0];
    if (shell) bboxOfPositions(shell, box);
  }
  return box;
}

/** Union of two boxes (a new box). */
export function unionBBox(a: BBox, b: BBox): BBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** True when the boxes share at least a point (touching counts). */
export function bboxIntersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** True when the boxes share an area, not just an edge or a corner. */
export function bboxOverlapsInterior(a: BBox, b: BBox): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/** True when `inner` lies within `outer` (borders may touch). */
export function bboxContains(outer: BBox, inner: BBox): boolean {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
}

/** True when the point lies in the box or on its border. */
export function bboxContainsPoint(box: BBox, x: number, y: number): boolean {
  return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
}

/** The box grown by `d` degrees on every side. */
export function expandBBox(box: BBox, d: number): BBox {
  return [box[0] - d, box[1] - d, box[2] + d, box[3] + d];
}
