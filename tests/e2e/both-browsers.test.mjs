// Issue 14: the shared scenarios (tests/e2e/scenarios/), each run in Chromium (Playwright) and in
// Firefox ESR (WebDriver BiDi), with the real extension, the real native host registered for that
// browser by its own installer, the emulator, and AWS CLI v1.
import { test } from 'node:test';
import { BROWSERS } from './lib/driver/index.mjs';
import { startEnv } from './scenarios/env.mjs';
import { ORG, pkceSignIn, deviceSignIn, pickApplyAndLogout } from './scenarios/sign-in.mjs';
import { ACCOUNTS, portalPanel } from './scenarios/panel.mjs';
import { deviceGuard } from './scenarios/device-guard.mjs';

/**
 * @param {string} title @param {Parameters<typeof startEnv>[1]} opts
 * @param {(driver: import('./lib/driver/index.mjs').Driver, env: import('./scenarios/env.mjs').Env) => Promise<void>} scenario
 */
function both(title, opts, scenario) {
  for (const browser of BROWSERS) {
    test(`${browser}: ${title}`, { timeout: 180_000 }, async () => {
      const env = await startEnv(browser, opts);
      try {
        await scenario(env.driver, env);
      } finally {
        await env.close();
      }
    });
  }
}

both('PKCE sign-in, listing with progress, pick, review, apply; the AWS CLI answers; logout', { emulator: ORG, loginFlow: 'pkce' }, async (driver, env) => {
  await pickApplyAndLogout(driver, env, await pkceSignIn(driver, env));
});

both('device-code sign-in on the verification page, pick, apply; the AWS CLI answers; logout', { emulator: ORG, loginFlow: 'device' }, async (driver, env) => {
  await pickApplyAndLogout(driver, env, await deviceSignIn(driver, env));
});

both('the portal panel connects, lists, and adds a profile the AWS CLI uses', { emulator: { accounts: ACCOUNTS, pollIntervalSecs: 1 }, loginFlow: 'pkce' }, portalPanel);

both('the device-code guard: our code gets the note, someone else\'s the warning and is never confirmed', { emulator: { accounts: ACCOUNTS, pollIntervalSecs: 1 }, loginFlow: 'device' }, deviceGuard);
