// Issue 9, rules 4 and 6 and the dual-stack option, as a person meets them: the portal panel's
// "Add all" shows the same counts and diff as the popup's review before anything is written;
// the add-portal form's region fields (the core's list, warnings for unknown regions, errors for
// malformed ones, the region of an `*.app.aws` start URL filled in); a portal's own profile
// region written as `region =`; the options page's default region and dual-stack switch.
// The real extension, the real native host (temporary HOME), the emulator and AWS CLI v1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setUp, awsCallerIdentity, contentScriptProblems, ACCOUNTS } from './fixtures/person.mjs';
import { PANEL, connectAndSignIn } from './lib/panel.mjs';
import { launch, EXTENSION_ID } from './lib/chromium.mjs';
import { startEmulator } from './lib/emulator.mjs';
import { approveOnPage, snap } from './lib/product.mjs';

const en = JSON.parse(readFileSync(join(process.cwd(), 'extension/_locales/en/messages.json'), 'utf8'));
const ja = JSON.parse(readFileSync(join(process.cwd(), 'extension/_locales/ja/messages.json'), 'utf8'));

/** @param {string} home */
const config = (home) => (existsSync(join(home, '.aws/config')) ? readFileSync(join(home, '.aws/config'), 'utf8') : '');

/** A message with its `$1`… filled in, as chrome.i18n does. @param {any} m @param {string[]} subs */
function msg(m, subs = []) {
  return m.message.replace(/\$([A-Za-z0-9_]+)\$/g, (/** @type {string} */ _, /** @type {string} */ name) => {
    const content = m.placeholders?.[name.toLowerCase()]?.content ?? '';
    return content.replace(/\$(\d)/g, (/** @type {string} */ __, /** @type {string} */ i) => subs[Number(i) - 1] ?? '');
  });
}



/** Asks the worker from one of the extension's own pages, as the popup does. */
async function askWorker(/** @type {import('playwright-core').Page} */ page, /** @type {object} */ message) {
  const reply = await page.evaluate((m) => chrome.runtime.sendMessage(m), message);
  assert.ok(reply?.ok, JSON.stringify(reply?.error));
  return reply.result;
}

test('the panel\'s Add all shows the popup\'s counts and exact diff first, writes only on Confirm, and re-asks when the file changed meanwhile', { timeout: 240_000 }, async () => {
  const env = await setUp();
  try {
    const portal = await env.context.newPage();
    await portal.setViewportSize({ width: 900, height: 760 });
    await portal.goto(`${env.emu.url}/start`);
    const panel = await connectAndSignIn(env, portal);
    const before = config(env.home);
    assert.match(before, /^\[sso-session local\]$/m);

    await panel.click(`${PANEL} [data-action="add-all"]`);
    await panel.waitFor(`${PANEL} [data-field="diff"]`);
    // The counts and the diff, before anything is written.
    assert.equal(await panel.text(`${PANEL} [data-field="review-summary"]`), msg(en.planSummary, ['3', '0', '0', '0']));
    assert.equal(await panel.text('[data-field="confirm-text"]'), msg(en.panelConfirmAddAll, ['3']));
    const diff = await panel.text(`${PANEL} [data-field="diff"]`);
    for (const name of ['Dev.AdministratorAccess', 'Dev.ReadOnly', 'Prod.ReadOnly']) assert.ok(diff.includes(`+[profile ${name}]\n`), diff);
    assert.match(diff, /^\+region = us-east-1$/m);
    assert.equal(config(env.home), before, 'the review wrote to ~/.aws/config');
    await snap(portal, 'panel-review-en-light', null); // the page as it is, not the popup's size
    await portal.emulateMedia({ colorScheme: 'dark' });
    await snap(portal, 'panel-review-en-dark', null); // the page as it is, not the popup's size
    await portal.emulateMedia({ colorScheme: 'light' });

    // The same dry run as the popup's review of "Sync all" (same code in the worker): same diff.
    const popup = await env.context.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await askWorker(popup, { type: 'listAccounts', sessionName: 'local' });
    const popupPlan = await askWorker(popup, { type: 'planProfiles', sessionName: 'local', selection: null, prune: false, names: [] });
    assert.equal(popupPlan.diff, diff);
    assert.deepEqual([popupPlan.added.length, popupPlan.updated.length, popupPlan.removed.length, popupPlan.unchanged.length], [3, 0, 0, 0]);
    await popup.close();
    assert.equal(config(env.home), before);

    // The file changes while the review is open: Confirm does not write what was not reviewed,
    // it shows the change as it is now.
    appendFileSync(join(env.home, '.aws/config'), '# mine\n');
    await panel.click('[data-action="confirm"]:not([disabled])');
    await panel.waitFor(`${PANEL} [data-field="review-note"]`);
    assert.equal(await panel.text(`${PANEL} [data-field="review-note"]`), en.panelReviewChanged.message);
    assert.doesNotMatch(config(env.home), /\[profile /);
    assert.notEqual(await panel.text(`${PANEL} [data-field="diff"]`), diff);

    // Confirm applies what is shown.
    await panel.confirm();
    await panel.waitFor(`${PANEL} li.role[data-exists="false"]`, { state: 'detached', timeout: 30_000 });
    const after = config(env.home);
    assert.equal((after.match(/^\[profile /gm) ?? []).length, 3);
    assert.match(after, /^# mine$/m);
    const cli = await awsCallerIdentity(env.home, env.emu.url, 'Dev.ReadOnly');
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).Account, '111122223333');
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});

test('"Add" for one role reviews that one profile first; Cancel writes nothing', { timeout: 180_000 }, async () => {
  const env = await setUp();
  try {
    const portal = await env.context.newPage();
    await portal.goto(`${env.emu.url}/start`);
    const panel = await connectAndSignIn(env, portal);
    const row = `${PANEL} li.role[data-account-id="444455556666"][data-role-name="ReadOnly"]`;
    await panel.click(`${row} [data-action="add"]`);
    await panel.waitFor(`${PANEL} [data-field="diff"]`);
    assert.equal(await panel.text(`${PANEL} [data-field="review-summary"]`), msg(en.planSummary, ['1', '0', '0', '0']));
    const diff = await panel.text(`${PANEL} [data-field="diff"]`);
    assert.equal((diff.match(/^\+\[profile /gm) ?? []).length, 1);
    assert.ok(diff.includes('+sso_account_id = 444455556666\n'), diff);
    assert.doesNotMatch(config(env.home), /\[profile /);
    // Cancel writes nothing.
    await panel.click('[data-action="cancel"]');
    await panel.waitFor('[data-field="diff"]', { state: 'detached' });
    assert.doesNotMatch(config(env.home), /\[profile /);
    await panel.click(`${row} [data-action="add"]`);
    await panel.waitFor(`${PANEL} [data-field="diff"]`);
    await panel.confirm();
    await panel.waitFor(`${row}[data-exists="true"]`);
    assert.equal((config(env.home).match(/^\[profile /gm) ?? []).length, 1);
  } finally {
    await env.close();
  }
});

test('in Japanese: the panel\'s review and the add-portal form', { timeout: 180_000 }, async () => {
  const env = await setUp({ env: { LANGUAGE: 'ja', LANG: 'ja_JP.UTF-8' } });
  try {
    const portal = await env.context.newPage();
    await portal.setViewportSize({ width: 900, height: 760 });
    await portal.goto(`${env.emu.url}/start`);
    const panel = await connectAndSignIn(env, portal);
    await panel.click(`${PANEL} [data-action="add-all"]`);
    await panel.waitFor(`${PANEL} [data-field="diff"]`);
    assert.equal(await panel.text(`${PANEL} [data-field="review-summary"]`), msg(ja.planSummary, ['3', '0', '0', '0']));
    await snap(portal, 'panel-review-ja-light', null); // the page as it is, not the popup's size
    await portal.emulateMedia({ colorScheme: 'dark' });
    await snap(portal, 'panel-review-ja-dark', null); // the page as it is, not the popup's size

    const popup = await env.context.newPage();
    await popup.setViewportSize({ width: 420, height: 600 });
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await popup.locator('#status[data-state="ready"]').waitFor({ timeout: 15_000 });
    if (!(await popup.locator('#add-portal').evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open))) await popup.click('#add-portal summary');
    await popup.fill('input[name="startUrl"]', 'https://ssoins-7223a1b2c3d4e5f6.portal.ap-northeast-1.app.aws');
    await expectValue(popup, 'input[name="region"]', 'ap-northeast-1');
    await popup.fill('input[name="profileRegion"]', 'ap-southeast-9');
    await popup.locator('.field-warning[data-field="profileRegion"]:not(:empty)').waitFor();
    assert.equal(await popup.locator('.field-warning[data-field="profileRegion"]').textContent(), msg(ja.regionUnknown, ['ap-southeast-9']));
    assert.equal(await popup.locator('[data-note="region"]').textContent(), ja.regionFromStartUrl.message);
    await popup.locator('#add-portal-form').scrollIntoViewIfNeeded();
    await popup.screenshot({ path: join(process.cwd(), 'target/screenshots/popup-add-portal-region-ja-light.png'), fullPage: true });
    await popup.emulateMedia({ colorScheme: 'dark' });
    await popup.screenshot({ path: join(process.cwd(), 'target/screenshots/popup-add-portal-region-ja-dark.png'), fullPage: true });
  } finally {
    await env.close();
  }
});

/** Waits until an input holds `want`. */
async function expectValue(/** @type {import('playwright-core').Page} */ page, /** @type {string} */ selector, /** @type {string} */ want) {
  const until = Date.now() + 10_000;
  for (;;) {
    const v = await page.locator(selector).inputValue();
    if (v === want) return;
    assert.ok(Date.now() < until, `${selector} is ${JSON.stringify(v)}, not ${JSON.stringify(want)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('region fields: the core\'s list, an `*.app.aws` region filled in, unknown regions warned and kept, malformed ones refused; the portal\'s profile region is what its profiles get; dual-stack is passed on', { timeout: 240_000 }, async () => {
  const emu = await startEmulator({ accounts: ACCOUNTS, pollIntervalSecs: 1 });
  const browser = await launch({ withHost: true });
  try {
    const { context } = browser;
    // Options: the default region may be empty ("each portal's own region"), an unknown but
    // well-formed one is saved with a warning, a malformed one is refused next to the field.
    const options = await context.newPage();
    await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    await options.locator('#options input[name="nameTemplate"]').waitFor();
    assert.equal(await options.locator('#options input[name="defaultRegion"]').inputValue(), '');
    assert.ok((await options.locator('label:has(input[name="defaultRegion"]) span').textContent())?.includes('empty'));
    const known = await options.locator('#known-regions option').evaluateAll((os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value));
    assert.ok(known.includes('ap-northeast-1') && known.includes('eusc-de-east-1') && !known.includes('ap-southeast-9'), known.join(' '));
    await options.locator('#options details summary').click();
    await options.fill('input[name="oidc"]', emu.url);
    await options.fill('input[name="portal"]', emu.url);
    await options.check('input[name="loginFlow"][value="device"]');
    await options.check('input[name="dualStack"]');
    await options.fill('input[name="defaultRegion"]', 'us-east-123');
    await options.click('#options button[type="submit"]');
    await options.locator('.field-error[data-field="defaultRegion"]:not(:empty)').waitFor();
    assert.equal(await options.locator('.field-error[data-field="defaultRegion"]').textContent(), en.regionInvalid.message);
    assert.equal(await options.locator('#saved').textContent(), '');
    assert.equal((await askWorker(options, { type: 'getSettings' })).defaultRegion, '');
    await options.fill('input[name="defaultRegion"]', 'ap-southeast-9');
    await options.locator('.field-warning[data-field="defaultRegion"]:not(:empty)').waitFor();
    assert.equal(await options.locator('.field-warning[data-field="defaultRegion"]').textContent(), msg(en.regionUnknown, ['ap-southeast-9']));
    await options.click('#options button[type="submit"]');
    await options.locator('#saved:not(:empty)').waitFor();
    assert.equal(await options.locator('.field-error[data-field="defaultRegion"]').textContent(), '');
    const saved = await askWorker(options, { type: 'getSettings' });
    assert.equal(saved.defaultRegion, 'ap-southeast-9');
    assert.equal(saved.dualStack, true);
    await options.close();

    const popup = await context.newPage();
    await popup.setViewportSize({ width: 420, height: 600 });
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await popup.locator('#status[data-state="ready"]').waitFor({ timeout: 15_000 });
    if (!(await popup.locator('#add-portal').evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open))) await popup.click('#add-portal summary');
    assert.equal(await popup.locator('input[name="region"]').getAttribute('list'), 'known-regions');
    assert.ok((await popup.locator('#known-regions option').count()) >= 30);
    // An `*.app.aws` start URL names its region: filled in as typed, and taken back when the URL
    // no longer names one.
    await popup.fill('input[name="startUrl"]', 'https://ssoins-1234567890abcdef.portal.eu-west-1.app.aws');
    await expectValue(popup, 'input[name="region"]', 'eu-west-1');
    assert.equal(await popup.locator('[data-note="region"]').textContent(), en.regionFromStartUrl.message);
    await popup.fill('input[name="profileRegion"]', 'ap-southeast-9');
    await popup.locator('.field-warning[data-field="profileRegion"]:not(:empty)').waitFor();
    await popup.screenshot({ path: join(process.cwd(), 'target/screenshots/popup-add-portal-region-en-light.png'), fullPage: true });
    await popup.emulateMedia({ colorScheme: 'dark' });
    await popup.screenshot({ path: join(process.cwd(), 'target/screenshots/popup-add-portal-region-en-dark.png'), fullPage: true });
    await popup.emulateMedia({ colorScheme: 'light' });
    await popup.fill('input[name="startUrl"]', `${emu.url}/start`);
    await expectValue(popup, 'input[name="region"]', '');
    await popup.fill('input[name="region"]', 'us-east-1');
    await popup.fill('input[name="sessionName"]', 'demo');
    // A malformed profile region: an error next to the field, and no portal.
    await popup.fill('input[name="profileRegion"]', 'us-east-123');
    await popup.click('#add-portal-form button[type="submit"]');
    await popup.locator('.field-error[data-field="profileRegion"]:not(:empty)').waitFor();
    assert.equal(await popup.locator('.field-error[data-field="profileRegion"]').textContent(), en.regionInvalid.message);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await popup.locator('li[data-session="demo"]').count(), 0);
    await popup.fill('input[name="profileRegion"]', 'ap-northeast-1');
    await popup.locator('.field-error[data-field="profileRegion"]:empty').waitFor({ state: 'attached' }); // an empty slot takes no room
    assert.equal(await popup.locator('.field-warning[data-field="profileRegion"]').textContent(), '');
    await popup.click('#add-portal-form button[type="submit"]');
    const row = popup.locator('li[data-session="demo"]');
    await row.waitFor();
    assert.ok((await row.locator('.portal-url').textContent())?.includes(msg(en.portalProfileRegion, ['ap-northeast-1'])));

    // Sign in (device flow), sync every role: the portal's own profile region wins over the
    // default, in every profile it writes.
    await row.locator('[data-action="signIn"]').click();
    let device;
    for (let i = 0; i < 100 && !device; i++) {
      device = context.pages().find((p) => /\/device\?user_code=/.test(p.url()));
      if (!device) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(device, 'no verification tab');
    await approveOnPage(device);
    await row.locator('.portal-state[data-state="valid"]').waitFor({ timeout: 20_000 });
    // The worker passed the dual-stack option into the login's session config.
    const stored = await browser.worker.evaluate(() => chrome.storage.session.get('tokens'));
    assert.equal(stored.tokens.demo.session.dualStack, true);

    await row.locator('[data-action="accounts"]').click();
    await popup.locator('#sync-all:not([disabled])').waitFor({ timeout: 30_000 });
    await popup.click('#sync-all');
    await popup.locator('#review:not([hidden])').waitFor();
    await popup.click('#apply');
    await popup.locator('#done:not([hidden])').waitFor();
    const written = readFileSync(join(browser.home, '.aws/config'), 'utf8');
    assert.equal((written.match(/^\[profile /gm) ?? []).length, 3);
    assert.equal((written.match(/^region = ap-northeast-1$/gm) ?? []).length, 3, written);
    assert.doesNotMatch(written, /ap-southeast-9/);
    const cli = await awsCallerIdentity(browser.home, emu.url, 'Dev.AdministratorAccess');
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).Account, '111122223333');
  } finally {
    await browser.close().catch(() => {});
    await emu.stop();
  }
});

/**
 * Layout figures of an element inside the panel's closed root, through DevTools (the page's
 * scripts cannot see it), and of the panel itself.
 * @param {import('playwright-core').Page} page @param {string} selector
 */
async function measure(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    /** @param {any} n @returns {any} */
    const find = (n) => (n.attributes?.includes('ssobridge-portal') && n.localName === 'ssobridge-portal' ? n : [...(n.children ?? []), ...(n.shadowRoots ?? [])].map(find).find(Boolean));
    const shadow = find(root)?.shadowRoots?.[0];
    assert.ok(shadow, 'no panel');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: shadow.nodeId, selector });
    assert.ok(nodeId, `${selector} not in the panel`);
    const { object } = await cdp.send('DOM.resolveNode', { nodeId });
    const fn = `function () {
      const panel = this.getRootNode().querySelector('.panel').getBoundingClientRect();
      const s = getComputedStyle(this);
      return { clientHeight: this.clientHeight, scrollHeight: this.scrollHeight, overflowY: s.overflowY, whiteSpace: s.whiteSpace,
        font: s.fontFamily, panelTop: panel.top, panelBottom: panel.bottom, viewport: innerHeight,
        confirmBottom: this.getRootNode().querySelector('[data-action="confirm"]').getBoundingClientRect().bottom };
    }`;
    const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: fn, returnByValue: true });
    return result.value;
  } finally {
    await cdp.detach();
  }
}

test('a long review stays readable: the diff scrolls inside a bounded, monospace box and Confirm stays in view', { timeout: 240_000 }, async () => {
  const env = await setUp({ emulator: { accounts: 120, rolesPerAccount: 3 } });
  try {
    const portal = await env.context.newPage();
    await portal.setViewportSize({ width: 1000, height: 700 });
    await portal.goto(`${env.emu.url}/start`);
    const panel = await connectAndSignIn(env, portal);
    await panel.click(`${PANEL} [data-action="add-all"]`);
    await panel.waitFor(`${PANEL} [data-field="diff"]`, { timeout: 60_000 });
    assert.equal(await panel.text(`${PANEL} [data-field="review-summary"]`), msg(en.planSummary, ['360', '0', '0', '0']));
    const m = await measure(portal, '[data-field="diff"]');
    assert.ok(m.scrollHeight > 10 * m.clientHeight, JSON.stringify(m));
    assert.ok(m.clientHeight <= 320, JSON.stringify(m));
    assert.equal(m.overflowY, 'auto');
    assert.equal(m.whiteSpace, 'pre');
    assert.match(m.font, /monospace/);
    assert.ok(m.panelTop >= 0 && m.panelBottom <= m.viewport, JSON.stringify(m));
    assert.ok(m.confirmBottom <= m.panelBottom, JSON.stringify(m));
    assert.doesNotMatch(config(env.home), /\[profile /);
    await snap(portal, 'panel-review-long-en-light', null); // the page as it is, not the popup's size
    await panel.confirm();
    await panel.waitFor(`${PANEL} li.role[data-exists="false"]`, { state: 'detached', timeout: 60_000 });
    assert.equal((config(env.home).match(/^\[profile /gm) ?? []).length, 360);
  } finally {
    await env.close();
  }
});
