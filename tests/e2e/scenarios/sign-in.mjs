// Sign-in from the popup with either login flow, listing with progress, picking, review, apply,
// the AWS CLI using what was written, and logout: the same steps in every browser.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as ui from './ui.mjs';

export const SESSION = 'demo';

// Enough accounts, listed slowly enough (throttled, with faults), that progress is shown.
export const ORG = {
  accounts: [
    { id: '111111111111', name: 'Production 本番', roles: ['AdministratorAccess', 'ReadOnly'] },
    { id: '222222222222', name: 'Sandbox', roles: ['Developer', 'ReadOnly'] },
    ...Array.from({ length: 28 }, (_, i) => ({ id: String(300000000000 + i), name: `Team ${i}`, roles: ['ReadOnly'] })),
  ],
  pollIntervalSecs: 1,
  throttle: { listingRps: 20, burst: 2 },
  faults: { serverErrorRate: 0.1, seed: 7 },
};

/** @param {import('../lib/driver/index.mjs').Driver} driver @param {import('./env.mjs').Env} env */
async function popupWithPortal(driver, env) {
  const popup = await ui.openPopup(driver);
  await ui.addPortal(popup, { startUrl: `${env.emu.url}/start`, region: 'us-east-1', sessionName: SESSION });
  return popup;
}

/**
 * PKCE: the popup's Sign in opens the emulator's authorize page; Allow there; the extension
 * catches the redirect, closes that tab, and the host writes the token.
 * @param {import('../lib/driver/index.mjs').Driver} driver @param {import('./env.mjs').Env} env
 */
export async function pkceSignIn(driver, env) {
  const popup = await popupWithPortal(driver, env);
  await ui.clickSignIn(popup, SESSION);
  const page = await driver.waitForTab(/\/authorize\?/);
  await page.click('#allow-access');
  await ui.waitSignedIn(popup, SESSION);
  assert.deepEqual((await driver.tabUrls()).filter((u) => u.includes('/oauth/callback')), [], 'the callback tab is left open');
  assert.ok(existsSync(env.cacheFile(SESSION)), 'no token in ~/.aws/sso/cache');
  return popup;
}

/**
 * Device code: the popup's Sign in opens the verification page and shows the same code; Confirm
 * and Allow there as a person would.
 * @param {import('../lib/driver/index.mjs').Driver} driver @param {import('./env.mjs').Env} env
 */
export async function deviceSignIn(driver, env) {
  const popup = await popupWithPortal(driver, env);
  await ui.clickSignIn(popup, SESSION);
  const page = await driver.waitForTab(/\/device\?user_code=/);
  const code = new URL(await page.url()).searchParams.get('user_code');
  assert.equal(await ui.shownUserCode(popup), code);
  await popup.screenshot(`${driver.name}-popup-device-code`);
  await approveOurCode(page);
  await ui.waitSignedIn(popup, SESSION);
  assert.ok(existsSync(env.cacheFile(SESSION)), 'no token in ~/.aws/sso/cache');
  return popup;
}

/**
 * Confirm and Allow on the emulator's verification pages, as a person would once the device
 * guard (the emulator is a custom portal domain) has drawn its "requested by SSO Bridge" note on
 * each page: the note pushes the page down, so the buttons are clicked where they end up.
 * @param {import('../lib/driver/index.mjs').Tab} page
 */
export async function approveOurCode(page) {
  const note = '#ssobridge-device >> [data-kind="ours"]';
  await page.waitFor(note);
  await page.click('#confirm-code');
  await page.waitFor('#allow-access');
  await page.waitFor(note);
  await page.click('#allow-access');
  await page.waitFor('#device-approved');
}

/**
 * From a signed-in popup: list (progress shown), search, pick one role, review the diff, apply,
 * and the AWS CLI answers as that role; then logout removes the token and the CLI stops working.
 * @param {import('../lib/driver/index.mjs').Driver} driver @param {import('./env.mjs').Env} env
 * @param {import('../lib/driver/index.mjs').Tab} popup
 */
export async function pickApplyAndLogout(driver, env, popup) {
  const progress = await ui.listAccounts(popup, SESSION);
  assert.ok(progress.some((s) => /\d+ of 30/.test(s)), `progress seen: ${progress.join(' | ')}`);
  const counts = await env.emu.admin('/admin/counts');
  assert.ok((counts.Throttled ?? 0) + (counts.InjectedServerError ?? 0) > 0, `nothing was throttled or failed: ${JSON.stringify(counts)}`);
  await ui.search(popup, 'sandbox');
  assert.equal(await ui.roleCount(popup, '111111111111/ReadOnly'), 0, 'the search did not filter');
  const profile = await ui.pick(popup, '222222222222/Developer');
  assert.equal(profile, 'Sandbox.Developer');
  assert.match(await ui.reviewSelected(popup), /\+\[profile Sandbox\.Developer\]/);
  assert.doesNotMatch(env.config(), /Sandbox\.Developer/, 'written before Apply');
  assert.match(await ui.apply(popup), /aws sts get-caller-identity --profile Sandbox\.Developer/);
  await popup.screenshot(`${driver.name}-popup-done`);
  assert.match(env.config(), /^\[profile Sandbox\.Developer\]$/m);

  const cli = await env.callerIdentity('Sandbox.Developer');
  assert.equal(cli.code, 0, cli.stderr);
  const id = JSON.parse(cli.stdout);
  assert.equal(id.Account, '222222222222');
  assert.match(id.Arn, /^arn:aws:sts::222222222222:assumed-role\/Developer\//);

  await ui.logout(driver, SESSION);
  assert.ok(!existsSync(env.cacheFile(SESSION)), 'the token outlived the logout');
  assert.notEqual((await env.callerIdentity('Sandbox.Developer')).code, 0, 'the CLI still works after logout');
  assert.deepEqual(driver.problems, []);
}
