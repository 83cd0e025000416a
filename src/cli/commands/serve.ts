import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { roles, startApp, type Role } from '../../start-app.ts';
import { UsageError, type Command } from '../command.ts';

export const serve: Command = {
  name: 'serve',
  summary: 'run the app (web server, workers, scheduler); the default for `npm start`',
  usage: 'propensity serve [--role all|web|worker|scheduler]   (configuration from the environment: see .env.example)',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { role: { type: 'string', default: 'all' } } });
    if (!(roles as readonly string[]).includes(values.role!)) throw new UsageError(`--role must be one of ${roles.join(', ')} (got "${values.role}")`);
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel });
    const app = await startApp(config, logger, { role: values.role as Role });
    const serving = app.role === 'web' || app.role === 'all';
    logger.info({ url: app.publicUrl, role: app.role }, serving ? `Propensity is ready: open ${app.publicUrl}` : `Propensity ${app.role} is running (health on ${app.url}/healthz)`);
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down: finishing in-flight work');
        app.stop().then(resolve, (error) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve();
        });
      };
      process.once('SIGTERM', shutdown).once('SIGINT', shutdown);
    });
    logger.info('stopped');
    return 0;
  },
};
