// The device-verification guard (issue 6), on the emulator's verification pages with the
// emulator's origin added as a custom portal domain: a code SSO Bridge requested gets a note (and
// is confirmed when the option is on); a code someone else started gets a warning and is never
// confirmed; and the content scripts never throw into pages that are not what they expect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setUp, foreignDeviceCode, contentScriptProblems } from './fixtures/person.mjs';
import { closedRoot } from './lib/closed-shadow.mjs';

const NOTE = '#ssobridge-device [data-kind="ours"]';
const WARNING = '#ssobridge-device [data-kind="warning"]';
const PANEL = '.panel'; // in the portal panel's closed root (lib/closed-shadow.mjs)

/**
 * Connects the emulator's portal from the panel with the device flow; the extension opens the
 * verification page itself. Returns that tab and the code in it.
 * @param {any} env
 */
async function startOurDeviceLogin(env) {
  const portal = await env.context.newPage();
  await portal.goto(`${env.emu.url}/start`);
  const panel = await closedRoot(portal, 'ssobridge-portal');
  await panel.waitFor(`${PANEL}[data-state="not-connected"]`);
  const opened = env.context.waitForEvent('page', { predicate: (/** @type {any} */ p) => /\/device\?user_code=/.test(p.url()) });
  await panel.click(`${PANEL} [data-action="connect"]`);
  await panel.confirm();
  const tab = await opened;
  const code = new URL(tab.url()).searchParams.get('user_code');
  assert.ok(code);
  return { portal, panel, tab, code };
}

test('a code someone else started shows the warning and is never confirmed, even with auto-confirm on', { timeout: 120_000 }, async () => {
  const env = await setUp({ loginFlow: 'device', autoConfirm: true });
  try {
    // The extension's own login is confirmed for the person (the option is on)...
    const ours = await startOurDeviceLogin(env);
    await ours.tab.locator('#device-approved').waitFor({ timeout: 30_000 });

    const foreign = await foreignDeviceCode(env.emu.url);
    assert.notEqual(foreign.userCode, ours.code);
    const page = await env.context.newPage();
    await page.goto(foreign.verificationUriComplete);
    const warning = page.locator(WARNING);
    await warning.waitFor();
    const text = await warning.innerText();
    assert.match(text, new RegExp(foreign.userCode));
    assert.match(text, /access to your AWS accounts/);
    assert.ok(await page.locator('#ssobridge-device [data-action="close"]').isVisible());
    // Never pressed for the person: still on the first page, and still pending at the emulator.
    assert.ok(await page.locator('#confirm-code').isVisible());
    assert.ok((await env.emu.admin('/admin/device/pending')).includes(foreign.userCode));

    // A person who clicks on anyway still sees the warning on the next page, and it stays pending.
    await page.locator('#confirm-code').click();
    await page.locator('#allow-access').waitFor();
    await page.locator(WARNING).waitFor();
    assert.equal(await page.locator(NOTE).count(), 0);
    assert.ok((await env.emu.admin('/admin/device/pending')).includes(foreign.userCode));

    // The close button closes the page.
    const closed = page.waitForEvent('close');
    // The tab may close while Playwright still finishes the click: that is the expected outcome.
    await page.locator('#ssobridge-device [data-action="close"]').click({ noWaitAfter: true }).catch((e) => {
      if (!/closed/i.test(String(e?.message ?? e))) throw e;
    });
    await closed;
    assert.ok((await env.emu.admin('/admin/device/pending')).includes(foreign.userCode));
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});

test('our code shows the "requested by SSO Bridge" note and waits for the person (auto-confirm off)', { timeout: 120_000 }, async () => {
  const env = await setUp({ loginFlow: 'device' });
  try {
    const { panel, tab, code } = await startOurDeviceLogin(env);
    await tab.locator(NOTE).waitFor();
    assert.equal(await tab.locator(WARNING).count(), 0);
    assert.ok((await env.emu.admin('/admin/device/pending')).includes(code));

    // Meanwhile, a code someone else started: the warning, although a login of ours is waiting.
    const foreign = await foreignDeviceCode(env.emu.url);
    const phish = await env.context.newPage();
    await phish.goto(foreign.verificationUriComplete);
    await phish.locator(WARNING).waitFor();
    assert.equal(await phish.locator(NOTE).count(), 0);
    await phish.close();

    // The same code opened in a tab the extension did not open: ours by the code.
    const other = await env.context.newPage();
    await other.goto(`${env.emu.url}/device?user_code=${code.toLowerCase().replace('-', '')}`);
    await other.locator(NOTE).waitFor();
    await other.close();

    // Nothing was pressed for the person; they confirm and allow.
    assert.ok(await tab.locator('#confirm-code').isVisible());
    await tab.locator('#confirm-code').click();
    await tab.locator('#allow-access').waitFor();
    await tab.locator(NOTE).waitFor();
    assert.ok((await env.emu.admin('/admin/device/pending')).includes(code));
    await tab.locator('#allow-access').click();
    await tab.locator('#device-approved').waitFor();
    assert.equal(await tab.locator(WARNING).count(), 0);
    await panel.waitFor(`${PANEL}[data-state="signed-in"]`, { timeout: 60_000 });
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});

test('with auto-confirm on, the code SSO Bridge requested is confirmed for the person', { timeout: 120_000 }, async () => {
  const env = await setUp({ loginFlow: 'device', autoConfirm: true });
  try {
    const { panel, tab, code } = await startOurDeviceLogin(env);
    await tab.locator('#device-approved').waitFor({ timeout: 30_000 });
    assert.ok(!(await env.emu.admin('/admin/device/pending')).includes(code));
    await panel.waitFor(`${PANEL}[data-state="signed-in"]`, { timeout: 60_000 });
    assert.equal(await tab.locator(WARNING).count(), 0);
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});

// Pages on a portal domain that are not what the content scripts expect.
const ODD = {
  '/device/text': { contentType: 'text/plain', body: 'BCDF-GHJK plain text, Confirm' },
  '/start/data.json': { contentType: 'application/json', body: '{"userCode":"BCDF-GHJK","accounts":[]}' },
  '/start/pic.svg': { contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>BCDF-GHJK</text></svg>' },
  '/device/two-codes': {
    contentType: 'text/html',
    body: '<!doctype html><p>BCDF-GHJK or maybe ZZZZ-XXXX?</p><button>Confirm</button><button></button><div role="button"><svg></svg></div>',
  },
  '/device/rewrite': {
    contentType: 'text/html',
    body: '<!doctype html><p>wait</p><script>setTimeout(()=>{document.open();document.write("<frameset><frame src=about:blank></frameset>");document.close();},100)</script>',
  },
  '/start/empty': { contentType: 'text/html', body: '' },
};

test('content scripts never throw into pages that are not what they expect', { timeout: 120_000 }, async () => {
  const env = await setUp({ autoConfirm: true });
  try {
    const page = await env.context.newPage();
    await page.route(`${env.emu.url}/**`, (route) => {
      const odd = /** @type {any} */ (ODD)[new URL(route.request().url()).pathname];
      return odd ? route.fulfill({ status: 200, contentType: odd.contentType, body: odd.body }) : route.continue();
    });
    for (const path of Object.keys(ODD)) {
      await page.goto(`${env.emu.url}${path}`);
      await page.waitForLoadState('load');
    }
    // A verification page with no code of ours but a button to press: the warning, nothing pressed.
    await page.goto(`${env.emu.url}/device/two-codes`);
    await page.locator(WARNING).waitFor();
    // The emulator's own error pages: an unknown code, a broken sign-in request.
    await page.goto(`${env.emu.url}/device?user_code=nonsense`);
    await page.locator('#code-error').waitFor();
    await page.goto(`${env.emu.url}/authorize?nothing=here`);
    await page.goto(`${env.emu.url}/device?user_code=BCDF-GHJK`);
    await page.locator('#code-error').waitFor();
    // The device form with no code: a warning (a code typed from someone's message is the risk).
    await page.goto(`${env.emu.url}/device`);
    await page.locator(WARNING).waitFor();
    await page.goto(`${env.emu.url}/start`);
    await (await closedRoot(page, 'ssobridge-portal')).waitFor(PANEL);
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});

// Chromium shows extensions in its own UI language, which needs Debian's chromium-l10n (ja.pak).
const JA_PAK = '/usr/lib/chromium/locales/ja.pak';
test('the warning is in the person\'s language: a Japanese browser gets it in Japanese', { timeout: 120_000 }, async () => {
  // `cargo xtask test` installs it; without it the browser cannot run in Japanese at all.
  assert.ok(existsSync(JA_PAK), `${JA_PAK} is missing: apt-get install chromium-l10n`);
  const env = await setUp({ env: { LANGUAGE: 'ja', LANG: 'ja_JP.UTF-8' } });
  try {
    const ja = JSON.parse(readFileSync(join(process.cwd(), 'extension/_locales/ja/messages.json'), 'utf8'));
    const foreign = await foreignDeviceCode(env.emu.url);
    const page = await env.context.newPage();
    await page.goto(foreign.verificationUriComplete);
    const warning = page.locator(WARNING);
    await warning.waitFor();
    const text = await warning.innerText();
    assert.ok(text.includes(ja.deviceWarnTitle.message), text);
    assert.ok(text.includes(ja.deviceWarnRisk.message), text);
    assert.equal(await page.locator('#ssobridge-device [data-action="close"]').innerText(), ja.deviceCloseTab.message);
    assert.ok((await env.emu.admin('/admin/device/pending')).includes(foreign.userCode));
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});

test('every string the content scripts and the new options show exists in English and Japanese', () => {
  const root = join(process.cwd(), 'extension');
  const keys = new Set();
  for (const f of readdirSync(join(root, 'src/content'))) {
    for (const m of readFileSync(join(root, 'src/content', f), 'utf8').matchAll(/\bt\('([A-Za-z0-9_]+)'/g)) keys.add(m[1]);
  }
  for (const m of readFileSync(join(root, 'src/options.html'), 'utf8').matchAll(/data-i18n="([A-Za-z0-9_]+)"/g)) keys.add(m[1]);
  assert.ok(keys.size > 20, `only ${keys.size} keys found`);
  const en = JSON.parse(readFileSync(join(root, '_locales/en/messages.json'), 'utf8'));
  const ja = JSON.parse(readFileSync(join(root, '_locales/ja/messages.json'), 'utf8'));
  for (const k of keys) {
    assert.ok(en[k]?.message, `en lacks ${k}`);
    assert.ok(ja[k]?.message, `ja lacks ${k}`);
  }
  for (const k of ['deviceWarnTitle', 'deviceWarnRisk', 'deviceWarnClose']) assert.notEqual(ja[k].message, en[k].message);
});
