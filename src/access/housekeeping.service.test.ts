import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { DEMO_PASSWORD } from '../registry/demo-seed.service.js';
import { login } from './access.service.js';
import { purgeExpiredSessions } from './housekeeping.service.js';
import { createJobRunner } from '../jobs.js';

for (const dialect of DIALECTS) {
  describe(`session housekeeping job [${dialect}]`, () => {
    let deps: TestDeps;
    beforeAll(async () => {
      deps = await buildTestDeps(dialect);
    });
    afterAll(async () => deps.cleanup());

    it('the scheduled job removes expired sessions only, audited', async () => {
      await login(deps, { username: 'officer', password: DEMO_PASSWORD });
      const past = { ...deps, clock: () => new Date(Date.now() - 48 * 3600_000) };
      await login(past, { username: 'leader', password: DEMO_PASSWORD });
      expect(await purgeExpiredSessions({ ...deps, clock: () => new Date(Date.now() - 100 * 3600_000) })).toBe(0);
      const runner = createJobRunner(deps);
      await runner.enqueue('access.purgeExpiredSessions', {});
      expect(await runner.runDueOnce()).toBeGreaterThanOrEqual(1);
      await runner.stop();
      const left = await deps.database.db.selectFrom('user_session').select('user_id').execute();
      expect(left).toHaveLength(1);
      const audit = await deps.database.db.selectFrom('audit_entry').select('summary').where('action', '=', 'session.purgeExpired').execute();
      // the explicit job and the hourly slot may both run; together they removed the one expired session
      const removed = audit.map((a) => (JSON.parse(a.summary) as { after: { removed: number } }).after.removed);
      expect(removed.reduce((x, y) => x + y, 0)).toBe(1);
    });
  });
}
