/**
 * Grid fusion (多格合一): one in-memory index over one or many grid layers that answers, for a WGS-84
 * point, the cell of each layer. Pure and synchronous; the service builds it from stored layer versions.
 *
 * Tie rule (deterministic, independent of input order): among the cells of one layer that contain the
 * point or have it on their border, the cell with the smallest code wins, codes compared as JavaScript
 * strings (UTF-16 code-unit order, no locale). This settles a point on a border shared by two cells, a
 * vertex shared by several, and a point inside cells of one layer that overlap. Among cells with the same
 * code (a layer that was imported with duplicates) the one listed first wins.
 */
import Flatbush from 'flatbush';
import { PreparedPolygon } from '../registry/geo/prepared.js';
import type { MultiPolygonGeometry, PointLocation, PolygonGeometry } from '../registry/geo/types.js';

export interface FusionCellInput {
  code: string;
  unitRef?: string | null;
  /** WGS-84. */
  geometry: MultiPolygonGeometry | PolygonGeometry;
}

export interface FusionLayerInput {
  layerId: string;
  version: number;
  cells: readonly FusionCellInput[];
}

export interface FusionHit {
  layerId: string;
  version: number;
  code: string;
  unitRef: string | null;
}

export interface FusionMiss {
  layerId: string;
  none: true;
}

export type FusionAnswer = FusionHit | FusionMiss;

/** Every cell of a layer that holds the point, and how (for diagnostics, audits and tests). */
export interface FusionMatch {
  code: string;
  unitRef: string | null;
  location: Exclude<PointLocation, 'outside'>;
}

interface PreparedLayer {
  layerId: string;
  version: number;
  /** Cells sorted by the tie rule, so the lowest matching index is the answer. */
  codes: string[];
  unitRefs: Array<string | null>;
  /** One flatbush item per polygon part; partCell maps it back to the cell's sorted index. */
  tree: Flatbush;
  parts: PreparedPolygon[];
  partCell: Int32Array;
}

export class FusionIndex {
  private readonly layers: PreparedLayer[];
  private readonly byId: Map<string, PreparedLayer>;

  private constructor(layers: PreparedLayer[]) {
    this.layers = layers;
    this.byId = new Map(layers.map((l) => [l.layerId, l]));
  }

  /** Builds the index; layers keep the given order in answers. */
  static build(layers: readonly FusionLayerInput[]): FusionIndex {
    const ids = new Set<string>();
    for (const l of layers) {
      if (ids.has(l.layerId)) throw new Error(`FusionIndex.build: layer ${l.layerId} given twice`);
      ids.add(l.layerId);
    }
    return new FusionIndex(layers.map(prepareLayer));
  }

  /** The cell of every layer for a WGS-84 point, in layer order. */
  resolve(lng: number, lat: number): FusionAnswer[] {
    return this.layers.map((l) => answer(l, lng, lat));
  }

  /** The cell of one layer for a WGS-84 point; throws for a layer the index does not hold. */
  resolveLayer(layerId: string, lng: number, lat: number): FusionAnswer {
    return answer(this.layer(layerId), lng, lat);
  }

  /** All cells of one layer holding the point (inside or on the border), in tie-rule order. */
  matchesInLayer(layerId: string, lng: number, lat: number): FusionMatch[] {
    const l = this.layer(layerId);
    const out = new Map<number, FusionMatch>();
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return [];
    for (const p of l.tree.search(lng, lat, lng, lat)) {
      const where = (l.parts[p] as PreparedPolygon).locate(lng, lat);
      if (where === 'outside') continue;
      const c = l.partCell[p] as number;
      const prev = out.get(c);
      // A cell whose parts touch: inside one part beats the border of another.
      if (!prev || (prev.location === 'boundary' && where === 'inside')) {
        out.set(c, { code: l.codes[c] as string, unitRef: l.unitRefs[c] ?? null, location: where });
      }
    }
    return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
  }

  /** The layers held, with their versions and cell counts. */
  get layerSummaries(): Array<{ layerId: string; version: number; cells: number; parts: number }> {
    return this.layers.map((l) => ({ layerId: l.layerId, version: l.version, cells: l.codes.length, parts: l.parts.length }));
  }

  /**
   * Approximate bytes the index holds: typed arrays exactly, plus a rough 80 bytes per polygon object and
   * 64 per cell for codes and references (V8 object and short-string overheads).
   */
  get approximateBytes(): number {
    let bytes = 0;
    for (const l of this.layers) {
      bytes += l.tree.data.byteLength + l.partCell.byteLength;
      for (const p of l.parts) bytes += p.byteSize;
      bytes += l.codes.length * 64 + l.parts.length * 80;
    }
    return bytes;
  }

  private layer(layerId: string): PreparedLayer {
    const l = this.byId.get(layerId);
    if (!l) throw new Error(`FusionIndex: no layer ${layerId}`);
    return l;
  }
}

function prepareLayer(input: FusionLayerInput): PreparedLayer {
  const order = input.cells.map((_, i) => i);
  // The tie rule, fixed once here: code order, then input order (stable sort) for duplicate codes.
  order.sort((a, b) => {
    const ca = (input.cells[a] as FusionCellInput).code;
    const cb = (input.cells[b] as FusionCellInput).code;
    return ca < cb ? -1 : ca > cb ? 1 : 0;
  });
  const codes: string[] = [];
  const unitRefs: Array<string | null> = [];
  const parts: PreparedPolygon[] = [];
  const partCellList: number[] = [];
  order.forEach((i, sorted) => {
    const cell = input.cells[i] as FusionCellInput;
    codes.push(cell.code);
    unitRefs.push(cell.unitRef ?? null);
    const polygons = cell.geometry.type === 'Polygon' ? [cell.geometry.coordinates] : cell.geometry.coordinates;
    for (const polygon of polygons) {
      if (!polygon[0] || polygon[0].length === 0) continue;
      parts.push(new PreparedPolygon(polygon));
      partCellList.push(sorted);
    }
  });
  const tree = new Flatbush(Math.max(1, parts.length));
  for (const p of parts) tree.add(p.bbox[0], p.bbox[1], p.bbox[2], p.bbox[3]);
  // Flatbush cannot be empty; a box no real point reaches keeps an empty layer answering "none".
  if (parts.length === 0) tree.add(1e3, 1e3, 1e3, 1e3);
  tree.finish();
  return { layerId: input.layerId, version: input.version, codes, unitRefs, tree, parts, partCell: Int32Array.from(partCellList) };
}

function answer(l: PreparedLayer, lng: number, lat: number): FusionAnswer {
  let best = -1;
  if (Number.isFinite(lng) && Number.isFinite(lat)) {
    const candidates = l.tree.search(lng, lat, lng, lat);
    for (let k = 0; k < candidates.length; k++) {
      const p = candidates[k] as number;
      const c = l.partCell[p] as number;
      // Cells are sorted by the tie rule: a candidate after the best so far cannot win, skip its test.
      if (best !== -1 && c >= best) continue;
      if ((l.parts[p] as PreparedPolygon).locate(lng, lat) !== 'outside') best = c;
    }
  }
  if (best === -1) return { layerId: l.layerId, none: true };
  return { layerId: l.layerId, version: l.version, code: l.codes[best] as string, unitRef: l.unitRefs[best] ?? null };
}
