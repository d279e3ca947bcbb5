import type { Command } from 'commander';
import { verifyAuditChain } from '../../access/audit.service.js';
import { CliExit, withDeps } from '../context.js';

export function register(program: Command): void {
  const audit = program.command('audit').description('The hash-chained audit log');
  audit
    .command('verify')
    .description('Walk the audit chain; exit 1 naming the first changed, deleted or reordered entry')
    .action(async () => {
      await withDeps(async (deps) => {
        const r = await verifyAuditChain(deps);
        if (r.ok) {
          process.stdout.write(`audit chain intact: ${r.count} entries verified\n`);
          return;
        }
        const p = r.problem;
        const what =
          p.kind === 'gap'
            ? `entry ${p.expectedSeq} is missing or out of order (found ${p.seq} in its place)`
            : p.kind === 'brokenLink'
              ? `entry ${p.seq} does not link to the entry before it (an entry was removed, inserted or reordered)`
              : p.kind === 'hashMismatch'
                ? `entry ${p.seq} was changed after it was written (hash mismatch)`
                : `the chain ends at entry ${p.seq} but its head says ${p.headSeq} (entries were removed from the end)`;
        throw new CliExit(1, `audit chain BROKEN after ${r.count} good entries: first bad entry: ${what}`);
      });
    });
}
