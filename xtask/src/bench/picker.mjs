// The accounts picker with 5,000 roles, in headless Chromium with the built extension (run by
// `cargo xtask bench`, which reads the BENCH line): one keystroke in the search (the core's view,
// the layout and the drawn window, all synchronous in the input handler), the core's call alone,
// and the two ways the popup could reach the core: its own wasm instance (loaded once per popup)
// or one message to the service worker per keystroke.
import { launch, EXTENSION_ID } from '../../../tests/e2e/lib/chromium.mjs';

const RUNS = Number(process.env.PICKER_RUNS ?? 25);

const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 420, height: 600 });
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  const r = await page.evaluate(async (runs) => {
    const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // What the popup adds by loading the core itself: compiling the module (its instance is
    // made once per popup; this page has one already, so compile a fresh copy).
    const t0 = performance.now();
    await WebAssembly.compileStreaming(fetch('./wasm/ssobridge_wasm_bg.wasm', { cache: 'no-store' }));
    const loadMs = performance.now() - t0;
    // The page's own picker (the build bundles it into popup.js).
    const picker = await import('./popup.js');
    document.getElementById('home')?.setAttribute('hidden', '');
    document.getElementById('accounts')?.removeAttribute('hidden');
    // The popup loads its core after its first paint: wait until the picker lays out with it.
    const one = { accountId: '1', accountName: 'one', roleName: 'r', profileName: 'one.r', exists: false, state: 'new', notes: [] };
    picker.openPicker('bench', false);
    picker.onListing('bench', { roles: [one], done: 1, total: 1, finished: true });
    for (let i = 0; i < 250 && !document.querySelector('#roles > li'); i++) await new Promise((r) => setTimeout(r, 20));
    // The same module the picker loaded, set up by it.
    const wasm = await import('./wasm/ssobridge_wasm.js');
    picker.openPicker('bench', false);
    const roles = [];
    for (let a = 0; a < 1250; a++) {
      for (const role of ['AdministratorAccess', 'ReadOnly', 'Developer', 'Billing']) {
        const accountId = String(100000000000 + a);
        const accountName = `team-${a} ${['prod', 'dev', 'staging'][a % 3]}`;
        roles.push({ accountId, accountName, roleName: role, profileName: `${accountName.replace(' ', '-')}.${role}`, exists: a % 5 === 0, state: 'new', notes: [] });
      }
    }
    const s0 = performance.now();
    picker.onListing('bench', { roles, done: 1250, total: 1250, finished: true });
    const firstOpenMs = performance.now() - s0;
    const o0 = performance.now();
    picker.onListing('bench', { roles: [...roles], done: 1250, total: 1250, finished: true });
    const openMs = performance.now() - o0;
    if (document.querySelectorAll('#roles > li').length === 0) throw new Error('the picker drew nothing');

    const search = /** @type {HTMLInputElement} */ (document.getElementById('search'));
    const queries = ['t', 'te', 'team', 'team 1', 'team 12', 'team 12 dev', 'team 12 de', 'admin', 'a', ''];
    const keystroke = [];
    for (let i = 0; i < runs; i++) {
      search.value = queries[i % queries.length];
      const k0 = performance.now();
      search.dispatchEvent(new Event('input'));
      keystroke.push(performance.now() - k0);
    }
    const drawn = document.querySelectorAll('#roles > li').length;

    const text = roles.map((x) => [x.accountId, x.accountName, x.roleName, x.profileName].join('\t')).join('\n');
    const mask = new Uint8Array(roles.length);
    const core = [];
    for (let i = 0; i < runs; i++) {
      const c0 = performance.now();
      wasm.pickerView(text, queries[i % queries.length], mask, false);
      core.push(performance.now() - c0);
    }

    const trip = [];
    for (let i = 0; i < runs; i++) {
      const w0 = performance.now();
      await chrome.runtime.sendMessage({ type: 'startUrlRegion', startUrl: 'https://acme.awsapps.com/start' });
      trip.push(performance.now() - w0);
    }
    return { roles: roles.length, loadMs, firstOpenMs, openMs, keystrokeMs: median(keystroke), keystrokeMaxMs: Math.max(...keystroke), coreMs: median(core), workerTripMs: median(trip), drawn };
  }, RUNS);
  console.log(`BENCH ${JSON.stringify(r)}`);
} finally {
  await browser.close();
}
