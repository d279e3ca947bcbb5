/**
 * Satisfaction after close (issue 5 item 6): the reporter rates by tracking code, or a dispatcher after a
 * callback; one rating per close; a dissatisfied rating alerts the squad leader in the same transaction;
 * the satisfaction rate per unit, category or month.
 */
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, inScope, systemActor, type Actor } from '../access/roles.js';
import { conflict, forbidden, isDomainError, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { formatShanghai } from '../platform/calendar/shanghai-time.js';
import { searchOrgUnits } from '../registry/org-units.service.js';
import { normalizeTrackingCode } from '../intake/reports.js';
import {
  checkMonthRange,
  cleanComment,
  satisfactionRate,
  squadFor,
  type Rating,
  type RatingGrouping,
  type RatingSource,
} from './ratings.js';
import {
  findRatedCase,
  findRating,
  findTrackedCase,
  insertAlertOnce,
  insertRating,
  listRatingsOfCase,
  ratingGroups,
  type RatedCase,
  type StoredRating,
} from './ratings.store.js';

export interface RatingInput {
  rating: Rating;
  comment?: string | null;
}

export interface RatingView {
  id: string;
  caseId: string;
  caseCode: string;
  round: number;
  rating: Rating;
  comment: string | null;
  source: RatingSource;
  ratedAt: string;
  /** The alert raised for a dissatisfied rating: which unit's squad leader was told. */
  alert: { unitId: string; role: string } | null;
}

/**
 * The unit told of a dissatisfied rating: the squad whose scope holds the case; failing that (a case of
 * the bureau's own), the case's responsible unit, or the top of its path.
 */
async function alertUnitOf(deps: Pick<Deps, 'database'>, c: RatedCase): Promise<string | null> {
  const squads = await searchOrgUnits(deps, systemActor('ratings'), { kind: 'squad', limit: 5000 });
  return squadFor(c.unitPath, squads) ?? c.responsibleUnitId ?? c.unitPath?.split('/').find(Boolean) ?? null;
}

async function rate(
  deps: Deps,
  ctx: ActionContext,
  c: RatedCase,
  input: RatingInput,
  who: { source: RatingSource; reportId: string | null; ratedBy: string | null },
): Promise<RatingView> {
  const comment = cleanComment(input.comment);
  const alertUnit = input.rating === 'dissatisfied' ? await alertUnitOf(deps, c) : null;
  try {
    return await audited(deps, ctx, async (tx, audit) => {
      // Read again inside the transaction: the case may have been reopened or rated since.
      const now = (await findRatedCase(tx, c.id)) ?? c;
      if (now.status !== 'closed')
        throw conflict('ratingCaseNotClosed', { caseId: c.id, status: now.status });
      if (await findRating(tx, c.id, now.round))
        throw conflict('ratingExists', { caseId: c.id, round: now.round });
      const at = deps.clock();
      const rating: StoredRating = {
        id: newId(at.getTime()),
        caseId: c.id,
        round: now.round,
        rating: input.rating,
        comment,
        source: who.source,
        reportId: who.reportId,
        ratedBy: who.ratedBy,
        ratedAt: at.toISOString(),
        unitId: now.responsibleUnitId,
        categoryKey: now.categoryKey,
        month: formatShanghai(at).slice(0, 7),
      };
      await insertRating(tx, rating);
      await audit({ action: 'case.rate', entity: 'case', entityId: c.id, after: rating });
      let alert: RatingView['alert'] = null;
      if (alertUnit !== null) {
        // The squad leader may reopen the case (the case service's 'reopen' move); one alert per close.
        await insertAlertOnce(tx, {
          id: newId(at.getTime()),
          dedupe_key: `dissatisfied:${c.id}:${now.round}`,
          case_id: c.id,
          kind: 'dissatisfied',
          unit_id: alertUnit,
          role: 'squadLeader',
          message: `案件 ${c.code} 收到不满意评价${comment === null ? '' : `：${comment}`}`,
          due_at: null,
          created_at: rating.ratedAt,
          read_at: null,
        });
        alert = { unitId: alertUnit, role: 'squadLeader' };
      }
      const { id, round, ratedAt, source } = rating;
      return {
        id,
        caseId: c.id,
        caseCode: c.code,
        round,
        rating: input.rating,
        comment,
        source,
        ratedAt,
        alert,
      };
    });
  } catch (e) {
    // Two ratings at once: the unique index (case_id, round) lets one in; the other gets the same 409.
    if (isDomainError(e)) throw e;
    const now = await findRatedCase(deps.database.db, c.id);
    if (now && (await findRating(deps.database.db, c.id, now.round)))
      throw conflict('ratingExists', { caseId: c.id, round: now.round });
    throw e;
  }
}

/**
 * The reporter (or a follower) rates a closed case by tracking code; no login. A malformed code, a wrong
 * check character and an unknown code all answer NotFound, as the tracking page does.
 */
export async function rateByTrackingCode(
  deps: Deps,
  ctx: ActionContext,
  code: string,
  input: RatingInput,
): Promise<RatingView> {
  const normal = normalizeTrackingCode(code);
  const tracked = normal === null ? undefined : await findTrackedCase(deps.database.db, normal);
  const c = tracked && (await findRatedCase(deps.database.db, tracked.caseId));
  if (!tracked || !c) throw notFound('report', code);
  return rate(deps, ctx, c, input, { source: 'reporter', reportId: tracked.reportId, ratedBy: null });
}

/** A dispatcher records the rating heard on a callback (回访) (cases:dispatch, case in scope). */
export async function rateByCallback(
  deps: Deps,
  ctx: ActionContext,
  caseId: string,
  input: RatingInput,
): Promise<RatingView> {
  if (!can(ctx.actor, 'cases:dispatch')) throw forbidden();
  const c = await findRatedCase(deps.database.db, caseId);
  if (!c || !inScope(ctx.actor, c.unitPath ?? '')) throw notFound('case', caseId);
  return rate(deps, ctx, c, input, { source: 'callback', reportId: null, ratedBy: ctx.actor.id });
}

/** The ratings of a case, one per close (cases:read, case in scope). */
export async function listCaseRatings(deps: Pick<Deps, 'database'>, actor: Actor, caseId: string) {
  if (!can(actor, 'cases:read')) throw forbidden();
  const c = await findRatedCase(deps.database.db, caseId);
  if (!c || !inScope(actor, c.unitPath ?? '')) throw notFound('case', caseId);
  return (await listRatingsOfCase(deps.database.db, caseId)).map((r) => ({
    id: r.id,
    round: r.round,
    rating: r.rating,
    comment: r.comment,
    source: r.source,
    ratedAt: r.ratedAt,
  }));
}

export interface SatisfactionGroup {
  /** The unit id, category key or month (YYYY-MM); null for ratings without a unit or category. */
  key: string | null;
  name: string | null;
  nameEn: string | null;
  rated: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  /** (satisfied + basically satisfied) / rated; see satisfactionRate. */
  rate: number | null;
}

const group = (g: Omit<SatisfactionGroup, 'rated' | 'rate'>): SatisfactionGroup => ({
  ...g,
  rated: g.satisfied + g.basicallySatisfied + g.dissatisfied,
  rate: satisfactionRate(g),
});

/** The satisfaction rate per unit, category or month, over the cases in the actor's scope (insight:read). */
export async function satisfactionRates(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  q: { by: RatingGrouping; from?: string; to?: string },
): Promise<{ by: RatingGrouping; groups: SatisfactionGroup[]; total: SatisfactionGroup }> {
  if (!can(actor, 'insight:read')) throw forbidden();
  checkMonthRange(q);
  const rows = await ratingGroups(deps.database.db, {
    ...q,
    ...(can(actor, 'scope:district') ? {} : { pathPrefix: actor.unitPath }),
  });
  const groups = rows.map(group).sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
  const sum = (k: 'satisfied' | 'basicallySatisfied' | 'dissatisfied') =>
    groups.reduce((n, g) => n + g[k], 0);
  const total = group({
    key: null,
    name: null,
    nameEn: null,
    satisfied: sum('satisfied'),
    basicallySatisfied: sum('basicallySatisfied'),
    dissatisfied: sum('dissatisfied'),
  });
  return { by: q.by, groups, total };
}
