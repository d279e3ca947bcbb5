#!/usr/bin/env node
// The `onegrid` command. Each subcommand lives in src/cli/commands/<name>.ts and exports register(program).
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';
import { CliExit } from './context.js';
import { isDomainError } from '../platform/errors.js';
import { MigrationError } from '../platform/db/migrate.js';

export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program.name('onegrid').description('OneGrid: district urban-management platform').showHelpAfterError();
  program.exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
      process.exitCode = err.exitCode ?? 1;
      return;
    }
    if (e instanceof CliExit) {
      if (e.message) process.stderr.write(`onegrid: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    if (isDomainError(e)) {
      process.stderr.write(`onegrid: ${e.code}: ${e.messageKey} ${JSON.stringify(e.details)}\n`);
      process.exitCode = e.code === 'DeadlineUnknown' ? 3 : 2;
      return;
    }
    if (e instanceof MigrationError) {
      process.stderr.write(`onegrid: ${e.message}\n`);
      process.exitCode = 4;
      return;
    }
    process.stderr.write(`onegrid: ${err.message ?? String(e)}\n`);
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
  }
}
