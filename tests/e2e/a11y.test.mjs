// Issue 13, "readable, errors for people, keyboard": every view of the popup and the options page
// as a person meets it, in English and in Japanese: axe-core finds no serious or critical
// violation in light and dark mode, no text is smaller than 12 px, the page says its language
// and has a title, focus lands on the first useful control or the new view's heading, Escape goes
// back, the add-portal form flags every wrong field at once in the person's language and clears
// an error when its field is fixed, and the done view has one copy button per command with a
// visible confirmation. The real extension, native host, emulator and AWS CLI v1.
// With SSOBRIDGE_SCREENSHOTS_DIR=docs the views are saved for the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProduct, portalRow, approveOnPage } from './lib/product.mjs';
import { launch, EXTENSION_ID } from './lib/chromium.mjs';
import { checkView, focused, messages } from './lib/views.mjs';

const ORG = {
  accounts: [
    { id: '111111111111', name: 'Production 本番', roles: ['AdministratorAccess', 'ReadOnly'] },
    { id: '222222222222', name: 'Sandbox', roles: ['Developer'] },
  ],
  pollIntervalSecs: 1,
};
const JA = { LANGUAGE: 'ja', LANG: 'ja_JP.UTF-8' };

/** @param {import('playwright-core').Page} page @param {string} want */
async function waitForFocus(page, want) {
  for (let i = 0; i < 50; i++) {
    if ((await focused(page)) === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await focused(page), want, 'focus');
}

/** @param {import('playwright-core').BrowserContext} context @param {RegExp} pattern */
async function waitForTab(context, pattern) {
  for (let i = 0; i < 100; i++) {
    const p = context.pages().find((x) => pattern.test(x.url()));
    if (p) return p;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no tab matching ${pattern}`);
}

/**
 * The options page: axe, sizes, language, and each radio button right next to its label, the
 * label on one line.
 * @param {import('playwright-core').BrowserContext} context @param {string} lang @param {(k: string) => string} m
 */
async function checkOptions(context, lang, m) {
  const options = await context.newPage();
  await options.setViewportSize({ width: 640, height: 900 });
  await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  await options.locator('input[name="nameTemplate"]').waitFor();
  assert.equal(await options.title(), m('optionsTitle'));
  assert.equal(await options.evaluate(() => document.documentElement.lang.slice(0, 2)), lang);
  await checkView(options, `options-${lang}`);
  for (const flow of ['pkce', 'device']) {
    const box = await options.locator(`input[name="loginFlow"][value="${flow}"]`).boundingBox();
    const text = await options.locator(`input[name="loginFlow"][value="${flow}"] + span`).boundingBox();
    assert.ok(box && text);
    assert.ok(text.x - (box.x + box.width) < 16, `${flow}: the label is ${text.x - (box.x + box.width)} px from its radio button`);
    assert.ok(Math.abs(text.y + text.height / 2 - (box.y + box.height / 2)) < 6, `${flow}: the label is not on the radio button's line`);
  }
  const device = options.locator('input[name="loginFlow"][value="device"] + span');
  const lineHeight = await device.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight));
  assert.ok(((await device.boundingBox())?.height ?? 99) < lineHeight * 1.5, `"${m('optFlowDevice')}" wraps`);
  await options.check('input[name="loginFlow"][value="device"]');
  await options.click('button[type="submit"]');
  await options.locator('#saved:not(:empty)').waitFor();
  await options.close();
}

/** @param {'en' | 'ja'} lang */
async function walk(lang) {
  const m = await messages(lang);
  const product = await startProduct({ emulator: ORG, flow: 'pkce', env: lang === 'ja' ? JA : undefined });
  try {
    const { popup, browser } = product;
    const context = browser.context;
    await popup.setViewportSize({ width: 420, height: 600 });
    assert.equal(await popup.title(), m('extName'));
    assert.equal(await popup.evaluate(() => document.documentElement.lang.slice(0, 2)), lang);

    // A popup that opens: focus on the first useful control, the portal's Sign in.
    await popup.reload();
    await popup.locator('#status[data-state="ready"]').waitFor();
    await waitForFocus(popup, '[data-action=signIn]');

    // Every wrong field at once, in the person's language, next to its field.
    await popup.click('#add-portal summary');
    // The name first: a start URL left with an empty name gets a suggested one.
    await popup.fill('input[name="sessionName"]', 'two words');
    await popup.fill('input[name="startUrl"]', 'ftp://example.com/start');
    await popup.click('#add-portal-form button[type="submit"]');
    for (const field of ['startUrl', 'region', 'sessionName']) {
      await popup.locator(`.field-error[data-field="${field}"]:not(:empty)`).waitFor();
      assert.equal(await popup.locator(`.field-error[data-field="${field}"]`).textContent(), m(`field_${field}`));
      assert.equal(await popup.locator(`input[name="${field}"]`).getAttribute('aria-invalid'), 'true');
    }
    assert.equal(await popup.locator('#message').isHidden(), true, 'a field error went to the message area');
    await checkView(popup, `popup-home-${lang}`);
    // Fixing a field clears its error at once; the others stay until fixed.
    await popup.locator('input[name="startUrl"]').pressSequentially('x');
    assert.equal(await popup.locator('.field-error[data-field="startUrl"]').textContent(), '');
    assert.equal(await popup.locator('.field-error[data-field="sessionName"]').textContent(), m('field_sessionName'));
    await popup.fill('input[name="startUrl"]', '');
    await popup.fill('input[name="sessionName"]', '');
    await popup.click('#add-portal summary');

    // Sign-in (PKCE): progress, focus on the heading, Escape leads to Cancel, not away.
    await portalRow(popup).locator('[data-action="signIn"]').click();
    await popup.locator('#login:not([hidden])').waitFor();
    await popup.locator('#login-progress', { hasText: m('loginWaitingPkce') }).waitFor({ timeout: 20_000 });
    await waitForFocus(popup, 'login-title');
    await checkView(popup, `popup-login-pkce-${lang}`);
    await popup.keyboard.press('Escape');
    await waitForFocus(popup, 'login-cancel');
    assert.equal(await popup.locator('#login').isVisible(), true);
    await popup.keyboard.press('Enter');
    await popup.locator('#home:not([hidden])').waitFor();
    assert.equal(await portalRow(popup).locator('.portal-error').textContent(), m('err_cancelled'));

    await checkOptions(context, lang, m);

    // Sign-in (device code).
    await portalRow(popup).locator('[data-action="signIn"]').click();
    const page = await waitForTab(context, /\/device\?user_code=/);
    await popup.locator('#user-code:not(:empty)').waitFor();
    await waitForFocus(popup, 'login-title');
    assert.equal(await popup.locator('#login-progress').textContent(), m('loginWaitingDevice'));
    await checkView(popup, `popup-login-device-${lang}`);
    await approveOnPage(page);
    await page.close();
    await portalRow(popup).locator('.portal-state[data-state="valid"]').waitFor({ timeout: 20_000 });
    await popup.bringToFront();
    // The session renews its access token itself: no hour counting down, in the row or the badge.
    assert.equal(await portalRow(popup).locator('.portal-state').textContent(), m('signedInRenews'));
    assert.ok(((await portalRow(popup).textContent()) ?? '').includes(m('renewsHelp')));
    assert.equal(await popup.evaluate(() => chrome.action.getBadgeText({})), '');

    // Review: focus on its heading; Escape goes back to the accounts.
    await portalRow(popup).locator('[data-action="accounts"]').click();
    await popup.locator('#sync-all:not([disabled])').waitFor({ timeout: 30_000 });
    await popup.click('#sync-all');
    await popup.locator('#review:not([hidden])').waitFor();
    await waitForFocus(popup, 'review-title');
    await checkView(popup, `popup-review-${lang}`);
    await popup.keyboard.press('Escape');
    await popup.locator('#accounts:not([hidden])').waitFor();
    await popup.click('#sync-all');
    await popup.locator('#review:not([hidden])').waitFor();
    await popup.click('#apply');

    // Done: the counts, one profile's commands with one Copy each, another chosen from the list.
    await popup.locator('#done:not([hidden])').waitFor({ timeout: 20_000 });
    await waitForFocus(popup, 'done-title');
    assert.equal(await popup.locator('#done-summary').textContent(), m('planSummary', ['3', '0', '0', '0']));
    assert.equal(await popup.locator('#done-profiles li').count(), 1);
    assert.equal(await popup.locator('#done .copy').count(), 2);
    const names = await popup.locator('#done-profile option').allTextContents();
    assert.equal(names.length, 3);
    await popup.selectOption('#done-profile', names[2]);
    assert.ok(((await popup.locator('#done-profiles').textContent()) ?? '').includes(`--profile ${names[2]}`));
    await popup.bringToFront();
    await popup.locator('#done .copy').first().click();
    // "Copied" appears only once the browser took the text.
    await popup.locator('#done .copied', { hasText: m('copied') }).waitFor();
    await checkView(popup, `popup-done-${lang}`);
    const r = product.aws(['sts', 'get-caller-identity', '--profile', names[2], '--output', 'json']);
    assert.equal(r.status, 0, r.stderr);

    // Escape twice: accounts, then home, with focus on a control, never <body>.
    await popup.keyboard.press('Escape');
    await popup.locator('#accounts:not([hidden])').waitFor();
    await popup.keyboard.press('Escape');
    await popup.locator('#home:not([hidden])').waitFor();
    await waitForFocus(popup, '[data-action=refresh]');
    assert.deepEqual(product.pageErrors, []);
  } finally {
    await product.close();
  }
}

/** The host-problem view: the browser without the native host. @param {'en' | 'ja'} lang */
async function hostProblem(lang) {
  const browser = await launch({ withHost: false, env: lang === 'ja' ? JA : undefined });
  try {
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 420, height: 600 });
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await popup.locator('#host-problem:not([hidden])').waitFor({ timeout: 15_000 });
    await checkView(popup, `popup-host-problem-${lang}`);
  } finally {
    await browser.close();
  }
}

test('every view in English: axe clean in light and dark, readable, keyboard, errors next to their fields', { timeout: 240_000 }, () => walk('en'));
test('every view in Japanese: axe clean in light and dark, readable, keyboard, errors next to their fields', { timeout: 240_000 }, () => walk('ja'));
test('the host-problem view in English and Japanese: axe clean in light and dark, readable', { timeout: 120_000 }, async () => {
  await hostProblem('en');
  await hostProblem('ja');
});
