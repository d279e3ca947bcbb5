import { edgeHit } from './pip.js';
import { bboxOfMultiPolygon, emptyBBox, extendBBox } from './bbox.js';
import type { BBox, MultiPolygonCoords, PointLocation, PolygonCoords } from './types.js';

// A polygon prepared for many point queries. Edges are copied into one Float64Array (ax, ay, bx, by per
// edge) and bucketed into horizontal bands over the polygon's y-range, so a query tests only the edges whose
// band holds its y: the ray-crossing test needs exactly the edges whose y-range contains the point's y, and
// banding by the same monotone function for edges and points guarantees every such edge is in the band.
// Small polygons (unit-grid cells) get one band: scanning 4–10 edges beats any bookkeeping.

const EDGES_PER_BAND = 4;
const MAX_BANDS = 4096;
const BANDING_THRESHOLD = 24;

export class PreparedPolygon {
  readonly bbox: BBox;
  private readonly edges: Float64Array;
  private readonly bandCount: number;
  private readonly bandOffsets: Int32Array;
  private readonly bandEdges: Int32Array;
  private readonly y0: number;
  private readonly bandScale: number;

  constructor(polygon: PolygonCoords) {
    let edgeCount = 0;
    for (const ring of polygon) edgeCount += closedLength(ring) - 1;
    const edges = new Float64Array(Math.max(0, edgeCount) * 4);
    const box = emptyBBox();
    let e = 0;
    for (const ring of polygon) {
      const n = ring.length;
      if (n === 0) continue;
      const closed = isClosed(ring);
      const last = closed ? n - 1 : n;
      for (let i = 0; i < last; i++) {
        const a = ring[i] as [number, number];
        const b = (i + 1 < n ? ring[i + 1] : ring[0]) as [number, number];
        edges[e++] = a[0];
        edges[e++] = a[1];
        edges[e++] = b[0];
        edges[e++] = b[1];
        extendBBox(box, a[0], a[1]);
      }
    }
    this.edges = edges;
    this.bbox = box;
    const nEdges = e / 4;
    this.bandCount = nEdges <= BANDING_THRESHOLD ? 1 : Math.min(MAX_BANDS, Math.ceil(nEdges / EDGES_PER_BAND));
    this.y0 = box[1];
    const span = box[3] - box[1];
    this.bandScale = span > 0 ? this.bandCount / span : 0;
    // Counting pass, then fill (CSR layout: one Int32Array for every band's edge list).
    const counts = new Int32Array(this.bandCount + 1);
    for (let k = 0; k < nEdges; k++) {
      const [lo, hi] = this.bandRange(edges[k * 4 + 1] as number, edges[k * 4 + 3] as number);
      for (let b = lo; b <= hi; b++) counts[b + 1]! += 1;
    }
    for (let b = 0; b < this.bandCount; b++) counts[b + 1]! += counts[b]!;
    const fill = counts.slice(0, this.bandCount);
    const bandEdges = new Int32Array(counts[this.bandCount]!);
    for (let k = 0; k < nEdges; k++) {
      const [lo, hi] = this.bandRange(edges[k * 4 + 1] as number, edges[k * 4 + 3] as number);
      for (let b = lo; b <= hi; b++) bandEdges[fill[b]!++] = k * 4;
    }
    this.bandOffsets = counts;
    this.bandEdges = bandEdges;
  }

  private band(y: number): number {
    const b = Math.floor((y - this.y0) * this.bandScale);
    return b < 0 ? 0 : b >= this.bandCount ? this.bandCount - 1 : b;
  }

  private bandRange(ya: number, yb: number): [number, number] {
    return ya <= yb ? [this.band(ya), this.band(yb)] : [this.band(yb), this.band(ya)];
  }

  /** Inside, on the border (any ring), or outside; parity over all rings, so holes are honoured. */
  locate(x: number, y: number): PointLocation {
    const box = this.bbox;
    if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) return 'outside';
    const edges = this.edges;
    const bandEdges = this.bandEdges;
    const b = this.band(y);
    const end = this.bandOffsets[b + 1] as number;
    let inside = false;
    for (let i = this.bandOffsets[b] as number; i < end; i++) {
      const k = bandEdges[i] as number;
      const h = edgeHit(edges[k] as number, edges[k + 1] as number, edges[k + 2] as number, edges[k + 3] as number, x, y);
      if (h === 2) return 'boundary';
      if (h === 1) inside = !inside;
    }
    return inside ? 'inside' : 'outside';
  }

  /** Approximate heap bytes held by the typed arrays. */
  get byteSize(): number {
    return this.edges.byteLength + this.bandOffsets.byteLength + this.bandEdges.byteLength + 96;
  }
}

/** A MultiPolygon prepared for many queries: inside any part wins over the border of another. */
export class PreparedMultiPolygon {
  readonly bbox: BBox;
  readonly parts: PreparedPolygon[];

  constructor(coords: MultiPolygonCoords) {
    this.parts = coords.map((p) => new PreparedPolygon(p));
    this.bbox = bboxOfMultiPolygon(coords);
  }

  locate(x: number, y: number): PointLocation {
    let onBoundary = false;
    for (const part of this.parts) {
      const l = part.locate(x, y);
      if (l === 'inside') return 'inside';
      if (l === 'boundary') onBoundary = true;
    }
    return onBoundary ? 'boundary' : 'outside';
  }
}

function isClosed(ring: readonly (readonly number[])[]): boolean {
  const a = ring[0];
  const b = ring[ring.length - 1];
  return ring.length > 1 && a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
}

function closedLength(ring: readonly (readonly number[])[]): number {
  if (ring.length === 0) return 1;
  return isClosed(ring) ? ring.length : ring.length + 1;
}
