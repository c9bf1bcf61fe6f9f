// What the accessibility and wait tests check in every view: axe (light and dark), the smallest
// text size a person reads, where focus is, and screenshots for the README when asked for.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe.mjs';

/** The smallest body text allowed, in CSS px (issue 13). */
export const MIN_TEXT_PX = 12;

/**
 * The computed font size of every visible element that holds text of its own, smallest first.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ px: number, what: string }[]>}
 */
export async function textSizes(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
      const field = el.matches('input:not([type="checkbox"]):not([type="radio"]), select, button');
      if (!own && !field) continue;
      if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('.visually-hidden')) continue;
      out.push({ px: parseFloat(getComputedStyle(el).fontSize), what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}` });
    }
    out.push({ px: parseFloat(getComputedStyle(document.body).fontSize), what: 'body' });
    return out.sort((a, b) => a.px - b.px);
  });
}

/** Asserts that no visible text is smaller than MIN_TEXT_PX. @param {import('playwright-core').Page} page @param {string} view */
export async function assertReadable(page, view) {
  const sizes = await textSizes(page);
  const small = sizes.filter((s) => s.px < MIN_TEXT_PX);
  assert.deepEqual(small, [], `${view}: text below ${MIN_TEXT_PX} px`);
  assert.ok(sizes.length > 1, `${view}: no text measured`);
}

/**
 * axe finds no serious or critical violation in light and in dark mode, text is readable, and
 * (with SSOBRIDGE_SCREENSHOTS_DIR set) both are saved as `NAME-light.png` / `NAME-dark.png`.
 * @param {import('playwright-core').Page} page @param {string} name e.g. `popup-review-en`
 */
export async function checkView(page, name) {
  for (const scheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await axeViolations(page), [], `${name} (${scheme})`);
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await assertReadable(page, name);
}

/**
 * Saves a screenshot into SSOBRIDGE_SCREENSHOTS_DIR (the README's docs/ folder) when that is set;
 * CI leaves it unset so the tree stays clean.
 * @param {import('playwright-core').Page} page @param {string} name
 */
export async function screenshot(page, name) {
  const dir = process.env.SSOBRIDGE_SCREENSHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The id (or tag) of the focused element. @param {import('playwright-core').Page} page */
export function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    return a?.id || (a?.getAttribute('data-action') ? `[data-action=${a.getAttribute('data-action')}]` : a?.tagName.toLowerCase() ?? '');
  });
}

/** The messages of one locale, read as the extension's build ships them. @param {string} locale */
export async function messages(locale) {
  const { readFileSync } = await import('node:fs');
  const m = JSON.parse(readFileSync(join(process.cwd(), 'extension/_locales', locale, 'messages.json'), 'utf8'));
  /** @param {string} key @param {string[]} [subs] */
  return (key, subs = []) => {
    const e = m[key];
    assert.ok(e, `no message ${key} in ${locale}`);
    return e.message.replace(/\$([A-Za-z0-9_]+)\$/g, (/** @type {string} */ _, /** @type {string} */ name) => {
      const content = e.placeholders?.[name.toLowerCase()]?.content ?? '';
      return content.replace(/\$(\d)/g, (/** @type {string} */ __, /** @type {string} */ i) => subs[Number(i) - 1] ?? '');
    });
  };
}
