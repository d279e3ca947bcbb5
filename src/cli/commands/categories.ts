// `onegrid categories`: load the GB/T 47678.5 directory (and the default local categories) and list them.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { systemActor } from '../../access/roles.js';
import {
  listCategories,
  loadStandardCategories,
  standardDirectoryPath,
} from '../../registry/categories.service.js';
import { CliExit, withDeps } from '../context.js';

const cli = systemActor('cli');

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new CliExit(2, `cannot read ${file}: ${(e as Error).message}`);
  }
}

export function register(program: Command): void {
  const categories = program
    .command('categories')
    .description('Problem categories: GB/T 47678.5 directory and local additions');
  categories
    .command('load')
    .description(
      'Load (or re-load: names are updated, nothing is duplicated) the standard directory and the default local categories',
    )
    .option(
      '--file <csv>',
      'directory CSV (default: <ONEGRID_SHARED_DATA_DIR>/categories/gbt47678-5-2026-directory.csv)',
    )
    .action(async (o: { file?: string }) => {
      await withDeps(async (deps) => {
        const file = o.file ?? standardDirectoryPath(deps.config.sharedDataDir);
        const r = await loadStandardCategories(deps, { actor: cli }, await readText(file));
        process.stdout.write(
          `loaded ${r.rows} standard categories from ${file}: ${r.inserted} new, ${r.updated} renamed, ${r.unchanged} unchanged` +
            `${r.notInFile > 0 ? `, ${r.notInFile} in the database but not in the file (kept)` : ''}; ${r.localCreated} default local categories created\n`,
        );
        if (r.withoutNameEn.length > 0) {
          process.stderr.write(
            `warning: no English name for ${r.withoutNameEn.join(', ')} (the Chinese name stands in; add them to src/registry/category-names-en.ts)\n`,
          );
        }
      });
    });
  categories
    .command('list')
    .description('List active categories')
    .option('--local', 'only local categories')
    .option('--q <text>', 'name (zh or en), code prefix or key')
    .option('--json', 'print JSON')
    .action(async (o: { local?: boolean; q?: string; json?: boolean }) => {
      await withDeps(async (deps) => {
        const items = await listCategories(deps, cli, {
          ...(o.local ? { local: true } : {}),
          ...(o.q ? { q: o.q } : {}),
          limit: 5000,
        });
        if (o.json) {
          process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
          return;
        }
        for (const c of items) {
          const defaults = `${c.defaultUnitKind ?? '-'} / ${c.defaultTimeLimit ?? '-'}`;
          const marks = [c.local ? 'local' : '', c.family ?? '', c.parentKey ? `< ${c.parentKey}` : '']
            .filter(Boolean)
            .join(' ');
          process.stdout.write(
            `${c.key.padEnd(16)} ${c.name}（${c.nameEn}）  ${defaults}${marks ? `  [${marks}]` : ''}\n`,
          );
        }
        process.stderr.write(`${items.length} categories\n`);
      });
    });
}
