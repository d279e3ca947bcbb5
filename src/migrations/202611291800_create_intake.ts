import type { Kysely } from 'kysely';

// Intake and routing: immutable reports from every channel, their photos, idempotency records,
// responsibility rules, and the minimal case a report joins (the case loop itself extends it later).

export async function up(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations never depend on today's types
  await db.schema
    .createTable('case_file') // "case" is a reserved word in SQL
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull()) // open | closed | voided … (the loop refines it)
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('category_key', 'text', (c) => c.references('category.key'))
    .addColumn('lng', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('responsible_unit_id', 'text', (c) => c.references('org_unit.id'))
    .addColumn('unit_path', 'text') // the responsible unit's path, for scoped queries
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('case_file_status_category').on('case_file').columns(['status', 'category_key']).execute();
  await db.schema.createIndex('case_file_unit_path').on('case_file').column('unit_path').execute();

  await db.schema
    .createTable('report')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tracking_code', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source_ticket_id', 'text') // the source's own id (12345 ticket, Open311 token …)
    .addColumn('category_key', 'text', (c) => c.references('category.key'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('lng', 'double precision') // WGS-84
    .addColumn('lat', 'double precision')
    .addColumn('source_crs', 'text')
    .addColumn('source_lng', 'double precision') // as submitted, before conversion
    .addColumn('source_lat', 'double precision')
    .addColumn('accuracy_m', 'double precision')
    .addColumn('address', 'text')
    .addColumn('compound_id', 'text', (c) => c.references('compound.id'))
    .addColumn('observed_at', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitted_by', 'text') // user or API key id; null for anonymous residents
    .addColumn('routing', 'text', (c) => c.notNull()) // JSON: every layer's cell and version at receipt
    .addColumn('responsible_unit_id', 'text', (c) => c.references('org_unit.id'))
    .addColumn('rule_id', 'text')
    .addColumn('triage_unit_id', 'text', (c) => c.references('org_unit.id'))
    .addColumn('triage_reason', 'text')
    .addColumn('unit_path', 'text', (c) => c.notNull()) // path of the responsible or triage unit, for scope
    .addColumn('case_id', 'text', (c) => c.references('case_file.id'))
    .addColumn('extra', 'text') // JSON: channel-specific fields (dual report, Open311 attributes …)
    .execute();
  await db.schema.createIndex('report_source_ticket').on('report').columns(['channel', 'source_ticket_id']).unique().execute();
  await db.schema.createIndex('report_unit_path').on('report').columns(['unit_path', 'received_at']).execute();
  await db.schema.createIndex('report_case').on('report').column('case_id').execute();
  await db.schema.createIndex('report_triage').on('report').columns(['triage_unit_id', 'received_at']).execute();

  await db.schema
    .createTable('attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('original_sha256', 'text', (c) => c.notNull()) // evidence: the hash of what was captured
    .addColumn('served_sha256', 'text', (c) => c.notNull()) // the copy without EXIF that others see
    .addColumn('thumb_sha256', 'text')
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('report_id', 'text', (c) => c.references('report.id'))
    .addColumn('case_id', 'text', (c) => c.references('case_file.id'))
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachment_report').on('attachment').column('report_id').execute();

  await db.schema
    .createTable('idempotency_record')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull()) // who: user / API key id, or 'anonymous:<client>'
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_record_pk', ['key', 'principal'])
    .execute();

  await db.schema
    .createTable('responsibility_rule')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('category_key', 'text') // a category, or
    .addColumn('major_code', 'text') // a major class (kind + ':' + 2-digit code), or neither: every category
    .addColumn('area_kind', 'text', (c) => c.notNull()) // everywhere | unit | cell
    .addColumn('area_unit_id', 'text', (c) => c.references('org_unit.id'))
    .addColumn('area_layer', 'text')
    .addColumn('area_cell_code', 'text')
    .addColumn('lead', 'text', (c) => c.notNull()) // JSON: a fixed unit, or how to find it from the point's cells
    .addColumn('assisting', 'text', (c) => c.notNull()) // JSON array of the same
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- see up()
  for (const t of ['responsibility_rule', 'idempotency_record', 'attachment', 'report', 'case_file']) await db.schema.dropTable(t).execute();
}
