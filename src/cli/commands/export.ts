import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../../access/roles.js';
import { exportGridLayer } from '../../registry/grid-layers.service.js';
import { CliExit, withDeps } from '../context.js';

export function register(program: Command): void {
  const exp = program.command('export').description('Export data from OneGrid');
  exp
    .command('layer')
    .description('Export a grid layer version as GeoJSON (WGS-84)')
    .argument('<name>', 'layer name')
    .option('--version <n>', 'version (default: current)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (name: string, o: { version?: string; out?: string }) => {
      const version = o.version === undefined ? undefined : Number(o.version);
      if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new CliExit(2, '--version must be a positive whole number');
      await withDeps(async (deps) => {
        const fc = await exportGridLayer(deps, systemActor('cli'), name, version === undefined ? {} : { version });
        const text = JSON.stringify(fc);
        if (o.out) {
          writeFileSync(o.out, text);
          process.stderr.write(`${fc.features.length} cells of ${name} v${fc.version} written to ${o.out}\n`);
        } else process.stdout.write(`${text}\n`);
      });
    });
}
