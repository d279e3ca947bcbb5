import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../../access/roles.js';
import { decodeCsv } from '../../registry/csv.js';
import { exportOrgUnitsCsv, exportUsersCsv, importOrgUnitsCsv, importUsersCsv } from '../../registry/org-units.csv.js';
import { CliExit, withDeps } from '../context.js';

const KINDS = ['units', 'users'] as const;
const kindOf = (k: string): (typeof KINDS)[number] => {
  if (k !== 'units' && k !== 'users') throw new CliExit(2, `unknown kind ${k}; one of ${KINDS.join(', ')}`);
  return k;
};

export function register(program: Command): void {
  const org = program.command('org').description('Org units and users as CSV');
  org
    .command('export')
    .description('Export org units (parents first) or users (phones masked) as CSV')
    .argument('<kind>', KINDS.join(' | '))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (k: string, o: { out?: string }) => {
      const kind = kindOf(k);
      await withDeps(async (deps) => {
        const actor = systemActor('cli');
        const text = kind === 'units' ? await exportOrgUnitsCsv(deps, actor) : await exportUsersCsv(deps, actor);
        if (o.out) writeFileSync(o.out, text);
        else process.stdout.write(text);
      });
    });
  org
    .command('import')
    .description('Import org units (parent by kind and code) or users (one-time passwords printed once); nothing is imported while a row is bad unless --skip-bad-rows')
    .argument('<kind>', KINDS.join(' | '))
    .argument('<file>', 'UTF-8 CSV with a header line')
    .option('--skip-bad-rows', 'import the good rows and list the skipped ones')
    .action(async (k: string, file: string, o: { skipBadRows?: boolean }) => {
      const kind = kindOf(k);
      let text: string;
      try {
        text = decodeCsv(readFileSync(file));
      } catch (e) {
        throw new CliExit(2, `cannot read ${file} as UTF-8 CSV: ${(e as Error).message}`);
      }
      await withDeps(async (deps) => {
        const ctx = { actor: systemActor('cli') };
        const opts = { skipBadRows: o.skipBadRows === true };
        const r = kind === 'units' ? await importOrgUnitsCsv(deps, ctx, text, opts) : await importUsersCsv(deps, ctx, text, opts);
        for (const p of r.problems) process.stderr.write(`${file}:${p.line}: ${p.field}: ${p.reason}${p.value ? ` (${p.value})` : ''}\n`);
        if (r.rejected) throw new CliExit(1, `${new Set(r.problems.map((p) => p.line)).size} bad rows; nothing imported (--skip-bad-rows imports the good rows)`);
        process.stdout.write(`imported ${r.imported} ${kind}${r.skippedLines.length ? `; skipped lines ${r.skippedLines.join(', ')}` : ''}\n`);
        for (const p of r.passwords ?? []) process.stdout.write(`  ${p.username}\t${p.password}\t(one-time: change at first sign-in)\n`);
      });
    });
}
