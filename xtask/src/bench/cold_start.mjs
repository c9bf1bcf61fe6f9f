// The service worker's cold start to its first answer through the wasm core, in headless
// Chromium with the built extension (run by `cargo xtask bench`, which reads the BENCH line).
//
// Each run stops every service worker (CDP ServiceWorker.stopAllWorkers, as Chromium does after
// 30 s idle), then times, from an extension page, one `suggestPortal` message: the browser starts
// the worker, which loads sw.js and its modules, instantiates the wasm core and answers through it.
// The first run of a fresh profile (no compiled-code cache yet) is reported on its own.
import { launch, EXTENSION_ID } from '../../../tests/e2e/lib/chromium.mjs';

const RUNS = Number(process.env.COLD_START_RUNS ?? 15);
const MESSAGE = { type: 'suggestPortal', startUrl: 'https://acme.awsapps.com/start' };

const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  /** @type {Map<string, string>} versionId → running status */
  const versions = new Map();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: vs }) => {
    for (const v of vs) versions.set(v.versionId, v.runningStatus);
  });
  // A worker still busy with its start-up work (the host check of a fresh profile) may ignore one
  // stop request: ask again, for up to 10 s in all.
  const stopped = async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      if (versions.size === 0) throw new Error('CDP reported no service worker');
      for (let i = 0; i < 200 && [...versions.values()].some((s) => s !== 'stopped'); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      if ([...versions.values()].every((s) => s === 'stopped')) return;
    }
    throw new Error('the service worker did not stop');
  };
  const timeOne = () => page.evaluate(async (msg) => {
    const t0 = performance.now();
    const reply = await chrome.runtime.sendMessage(msg);
    const ms = performance.now() - t0;
    if (!reply?.ok || reply.result?.sessionName !== 'acme') throw new Error(`unexpected answer ${JSON.stringify(reply)}`);
    return ms;
  }, MESSAGE);

  const samples = [];
  for (let i = 0; i < RUNS + 1; i++) {
    await stopped();
    samples.push(await timeOne());
  }
  const [first, ...rest] = samples;
  const sorted = [...rest].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  // A warm answer (worker running), for comparison.
  const warm = await timeOne();
  console.log(`BENCH ${JSON.stringify({ runs: RUNS, medianMs: median, firstMs: first, minMs: sorted[0], maxMs: sorted.at(-1), warmMs: warm })}`);
} finally {
  await browser.close();
}
