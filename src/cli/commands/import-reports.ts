import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../../access/roles.js';
import type { Deps } from '../../deps.js';
import { isDomainError } from '../../platform/errors.js';
import { platformMessages, renderMessage, type Lang } from '../../platform/http/messages.js';
import { decodeCsv } from '../../registry/csv.js';
import { partiesMessages } from '../../registry/parties.messages.js';
import { createRoutingEngine } from '../../routing/routing.service.js';
import { IMPORT_FORMATS, formatOfFileName, type ImportFormat } from '../../intake/import.js';
import { IMPORT_CHANNELS, importReports, type ImportResult } from '../../intake/import.service.js';
import { reportMessages } from '../../intake/reports.messages.js';
import { CliExit, withDeps } from '../context.js';
import { progressBar } from '../progress.js';

const catalogue = { ...platformMessages, ...partiesMessages, ...reportMessages };
/** Messages in English when the terminal's locale is English, in Chinese otherwise. */
const langOf = (): Lang => (/^en/i.test(process.env.LC_ALL ?? process.env.LANG ?? '') ? 'en' : 'zh-CN');

/** How a command reaches the database: the configured one, or (tests) one handed in. */
export type OpenDeps = <T>(work: (deps: Deps) => Promise<T>) => Promise<T>;

/** Prints the outcome: problems by line on stderr, the summary on stdout (or JSON with --json). */
export function printImportResult(
  file: string,
  r: ImportResult,
  out: (s: string) => void,
  err: (s: string) => void,
  json = false,
): void {
  const lang = langOf();
  for (const p of r.problems)
    err(`${file}:${p.line}: ${p.field}: ${renderMessage(catalogue, p.key, lang, { ...p })} [${p.reason}]\n`);
  if (r.skipped.length > 0)
    err(
      `skipped ${r.skipped.length} tickets already imported on ${r.channel} (lines ${r.skipped.map((s) => s.line).join(', ')})\n`,
    );
  if (json) out(`${JSON.stringify(r, null, 2)}\n`);
  else if (r.rejected) out(`nothing imported: the header of ${file} is unusable\n`);
  else
    out(
      `imported ${r.imported} of ${r.rows} rows on ${r.channel}; ${r.skipped.length} already there; ${new Set(r.problems.map((p) => p.line)).size} lines refused\n`,
    );
}

/**
 * `onegrid import reports FILE.csv|.jsonl --channel hotline12345`: registers under the `import` command
 * (import.ts), which must be registered first.
 */
export function register(program: Command, open: OpenDeps = withDeps): void {
  const imp =
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('Import data files into OneGrid');
  imp
    .command('reports')
    .description(
      'Import reports (e.g. a 12345 export) from CSV or JSON Lines: columns ticketId, receivedAt, category, description, lng, lat, crs, address, reporterName, reporterPhone. Idempotent on ticketId: tickets already imported are skipped. Bad rows are listed by line; the good ones are imported',
    )
    .argument('<file>', 'a .csv (UTF-8, header line) or .jsonl file')
    .option('--channel <channel>', `the channel: ${IMPORT_CHANNELS.join(' | ')}`, 'hotline12345')
    .option('--format <format>', `${IMPORT_FORMATS.join(' | ')} (default: from the file name)`)
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { channel: string; format?: string; json?: boolean }) => {
      const format = (o.format ?? formatOfFileName(file)) as ImportFormat | undefined;
      if (!format || !(IMPORT_FORMATS as readonly string[]).includes(format))
        throw new CliExit(
          2,
          `cannot tell the format of ${file}; name it .csv or .jsonl, or give --format csv|jsonl`,
        );
      let text: string;
      try {
        text = decodeCsv(readFileSync(file));
      } catch (e) {
        throw new CliExit(
          2,
          isDomainError(e) ? `${file} is not UTF-8` : `cannot read ${file}: ${(e as Error).message}`,
        );
      }
      await open(async (deps) => {
        const bar = progressBar(`import ${o.channel}`);
        let r: ImportResult;
        try {
          r = await importReports(
            deps,
            createRoutingEngine(deps),
            { actor: systemActor('cli') },
            { channel: o.channel, format, text },
            (done, total) => bar.update(done, total, 'reports'),
          );
        } catch (e) {
          bar.stop();
          if (isDomainError(e))
            throw new CliExit(
              2,
              `${renderMessage(catalogue, e.messageKey, langOf(), e.details)} (${e.messageKey})`,
            );
          throw e;
        }
        bar.stop();
        printImportResult(
          file,
          r,
          (s) => process.stdout.write(s),
          (s) => process.stderr.write(s),
          o.json === true,
        );
        if (r.rejected || r.problems.length > 0)
          throw new CliExit(1, `${r.problems.length} problems; the other rows were imported`);
      });
    });
}
