import type { Command } from 'commander';
import { register as registerServe } from './serve.js';
import { register as registerMigrate } from './migrate.js';
import { register as registerUsers } from './users.js';
import { register as registerAudit } from './audit.js';
import { register as registerImport } from './import.js';
import { register as registerImportReports } from './import-reports.js';
import { register as registerDemo } from './demo.js';
import { register as registerExport } from './export.js';
import { register as registerOrg } from './org.js';
import { register as registerDeadline } from './deadline.js';
import { register as registerCategories } from './categories.js';
import { register as registerRegistry } from './registry.js';
import { register as registerMatching } from './matching.js';

/** Every subcommand, in the order `onegrid --help` lists them. Add one line per command file. */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerMigrate(program);
  registerUsers(program);
  registerAudit(program);
  registerImport(program);
  registerImportReports(program); // after registerImport: adds `import reports`
  registerDemo(program);
  registerExport(program);
  registerOrg(program);
  registerDeadline(program);
  registerCategories(program);
  registerRegistry(program);
  registerMatching(program);
}
