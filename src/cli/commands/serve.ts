import type { Command } from 'commander';
import { buildApp, createLogger, openDeps } from '../../app.js';
import { seedDemoBasics, DEMO_PASSWORD, type DemoLogin } from '../../registry/demo-seed.service.js';
import { loadDemoDistrict } from '../../registry/demo.service.js';
import { countUsers } from '../../access/access.store.js';
import { loadConfigOrExit } from '../context.js';
import { createJobRunner } from '../../jobs.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('Migrate the database, load the demo on an empty one, and serve the API and console')
    .action(async () => {
      const config = loadConfigOrExit();
      const logger = createLogger(config);
      const deps = await openDeps(config, logger);
      if (config.demoOnEmpty !== 'none' && (await countUsers(deps.database.db)) === 0) {
        let logins: DemoLogin[] | null;
        if (config.demoOnEmpty === 'full') {
          process.stdout.write('Empty database: loading the demo district of 闵行区 (generated geometry) …\n');
          const r = await loadDemoDistrict(deps, { onProgress: (step) => process.stdout.write(`  demo: ${step}\n`) });
          logins = r.logins;
        } else logins = await seedDemoBasics(deps);
        if (logins) {
          const lines = logins.map((l) => `  ${l.username.padEnd(12)} ${l.role.padEnd(18)} ${l.displayName}（${l.unitName}）`);
          process.stdout.write(`\nDemo logins (password for all: ${DEMO_PASSWORD}):\n${lines.join('\n')}\n\n`);
        }
      }
      const app = await buildApp(deps);
      const jobs = config.jobs.enabled ? createJobRunner(deps) : undefined;
      const stop = async (signal: string) => {
        logger.info({ signal }, 'shutting down');
        await app.close();
        await jobs?.stop();
        await deps.database.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      await app.listen({ port: config.port, host: config.host });
      jobs?.start();
      const where = `http://localhost:${config.port}`;
      process.stdout.write(`OneGrid is serving ${where}  (API docs ${where}/api/docs, database: ${deps.database.dialect})\n`);
    });
}
