// The device-verification guard's two verdicts on the emulator's verification pages: a code
// SSO Bridge requested gets the "requested by SSO Bridge" note (and, with auto-confirm off, waits
// for the person); a code someone else started gets the warning and is never confirmed.
import assert from 'node:assert/strict';
import { foreignDeviceCode } from '../fixtures/person.mjs';
import { existsSync } from 'node:fs';
import { poll } from '../lib/driver/common.mjs';
import * as ui from './ui.mjs';

// The guard draws in an open shadow root: ` >> ` steps into it (both drivers).
const NOTE = '#ssobridge-device >> [data-kind="ours"]';
const WARNING = '#ssobridge-device >> [data-kind="warning"]';

/** @param {import('../lib/driver/index.mjs').Driver} driver @param {import('./env.mjs').Env} env */
export async function deviceGuard(driver, env) {
  // Ours: the panel connects with the device flow, and the extension opens the verification page.
  const portal = await driver.open(`${env.emu.url}/start`);
  const panel = await ui.panelOf(portal);
  await ui.panelConnect(panel);
  const tab = await driver.waitForTab(/\/device\?user_code=/);
  const code = /** @type {string} */ (new URL(await tab.url()).searchParams.get('user_code'));
  await tab.waitFor(NOTE);
  assert.equal(await tab.count(WARNING), 0);
  assert.ok((await env.emu.admin('/admin/device/pending')).includes(code), 'confirmed for the person with auto-confirm off');

  // Someone else's: the warning, with their code, and nothing pressed.
  const foreign = await foreignDeviceCode(env.emu.url);
  const phish = await driver.open(foreign.verificationUriComplete);
  await phish.waitFor(WARNING);
  assert.match(await phish.text(WARNING), new RegExp(foreign.userCode));
  assert.equal(await phish.count(NOTE), 0);
  assert.ok(await phish.visible('#confirm-code'));
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok((await env.emu.admin('/admin/device/pending')).includes(foreign.userCode));
  await phish.screenshot(`${driver.name}-device-warning`, { width: 1000, height: 700 });
  await phish.close();

  // The person confirms their own code, and the login completes.
  await tab.click('#confirm-code');
  await tab.waitFor('#allow-access');
  await tab.waitFor(NOTE);
  await tab.click('#allow-access');
  await tab.waitFor('#device-approved');
  // Signed in: the host wrote the token for the portal the panel connected (named after its host).
  // The panel itself is not waited for here: it sometimes stops refreshing after a device login
  // finished in another tab (a known bug, in the report of issue 14).
  await poll('the token in ~/.aws/sso/cache', 30_000, () => existsSync(env.cacheFile('local')));
  assert.ok(!(await env.emu.admin('/admin/device/pending')).includes(code));
  assert.ok((await env.emu.admin('/admin/device/pending')).includes(foreign.userCode));
  assert.deepEqual(driver.problems, []);
}
