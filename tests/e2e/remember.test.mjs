// Issue 12, "remember" and background sync: the last complete listing of a session is kept (chrome.storage.local,
// names and roles only) and shown at once when the popup opens the accounts view again, while a
// fresh listing runs; when that one finishes, the roles added and removed since are shown. The
// real extension in Chromium, the real native host, the emulator (its admin API grants a role and
// revokes another between the two listings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProduct, snap, SESSION } from './lib/product.mjs';
import { EXTENSION_ID } from './lib/chromium.mjs';
import { checkView } from './lib/views.mjs';
import { signIn, openAccounts, openPopup, row, syncAllReview, apply, alarmNames, section } from './lib/popup.mjs';

const PROD = { id: '111111111111', name: 'prod', roles: ['AdministratorAccess', 'ReadOnlyAccess'] };
const DEV = { id: '222222222222', name: 'dev', roles: ['DeveloperAccess'] };

test('reopening the popup shows the remembered listing at once, then the roles added and removed since', { timeout: 180_000 }, async () => {
  const p = await startProduct({ emulator: { accounts: [PROD, DEV] } });
  try {
    const context = p.browser.context;
    await signIn(context, p.popup, SESSION);
    await openAccounts(p.popup, SESSION);
    const accounts = p.popup.locator('#accounts');
    assert.equal(await accounts.getAttribute('data-source'), 'fresh');
    assert.equal(await p.popup.locator('#roles li[data-role]').count(), 3);
    assert.doesNotMatch((await p.popup.locator('#progress').textContent()) ?? '', /Since last time/, 'nothing to compare with yet');

    // What is kept: ids, names and roles, never a token.
    const stored = await p.popup.evaluate(() => chrome.storage.local.get(null));
    const kept = stored[`listing:${SESSION}`];
    assert.deepEqual(kept.accounts.map((/** @type {any} */ a) => [a.accountId, a.accountName, a.roles]), [
      [PROD.id, PROD.name, PROD.roles], [DEV.id, DEV.name, DEV.roles],
    ]);
    const tokens = await context.serviceWorkers()[0].evaluate(() => chrome.storage.session.get('tokens'));
    const accessToken = Object.values(tokens.tokens ?? {})[0]?.token?.accessToken;
    assert.ok(accessToken, 'the session has a token');
    assert.ok(!JSON.stringify(stored).includes(accessToken), 'no token in chrome.storage.local');

    // Billing is granted on prod, DeveloperAccess revoked on dev; the portal is slow now, so the
    // fresh listing is visibly still running while the remembered one shows.
    await p.emu.admin('/admin/config', {
      accounts: [{ ...PROD, roles: [...PROD.roles, 'Billing'] }, { ...DEV, roles: [] }],
      latencyMs: 1500,
    });
    // Closed on the accounts view (the person clicked into the terminal), the popup opens there
    // again by itself, on the remembered listing.
    await p.popup.close();
    const { popup, pageErrors } = await openPopup(context);
    await popup.locator('#accounts[data-source="remembered"]:not([hidden]) #roles li[data-role]').first().waitFor({ timeout: 5_000 });
    assert.equal(await popup.locator('#accounts-title').textContent(), SESSION);
    assert.equal(await popup.locator('#roles li[data-role]').count(), 3, 'the remembered roles');
    assert.ok(await popup.locator('#sync-all').isDisabled(), 'the fresh listing is still running');

    await popup.locator('#accounts[data-source="fresh"]').waitFor({ timeout: 60_000 });
    await popup.locator('#sync-all:not([disabled])').waitFor();
    const roles = await popup.locator('#roles li[data-role]').evaluateAll((els) => els.map((e) => e.getAttribute('data-role')));
    assert.deepEqual(roles.sort(), [`${PROD.id}/AdministratorAccess`, `${PROD.id}/Billing`, `${PROD.id}/ReadOnlyAccess`]);
    // What changed since the remembered listing, as the picker shows it: the counts, then each role.
    assert.match((await popup.locator('#changes summary').textContent()) ?? '', /Since the last listing: 1 roles added, 1 removed/);
    const added = await popup.locator('#changes ul:not(.removed) li').allTextContents();
    const removed = await popup.locator('#changes ul.removed li').allTextContents();
    assert.deepEqual([added, removed], [[`${PROD.name} · Billing`], [`${DEV.name} · DeveloperAccess`]]);

    // The change is what the worker reports on the popup port (the picker's contract).
    const kept2 = (await popup.evaluate(() => chrome.storage.local.get(null)))[`listing:${SESSION}`];
    assert.deepEqual(kept2.accounts.find((/** @type {any} */ a) => a.accountId === PROD.id).roles, [...PROD.roles, 'Billing']);
    assert.ok(kept2.listedAtMs > kept.listedAtMs);
    assert.deepEqual(pageErrors, []);

    // Back to the portals, then closed: it opens on the portals.
    await popup.click('#accounts-back');
    await popup.locator('#home:not([hidden])').waitFor();
    await popup.close();
    const again = await openPopup(context);
    await row(again.popup, SESSION).waitFor();
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(await again.popup.locator('#home').isVisible(), 'closed on the portals, it opens on the portals');
    assert.ok(await again.popup.locator('#accounts').isHidden());
  } finally {
    await p.close();
  }
});

test('a reopened popup draws the first accounts of a long remembered listing at once, then the whole of it', { timeout: 180_000 }, async () => {
  const ACCOUNTS = 120;
  const p = await startProduct({ emulator: { accounts: ACCOUNTS, rolesPerAccount: 2 } });
  try {
    const context = p.browser.context;
    await signIn(context, p.popup, SESSION);
    await openAccounts(p.popup, SESSION, 120_000);
    const kept = (await p.popup.evaluate((k) => chrome.storage.local.get(k), `listing:${SESSION}`))[`listing:${SESSION}`];
    assert.equal(kept.accounts.length, ACCOUNTS);
    // The fresh listing of the reopened popup never finishes here: what it shows is remembered.
    await p.emu.admin('/admin/config', { latencyMs: 60_000 });
    await p.popup.close();

    const popup = await context.newPage();
    /** @type {Error[]} */ const pageErrors = [];
    popup.on('pageerror', (e) => pageErrors.push(e));
    await popup.addInitScript(() => {
      const w = /** @type {any} */ (window);
      // The worker's resume message, and what the list showed while it was the only listing.
      const connect = chrome.runtime.connect.bind(chrome.runtime);
      chrome.runtime.connect = (/** @type {any} */ info) => {
        const port = connect(info);
        port.onMessage.addListener((/** @type {any} */ m) => {
          if (m.type === 'resume') w.__resume ??= m;
        });
        return port;
      };
      new MutationObserver(() => {
        const first = document.querySelector('#accounts[data-preview]:not([hidden]) #roles > li');
        if (first && !w.__previewRow) w.__previewRow = /** @type {HTMLElement} */ (first).dataset.account;
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await popup.locator('#accounts[data-source="remembered"]:not([hidden]):not([data-preview]) #roles > li').first().waitFor({ timeout: 15_000 });

    const resume = await popup.evaluate(() => /** @type {any} */ (window).__resume);
    assert.equal(resume.listing.preview, true, 'a preview, not the 120 accounts');
    assert.deepEqual(resume.listing.accounts.map((/** @type {any} */ a) => a.accountId), kept.accounts.slice(0, 40).map((/** @type {any} */ a) => a.accountId), 'the first 40 accounts, in the listing order');
    assert.equal(resume.listing.roles.length, 80, 'with their roles');
    assert.ok(Array.isArray(resume.view) && resume.view[4] === 40, "the core's view of those 40 accounts");
    assert.equal(await popup.evaluate(() => /** @type {any} */ (window).__previewRow), kept.accounts[0].accountId, 'drawn before the whole listing came');

    // The whole listing replaced the preview: the last account is found.
    const last = kept.accounts[ACCOUNTS - 1];
    await popup.fill('#search', last.accountName);
    await popup.locator(`#roles > li[data-account="${last.accountId}"]`).first().waitFor({ timeout: 5_000 });
    assert.deepEqual(pageErrors, []);
  } finally {
    await p.close();
  }
});

test('the worker posts the listing contract on the popup port: remembered first, then fresh with its changes', { timeout: 180_000 }, async () => {
  const p = await startProduct({ emulator: { accounts: [PROD, DEV] } });
  try {
    const context = p.browser.context;
    await signIn(context, p.popup, SESSION);
    await openAccounts(p.popup, SESSION);
    await p.emu.admin('/admin/config', { accounts: [{ ...PROD, roles: ['ReadOnlyAccess'] }, DEV] });
    const posts = await p.popup.evaluate(async (sessionName) => {
      /** @type {any[]} */ const seen = [];
      const port = chrome.runtime.connect({ name: 'popup' });
      port.onMessage.addListener((m) => {
        if (m.type === 'listing') seen.push(m);
      });
      const reply = await chrome.runtime.sendMessage({ type: 'listAccounts', sessionName });
      port.disconnect();
      return { seen, reply };
    }, SESSION);
    const { seen, reply } = posts;
    assert.ok(reply.ok, JSON.stringify(reply.error));
    assert.equal(seen[0].sessionName, SESSION);
    const first = seen[0].listing;
    assert.equal(first.source, 'remembered');
    assert.equal(first.finished, false);
    assert.deepEqual(first.accounts.map((/** @type {any} */ a) => [a.accountId, a.state]), [[PROD.id, 'listed'], [DEV.id, 'listed']]);
    assert.equal(first.roles.length, 3);
    assert.ok(first.listedAt > 0 && first.listedAt <= Date.now());
    const last = reply.result;
    assert.deepEqual(seen.at(-1).listing, last, 'the reply is the last post');
    assert.equal(last.source, 'fresh');
    assert.equal(last.finished, true);
    assert.equal(last.total, 2);
    assert.equal(last.done, 2);
    assert.deepEqual(last.changes, { added: [], removed: [{ accountId: PROD.id, accountName: PROD.name, roleName: 'AdministratorAccess' }] });
    assert.deepEqual(last.roles.map((/** @type {any} */ r) => r.roleName).sort(), ['DeveloperAccess', 'ReadOnlyAccess']);
    assert.ok(last.roles.every((/** @type {any} */ r) => typeof r.profileName === 'string' && r.profileName.length > 0));
  } finally {
    await p.close();
  }
});

/** Polls `check` every 250 ms until it returns a truthy value (or `ms` pass). @param {() => Promise<any>} check */
async function until(check, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('background sync (add): a role granted since the last listing gets its profile, a revoked one keeps its, the person is told', { timeout: 180_000 }, async () => {
  const p = await startProduct({ emulator: { accounts: [PROD, DEV] } });
  try {
    const context = p.browser.context;
    const worker = context.serviceWorkers()[0];
    const set = await p.popup.evaluate((m) => chrome.runtime.sendMessage(m), { type: 'setAutoSync', sessionName: SESSION, autoSync: 'always' });
    assert.equal(set.ok, false, 'an unknown autoSync value is refused');
    // The person turns it on in the options page.
    const options = await context.newPage();
    await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    const choice = options.locator(`#autosync select[data-session="${SESSION}"]`);
    assert.equal(await choice.inputValue(), 'off', 'off until the person turns it on');
    await choice.selectOption('add');
    const status = options.locator(`#autosync li[data-session="${SESSION}"] [role="status"]`);
    await options.waitForFunction((el) => !!el?.textContent, await status.elementHandle());
    assert.equal(await status.textContent(), 'Saved.');
    const { portals } = await p.popup.evaluate(() => chrome.storage.local.get('portals'));
    assert.equal(portals.find((/** @type {any} */ x) => x.sessionName === SESSION).autoSync, 'add');
    await options.reload();
    assert.equal(await options.locator(`#autosync select[data-session="${SESSION}"]`).inputValue(), 'add', 'the page shows the saved choice');
    await snap(options, 'options-autosync', { width: 640, height: 900 });
    // The page with this section shown: axe in light and dark, text readable.
    await checkView(options, 'options-autosync-en');
    await options.close();

    // The sign-in lists in the background and remembers; nothing is new the first time.
    await signIn(context, p.popup, SESSION);
    await until(async () => (await p.popup.evaluate(() => chrome.storage.local.get(null)))[`listing:${SESSION}`]);
    assert.ok((await alarmNames(context)).includes(`sync:${SESSION}`), 'the next background listing is scheduled');
    assert.deepEqual(await worker.evaluate(() => chrome.notifications.getAll()), {});

    // The person syncs everything once; then a role is granted and another revoked.
    await openAccounts(p.popup, SESSION);
    await syncAllReview(p.popup, false);
    await apply(p.popup);
    assert.ok(section(p.config(), 'profile dev.DeveloperAccess'));
    await p.emu.admin('/admin/config', { accounts: [{ ...PROD, roles: [...PROD.roles, 'Billing'] }, { ...DEV, roles: [] }] });

    // The schedule comes due (brought forward here rather than waited for).
    await worker.evaluate((name) => chrome.alarms.create(`sync:${name}`, { when: Date.now() + 50 }), SESSION);
    await until(async () => section(p.config(), 'profile prod.Billing'));
    assert.ok(section(p.config(), 'profile dev.DeveloperAccess'), 'a background sync never removes');
    const notes = await until(async () => {
      const all = await worker.evaluate(() => chrome.notifications.getAll());
      return Object.keys(all).length ? all : null;
    });
    assert.ok(Object.keys(notes).every((id) => id.startsWith(`sync:${SESSION}:`)), JSON.stringify(notes));
    assert.ok((await alarmNames(context)).includes(`sync:${SESSION}`), 'and the next one is scheduled');
    // The AWS CLI reads the added profile.
    const r = p.aws(['configure', 'get', 'sso_role_name', '--profile', 'prod.Billing']);
    assert.equal(r.stdout.trim(), 'Billing', r.stderr);
  } finally {
    await p.close();
  }
});
