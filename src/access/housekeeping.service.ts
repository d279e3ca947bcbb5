import type { Deps } from '../deps.js';
import { audited } from './audit.service.js';
import { deleteExpiredSessions } from './access.store.js';
import { systemActor } from './roles.js';

/** Removes expired sessions (a scheduled job); audited with the count when it removed any. */
export async function purgeExpiredSessions(deps: Deps): Promise<number> {
  const now = deps.clock().toISOString();
  const expired = await deps.database.db.selectFrom('user_session').select((eb) => eb.fn.countAll<number>().as('n')).where('expires_at', '<', now).executeTakeFirstOrThrow();
  if (Number(expired.n) === 0) return 0;
  return audited(deps, { actor: systemActor('jobs') }, async (tx, audit) => {
    const n = await deleteExpiredSessions(tx, now);
    await audit({ action: 'session.purgeExpired', entity: 'session', after: { removed: n } });
    return n;
  });
}
