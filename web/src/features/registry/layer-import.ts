// What the import screen does with a file before the server sees it: parse it, find its property names
// (for the code and unit field choices), suggest a layer name, and convert it to WGS-84 for the preview.
// The server validates and converts again on import; nothing here decides whether a layer is accepted.
import gcoord from 'gcoord';
import type { Crs, Finding } from './registry-api';
import type { PreviewFeatureCollection } from './map/preview-map';

export type InspectedFile =
  | {
      ok: true;
      json: unknown;
      featureCount: number;
      /** Property names seen in the features, most frequent first. */
      propertyKeys: string[];
      collection: PreviewFeatureCollection;
    }
  /** Not JSON, or JSON that is not a FeatureCollection: the reason as an i18n key of registry.import. */
  | { ok: false; reason: 'notJson' | 'notFeatureCollection'; detail?: string };

/** Parses a GeoJSON text and describes it. */
export function inspectGeoJson(text: string): InspectedFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: 'notJson', detail: e instanceof Error ? e.message : String(e) };
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    (json as { type?: unknown }).type !== 'FeatureCollection' ||
    !Array.isArray((json as { features?: unknown }).features)
  ) {
    return { ok: false, reason: 'notFeatureCollection' };
  }
  const features = (json as { features: unknown[] }).features;
  const counts = new Map<string, number>();
  for (const f of features.slice(0, 2000)) {
    const props = (f as { properties?: unknown } | null)?.properties;
    if (typeof props !== 'object' || props === null) continue;
    for (const key of Object.keys(props)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const propertyKeys = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k]) => k);
  return {
    ok: true,
    json,
    featureCount: features.length,
    propertyKeys,
    collection: json as PreviewFeatureCollection,
  };
}

/** The code field to offer first: `code` when the file has it, else a likely-named one. */
export function suggestCodeField(keys: readonly string[]): string | undefined {
  const preferred = ['code', 'CODE', 'gridCode', 'grid_code', 'bm', 'BM', 'id', 'ID'];
  return preferred.find((k) => keys.includes(k));
}

/** A layer name the server accepts (letter first, then letters, digits, - and _), from a file name. */
export function suggestLayerName(fileName: string): string {
  const base = fileName
    .replace(/\.(geo)?json$/i, '')
    .replace(/[^a-zA-Z0-9_-]+/g, '-')
    .replace(/^[^a-zA-Z]+/, '');
  const name = base.slice(0, 40).replace(/-+$/, '');
  return name.length >= 2 ? name : '';
}

/** At most this many cells are drawn in the preview (a unit grid has tens of thousands). */
export const PREVIEW_MAX_CELLS = 20_000;

/** The file's cells in WGS-84 for the preview map (a copy; the file sent to the server is unchanged). */
export function previewCollection(fc: PreviewFeatureCollection, crs: Crs): PreviewFeatureCollection {
  const features = fc.features
    .slice(0, PREVIEW_MAX_CELLS)
    .filter((f) => f && typeof f.geometry === 'object' && f.geometry !== null);
  const copy: PreviewFeatureCollection = structuredClone({ type: 'FeatureCollection', features });
  if (crs === 'wgs84') return copy;
  const from = crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
  try {
    // gcoord's types want its own GeoJSON shapes; ours is the same structure.
    return gcoord.transform(copy as never, from, gcoord.WGS84) as unknown as PreviewFeatureCollection;
  } catch {
    return copy; // malformed coordinates: the server's report says what is wrong; show what we can
  }
}

/** Findings largest area first (those without an area last), the order an inspector works in. */
export const byAreaDesc = (a: Finding, b: Finding): number => (b.areaM2 ?? -1) - (a.areaM2 ?? -1);

/** Counts of findings per kind. */
export function countFindings(findings: readonly Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}
