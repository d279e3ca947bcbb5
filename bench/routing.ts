// `npm run bench -- routing [--random N] [--seconds S]`: point lookups per second of the fusion index on the
// LA neighbourhood-council layer, beside which-polygon and a plain loop of turf's booleanPointInPolygon over
// the same points in the same run, with the answers compared. benchLayer() takes any layer and points, so the
// demo district's layers can be added beside LA later.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { FusionIndex } from '../src/routing/fusion-index.js';
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
  const la = loadLaLayer();
  const requests = loadLaRequests();
  const cases: Array<{ label: string; points: Float64Array }> = [
    { label: 'LA 311 request points', points: Float64Array.from(requests.flatMap((r) => [r.lng, r.lat])) },
    { label: `random points in the layer's box`, points: randomPoints(randomCount, layerBBox(la)) },
  ];
  const out = process.stdout;
  out.write(`routing bench — node ${process.version}, ${seconds}s per method\n`);
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
  await Promise.resolve();
}
