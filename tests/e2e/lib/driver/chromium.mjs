// The scenarios' driver (lib/driver/index.mjs) for Chromium, over Playwright: the launch of
// lib/chromium.mjs (real extension, real native host registered by its own installer in the
// profile, temporary HOME), pages as tabs, closed shadow roots through DevTools (lib/closed-shadow.mjs).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, EXTENSION_ID } from '../chromium.mjs';
import { closedRoot } from '../closed-shadow.mjs';
import { poll } from './common.mjs';

/**
 * @param {{ withHost?: boolean, env?: Record<string, string> }} [opts]
 * @returns {Promise<import('./index.mjs').Driver>}
 */
export async function launchChromiumDriver(opts = {}) {
  const browser = await launch({ withHost: opts.withHost, env: opts.env });
  /** @type {string[]} */ const problems = [];
  const watch = (/** @type {import('playwright-core').Page} */ p) => p.on('pageerror', (e) => problems.push(`${p.url()}: ${e.message}`));
  browser.context.on('page', watch);
  browser.context.pages().forEach(watch);
  return {
    name: 'chromium',
    home: browser.home,
    problems,
    extensionUrl: (path) => `chrome-extension://${EXTENSION_ID}/${path}`,
    async open(url) {
      const page = await browser.context.newPage();
      await page.goto(url);
      return pwTab(page);
    },
    async waitForTab(pattern, timeout = 30_000) {
      return pwTab(await poll(`a tab matching ${pattern}`, timeout, () => browser.context.pages().find((p) => pattern.test(p.url()))));
    },
    async tabUrls() {
      return browser.context.pages().map((p) => p.url());
    },
    close: () => browser.close(),
  };
}

/** @param {import('playwright-core').Page} page @returns {import('./index.mjs').Tab} */
function pwTab(page) {
  const at = (/** @type {string} */ sel) => page.locator(sel).first();
  return {
    url: async () => page.url(),
    goto: async (url) => void (await page.goto(url)),
    waitFor: (sel, o = {}) => at(sel).waitFor({ state: o.state ?? 'visible', timeout: o.timeout ?? 15_000 }),
    click: (sel) => at(sel).click(),
    fill: (sel, value) => at(sel).fill(value),
    // Playwright names keys ('Enter'); the scenarios use WebDriver key values.
    press: (key) => page.keyboard.press(key === '\uE007' ? 'Enter' : key),
    check: (sel, on = true) => at(sel).setChecked(on),
    text: async (sel) => (await at(sel).textContent()) ?? '',
    value: (sel) => at(sel).inputValue(),
    attr: (sel, name) => at(sel).getAttribute(name),
    count: (sel) => page.locator(sel).count(),
    visible: (sel) => at(sel).isVisible(),
    // An expression string: DevTools evaluates it, so the extension pages' CSP (no eval) does not apply.
    evaluate: (fn, ...args) => page.evaluate(`(${fn})(...${JSON.stringify(args)})`),
    closedRoot: (hostId) => closedRoot(page, hostId),
    async screenshot(name, viewport = { width: 420, height: 600 }) {
      const dir = join(process.cwd(), 'target/screenshots');
      mkdirSync(dir, { recursive: true });
      if (viewport) await page.setViewportSize(viewport);
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    },
    close: () => page.close(),
  };
}
