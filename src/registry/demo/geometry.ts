/**
 * Plane geometry for the demo generator: a local metric projection, rings and polygons in metres, and the
 * conversion to GeoJSON (WGS-84, [lng, lat], closed rings, outer rings counter-clockwise per RFC 7946).
 */
import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';

/** [x, y] in metres (projected) or [lng, lat] in degrees (GeoJSON). */
export type Position = [number, number];
/** GeoJSON Polygon geometry (WGS-84). */
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
/** GeoJSON MultiPolygon geometry (WGS-84). */
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
/** GeoJSON Point geometry (WGS-84). */
export interface PointGeometry {
  type: 'Point';
  coordinates: Position;
}

/** A ring (not closed: the first point is not repeated) and polygons made of them, in metres. */
export type Ring = Position[];
export type Poly = Ring[];
export type MultiPoly = Poly[];

/**
 * Radius of the local projection. The WGS-84 semi-major axis, the radius @turf/area uses, so that areas
 * measured here and by turf agree to well under 0.1% over a district.
 */
export const EARTH_RADIUS_M = 6378137;
const DEG = Math.PI / 180;

/** Local equirectangular projection around an origin: good to ~0.1% over a 40 km district. */
export interface Projection {
  readonly lng0: number;
  readonly lat0: number;
  forward(lng: number, lat: number): Position;
  inverse(x: number, y: number): Position;
}

/** A projection centred on (lng0, lat0). */
export function localProjection(lng0: number, lat0: number): Projection {
  const kx = EARTH_RADIUS_M * DEG * Math.cos(lat0 * DEG);
  const ky = EARTH_RADIUS_M * DEG;
  return {
    lng0,
    lat0,
    forward: (lng, lat) => [(lng - lng0) * kx, (lat - lat0) * ky],
    inverse: (x, y) => [lng0 + x / kx, lat0 + y / ky],
  };
}

/** Signed area (positive when counter-clockwise) of an unclosed ring. */
export function ringSignedArea(ring: readonly Position[]): number {
  let s = 0;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[j] as Position;
    const b = ring[i] as Position;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Area of a polygon with holes (outer minus holes), any orientation. */
export function polyArea(poly: Poly): number {
  let a = 0;
  poly.forEach((ring, i) => {
    const r = Math.abs(ringSignedArea(ring));
    a += i === 0 ? r : -r;
  });
  return a;
}

/** Total area of a multipolygon. */
export function multiPolyArea(mp: MultiPoly): number {
  return mp.reduce((s, p) => s + polyArea(p), 0);
}

/** Even-odd point in ring. */
export function pointInRing(x: number, y: number, ring: readonly Position[]): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [xi, yi] = ring[i] as Position;
    const [xj, yj] = ring[j] as Position;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Point in a multipolygon (outer rings minus holes). */
export function pointInMultiPoly(x: number, y: number, mp: MultiPoly): boolean {
  for (const poly of mp) {
    const outer = poly[0];
    if (outer === undefined || !pointInRing(x, y, outer)) continue;
    let inHole = false;
    for (let h = 1; h < poly.length; h++) if (pointInRing(x, y, poly[h] as Ring)) inHole = true;
    if (!inHole) return true;
  }
  return false;
}

/** Distance from a point to the nearest edge of any ring of a multipolygon. */
export function distanceToBoundary(x: number, y: number, mp: MultiPoly): number {
  let best = Infinity;
  for (const poly of mp) {
    for (const ring of poly) {
      const n = ring.length;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const [ax, ay] = ring[j] as Position;
        const [bx, by] = ring[i] as Position;
        best = Math.min(best, segmentDistance(x, y, ax, ay, bx, by));
      }
    }
  }
  return best;
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Bounding box [minX, minY, maxX, maxY] of a multipolygon. */
export function bboxOf(mp: MultiPoly): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of mp) {
    for (const ring of poly) {
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

/** Area-weighted centroid of a multipolygon's outer rings (holes ignored: good enough for labels). */
export function centroidOf(mp: MultiPoly): Position {
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (const poly of mp) {
    const ring = poly[0];
    if (ring === undefined) continue;
    const n = ring.length;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [x0, y0] = ring[j] as Position;
      const [x1, y1] = ring[i] as Position;
      const f = x0 * y1 - x1 * y0;
      cx += (x0 + x1) * f;
      cy += (y0 + y1) * f;
      a += f;
    }
  }
  return a === 0 ? [0, 0] : [cx / (3 * a), cy / (3 * a)];
}

/**
 * Groups rings into polygons: rings with positive signed area are outer rings, negative ones are holes
 * assigned to the smallest outer ring containing them. Returns rings oriented outer CCW, holes CW.
 */
export function assemblePolygons(rings: Ring[]): MultiPoly {
  const outers: { ring: Ring; area: number; holes: Ring[] }[] = [];
  const holes: Ring[] = [];
  for (const r of rings) {
    if (r.length < 3) continue;
    const a = ringSignedArea(r);
    if (a > 0) outers.push({ ring: r, area: a, holes: [] });
    else if (a < 0) holes.push(r);
  }
  for (const h of holes) {
    const [hx, hy] = h[0] as Position;
    let best: (typeof outers)[number] | undefined;
    for (const o of outers) {
      if ((best === undefined || o.area < best.area) && pointInRing(hx, hy, o.ring)) best = o;
    }
    best?.holes.push(h);
  }
  return outers.map((o) => [o.ring, ...o.holes]);
}

/** Spatial index of the edges of a multipolygon, for "does anything cross this box" questions. */
export class EdgeIndex {
  readonly ax: Float64Array;
  readonly ay: Float64Array;
  readonly bx: Float64Array;
  readonly by: Float64Array;
  private readonly index: Flatbush;

  constructor(mp: MultiPoly) {
    const edges: [number, number, number, number][] = [];
    for (const poly of mp) {
      for (const ring of poly) {
        const n = ring.length;
        for (let i = 0, j = n - 1; i < n; j = i++) {
          const [ax, ay] = ring[j] as Position;
          const [bx, by] = ring[i] as Position;
          edges.push([ax, ay, bx, by]);
        }
      }
    }
    this.ax = new Float64Array(edges.length);
    this.ay = new Float64Array(edges.length);
    this.bx = new Float64Array(edges.length);
    this.by = new Float64Array(edges.length);
    this.index = new Flatbush(Math.max(1, edges.length));
    edges.forEach(([ax, ay, bx, by], i) => {
      this.ax[i] = ax;
      this.ay[i] = ay;
      this.bx[i] = bx;
      this.by[i] = by;
      this.index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    });
    if (edges.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /** Edges whose bounding box touches the box. */
  candidates(minX: number, minY: number, maxX: number, maxY: number): number[] {
    return this.index.search(minX, minY, maxX, maxY).filter((i) => i < this.ax.length);
  }

  /** True when some edge really crosses or touches the axis-aligned box (Liang–Barsky clipping). */
  crossesBox(minX: number, minY: number, maxX: number, maxY: number): boolean {
    for (const i of this.candidates(minX, minY, maxX, maxY)) {
      if (segmentHitsBox(this.ax[i] ?? 0, this.ay[i] ?? 0, this.bx[i] ?? 0, this.by[i] ?? 0, minX, minY, maxX, maxY)) return true;
    }
    return false;
  }

  /** True when some edge lies within `d` of the point (by box, then exact distance). */
  near(x: number, y: number, d: number): boolean {
    for (const i of this.candidates(x - d, y - d, x + d, y + d)) {
      if (segmentDistance(x, y, this.ax[i] ?? 0, this.ay[i] ?? 0, this.bx[i] ?? 0, this.by[i] ?? 0) <= d) return true;
    }
    return false;
  }

  /** True when the point is inside the indexed multipolygon (even-odd rule, ray cast to the east). */
  contains(x: number, y: number): boolean {
    let inside = false;
    for (const i of this.index.search(x, y, Math.max(x, this.index.maxX), y)) {
      if (i >= this.ax.length) continue;
      const ay = this.ay[i] ?? 0;
      const by = this.by[i] ?? 0;
      if (ay > y !== by > y) {
        const ax = this.ax[i] ?? 0;
        const bx = this.bx[i] ?? 0;
        if (x < ax + ((y - ay) * (bx - ax)) / (by - ay)) inside = !inside;
      }
    }
    return inside;
  }

  /** The x coordinates where the horizontal line at y crosses the edges, sorted (for scanline fills). */
  crossingsAt(y: number, minX: number, maxX: number): number[] {
    const xs: number[] = [];
    for (const i of this.candidates(minX, y, maxX, y)) {
      const ay = this.ay[i] ?? 0;
      const by = this.by[i] ?? 0;
      if (ay > y !== by > y) {
        const ax = this.ax[i] ?? 0;
        const bx = this.bx[i] ?? 0;
        xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
      }
    }
    return xs.sort((a, b) => a - b);
  }
}

function segmentHitsBox(x0: number, y0: number, x1: number, y1: number, minX: number, minY: number, maxX: number, maxY: number): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const p = [-dx, dx, -dy, dy];
  const q = [x0 - minX, maxX - x0, y0 - minY, maxY - y0];
  for (let k = 0; k < 4; k++) {
    const pk = p[k] ?? 0;
    const qk = q[k] ?? 0;
    if (pk === 0) {
      if (qk < 0) return false;
    } else {
      const t = qk / pk;
      if (pk < 0) {
        if (t > t1) return false;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return false;
        if (t < t1) t1 = t;
      }
    }
  }
  return true;
}

/** Intersection of two multipolygons (polygon-clipping), in metres. */
export function intersect(a: MultiPoly, b: MultiPoly): MultiPoly {
  if (a.length === 0 || b.length === 0) return [];
  const out = polygonClipping.intersection(toClip(a), toClip(b));
  return fromClip(out);
}

/** Union of multipolygons (polygon-clipping), in metres. */
export function unionAll(parts: MultiPoly[]): MultiPoly {
  const nonEmpty = parts.filter((p) => p.length > 0);
  const [first, ...rest] = nonEmpty;
  if (first === undefined) return [];
  return fromClip(polygonClipping.union(toClip(first), ...rest.map(toClip)));
}

type ClipMulti = [number, number][][][];

function toClip(mp: MultiPoly): ClipMulti {
  return mp.map((poly) => poly.map((ring) => ring.map(([x, y]): [number, number] => [x, y])));
}

// polygon-clipping answers with closed rings, outer CCW and holes CW; store them unclosed.
function fromClip(mp: ClipMulti): MultiPoly {
  return mp
    .map((poly) => poly.map((ring) => unclose(ring.map(([x, y]): Position => [x, y]))).filter((r) => r.length >= 3))
    .filter((poly) => poly.length > 0);
}

function unclose(ring: Position[]): Position[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first !== undefined && last !== undefined && ring.length > 1 && first[0] === last[0] && first[1] === last[1]) {
    return ring.slice(0, -1);
  }
  return ring;
}

const ROUND = 1e7; // 1e-7 degree ≈ 1 cm

/**
 * A metric multipolygon as a GeoJSON MultiPolygon in WGS-84: projected back, rounded to 1e-7°, consecutive
 * duplicates removed, rings closed, outer rings counter-clockwise and holes clockwise (RFC 7946 §3.1.6).
 */
export function toGeoJsonMultiPolygon(mp: MultiPoly, proj: Projection): MultiPolygonGeometry {
  const coordinates: Position[][][] = [];
  for (const poly of mp) {
    const rings: Position[][] = [];
    let outerKept = true;
    poly.forEach((ring, i) => {
      if (!outerKept) return;
      const out: Position[] = [];
      for (const [x, y] of ring) {
        const [lng, lat] = proj.inverse(x, y);
        const p: Position = [Math.round(lng * ROUND) / ROUND, Math.round(lat * ROUND) / ROUND];
        const prev = out[out.length - 1];
        if (prev === undefined || prev[0] !== p[0] || prev[1] !== p[1]) out.push(p);
      }
      const first = out[0];
      const last = out[out.length - 1];
      if (first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1]) out.pop();
      if (out.length < 3) {
        if (i === 0) outerKept = false;
        return;
      }
      const ccw = ringSignedArea(out) > 0;
      if ((i === 0) !== ccw) out.reverse();
      out.push([(out[0] as Position)[0], (out[0] as Position)[1]]);
      rings.push(out);
    });
    if (outerKept && rings.length > 0) coordinates.push(rings);
  }
  return { type: 'MultiPolygon', coordinates };
}

/** A metric point as a GeoJSON Point in WGS-84, rounded to 1e-7°. */
export function toGeoJsonPoint(x: number, y: number, proj: Projection): PointGeometry {
  const [lng, lat] = proj.inverse(x, y);
  return { type: 'Point', coordinates: [Math.round(lng * ROUND) / ROUND, Math.round(lat * ROUND) / ROUND] };
}

/** A GeoJSON MultiPolygon (degrees) projected to metres, rings unclosed. */
export function fromGeoJsonMultiPolygon(g: MultiPolygonGeometry, proj: Projection): MultiPoly {
  return g.coordinates.map((poly) => poly.map((ring) => unclose(ring.map(([lng, lat]) => proj.forward(lng, lat)))));
}
