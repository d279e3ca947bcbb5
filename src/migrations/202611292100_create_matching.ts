import type { Kysely } from 'kysely';

// Matching (issue 6): reports of the illegal-construction family grouped into sites. `site` and
// `site_report` are rebuilt as a whole from the reports and the overrides (src/matching/sites.ts);
// `site_override` holds the dispatchers' splits and joins, which outlive every rebuild; `matching_run`
// records each rebuild and the settings it used (later rebuilds reuse them).

export async function up(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations never depend on today's types
  await db.schema
    .createTable('site')
    .addColumn('id', 'text', (c) => c.primaryKey()) // 'site-' + first report id
    .addColumn('first_report_id', 'text', (c) => c.notNull())
    .addColumn('first_channel', 'text', (c) => c.notNull()) // the first finder
    .addColumn('first_received_at', 'text', (c) => c.notNull())
    .addColumn('last_received_at', 'text', (c) => c.notNull())
    .addColumn('report_count', 'integer', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull()) // JSON string[]
    .addColumn('lng', 'double precision', (c) => c.notNull()) // WGS-84, the first report's point
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('compound_id', 'text')
    .addColumn('property_company_id', 'text') // the company managing the compound
    .addColumn('subdistrict_id', 'text')
    .addColumn('unit_path', 'text', (c) => c.notNull()) // the first report's unit path: scope
    .addColumn('verified', 'integer', (c) => c.notNull()) // 1 once an officer checked a member on site
    .addColumn('verified_at', 'text')
    .addColumn('built_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('site_first_received').on('site').columns(['first_received_at', 'id']).execute();
  await db.schema.createIndex('site_unit_path').on('site').columns(['unit_path']).execute();
  await db.schema.createIndex('site_lng_lat').on('site').columns(['lng', 'lat']).execute();

  await db.schema
    .createTable('site_report')
    .addColumn('report_id', 'text', (c) => c.primaryKey().references('report.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('site.id'))
    .addColumn('seq', 'integer', (c) => c.notNull()) // 1, 2, … in (received_at, report id) order
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('discovered_at', 'text')
    .addColumn('property_company_id', 'text') // the filing company (dual reports)
    .addColumn('place_text', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('links', 'text', (c) => c.notNull()) // JSON Link[]: why it belongs with earlier reports
    .execute();
  await db.schema.createIndex('site_report_site').on('site_report').columns(['site_id', 'seq']).unique().execute();

  await db.schema
    .createTable('site_override')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // split | join
    .addColumn('report_id', 'text', (c) => c.notNull().references('report.id'))
    .addColumn('other_report_id', 'text', (c) => c.references('report.id')) // join only
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('site_override_at').on('site_override').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('matching_run')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('distance_m', 'double precision', (c) => c.notNull())
    .addColumn('window_days', 'integer', (c) => c.notNull())
    .addColumn('reports', 'integer', (c) => c.notNull())
    .addColumn('sites', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('matching_run_at').on('matching_run').columns(['at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- see up()
  for (const t of ['matching_run', 'site_override', 'site_report', 'site']) await db.schema.dropTable(t).execute();
}
