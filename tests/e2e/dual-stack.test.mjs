// Dual-stack IAM Identity Center instances (portal `ssoins-….portal.<region>.app.aws`) answer the
// device and PKCE flows only on the dual-stack endpoints `oidc.<region>.api.aws` and
// `portal.sso.<region>.api.aws` (issue 9): the real extension, signing in to such a portal, must
// call those hosts, while a classic `*.awsapps.com` portal keeps the IPv4 ones. Nothing here
// reaches AWS: the browser's router answers RegisterClient, and the authorize tab's URL shows where
// the login went.
// Playwright reports (and routes) service-worker requests only with this switch.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './lib/chromium.mjs';
import { openPopup, row } from './lib/popup.mjs';

/** Signs in to a portal and returns the RegisterClient URL and the authorize tab's URL. */
async function signInTo(startUrl, region, name) {
  const browser = await launch({ withHost: true });
  try {
    const registered = [];
    await browser.context.route(/^https:\/\/oidc\.[^/]+\/client\/register$/, (route) => {
      registered.push(route.request().url());
      const now = Math.floor(Date.now() / 1000);
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ clientId: 'client-1', clientSecret: 'secret-1', clientIdIssuedAt: now, clientSecretExpiresAt: now + 90 * 86400 }),
      });
    });
    // The authorize page: a stand-in, so the tab's URL stays what the extension opened.
    await browser.context.route(/^https:\/\/oidc\.[^/]+\/authorize\?/, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>authorize</title>' }));
    const { popup } = await openPopup(browser.context);
    if (!(await popup.locator('#add-portal').evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open))) await popup.click('#add-portal summary');
    await popup.fill('input[name="startUrl"]', startUrl);
    await popup.fill('input[name="region"]', region);
    await popup.fill('input[name="sessionName"]', name);
    await popup.click('#add-portal-form button[type="submit"]');
    await row(popup, name).waitFor();
    await row(popup, name).locator('[data-action="signIn"]').click();
    // The tab opens on about:blank and then navigates: wait for the authorize URL itself.
    let authorize = '';
    for (const until = Date.now() + 20_000; !authorize; await new Promise((r) => setTimeout(r, 200))) {
      authorize = browser.context.pages().map((p) => p.url()).find((u) => /\/authorize\?/.test(u)) ?? '';
      assert.ok(Date.now() < until, `no authorize tab; registered ${JSON.stringify(registered)}; row: ${await row(popup, name).innerText()}`);
    }
    return { registered, authorize };
  } finally {
    await browser.close();
  }
}

test('an *.app.aws portal signs in through the dual-stack endpoints', { timeout: 90_000 }, async () => {
  const { registered, authorize } = await signInTo('https://ssoins-7223a1b2c3d4e5f6.portal.ap-northeast-1.app.aws', 'ap-northeast-1', 'dual');
  assert.deepEqual(registered, ['https://oidc.ap-northeast-1.api.aws/client/register']);
  assert.ok(authorize.startsWith('https://oidc.ap-northeast-1.api.aws/authorize?'), authorize);
});

test('a classic awsapps.com portal keeps the IPv4 endpoints', { timeout: 90_000 }, async () => {
  const { registered, authorize } = await signInTo('https://acme.awsapps.com/start', 'ap-northeast-1', 'classic');
  assert.deepEqual(registered, ['https://oidc.ap-northeast-1.amazonaws.com/client/register']);
  assert.ok(authorize.startsWith('https://oidc.ap-northeast-1.amazonaws.com/authorize?'), authorize);
});
