// Launches Debian's Chromium with the built extension loaded, in a throw-away profile.
// Playwright is only the remote control; the browser, the extension and (when a test registers
// it) the native host are the real ones.
import { chromium } from 'playwright-core';
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

/**
 * @param {{ extensionDir?: string, setup?: (userDataDir: string) => void }} [opts]
 *   `setup` runs before launch, e.g. to place a native-messaging host manifest in the profile.
 */
export async function launch(opts = {}) {
  const extensionDir = opts.extensionDir ?? required('SSOBRIDGE_EXTENSION_DIR');
  const userDataDir = mkdtempSync(join(tmpdir(), 'ssobridge-chromium-'));
  opts.setup?.(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...QUIET, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    worker,
    userDataDir,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
