import type { Command } from 'commander';

/** Every subcommand, in the order `onegrid --help` lists them. Add one line per command file. */
export function registerCommands(program: Command): void {
  void program;
}
