import type { Deps } from './deps.js';
import { purgeExpiredSessions } from './access/housekeeping.service.js';
import { alertSettingsOf } from './cases/alerts.js';
import { SWEEP_JOB, sweepDeadlines } from './cases/alerts.service.js';
import { DELIVERY_SWEEP_JOB, sweepDeliveryDeadlines } from './dualreport/delivery-alerts.service.js';
import { JobRunner, defaultOwner } from './platform/jobs/scheduler.js';
import { jobDatabase } from './platform/jobs/jobs.store.js';

/**
 * The job runner of one server process, with every capability's job handlers and schedules. Reminders,
 * escalations and report deliveries of later capabilities register here.
 */
export function createJobRunner(deps: Deps): JobRunner {
  const runner = new JobRunner({
    database: jobDatabase(deps.database),
    owner: defaultOwner(),
    pollMs: deps.config.jobs.pollMs,
    clock: deps.clock,
    logger: deps.logger,
    handlers: {
      'access.purgeExpiredSessions': async () => {
        await purgeExpiredSessions(deps);
      },
      [SWEEP_JOB]: async (_payload, job) => {
        const r = await sweepDeadlines(deps, {
          settings: alertSettingsOf(deps.config.alerts),
          signal: job.signal,
        });
        if (r.batches > 0) deps.logger.info({ job: SWEEP_JOB, ...r }, 'case deadlines swept');
      },
      [DELIVERY_SWEEP_JOB]: async (_payload, job) => {
        const r = await sweepDeliveryDeadlines(deps, {
          settings: alertSettingsOf(deps.config.alerts),
          signal: job.signal,
        });
        if (r.batches > 0)
          deps.logger.info({ job: DELIVERY_SWEEP_JOB, ...r }, 'dual report deliveries swept');
      },
    },
  });
  runner.every('access.purgeExpiredSessions', 60 * 60 * 1000);
  runner.every(SWEEP_JOB, deps.config.alerts.sweepMs);
  runner.every(DELIVERY_SWEEP_JOB, deps.config.alerts.sweepMs);
  return runner;
}
