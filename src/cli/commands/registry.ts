import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../../access/roles.js';
import type { Deps } from '../../deps.js';
import { platformMessages, renderMessage, type Lang } from '../../platform/http/messages.js';
import { decodeCsv, parseCsv } from '../../registry/csv.js';
import { PARTY_KINDS, isPartyKind, type PartyKind } from '../../registry/parties.js';
import { partiesMessages } from '../../registry/parties.messages.js';
import { exportParties, importParties } from '../../registry/parties.service.js';
import { CliExit, withDeps } from '../context.js';

const cli = systemActor('cli');
const catalogue = { ...platformMessages, ...partiesMessages };
/** Messages in English when the terminal's locale is English, in Chinese otherwise. */
const langOf = (): Lang => (/^en/i.test(process.env.LC_ALL ?? process.env.LANG ?? '') ? 'en' : 'zh-CN');

function kindOf(kind: string): PartyKind {
  if (!isPartyKind(kind)) throw new CliExit(2, `unknown kind ${kind}; one of ${PARTY_KINDS.join(', ')}`);
  return kind;
}

/** How a command reaches the database: the configured one, or (tests) one handed in. */
export type OpenDeps = <T>(work: (deps: Deps) => Promise<T>) => Promise<T>;

export function register(program: Command, open: OpenDeps = withDeps): void {
  const registry = program
    .command('registry')
    .description('The basic database: compounds, property companies, merchants, departments');
  registry
    .command('import')
    .description(
      'Import records from a UTF-8 CSV file; every bad row is listed by line and column, and nothing is imported unless --skip-bad-rows',
    )
    .argument('<kind>', PARTY_KINDS.join(' | '))
    .argument('<file>', 'CSV file with a header line')
    .option('--skip-bad-rows', 'import the good rows (in one transaction) and list the skipped ones')
    .action(async (kindArg: string, file: string, o: { skipBadRows?: boolean }) => {
      const kind = kindOf(kindArg);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        throw new CliExit(2, `cannot read ${file}: ${(e as Error).message}`);
      }
      const text = decodeCsv(bytes);
      await open(async (deps) => {
        const r = await importParties(deps, { actor: cli }, kind, text, {
          skipBadRows: o.skipBadRows === true,
        });
        const lang = langOf();
        for (const p of r.problems) {
          process.stderr.write(
            `${file}:${p.line}: ${p.field}: ${renderMessage(catalogue, p.key, lang, { ...p })} [${p.reason}]\n`,
          );
        }
        if (r.rejected) {
          throw new CliExit(
            1,
            `${r.problems.length} problems in ${new Set(r.problems.map((p) => p.line)).size} lines; nothing imported (--skip-bad-rows imports the good rows)`,
          );
        }
        if (r.skippedLines.length > 0) process.stderr.write(`skipped lines: ${r.skippedLines.join(', ')}\n`);
        process.stdout.write(`imported ${r.imported} of ${r.rows} ${kind}\n`);
      });
    });
  registry
    .command('export')
    .description('Export every record of a kind (inactive ones too) as UTF-8 CSV, in the format import reads')
    .argument('<kind>', PARTY_KINDS.join(' | '))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (kindArg: string, o: { out?: string }) => {
      const kind = kindOf(kindArg);
      await open(async (deps) => {
        const csv = await exportParties(deps, cli, kind);
        if (o.out) {
          writeFileSync(o.out, csv);
          process.stderr.write(`exported ${parseCsv(csv).length - 1} ${kind} to ${o.out}\n`);
        } else {
          process.stdout.write(csv);
        }
      });
    });
}
