import type { Deps } from '../deps.js';
import { openDeps, createLogger } from '../app.js';
import { ConfigError, loadConfig } from '../platform/config/config.js';

/** Opens config and database for a CLI command, runs it, and always closes the database. */
export async function withDeps<T>(work: (deps: Deps) => Promise<T>, opts: { logLevel?: 'warn' | 'info' } = {}): Promise<T> {
  const config = loadConfigOrExit();
  const deps = await openDeps(config, createLogger({ logLevel: opts.logLevel ?? (config.logLevel === 'info' ? 'warn' : config.logLevel) }));
  try {
    return await work(deps);
  } finally {
    await deps.database.close();
  }
}

export function loadConfigOrExit() {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) process.stderr.write(`onegrid: configuration: ${p.variable} ${p.message}\n`);
      throw new CliExit(2, 'invalid configuration');
    }
    throw e;
  }
}

/** Thrown to end a command with an exit code and a message already meant for stderr. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
