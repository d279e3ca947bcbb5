// `onegrid matching`: rebuild the sites of illegal construction, and print the discovery figures of a period
// (per property company, compound, subdistrict or channel) as JSON or CSV. Exit code 2 on bad input.
import type { Command } from 'commander';
import { systemActor } from '../../access/roles.js';
import type { Deps } from '../../deps.js';
import { isDomainError } from '../../platform/errors.js';
import { guardFormula, writeCsv } from '../../registry/csv.js';
import { DISCOVERY_GROUPINGS, isDiscoveryGrouping } from '../../matching/discovery.js';
import { discovery, rebuildSites, type DiscoveryView } from '../../matching/matching.service.js';
import { CliExit, withDeps } from '../context.js';

export interface DiscoveryOptions {
  from?: string;
  to?: string;
  by?: string;
  format?: string;
  rebuild?: boolean;
}

const rate = (v: number | null) => (v === null ? '' : v.toFixed(4));

/** The figures as one CSV table: the channels when grouped by channel, else one row per group. */
export function discoveryCsv(d: DiscoveryView): string {
  if (d.by === 'channel')
    return writeCsv([
      ['channel', 'sitesFound', 'foundFirst', 'share', 'firstShare'],
      ...d.channels.map((c) => [
        c.channel,
        String(c.sitesFound),
        String(c.foundFirst),
        rate(c.share),
        rate(c.firstShare),
      ]),
    ]);
  const header = [
    'key',
    'name',
    'verifiedSites',
    'companySites',
    'reportedByCompany',
    'discoveryRate',
    'timely',
    'late',
    'lagUnknown',
    'timeliness',
    'companyFirst',
    'missedNever',
    'missedLater',
    'firstFinders',
  ];
  const rows = [...d.groups, d.totals].map((g) => [
    g.key,
    guardFormula(d.names[g.key] ?? ''),
    ...[g.verifiedSites, g.companySites, g.reportedByCompany].map(String),
    rate(g.discoveryRate),
    ...[g.timely, g.late, g.lagUnknown].map(String),
    rate(g.timeliness),
    ...[g.companyFirst, g.missedNever, g.missedLater].map(String),
    Object.entries(g.firstFinders)
      .sort()
      .map(([c, n]) => `${c}:${n}`)
      .join(' '),
  ]);
  return writeCsv([header, ...rows]);
}

/** Checks the options, optionally rebuilds the sites, and returns the text to print. */
export async function runDiscovery(deps: Deps, o: DiscoveryOptions): Promise<string> {
  const by = o.by ?? '';
  if (!isDiscoveryGrouping(by))
    throw new CliExit(2, `--by must be one of ${DISCOVERY_GROUPINGS.join('|')}: got '${by}'`);
  const format = o.format ?? 'json';
  if (format !== 'json' && format !== 'csv')
    throw new CliExit(2, `--format must be json or csv: got '${format}'`);
  if (!o.from || !o.to)
    throw new CliExit(2, '--from and --to are required (YYYY-MM-DD, Shanghai days, both included)');
  const ctx = { actor: systemActor('cli') };
  try {
    if (o.rebuild) await rebuildSites(deps, ctx);
    const d = await discovery(deps, ctx.actor, { from: o.from, to: o.to, by });
    return format === 'csv' ? discoveryCsv(d) : `${JSON.stringify(d, null, 2)}\n`;
  } catch (e) {
    if (isDomainError(e)) {
      const { field, value } = e.details;
      throw new CliExit(
        2,
        `${typeof field === 'string' ? `--${field}: ` : ''}${e.messageKey}${value === undefined ? '' : ` (${String(value)})`}`,
      );
    }
    throw e;
  }
}

export function register(program: Command): void {
  const m = program
    .command('matching')
    .description('Sites of illegal construction matched across channels, and discovery figures');
  m.command('rebuild')
    .description(
      'Regroup every illegal-construction report into sites (keeps the last settings unless given)',
    )
    .option('--distance <m>', 'link distance in metres')
    .option('--window <days>', 'link window in days')
    .action(async (o: { distance?: string; window?: string }) => {
      const input = {
        ...(o.distance === undefined ? {} : { distanceM: Number(o.distance) }),
        ...(o.window === undefined ? {} : { windowDays: Number(o.window) }),
      };
      await withDeps(async (deps) => {
        try {
          const r = await rebuildSites(deps, { actor: systemActor('cli') }, input);
          process.stdout.write(
            `${r.reports} reports → ${r.sites} sites (${r.verifiedSites} verified); ${r.settings.distanceM} m, ${r.settings.windowDays} days\n`,
          );
        } catch (e) {
          if (isDomainError(e)) throw new CliExit(2, `${e.messageKey} ${JSON.stringify(e.details)}`);
          throw e;
        }
      });
    });
  m.command('discovery')
    .description('Discovery figures of the verified sites first reported in a period')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD, Shanghai) or an instant with zone')
    .requiredOption('--to <date>', 'last day, included')
    .requiredOption('--by <grouping>', DISCOVERY_GROUPINGS.join('|'))
    .option('--format <format>', 'json|csv', 'json')
    .option('--rebuild', 'rebuild the sites first')
    .action(async (o: DiscoveryOptions) => {
      await withDeps(async (deps) => process.stdout.write(await runDiscovery(deps, o)));
    });
}
