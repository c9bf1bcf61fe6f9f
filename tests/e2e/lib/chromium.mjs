// Launches Debian's Chromium with the built extension loaded, in a throw-away profile.
// Playwright is only the remote control; the browser, the extension and (when a test registers
// it) the native host are the real ones.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXTENSION_ID = 'gfjggkhhfllfodkgihkkjigdbliapmgc';

/** The environment variable `name`, or a failure that says how the tests are meant to be run. */
export function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests through \`cargo xtask test\``);
  return v;
}

// Flags that keep Chromium quiet on a machine with no internet (toolchain.md).
const QUIET = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** The browser's environment: a temporary HOME and none of the caller's AWS settings. */
export function browserEnv(home, extra = {}) {
  const env = { ...process.env, HOME: home, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_') && !(k in extra)) delete env[k];
  return env;
}

/**
 * @param {{ extensionDir?: string, withHost?: boolean, headless?: boolean, env?: Record<string, string> }} [opts]
 *   `withHost` registers the real native host in this profile with its own installer, and gives
 *   the browser (and so the host it starts) a temporary HOME: the person's ~/.aws is never used.
 */
export async function launch(opts = {}) {
  const extensionDir = opts.extensionDir ?? required('SSOBRIDGE_EXTENSION_DIR');
  const userDataDir = mkdtempSync(join(tmpdir(), 'ssobridge-chromium-'));
  const home = mkdtempSync(join(tmpdir(), 'ssobridge-home-'));
  if (opts.withHost) {
    execFileSync(required('SSOBRIDGE_HOST'), ['install', '--browser', 'chromium', '--user-data-dir', userDataDir], { env: { ...process.env, HOME: home }, stdio: 'pipe' });
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: opts.headless ?? true,
    args: [...QUIET, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
    env: browserEnv(home, opts.env),
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    worker,
    userDataDir,
    home,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
