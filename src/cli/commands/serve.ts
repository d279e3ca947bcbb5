import type { Command } from 'commander';
import { buildApp, createLogger, openDeps } from '../../app.js';
import { seedDemoBasics, DEMO_PASSWORD } from '../../registry/demo-seed.service.js';
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
      if (config.demoOnEmpty) {
        const logins = await seedDemoBasics(deps);
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
