// The built extension loads in headless Debian Chromium, its service worker starts, and the wasm
// core instantiates inside it: the popup gets the core's version from the worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, EXTENSION_ID, required } from './lib/chromium.mjs';

test('service worker starts with the fixed extension id', async () => {
  const b = await launch();
  try {
    assert.equal(new URL(b.worker.url()).host, EXTENSION_ID);
    assert.match(b.worker.url(), /\/sw\.js$/);
  } finally {
    await b.close();
  }
});

test('the wasm core runs in the service worker and answers the popup', async () => {
  const b = await launch();
  try {
    const page = await b.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    const manifest = JSON.parse(readFileSync(join(required('SSOBRIDGE_EXTENSION_DIR'), 'manifest.json'), 'utf8'));
    // The worker reports the core's version through the wasm export.
    const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
    assert.deepEqual(reply, { ok: true, result: { coreVersion: manifest.version, extensionVersion: manifest.version } });
    // The popup rendered the worker's state (with no host registered here, as an error state).
    await page.locator('#status[data-state]').waitFor({ timeout: 10_000 });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test('an unknown message gets a coded error, not silence', async () => {
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'nope' }));
    assert.equal(reply.ok, false);
    assert.equal(reply.error.code, 'unknown_message');
  } finally {
    await b.close();
  }
});
