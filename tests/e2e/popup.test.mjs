// Issue 5, end to end: the popup signs in against the emulator, lists accounts and roles, writes
// profiles through the real native host, and then the real AWS CLI v1 uses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProduct, portalRow, approveOnPage, snap } from './lib/product.mjs';

const ORG = {
  accounts: [
    { id: '111111111111', name: 'Production 本番', roles: ['AdministratorAccess', 'ReadOnly'] },
    { id: '222222222222', name: 'Sandbox', roles: ['Developer', 'ReadOnly'] },
    { id: '333333333333', name: 'Shared Services, Inc. [4]', roles: ['ReadOnly'] },
  ],
  pollIntervalSecs: 1,
};

/** Waits for the tab the extension opened, by URL. */
async function waitForTab(context, pattern) {
  for (let i = 0; i < 100; i++) {
    const p = context.pages().find((x) => pattern.test(x.url()));
    if (p) return p;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no tab matching ${pattern}: ${context.pages().map((p) => p.url()).join(', ')}`);
}

/** Signs in with the device flow by clicking on the emulator's page. Returns the user code. */
async function deviceSignIn(product) {
  const { popup, browser } = product;
  await portalRow(popup).locator('[data-action="signIn"]').click();
  const page = await waitForTab(browser.context, /\/device\?user_code=/);
  const code = new URL(page.url()).searchParams.get('user_code');
  // The popup shows the same code, large, while it waits.
  await popup.locator('#user-code').filter({ hasText: code }).waitFor();
  await snap(popup, 'popup-device-code');
  await approveOnPage(page);
  await portalRow(popup).locator('.portal-state[data-state="valid"]').waitFor({ timeout: 20_000 });
  await snap(popup, 'popup-signed-in');
  return code;
}

/** Opens the account list and waits until listing finished. */
async function openAccounts(popup) {
  await portalRow(popup).locator('[data-action="accounts"]').click();
  await popup.locator('#sync-all:not([disabled])').waitFor({ timeout: 30_000 });
}

function assertCallerIs(product, profile, accountId, role) {
  const r = product.aws(['sts', 'get-caller-identity', '--profile', profile, '--output', 'json']);
  assert.equal(r.status, 0, `aws failed: ${r.stderr}`);
  const id = JSON.parse(r.stdout);
  assert.equal(id.Account, accountId);
  assert.match(id.Arn, new RegExp(`^arn:aws:sts::${accountId}:assumed-role/${role}/`));
}

test('device flow from the popup, then the AWS CLI works', async () => {
  const product = await startProduct({ emulator: ORG, flow: 'device' });
  try {
    await deviceSignIn(product);
    // The toolbar badge does not count down the one-hour access token: it renews itself (the
    // emulator hands out refresh tokens), so there is nothing the person must do before it ends.
    const badge = await product.popup.evaluate(() => chrome.action.getBadgeText({}));
    assert.equal(badge, '');
    const cache = JSON.parse(readFileSync(product.cacheFile(), 'utf8'));
    assert.equal(cache.startUrl, `${product.emu.url}/start`);
    assert.match(cache.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(cache.refreshToken && cache.clientId && cache.clientSecret);

    const { popup } = product;
    await openAccounts(popup);
    await snap(popup, 'popup-accounts');
    await popup.fill('#search', 'sandbox');
    const row = popup.locator('li[data-role="222222222222/Developer"]');
    await row.locator('input[type="checkbox"]').check();
    const profile = await row.getAttribute('data-profile');
    assert.equal(profile, 'Sandbox.Developer');
    await popup.click('#add-selected');
    await popup.locator('#review:not([hidden])').waitFor();
    assert.match(await popup.locator('#diff').textContent(), /\+\[profile Sandbox\.Developer\]/);
    await snap(popup, 'popup-review');
    await popup.click('#apply');
    await popup.locator('#done:not([hidden])').waitFor();
    await snap(popup, 'popup-done');
    assert.equal(await popup.locator('#done-profiles li').count(), 1);
    assert.match(await popup.locator('#done-profiles').textContent(), /aws sts get-caller-identity --profile Sandbox\.Developer/);
    assert.match(product.config(), /\[profile Sandbox\.Developer\]/);
    assertCallerIs(product, 'Sandbox.Developer', '222222222222', 'Developer');
    assert.deepEqual(product.pageErrors, []);
  } finally {
    await product.close();
  }
});

test('PKCE flow through the emulator sign-in page, then the AWS CLI works', async () => {
  const product = await startProduct({ emulator: ORG, flow: 'pkce' });
  try {
    const { popup, browser } = product;
    await portalRow(popup).locator('[data-action="signIn"]').click();
    const page = await waitForTab(browser.context, /\/authorize\?/);
    await page.locator('#allow-access').click();
    await portalRow(popup).locator('.portal-state[data-state="valid"]').waitFor({ timeout: 20_000 });
    // The extension closed the callback tab itself.
    assert.equal(browser.context.pages().filter((p) => p.url().includes('/oauth/callback')).length, 0);
    assert.ok(existsSync(product.cacheFile()));
    await openAccounts(popup);
    await popup.locator('li[data-role="111111111111/ReadOnly"] input[type="checkbox"]').check();
    const profile = await popup.locator('li[data-role="111111111111/ReadOnly"]').getAttribute('data-profile');
    await popup.click('#add-selected');
    await popup.click('#apply');
    await popup.locator('#done:not([hidden])').waitFor();
    assertCallerIs(product, profile, '111111111111', 'ReadOnly');
  } finally {
    await product.close();
  }
});

test('picker: add two, then sync all with prune removes a revoked role and keeps hand-written profiles', async () => {
  const product = await startProduct({ emulator: ORG, flow: 'device' });
  try {
    const { popup } = product;
    await deviceSignIn(product);
    await openAccounts(popup);
    for (const key of ['111111111111/ReadOnly', '222222222222/ReadOnly']) {
      await popup.locator(`li[data-role="${key}"] input[type="checkbox"]`).check();
    }
    await popup.click('#add-selected');
    await popup.click('#apply');
    await popup.locator('#done:not([hidden])').waitFor();
    const config = product.config();
    const revoked = 'Sandbox.ReadOnly';
    assert.match(config, /\[profile Sandbox\.ReadOnly\]/);
    // A person's own profile, written by hand.
    appendFileSync(join(product.home, '.aws/config'), '\n# mine\n[profile mine]\nregion = eu-west-1\n');
    // The portal stops granting Sandbox's ReadOnly role.
    await product.emu.admin('/admin/config', { accounts: ORG.accounts.map((a) => (a.id === '222222222222' ? { ...a, roles: ['Developer'] } : a)) });
    await popup.click('#done-back');
    await popup.click('#accounts-back');
    await openAccounts(popup);
    assert.equal(await popup.locator('li[data-role="222222222222/ReadOnly"]').count(), 0);
    await popup.check('#prune');
    await popup.click('#sync-all');
    await popup.locator('#review:not([hidden])').waitFor();
    assert.match(await popup.locator('#diff').textContent(), /-\[profile Sandbox\.ReadOnly\]/);
    await popup.click('#apply');
    await popup.locator('#done:not([hidden])').waitFor();
    const after = product.config();
    assert.doesNotMatch(after, new RegExp(`\\[profile ${revoked.replace('.', '\\.')}\\]`));
    assert.match(after, /# mine\n\[profile mine\]\nregion = eu-west-1\n/);
    assert.match(after, /\[profile Sandbox\.Developer\]/);
  } finally {
    await product.close();
  }
});

test('the service worker is stopped in the middle of a device login; the login still completes', async () => {
  const product = await startProduct({ emulator: ORG, flow: 'device' });
  try {
    const { popup, browser } = product;
    await portalRow(popup).locator('[data-action="signIn"]').click();
    const page = await waitForTab(browser.context, /\/device\?user_code=/);
    const cdp = await browser.context.newCDPSession(popup);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await approveOnPage(page);
    await portalRow(popup).locator('.portal-state[data-state="valid"]').waitFor({ timeout: 30_000 });
    assert.ok(existsSync(product.cacheFile()));
  } finally {
    await product.close();
  }
});

test('two sign-in clicks open one verification tab', async () => {
  const product = await startProduct({ emulator: ORG, flow: 'device' });
  try {
    const { popup, browser, emu } = product;
    await popup.evaluate(() => Promise.all([
      chrome.runtime.sendMessage({ type: 'signIn', sessionName: 'demo' }),
      chrome.runtime.sendMessage({ type: 'signIn', sessionName: 'demo' }),
    ]));
    const page = await waitForTab(browser.context, /\/device\?user_code=/);
    // A third request while the login waits for the person joins it too.
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'signIn', sessionName: 'demo' }));
    await approveOnPage(page);
    await portalRow(popup).locator('.portal-state[data-state="valid"]').waitFor({ timeout: 20_000 });
    const counts = await emu.admin('/admin/counts');
    assert.equal(counts.StartDeviceAuthorization, 1);
    assert.equal(browser.context.pages().filter((p) => /\/device/.test(p.url())).length, 1);
  } finally {
    await product.close();
  }
});

test('a throttled and failing portal still lists every account, with progress shown', async () => {
  const product = await startProduct({
    emulator: { accounts: 60, rolesPerAccount: 2, pollIntervalSecs: 1, throttle: { listingRps: 20, burst: 2 }, faults: { serverErrorRate: 0.1, seed: 7 } },
    flow: 'device',
  });
  try {
    const { popup, emu } = product;
    await deviceSignIn(product);
    await popup.evaluate(() => {
      window.__progress = [];
      new MutationObserver(() => window.__progress.push(document.getElementById('progress')?.textContent)).observe(document.getElementById('progress'), { childList: true, characterData: true, subtree: true });
    });
    await openAccounts(popup);
    assert.match(await popup.locator('#progress').textContent(), /^60 accounts, 120 roles$/);
    assert.equal(await popup.locator('#failed li').count(), 0);
    const seen = await popup.evaluate(() => window.__progress);
    assert.ok(seen.some((s) => /Listed \d+ of 60 accounts/.test(s)), `progress seen: ${seen.join(' | ')}`);
    const counts = await emu.admin('/admin/counts');
    assert.ok((counts.Throttled ?? 0) + (counts.InjectedServerError ?? 0) > 0, `the emulator throttled or failed nothing: ${JSON.stringify(counts)}`);
  } finally {
    await product.close();
  }
});
