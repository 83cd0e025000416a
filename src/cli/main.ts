/**
 * `propensity <command> [options]`. Bad input prints one line and exits with 2; a failure prints one
 * line (the reason) and exits with 1.
 */
import { ConfigError } from '../config.ts';
import { UsageError, type Command } from './command.ts';
import { backtest } from './commands/backtest.ts';
import { evaluate } from './commands/evaluate.ts';
import { hubspotProject } from './commands/hubspot-project.ts';
import { migrate } from './commands/migrate.ts';
import { rotateTokenKeyCommand } from './commands/rotate-token-key.ts';
import { sandbox } from './commands/sandbox.ts';
import { serve } from './commands/serve.ts';
import { sync } from './commands/sync.ts';

export const commands: Command[] = [serve, sync, sandbox, evaluate, backtest, migrate, hubspotProject, rotateTokenKeyCommand];

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Propensity: AI lead scoring and churn prediction for HubSpot.',
    '',
    'usage: propensity <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'propensity <command> --help shows a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name = 'serve', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(helpText());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`propensity: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nusage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || isParseArgsError(error)) {
      console.error(`propensity ${command.name}: ${(error as Error).message}`);
      return 2;
    }
    console.error(`propensity ${command.name}: ${(error as Error).message ?? error}`);
    return 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
