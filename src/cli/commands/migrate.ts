import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { migrationStatus } from '../../db/migrate.ts';
import { openDatabase } from '../../db/open-database.ts';
import { createLogger } from '../../log.ts';
import type { Command } from '../command.ts';

export const migrate: Command = {
  name: 'migrate',
  summary: 'apply pending MongoDB migrations (also done at every start) and list them',
  usage: 'propensity migrate',
  async run(argv) {
    parseArgs({ args: argv, options: {} });
    const config = loadConfig();
    const database = await openDatabase(config, createLogger({ level: 'warn' }), { shareRunningEngine: true });
    try {
      for (const item of await migrationStatus(database.connection)) {
        const when = item.appliedAt instanceof Date ? item.appliedAt.toISOString() : item.appliedAt;
        console.log(`${item.fileName}  ${when}`);
      }
    } finally {
      await database.close();
    }
    return 0;
  },
};
