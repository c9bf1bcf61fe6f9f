// The service worker owns every flow and all state; pages only send it messages.
// No top-level await: MV3 service workers must register their listeners synchronously, so the
// wasm core loads behind a promise that handlers await.
import init, { coreVersion } from './wasm/ssobridge_wasm.js';

const ready = init();

/** @typedef {{ type: 'status' }} Request */

/**
 * @param {Request} msg
 * @returns {Promise<object>}
 */
async function handle(msg) {
  await ready;
  switch (msg?.type) {
    case 'status':
      return { coreVersion: coreVersion(), extensionVersion: chrome.runtime.getManifest().version };
    default:
      throw Object.assign(new Error(`unknown message type: ${String(msg?.type)}`), { code: 'unknown_message' });
  }
}

chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
  handle(msg).then(
    (result) => sendResponse({ ok: true, result }),
    (e) => sendResponse({ ok: false, error: { code: e?.code ?? 'internal', message: String(e?.message ?? e) } }),
  );
  return true; // the answer comes asynchronously
});
