import type { Kysely } from 'kysely';

// The dual report (双报告) and its deliveries, overlay patrols (plans, records, the compounds each covered)
// and duty notices (督促履职通知). Instants are ISO text, booleans integers, lists JSON text.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dual_report')
    .addColumn('report_id', 'text', (c) => c.primaryKey().references('report.id'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('property_company.id'))
    .addColumn('compound_id', 'text', (c) => c.notNull().references('compound.id'))
    .addColumn('building', 'text')
    .addColumn('unit', 'text')
    .addColumn('room', 'text')
    .addColumn('discovered_at', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('under_way', 'integer', (c) => c.notNull())
    .addColumn('dissuasion', 'text') // JSON { at, by, outcome, note, photoIds }; null with no_dissuasion_reason
    .addColumn('no_dissuasion_reason', 'text')
    .addColumn('lag_minutes', 'integer', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dual_report_company')
    .on('dual_report')
    .columns(['company_id', 'reported_at'])
    .execute();
  await db.schema
    .createIndex('dual_report_compound')
    .on('dual_report')
    .columns(['compound_id', 'reported_at'])
    .execute();

  await db.schema
    .createTable('delivery')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('dual_report.report_id'))
    .addColumn('recipient', 'text', (c) => c.notNull()) // squad | illegalConstructionOffice
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('receipt_code', 'text', (c) => c.notNull().unique())
    .addColumn('delivered_at', 'text', (c) => c.notNull())
    .addColumn('ack_deadline', 'text', (c) => c.notNull())
    .addColumn('ack_basis', 'text', (c) => c.notNull())
    .addColumn('on_site_deadline', 'text', (c) => c.notNull())
    .addColumn('on_site_basis', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('on_site_at', 'text')
    .addColumn('on_site_by', 'text')
    .execute();
  await db.schema
    .createIndex('delivery_report')
    .on('delivery')
    .columns(['report_id', 'recipient'])
    .unique()
    .execute();
  await db.schema
    .createIndex('delivery_unit_path')
    .on('delivery')
    .columns(['unit_path', 'delivered_at'])
    .execute();

  await db.schema
    .createTable('patrol_plan')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('officer_ids', 'text', (c) => c.notNull()) // JSON array of app_user ids
    .addColumn('compound_ids', 'text', (c) => c.notNull()) // JSON array
    .addColumn('area', 'text') // GeoJSON Polygon (WGS-84), optional
    .addColumn('weekdays', 'text', (c) => c.notNull()) // JSON array, 1 = Monday … 7 = Sunday
    .addColumn('start_time', 'text', (c) => c.notNull()) // HH:MM Shanghai time
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull()) // civil date
    .addColumn('valid_to', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patrol_plan_unit_path').on('patrol_plan').column('unit_path').execute();

  await db.schema
    .createTable('patrol_record')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.references('patrol_plan.id'))
    .addColumn('officer_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('track', 'text') // GeoJSON LineString (WGS-84), optional
    .addColumn('findings', 'text', (c) => c.notNull()) // JSON array of report ids (channel patrol)
    .execute();
  await db.schema
    .createIndex('patrol_record_unit_path')
    .on('patrol_record')
    .columns(['unit_path', 'started_at'])
    .execute();
  await db.schema
    .createIndex('patrol_record_officer')
    .on('patrol_record')
    .columns(['officer_id', 'started_at'])
    .execute();

  // One row per compound a finished patrol covered: coverage counts are a grouped query on this table.
  await db.schema
    .createTable('patrol_covered')
    .addColumn('record_id', 'text', (c) => c.notNull().references('patrol_record.id'))
    .addColumn('compound_id', 'text', (c) => c.notNull().references('compound.id'))
    .addColumn('started_at', 'text', (c) => c.notNull()) // the record's, copied for the period filter
    .addPrimaryKeyConstraint('patrol_covered_pk', ['record_id', 'compound_id'])
    .execute();
  await db.schema
    .createIndex('patrol_covered_compound')
    .on('patrol_covered')
    .columns(['compound_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('duty_notice')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('property_company.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_unit.id')) // the issuing squad
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('missed', 'text', (c) => c.notNull()) // JSON [{ kind: 'site' | 'report', id }]
    .addColumn('note', 'text')
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addColumn('delivered_by', 'text')
    .addColumn('reply', 'text')
    .addColumn('replied_at', 'text')
    .addColumn('replied_by', 'text')
    .execute();
  await db.schema
    .createIndex('duty_notice_company')
    .on('duty_notice')
    .columns(['company_id', 'issued_at'])
    .execute();
  await db.schema
    .createIndex('duty_notice_unit_path')
    .on('duty_notice')
    .columns(['unit_path', 'issued_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'duty_notice',
    'patrol_covered',
    'patrol_record',
    'patrol_plan',
    'delivery',
    'dual_report',
  ])
    await db.schema.dropTable(t).execute();
}
