import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, type Actor } from '../access/roles.js';
import { forbidden, invalid, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { parseGridLayer, type Finding, type GridLayerParseResult, type GridLayerPhase } from './grid-layer.js';
import type { Crs, MultiPolygonCoords, MultiPolygonGeometry } from './geo/types.js';
import {
  cellsOfVersion,
  currentCells,
  findLayerByName,
  findVersion,
  insertCells,
  insertLayer,
  insertVersion,
  latestVersionNumber,
  listLayers,
  listVersions,
  setCurrentVersion,
  unitIdsByCode,
} from './grid-layers.store.js';

/** The layer that holds the district outline; other layers are checked against it. */
export const DISTRICT_LAYER = 'district';
const LAYER_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{1,40}$/;

export interface ImportLayerInput {
  layer: string;
  title?: string;
  titleEn?: string;
  crs: Crs;
  codeField?: string;
  unitField?: string;
  /** Refuse the layer when validation finds anything (else findings are stored as warnings). */
  strict: boolean;
  /** Validate and report only; store nothing. */
  dryRun?: boolean;
  sourceName?: string;
  /** Demo geometry: marked as generated in the console. */
  generated?: boolean;
  geojson: unknown;
}

export interface ImportLayerResult {
  layer: string;
  version: number | null;
  committed: boolean;
  cellCount: number;
  unitsMatched: number;
  findings: Finding[];
  summary: GridLayerParseResult['summary'];
  crsSanity: GridLayerParseResult['crsSanity'];
}

export type ImportPhase = GridLayerPhase | 'store';

/** The district outline (WGS-84) from the district layer's current version, if there is one. */
export async function districtOutline(deps: Pick<Deps, 'database'>): Promise<MultiPolygonCoords | undefined> {
  const layer = await findLayerByName(deps.database.db, DISTRICT_LAYER);
  if (!layer?.current_version) return undefined;
  const v = await findVersion(deps.database.db, layer.id, layer.current_version);
  if (!v) return undefined;
  const cells = await cellsOfVersion(deps.database.db, v.id);
  return cells.flatMap((c) => (JSON.parse(c.geometry) as MultiPolygonGeometry).coordinates);
}

/**
 * Validates a GeoJSON layer (everything is checked before anything is written) and, unless it is a dry
 * run or strict mode finds problems, stores it as the layer's next version in one transaction. Cell units
 * are matched to org units by code. Audited.
 */
export async function importGridLayer(
  deps: Deps,
  ctx: ActionContext,
  input: ImportLayerInput,
  onProgress?: (done: number, total: number, phase: ImportPhase) => void,
): Promise<ImportLayerResult> {
  if (!can(ctx.actor, 'registry:write')) throw forbidden();
  if (!LAYER_NAME.test(input.layer)) throw invalid('gridLayerName', { field: 'layer', layer: input.layer });
  const outline = input.layer === DISTRICT_LAYER ? undefined : await districtOutline(deps);
  const parsed = parseGridLayer(input.geojson, {
    crs: input.crs,
    ...(input.codeField ? { codeField: input.codeField } : {}),
    ...(input.unitField ? { unitField: input.unitField } : {}),
    ...(outline ? { districtOutline: outline } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  const units = await unitIdsByCode(deps.database.db);
  const unitsMatched = parsed.cells.filter((c) => c.unitRef !== undefined && units.has(c.unitRef)).length;
  const base = {
    layer: input.layer,
    cellCount: parsed.cells.length,
    unitsMatched,
    findings: parsed.findings,
    summary: parsed.summary,
    crsSanity: parsed.crsSanity,
  };
  if (input.strict && parsed.findings.length > 0) {
    throw invalid('gridLayerStrictRefused', {
      layer: input.layer,
      findings: parsed.findings.length,
      byKind: countByKind(parsed.findings),
      first: parsed.findings.slice(0, 20),
    });
  }
  if (input.dryRun) return { ...base, version: null, committed: false };

  const now = deps.clock().toISOString();
  const version = await audited(deps, ctx, async (tx, audit) => {
    let layer = await findLayerByName(tx, input.layer);
    if (!layer) {
      layer = {
        id: newId(),
        name: input.layer,
        title: input.title ?? input.layer,
        title_en: input.titleEn ?? null,
        current_version: null,
        generated: input.generated ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      await insertLayer(tx, layer);
    }
    const next = (await latestVersionNumber(tx, layer.id)) + 1;
    const versionId = newId();
    await insertVersion(tx, {
      id: versionId,
      layer_id: layer.id,
      version: next,
      source_name: input.sourceName ?? null,
      source_crs: input.crs,
      cell_count: parsed.cells.length,
      findings: JSON.stringify(parsed.findings),
      imported_by: ctx.actor.id,
      imported_at: now,
    });
    const rows = parsed.cells.map((c) => ({
      id: newId(),
      layer_version_id: versionId,
      code: c.code,
      unit_ref: c.unitRef ?? null,
      unit_id: c.unitRef !== undefined ? (units.get(c.unitRef) ?? null) : null,
      name: typeof c.properties.name === 'string' ? c.properties.name : null,
      geometry: JSON.stringify(c.geometry),
      min_lng: c.bbox[0],
      min_lat: c.bbox[1],
      max_lng: c.bbox[2],
      max_lat: c.bbox[3],
      area_m2: c.areaM2,
      properties: JSON.stringify(c.properties),
    }));
    await insertCells(tx, rows, (done) => onProgress?.(done, rows.length, 'store'));
    await setCurrentVersion(tx, layer.id, next, now);
    await audit({
      action: 'gridLayer.import',
      entity: 'gridLayer',
      entityId: layer.id,
      after: { layer: input.layer, version: next, cells: rows.length, crs: input.crs, findings: countByKind(parsed.findings), source: input.sourceName ?? null },
    });
    return next;
  });
  return { ...base, version, committed: true };
}

export function countByKind(findings: readonly Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}

export async function listGridLayers(deps: Pick<Deps, 'database'>, actor: Actor) {
  if (!can(actor, 'registry:read')) throw forbidden();
  const rows = await listLayers(deps.database.db);
  return rows.map((r) => {
    const findings = r.findings ? (JSON.parse(r.findings) as Finding[]) : [];
    return {
      name: r.name,
      title: r.title,
      titleEn: r.title_en,
      generated: r.generated === 1,
      currentVersion: r.current_version,
      cellCount: r.cell_count ?? 0,
      sourceCrs: r.source_crs ?? null,
      sourceName: r.source_name ?? null,
      importedAt: r.imported_at ?? null,
      findingCounts: countByKind(findings),
    };
  });
}

export async function getGridLayer(deps: Pick<Deps, 'database'>, actor: Actor, name: string) {
  if (!can(actor, 'registry:read')) throw forbidden();
  const layer = await findLayerByName(deps.database.db, name);
  if (!layer) throw notFound('gridLayer', name);
  const versions = await listVersions(deps.database.db, layer.id);
  return {
    name: layer.name,
    title: layer.title,
    titleEn: layer.title_en,
    generated: layer.generated === 1,
    currentVersion: layer.current_version,
    versions: versions.map((v) => ({
      version: v.version,
      cellCount: v.cell_count,
      sourceCrs: v.source_crs,
      sourceName: v.source_name,
      importedAt: v.imported_at,
      findings: JSON.parse(v.findings) as Finding[],
    })),
  };
}

/** A version of a layer as GeoJSON (WGS-84), optionally only the cells touching a bounding box. */
export async function exportGridLayer(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  name: string,
  opts: { version?: number; bbox?: [number, number, number, number] } = {},
) {
  if (!can(actor, 'registry:read')) throw forbidden();
  const layer = await findLayerByName(deps.database.db, name);
  const versionNo = opts.version ?? layer?.current_version ?? undefined;
  const version = layer && versionNo !== undefined ? await findVersion(deps.database.db, layer.id, versionNo) : undefined;
  if (!layer || !version) throw notFound('gridLayer', name);
  const cells = await cellsOfVersion(deps.database.db, version.id, opts.bbox);
  return {
    type: 'FeatureCollection' as const,
    name: layer.name,
    version: version.version,
    crs_note: 'WGS-84 (EPSG:4326)',
    generated: layer.generated === 1,
    features: cells.map((c) => ({
      type: 'Feature' as const,
      properties: { ...(c.properties ? (JSON.parse(c.properties) as Record<string, unknown>) : {}), code: c.code, unitRef: c.unit_ref, unitId: c.unit_id, name: c.name },
      geometry: JSON.parse(c.geometry) as MultiPolygonGeometry,
    })),
  };
}

/** Every current layer version's cells, for building the routing index. */
export async function loadCurrentLayers(deps: Pick<Deps, 'database'>) {
  const rows = await currentCells(deps.database.db);
  const byLayer = new Map<string, { layerId: string; version: number; versionId: string; cells: Array<{ code: string; unitRef?: string; unitId: string | null; geometry: MultiPolygonGeometry }> }>();
  for (const r of rows) {
    let l = byLayer.get(r.layer);
    if (!l) byLayer.set(r.layer, (l = { layerId: r.layer, version: r.version, versionId: r.version_id, cells: [] }));
    l.cells.push({ code: r.code, ...(r.unit_ref ? { unitRef: r.unit_ref } : {}), unitId: r.unit_id, geometry: JSON.parse(r.geometry) as MultiPolygonGeometry });
  }
  return [...byLayer.values()];
}
