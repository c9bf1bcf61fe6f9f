// Firefox ESR installs the built extension, runs its background page with the wasm core, and
// the popup shows the core's version: the Firefox half of the smoke test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchFirefox, GECKO_ID, MOZ_UUID } from './lib/firefox.mjs';
import { required } from './lib/chromium.mjs';

test('Firefox loads the extension and its wasm core', async () => {
  const dir = required('SSOBRIDGE_EXTENSION_DIR_FIREFOX');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const ff = await launchFirefox();
  try {
    const installed = await ff.send('webExtension.install', { extensionData: { type: 'path', path: dir } });
    assert.equal(installed.extension, GECKO_ID);
    const { contexts } = await ff.send('browsingContext.getTree', {});
    const context = contexts[0].context;
    await ff.send('browsingContext.navigate', { context, url: `moz-extension://${MOZ_UUID}/popup.html`, wait: 'complete' });
    // The background page answers through the wasm core (retried while it starts).
    let reply = null;
    for (let i = 0; i < 50 && !reply?.ok; i++) {
      const r = await ff.send('script.evaluate', {
        expression: `chrome.runtime.sendMessage({ type: 'status' }).then((r) => JSON.stringify(r), (e) => JSON.stringify({ ok: false, error: String(e) }))`,
        target: { context },
        awaitPromise: true,
      });
      reply = JSON.parse(r.result.value);
      if (!reply?.ok) await new Promise((res) => setTimeout(res, 200));
    }
    assert.deepEqual(reply, { ok: true, result: { coreVersion: manifest.version, extensionVersion: manifest.version } });
  } finally {
    await ff.close();
  }
});
