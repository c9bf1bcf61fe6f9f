// The "AWS CLI" panel on the portal's own page (the emulator's /start, added as a custom portal
// domain): it finds the start URL, connects with one click on the portal's consent page, lists the
// roles, adds a profile after Confirm, and the AWS CLI uses it.
import assert from 'node:assert/strict';
import * as ui from './ui.mjs';

export const ACCOUNTS = [
  { id: '111122223333', name: 'Dev', roles: ['AdministratorAccess', 'ReadOnly'] },
  { id: '444455556666', name: 'Prod 本番', roles: ['ReadOnly'] },
];

/** @param {import('../lib/driver/index.mjs').Driver} driver @param {import('./env.mjs').Env} env */
export async function portalPanel(driver, env) {
  const portal = await driver.open(`${env.emu.url}/start`);
  const panel = await ui.panelOf(portal);
  assert.equal(await ui.panelStartUrl(panel), `${env.emu.url}/start`);
  await ui.panelConnect(panel);
  const consent = await driver.waitForTab(/\/authorize\?/).catch(async (e) => {
    throw new Error(`${e.message}; the panel showed: ${await panel.text('.panel').catch(() => '?')}`);
  });
  await consent.click('#allow-access');
  assert.equal(await ui.panelRoles(panel), 3);
  assert.doesNotMatch(env.config(), /Dev\.ReadOnly/, 'written before Confirm');
  await ui.panelAdd(panel, '111122223333', 'ReadOnly');
  assert.match(env.config(), /^\[profile Dev\.ReadOnly\]$/m);
  const cli = await env.callerIdentity('Dev.ReadOnly');
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(JSON.parse(cli.stdout).Account, '111122223333');
  await portal.screenshot(`${driver.name}-portal-panel`, { width: 1100, height: 800 });
  assert.deepEqual(driver.problems, []);
}
