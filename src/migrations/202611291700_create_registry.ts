import type { Kysely } from 'kysely';

// The basic database (城管进社区基础数据库): parties and places beside the org-unit tree, grid layers
// with versions and cells, and the category directory. Conventions as in the platform migration.

export async function up(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations never depend on today's types
  // street (街道) or town (镇) for subdistricts; null for other kinds
  await db.schema.alterTable('org_unit').addColumn('sub_kind', 'text').execute();

  await db.schema
    .createTable('property_company')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().unique().references('org_unit.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.notNull().unique())
    .addColumn('address', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('department')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().unique().references('org_unit.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // police, greening, housing, water, planning, market, ecology, illegalConstructionOffice, data …
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('liaison')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('department_id', 'text', (c) => c.notNull().references('department.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('phone', 'text')
    .addColumn('user_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('liaison_department').on('liaison').column('department_id').execute();

  await db.schema
    .createTable('compound')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lng', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('community_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('property_company_id', 'text', (c) => c.references('property_company.id'))
    .addColumn('owners_committee', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('compound_community').on('compound').column('community_id').execute();
  await db.schema.createIndex('compound_property_company').on('compound').column('property_company_id').execute();

  await db.schema
    .createTable('merchant')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lng', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('subdistrict_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('business', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('merchant_subdistrict').on('merchant').column('subdistrict_id').execute();

  await db.schema
    .createTable('grid_layer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text')
    .addColumn('current_version', 'integer')
    .addColumn('generated', 'integer', (c) => c.notNull().defaultTo(0)) // 1: demo geometry, not official
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('grid_layer_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('layer_id', 'text', (c) => c.notNull().references('grid_layer.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source_name', 'text')
    .addColumn('source_crs', 'text', (c) => c.notNull())
    .addColumn('cell_count', 'integer', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull()) // JSON array of validation findings kept as warnings
    .addColumn('imported_by', 'text')
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('grid_layer_version_layer').on('grid_layer_version').columns(['layer_id', 'version']).unique().execute();

  await db.schema
    .createTable('grid_cell')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('layer_version_id', 'text', (c) => c.notNull().references('grid_layer_version.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('unit_ref', 'text') // the unit as given by the source (code or name)
    .addColumn('unit_id', 'text', (c) => c.references('org_unit.id'))
    .addColumn('name', 'text')
    .addColumn('geometry', 'text', (c) => c.notNull()) // GeoJSON MultiPolygon, WGS-84
    .addColumn('min_lng', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lng', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .addColumn('area_m2', 'double precision', (c) => c.notNull())
    .addColumn('properties', 'text')
    .execute();
  await db.schema.createIndex('grid_cell_version_code').on('grid_cell').columns(['layer_version_id', 'code']).execute();

  await db.schema
    .createTable('category')
    .addColumn('key', 'text', (c) => c.primaryKey()) // kind + ':' + code, e.g. 'event:06001'
    .addColumn('kind', 'text', (c) => c.notNull()) // component (管理部件) | event (管理事项)
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('major_code', 'text', (c) => c.notNull())
    .addColumn('major_name', 'text', (c) => c.notNull())
    .addColumn('major_name_en', 'text')
    .addColumn('parent_key', 'text') // local categories: the standard category they refine
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('local', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('family', 'text') // e.g. illegalConstruction: categories matched into sites
    .addColumn('default_unit_kind', 'text') // squad | workstation | department:<kind>
    .addColumn('default_time_limit', 'text') // e.g. '1 workday', '4 workhour'
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('category_kind_code').on('category').columns(['kind', 'code']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- see up()
  for (const t of ['category', 'grid_cell', 'grid_layer_version', 'grid_layer', 'merchant', 'compound', 'liaison', 'department', 'property_company']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('org_unit').dropColumn('sub_kind').execute();
}
