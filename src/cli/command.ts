/**
 * One `propensity <name>` sub-command. `run` receives the arguments after the command name and
 * resolves to the process exit code (0 ok, 2 bad input, 1 failure). Commands print their own output.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** Thrown for bad command-line input: the CLI prints `message` as one line and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
