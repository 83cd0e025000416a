/**
 * Test set-up for the browser test (test/web/portal-page.browser.test.ts): Debian's `chromium`
 * package at /usr/bin/chromium, which playwright-core drives. `npm test` runs this first; it installs
 * the package with apt-get when it is missing (as root; otherwise it says what to run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

function run(command: string, args: string[]): boolean {
  console.log(`setup-chromium: ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

/** apt's package lists are missing or older than a day: `apt-get install` would not find the package. */
function listsStale(): boolean {
  const dir = '/var/lib/apt/lists';
  const lists = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('_Packages') || f.endsWith('_Packages.lz4')) : [];
  return lists.length === 0 || lists.every((f) => Date.now() - statSync(`${dir}/${f}`).mtimeMs > 86_400_000);
}

if (existsSync(CHROMIUM)) {
  console.log(`setup-chromium: ${CHROMIUM} is there`);
} else if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
  console.error(`setup-chromium: ${CHROMIUM} is missing and this is not a Debian system: the browser test needs Debian's chromium package there`);
  process.exit(1);
} else if (process.getuid?.() !== 0) {
  console.error(`setup-chromium: ${CHROMIUM} is missing. Install it as root, then run the tests again:\n  sudo apt-get update && sudo apt-get install -y chromium`);
  process.exit(1);
} else {
  if (listsStale() && !run('apt-get', ['update'])) process.exit(1);
  if (!run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']) && !(run('apt-get', ['update']) && run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']))) {
    console.error('setup-chromium: apt-get could not install chromium');
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`setup-chromium: the chromium package did not provide ${CHROMIUM}`);
    process.exit(1);
  }
}
