/** Runs the `propensity` CLI as a user would (`node src/cli/bin.js ...`) in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { Command } from '../../src/cli/command.ts';
import { projectRoot } from '../../src/install/app-definition.ts';

export const cliPath = path.join(projectRoot, 'src', 'cli', 'bin.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion. `env` replaces the environment (PATH is kept). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs one command in this process, its console lines captured: for checks that need no child process. */
export async function runCommand(t: TestContext, command: Command, argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (line: string) => out.push(line));
  t.mock.method(console, 'error', (line: string) => err.push(line));
  try {
    return { code: await command.run(argv), out, err };
  } finally {
    t.mock.restoreAll();
  }
}
