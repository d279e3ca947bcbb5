import type { Kysely } from 'kysely';

// Placeholder: filled in by the issue-6 work (see src/migrations/index.ts). Empty migrations run harmlessly.

export async function up(_db: Kysely<any>): Promise<void> {} // eslint-disable-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-function -- migrations never depend on today's types

export async function down(_db: Kysely<any>): Promise<void> {} // eslint-disable-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-function -- see up()
