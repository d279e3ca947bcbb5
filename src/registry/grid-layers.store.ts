import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { GridCellTable, GridLayerTable, GridLayerVersionTable } from './registry.tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export const findLayerByName = (db: Q, name: string) =>
  db.selectFrom('grid_layer').selectAll().where('name', '=', name).executeTakeFirst();

export async function insertLayer(db: Q, row: GridLayerTable): Promise<void> {
  await db.insertInto('grid_layer').values(row).execute();
}

export async function setCurrentVersion(db: Q, layerId: string, version: number, at: string): Promise<void> {
  await db.updateTable('grid_layer').set({ current_version: version, updated_at: at }).where('id', '=', layerId).execute();
}

export async function latestVersionNumber(db: Q, layerId: string): Promise<number> {
  const r = await db
    .selectFrom('grid_layer_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('layer_id', '=', layerId)
    .executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function insertVersion(db: Q, row: GridLayerVersionTable): Promise<void> {
  await db.insertInto('grid_layer_version').values(row).execute();
}

/** Inserts cells in batches that stay under both dialects' bound-parameter limits. */
export async function insertCells(db: Q, rows: GridCellTable[], onBatch?: (done: number) => void): Promise<void> {
  const batch = 400; // 13 columns × 400 = 5,200 parameters
  for (let i = 0; i < rows.length; i += batch) {
    await db.insertInto('grid_cell').values(rows.slice(i, i + batch)).execute();
    onBatch?.(Math.min(i + batch, rows.length));
  }
}

export const listLayers = (db: Q) =>
  db
    .selectFrom('grid_layer as l')
    .leftJoin('grid_layer_version as v', (j) => j.onRef('v.layer_id', '=', 'l.id').onRef('v.version', '=', 'l.current_version'))
    .select([
      'l.id',
      'l.name',
      'l.title',
      'l.title_en',
      'l.current_version',
      'l.generated',
      'l.updated_at',
      'v.id as version_id',
      'v.cell_count',
      'v.findings',
      'v.source_crs',
      'v.source_name',
      'v.imported_at',
    ])
    .orderBy('l.name')
    .execute();

export const listVersions = (db: Q, layerId: string) =>
  db.selectFrom('grid_layer_version').selectAll().where('layer_id', '=', layerId).orderBy('version', 'desc').execute();

export const findVersion = (db: Q, layerId: string, version: number) =>
  db.selectFrom('grid_layer_version').selectAll().where('layer_id', '=', layerId).where('version', '=', version).executeTakeFirst();

export function cellsOfVersion(db: Q, versionId: string, bbox?: [number, number, number, number]) {
  let q = db.selectFrom('grid_cell').selectAll().where('layer_version_id', '=', versionId).orderBy('code');
  if (bbox) {
    q = q.where('max_lng', '>=', bbox[0]).where('min_lng', '<=', bbox[2]).where('max_lat', '>=', bbox[1]).where('min_lat', '<=', bbox[3]);
  }
  return q.execute();
}

/** The cells of every layer's current version, for the routing index. */
export const currentCells = (db: Q) =>
  db
    .selectFrom('grid_cell as c')
    .innerJoin('grid_layer_version as v', 'v.id', 'c.layer_version_id')
    .innerJoin('grid_layer as l', (j) => j.onRef('l.id', '=', 'v.layer_id').onRef('l.current_version', '=', 'v.version'))
    .select(['l.name as layer', 'v.id as version_id', 'v.version', 'c.code', 'c.unit_id', 'c.unit_ref', 'c.geometry'])
    .execute();

/** Org units by code, for mapping a layer's unit field to units. */
export const unitIdsByCode = async (db: Q): Promise<Map<string, string>> => {
  const rows = await db.selectFrom('org_unit').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
};
