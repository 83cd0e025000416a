/**
 * The embedded MongoDB engine's native library needs glibc >= 2.38. Debian 12 ships 2.36, so on such
 * a machine we fetch Debian 13's libc6, libgcc-s1 and libstdc++6 once with a private apt
 * configuration (the system's apt set-up is left alone), unpack them under the data folder, and start
 * only the database process through that glibc's loader. On glibc >= 2.38 nothing is needed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GlibcRuntime {
  /** The dynamic loader to start node with. */
  loader: string;
  /** Its `--library-path`. */
  libraryPath: string;
}

const REQUIRED = [2, 38] as const;
const PACKAGES = ['libc6', 'libgcc-s1', 'libstdc++6'];
const SUITE = 'trixie';

/** The running glibc's version, e.g. `[2, 36]`; null when not on glibc (macOS, musl). */
export function systemGlibcVersion(): [number, number] | null {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const version = report?.header?.glibcVersionRuntime;
  if (!version) return null;
  const [major, minor] = version.split('.').map(Number);
  return [major, minor];
}

export function needsGlibcRuntime(version = systemGlibcVersion()): boolean {
  if (version === null) return false;
  return version[0] < REQUIRED[0] || (version[0] === REQUIRED[0] && version[1] < REQUIRED[1]);
}

/**
 * Returns the private glibc to start the engine with, downloading it into `cacheDir` on first use,
 * or null when the system's glibc is new enough.
 */
export async function ensureGlibcRuntime(cacheDir: string, say: (line: string) => void): Promise<GlibcRuntime | null> {
  if (!needsGlibcRuntime()) return null;
  const root = path.join(cacheDir, `glibc-${SUITE}`);
  const runtime = runtimeIn(root);
  if (existsSync(runtime.loader)) return runtime;
  if (process.arch !== 'x64' && process.arch !== 'arm64') {
    throw new Error(`embedded MongoDB: no glibc >= 2.38 runtime for ${process.arch}; set MONGODB_URI to use your own MongoDB`);
  }
  say(`embedded MongoDB needs glibc >= ${REQUIRED.join('.')} (this system has ${systemGlibcVersion()?.join('.')}): fetching Debian ${SUITE}'s libc6, libgcc-s1, libstdc++6 once into ${root}`);
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(path.join(cacheDir, '.glibc-download-'));
  try {
    await downloadPackages(work);
    const unpacked = path.join(work, 'root');
    for (const deb of (await readdir(path.join(work, 'debs'))).filter((f) => f.endsWith('.deb'))) {
      await run('dpkg-deb', ['-x', path.join(work, 'debs', deb), unpacked]);
    }
    if (!existsSync(runtimeIn(unpacked).loader)) throw new Error('the downloaded libc6 has no dynamic loader');
    await rename(unpacked, root).catch((error: NodeJS.ErrnoException) => {
      // Another process finished the same download first: use its copy.
      if (!existsSync(runtime.loader)) throw error;
    });
    say('glibc runtime ready');
    return runtime;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`embedded MongoDB: could not fetch the glibc runtime with apt-get (${reason}). Needs Debian's apt-get and its archive, or set MONGODB_URI to use your own MongoDB.`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function runtimeIn(root: string): GlibcRuntime {
  const triplet = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  const libraryPath = path.join(root, 'usr', 'lib', triplet);
  const loaderName = process.arch === 'arm64' ? 'ld-linux-aarch64.so.1' : 'ld-linux-x86-64.so.2';
  return { loader: path.join(libraryPath, loaderName), libraryPath };
}

async function downloadPackages(work: string): Promise<void> {
  const dirs = ['lists/partial', 'cache/archives/partial', 'debs'];
  for (const dir of dirs) await mkdir(path.join(work, dir), { recursive: true });
  const keyring = `/usr/share/keyrings/debian-archive-${SUITE}-stable.gpg`;
  const signedBy = existsSync(keyring) ? `[signed-by=${keyring}]` : '[trusted=yes]';
  const sources = path.join(work, 'sources.list');
  await writeFile(sources, `deb ${signedBy} http://deb.debian.org/debian ${SUITE} main\n`);
  const privateApt = [
    '-o', `Dir::Etc::SourceList=${sources}`,
    '-o', 'Dir::Etc::SourceParts=/nonexistent',
    '-o', `Dir::State::Lists=${path.join(work, 'lists')}`,
    '-o', `Dir::Cache=${path.join(work, 'cache')}`,
    '-o', 'Dir::State::status=/dev/null',
    '-o', 'Debug::NoLocking=1',
    '-o', 'APT::Sandbox::User=root',
    '-qq',
  ];
  await run('apt-get', [...privateApt, 'update'], { timeout: 180_000 });
  await run('apt-get', [...privateApt, 'download', ...PACKAGES], { cwd: path.join(work, 'debs'), timeout: 180_000 });
}
