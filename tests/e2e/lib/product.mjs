// The whole product in one place for a test: the emulator, Chromium with the extension and the
// real native host (temporary profile and HOME), configured through the options page and the
// popup as a person would, and the AWS CLI v1 pointed at the emulator.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, EXTENSION_ID } from './chromium.mjs';
import { startEmulator } from './emulator.mjs';

export const SESSION = 'demo';

/**
 * @param {{ emulator?: object, flow?: 'device' | 'pkce', headless?: boolean, env?: Record<string, string> }} [opts]
 *   `env`: for the browser, e.g. `{ LANGUAGE: 'ja', LANG: 'ja_JP.UTF-8' }` for a Japanese one
 */
export async function startProduct(opts = {}) {
  const emu = await startEmulator(opts.emulator);
  const browser = await launch({ withHost: true, headless: opts.headless, env: opts.env });
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  await options.locator('input[name="oidc"]').waitFor({ state: 'attached' });
  await options.locator('details summary').click();
  await options.fill('input[name="oidc"]', emu.url);
  await options.fill('input[name="portal"]', emu.url);
  await options.check(`input[name="loginFlow"][value="${opts.flow ?? 'device'}"]`);
  await options.click('button[type="submit"]');
  await options.locator('#saved:not(:empty)').waitFor();
  await options.close();

  const popup = await browser.context.newPage();
  const pageErrors = [];
  popup.on('pageerror', (e) => pageErrors.push(e));
  await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  await popup.locator('#status[data-state="ready"]').waitFor({ timeout: 15_000 });
  if (!(await popup.locator('#add-portal').evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open))) await popup.click('#add-portal summary');
  await popup.fill('input[name="startUrl"]', `${emu.url}/start`);
  await popup.fill('input[name="region"]', 'us-east-1');
  await popup.fill('input[name="sessionName"]', SESSION);
  await popup.click('#add-portal-form button[type="submit"]');
  await popup.locator(`li[data-session="${SESSION}"]`).waitFor();

  return {
    emu,
    browser,
    popup,
    pageErrors,
    home: browser.home,
    /** Runs AWS CLI v1 against the emulator with the test's HOME. @param {string[]} args */
    aws(args) {
      const bin = join(process.cwd(), '.venv/bin/aws');
      if (!existsSync(bin)) throw new Error(`${bin} is missing: run the tests through \`cargo xtask test\``);
      const r = spawnSync(bin, args, {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH, HOME: browser.home,
          AWS_ENDPOINT_URL_SSO: emu.url, AWS_ENDPOINT_URL_SSO_OIDC: emu.url, AWS_ENDPOINT_URL_STS: emu.url,
        },
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    config: () => readFileSync(join(browser.home, '.aws/config'), 'utf8'),
    cacheFile: () => join(browser.home, '.aws/sso/cache', `${createHash('sha1').update(SESSION).digest('hex')}.json`),
    async close() {
      await browser.close();
      await emu.stop();
    },
  };
}

/** The portal row's sign-in button, by its visible text. @param {import('playwright-core').Page} popup */
export function portalRow(popup) {
  return popup.locator(`li[data-session="${SESSION}"]`);
}

/**
 * Approves a device code on the emulator's verification page by clicking, as a person would.
 * @param {import('playwright-core').Page} page
 */
export async function approveOnPage(page) {
  await page.locator('#confirm-code').click();
  await page.locator('#allow-access').click();
  await page.locator('#device-approved').waitFor();
}

/**
 * Saves a screenshot of a popup view to target/screenshots/NAME.png (the README shows one).
 * @param {import('playwright-core').Page} page @param {string} name
 * @param {{ width: number, height: number } | null} [viewport] the popup's size; null keeps the page's
 */
export async function snap(page, name, viewport = { width: 420, height: 600 }) {
  const dir = join(process.cwd(), 'target/screenshots');
  mkdirSync(dir, { recursive: true });
  if (viewport) await page.setViewportSize(viewport);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
