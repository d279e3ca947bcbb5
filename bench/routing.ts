// `npm run bench -- routing [--random N] [--seconds S] [--only la|demo]`: point lookups per second of the
// fusion index on the LA neighbourhood-council layer, beside which-polygon and a plain loop of turf's
// booleanPointInPolygon over the same points in the same run, with the answers compared; then all six layers
// of the generated demo district (闵行区) at once — one fused lookup per point against one which-polygon
// query per layer — over random points inside the district.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { FusionIndex } from '../src/routing/fusion-index.js';
import { projectRoot } from '../src/platform/config/config.js';
import { DEMO_SEED } from '../src/registry/demo.service.js';
import { generateDemoDistrict, loadMinhangSources } from '../src/registry/demo/index.js';
import type { FusionCellInput } from '../src/routing/fusion-index.js';
import type { MultiPolygonGeometry, PolygonGeometry } from '../src/registry/geo/types.js';

// which-polygon ships CommonJS without typings; this is the part of its API used here.
type WhichPolygonQuery = (p: [number, number]) => Record<string, unknown> | null;
const require = createRequire(import.meta.url);
const whichPolygon = require('which-polygon') as (fc: LayerCollection) => WhichPolygonQuery;

const DATA = new URL('../../shared/data/la-311/', import.meta.url);

export interface LayerCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; properties: Record<string, unknown>; geometry: MultiPolygonGeometry | PolygonGeometry }>;
}

export interface BenchLayer {
  name: string;
  /** The layer as GeoJSON (WGS-84), for the baselines. */
  collection: LayerCollection;
  /** The property that holds each cell's code. */
  codeField: string;
}

/** The LA certified neighbourhood councils, nc_id as code. */
export function loadLaLayer(): BenchLayer {
  const collection = JSON.parse(readFileSync(new URL('nc-certified.geojson', DATA), 'utf8')) as LayerCollection;
  return { name: 'LA neighbourhood councils', collection, codeField: 'nc_id' };
}

export function cellsOf(layer: BenchLayer): FusionCellInput[] {
  return layer.collection.features.map((f) => ({ code: String(f.properties[layer.codeField]), geometry: f.geometry }));
}

export interface LaRequest {
  srnumber: string;
  lng: number;
  lat: number;
  /** The neighbourhood council the city assigned, as text ('' when none). */
  nc: string;
}

/** The 9,999 LA 311 requests of 1–3 Jan 2020 that have coordinates. */
export function loadLaRequests(): LaRequest[] {
  const rows = parseCsv(readFileSync(new URL('requests_2020_sample.csv', DATA), 'utf8'));
  const header = rows[0] ?? [];
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`requests CSV: no column ${name}`);
    return i;
  };
  const [iSr, iLat, iLng, iNc] = [col('srnumber'), col('latitude'), col('longitude'), col('nc')];
  const out: LaRequest[] = [];
  for (const row of rows.slice(1)) {
    const lat = Number(row[iLat]);
    const lng = Number(row[iLng]);
    if (row[iLat] === '' || row[iLng] === '' || !Number.isFinite(lat) || !Number.isFinite(lng)) continue;
    out.push({ srnumber: row[iSr] ?? '', lng, lat, nc: (row[iNc] ?? '').trim() });
  }
  return out;
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Deterministic points spread uniformly over a box (mulberry32, so every run tests the same points). */
export function randomPoints(n: number, box: [number, number, number, number], seed = 20200101): Float64Array {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = box[0] + (box[2] - box[0]) * next();
    out[2 * i + 1] = box[1] + (box[3] - box[1]) * next();
  }
  return out;
}

export interface BenchResult {
  layer: string;
  points: number;
  perSecond: { fusion: number; whichPolygon: number; turfLoop: number };
  turfPoints: number;
  indexBytes: number;
  buildMs: number;
  /** Points where the cells of the layer overlap or meet: the tie rule decides, baselines may differ. */
  ambiguous: number;
  ambiguousDisagreements: { whichPolygon: number; turfLoop: number };
  /** Points held by exactly one cell (or none) where a baseline answered differently: must be 0. */
  disagreements: { whichPolygon: number; turfLoop: number };
}

/** Measures one layer over the given points (x, y pairs). turfPoints caps the slow baseline's share. */
export function benchLayer(layer: BenchLayer, points: Float64Array, opts: { seconds?: number; turfPoints?: number } = {}): BenchResult {
  const seconds = opts.seconds ?? 1;
  const n = points.length / 2;
  const t0 = performance.now();
  const index = FusionIndex.build([{ layerId: 'L', version: 1, cells: cellsOf(layer) }]);
  const buildMs = performance.now() - t0;
  const wp = whichPolygon(layer.collection);
  const features = layer.collection.features;
  const code = (p: Record<string, unknown> | null | undefined) => (p ? String(p[layer.codeField]) : null);

  const fusionAnswer = (i: number) => {
    const a = index.resolveLayer('L', points[2 * i] as number, points[2 * i + 1] as number);
    return 'none' in a ? null : a.code;
  };
  const wpAnswer = (i: number) => code(wp([points[2 * i] as number, points[2 * i + 1] as number]));
  const turfAnswer = (i: number) => {
    const pt: [number, number] = [points[2 * i] as number, points[2 * i + 1] as number];
    for (const f of features) if (booleanPointInPolygon(pt, f.geometry)) return code(f.properties);
    return null;
  };

  const turfPoints = Math.min(n, opts.turfPoints ?? 5000);
  const perSecond = {
    fusion: rate(fusionAnswer, n, seconds),
    whichPolygon: rate(wpAnswer, n, seconds),
    turfLoop: rate(turfAnswer, turfPoints, seconds),
  };

  let ambiguous = 0;
  const ambiguousDisagreements = { whichPolygon: 0, turfLoop: 0 };
  const disagreements = { whichPolygon: 0, turfLoop: 0 };
  for (let i = 0; i < n; i++) {
    const matches = index.matchesInLayer('L', points[2 * i] as number, points[2 * i + 1] as number);
    const tie = matches.length > 1 || matches.some((m) => m.location === 'boundary');
    const ours = fusionAnswer(i);
    const w = wpAnswer(i);
    const t = i < turfPoints ? turfAnswer(i) : ours;
    if (tie) {
      ambiguous++;
      if (w !== ours) ambiguousDisagreements.whichPolygon++;
      if (t !== ours) ambiguousDisagreements.turfLoop++;
    } else {
      if (w !== ours) disagreements.whichPolygon++;
      if (t !== ours) disagreements.turfLoop++;
    }
  }
  return {
    layer: layer.name,
    points: n,
    perSecond,
    turfPoints,
    indexBytes: index.approximateBytes,
    buildMs,
    ambiguous,
    ambiguousDisagreements,
    disagreements,
  };
}

// Repeats the whole pass until `seconds` have gone by, after one warm-up pass for the JIT.
function rate(f: (i: number) => unknown, n: number, seconds: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) if (f(i) !== null) sink++;
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < n; i++) if (f(i) !== null) sink++;
    done += n;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < seconds);
  if (sink < 0) throw new Error('unreachable');
  return done / elapsed;
}

function layerBBox(layer: BenchLayer): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of layer.collection.features) {
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const p of polys) {
      for (const [x, y] of p[0] ?? []) {
        b[0] = Math.min(b[0], x);
        b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x);
        b[3] = Math.max(b[3], y);
      }
    }
  }
  return b;
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) ? v : fallback;
}

export async function run(args: string[]): Promise<void> {
  const randomCount = flag(args, '--random', 100_000);
  const seconds = flag(args, '--seconds', 1);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  const out = process.stdout;
  out.write(`routing bench — node ${process.version}, ${seconds}s per method\n`);
  if (only !== 'demo') runLa(randomCount, seconds);
  if (only !== 'la') await runDemo(randomCount, seconds);
}

function runLa(randomCount: number, seconds: number): void {
  const la = loadLaLayer();
  const requests = loadLaRequests();
  const cases: Array<{ label: string; points: Float64Array }> = [
    { label: 'LA 311 request points', points: Float64Array.from(requests.flatMap((r) => [r.lng, r.lat])) },
    { label: `random points in the layer's box`, points: randomPoints(randomCount, layerBBox(la)) },
  ];
  const out = process.stdout;
  for (const c of cases) {
    const r = benchLayer(la, c.points, { seconds });
    const f = (v: number) => Math.round(v).toLocaleString('en-US').padStart(11);
    out.write(`\n${r.layer} — ${c.label} (${r.points.toLocaleString('en-US')} points; turf on the first ${r.turfPoints})\n`);
    out.write(`  fusion index       ${f(r.perSecond.fusion)} lookups/s   (build ${r.buildMs.toFixed(0)} ms, ~${(r.indexBytes / 1024 / 1024).toFixed(2)} MiB)\n`);
    out.write(`  which-polygon      ${f(r.perSecond.whichPolygon)} lookups/s   fusion is ×${(r.perSecond.fusion / r.perSecond.whichPolygon).toFixed(1)}\n`);
    out.write(`  turf loop          ${f(r.perSecond.turfLoop)} lookups/s   fusion is ×${(r.perSecond.fusion / r.perSecond.turfLoop).toFixed(1)}\n`);
    out.write(
      `  answers: ${r.disagreements.whichPolygon} / ${r.disagreements.turfLoop} differ (which-polygon / turf) where one cell or none holds the point;\n` +
        `  ${r.ambiguous} points lie where cells overlap or on a border — the fusion rule (smallest code wins) decides there;\n` +
        `  on those which-polygon differs ${r.ambiguousDisagreements.whichPolygon}×, the turf loop (first feature in file order) ${r.ambiguousDisagreements.turfLoop}×\n`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// The demo district: every layer at once
// ---------------------------------------------------------------------------------------------------------

/** The six layers of the generated demo district (the same seed and geometry `onegrid demo` stores). */
export async function loadDemoLayers(): Promise<BenchLayer[]> {
  const d = generateDemoDistrict(await loadMinhangSources(join(projectRoot(), '..', 'shared', 'data')), { seed: DEMO_SEED });
  const layer = (name: string, cells: Array<{ code: string; geometry: MultiPolygonGeometry }>): BenchLayer => ({
    name,
    codeField: 'code',
    collection: { type: 'FeatureCollection', features: cells.map((c) => ({ type: 'Feature', properties: { code: c.code }, geometry: c.geometry })) },
  });
  return [
    layer('district', [{ code: d.district.code, geometry: d.outline }]),
    layer('subdistricts', d.subdistricts),
    layer('communities', d.communities),
    layer('workstationAreas', d.workstationAreas),
    layer('policeGrid', d.policeGrid),
    layer('unitGrid', d.unitGrid),
  ];
}

/** Deterministic random points inside the first layer (the district outline), by rejection from its box. */
export function randomPointsInside(n: number, outline: BenchLayer, seed = 20261129): Float64Array {
  const inside = whichPolygon(outline.collection);
  const out = new Float64Array(n * 2);
  let k = 0;
  for (let round = 0; k < n; round++) {
    const batch = randomPoints(n, layerBBox(outline), seed + round);
    for (let i = 0; i < n && k < n; i++) {
      const x = batch[2 * i] as number;
      const y = batch[2 * i + 1] as number;
      if (inside([x, y]) === null) continue;
      out[2 * k] = x;
      out[2 * k + 1] = y;
      k++;
    }
  }
  return out;
}

export interface FusedBenchResult {
  layers: Array<{ name: string; cells: number; ambiguous: number; ambiguousDisagreements: number; disagreements: number }>;
  points: number;
  /** Points per second, every layer answered for each point. */
  perSecond: { fusion: number; whichPolygon: number };
  indexBytes: number;
  buildMs: { fusion: number; whichPolygon: number };
}

/**
 * One FusionIndex over all layers (one lookup answers every layer) against one which-polygon index per layer
 * (one query per layer), over the same points; answers compared per layer as in benchLayer().
 */
export function benchFused(layers: readonly BenchLayer[], points: Float64Array, opts: { seconds?: number } = {}): FusedBenchResult {
  const seconds = opts.seconds ?? 1;
  const n = points.length / 2;
  let t0 = performance.now();
  const index = FusionIndex.build(layers.map((l) => ({ layerId: l.name, version: 1, cells: cellsOf(l) })));
  const fusionBuild = performance.now() - t0;
  t0 = performance.now();
  const wps = layers.map((l) => whichPolygon(l.collection));
  const wpBuild = performance.now() - t0;

  const fusionAll = (i: number) => index.resolve(points[2 * i] as number, points[2 * i + 1] as number);
  const wpAll = (i: number) => {
    const p: [number, number] = [points[2 * i] as number, points[2 * i + 1] as number];
    return wps.map((q) => q(p));
  };
  const perSecond = { fusion: rate(fusionAll, n, seconds), whichPolygon: rate(wpAll, n, seconds) };

  const stats = layers.map((l) => ({ name: l.name, cells: l.collection.features.length, ambiguous: 0, ambiguousDisagreements: 0, disagreements: 0 }));
  for (let i = 0; i < n; i++) {
    const x = points[2 * i] as number;
    const y = points[2 * i + 1] as number;
    const ours = fusionAll(i);
    const theirs = wpAll(i);
    layers.forEach((l, j) => {
      const s = stats[j]!;
      const a = ours[j]!;
      const mine = 'none' in a ? null : a.code;
      const w = theirs[j];
      const other = w ? String(w[l.codeField]) : null;
      const matches = index.matchesInLayer(l.name, x, y);
      if (matches.length > 1 || matches.some((m) => m.location === 'boundary')) {
        s.ambiguous++;
        if (mine !== other) s.ambiguousDisagreements++;
      } else if (mine !== other) s.disagreements++;
    });
  }
  return { layers: stats, points: n, perSecond, indexBytes: index.approximateBytes, buildMs: { fusion: fusionBuild, whichPolygon: wpBuild } };
}

async function runDemo(randomCount: number, seconds: number): Promise<void> {
  const out = process.stdout;
  const t0 = performance.now();
  const layers = await loadDemoLayers();
  const points = randomPointsInside(randomCount, layers[0]!);
  out.write(`\ndemo district (generated 闵行区, all ${layers.length} layers) — ${randomCount.toLocaleString('en-US')} random points inside the district (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  const r = benchFused(layers, points, { seconds });
  const f = (v: number) => Math.round(v).toLocaleString('en-US').padStart(11);
  const cells = r.layers.reduce((s, l) => s + l.cells, 0);
  out.write(`  fusion index       ${f(r.perSecond.fusion)} points/s, every layer per point   (build ${r.buildMs.fusion.toFixed(0)} ms, ${cells.toLocaleString('en-US')} cells, ~${(r.indexBytes / 1024 / 1024).toFixed(2)} MiB)\n`);
  out.write(`  which-polygon ×${layers.length}   ${f(r.perSecond.whichPolygon)} points/s   (build ${r.buildMs.whichPolygon.toFixed(0)} ms)   fusion is ×${(r.perSecond.fusion / r.perSecond.whichPolygon).toFixed(1)}\n`);
  for (const l of r.layers) {
    out.write(`  ${l.name.padEnd(17)} ${String(l.cells).padStart(6)} cells: ${l.disagreements} answers differ off borders; ${l.ambiguous} points on a border or overlap (which-polygon differs on ${l.ambiguousDisagreements})\n`);
  }
}
