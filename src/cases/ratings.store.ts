/** Every query of satisfaction ratings and the dissatisfied alert: case_rating, case_alert, and the case they rate. */
import { type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { CaseAlertTable, CaseRatingTable } from './cases.tables.js';
import { ratingRoundOf, type Rating, type RatingGrouping, type RatingSource } from './ratings.js';

type Q = Kysely<DB> | Transaction<DB>;

/** What rating a case needs to know of it. */
export interface RatedCase {
  id: string;
  code: string;
  status: string;
  /** The case's reopen count now (CaseState.reopenCount): the round a rating now belongs to. */
  round: number;
  responsibleUnitId: string | null;
  unitPath: string | null;
  categoryKey: string | null;
}

export async function findRatedCase(db: Q, caseId: string): Promise<RatedCase | undefined> {
  const r = await db
    .selectFrom('case_file')
    .select(['id', 'code', 'status', 'state', 'responsible_unit_id', 'unit_path', 'category_key'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  return (
    r && {
      id: r.id,
      code: r.code,
      status: r.status,
      round: ratingRoundOf(r.state),
      responsibleUnitId: r.responsible_unit_id,
      unitPath: r.unit_path,
      categoryKey: r.category_key,
    }
  );
}

/**
 * The case a tracking code follows: a report's code (its case; the report is named in the rating) or a
 * follower's code (case_follower). Codes are unique within each table and 45 random bits across both.
 */
export async function findTrackedCase(
  db: Q,
  code: string,
): Promise<{ caseId: string; reportId: string | null } | undefined> {
  const report = await db
    .selectFrom('report')
    .select(['id', 'case_id'])
    .where('tracking_code', '=', code)
    .executeTakeFirst();
  if (report?.case_id) return { caseId: report.case_id, reportId: report.id };
  const follower = await db
    .selectFrom('case_follower')
    .select('case_id')
    .where('tracking_code', '=', code)
    .executeTakeFirst();
  return follower && { caseId: follower.case_id, reportId: null };
}

export interface StoredRating {
  id: string;
  caseId: string;
  round: number;
  rating: Rating;
  comment: string | null;
  source: RatingSource;
  reportId: string | null;
  ratedBy: string | null;
  ratedAt: string;
  unitId: string | null;
  categoryKey: string | null;
  month: string;
}

const toRating = (r: CaseRatingTable): StoredRating => ({
  id: r.id,
  caseId: r.case_id,
  round: Number(r.round),
  rating: r.rating as Rating,
  comment: r.comment,
  source: r.source as RatingSource,
  reportId: r.report_id,
  ratedBy: r.rated_by,
  ratedAt: r.rated_at,
  unitId: r.unit_id,
  categoryKey: r.category_key,
  month: r.month,
});

export async function findRating(db: Q, caseId: string, round: number): Promise<StoredRating | undefined> {
  const r = await db
    .selectFrom('case_rating')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('round', '=', round)
    .executeTakeFirst();
  return r && toRating(r);
}

export async function listRatingsOfCase(db: Q, caseId: string): Promise<StoredRating[]> {
  const rows = await db
    .selectFrom('case_rating')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('round')
    .execute();
  return rows.map(toRating);
}

export async function insertRating(db: Q, r: StoredRating): Promise<void> {
  await db
    .insertInto('case_rating')
    .values({
      id: r.id,
      case_id: r.caseId,
      round: r.round,
      rating: r.rating,
      comment: r.comment,
      source: r.source,
      report_id: r.reportId,
      rated_by: r.ratedBy,
      rated_at: r.ratedAt,
      unit_id: r.unitId,
      category_key: r.categoryKey,
      month: r.month,
      handled_at: null,
    })
    .execute();
}

/** Adds an alert unless one with its dedupe key exists; true when this call added it. */
export async function insertAlertOnce(db: Q, a: CaseAlertTable): Promise<boolean> {
  const r = await db
    .insertInto('case_alert')
    .values(a)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export interface RatingGroupRow {
  key: string | null;
  name: string | null;
  nameEn: string | null;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
}

const countOf = (eb: ExpressionBuilder<DB & { r: CaseRatingTable }, 'r'>, rating: Rating) =>
  eb.fn.sum<number | string>(eb.case().when('r.rating', '=', rating).then(1).else(0).end());

/**
 * Rating counts per unit (responsible unit at rating), category or month (Shanghai, of the rating), for
 * ratings whose month is within [from, to] and whose case lies under `pathPrefix` (absent: the district).
 */
export async function ratingGroups(
  db: Q,
  f: { by: RatingGrouping; from?: string; to?: string; pathPrefix?: string },
): Promise<RatingGroupRow[]> {
  const base = db
    .selectFrom('case_rating as r')
    .innerJoin('case_file as c', 'c.id', 'r.case_id')
    .leftJoin('org_unit as u', 'u.id', 'r.unit_id')
    .leftJoin('category as k', 'k.key', 'r.category_key')
    .$if(f.from !== undefined, (q) => q.where('r.month', '>=', f.from!))
    .$if(f.to !== undefined, (q) => q.where('r.month', '<=', f.to!))
    .$if(f.pathPrefix !== undefined, (q) => q.where('c.unit_path', 'like', `${f.pathPrefix}%`))
    .select((eb) => [
      countOf(eb, 'satisfied').as('satisfied'),
      countOf(eb, 'basicallySatisfied').as('basicallySatisfied'),
      countOf(eb, 'dissatisfied').as('dissatisfied'),
    ]);
  const rows =
    f.by === 'unit'
      ? await base
          .select(['r.unit_id as key', 'u.name as name', 'u.name_en as nameEn'])
          .groupBy(['r.unit_id', 'u.name', 'u.name_en'])
          .execute()
      : f.by === 'category'
        ? await base
            .select(['r.category_key as key', 'k.name as name', 'k.name_en as nameEn'])
            .groupBy(['r.category_key', 'k.name', 'k.name_en'])
            .execute()
        : (await base.select('r.month as key').groupBy('r.month').execute()).map((r) => ({
            ...r,
            name: null,
            nameEn: null,
          }));
  return rows.map((r) => ({
    key: r.key,
    name: r.name,
    nameEn: r.nameEn,
    // PostgreSQL's sum is numeric, returned as text.
    satisfied: Number(r.satisfied),
    basicallySatisfied: Number(r.basicallySatisfied),
    dissatisfied: Number(r.dissatisfied),
  }));
}
