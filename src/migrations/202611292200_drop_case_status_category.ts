import type { Kysely } from 'kysely';

// Intake's first index on case_file, (status, category_key), has had no query since the cases capability
// added case_file_status_opened (status filters, newest first) and case_file_near (category first, for the
// duplicate check and the category filter). Every new case still paid for it: one more B-tree page dirtied
// per receipt, a few per cent of intake's time (npm run bench -- intake).

export async function up(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations never depend on today's types
  await db.schema.dropIndex('case_file_status_category').execute();
}

export async function down(db: Kysely<any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- see up()
  await db.schema.createIndex('case_file_status_category').on('case_file').columns(['status', 'category_key']).execute();
}
