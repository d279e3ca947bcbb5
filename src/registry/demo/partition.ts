/**
 * Organic partitions of a district: a fine Voronoi mesh of "atoms" (jittered, optionally rotated grid) is
 * grown into regions from seeds (multi-source Dijkstra with a speed per region and a noise field, so that
 * regions are connected, sized to targets and have wandering borders). A region's polygon is the union of
 * its atoms, computed exactly by cancelling shared edges; shared borders are then smoothed once, on the
 * shared vertices, so neighbouring regions keep identical borders (no gaps, no overlaps).
 */
import { Delaunay } from 'd3-delaunay';
import type { EdgeIndex, MultiPoly, Position, Ring } from './geometry.js';
import { assemblePolygons, bboxOf } from './geometry.js';
import type { Rng } from './random.js';

/** The atoms of one partition family. Vertex coordinates are shared between neighbouring atoms. */
export interface AtomMesh {
  readonly n: number;
  readonly siteX: Float64Array;
  readonly siteY: Float64Array;
  /** Vertex coordinates: the Voronoi vertices (circumcentres), one per Delaunay triangle. */
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  /** Vertex coordinates after border smoothing (see smoothBorders). */
  smoothX: Float64Array;
  smoothY: Float64Array;
  /** Each atom's ring of vertex ids, counter-clockwise, unclosed (empty for atoms far outside). */
  readonly cells: Int32Array[];
  /** Neighbours in compressed rows: those of atom a are adjList[adjStart[a] .. adjStart[a + 1]). */
  readonly adjStart: Int32Array;
  readonly adjList: Int32Array;
  /** Distance between the sites of each neighbour pair, aligned with adjList. */
  readonly adjLen: Float64Array;
  /** 1 when the atom's site is inside the outline. */
  readonly inside: Uint8Array;
  /** 1 when the atom may touch the outline (inside, or near its edge): the atoms that get a region. */
  readonly active: Uint8Array;
  /** Area of the atom counted toward region sizes (its cell area when inside, else 0). */
  readonly weight: Float64Array;
  readonly delaunay: Delaunay<Position>;
}

export interface MeshOptions {
  outline: MultiPoly;
  edges: EdgeIndex;
  /** Mean distance between atoms, in metres. */
  spacing: number;
  /** Rotation of the jittered grid, radians. */
  angle: number;
  rng: Rng;
}

/** Builds the atom mesh: a jittered grid inside the outline and in a band around it. */
export function buildAtomMesh({ outline, edges, spacing, angle, rng }: MeshOptions): AtomMesh {
  const [bx0, by0, bx1, by1] = bboxOf(outline);
  const margin = spacing * 7;
  const minX = bx0 - margin;
  const minY = by0 - margin;
  const maxX = bx1 + margin;
  const maxY = by1 + margin;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const steps = Math.ceil(Math.hypot(maxX - minX, maxY - minY) / 2 / spacing);
  const coords: number[] = [];
  const insideFlags: number[] = [];
  for (let j = -steps; j <= steps; j++) {
    for (let i = -steps; i <= steps; i++) {
      const u = (i + (rng() - 0.5) * 0.9) * spacing;
      const v = (j + (rng() - 0.5) * 0.9) * spacing;
      const x = cx + u * cos - v * sin;
      const y = cy + u * sin + v * cos;
      if (x < minX || x > maxX || y < minY || y > maxY) continue;
      // Only atoms inside or near the outline matter; a band of outside atoms keeps the near ones bounded.
      const isIn = edges.contains(x, y);
      if (isIn || edges.near(x, y, spacing * 6)) {
        coords.push(x, y);
        insideFlags.push(isIn ? 1 : 0);
      }
    }
  }
  const delaunay = new Delaunay<Position>(Float64Array.from(coords));
  const voronoi = delaunay.voronoi([minX - spacing, minY - spacing, maxX + spacing, maxY + spacing]);
  const { triangles, halfedges, inedges } = delaunay;
  const circ = voronoi.circumcenters;
  const n = coords.length / 2;
  const siteX = new Float64Array(n);
  const siteY = new Float64Array(n);
  const inside = Uint8Array.from(insideFlags);
  const active = new Uint8Array(n);
  const weight = new Float64Array(n);
  const cells: Int32Array[] = [];
  for (let k = 0; k < n; k++) {
    const x = coords[2 * k] ?? 0;
    const y = coords[2 * k + 1] ?? 0;
    siteX[k] = x;
    siteY[k] = y;
    active[k] = inside[k] === 1 || edges.near(x, y, spacing * 2.5) ? 1 : 0;
    // The Voronoi cell as the ring of triangles around the site (the walk d3's own _cell makes); the
    // triangle index is the vertex id, so neighbouring cells share their vertices exactly.
    const ids: number[] = [];
    const e0 = inedges[k] ?? -1;
    let closed = false;
    if (e0 !== -1 && active[k] === 1) {
      let e = e0;
      do {
        ids.push(Math.floor(e / 3));
        e = e % 3 === 2 ? e - 2 : e + 1;
        if (triangles[e] !== k) break;
        e = halfedges[e] ?? -1;
      } while (e !== e0 && e !== -1);
      closed = e === e0;
    }
    if (!closed) {
      // On the hull (far outside the outline): not part of any region.
      if (active[k] === 1) active[k] = 0;
      cells.push(new Int32Array(0));
      continue;
    }
    let area = 0;
    for (let a = 0, b = ids.length - 1; a < ids.length; b = a++) {
      const ia = ids[a] ?? 0;
      const ib = ids[b] ?? 0;
      area += (circ[2 * ib] ?? 0) * (circ[2 * ia + 1] ?? 0) - (circ[2 * ia] ?? 0) * (circ[2 * ib + 1] ?? 0);
    }
    if (area < 0) ids.reverse();
    cells.push(Int32Array.from(ids));
    weight[k] = inside[k] === 1 ? Math.abs(area) / 2 : 0;
  }
  // Neighbours: the Delaunay edges (each is the shared Voronoi edge of its two atoms).
  const degree = new Int32Array(n + 1);
  for (let e = 0; e < triangles.length; e++) {
    const opp = halfedges[e] ?? -1;
    if (opp > e || opp === -1) {
      const a = triangles[e] ?? 0;
      const b = triangles[e % 3 === 2 ? e - 2 : e + 1] ?? 0;
      degree[a] = (degree[a] ?? 0) + 1;
      degree[b] = (degree[b] ?? 0) + 1;
    }
  }
  const adjStart = new Int32Array(n + 1);
  for (let a = 0; a < n; a++) adjStart[a + 1] = (adjStart[a] ?? 0) + (degree[a] ?? 0);
  const fill = adjStart.slice(0, n);
  const adjList = new Int32Array(adjStart[n] ?? 0);
  const adjLen = new Float64Array(adjList.length);
  for (let e = 0; e < triangles.length; e++) {
    const opp = halfedges[e] ?? -1;
    if (opp > e || opp === -1) {
      const a = triangles[e] ?? 0;
      const b = triangles[e % 3 === 2 ? e - 2 : e + 1] ?? 0;
      const len = Math.hypot((siteX[a] ?? 0) - (siteX[b] ?? 0), (siteY[a] ?? 0) - (siteY[b] ?? 0));
      const fa = fill[a] ?? 0;
      adjList[fa] = b;
      adjLen[fa] = len;
      fill[a] = fa + 1;
      const fb = fill[b] ?? 0;
      adjList[fb] = a;
      adjLen[fb] = len;
      fill[b] = fb + 1;
    }
  }
  const vx = new Float64Array(circ.length / 2);
  const vy = new Float64Array(circ.length / 2);
  for (let t = 0; t < vx.length; t++) {
    vx[t] = circ[2 * t] ?? 0;
    vy[t] = circ[2 * t + 1] ?? 0;
  }
  return { n, siteX, siteY, vx, vy, smoothX: vx.slice(), smoothY: vy.slice(), cells, adjStart, adjList, adjLen, inside, active, weight, delaunay };
}

/** A binary min-heap of (key, node, region) triples in typed arrays. */
class Heap {
  private keys = new Float64Array(1024);
  private nodes = new Int32Array(1024);
  private regions = new Int32Array(1024);
  size = 0;
  /** Filled by pop(). */
  key = 0;
  node = 0;
  region = 0;

  push(key: number, node: number, region: number): void {
    if (this.size === this.keys.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.keys = grow(this.keys, (n) => new Float64Array(n));
      this.nodes = grow(this.nodes, (n) => new Int32Array(n));
      this.regions = grow(this.regions, (n) => new Int32Array(n));
    }
    const { keys, nodes, regions } = this;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const kp = keys[p] ?? 0;
      if (kp <= key) break;
      keys[i] = kp;
      nodes[i] = nodes[p] ?? 0;
      regions[i] = regions[p] ?? 0;
      i = p;
    }
    keys[i] = key;
    nodes[i] = node;
    regions[i] = region;
  }

  pop(): void {
    const { keys, nodes, regions } = this;
    this.key = keys[0] ?? 0;
    this.node = nodes[0] ?? 0;
    this.region = regions[0] ?? 0;
    const len = --this.size;
    if (len === 0) return;
    const k = keys[len] ?? 0;
    const nd = nodes[len] ?? 0;
    const r = regions[len] ?? 0;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= len) break;
      const rr = l + 1;
      const c = rr < len && (keys[rr] ?? 0) < (keys[l] ?? 0) ? rr : l;
      if ((keys[c] ?? 0) >= k) break;
      keys[i] = keys[c] ?? 0;
      nodes[i] = nodes[c] ?? 0;
      regions[i] = regions[c] ?? 0;
      i = c;
    }
    keys[i] = k;
    nodes[i] = nd;
    regions[i] = r;
  }
}

export interface GrowOptions {
  /** Noise field in about [-1, 1] that bends borders. */
  noise: (x: number, y: number) => number;
  /** How much the noise changes travel cost (0 = straight-ish borders). */
  roughness: number;
  /** Rounds of adjustment toward the target sizes. */
  iterations: number;
  /** How far each round moves a seed toward its region's centre (0 = seeds stay; 1 = Lloyd step). */
  relax?: number;
  /**
   * Domain warp, metres: distances are measured between displaced sites, so that borders which would be
   * straight wander by about this much (borders of real districts follow roads and creeks, not rulers).
   */
  warp?: number;
}

/**
 * Grows regions over `members` (atom ids) from `seeds` (one atom id per region) so that each region's
 * inside area is roughly proportional to its target: a geodesic, additively weighted Voronoi diagram (a
 * region with a head start `offset` grows further), with seeds relaxed toward their regions' centres so
 * that regions stay compact. Returns, for each member atom, its region index (-1 for non-members).
 */
export function growRegions(mesh: AtomMesh, members: readonly number[], seeds: readonly number[], targets: readonly number[], opts: GrowOptions): Int32Array {
  const labels = new Int32Array(mesh.n).fill(-1);
  const isMember = new Uint8Array(mesh.n);
  for (const a of members) isMember[a] = 1;
  const regionCount = seeds.length;
  if (regionCount === 0) return labels;
  const totalWeight = members.reduce((s, a) => s + (mesh.weight[a] ?? 0), 0);
  const targetSum = targets.reduce((s, t) => s + t, 0);
  const want = targets.map((t) => (targetSum > 0 ? (t / targetSum) * totalWeight : totalWeight / regionCount));
  const offset = new Float64Array(regionCount);
  const seedAt = seeds.slice();
  const relax = opts.relax ?? 0;
  // Travel cost factor per atom from the noise field; an edge costs its length times the mean factor.
  const factor = new Float64Array(mesh.n);
  for (const a of members) factor[a] = Math.max(0.2, 1 + opts.roughness * opts.noise(mesh.siteX[a] ?? 0, mesh.siteY[a] ?? 0));
  const { adjStart, adjList, adjLen, inside, siteX, siteY, weight } = mesh;
  const warp = opts.warp ?? 0;
  const wx = new Float64Array(mesh.n);
  const wy = new Float64Array(mesh.n);
  if (warp > 0) {
    for (const a of members) {
      const x = siteX[a] ?? 0;
      const y = siteY[a] ?? 0;
      wx[a] = x + warp * opts.noise(x + 7919.3, y - 3571.7);
      wy[a] = y + warp * opts.noise(x - 5233.9, y + 9041.3);
    }
  }
  // Travel cost of every edge out of a member, computed once: (warped) length times the mean noise factor.
  const cost = new Float64Array(adjList.length);
  for (const a of members) {
    const end = adjStart[a + 1] ?? 0;
    for (let q = adjStart[a] ?? 0; q < end; q++) {
      const b = adjList[q] ?? 0;
      const len = warp > 0 ? Math.hypot((wx[a] ?? 0) - (wx[b] ?? 0), (wy[a] ?? 0) - (wy[b] ?? 0)) : (adjLen[q] ?? 0);
      cost[q] = (len * ((factor[a] ?? 1) + (factor[b] ?? 1))) / 2;
    }
  }
  const rounds = Math.max(1, opts.iterations);
  // The best labelling seen, for the members only (index into `members`).
  let best: Int32Array | null = null;
  let bestError = Infinity;
  const heap = new Heap();
  const got = new Float64Array(regionCount);
  const sumX = new Float64Array(regionCount);
  const sumY = new Float64Array(regionCount);
  for (let round = 0; round < rounds; round++) {
    for (const a of members) labels[a] = -1;
    seedAt.forEach((s, r) => heap.push(-(offset[r] ?? 0), s, r));
    while (heap.size > 0) {
      heap.pop();
      const node = heap.node;
      if (labels[node] !== -1) continue;
      const r = heap.region;
      labels[node] = r;
      const d = heap.key;
      const end = adjStart[node + 1] ?? 0;
      for (let q = adjStart[node] ?? 0; q < end; q++) {
        const nb = adjList[q] ?? 0;
        if (labels[nb] === -1 && isMember[nb] === 1 && inside[nb] === 1) heap.push(d + (cost[q] ?? 0), nb, r);
      }
    }
    got.fill(0);
    sumX.fill(0);
    sumY.fill(0);
    for (const a of members) {
      const l = labels[a] ?? -1;
      if (l < 0) continue;
      const w = weight[a] ?? 0;
      got[l] = (got[l] ?? 0) + w;
      sumX[l] = (sumX[l] ?? 0) + w * (siteX[a] ?? 0);
      sumY[l] = (sumY[l] ?? 0) + w * (siteY[a] ?? 0);
    }
    let error = 0;
    for (let r = 0; r < regionCount; r++) error += Math.abs((got[r] ?? 0) - (want[r] ?? 0));
    if (error < bestError) {
      bestError = error;
      best ??= new Int32Array(members.length);
      for (let i = 0; i < members.length; i++) best[i] = labels[members[i] ?? 0] ?? -1;
    }
    if (round === rounds - 1) break;
    // A region short of its target gets a head start, in metres of travel: about the difference in radius.
    for (let r = 0; r < regionCount; r++) {
      const delta = Math.sqrt(want[r] ?? 0) - Math.sqrt(got[r] ?? 0);
      offset[r] = (offset[r] ?? 0) + 0.5 * delta;
    }
    if (relax > 0) {
      // Move each seed part of the way to its region's centre, staying on one of the region's atoms.
      const targetX = seedAt.map((s, r) => (got[r] ?? 0) > 0 ? (siteX[s] ?? 0) + relax * ((sumX[r] ?? 0) / (got[r] ?? 1) - (siteX[s] ?? 0)) : (siteX[s] ?? 0));
      const targetY = seedAt.map((s, r) => (got[r] ?? 0) > 0 ? (siteY[s] ?? 0) + relax * ((sumY[r] ?? 0) / (got[r] ?? 1) - (siteY[s] ?? 0)) : (siteY[s] ?? 0));
      const bestD = seedAt.map((s, r) => Math.hypot((siteX[s] ?? 0) - (targetX[r] ?? 0), (siteY[s] ?? 0) - (targetY[r] ?? 0)));
      for (const a of members) {
        const l = labels[a] ?? -1;
        if (l < 0 || inside[a] !== 1) continue;
        const dd = Math.hypot((siteX[a] ?? 0) - (targetX[l] ?? 0), (siteY[a] ?? 0) - (targetY[l] ?? 0));
        if (dd < (bestD[l] ?? Infinity)) {
          bestD[l] = dd;
          seedAt[l] = a;
        }
      }
    }
  }
  if (best !== null) for (let i = 0; i < members.length; i++) labels[members[i] ?? 0] = best[i] ?? -1;
  fillRemaining(mesh, members, isMember, labels);
  return labels;
}

/** Members not reached by growth (outside the outline, or cut off) take the label of a labelled neighbour. */
function fillRemaining(mesh: AtomMesh, members: readonly number[], isMember: Uint8Array, labels: Int32Array): void {
  let frontier: number[] = members.filter((a) => (labels[a] ?? -1) >= 0);
  const { adjStart, adjList } = mesh;
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const a of frontier) {
      const end = adjStart[a + 1] ?? 0;
      for (let q = adjStart[a] ?? 0; q < end; q++) {
        const nb = adjList[q] ?? 0;
        if (isMember[nb] === 1 && labels[nb] === -1) {
          labels[nb] = labels[a] ?? -1;
          next.push(nb);
        }
      }
    }
    frontier = next;
  }
  const labelled = members.filter((a) => (labels[a] ?? -1) >= 0);
  for (const a of members) {
    if (labels[a] !== -1) continue;
    let bestAtom = -1;
    let bestD = Infinity;
    for (const b of labelled) {
      const d = Math.hypot((mesh.siteX[a] ?? 0) - (mesh.siteX[b] ?? 0), (mesh.siteY[a] ?? 0) - (mesh.siteY[b] ?? 0));
      if (d < bestD) {
        bestD = d;
        bestAtom = b;
      }
    }
    if (bestAtom >= 0) labels[a] = labels[bestAtom] ?? -1;
  }
}

/**
 * Picks `count` seed atoms among `candidates` that are spread out (best-candidate sampling), or at the
 * given preferred points when `preferred` is passed (nearest candidate to each).
 */
export function spreadSeeds(mesh: AtomMesh, candidates: readonly number[], count: number, rng: Rng, tries = 10): number[] {
  const seeds: number[] = [];
  const used = new Set<number>();
  if (candidates.length === 0) return seeds;
  for (let s = 0; s < count; s++) {
    let best = -1;
    let bestD = -1;
    for (let t = 0; t < tries; t++) {
      const c = candidates[Math.floor(rng() * candidates.length)] ?? 0;
      if (used.has(c)) continue;
      let d = Infinity;
      for (const q of seeds) d = Math.min(d, Math.hypot((mesh.siteX[c] ?? 0) - (mesh.siteX[q] ?? 0), (mesh.siteY[c] ?? 0) - (mesh.siteY[q] ?? 0)));
      if (d > bestD) {
        bestD = d;
        best = c;
      }
    }
    if (best < 0) best = candidates.find((c) => !used.has(c)) ?? -1;
    if (best < 0) break;
    used.add(best);
    seeds.push(best);
  }
  return seeds;
}

/** The candidate atom nearest to a point, skipping atoms already used. */
export function nearestAtom(mesh: AtomMesh, candidates: readonly number[], x: number, y: number, used: ReadonlySet<number>): number {
  let best = -1;
  let bestD = Infinity;
  for (const c of candidates) {
    if (used.has(c)) continue;
    const d = Math.hypot((mesh.siteX[c] ?? 0) - x, (mesh.siteY[c] ?? 0) - y);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/**
 * The boundary of a set of atoms as rings of vertex ids: every directed edge whose reverse also appears is
 * interior and cancels; what is left links up into outer rings (CCW) and holes (CW).
 */
export function unionRings(mesh: AtomMesh, atoms: readonly number[]): number[][] {
  const nv = mesh.vx.length;
  const edges = new Set<number>();
  for (const a of atoms) {
    const cell = mesh.cells[a];
    if (cell === undefined) continue;
    for (let i = 0; i < cell.length; i++) {
      const u = cell[i] ?? 0;
      const v = cell[(i + 1) % cell.length] ?? 0;
      const rev = v * nv + u;
      if (edges.has(rev)) edges.delete(rev);
      else edges.add(u * nv + v);
    }
  }
  const next = new Map<number, number[]>();
  for (const e of edges) {
    const u = Math.floor(e / nv);
    const v = e - u * nv;
    const list = next.get(u);
    if (list === undefined) next.set(u, [v]);
    else list.push(v);
  }
  const rings: number[][] = [];
  for (const [start] of next) {
    for (;;) {
      const firstOut = next.get(start);
      if (firstOut === undefined || firstOut.length === 0) break;
      const ring: number[] = [start];
      let cur = firstOut.pop() ?? start;
      let guard = 0;
      while (cur !== start && guard++ < edges.size + 1) {
        ring.push(cur);
        const out = next.get(cur);
        const nxt = out?.pop();
        if (nxt === undefined) break;
        cur = nxt;
      }
      if (ring.length >= 3) rings.push(ring);
    }
  }
  return rings;
}

/**
 * Laplacian smoothing of region borders: every vertex on exactly two border edges (the inside of a border
 * between two regions) moves toward the midpoint of its two neighbours; junctions stay put. Works on the
 * shared vertices, so neighbours keep identical borders. Writes `mesh.smoothX/Y`.
 */
export function smoothBorders(mesh: AtomMesh, ringsPerRegion: readonly number[][][], iterations: number): void {
  const adj = new Map<number, Set<number>>();
  const link = (a: number, b: number) => {
    let s = adj.get(a);
    if (s === undefined) adj.set(a, (s = new Set()));
    s.add(b);
  };
  for (const rings of ringsPerRegion) {
    for (const ring of rings) {
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i] ?? 0;
        const b = ring[(i + 1) % ring.length] ?? 0;
        link(a, b);
        link(b, a);
      }
    }
  }
  const movable: [number, number, number][] = [];
  for (const [v, s] of adj) {
    if (s.size === 2) {
      const [a, b] = [...s] as [number, number];
      movable.push([v, a, b]);
    }
  }
  let x = mesh.vx.slice();
  let y = mesh.vy.slice();
  for (let it = 0; it < iterations; it++) {
    const nx = x.slice();
    const ny = y.slice();
    for (const [v, a, b] of movable) {
      nx[v] = 0.5 * (x[v] ?? 0) + 0.25 * ((x[a] ?? 0) + (x[b] ?? 0));
      ny[v] = 0.5 * (y[v] ?? 0) + 0.25 * ((y[a] ?? 0) + (y[b] ?? 0));
    }
    x = nx;
    y = ny;
  }
  mesh.smoothX = x;
  mesh.smoothY = y;
}

/** Rings of vertex ids as a metric multipolygon, using the smoothed coordinates. */
export function ringsToPolygons(mesh: AtomMesh, rings: readonly number[][]): MultiPoly {
  const out: Ring[] = rings.map((ring) => ring.map((v): Position => [mesh.smoothX[v] ?? 0, mesh.smoothY[v] ?? 0]));
  return assemblePolygons(out);
}
