// Issue 13, "every wait has an end": behind a network that swallows traffic, "Sign in" (device
// code and PKCE) shows progress and then, within the core's limit, a message that says what
// probably happened with Retry, and Retry works once the network does; a refused connection says
// to check the region or a blocking proxy instead; a listing whose portal
// does not answer ends in a message with Retry above the list, not "Listing accounts…" forever.
// The limits themselves are the core's (crate/src/session/lifecycle/waits.rs, unit-tested);
// here they are only bounded from above, generously.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProduct, portalRow, approveOnPage } from './lib/product.mjs';
import { EXTENSION_ID } from './lib/chromium.mjs';
import { startBlackhole } from './lib/blackhole.mjs';
import { messages } from './lib/views.mjs';

/** The core's limits (waits.rs) plus room for a slow machine. */
const SIGN_IN_END_MS = 20_000 + 15_000;
const LISTING_END_MS = 20_000 + 15_000;

/** The options page's endpoint overrides and sign-in method, set as a person would. */
async function setOptions(/** @type {import('playwright-core').BrowserContext} */ context, /** @type {string} */ oidc, /** @type {string} */ portal, /** @type {'pkce' | 'device'} */ flow) {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  await options.locator('input[name="nameTemplate"]').waitFor();
  await options.locator('details summary').click();
  await options.fill('input[name="oidc"]', oidc);
  await options.fill('input[name="portal"]', portal);
  await options.check(`input[name="loginFlow"][value="${flow}"]`);
  await options.click('button[type="submit"]');
  await options.locator('#saved:not(:empty)').waitFor();
  await options.close();
}

for (const flow of /** @type {const} */ (['device', 'pkce'])) {
  test(`a swallowed sign-in (${flow}) ends with what probably happened and Retry, and Retry signs in`, { timeout: 180_000 }, async () => {
    const m = await messages('en');
    const hole = await startBlackhole();
    const product = await startProduct({ flow });
    try {
      const { popup, browser, emu } = product;
      await setOptions(browser.context, hole.url, emu.url, flow);
      await popup.bringToFront();
      const started = Date.now();
      await portalRow(popup).locator('[data-action="signIn"]').click();
      // Progress while it waits, then the end.
      await popup.locator('#login-progress', { hasText: m('loginContacting') }).waitFor({ timeout: 10_000 });
      await portalRow(popup).locator('.portal-error').waitFor({ timeout: SIGN_IN_END_MS });
      const waited = Date.now() - started;
      assert.ok(waited < SIGN_IN_END_MS, `ended after ${waited} ms`);
      assert.ok(hole.held() > 0, 'the sign-in never reached the swallowing server');
      assert.equal(await portalRow(popup).locator('.portal-error').textContent(), m('err_sign_in_no_answer'));
      assert.equal(await popup.locator('#home').isVisible(), true);
      const retry = portalRow(popup).locator('[data-action="signIn"]');
      assert.equal(await retry.textContent(), m('retry'));

      // The network works again: Retry signs in.
      await setOptions(browser.context, emu.url, emu.url, flow);
      await popup.bringToFront();
      const opened = browser.context.waitForEvent('page', { predicate: (p) => /\/(device\?user_code=|authorize\?)/.test(p.url()), timeout: 20_000 });
      await retry.click();
      const page = await opened;
      if (flow === 'device') await approveOnPage(page);
      else await page.locator('#allow-access').click();
      await portalRow(popup).locator('.portal-state[data-state="valid"]').waitFor({ timeout: 30_000 });
      assert.equal(await portalRow(popup).locator('.portal-error').count(), 0);
      assert.deepEqual(product.pageErrors, []);
    } finally {
      await product.close();
      await hole.close();
    }
  });
}

test('a sign-in whose endpoint refuses connections says to check the region or a blocking proxy', { timeout: 120_000 }, async () => {
  const m = await messages('en');
  // A port nothing listens on: connections are refused at once (what a wrong host looks like).
  const gone = await startBlackhole();
  await gone.close();
  const product = await startProduct({ flow: 'device' });
  try {
    const { popup, browser, emu } = product;
    await setOptions(browser.context, gone.url, emu.url, 'device');
    await popup.bringToFront();
    await portalRow(popup).locator('[data-action="signIn"]').click();
    await portalRow(popup).locator('.portal-error').waitFor({ timeout: SIGN_IN_END_MS });
    assert.equal(await portalRow(popup).locator('.portal-error').textContent(), m('err_sign_in_unreachable'));
    assert.equal(await portalRow(popup).locator('[data-action="signIn"]').textContent(), m('retry'));
  } finally {
    await product.close();
  }
});

test('a listing whose portal does not answer ends above the list with what probably happened and Retry', { timeout: 180_000 }, async () => {
  const m = await messages('en');
  const product = await startProduct({ flow: 'device', emulator: { pollIntervalSecs: 1 } });
  try {
    const { popup, browser, emu } = product;
    await portalRow(popup).locator('[data-action="signIn"]').click();
    const page = await browser.context.waitForEvent('page', { predicate: (p) => /\/device\?user_code=/.test(p.url()), timeout: 20_000 });
    await approveOnPage(page);
    await page.close();
    await popup.bringToFront();
    await portalRow(popup).locator('.portal-state[data-state="valid"]').waitFor({ timeout: 30_000 });

    // Every portal call now hangs far longer than the limit.
    await emu.admin('/admin/config', { faults: { serverErrorRate: 0, slowRate: 1, slowMs: 120_000, seed: 1, failingAccounts: [] } });
    const started = Date.now();
    await portalRow(popup).locator('[data-action="accounts"]').click();
    await popup.locator('#accounts:not([hidden])').waitFor();
    await popup.locator('#listing-error:not([hidden])').waitFor({ timeout: LISTING_END_MS });
    assert.ok(Date.now() - started < LISTING_END_MS);
    assert.equal(await popup.locator('#listing-error-text').textContent(), m('err_listing_no_answer'));
    assert.equal(await popup.locator('#listing-error').getAttribute('role'), 'alert');
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'listing-retry');
    // Not in the header: the status line still says how the host is.
    assert.equal(await popup.locator('#status').getAttribute('data-state'), 'ready');

    // The portal answers again: Retry lists.
    await emu.admin('/admin/config', { faults: { serverErrorRate: 0, slowRate: 0, slowMs: 0, seed: 1, failingAccounts: [] } });
    await popup.click('#listing-retry');
    // Well inside the limit: the hung call's GET must not hold up the same GET again.
    await popup.locator('#sync-all:not([disabled])').waitFor({ timeout: 15_000 });
    assert.equal(await popup.locator('#listing-error').isHidden(), true);
    assert.deepEqual(product.pageErrors, []);
  } finally {
    await product.close();
  }
});
