/**
 * Grid layers (网格图层) on import: parse and check a GeoJSON layer before it becomes a version of a
 * `gridLayer`. Pure: the parsed JSON comes in, WGS-84 cells and findings come out; the service stores them.
 *
 * Refused outright (DomainError 'Invalid', messageKey 'gridLayerInvalid', details.reason says why): not a
 * FeatureCollection, no features, a geometry that is not Polygon/MultiPolygon, 3-D or malformed positions,
 * non-finite or out-of-range coordinates, a missing code, and a declared CRS that puts the layer far from
 * the district (messageKey 'gridLayerCrsMismatch'). Everything else is imported and reported as findings:
 * invalid rings, duplicate codes, cells outside the district, gaps, overlaps.
 */
import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';
import { invalid } from '../platform/errors.js';
import { multiPolygonAreaM2 } from './geo/area.js';
import { bboxContains, bboxOfMultiPolygon, bboxOverlapsInterior, emptyBBox, expandBBox, extendBBox } from './geo/bbox.js';
import { bboxPolygon, clipMultiPolygonToBBox } from './geo/clip.js';
import { toWgs84 } from './geo/crs.js';
import { interiorPoint } from './geo/interior.js';
import { locateInMultiPolygon } from './geo/pip.js';
import { PreparedMultiPolygon } from './geo/prepared.js';
import { CRS_VALUES } from './geo/types.js';
import type { BBox, Crs, MultiPolygonCoords, MultiPolygonGeometry, PolygonCoords, Position, Ring } from './geo/types.js';
import { checkRing, closeRing } from './geo/validity.js';

export type GridLayerPhase = 'read' | 'crs' | 'outside' | 'coverage' | 'overlaps';

export interface ParseGridLayerOptions {
  /** The coordinate system the file is drawn in; cells come out in WGS-84. */
  crs: Crs;
  /** Property holding the cell code; default `code`, then the feature's `id`. */
  codeField?: string;
  /** Property holding the responsible unit's reference, if the layer carries one. */
  unitField?: string;
  /** The district (WGS-84); enables the outside, gap-against-district and CRS checks. */
  districtOutline?: MultiPolygonGeometry | MultiPolygonCoords;
  /** Gaps, overlaps and outside parts smaller than this are digitising noise and not reported. Default 1 m². */
  minFindingAreaM2?: number;
  /** Gaps and overlaps below this area are warnings (slivers), above it errors. Default 100 m². */
  sliverAreaM2?: number;
  /** Called as work advances, for long layers. */
  onProgress?: (done: number, total: number, phase: GridLayerPhase) => void;
}

export interface GridCell {
  code: string;
  unitRef?: string;
  /** WGS-84, holes kept, rings closed. */
  geometry: MultiPolygonGeometry;
  bbox: BBox;
  areaM2: number;
  properties: Record<string, unknown>;
}

export type FindingKind = 'invalidRing' | 'duplicateCode' | 'outsideDistrict' | 'gap' | 'overlap';
export type FindingSeverity = 'error' | 'warning';

export interface Finding {
  kind: FindingKind;
  severity: FindingSeverity;
  /** The cells concerned: one for ring and outside findings, the pair for an overlap, none for a gap. */
  cellCodes: string[];
  areaM2?: number;
  /** A representative [lng, lat] (WGS-84) inside the problem area, or where the ring goes wrong. */
  location?: Position;
  message: string;
}

export interface CrsSanity {
  declaredCrs: Crs;
  sampledPoints: number;
  /** Share of sampled vertices inside the district outline, per candidate CRS. */
  shareInside: Record<Crs, number>;
  /** The CRS under which most sampled vertices fall inside the district. */
  bestCrs: Crs;
  /** True when another CRS fits the district clearly better than the declared one. */
  suspect: boolean;
}

export interface GridLayerSummary {
  cellCount: number;
  gapCount: number;
  gapAreaM2: number;
  overlapCount: number;
  overlapAreaM2: number;
  outsideCount: number;
  outsideAreaM2: number;
  /** Gaps / overlaps / outside parts below minFindingAreaM2, counted but not reported. */
  ignored: { gaps: number; overlaps: number; outside: number };
  tiles: number;
  /** Tiles the exact edge-matching test could not clear, checked with polygon clipping. */
  slowTiles: number;
  /** Geometry operations polygon-clipping could not complete (the tile or pair is then not checked). */
  clippingFailures: number;
}

export interface GridLayerParseResult {
  cells: GridCell[];
  findings: Finding[];
  summary: GridLayerSummary;
  crsSanity: CrsSanity | null;
}

type Reason =
  | 'notFeatureCollection'
  | 'noFeatures'
  | 'notFeature'
  | 'geometryType'
  | 'malformedCoordinates'
  | 'coordinates3d'
  | 'coordinateNotFinite'
  | 'coordinateOutOfRange'
  | 'missingCode'
  | 'unknownCrs';

const refuse = (reason: Reason, details: Record<string, unknown> = {}) => invalid('gridLayerInvalid', { reason, ...details });

const CELLS_PER_TILE = 64;
const VERTICES_PER_TILE = 2000;
const CRS_SAMPLE = 2000;
/** "Far" from the district, for the CRS check: about 5 km beyond its bounding box. */
const FAR_DEGREES = 0.05;

/** Parses, converts to WGS-84 and checks a grid layer; throws Invalid for what cannot be imported. */
export function parseGridLayer(input: unknown, options: ParseGridLayerOptions): GridLayerParseResult {
  const { crs, onProgress } = options;
  if (!CRS_VALUES.includes(crs)) throw refuse('unknownCrs', { crs });
  const minArea = options.minFindingAreaM2 ?? 1;
  const sliver = options.sliverAreaM2 ?? 100;
  const outline = options.districtOutline
    ? Array.isArray(options.districtOutline)
      ? options.districtOutline
      : options.districtOutline.coordinates
    : undefined;

  const raw = readFeatures(input, options);
  onProgress?.(raw.length, raw.length, 'read');

  const findings: Finding[] = [];
  const summary: GridLayerSummary = {
    cellCount: 0,
    gapCount: 0,
    gapAreaM2: 0,
    overlapCount: 0,
    overlapAreaM2: 0,
    outsideCount: 0,
    outsideAreaM2: 0,
    ignored: { gaps: 0, overlaps: 0, outside: 0 },
    tiles: 0,
    slowTiles: 0,
    clippingFailures: 0,
  };

  let crsSanity: CrsSanity | null = null;
  if (outline) crsSanity = checkCrs(raw, crs, outline);
  onProgress?.(1, 1, 'crs');

  // Rings: report, close the unclosed, drop what cannot bound an area; then convert to WGS-84.
  const cells: GridCell[] = [];
  for (const f of raw) {
    const polygons: MultiPolygonCoords = [];
    f.coords.forEach((polygon, p) => {
      const kept: PolygonCoords = [];
      polygon.forEach((ring, r) => {
        const problems = checkRing(ring);
        for (const problem of problems) {
          const where = problem.location ? toWgs84(problem.location[0], problem.location[1], crs) : undefined;
          const ringName = `${r === 0 ? 'outer ring' : `hole ${r}`} of polygon ${p}`;
          const message =
            problem.kind === 'notClosed'
              ? `Cell ${f.code}: ${ringName} is not closed; it was closed on import.`
              : problem.kind === 'tooFewPositions'
                ? `Cell ${f.code}: ${ringName} has ${problem.positions} positions (a ring needs at least 4); it was left out.`
                : `Cell ${f.code}: ${ringName} crosses or touches itself (${problem.count} place(s)).`;
          findings.push({
            kind: 'invalidRing',
            severity: problem.kind === 'notClosed' ? 'warning' : 'error',
            cellCodes: [f.code],
            ...(where ? { location: where } : {}),
            message,
          });
        }
        const closed = closeRing(ring);
        if (closed.length < 4) return;
        if (r > 0 && kept.length === 0) return; // the shell was dropped: its holes mean nothing
        kept.push(crs === 'wgs84' ? closed : closed.map(([x, y]) => toWgs84(x, y, crs)));
      });
      if (kept.length > 0) polygons.push(kept);
    });
    if (polygons.length === 0) {
      findings.push({
        kind: 'invalidRing',
        severity: 'error',
        cellCodes: [f.code],
        message: `Cell ${f.code} has no usable polygon and was left out of the layer.`,
      });
      continue;
    }
    cells.push({
      code: f.code,
      ...(f.unitRef === undefined ? {} : { unitRef: f.unitRef }),
      geometry: { type: 'MultiPolygon', coordinates: polygons },
      bbox: bboxOfMultiPolygon(polygons),
      areaM2: multiPolygonAreaM2(polygons),
      properties: f.properties,
    });
  }
  summary.cellCount = cells.length;

  findings.push(...duplicateCodes(cells));

  const index = new Flatbush(Math.max(1, cells.length));
  for (const c of cells) index.add(c.bbox[0], c.bbox[1], c.bbox[2], c.bbox[3]);
  if (cells.length === 0) index.add(0, 0, 0, 0);
  index.finish();

  const ctx: Ctx = { cells, index, findings, summary, minArea, sliver, onProgress };
  if (outline) outsideDistrict(ctx, outline);
  coverage(ctx, outline);

  return { cells, findings, summary, crsSanity };
}

/** The cells back as a GeoJSON FeatureCollection (WGS-84), code and unit written to the given fields. */
export function toGeoJSON(
  cells: readonly GridCell[],
  fields: { codeField?: string; unitField?: string } = {},
): { type: 'FeatureCollection'; features: Array<{ type: 'Feature'; properties: Record<string, unknown>; geometry: MultiPolygonGeometry }> } {
  const codeField = fields.codeField ?? 'code';
  const unitField = fields.unitField ?? 'unitRef';
  return {
    type: 'FeatureCollection',
    features: cells.map((c) => ({
      type: 'Feature' as const,
      properties: { ...c.properties, [codeField]: c.code, ...(c.unitRef === undefined ? {} : { [unitField]: c.unitRef }) },
      geometry: c.geometry,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Reading and refusing

interface RawFeature {
  index: number;
  code: string;
  unitRef?: string;
  /** As given in the file's CRS; rings not yet checked. */
  coords: MultiPolygonCoords;
  properties: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readFeatures(input: unknown, options: ParseGridLayerOptions): RawFeature[] {
  if (!isRecord(input) || input.type !== 'FeatureCollection') {
    throw refuse('notFeatureCollection', { found: isRecord(input) ? String(input.type) : typeof input });
  }
  const features = input.features;
  if (!Array.isArray(features)) throw refuse('notFeatureCollection', { path: 'features' });
  if (features.length === 0) throw refuse('noFeatures');
  return features.map((feature: unknown, i) => {
    const at = `features[${i}]`;
    if (!isRecord(feature) || feature.type !== 'Feature') throw refuse('notFeature', { featureIndex: i, path: at });
    const geometry = feature.geometry;
    const type = isRecord(geometry) ? geometry.type : null;
    if (!isRecord(geometry) || (type !== 'Polygon' && type !== 'MultiPolygon')) {
      throw refuse('geometryType', { featureIndex: i, path: `${at}.geometry`, found: type ?? null });
    }
    const path = `${at}.geometry.coordinates`;
    const coords =
      type === 'Polygon' ? [readPolygon(geometry.coordinates, i, path)] : readMulti(geometry.coordinates, i, path);
    const properties = isRecord(feature.properties) ? feature.properties : {};
    const code = readCode(options.codeField === undefined ? (properties.code ?? feature.id) : properties[options.codeField]);
    if (code === undefined) {
      throw refuse('missingCode', { featureIndex: i, path: `${at}.properties.${options.codeField ?? 'code'}` });
    }
    const unitRef = options.unitField === undefined ? undefined : readCode(properties[options.unitField]);
    return { index: i, code, ...(unitRef === undefined ? {} : { unitRef }), coords, properties };
  });
}

function readCode(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function readMulti(v: unknown, featureIndex: number, path: string): MultiPolygonCoords {
  if (!Array.isArray(v)) throw refuse('malformedCoordinates', { featureIndex, path });
  return v.map((p: unknown, i) => readPolygon(p, featureIndex, `${path}[${i}]`));
}

function readPolygon(v: unknown, featureIndex: number, path: string): PolygonCoords {
  if (!Array.isArray(v) || v.length === 0) throw refuse('malformedCoordinates', { featureIndex, path });
  return v.map((ring: unknown, r) => {
    const ringPath = `${path}[${r}]`;
    if (!Array.isArray(ring)) throw refuse('malformedCoordinates', { featureIndex, path: ringPath });
    return ring.map((pos: unknown, k) => readPosition(pos, featureIndex, `${ringPath}[${k}]`));
  });
}

function readPosition(v: unknown, featureIndex: number, path: string): Position {
  if (!Array.isArray(v) || v.length < 2) throw refuse('malformedCoordinates', { featureIndex, path });
  // Grid cells are flat: a third value (height) means the file is not what we think it is.
  if (v.length > 2) throw refuse('coordinates3d', { featureIndex, path, dimensions: v.length });
  const [x, y] = v as unknown[];
  if (typeof x !== 'number' || typeof y !== 'number') throw refuse('malformedCoordinates', { featureIndex, path });
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw refuse('coordinateNotFinite', { featureIndex, path });
  // Projected metres (e.g. EPSG:3857 or a local grid) or swapped axes land here.
  if (Math.abs(x) > 180 || Math.abs(y) > 90) throw refuse('coordinateOutOfRange', { featureIndex, path, value: [x, y] });
  return [x, y];
}

// ---------------------------------------------------------------------------------------------------
// CRS sanity: a layer declared in the wrong system lands far from the district.

function checkCrs(raw: RawFeature[], declared: Crs, outline: MultiPolygonCoords): CrsSanity {
  const all: Position[] = [];
  for (const f of raw) for (const p of f.coords) for (const r of p) for (const pos of r) all.push(pos);
  const step = Math.max(1, Math.floor(all.length / CRS_SAMPLE));
  const sample = all.filter((_, i) => i % step === 0);
  const prepared = new PreparedMultiPolygon(outline);
  const near = expandBBox(prepared.bbox, FAR_DEGREES);
  const shareInside = {} as Record<Crs, number>;
  const shareNear = {} as Record<Crs, number>;
  for (const crs of CRS_VALUES) {
    let inside = 0;
    let close = 0;
    for (const [x, y] of sample) {
      const [lng, lat] = toWgs84(x, y, crs);
      if (lng >= near[0] && lng <= near[2] && lat >= near[1] && lat <= near[3]) close++;
      if (prepared.locate(lng, lat) !== 'outside') inside++;
    }
    shareInside[crs] = sample.length ? inside / sample.length : 0;
    shareNear[crs] = sample.length ? close / sample.length : 0;
  }
  const bestCrs = CRS_VALUES.reduce((a, b) => (shareInside[b] > shareInside[a] ? b : a), declared);
  if (shareNear[declared] < 0.5) {
    throw invalid('gridLayerCrsMismatch', {
      reason: 'crsMismatch',
      declaredCrs: declared,
      shareNearDistrict: shareNear[declared],
      shareInside,
      ...(shareNear[bestCrs] >= 0.5 && bestCrs !== declared ? { suggestedCrs: bestCrs } : {}),
    });
  }
  // A 300–600 m GCJ-02 shift keeps most points inside; only a clearly better fit is worth a flag.
  const suspect = bestCrs !== declared && shareInside[bestCrs] - shareInside[declared] > 0.1;
  return { declaredCrs: declared, sampledPoints: sample.length, shareInside, bestCrs, suspect };
}

// ---------------------------------------------------------------------------------------------------
// Findings over the whole layer

interface Ctx {
  cells: GridCell[];
  index: Flatbush;
  findings: Finding[];
  summary: GridLayerSummary;
  minArea: number;
  sliver: number;
  onProgress: ParseGridLayerOptions['onProgress'];
}

function duplicateCodes(cells: GridCell[]): Finding[] {
  const byCode = new Map<string, number>();
  for (const c of cells) byCode.set(c.code, (byCode.get(c.code) ?? 0) + 1);
  const out: Finding[] = [];
  for (const [code, n] of byCode) {
    if (n > 1) {
      out.push({ kind: 'duplicateCode', severity: 'error', cellCodes: [code], message: `Code ${code} is used by ${n} cells.` });
    }
  }
  return out;
}

/** Cells wholly or partly outside the district, with the area outside. */
function outsideDistrict(ctx: Ctx, outline: MultiPolygonCoords): void {
  const prepared = new PreparedMultiPolygon(outline);
  // Outline edges in a flatbush: a cell whose box meets no edge is wholly inside or wholly outside.
  const edges: Array<[number, number, number, number]> = [];
  for (const polygon of outline) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i] as Position;
        const b = ring[i + 1] as Position;
        edges.push([Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])]);
      }
    }
  }
  const edgeIndex = new Flatbush(Math.max(1, edges.length));
  for (const e of edges) edgeIndex.add(e[0], e[1], e[2], e[3]);
  if (edges.length === 0) edgeIndex.add(0, 0, 0, 0);
  edgeIndex.finish();

  const { cells } = ctx;
  cells.forEach((cell, i) => {
    if (i % 1000 === 0) ctx.onProgress?.(i, cells.length, 'outside');
    const b = cell.bbox;
    let outsideArea = 0;
    let where: Position | undefined;
    const first = cell.geometry.coordinates[0]?.[0]?.[0];
    if (!first) return;
    if (edgeIndex.search(b[0], b[1], b[2], b[3]).length === 0) {
      if (prepared.locate(first[0], first[1]) !== 'outside') return;
      outsideArea = cell.areaM2;
      where = interiorPoint(cell.geometry.coordinates);
    } else {
      const local = clipMultiPolygonToBBox(outline, expandBBox(b, 1e-9));
      const part =
        local.length === 0
          ? cell.geometry.coordinates
          : clip(ctx, (snap) => polygonClipping.difference(snap(cell.geometry.coordinates), snap(local)));
      if (!part || part.length === 0) return;
      outsideArea = multiPolygonAreaM2(part);
      where = interiorPoint(part);
    }
    if (outsideArea < ctx.minArea) {
      ctx.summary.ignored.outside++;
      return;
    }
    const wholly = outsideArea >= cell.areaM2 * 0.999;
    ctx.summary.outsideCount++;
    ctx.summary.outsideAreaM2 += outsideArea;
    ctx.findings.push({
      kind: 'outsideDistrict',
      severity: wholly ? 'error' : 'warning',
      cellCodes: [cell.code],
      areaM2: outsideArea,
      ...(where ? { location: where } : {}),
      message: wholly
        ? `Cell ${cell.code} lies wholly outside the district (${fmt(outsideArea)} m²).`
        : `Cell ${cell.code} reaches ${fmt(outsideArea)} m² beyond the district.`,
    });
  });
  ctx.onProgress?.(cells.length, cells.length, 'outside');
}

/**
 * Gaps and overlaps, tile by tile so that it scales.
 *
 * Fast path, exact: orient every shell counter-clockwise and every hole clockwise (the district outline,
 * when given, the other way round) and cancel each directed edge a→b against a b→a of another ring. The
 * number of cells covering a point (minus one inside the district) can only change across an edge that
 * did not cancel; so in a tile that no such edge touches it is constant, and one point test tells whether
 * the tile is covered exactly once. A unit grid drawn with shared vertices passes almost everywhere.
 *
 * Slow path, for the other tiles: U = union of the cells clipped to the tile (polygon-clipping); the
 * domain's part of the tile minus U is uncovered; Σ area(cell ∩ tile) − area(U) > 0 means cells overlap
 * there, and only those tiles pay for pairwise intersections. Uncovered pieces of all tiles are unioned
 * once at the end, which rejoins gaps cut by tile borders; without an outline the domain is the layer's box
 * plus a margin, and the piece reaching the box's border is the world outside the layer, not a gap.
 */
function coverage(ctx: Ctx, outline: MultiPolygonCoords | undefined): void {
  const { cells, index, summary } = ctx;
  if (cells.length === 0) return;
  const layerBox = cells.reduce((box, c) => extendBBox(extendBBox(box, c.bbox[0], c.bbox[1]), c.bbox[2], c.bbox[3]), emptyBBox());
  const margin = Math.max(layerBox[2] - layerBox[0], layerBox[3] - layerBox[1]) * 0.01 + 1e-6;
  const domainBox: BBox = outline ? bboxOfMultiPolygon(outline) : expandBBox(layerBox, margin);

  // polygon-clipping's cost grows faster than linearly in segments: keep cells and vertices per tile few.
  let vertices = 0;
  for (const c of cells) for (const p of c.geometry.coordinates) for (const r of p) vertices += r.length;
  const tileCount = Math.max(1, Math.ceil(cells.length / CELLS_PER_TILE), Math.ceil(vertices / VERTICES_PER_TILE));
  const midLat = ((domainBox[1] + domainBox[3]) / 2) * (Math.PI / 180);
  const w = (domainBox[2] - domainBox[0]) * Math.cos(midLat);
  const h = domainBox[3] - domainBox[1];
  const nx = Math.max(1, Math.round(Math.sqrt((tileCount * w) / Math.max(h, 1e-12))));
  const ny = Math.max(1, Math.ceil(tileCount / nx));
  summary.tiles = nx * ny;
  // Tile borders are computed once per line so that neighbouring tiles share exactly the same numbers.
  const xs = Array.from({ length: nx + 1 }, (_, i) => (i === nx ? domainBox[2] : domainBox[0] + ((domainBox[2] - domainBox[0]) * i) / nx));
  const ys = Array.from({ length: ny + 1 }, (_, j) => (j === ny ? domainBox[3] : domainBox[1] + ((domainBox[3] - domainBox[1]) * j) / ny));

  const loose = unmatchedEdges(cells, outline);
  const preparedOutline = outline ? new PreparedMultiPolygon(outline) : null;

  const uncovered: PolygonCoords[] = [];
  const overlapTiles: BBox[] = [];
  let done = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const tile: BBox = [xs[i] as number, ys[j] as number, xs[i + 1] as number, ys[j + 1] as number];
      ctx.onProgress?.(done++, nx * ny, 'coverage');
      if (loose.search(tile[0], tile[1], tile[2], tile[3]).length === 0) {
        const depth = coverDepth(ctx, tile, preparedOutline);
        if (depth === 0) continue; // covered exactly once, or (without outline) all outside the layer
        if (depth === -1 && !outline) {
          // A tile wholly uncovered: part of the world outside or of a gap bigger than a tile.
          uncovered.push(bboxPolygon(tile));
          continue;
        }
      }
      summary.slowTiles++;
      const domainPart = outline ? clipMultiPolygonToBBox(outline, tile) : [bboxPolygon(tile)];
      const pieces: PolygonCoords[] = [];
      let pieceArea = 0;
      for (const k of index.search(tile[0], tile[1], tile[2], tile[3])) {
        const cell = cells[k] as GridCell;
        const clipped = bboxContains(tile, cell.bbox) ? cell.geometry.coordinates : clipMultiPolygonToBBox(cell.geometry.coordinates, tile);
        if (clipped.length === 0) continue;
        pieceArea += clipped === cell.geometry.coordinates ? cell.areaM2 : multiPolygonAreaM2(clipped);
        pieces.push(...clipped);
      }
      const union = pieces.length > 0 ? clip(ctx, (snap) => polygonClipping.union(snap(pieces))) : [];
      if (union === null) continue;
      const unionArea = multiPolygonAreaM2(union);
      if (pieceArea - unionArea > Math.max(ctx.minArea * 0.5, unionArea * 1e-9)) overlapTiles.push(tile);
      if (domainPart.length === 0) continue;
      const gaps = union.length > 0 ? clip(ctx, (snap) => polygonClipping.difference(snap(domainPart), snap(union))) : domainPart;
      if (gaps) uncovered.push(...gaps);
    }
  }
  ctx.onProgress?.(nx * ny, nx * ny, 'coverage');

  const merged =
    uncovered.length > 1 && nx * ny > 1 ? (clip(ctx, (snap) => polygonClipping.union(snap(uncovered))) ?? uncovered) : uncovered;
  for (const polygon of merged) {
    if (!outline && touchesBox(polygon, domainBox)) continue;
    const area = multiPolygonAreaM2([polygon]);
    if (area < ctx.minArea) {
      summary.ignored.gaps++;
      continue;
    }
    summary.gapCount++;
    summary.gapAreaM2 += area;
    const location = interiorPoint([polygon]);
    ctx.findings.push({
      kind: 'gap',
      severity: area >= ctx.sliver ? 'error' : 'warning',
      cellCodes: [],
      areaM2: area,
      location,
      message: `${fmt(area)} m² ${outline ? 'of the district' : 'enclosed by the layer'} is covered by no cell (near ${fmtPos(location)}).`,
    });
  }

  overlaps(ctx, overlapTiles);
}

/** Directed edges that no opposite edge cancels, in a flatbush of their boxes. */
function unmatchedEdges(cells: GridCell[], outline: MultiPolygonCoords | undefined): Flatbush {
  const net = new Map<string, number>();
  const add = (ring: Ring, sign: 1 | -1) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i] as Position;
      const b = ring[i + 1] as Position;
      if (a[0] === b[0] && a[1] === b[1]) continue;
      const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
      const key = forward ? `${a[0]},${a[1]},${b[0]},${b[1]}` : `${b[0]},${b[1]},${a[0]},${a[1]}`;
      net.set(key, (net.get(key) ?? 0) + (forward ? sign : -sign));
    }
  };
  const addPolygons = (coords: MultiPolygonCoords, sign: 1 | -1) => {
    for (const polygon of coords) {
      polygon.forEach((ring, r) => {
        // Shells counter-clockwise, holes clockwise: then a cell's inside is always left of its edges.
        const ccw = signedArea(ring) > 0;
        const wantCcw = r === 0;
        add(ring, ccw === wantCcw ? sign : sign === 1 ? -1 : 1);
      });
    }
  };
  for (const c of cells) addPolygons(c.geometry.coordinates, 1);
  if (outline) addPolygons(outline, -1);
  const left: number[][] = [];
  for (const [key, n] of net) if (n !== 0) left.push(key.split(',').map(Number));
  const tree = new Flatbush(Math.max(1, left.length));
  for (const [ax, ay, bx, by] of left as Array<[number, number, number, number]>) {
    tree.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
  }
  // An empty tree must still answer searches: one box far outside any coordinate.
  if (left.length === 0) tree.add(1e3, 1e3, 1e3, 1e3);
  tree.finish();
  return tree;
}

/**
 * Cover depth at a point of a tile that no loose edge touches: (cells containing it) − (1 if inside the
 * district), or without an outline (cells containing it) − 1 floored at −1. 0 is healthy. Points that fall
 * on a border are retried elsewhere in the tile (the depth is the same all over it).
 */
function coverDepth(ctx: Ctx, tile: BBox, outline: PreparedMultiPolygon | null): number {
  const tries: Array<[number, number]> = [
    [0.381966, 0.618034],
    [0.723607, 0.276393],
    [0.145898, 0.854102],
    [0.5, 0.5],
  ];
  for (const [fx, fy] of tries) {
    const x = tile[0] + (tile[2] - tile[0]) * fx;
    const y = tile[1] + (tile[3] - tile[1]) * fy;
    let count = 0;
    let onBorder = false;
    for (const k of ctx.index.search(x, y, x, y)) {
      const l = locateInMultiPolygon(x, y, (ctx.cells[k] as GridCell).geometry.coordinates);
      if (l === 'boundary') onBorder = true;
      if (l === 'inside') count++;
    }
    const inDistrict = outline ? outline.locate(x, y) : 'inside';
    if (onBorder || inDistrict === 'boundary') continue;
    if (!outline) return count === 0 ? -1 : count - 1;
    return count - (inDistrict === 'inside' ? 1 : 0);
  }
  return NaN; // undecided: the slow path will look
}

/** Planar signed area (shoelace): positive for counter-clockwise rings. Only its sign is used. */
function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    s += (a[0] - b[0]) * (a[1] + b[1]);
  }
  return s / 2;
}

function overlaps(ctx: Ctx, tiles: BBox[]): void {
  const { cells, index, summary } = ctx;
  const seen = new Set<number>();
  const n = cells.length;
  tiles.forEach((tile, t) => {
    ctx.onProgress?.(t, tiles.length, 'overlaps');
    const inTile = index.search(tile[0], tile[1], tile[2], tile[3]);
    for (const a of inTile) {
      const ca = cells[a] as GridCell;
      for (const b of index.search(ca.bbox[0], ca.bbox[1], ca.bbox[2], ca.bbox[3])) {
        if (b <= a) continue;
        const cb = cells[b] as GridCell;
        if (!bboxOverlapsInterior(ca.bbox, cb.bbox)) continue;
        const key = a * n + b;
        if (seen.has(key)) continue;
        seen.add(key);
        // Clip both to the common box first: their intersection lies inside it, and big cells get small.
        const box: BBox = [
          Math.max(ca.bbox[0], cb.bbox[0]),
          Math.max(ca.bbox[1], cb.bbox[1]),
          Math.min(ca.bbox[2], cb.bbox[2]),
          Math.min(ca.bbox[3], cb.bbox[3]),
        ];
        const pa = clipMultiPolygonToBBox(ca.geometry.coordinates, box);
        const pb = clipMultiPolygonToBBox(cb.geometry.coordinates, box);
        if (pa.length === 0 || pb.length === 0) continue;
        // Box-clipped input can carry zero-width bridges that trip polygon-clipping; the whole cells are
        // the fallback.
        const common =
          clip(ctx, (snap) => polygonClipping.intersection(snap(pa), snap(pb)), false) ??
          clip(ctx, (snap) => polygonClipping.intersection(snap(ca.geometry.coordinates), snap(cb.geometry.coordinates)));
        if (!common || common.length === 0) continue;
        const area = multiPolygonAreaM2(common);
        if (area < ctx.minArea) {
          summary.ignored.overlaps++;
          continue;
        }
        summary.overlapCount++;
        summary.overlapAreaM2 += area;
        const location = interiorPoint(common);
        const codes = [ca.code, cb.code].sort();
        ctx.findings.push({
          kind: 'overlap',
          severity: area >= ctx.sliver ? 'error' : 'warning',
          cellCodes: codes,
          areaM2: area,
          location,
          message: `Cells ${codes[0]} and ${codes[1]} overlap by ${fmt(area)} m² (near ${fmtPos(location)}).`,
        });
      }
    }
  });
  ctx.onProgress?.(tiles.length, tiles.length, 'overlaps');
}

function touchesBox(polygon: PolygonCoords, box: BBox): boolean {
  const shell = polygon[0] as Ring | undefined;
  if (!shell) return false;
  return shell.some(([x, y]) => x <= box[0] || x >= box[2] || y <= box[1] || y >= box[3]);
}

// polygon-clipping can fail on pathological input ("unable to complete output ring"); one bad tile must not
// sink the import, so a failure that survives the retries is counted in the summary and that piece goes
// unchecked.
// When it fails, snapping the input to a 1e-9° (≈0.1 mm) and then a 1e-8° grid usually removes the
// near-degenerate segment behind it; only then is the failure counted (unless the caller has a fallback).
function clip<T>(ctx: Ctx, op: (snap: <G extends MultiPolygonCoords>(g: G) => G) => T, count = true): T | null {
  for (const q of [0, 1e-9, 1e-8]) {
    try {
      return op(q === 0 ? (g) => g : (g) => snapTo(g, q));
    } catch {
      // try again on a coarser grid
    }
  }
  if (count) ctx.summary.clippingFailures++;
  return null;
}

function snapTo<G extends MultiPolygonCoords>(g: G, q: number): G {
  return g.map((p) => p.map((r) => r.map(([x, y]) => [Math.round(x / q) * q, Math.round(y / q) * q]))) as G;
}

const fmt = (m2: number) => (m2 >= 100 ? Math.round(m2).toLocaleString('en-US') : m2.toFixed(1));
const fmtPos = (p: Position) => `${p[0].toFixed(6)}, ${p[1].toFixed(6)}`;

