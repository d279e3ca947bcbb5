import type { Command } from 'commander';
import { loadDemoDistrict, DEMO_SEED } from '../../registry/demo.service.js';
import { DEMO_PASSWORD } from '../../registry/demo-seed.service.js';
import { CliExit, withDeps } from '../context.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('Load the demo district of 闵行区 (real outline and division names, generated geometry) into the database')
    .option('--seed <n>', 'generator seed (deterministic)', String(DEMO_SEED))
    .action(async (o: { seed: string }) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new CliExit(2, '--seed must be a non-negative whole number');
      await withDeps(async (deps) => {
        const started = Date.now();
        const r = await loadDemoDistrict(deps, { seed, onProgress: (step) => process.stderr.write(`demo: ${step}\n`) });
        if (r.skipped) {
          process.stdout.write('the demo district is already loaded; nothing changed\n');
          return;
        }
        process.stdout.write(`demo district loaded in ${((Date.now() - started) / 1000).toFixed(1)} s (generate ${r.seconds.generate.toFixed(1)} s, store ${r.seconds.store.toFixed(1)} s, layers ${r.seconds.layers.toFixed(1)} s)\n`);
        process.stdout.write(`${JSON.stringify(r.summary)}\n`);
        if (r.logins) {
          process.stdout.write(`demo logins (password ${DEMO_PASSWORD}):\n`);
          for (const l of r.logins) process.stdout.write(`  ${l.username.padEnd(12)} ${l.role.padEnd(18)} ${l.displayName}（${l.unitName}）\n`);
        }
      });
    });
}
