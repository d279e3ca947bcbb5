/**
 * Organic partitions of a district: a fine Voronoi mesh of "atoms" (jittered, optionally rotated grid) is
 * grown into regions from seeds (multi-source Dijkstra with a speed per region and a noise field, so that
 * regions are connected, sized to targets and have wandering borders). A region's polygon is the union of
 * its atoms, computed exactly by cancelling shared edges; shared borders are then smoothed once, on the
 * shared vertices, so neighbouring regions keep identical borders (no gaps, no overlaps).
 */
import { Delaunay } from 'd3-delaunay';
import type { EdgeIndex, MultiPoly, Position, Ring } from './geometry.js';
import { assemblePolygons, pointInMultiPoly } from './geometry.js';
import type { Rng } from './random.js';

/** The atoms of one partition family. Vertex coordinates are shared between neighbouring atoms. */
export interface AtomMesh {
  readonly n: number;
  readonly siteX: Float64Array;
  readonly siteY: Float64Array;
  /** Vertex coordinates (smoothing writes new ones into `smoothX/Y`). */
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  smoothX: Float64Array;
  smoothY: Float64Array;
  /** Each atom's ring of vertex ids, counter-clockwise, unclosed. */
  readonly cells: Int32Array[];
  readonly neighbors: Int32Array[];
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

/** Builds the atom mesh over the outline's bounding box (plus a margin). */
export function buildAtomMesh({ outline, edges, spacing, angle, rng }: MeshOptions): AtomMesh {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of outline) {
    for (const [x, y] of poly[0] ?? []) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  const margin = spacing * 4;
  minX -= margin;
  minY -= margin;
  maxX += margin;
  maxY += margin;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const half = Math.hypot(maxX - minX, maxY - minY) / 2;
  const steps = Math.ceil(half / spacing);
  const coords: number[] = [];
  for (let j = -steps; j <= steps; j++) {
    for (let i = -steps; i <= steps; i++) {
      const u = (i + (rng() - 0.5) * 0.9) * spacing;
      const v = (j + (rng() - 0.5) * 0.9) * spacing;
      const x = cx + u * cos - v * sin;
      const y = cy + u * sin + v * cos;
      if (x < minX || x > maxX || y < minY || y > maxY) continue;
      // Only atoms inside or near the outline matter; a band of outside atoms keeps the near ones bounded.
      if (pointInMultiPoly(x, y, outline) || edges.near(x, y, spacing * 6)) coords.push(x, y);
    }
  }
  const delaunay = new Delaunay<Position>(Float64Array.from(coords));
  const voronoi = delaunay.voronoi([minX - spacing, minY - spacing, maxX + spacing, maxY + spacing]);
  const n = coords.length / 2;
  const siteX = new Float64Array(n);
  const siteY = new Float64Array(n);
  const inside = new Uint8Array(n);
  const active = new Uint8Array(n);
  const weight = new Float64Array(n);
  const cells: Int32Array[] = [];
  const neighbors: Int32Array[] = [];
  const vertexId = new Map<string, number>();
  const vxs: number[] = [];
  const vys: number[] = [];
  for (let k = 0; k < n; k++) {
    const x = coords[2 * k] ?? 0;
    const y = coords[2 * k + 1] ?? 0;
    siteX[k] = x;
    siteY[k] = y;
    const isIn = pointInMultiPoly(x, y, outline);
    inside[k] = isIn ? 1 : 0;
    active[k] = isIn || edges.near(x, y, spacing * 2.5) ? 1 : 0;
    const poly = voronoi.cellPolygon(k) as Position[] | null;
    const ids: number[] = [];
    if (poly !== null) {
      // d3 closes the ring; drop the repeated point. Orientation is fixed below.
      for (let p = 0; p < poly.length - 1; p++) {
        const [px, py] = poly[p] as Position;
        const key = `${px}|${py}`;
        let id = vertexId.get(key);
        if (id === undefined) {
          id = vxs.length;
          vertexId.set(key, id);
          vxs.push(px);
          vys.push(py);
        }
        if (ids[ids.length - 1] !== id) ids.push(id);
      }
    }
    let area = 0;
    for (let a = 0, b = ids.length - 1; a < ids.length; b = a++) {
      const ia = ids[a] ?? 0;
      const ib = ids[b] ?? 0;
      area += (vxs[ib] ?? 0) * (vys[ia] ?? 0) - (vxs[ia] ?? 0) * (vys[ib] ?? 0);
    }
    if (area < 0) ids.reverse();
    cells.push(Int32Array.from(ids));
    weight[k] = isIn ? Math.abs(area) / 2 : 0;
  }
  // Neighbours: the Delaunay edges (each is a shared Voronoi edge of the two atoms).
  const adj: number[][] = Array.from({ length: n }, () => []);
  const { triangles, halfedges } = delaunay;
  for (let e = 0; e < triangles.length; e++) {
    const opp = halfedges[e] ?? -1;
    if (opp > e || opp === -1) {
      const a = triangles[e] ?? 0;
      const b = triangles[e % 3 === 2 ? e - 2 : e + 1] ?? 0;
      adj[a]?.push(b);
      adj[b]?.push(a);
    }
  }
  for (const list of adj) neighbors.push(Int32Array.from(list));
  const vx = Float64Array.from(vxs);
  const vy = Float64Array.from(vys);
  return { n, siteX, siteY, vx, vy, smoothX: vx.slice(), smoothY: vy.slice(), cells, neighbors, inside, active, weight, delaunay };
}

/** A binary min-heap of (key, node, region) triples. */
class Heap {
  private keys: number[] = [];
  private nodes: number[] = [];
  private regions: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, node: number, region: number): void {
    const { keys, nodes, regions } = this;
    let i = keys.length;
    keys.push(key);
    nodes.push(node);
    regions.push(region);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((keys[p] ?? 0) <= key) break;
      keys[i] = keys[p] ?? 0;
      nodes[i] = nodes[p] ?? 0;
      regions[i] = regions[p] ?? 0;
      i = p;
    }
    keys[i] = key;
    nodes[i] = node;
    regions[i] = region;
  }
  pop(): [number, number, number] {
    const { keys, nodes, regions } = this;
    const top: [number, number, number] = [keys[0] ?? 0, nodes[0] ?? 0, regions[0] ?? 0];
    const k = keys.pop() ?? 0;
    const nd = nodes.pop() ?? 0;
    const r = regions.pop() ?? 0;
    const len = keys.length;
    if (len > 0) {
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
    return top;
  }
}

export interface GrowOptions {
  /** Noise field in about [-1, 1] that bends borders. */
  noise: (x: number, y: number) => number;
  /** How much the noise changes travel cost (0 = straight-ish borders). */
  roughness: number;
  /** Rounds of speed adjustment toward the target sizes. */
  iterations: number;
}

/**
 * Grows regions over `members` (atom ids) from `seeds` (one atom id per region) so that each region's
 * inside area is roughly proportional to its target. Returns, for each member atom, its region index
 * (in `labels`, -1 for atoms that are not members).
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
  const speed = want.map((w) => Math.sqrt(Math.max(w, 1)));
  const canGrow = (a: number) => isMember[a] === 1 && mesh.inside[a] === 1;
  // Travel cost between neighbouring atoms, shared by every round.
  const edgeCost = new Map<number, number>();
  const cost = (a: number, b: number): number => {
    const key = a < b ? a * mesh.n + b : b * mesh.n + a;
    let c = edgeCost.get(key);
    if (c === undefined) {
      const ax = mesh.siteX[a] ?? 0;
      const ay = mesh.siteY[a] ?? 0;
      const bx = mesh.siteX[b] ?? 0;
      const by = mesh.siteY[b] ?? 0;
      c = Math.hypot(bx - ax, by - ay) * Math.max(0.15, 1 + opts.roughness * opts.noise((ax + bx) / 2, (ay + by) / 2));
      edgeCost.set(key, c);
    }
    return c;
  };
  const rounds = Math.max(1, opts.iterations);
  for (let round = 0; round < rounds; round++) {
    for (const a of members) labels[a] = -1;
    const heap = new Heap();
    seeds.forEach((s, r) => heap.push(0, s, r));
    while (heap.size > 0) {
      const [d, node, r] = heap.pop();
      if (labels[node] !== -1) continue;
      labels[node] = r;
      const sp = speed[r] ?? 1;
      for (const nb of mesh.neighbors[node] ?? []) {
        if (labels[nb] === -1 && canGrow(nb)) heap.push(d + cost(node, nb) / sp, nb, r);
      }
    }
    if (round === rounds - 1) break;
    const got = new Float64Array(regionCount);
    for (const a of members) {
      const l = labels[a] ?? -1;
      if (l >= 0) got[l] = (got[l] ?? 0) + (mesh.weight[a] ?? 0);
    }
    for (let r = 0; r < regionCount; r++) {
      const ratio = (want[r] ?? 1) / Math.max(got[r] ?? 0, 1);
      speed[r] = (speed[r] ?? 1) * Math.min(2, Math.max(0.5, Math.pow(ratio, 0.6)));
    }
  }
  fillRemaining(mesh, members, isMember, labels);
  return labels;
}

/** Members not reached by growth (outside the outline, or cut off) take the label of a labelled neighbour. */
function fillRemaining(mesh: AtomMesh, members: readonly number[], isMember: Uint8Array, labels: Int32Array): void {
  let frontier: number[] = members.filter((a) => (labels[a] ?? -1) >= 0);
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const a of frontier) {
      for (const nb of mesh.neighbors[a] ?? []) {
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
    let best = -1;
    let bestD = Infinity;
    for (const b of labelled) {
      const d = Math.hypot((mesh.siteX[a] ?? 0) - (mesh.siteX[b] ?? 0), (mesh.siteY[a] ?? 0) - (mesh.siteY[b] ?? 0));
      if (d < bestD) {
        bestD = d;
        best = b;
      }
    }
    if (best >= 0) labels[a] = labels[best] ?? -1;
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
