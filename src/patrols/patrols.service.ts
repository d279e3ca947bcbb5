/**
 * Patrol use cases: plans (create, read, change, deactivate), patrol records (an officer starts a patrol and
 * finishes it with the compounds it covered, an optional track and its findings — reports of channel
 * `patrol`), and coverage per compound for a period.
 */
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, inScope, systemActor, type Actor } from '../access/roles.js';
import { conflict, forbidden, invalid, isDomainError, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { getCompound, searchCompounds } from '../registry/parties.service.js';
import { getReport } from '../intake/reports.service.js';
import { parseInstant } from '../intake/reports.js';
import {
  checkPlan,
  checkTrack,
  coverageOf,
  type CompoundCoverage,
  type LineStringGeometry,
  type PatrolPlanFields,
} from './patrols.js';
import {
  activeUserIds,
  coverageCounts,
  findPlan,
  findRecord,
  finishRecord,
  insertPlan,
  insertRecord,
  listPlans,
  listRecords,
  planColumns,
  updatePlan,
  type StoredPlan,
  type StoredRecord,
} from './patrols.store.js';

const registryReader = systemActor('patrols');

const scopePrefix = (a: Actor) => (can(a, 'scope:district') ? {} : { pathPrefix: a.unitPath });
const mayRead = (a: Actor) => can(a, 'patrols:plan') || can(a, 'patrols:record') || can(a, 'scope:district');

async function checkReferences(deps: Pick<Deps, 'database'>, f: PatrolPlanFields): Promise<void> {
  for (const [i, id] of f.compoundIds.entries()) await compoundExists(deps, id, `compoundIds[${i}]`);
  const users = await activeUserIds(deps.database.db, f.officerIds);
  const i = f.officerIds.findIndex((u) => !users.has(u));
  if (i >= 0)
    throw invalid('unknownReference', {
      field: `officerIds[${i}]`,
      reason: 'unknown',
      value: f.officerIds[i],
    });
}

async function compoundExists(deps: Pick<Deps, 'database'>, id: string, field: string): Promise<void> {
  try {
    await getCompound(deps, registryReader, id);
  } catch (e) {
    if (isDomainError(e) && e.code === 'NotFound')
      throw invalid('unknownReference', { field, reason: 'unknown', value: id });
    throw e;
  }
}

export type PatrolPlanInput = Omit<PatrolPlanFields, 'area' | 'validTo'> &
  Partial<Pick<PatrolPlanFields, 'area' | 'validTo'>>;

/** A squad plans patrols over compounds and/or an area for its officers. */
export async function createPlan(
  deps: Deps,
  ctx: ActionContext,
  input: PatrolPlanInput,
): Promise<StoredPlan> {
  if (!can(ctx.actor, 'patrols:plan')) throw forbidden();
  const f: PatrolPlanFields = { ...input, area: input.area ?? null, validTo: input.validTo ?? null };
  checkPlan(f);
  await checkReferences(deps, f);
  const id = newId();
  const at = deps.clock().toISOString();
  await audited(deps, ctx, async (tx, audit) => {
    await insertPlan(tx, {
      id,
      unit_id: ctx.actor.unitId,
      unit_path: ctx.actor.unitPath,
      ...planColumns(f),
      active: 1,
      created_at: at,
      updated_at: at,
      version: 1,
    });
    await audit({ action: 'patrolPlan.create', entity: 'patrolPlan', entityId: id, after: f });
  });
  return (await findPlan(deps.database.db, id))!;
}

async function visiblePlan(deps: Pick<Deps, 'database'>, actor: Actor, id: string): Promise<StoredPlan> {
  if (!mayRead(actor)) throw forbidden();
  const p = await findPlan(deps.database.db, id);
  if (!p || !inScope(actor, p.unitPath)) throw notFound('patrolPlan', id);
  return p;
}

export const getPlan = visiblePlan;

export async function searchPlans(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  q: { active?: boolean; limit?: number } = {},
): Promise<StoredPlan[]> {
  if (!mayRead(actor)) throw forbidden();
  return listPlans(deps.database.db, {
    ...scopePrefix(actor),
    ...(q.active === undefined ? {} : { active: q.active }),
    limit: Math.min(q.limit ?? 500, 2000),
  });
}

/** Changes a plan's fields (optimistic locking on `version`), or deactivates it (`active: false`). */
export async function updatePatrolPlan(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  patch: Partial<PatrolPlanFields> & { active?: boolean; version: number },
): Promise<StoredPlan> {
  if (!can(ctx.actor, 'patrols:plan')) throw forbidden();
  const p = await visiblePlan(deps, ctx.actor, id);
  const { version, active, ...fields } = patch;
  const f: PatrolPlanFields = { ...p, ...fields };
  checkPlan(f);
  await checkReferences(deps, f);
  await audited(deps, ctx, async (tx, audit) => {
    const ok = await updatePlan(tx, id, version, {
      ...planColumns(f),
      ...(active === undefined ? {} : { active: active ? 1 : 0 }),
      updated_at: deps.clock().toISOString(),
    });
    if (!ok)
      throw conflict('versionConflict', {
        entity: 'patrolPlan',
        field: 'version',
        version,
        currentVersion: p.version,
      });
    await audit({
      action: 'patrolPlan.update',
      entity: 'patrolPlan',
      entityId: id,
      before: { ...p },
      after: { ...f, active: active ?? p.active },
    });
  });
  return (await findPlan(deps.database.db, id))!;
}

/** An officer starts a patrol, under a plan of its scope or ad hoc. */
export async function startPatrol(
  deps: Deps,
  ctx: ActionContext,
  input: { planId?: string | null } = {},
): Promise<StoredRecord> {
  if (!can(ctx.actor, 'patrols:record')) throw forbidden();
  if (input.planId) {
    const plan = await visiblePlan(deps, ctx.actor, input.planId).catch((e: unknown) => {
      if (isDomainError(e) && e.code === 'NotFound')
        throw invalid('unknownReference', { field: 'planId', reason: 'unknown', value: input.planId });
      throw e;
    });
    if (!plan.active)
      throw invalid('patrolPlanInactive', { field: 'planId', reason: 'inactive', value: plan.id });
  }
  const id = newId();
  const at = deps.clock().toISOString();
  await audited(deps, ctx, async (tx, audit) => {
    await insertRecord(tx, {
      id,
      plan_id: input.planId ?? null,
      officer_id: ctx.actor.id,
      unit_id: ctx.actor.unitId,
      unit_path: ctx.actor.unitPath,
      started_at: at,
      ended_at: null,
      track: null,
      findings: '[]',
    });
    await audit({
      action: 'patrol.start',
      entity: 'patrolRecord',
      entityId: id,
      after: { planId: input.planId ?? null, startedAt: at },
    });
  });
  return (await findRecord(deps.database.db, id))!;
}

export interface FinishPatrolInput {
  coveredCompoundIds: string[];
  track?: LineStringGeometry | null;
  /** Reports of channel `patrol` the officer filed on this patrol. */
  findingReportIds?: string[];
}

/** The officer who started a patrol finishes it, once, with the ground it covered and its findings. */
export async function finishPatrol(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  input: FinishPatrolInput,
): Promise<StoredRecord> {
  if (!can(ctx.actor, 'patrols:record')) throw forbidden();
  const r = await findRecord(deps.database.db, id);
  if (!r || r.officerId !== ctx.actor.id) throw notFound('patrolRecord', id);
  const compoundIds = [...new Set(input.coveredCompoundIds)];
  for (const [i, c] of compoundIds.entries()) await compoundExists(deps, c, `coveredCompoundIds[${i}]`);
  if (input.track) checkTrack(input.track);
  const findings = [...new Set(input.findingReportIds ?? [])];
  for (const [i, rid] of findings.entries()) {
    const field = `findingReportIds[${i}]`;
    const rep = await getReport(deps, ctx.actor, rid).catch((e: unknown) => {
      if (isDomainError(e) && e.code === 'NotFound')
        throw invalid('unknownReference', { field, reason: 'unknown', value: rid });
      throw e;
    });
    if (rep.channel !== 'patrol')
      throw invalid('patrolFindingChannel', { field, reason: 'channel', value: rep.channel });
  }
  const endedAt = deps.clock().toISOString();
  await audited(deps, ctx, async (tx, audit) => {
    if (!(await finishRecord(tx, r, { endedAt, track: input.track ?? null, findings, compoundIds })))
      throw conflict('patrolAlreadyFinished', { field: 'id', value: id });
    await audit({
      action: 'patrol.finish',
      entity: 'patrolRecord',
      entityId: id,
      after: { endedAt, compoundIds, findings, track: input.track ? input.track.coordinates.length : 0 },
    });
  });
  return (await findRecord(deps.database.db, id))!;
}

const periodOf = (q: { from?: string; to?: string }, now: Date) => {
  // `to` is exclusive; by default the period includes what happened at this very instant.
  const out = {
    from: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
    to: new Date(now.getTime() + 1).toISOString(),
  };
  for (const field of ['from', 'to'] as const) {
    const text = q[field];
    if (text === undefined) continue;
    const d = parseInstant(text);
    if (!d) throw invalid('instantFormat', { field, reason: 'format', value: text });
    out[field] = d.toISOString();
  }
  if (out.to < out.from) throw invalid('patrolPeriod', { field: 'to', reason: 'beforeFrom', value: q.to });
  return out;
};

export async function getPatrolRecord(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  id: string,
): Promise<StoredRecord> {
  if (!mayRead(actor)) throw forbidden();
  const r = await findRecord(deps.database.db, id);
  if (!r || !inScope(actor, r.unitPath)) throw notFound('patrolRecord', id);
  return r;
}

export async function searchPatrolRecords(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  q: { from?: string; to?: string; limit?: number },
): Promise<StoredRecord[]> {
  if (!mayRead(actor)) throw forbidden();
  return listRecords(deps.database.db, {
    ...scopePrefix(actor),
    ...periodOf(q, deps.clock()),
    limit: Math.min(q.limit ?? 200, 2000),
  });
}

/**
 * Coverage of the compounds in the actor's scope for [from, to) (default: the last 30 days): each compound,
 * patrolled or not, how many finished patrols covered it (by any unit: the overlay), and the last time.
 */
export async function patrolCoverage(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  q: { from?: string; to?: string; subdistrictId?: string },
): Promise<{ from: string; to: string; total: number; patrolled: number; items: CompoundCoverage[] }> {
  if (!mayRead(actor) || !can(actor, 'registry:read')) throw forbidden();
  const p = periodOf(q, deps.clock());
  const compounds = await searchCompounds(deps, actor, {
    active: true,
    limit: 5000,
    ...(q.subdistrictId ? { subdistrictId: q.subdistrictId } : {}),
  });
  const items = coverageOf(compounds, await coverageCounts(deps.database.db, p.from, p.to));
  return { ...p, total: items.length, patrolled: items.filter((i) => i.patrolled).length, items };
}
