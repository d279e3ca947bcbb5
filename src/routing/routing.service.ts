/**
 * The routing engine: every current grid layer in one FusionIndex, the active responsibility rules and what
 * they need of the org tree, held in memory as one immutable snapshot. `resolve` answers from the snapshot
 * it finds; on use, at most once a second, the engine compares a cheap stamp of the sources and, when it
 * changed, builds a new snapshot in the background and swaps it in. The old one keeps answering meanwhile,
 * so intake never waits for a rebuild (only the very first call does).
 */
import type { Deps } from '../deps.js';
import { can, systemActor, type Actor } from '../access/roles.js';
import { DomainError, forbidden, invalid } from '../platform/errors.js';
import { DISTRICT_LAYER, loadCurrentLayers } from '../registry/grid-layers.service.js';
import { listCategories, listMajorClasses } from '../registry/categories.service.js';
import { searchOrgUnits } from '../registry/org-units.service.js';
import { searchDepartments } from '../registry/parties.service.js';
import { parseCategoryKey } from '../registry/categories.js';
import { toWgs84 } from '../registry/geo/crs.js';
import type { Crs } from '../registry/geo/types.js';
import { FusionIndex } from './fusion-index.js';
import {
  decide,
  describeRule,
  orderRules,
  type Namer,
  type PointCell,
  type ResponsibilityRule,
  type RoutingWorld,
  type TriageReason,
  type UnitInfo,
} from './routing.js';
import { listRuleRows, readRoutingSignature } from './routing.store.js';

export const ROUTING_CRS = ['wgs84', 'gcj02', 'bd09'] as const satisfies readonly Crs[];

/** Where a point belongs and who answers for a report there. Exactly one of responsible and triage is set. */
export interface Resolution {
  /** The point in WGS-84. */
  point: { lng: number; lat: number };
  /** The cell of every layer that holds the point (border points: FusionIndex's smallest-code rule). */
  cells: PointCell[];
  /** Layers in which no cell holds the point. */
  missingLayers: string[];
  responsible: { unitId: string; ruleId: string; rule: string; assisting: string[] } | null;
  /** `ruleId`: the rule whose lead named no unit (reason targetUnresolved), else null. */
  triage: { unitId: string; reason: TriageReason; ruleId: string | null } | null;
}

export interface RoutingStats {
  layers: Array<{ layer: string; version: number; cells: number }>;
  cells: number;
  indexBytes: number;
  rules: number;
  /** When the snapshot answering now was built (ISO-8601), and how long the build took. */
  builtAt: string | null;
  buildMs: number | null;
  /** The last background rebuild's failure, if the latest attempt failed (the old snapshot still answers). */
  lastError: string | null;
}

export interface RoutingEngine {
  /** Resolves a point (in any of the three CRS) and, when given, a category key; throws Invalid for bad input. */
  resolve(lng: number, lat: number, crs: Crs, categoryKey?: string | null): Promise<Resolution>;
  /** Rebuilds now from the database and swaps the new snapshot in (e.g. after a bulk import). */
  refresh(): Promise<void>;
  stats(): RoutingStats;
  /** Names and kinds of units the current snapshot knows (those it may route to and the cells' units). */
  unitViews(ids: readonly string[]): Record<string, UnitView>;
  /**
   * A category as the current snapshot knows it (undefined before the first build or for a category added
   * since): intake's hot path reads names and the active flag here instead of from the database.
   */
  categoryView(key: string): CategoryView | undefined;
}

export interface CategoryView {
  key: string;
  name: string;
  nameEn: string;
  active: boolean;
}

export interface UnitView {
  code: string;
  kind: string;
  name: string;
  nameEn: string | null;
  /** The unit's path in the org tree (scope checks). */
  path: string;
}

export interface RoutingEngineOptions {
  /** The least time between two checks of the sources' stamp; 1000 ms by default. */
  recheckMs?: number;
  /** A monotonic clock in ms (tests); performance.now() by default. */
  monotonicNow?: () => number;
}

interface Snapshot {
  signature: string;
  index: FusionIndex;
  versions: Map<string, { version: number; versionId: string }>;
  world: RoutingWorld;
  rules: ResponsibilityRule[];
  namer: Namer;
  categories: Map<string, CategoryView>;
  builtAt: string;
  buildMs: number;
  seq: number;
}

// The kinds of org unit routing may name: everything but property companies (which report, never handle).
const ROUTED_KINDS = [
  'bureau',
  'subdistrict',
  'squad',
  'sector',
  'workstation',
  'community',
  'department',
] as const;

async function buildSnapshot(deps: Deps, signature: string, seq: number): Promise<Snapshot> {
  const t0 = performance.now();
  const system = systemActor('routing');
  const layers = await loadCurrentLayers(deps);
  const unitLists = await Promise.all(
    ROUTED_KINDS.map((kind) => searchOrgUnits(deps, system, { kind, limit: 5000 })),
  );
  const departments = await searchDepartments(deps, system, { active: true, limit: 5000 });
  const categories = await listCategories(deps, system, { includeInactive: true, limit: 5000 });
  const majors = await listMajorClasses(deps, system);
  const ruleRows = await listRuleRows(deps.database.db);

  const units = new Map<string, UnitInfo>();
  for (const u of unitLists.flat())
    units.set(u.id, { id: u.id, kind: u.kind, code: u.code, name: u.name, nameEn: u.nameEn, path: u.path });
  const squadOfSubdistrict = new Map<string, string>();
  for (const u of unitLists.flat()) {
    if (u.kind === 'squad' && u.parentId && !squadOfSubdistrict.has(u.parentId))
      squadOfSubdistrict.set(u.parentId, u.id);
  }
  const departmentUnits = new Map<string, string>();
  for (const d of departments)
    if (units.has(d.unitId) && !departmentUnits.has(d.kind)) departmentUnits.set(d.kind, d.unitId);
  const districtUnit = layers.find((l) => l.layerId === DISTRICT_LAYER)?.cells[0]?.unitId ?? null;
  const bureaus = [...units.values()].filter((u) => u.kind === 'bureau');
  const bureauId =
    bureaus.find((b) => b.id === districtUnit)?.id ??
    bureaus.sort((a, b) => (a.path < b.path ? -1 : 1))[0]?.id ??
    null;

  const index = FusionIndex.build(
    layers.map((l) => ({
      layerId: l.layerId,
      version: l.version,
      cells: l.cells.map((c) => ({ code: c.code, unitRef: c.unitId, geometry: c.geometry })),
    })),
  );
  const world: RoutingWorld = {
    units,
    squadOfSubdistrict,
    departmentUnits,
    bureauId,
    districtLayer: DISTRICT_LAYER,
    layers: layers.map((l) => l.layerId),
  };
  const categoryNames = new Map(categories.map((c) => [c.key as string, c.name]));
  const majorNames = new Map(majors.map((m) => [`${m.kind}:${m.code}`, m.name]));
  return {
    signature,
    index,
    versions: new Map(layers.map((l) => [l.layerId, { version: l.version, versionId: l.versionId }])),
    world,
    rules: orderRules(ruleRows, units),
    namer: {
      unit: (id) => units.get(id)?.name,
      category: (k) => categoryNames.get(k),
      major: (m) => majorNames.get(m),
    },
    categories: new Map(
      categories.map((c) => [c.key as string, { key: c.key, name: c.name, nameEn: c.nameEn, active: c.active }]),
    ),
    builtAt: deps.clock().toISOString(),
    buildMs: performance.now() - t0,
    seq,
  };
}

/** The engine over a database; one per process is enough (app.ts builds it and hands it to the routes). */
export function createRoutingEngine(deps: Deps, opts: RoutingEngineOptions = {}): RoutingEngine {
  const recheckMs = opts.recheckMs ?? 1000;
  const now = opts.monotonicNow ?? (() => performance.now());
  let current: Snapshot | null = null;
  let first: Promise<Snapshot> | null = null;
  let checking: Promise<void> | null = null;
  let lastCheck = -Infinity;
  let lastError: string | null = null;
  let seq = 0;

  /** Builds from the stamp read first (so a change during the build is seen by the next check) and swaps in. */
  const rebuild = async (): Promise<Snapshot> => {
    const mine = ++seq;
    const signature = await readRoutingSignature(deps.database.db);
    const snap = await buildSnapshot(deps, signature, mine);
    // Two builds may overlap (refresh during a background check): the one started last wins.
    if (!current || snap.seq > current.seq) current = snap;
    lastError = null;
    return current;
  };

  const ready = async (): Promise<Snapshot> => {
    if (current) return current;
    first ??= rebuild().finally(() => {
      first = null;
    });
    return first;
  };

  const check = async (): Promise<void> => {
    const signature = await readRoutingSignature(deps.database.db);
    if (current && current.signature === signature) return;
    await rebuild();
  };

  const maybeCheck = () => {
    const t = now();
    if (checking || t - lastCheck < recheckMs) return;
    lastCheck = t;
    checking = check()
      .catch((e: unknown) => {
        lastError = e instanceof Error ? e.message : String(e);
        deps.logger.error({ err: e }, 'routing: rebuild failed; the previous index keeps answering');
      })
      .finally(() => {
        checking = null;
      });
  };

  return {
    async resolve(lng, lat, crs, categoryKey) {
      if (!Number.isFinite(lng) || lng < -180 || lng > 180)
        throw invalid('routingPoint', { field: 'lng', value: lng });
      if (!Number.isFinite(lat) || lat < -90 || lat > 90)
        throw invalid('routingPoint', { field: 'lat', value: lat });
      if (!(ROUTING_CRS as readonly string[]).includes(crs))
        throw invalid('routingCrs', { field: 'crs', value: crs });
      const snap = await ready();
      maybeCheck();
      const category = categoryKey ?? null;
      if (category !== null && (!parseCategoryKey(category) || !snap.categories.has(category))) {
        throw invalid('routingCategoryUnknown', { field: 'category', value: category });
      }
      const [x, y] = toWgs84(lng, lat, crs);
      const cells: PointCell[] = [];
      const missingLayers: string[] = [];
      for (const a of snap.index.resolve(x, y)) {
        if ('none' in a) {
          missingLayers.push(a.layerId);
          continue;
        }
        const v = snap.versions.get(a.layerId);
        cells.push({
          layer: a.layerId,
          version: a.version,
          versionId: v?.versionId ?? '',
          code: a.code,
          unitId: a.unitRef,
        });
      }
      const d = decide(snap.world, snap.rules, cells, category);
      const point = { lng: x, lat: y };
      if (d.kind === 'responsible') {
        return {
          point,
          cells,
          missingLayers,
          responsible: {
            unitId: d.unitId,
            ruleId: d.rule.id,
            rule: describeRule(d.rule, snap.namer),
            assisting: d.assisting,
          },
          triage: null,
        };
      }
      // Without a bureau nothing can be routed at all (an empty database): refuse rather than drop the report.
      if (!d.unitId) throw new DomainError('Unavailable', 'routingNotReady', { reason: 'noBureau' });
      return {
        point,
        cells,
        missingLayers,
        responsible: null,
        triage: { unitId: d.unitId, reason: d.reason, ruleId: d.ruleId },
      };
    },

    async refresh() {
      await rebuild();
    },

    stats() {
      const s = current;
      const layers = s
        ? s.index.layerSummaries.map((l) => ({ layer: l.layerId, version: l.version, cells: l.cells }))
        : [];
      return {
        layers,
        cells: layers.reduce((n, l) => n + l.cells, 0),
        indexBytes: s?.index.approximateBytes ?? 0,
        rules: s?.rules.length ?? 0,
        builtAt: s?.builtAt ?? null,
        buildMs: s ? Math.round(s.buildMs) : null,
        lastError,
      };
    },

    categoryView(key) {
      return current?.categories.get(key);
    },

    unitViews(ids) {
      const out: Record<string, UnitView> = {};
      for (const id of ids) {
        const u = current?.world.units.get(id);
        if (u) out[id] = { code: u.code, kind: u.kind, name: u.name, nameEn: u.nameEn, path: u.path };
      }
      return out;
    },
  };
}

/** Who may ask where a point belongs: staff and API keys that read or create reports. */
const mayResolve = (actor: Actor) => can(actor, 'reports:read') || can(actor, 'reports:create');

/** A resolution for a caller, with the names of every unit it mentions. */
export async function resolveForActor(
  engine: RoutingEngine,
  actor: Actor,
  q: { lng: number; lat: number; crs: Crs; category?: string | null },
): Promise<Resolution & { units: Record<string, UnitView> }> {
  if (!mayResolve(actor)) throw forbidden();
  const r = await engine.resolve(q.lng, q.lat, q.crs, q.category ?? null);
  const ids = [
    ...r.cells.map((c) => c.unitId),
    r.responsible?.unitId,
    ...(r.responsible?.assisting ?? []),
    r.triage?.unitId,
  ].filter((x): x is string => !!x);
  return { ...r, units: engine.unitViews(ids) };
}

/** The engine's figures, for bureau staff. */
export function routingStats(engine: RoutingEngine, actor: Actor): RoutingStats {
  if (!can(actor, 'rules:manage')) throw forbidden();
  return engine.stats();
}
