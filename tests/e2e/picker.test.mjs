// Issue 13, the picker: a 300-account organisation walked by keyboard alone, from opening the
// popup to profiles the AWS CLI v1 uses; axe-core on the accounts view (light, dark, Japanese);
// and the listing contract (pending accounts, a remembered listing's age, what changed).
// The real extension, the real native host (temporary HOME), the emulator and AWS CLI v1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProduct, portalRow, approveOnPage, snap, SESSION } from './lib/product.mjs';
import { EXTENSION_ID } from './lib/chromium.mjs';
import { axeViolations } from './lib/axe.mjs';
import { screenshot } from './lib/views.mjs';
import { allRoleNames } from './lib/popup.mjs';

const locale = (/** @type {string} */ lang) => JSON.parse(readFileSync(join(process.cwd(), `extension/_locales/${lang}/messages.json`), 'utf8'));
const en = locale('en');
const ja = locale('ja');

/** A message with its `$1`… filled in, as chrome.i18n does. @param {any} m @param {string[]} subs */
function msg(m, subs = []) {
  return m.message.replace(/\$([A-Za-z0-9_]+)\$/g, (/** @type {string} */ _, /** @type {string} */ name) =>
    (m.placeholders?.[name.toLowerCase()]?.content ?? '').replace(/\$(\d)/g, (/** @type {string} */ __, /** @type {string} */ i) => subs[Number(i) - 1] ?? ''),
  );
}

const ENVS = ['prod', 'dev', 'staging'];
/** 300 accounts with 3 or 4 roles; two of them are "payments", the two-word search's target. */
const ORG = {
  accounts: Array.from({ length: 300 }, (_, i) => ({
    id: String(100000000000 + i * 1001),
    name: i === 41 ? 'payments prod' : i === 207 ? 'payments dev' : `team-${String(i).padStart(3, '0')} ${ENVS[i % 3]}`,
    roles: ['AdministratorAccess', 'ReadOnly', 'Developer', ...(i % 2 ? ['Billing'] : [])],
  })),
  pollIntervalSecs: 1,
};
const id = (/** @type {number} */ i) => ORG.accounts[i].id;

/** @param {import('playwright-core').Page} page */
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return a ? `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}${a.getAttribute('data-action') ? `[${a.getAttribute('data-action')}]` : ''}` : '';
});

/** Presses Tab until the focused element matches `selector` (at most `max` presses). @param {import('playwright-core').Page} page @param {string} selector */
async function tabTo(page, selector, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}; focus is on ${await focused(page)}`);
}

/** The key of the tree's active item (aria-activedescendant). @param {import('playwright-core').Page} page */
const activeItem = (page) => page.evaluate(() => {
  const list = document.getElementById('roles');
  const item = document.getElementById(list?.getAttribute('aria-activedescendant') ?? '');
  return item?.dataset.role ?? (item ? `@${item.dataset.account}` : null);
});

/** Signs in with the device flow by clicking on the emulator's page (not the picker's part). */
async function signIn(/** @type {any} */ product) {
  const { popup, browser } = product;
  const opened = browser.context.waitForEvent('page', { predicate: (/** @type {any} */ p) => /\/device\?user_code=/.test(p.url()), timeout: 20_000 });
  await portalRow(popup).locator('[data-action="signIn"]').click();
  const page = await opened;
  await approveOnPage(page);
  await portalRow(popup).locator('.portal-state[data-state="valid"]').waitFor({ timeout: 20_000 });
  await page.close();
}

/** A fresh popup page, as when the toolbar button is pressed. */
async function reopenPopup(/** @type {any} */ product) {
  await product.popup.close();
  const popup = await product.browser.context.newPage();
  popup.on('pageerror', (/** @type {Error} */ e) => product.pageErrors.push(e));
  await popup.setViewportSize({ width: 420, height: 600 });
  await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  await popup.locator('#status[data-state="ready"]').waitFor({ timeout: 15_000 });
  product.popup = popup;
  return popup;
}

/** @param {import('playwright-core').Page} popup @param {string} label */
async function assertAxeClean(popup, label) {
  for (const scheme of /** @type {const} */ (['light', 'dark'])) {
    await popup.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await axeViolations(popup, { include: '#accounts' }), [], `${label}, ${scheme}`);
  }
  await popup.emulateMedia({ colorScheme: 'light' });
}

test('keyboard only, 300 accounts: a two-word search, two roles and all of one account, review, apply; the AWS CLI works', { timeout: 300_000 }, async () => {
  const product = await startProduct({ emulator: ORG, flow: 'device' });
  try {
    await signIn(product);
    const popup = await reopenPopup(product);
    const key = (/** @type {string} */ k) => popup.keyboard.press(k);

    // From the portal list to its accounts.
    await tabTo(popup, `li[data-session="${SESSION}"] [data-action="accounts"]`);
    await key('Enter');
    await popup.locator('#accounts:not([hidden])').waitFor();
    await popup.locator('#sync-all:not([disabled])').waitFor({ timeout: 120_000 });
    assert.equal(await popup.locator('#progress').textContent(), msg(en.listedAll, ['300', '1050']));
    // 300 accounts start collapsed and only the rows near the visible part are drawn.
    assert.equal(await popup.locator('#roles > li[data-account]').first().getAttribute('aria-expanded'), 'false');
    const drawn = await popup.locator('#roles > li').count();
    assert.ok(drawn > 5 && drawn < 60, `${drawn} rows drawn`);

    // Two words, each must match: "payments" (account) and "admin" (role).
    await tabTo(popup, '#search');
    await popup.keyboard.type('payments admin');
    await popup.locator('#search-result').filter({ hasText: msg(en.pickerMatches, ['2', '2']) }).waitFor();
    await key('ArrowDown'); // into the list: one Tab stop, arrow keys inside
    assert.equal(await focused(popup), 'ul#roles');
    assert.equal(await activeItem(popup), `@${id(41)}`);
    await key('ArrowDown');
    assert.equal(await activeItem(popup), `${id(41)}/AdministratorAccess`);
    await key(' ');
    await key('End');
    assert.equal(await activeItem(popup), `${id(207)}/AdministratorAccess`);
    await key(' ');
    assert.equal(await popup.locator('#selection-count').textContent(), msg(en.pickerSelected, ['2']));
    assert.equal(await popup.locator(`li[data-role="${id(207)}/AdministratorAccess"]`).getAttribute('aria-checked'), 'true');
    await key('Home');
    await key('ArrowLeft'); // closes "payments prod"
    assert.equal(await popup.locator(`li[data-account="${id(41)}"]`).getAttribute('aria-expanded'), 'false');
    await key('ArrowRight');
    assert.equal(await popup.locator(`li[data-account="${id(41)}"]`).getAttribute('aria-expanded'), 'true');
    await screenshot(popup, 'popup-accounts-en-light'); // the README's picker (with SSOBRIDGE_SCREENSHOTS_DIR)

    // All roles of one account: search it, Space on its header.
    await tabTo(popup, '#search');
    await popup.keyboard.press('Control+A');
    await popup.keyboard.type('team-123');
    await popup.locator('#search-result').filter({ hasText: msg(en.pickerMatches, ['4', '1']) }).waitFor();
    await key('ArrowDown');
    assert.equal(await activeItem(popup), `@${id(123)}`);
    await key(' ');
    assert.equal(await popup.locator(`li[data-account="${id(123)}"]`).getAttribute('aria-checked'), 'true');
    // The two payments roles are hidden by this search, and still selected.
    assert.equal(await popup.locator('#selection-count').textContent(), msg(en.pickerSelectedHidden, ['6', '2']));
    const team = await popup.locator(`li[data-role^="${id(123)}/"]`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-profile')));
    assert.equal(team.length, 4);
    await assertAxeClean(popup, 'accounts view with a search and hidden selections');

    // Applying with hidden selections asks first, and lists them.
    await tabTo(popup, '#add-selected');
    await key('Enter');
    await popup.locator('#hidden-confirm:not([hidden])').waitFor();
    const listed = await popup.locator('#hidden-confirm li').allTextContents();
    assert.deepEqual(listed.map((l) => l.split(' → ')[0]), ['payments prod · AdministratorAccess', 'payments dev · AdministratorAccess']);
    await assertAxeClean(popup, 'accounts view asking about hidden selections');
    assert.equal(await focused(popup), 'button[addAllSelected]');
    await key('Enter');
    await popup.locator('#review:not([hidden])').waitFor();
    const diff = (await popup.locator('#diff').textContent()) ?? '';
    assert.equal((diff.match(/^\+\[profile /gm) ?? []).length, 6, diff);
    await tabTo(popup, '#apply');
    await key('Enter');
    await popup.locator('#done:not([hidden])').waitFor({ timeout: 30_000 });

    const config = product.config();
    const profiles = [...config.matchAll(/^\[profile ([^\]]+)\]$/gm)].map((m) => m[1]);
    assert.equal(profiles.length, 6, config);
    for (const p of team) assert.ok(profiles.includes(/** @type {string} */ (p)), `${p} in ${profiles.join(', ')}`);
    for (const p of profiles) {
      const r = product.aws(['sts', 'get-caller-identity', '--profile', p, '--output', 'json']);
      assert.equal(r.status, 0, `aws --profile ${p}: ${r.stderr}`);
      const who = JSON.parse(r.stdout);
      const expected = p.startsWith('payments') ? [id(41), id(207)] : [id(123)];
      assert.ok(expected.includes(who.Account), `${p} is account ${who.Account}`);
    }
    assert.deepEqual(product.pageErrors, []);
  } finally {
    await product.close();
  }
});

test('in Japanese: the picker\'s texts, select all matching, revealing hidden selections, axe in light and dark', { timeout: 240_000 }, async () => {
  const org = { accounts: ORG.accounts.slice(0, 40), pollIntervalSecs: 1 };
  const product = await startProduct({ emulator: org, flow: 'device', env: { LANGUAGE: 'ja', LANG: 'ja_JP.UTF-8' } });
  try {
    await signIn(product);
    const popup = await reopenPopup(product);
    await portalRow(popup).locator('[data-action="accounts"]').click();
    await popup.locator('#sync-all:not([disabled])').waitFor({ timeout: 60_000 });
    assert.equal(await popup.locator('#selection-count').textContent(), msg(ja.pickerSelected, ['0']));
    await assertAxeClean(popup, 'ja, accounts view');

    await popup.fill('#search', 'DEV　Billing'); // any case, and an ideographic space between the words
    const matches = org.accounts.filter((a, i) => a.name.endsWith('dev') && i % 2).length;
    await popup.locator('#search-result').filter({ hasText: msg(ja.pickerMatches, [String(matches), String(matches)]) }).waitFor();
    await popup.click('#select-matching');
    assert.equal(await popup.locator('#select-matching').textContent(), msg(ja.pickerClearMatching, [String(matches)]));
    await popup.fill('#search', 'no-such-role-anywhere');
    assert.equal(await popup.locator('#search-result').textContent(), msg(ja.pickerNoMatch, ['no-such-role-anywhere']));
    assert.equal(await popup.locator('#selection-count').textContent(), msg(ja.pickerSelectedHidden, [String(matches), String(matches)]));
    await popup.click('#show-selected');
    assert.equal(await popup.locator('#selection-count').textContent(), msg(ja.pickerShowingSelected, [String(matches)]));
    const shown = await allRoleNames(popup);
    assert.equal(shown.length, matches);
    assert.ok(shown.every((r) => r === 'Billing'), shown.join());
    await snap(popup, 'popup-picker-ja');
    await screenshot(popup, 'popup-accounts-ja-light');
    await assertAxeClean(popup, 'ja, only the selected roles');
    assert.deepEqual(product.pageErrors, []);
  } finally {
    await product.close();
  }
});

test('the listing contract: pending accounts greyed, a remembered listing\'s age, what changed, then the fresh roles', { timeout: 120_000 }, async () => {
  const product = await startProduct({ emulator: { accounts: ORG.accounts.slice(0, 3), pollIntervalSecs: 1 }, flow: 'device' });
  try {
    const { popup } = product;
    // The worker's listing events, as the `listing` helper's producer posts them on the popup
    // port: fed to the popup's own picker (popup.js passes it on: the build bundles the picker
    // into popup.js, and a module imported on its own would be a second picker), in the page.
    await popup.evaluate(async () => {
      const picker = await import('./popup.js');
      document.getElementById('home')?.setAttribute('hidden', '');
      document.getElementById('accounts')?.removeAttribute('hidden');
      picker.openPicker('demo', false);
      const hourAgo = Date.now() - 3 * 3600_000;
      const role = (/** @type {string} */ accountId, /** @type {string} */ accountName, /** @type {string} */ roleName) => ({ accountId, accountName, roleName, profileName: `${accountName}.${roleName}`, exists: false, state: 'new', notes: [] });
      picker.onListing('demo', {
        accounts: [{ accountId: '1', accountName: 'alpha', state: 'listed' }, { accountId: '2', accountName: 'beta', state: 'pending' }],
        roles: [role('1', 'alpha', 'Admin'), role('1', 'alpha', 'ReadOnly')],
        done: 1, total: 2, finished: false, source: 'remembered', listedAt: hourAgo,
        changes: { added: [{ accountId: '1', accountName: 'alpha', roleName: 'ReadOnly' }], removed: [{ accountId: '3', accountName: 'gamma', roleName: 'Old' }] },
      });
    });
    assert.equal(await popup.locator('#accounts').getAttribute('data-source'), 'remembered');
    assert.equal(await popup.locator('#progress').textContent(), `${msg(en.listingProgress, ['1', '2'])} · ${msg(en.pickerListedAgo, [msg(en.pickerHours, ['3'])])}`);
    assert.equal(await popup.locator('li[data-account="2"]').getAttribute('data-state'), 'pending');
    assert.equal(await popup.locator('li[data-account="2"] .count').textContent(), en.pickerLoadingRoles.message);
    assert.equal(await popup.locator('#changes summary').textContent(), msg(en.pickerChanges, ['1', '1']));
    assert.equal(await popup.locator('#changes ul.removed li').textContent(), 'gamma · Old');
    await popup.locator('li[data-role="1/Admin"] input[type="checkbox"]').check();
    await assertAxeClean(popup, 'a remembered listing while a fresh one runs');

    // The fresh listing arrives: beta's roles fill in, the selection stays.
    await popup.evaluate(async () => {
      const picker = await import('./popup.js');
      const role = (/** @type {string} */ accountId, /** @type {string} */ accountName, /** @type {string} */ roleName) => ({ accountId, accountName, roleName, profileName: `${accountName}.${roleName}`, exists: false, state: 'new', notes: [] });
      picker.onListing('demo', {
        accounts: [{ accountId: '1', accountName: 'alpha', state: 'listed' }, { accountId: '2', accountName: 'beta', state: 'listed' }],
        roles: [role('1', 'alpha', 'Admin'), role('1', 'alpha', 'ReadOnly'), role('2', 'beta', 'Dev')],
        done: 2, total: 2, finished: true, source: 'fresh', listedAt: Date.now(), changes: null,
      });
    });
    assert.equal(await popup.locator('#accounts').getAttribute('data-source'), 'fresh');
    assert.equal(await popup.locator('li[data-account="2"]').getAttribute('data-state'), 'listed');
    assert.equal(await popup.locator('li[data-role="2/Dev"]').count(), 1);
    assert.equal(await popup.locator('#changes').isHidden(), true);
    assert.equal(await popup.locator('li[data-role="1/Admin"]').getAttribute('aria-checked'), 'true');
    assert.equal(await popup.locator('#selection-count').textContent(), msg(en.pickerSelected, ['1']));

    // The whole row is the target, not only its box.
    await popup.locator('li[data-role="2/Dev"] .role-name').click();
    assert.equal(await popup.locator('li[data-role="2/Dev"]').getAttribute('aria-checked'), 'true');
    await popup.locator('li[data-account="2"] .name').click(); // the account's name opens and closes it
    assert.equal(await popup.locator('li[data-account="2"]').getAttribute('aria-expanded'), 'false');
    assert.equal(await popup.locator('li[data-role="2/Dev"]').count(), 0);
    // Enter edits the active role's profile name; Enter goes back to the list (one Tab stop).
    await popup.focus('#roles');
    await popup.keyboard.press('Home');
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('Enter');
    assert.equal(await popup.evaluate(() => document.activeElement?.closest('li')?.dataset.role), '1/Admin');
    await popup.keyboard.press('Control+A');
    await popup.keyboard.type('mine.admin');
    await popup.keyboard.press('Enter');
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'roles');
    assert.equal(await popup.locator('li[data-role="1/Admin"] input.profile-name').inputValue(), 'mine.admin');
    assert.deepEqual(product.pageErrors, []);
  } finally {
    await product.close();
  }
});
