import type { Logger } from 'pino';
import type { Config } from './platform/config/config.js';
import type { Database } from './platform/db/database.js';
import type { DB } from './schema.js';

/** What services need from the outside world, passed in (no module-level singletons). */
export interface Deps {
  database: Database<DB>;
  config: Config;
  /** The clock; tests pass a fixed one. */
  clock: () => Date;
  logger: Logger;
}
