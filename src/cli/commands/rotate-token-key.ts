import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/open-database.ts';
import { rotateTokenKey } from '../../install/rotate-token-key.ts';
import { loadTokenKeyring } from '../../install/token-keys.ts';
import { createLogger } from '../../log.ts';
import type { Command } from '../command.ts';

export const rotateTokenKeyCommand: Command = {
  name: 'rotate-token-key',
  summary: 're-encrypt every stored OAuth token under the current TOKEN_ENCRYPTION_KEY',
  usage:
    'TOKEN_ENCRYPTION_KEY=<new> TOKEN_ENCRYPTION_KEY_ID=k2 TOKEN_ENCRYPTION_PREVIOUS_KEYS=k1:<old> propensity rotate-token-key',
  async run(argv) {
    parseArgs({ args: argv, options: {} });
    const config = loadConfig();
    const keyring = await loadTokenKeyring(config);
    const database = await openDatabase(config, createLogger({ level: 'warn' }), { shareRunningEngine: true });
    try {
      const { rotated, current } = await rotateTokenKey(database.connection, keyring);
      console.log(`re-encrypted the tokens of ${rotated} portal(s) under key "${keyring.current.keyId}"; ${current} already were`);
    } finally {
      await database.close();
    }
    return 0;
  },
};
