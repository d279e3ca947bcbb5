import type { MigrationSet } from '../platform/db/migrate.js';
import * as m202611291600 from './202611291600_create_platform.js';

/** Every migration, by its timestamped name. Add one line per new migration file. */
export const migrations: MigrationSet = {
  '202611291600_create_platform': m202611291600,
};
