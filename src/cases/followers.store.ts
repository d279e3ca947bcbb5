/** Every query of case followers: case_follower, and the case and category it shows on the tracking page. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { CaseFollowerTable } from './cases.tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export async function findFollowedCase(
  db: Q,
  caseId: string,
): Promise<{ id: string; code: string; status: string } | undefined> {
  return db
    .selectFrom('case_file')
    .select(['id', 'code', 'status'])
    .where('id', '=', caseId)
    .executeTakeFirst();
}

/** Whether a tracking code is in use, by a report or a follower (the public lookup tries both). */
export async function trackingCodeTaken(db: Q, code: string): Promise<boolean> {
  const [report, follower] = await Promise.all([
    db.selectFrom('report').select('id').where('tracking_code', '=', code).executeTakeFirst(),
    db.selectFrom('case_follower').select('id').where('tracking_code', '=', code).executeTakeFirst(),
  ]);
  return report !== undefined || follower !== undefined;
}

export async function insertFollower(db: Q, row: CaseFollowerTable): Promise<void> {
  await db.insertInto('case_follower').values(row).execute();
}

export interface FollowerTracking {
  trackingCode: string;
  createdAt: string;
  caseCode: string;
  caseStatus: string;
  responsibleUnitId: string | null;
  category: { key: string; name: string; nameEn: string | null } | null;
}

export async function findFollowerTracking(db: Q, code: string): Promise<FollowerTracking | undefined> {
  const r = await db
    .selectFrom('case_follower as f')
    .innerJoin('case_file as c', 'c.id', 'f.case_id')
    .leftJoin('category as k', 'k.key', 'c.category_key')
    .select([
      'f.tracking_code',
      'f.created_at',
      'c.code',
      'c.status',
      'c.responsible_unit_id',
      'c.category_key',
      'k.name',
      'k.name_en',
    ])
    .where('f.tracking_code', '=', code)
    .executeTakeFirst();
  return (
    r && {
      trackingCode: r.tracking_code,
      createdAt: r.created_at,
      caseCode: r.code,
      caseStatus: r.status,
      responsibleUnitId: r.responsible_unit_id,
      category:
        r.category_key === null
          ? null
          : { key: r.category_key, name: r.name ?? r.category_key, nameEn: r.name_en },
    }
  );
}
