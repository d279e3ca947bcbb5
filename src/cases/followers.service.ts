/**
 * Following an open case (issue 4 item 6): the resident page shows nearby open cases (intake's
 * GET /api/reports/nearby); a resident follows one instead of reporting again and gets a tracking code that
 * the public tracking page and the rating accept like a report's.
 */
import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { maskPhone } from '../access/users.service.js';
import { conflict, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { makeTrackingCode } from '../intake/reports.js';
import { FOLLOWABLE_STATUSES, cleanFollower } from './followers.js';
import {
  findFollowedCase,
  findFollowerTracking,
  insertFollower,
  trackingCodeTaken,
  type FollowerTracking,
} from './followers.store.js';

export interface FollowResult {
  trackingCode: string;
  caseCode: string;
  status: string;
}

/** Follows an active case (public: no login; name and phone optional); audited. */
export async function followCase(
  deps: Deps,
  ctx: ActionContext,
  caseId: string,
  input: { name?: string | null; phone?: string | null },
): Promise<FollowResult> {
  const who = cleanFollower(input);
  return audited(deps, ctx, async (tx, audit) => {
    const c = await findFollowedCase(tx, caseId);
    if (!c) throw notFound('case', caseId);
    if (!FOLLOWABLE_STATUSES.includes(c.status))
      throw conflict('followCaseNotActive', { caseId, status: c.status });
    // 45 random bits: a collision is all but impossible, but a code must never name two things.
    let trackingCode = makeTrackingCode(randomBytes(9));
    while (await trackingCodeTaken(tx, trackingCode)) trackingCode = makeTrackingCode(randomBytes(9));
    const id = newId();
    await insertFollower(tx, {
      id,
      case_id: c.id,
      tracking_code: trackingCode,
      name: who.name,
      phone: who.phone,
      created_at: deps.clock().toISOString(),
    });
    // The audit log is kept for years and cannot be edited: it never holds a full phone number.
    await audit({
      action: 'case.follow',
      entity: 'case',
      entityId: c.id,
      after: { followerId: id, trackingCode, name: who.name, phone: maskPhone(who.phone) },
    });
    return { trackingCode, caseCode: c.code, status: c.status };
  });
}

/** The case a follower's (normalised) tracking code follows, for the public tracking page; undefined when none. */
export async function trackFollower(
  deps: Pick<Deps, 'database'>,
  normalizedCode: string,
): Promise<FollowerTracking | undefined> {
  return findFollowerTracking(deps.database.db, normalizedCode);
}
