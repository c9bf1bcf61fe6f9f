// Drives the popup as a person would, for tests with more than one portal: add a portal, sign in
// with the device flow on the emulator's page, list, sync, apply, undo, remove. The popup page
// stays open in its own tab for the whole test (a real popup closes on blur; the views are the same).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_ID, required } from './chromium.mjs';
import { approveOnPage } from './product.mjs';

/** @param {import('playwright-core').BrowserContext} context */
export async function openPopup(context) {
  const popup = await context.newPage();
  /** @type {Error[]} */ const pageErrors = [];
  popup.on('pageerror', (e) => pageErrors.push(e));
  await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  await popup.locator('#status[data-state="ready"]').waitFor({ timeout: 15_000 });
  return { popup, pageErrors };
}

/** @param {import('playwright-core').Page} popup @param {string} name */
export const row = (popup, name) => popup.locator(`li[data-session="${name}"]`);

/** @param {import('playwright-core').Page} popup @param {string} name @param {string} startUrl */
export async function addPortal(popup, name, startUrl) {
  await popup.locator('#home:not([hidden])').waitFor();
  if (!(await popup.locator('#add-portal').evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open))) await popup.click('#add-portal summary');
  await popup.fill('input[name="startUrl"]', startUrl);
  await popup.fill('input[name="region"]', 'us-east-1');
  await popup.fill('input[name="sessionName"]', name);
  await popup.click('#add-portal-form button[type="submit"]');
  await row(popup, name).waitFor();
}

/**
 * Signs `name` in with the device flow: the popup's Sign in, then Confirm and Allow on the
 * emulator's verification page. Waits until the row shows `state` (`valid`, or `error` when the
 * host answered a problem).
 * @param {import('playwright-core').BrowserContext} context @param {import('playwright-core').Page} popup
 * @param {string} name @param {'valid' | 'error'} [state]
 */
export async function signIn(context, popup, name, state = 'valid') {
  const before = new Set(context.pages());
  const opened = context.waitForEvent('page', { predicate: (p) => !before.has(p) && /\/device\?user_code=/.test(p.url()), timeout: 20_000 });
  await row(popup, name).locator('[data-action="signIn"]').click();
  const page = await opened;
  await approveOnPage(page);
  await row(popup, name).locator(`.portal-state[data-state="${state}"]`).waitFor({ timeout: 30_000 });
  await page.close();
}

/** Opens a portal's accounts and waits until the listing finished. @param {import('playwright-core').Page} popup @param {string} name */
export async function openAccounts(popup, name, timeout = 30_000) {
  await popup.locator('#home:not([hidden])').waitFor();
  await row(popup, name).locator('[data-action="accounts"]').click();
  await popup.locator('#accounts:not([hidden])').waitFor();
  await popup.locator('#sync-all:not([disabled])').waitFor({ timeout });
}

/**
 * Every role row of the picker's list, scrolled through from the top (it draws only the rows in
 * or near view, and how many fit depends on the popup's room): the role names, by row.
 * @param {import('playwright-core').Page} popup @returns {Promise<string[]>}
 */
export async function allRoleNames(popup) {
  return popup.evaluate(async () => {
    const box = /** @type {HTMLElement} */ (document.getElementById('roles-scroll'));
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    /** @type {Map<string, string>} */ const seen = new Map();
    box.scrollTop = 0;
    for (;;) {
      await frame();
      for (const li of document.querySelectorAll('#roles > li[data-role]')) {
        seen.set(/** @type {HTMLElement} */ (li).dataset.role ?? '', li.querySelector('.role-name')?.textContent ?? '');
      }
      if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) break;
      box.scrollTop += box.clientHeight;
    }
    box.scrollTop = 0;
    await frame();
    return [...seen.values()];
  });
}

/**
 * "Sync all" (with or without prune) up to the review; returns what the review shows.
 * @param {import('playwright-core').Page} popup @param {boolean} prune
 */
export async function syncAllReview(popup, prune) {
  await popup.setChecked('#prune', prune);
  await popup.click('#sync-all');
  await popup.locator('#review:not([hidden])').waitFor();
  return {
    summary: (await popup.locator('#review-summary').textContent()) ?? '',
    diff: (await popup.locator('#diff').textContent()) ?? '',
    failed: (await popup.locator('#review-failed').isHidden()) ? null : await popup.locator('#review-failed').textContent(),
  };
}

/** Apply in the review, then wait for the done view. @param {import('playwright-core').Page} popup */
export async function apply(popup) {
  await popup.click('#apply');
  await popup.locator('#done:not([hidden])').waitFor({ timeout: 20_000 });
}

/** From the done view (or the accounts view) back to the portal list. @param {import('playwright-core').Page} popup */
export async function backHome(popup) {
  if (await popup.locator('#done:not([hidden])').count()) await popup.click('#done-back');
  if (await popup.locator('#review:not([hidden])').count()) await popup.click('#review-back');
  if (await popup.locator('#accounts:not([hidden])').count()) await popup.click('#accounts-back');
  await popup.locator('#home:not([hidden])').waitFor();
}

/** The test HOME's ~/.aws/config ('' when there is none). @param {string} home */
export function readConfig(home) {
  const file = join(home, '.aws/config');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Where the host keeps a session's token, as the AWS CLI looks it up. @param {string} home @param {string} session */
export function tokenFile(home, session) {
  return join(home, '.aws/sso/cache', `${createHash('sha1').update(session).digest('hex')}.json`);
}

/**
 * One section of an INI text, from its header to the next header, without the blank lines that
 * separate it from the next one; null when there is no such section.
 * @param {string} text @param {string} header e.g. `profile prod.ReadOnly` or `sso-session corp`
 */
export function section(text, header) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `[${header}]`);
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && !/^\s*\[/.test(lines[end])) end++;
  const body = lines.slice(start, end);
  while (body.length > 1 && body[body.length - 1].trim() === '') body.pop();
  return body.join('\n');
}

/** Every `[profile NAME]` header's NAME whose section says `sso_session = SESSION`. @param {string} text @param {string} session */
export function profilesOf(text, session) {
  const names = [...text.matchAll(/^\[profile ([^\]]+)\]$/gm)].map((m) => m[1]);
  return names.filter((n) => new RegExp(`^sso_session\\s*=\\s*${session}\\s*$`, 'm').test(section(text, `profile ${n}`) ?? '')).sort();
}

/** The alarms of the extension's service worker, by name. @param {import('playwright-core').BrowserContext} context */
export async function alarmNames(context) {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return worker.evaluate(() => chrome.alarms.getAll().then((all) => all.map((a) => a.name).sort()));
}

/** The extension's English message `key`, as the person reads it. @param {string} key */
export function en(key) {
  const messages = JSON.parse(readFileSync(join(required('SSOBRIDGE_EXTENSION_DIR'), '_locales/en/messages.json'), 'utf8'));
  if (!messages[key]) throw new Error(`no en message ${key}`);
  return messages[key].message;
}
