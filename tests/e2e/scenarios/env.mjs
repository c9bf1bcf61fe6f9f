// What every shared scenario starts from: the emulator, one browser (the driver) with the real
// extension and the real native host registered for that browser by its own installer in a
// temporary HOME, the options set as a person sets them, and AWS CLI v1 pointed at the emulator.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchDriver } from '../lib/driver/index.mjs';
import { startEmulator } from '../lib/emulator.mjs';
import { configure } from './ui.mjs';

/**
 * @param {'chromium' | 'firefox'} browser
 * @param {{ emulator?: object, loginFlow?: 'pkce' | 'device', autoConfirm?: boolean, prefs?: Record<string, any> }} [opts]
 *   `prefs`: Firefox preferences for the profile (Chromium has none)
 */
export async function startEnv(browser, opts = {}) {
  const emu = await startEmulator(opts.emulator);
  /** @type {import('../lib/driver/index.mjs').Driver | undefined} */
  let driver;
  try {
    driver = await launchDriver(browser, { withHost: true, prefs: opts.prefs });
    await configure(driver, emu.url, { loginFlow: opts.loginFlow ?? 'pkce', autoConfirm: opts.autoConfirm });
  } catch (e) {
    await driver?.close().catch(() => {});
    await emu.stop();
    throw e;
  }
  const d = driver;
  const home = d.home;
  return {
    emu,
    driver: d,
    home,
    /** `aws sts get-caller-identity --profile NAME` (AWS CLI v1, the test's HOME, the emulator's endpoints). @param {string} profile */
    callerIdentity(profile) {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, AWS_ENDPOINT_URL_SSO: emu.url, AWS_ENDPOINT_URL_SSO_OIDC: emu.url, AWS_ENDPOINT_URL_STS: emu.url };
      return /** @type {Promise<{ code: number, stdout: string, stderr: string }>} */ (new Promise((resolve) => {
        execFile(join(process.cwd(), '.venv/bin/aws'), ['sts', 'get-caller-identity', '--profile', profile, '--output', 'json'], { env }, (err, stdout, stderr) => {
          resolve({ code: err ? Number(/** @type {any} */ (err).code ?? 1) : 0, stdout, stderr });
        });
      }));
    },
    config: () => (existsSync(join(home, '.aws/config')) ? readFileSync(join(home, '.aws/config'), 'utf8') : ''),
    /** Where the host keeps a session's token, as the AWS CLI looks it up. @param {string} session */
    cacheFile: (session) => join(home, '.aws/sso/cache', `${createHash('sha1').update(session).digest('hex')}.json`),
    async close() {
      await d.close().catch(() => {});
      await emu.stop();
    },
  };
}
/** @typedef {Awaited<ReturnType<typeof startEnv>>} Env */
