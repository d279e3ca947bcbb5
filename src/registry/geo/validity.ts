import { orient2d } from 'robust-predicates';
import type { Position, Ring } from './types.js';

/** What is wrong with one ring, and where. */
export type RingProblem =
  | { kind: 'notClosed'; location: Position }
  | { kind: 'tooFewPositions'; positions: number; location?: Position }
  | { kind: 'selfIntersection'; location: Position; count: number };

/** Checks one ring as given: closed, at least 4 positions, and edges that meet only at shared vertices. */
export function checkRing(ring: Ring): RingProblem[] {
  const problems: RingProblem[] = [];
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
    problems.push({ kind: 'notClosed', location: [last[0], last[1]] });
  }
  // GeoJSON (RFC 7946 §3.1.6): a linear ring is closed and has four or more positions.
  if (ring.length < 4) {
    problems.push({ kind: 'tooFewPositions', positions: ring.length, ...(first ? { location: [first[0], first[1]] as Position } : {}) });
    return problems;
  }
  const crossing = findSelfIntersection(ring);
  if (crossing) problems.push({ kind: 'selfIntersection', location: crossing.location, count: crossing.count });
  return problems;
}

/** The ring with its closing position added when missing (a copy). */
export function closeRing(ring: Ring): Ring {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (!first || !last) return [];
  return first[0] === last[0] && first[1] === last[1] ? ring.slice() : [...ring, [first[0], first[1]]];
}

/**
 * Finds where a ring touches or crosses itself other than at the vertex two consecutive edges share.
 * Sort-and-sweep over the edges' x-ranges keeps it near O(n log n) for real rings; the tests themselves
 * are exact (orient2d), so a shared border drawn twice the same way is not mistaken for a crossing.
 */
export function findSelfIntersection(ring: Ring): { location: Position; count: number } | null {
  // Repeated consecutive positions are harmless (polygon-clipping ignores them); drop them so that
  // "adjacent edge" keeps its meaning.
  const pts: Position[] = [];
  for (const p of ring) {
    const prev = pts[pts.length - 1];
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) pts.push(p);
  }
  const head = pts[0];
  const tail = pts[pts.length - 1];
  if (head && tail && head[0] === tail[0] && head[1] === tail[1]) pts.pop();
  const n = pts.length;
  if (n < 3) return null;
  const minX = new Float64Array(n);
  const maxX = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = pts[i] as Position;
    const b = pts[(i + 1) % n] as Position;
    minX[i] = Math.min(a[0], b[0]);
    maxX[i] = Math.max(a[0], b[0]);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (minX[i] as number) - (minX[j] as number));
  let found: Position | null = null;
  let count = 0;
  for (let s = 0; s < n; s++) {
    const i = order[s] as number;
    const a = pts[i] as Position;
    const b = pts[(i + 1) % n] as Position;
    for (let t = s + 1; t < n; t++) {
      const j = order[t] as number;
      if ((minX[j] as number) > (maxX[i] as number)) break;
      const c = pts[j] as Position;
      const d = pts[(j + 1) % n] as Position;
      if (Math.max(a[1], b[1]) < Math.min(c[1], d[1]) || Math.max(c[1], d[1]) < Math.min(a[1], b[1])) continue;
      const adjacent = (i + 1) % n === j || (j + 1) % n === i;
      const hit = adjacent ? adjacentOverlap(i, j, n, pts) : segmentIntersection(a, b, c, d);
      if (hit) {
        count++;
        found ??= hit;
      }
    }
  }
  return found ? { location: found, count } : null;
}

// Two consecutive edges share one vertex by construction; they are a problem only when they fold back
// over each other (a spike): collinear and pointing the same way from the shared vertex.
function adjacentOverlap(i: number, j: number, n: number, pts: Position[]): Position | null {
  if (n === 3 && (i + 1) % n === j && (j + 1) % n === i) return null;
  const [e1, e2] = (i + 1) % n === j ? [i, j] : [j, i];
  const p = pts[e1] as Position;
  const q = pts[e2] as Position; // shared vertex
  const r = pts[(e2 + 1) % n] as Position;
  if (orient2d(p[0], p[1], q[0], q[1], r[0], r[1]) !== 0) return null;
  const dot = (p[0] - q[0]) * (r[0] - q[0]) + (p[1] - q[1]) * (r[1] - q[1]);
  return dot > 0 ? [q[0], q[1]] : null;
}

/** Where closed segments ab and cd meet (a point of their intersection), or null. Exact sidedness. */
export function segmentIntersection(a: Position, b: Position, c: Position, d: Position): Position | null {
  const d1 = orient2d(c[0], c[1], d[0], d[1], a[0], a[1]);
  const d2 = orient2d(c[0], c[1], d[0], d[1], b[0], b[1]);
  const d3 = orient2d(a[0], a[1], b[0], b[1], c[0], c[1]);
  const d4 = orient2d(a[0], a[1], b[0], b[1], d[0], d[1]);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  }
  if (d1 === 0 && onSegment(c, d, a)) return [a[0], a[1]];
  if (d2 === 0 && onSegment(c, d, b)) return [b[0], b[1]];
  if (d3 === 0 && onSegment(a, b, c)) return [c[0], c[1]];
  if (d4 === 0 && onSegment(a, b, d)) return [d[0], d[1]];
  return null;
}

function onSegment(p: Position, q: Position, r: Position): boolean {
  return r[0] >= Math.min(p[0], q[0]) && r[0] <= Math.max(p[0], q[0]) && r[1] >= Math.min(p[1], q[1]) && r[1] <= Math.max(p[1], q[1]);
}
