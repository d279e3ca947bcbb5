import type { Kysely } from 'kysely';

// The case loop on top of intake's minimal case_file: the full loop state (src/cases/case-loop.ts CaseState,
// kept as JSON with the columns queries filter and sort on projected beside it), flow records, the
// enforcement procedure, time limits and calendar overrides as data, ratings, followers and alerts.

const CASE_COLUMNS: [string, 'text' | 'integer', ((c: any) => any)?][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any -- column builder callbacks
  ['channel', 'text'], // channel of the first report
  ['parent_category_key', 'text'],
  ['area_grade', 'text'], // A | B | C | null
  ['under_way', 'integer', (c) => c.notNull().defaultTo(0)],
  ['handling_unit_id', 'text'], // second-level dispatch (二级派遣) target, else = responsible unit
  ['handling_unit_path', 'text'], // its path, for "my unit's tasks" queries
  ['step_started_at', 'text'],
  ['due_at', 'text'], // current step's deadline as a UTC ISO instant (sortable); null when none
  ['reporter_due_at', 'text'], // 第26条 deadline to tell the reporter, UTC ISO; null when told or none
  ['overdue_since', 'text'], // set by the overdue sweep when due_at passed unmet; cleared by a move
  ['escalation_level', 'integer', (c) => c.notNull().defaultTo(0)], // 0 none, 1 squad leader, 2 bureau
  ['state', 'text'], // JSON CaseState (the pure rules' input); columns above are projections of it
];

export async function up(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations never depend on today's types
  for (const [name, type, build] of CASE_COLUMNS) {
    await db.schema.alterTable('case_file').addColumn(name, type, build ?? ((c) => c)).execute();
  }
  // Intake wrote 'open' before the loop existed; the loop calls a live case 'active' (open = 立案).
  await db.updateTable('case_file').set({ status: 'active' }).where('status', '=', 'open').execute();
  await db.schema.createIndex('case_file_due').on('case_file').columns(['status', 'due_at']).execute();
  // The deadline sweep's second pass: 第26条 reporter deadlines not yet met.
  await db.schema.createIndex('case_file_reporter_due').on('case_file').columns(['status', 'reporter_due_at']).execute();
  await db.schema.createIndex('case_file_opened').on('case_file').columns(['opened_at', 'id']).execute();
  await db.schema.createIndex('case_file_step').on('case_file').columns(['step', 'opened_at']).execute();
  // The case list's commonest page: live cases newest first (scan in order, stop at the page).
  await db.schema.createIndex('case_file_status_opened').on('case_file').columns(['status', 'opened_at']).execute();
  // Intake's duplicate check (same category, within 50 m): equality on the category, a range on latitude.
  await db.schema.createIndex('case_file_near').on('case_file').columns(['category_key', 'lat', 'lng']).execute();
  await db.schema.createIndex('case_file_handling').on('case_file').columns(['handling_unit_id', 'status']).execute();

  await db.schema
    .createTable('case_flow') // one row per move: GB/T 30428 flow record
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('seq', 'integer', (c) => c.notNull()) // 1, 2, … per case
    .addColumn('track', 'text', (c) => c.notNull()) // loop | enforcement
    .addColumn('step', 'text', (c) => c.notNull()) // step the move was made in
    .addColumn('move', 'text', (c) => c.notNull())
    .addColumn('to_step', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text')
    .addColumn('role', 'text')
    .addColumn('unit_id', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text') // JSON Deadline with its rule and legal basis
    .addColumn('on_time', 'integer') // 1 | 0 | null (not timed)
    .addColumn('note', 'text')
    .addColumn('reason', 'text')
    .addColumn('target_unit_id', 'text')
    .addColumn('attachments', 'text', (c) => c.notNull()) // JSON array of attachment ids
    .addColumn('detail', 'text') // JSON: move-specific fields (extension, category change, documents …)
    .execute();
  await db.schema.createIndex('case_flow_case_seq').on('case_flow').columns(['case_id', 'seq']).unique().execute();
  await db.schema.createIndex('case_flow_actor').on('case_flow').columns(['actor_id', 'ended_at']).execute();

  await db.schema
    .createTable('case_enforcement') // the penalty procedure of a case (src/cases/enforcement.ts)
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('case_file.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // JSON EnforcementState
    .addColumn('due_at', 'text') // nearest legal deadline, UTC ISO
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('time_limit') // src/cases/time-limits.ts TimeLimitEntry, edited in the console
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull()) // category key, major class key or '*'
    .addColumn('grade', 'text', (c) => c.notNull()) // A | B | C | '*'
    .addColumn('step', 'text', (c) => c.notNull()) // LimitStep
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull()) // day | workday | hour | workhour
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('time_limit_key').on('time_limit').columns(['scope', 'grade', 'step']).unique().execute();

  await db.schema
    .createTable('calendar_override') // the bureau's holiday / make-up workday table
    .addColumn('date', 'text', (c) => c.primaryKey()) // YYYY-MM-DD
    .addColumn('kind', 'text', (c) => c.notNull()) // holiday | workday
    .addColumn('name', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createTable('calendar_year') // years the override table covers fully (CalendarOverrides.years)
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_rating') // satisfaction (满意度) after close
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('round', 'integer', (c) => c.notNull()) // the case's reopen count when rated: one rating per close
    .addColumn('rating', 'text', (c) => c.notNull()) // satisfied | basicallySatisfied | dissatisfied
    .addColumn('comment', 'text')
    .addColumn('source', 'text', (c) => c.notNull()) // reporter | callback
    .addColumn('report_id', 'text', (c) => c.references('report.id'))
    .addColumn('rated_by', 'text') // user id for a callback; null for the reporter
    .addColumn('rated_at', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text') // responsible unit at close
    .addColumn('category_key', 'text')
    .addColumn('month', 'text', (c) => c.notNull()) // YYYY-MM in Shanghai, of rated_at
    .addColumn('handled_at', 'text') // when a squad leader dealt with a dissatisfied rating
    .execute();
  await db.schema.createIndex('case_rating_round').on('case_rating').columns(['case_id', 'round']).unique().execute();
  await db.schema.createIndex('case_rating_month').on('case_rating').columns(['month', 'unit_id']).execute();

  await db.schema
    .createTable('case_follower') // a resident who follows an open case instead of filing a duplicate
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('tracking_code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_follower_case').on('case_follower').column('case_id').execute();

  await db.schema
    .createTable('case_alert') // reminders, overdue marks and escalations; one per dedupe key
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique()) // e.g. warn:<caseId>:<step>:<due>
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // warn | overdue | escalateLeader | escalateBureau | dissatisfied
    .addColumn('unit_id', 'text', (c) => c.notNull()) // whose inbox
    .addColumn('role', 'text') // which role in that unit, null = anyone there
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('case_alert_inbox').on('case_alert').columns(['unit_id', 'read_at', 'created_at']).execute();
  await db.schema.createIndex('case_alert_case').on('case_alert').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- see up()
  for (const t of ['case_alert', 'case_follower', 'case_rating', 'calendar_year', 'calendar_override', 'time_limit', 'case_enforcement', 'case_flow'])
    await db.schema.dropTable(t).execute();
  for (const i of ['case_file_due', 'case_file_reporter_due', 'case_file_opened', 'case_file_step', 'case_file_status_opened', 'case_file_near', 'case_file_handling']) await db.schema.dropIndex(i).execute();
  for (const [name] of [...CASE_COLUMNS].reverse()) await db.schema.alterTable('case_file').dropColumn(name).execute();
}
