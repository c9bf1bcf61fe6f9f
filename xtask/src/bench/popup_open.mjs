// Reopening the popup on a portal whose last listing (1,000 accounts × 5 roles) is remembered:
// the time from the popup's navigation to the accounts view showing the remembered accounts
// (`#accounts[data-source="remembered"]` with its first rows drawn: the worker's first paint of
// the first accounts), and to the whole remembered listing in the picker (no `data-preview`:
// searchable, every account), in headless Chromium with the built extension, the real native
// host and the emulator (run by `cargo xtask bench`, which reads the BENCH line). The popup was
// closed on that accounts view, so it opens there by itself: no click.
import { startProduct, SESSION } from '../../../tests/e2e/lib/product.mjs';
import { signIn, openAccounts } from '../../../tests/e2e/lib/popup.mjs';
import { EXTENSION_ID } from '../../../tests/e2e/lib/chromium.mjs';

const RUNS = Number(process.env.POPUP_OPEN_RUNS ?? 7);
const ACCOUNTS = 1000;
const ROLES = 5;

const p = await startProduct({ emulator: { accounts: ACCOUNTS, rolesPerAccount: ROLES } });
try {
  const context = p.browser.context;
  await signIn(context, p.popup, SESSION);
  // The first listing, remembered when it finishes.
  await openAccounts(p.popup, SESSION, 300_000);
  // The picker draws only the rows in view; what was listed and kept is in the remembered listing.
  const kept = (await p.popup.evaluate((k) => chrome.storage.local.get(k), `listing:${SESSION}`))[`listing:${SESSION}`];
  const keptRoles = kept?.accounts?.reduce((/** @type {number} */ n, /** @type {any} */ a) => n + a.roles.length, 0);
  if (kept?.accounts?.length !== ACCOUNTS || keptRoles !== ACCOUNTS * ROLES) throw new Error(`the first listing kept ${kept?.accounts?.length} accounts, ${keptRoles} roles`);
  // From now on the portal answers slowly, so the fresh listings never finish during a run.
  await p.emu.admin('/admin/config', { latencyMs: 60_000 });
  await p.popup.close();

  /** @type {{ total: number, firstScript: number, posted: number, whole: number }[]} */
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = /** @type {any} */ (window);
      const seen = () => document.querySelector('#accounts[data-source="remembered"]:not([hidden]) #roles > li');
      const whole = () => document.querySelector('#accounts[data-source="remembered"]:not([hidden]):not([data-preview]) #roles > li');
      new MutationObserver((_, obs) => {
        if (w.__shown === undefined && seen()) w.__shown = performance.now();
        if (w.__whole === undefined && whole()) {
          w.__whole = performance.now();
          obs.disconnect();
        }
      }).observe(document, { subtree: true, childList: true, attributes: true });
      // When the worker's remembered listing reaches the page (before the popup renders it).
      const connect = chrome.runtime.connect.bind(chrome.runtime);
      chrome.runtime.connect = (/** @type {any} */ info) => {
        // The popup's first script connects first thing: before it, Chromium was starting the
        // page (none of our code runs yet).
        w.__firstScript ??= performance.now();
        const port = connect(info);
        port.onMessage.addListener((/** @type {any} */ m) => {
          // With the popup's resume (the worker had it at hand), or on its own when asked for.
          if ((m.type === 'listing' || m.type === 'resume') && m.listing?.source === 'remembered') w.__posted ??= performance.now();
        });
        return port;
      };
    });
    await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await page.waitForFunction(() => /** @type {any} */ (window).__whole !== undefined, null, { timeout: 30_000 });
    const t = await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      return { total: w.__shown, firstScript: w.__firstScript, posted: w.__posted, whole: w.__whole };
    });
    samples.push(t);
    await page.close();
  }
  const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`BENCH ${JSON.stringify({
    runs: RUNS, accounts: ACCOUNTS, roles: ROLES,
    medianMs: median(samples.map((s) => s.total)),
    firstScriptMs: median(samples.map((s) => s.firstScript)),
    postedMs: median(samples.map((s) => s.posted)),
    renderMs: median(samples.map((s) => s.total - s.posted)),
    maxMs: Math.max(...samples.map((s) => s.total)),
    wholeMs: median(samples.map((s) => s.whole)),
  })}`);
} finally {
  await p.close();
}
