import type { Command } from 'commander';
import { withDeps } from '../context.js';
import { executedMigrations } from '../../platform/db/migrate.js';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('Run every pending database migration (also done by serve) and list what has run')
    .action(async () => {
      await withDeps(async (deps) => {
        const names = await executedMigrations(deps.database.db);
        process.stdout.write(`database (${deps.database.dialect}) is at the latest migration; ${names.length} applied:\n`);
        for (const n of names) process.stdout.write(`  ${n}\n`);
      });
    });
}
