import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { systemActor } from '../../access/roles.js';
import { importGridLayer, type ImportLayerResult } from '../../registry/grid-layers.service.js';
import { CRS_VALUES, type Crs } from '../../registry/geo/types.js';
import { CliExit, withDeps } from '../context.js';
import { progressBar } from '../progress.js';
import { isDomainError } from '../../platform/errors.js';

/** GeoJSON files above this are refused before they are read: a layer that large is a mistake. */
export const MAX_LAYER_FILE_BYTES = 150 * 1024 * 1024;

/** Reads and parses a GeoJSON file, refusing what is too large or not JSON, with a clear message. */
export function readGeoJsonFile(file: string, maxBytes = MAX_LAYER_FILE_BYTES): unknown {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliExit(2, `cannot read ${file}`);
  }
  if (size > maxBytes) throw new CliExit(2, `${file} is ${(size / 1048576).toFixed(0)} MB; the limit for a layer file is ${(maxBytes / 1048576).toFixed(0)} MB (split the layer)`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new CliExit(2, `${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function printLayerReport(r: ImportLayerResult, out: (s: string) => void): void {
  const s = r.summary;
  out(`layer ${r.layer}: ${r.cellCount} cells, ${r.unitsMatched} matched to org units\n`);
  out(`  gaps ${s.gapCount} (${s.gapAreaM2.toFixed(0)} m²), overlaps ${s.overlapCount} (${s.overlapAreaM2.toFixed(0)} m²), outside the district ${s.outsideCount} (${s.outsideAreaM2.toFixed(0)} m²)\n`);
  const byKind = new Map<string, number>();
  for (const f of r.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  for (const [k, n] of byKind) out(`  ${k}: ${n}\n`);
  // the largest problems first: they are the ones worth fixing
  const largest = [...r.findings].sort((a, b) => (b.areaM2 ?? Infinity) - (a.areaM2 ?? Infinity));
  for (const f of largest.slice(0, 30)) {
    const at = f.location ? ` at ${f.location[0].toFixed(6)},${f.location[1].toFixed(6)}` : '';
    const area = f.areaM2 !== undefined ? ` ${f.areaM2.toFixed(1)} m²` : '';
    out(`    ${f.severity} ${f.kind} [${f.cellCodes.join(', ')}]${area}${at}: ${f.message}\n`);
  }
  if (r.findings.length > 30) out(`    … ${r.findings.length - 30} more\n`);
  out(r.committed ? `stored as version ${r.version}\n` : 'nothing stored (dry run)\n');
}

export function register(program: Command): void {
  const imp = program.command('import').description('Import data files into OneGrid');
  imp
    .command('layer')
    .description('Import a GeoJSON grid layer (Polygon/MultiPolygon) as a new version; validates before committing')
    .argument('<file>', 'GeoJSON FeatureCollection')
    .requiredOption('--layer <name>', 'layer name, e.g. communities, unitGrid, policeGrid')
    .requiredOption('--crs <crs>', `coordinate system of the file: ${CRS_VALUES.join('|')}`)
    .option('--code-field <field>', 'property holding the cell code (default: code, then the feature id)')
    .option('--unit-field <field>', 'property holding the responsible unit code')
    .option('--title <title>', 'display title (zh-CN)')
    .option('--strict', 'refuse the layer if validation finds anything')
    .option('--dry-run', 'validate and report only')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { layer: string; crs: string; codeField?: string; unitField?: string; title?: string; strict?: boolean; dryRun?: boolean; json?: boolean }) => {
      if (!(CRS_VALUES as readonly string[]).includes(o.crs)) throw new CliExit(2, `--crs must be one of ${CRS_VALUES.join(', ')}`);
      const geojson = readGeoJsonFile(file);
      await withDeps(async (deps) => {
        const bar = progressBar(`import ${o.layer}`);
        const started = Date.now();
        let r: ImportLayerResult;
        try {
          r = await importGridLayer(
            deps,
            { actor: systemActor('cli') },
            {
              layer: o.layer,
              crs: o.crs as Crs,
              strict: o.strict === true,
              dryRun: o.dryRun === true,
              sourceName: basename(file),
              geojson,
              ...(o.codeField ? { codeField: o.codeField } : {}),
              ...(o.unitField ? { unitField: o.unitField } : {}),
              ...(o.title ? { title: o.title } : {}),
            },
            (done, total, phase) => bar.update(done, total, phase),
          );
        } catch (e) {
          bar.stop();
          if (isDomainError(e) && e.messageKey === 'gridLayerStrictRefused') {
            const d = e.details as { findings: number; byKind: Record<string, number>; first: Array<{ kind: string; cellCodes: string[]; message: string }> };
            process.stderr.write(`refused (--strict): ${d.findings} findings ${JSON.stringify(d.byKind)}\n`);
            for (const f of d.first) process.stderr.write(`  ${f.kind} [${f.cellCodes.join(', ')}]: ${f.message}\n`);
            throw new CliExit(1, 'layer refused; nothing stored');
          }
          if (isDomainError(e)) throw new CliExit(2, `layer refused; nothing stored: ${e.messageKey} ${JSON.stringify(e.details)}`);
          throw e;
        }
        bar.stop();
        const secs = (Date.now() - started) / 1000;
        if (o.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else {
          printLayerReport(r, (s) => process.stdout.write(s));
          process.stdout.write(`${(r.cellCount / secs).toFixed(0)} cells/s, ${secs.toFixed(1)} s, peak RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB\n`);
        }
      });
    });
}
