import type { Deps } from '../deps.js';
import { audited } from './audit.service.js';
import { countExpiredSessions, deleteExpiredSessions } from './access.store.js';
import { systemActor } from './roles.js';

/** Removes expired sessions (a scheduled job); audited with the count when it removed any. */
export async function purgeExpiredSessions(deps: Deps): Promise<number> {
  const now = deps.clock().toISOString();
  if ((await countExpiredSessions(deps.database.db, now)) === 0) return 0;
  return audited(deps, { actor: systemActor('jobs') }, async (tx, audit) => {
    const n = await deleteExpiredSessions(tx, now);
    await audit({ action: 'session.purgeExpired', entity: 'session', after: { removed: n } });
    return n;
  });
}
