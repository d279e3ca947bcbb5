import type { MigrationSet } from '../platform/db/migrate.js';
import * as m202611291600 from './202611291600_create_platform.js';
import * as m202611291700 from './202611291700_create_registry.js';
import * as m202611291800 from './202611291800_create_intake.js';

/** Every migration, by its timestamped name. Add one line per new migration file. */
export const migrations: MigrationSet = {
  '202611291600_create_platform': m202611291600,
  '202611291700_create_registry': m202611291700,
  '202611291800_create_intake': m202611291800,
};
