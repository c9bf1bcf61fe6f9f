// The service worker owns every flow and all state; the popup and options pages only send it
// messages and render what it answers. Listeners are registered synchronously at the top level
// (MV3 wakes a stopped worker only for listeners registered that way); the wasm core loads behind
// a promise that every handler awaits — no top-level await.
import init, { coreVersion } from './wasm/ssobridge_wasm.js';
import { HostClient } from './background/host.js';
import * as sessions from './background/sessions.js';
import * as profiles from './background/profiles.js';
import { handle } from './background/router.js';
import { handleContent } from './background/content.js';
import { viewState } from './background/view.js';
import { updateBadge, scheduleBadge, isBadgeAlarm } from './background/badge.js';

const ready = init();
const host = new HostClient();

/** Open popups, which get state pushes while they are open. @type {Set<chrome.runtime.Port>} */
const popups = new Set();

async function pushState() {
  if (popups.size === 0) return;
  const state = await viewState(host);
  for (const p of popups) p.postMessage({ type: 'state', state });
}

sessions.init(host, () => {
  void pushState().catch(() => {});
  void updateBadge().catch(() => {});
});
profiles.init(host, (sessionName, listing) => {
  for (const p of popups) p.postMessage({ type: 'listing', sessionName, listing });
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'popup' || port.sender?.id !== chrome.runtime.id) return;
  popups.add(port);
  port.onDisconnect.addListener(() => popups.delete(port));
  ready.then(() => viewState(host)).then((state) => port.postMessage({ type: 'state', state }), () => {});
});

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  ready
    // Content scripts (a tab, and not one of our own pages) go to their own, narrower handler.
    .then(() => (sender.tab && !sender.url?.startsWith(chrome.runtime.getURL(''))
      ? handleContent(msg, sender, { host, pushState })
      : handle(msg, sender, { host, coreVersion, pushState })))
    .then(
      (result) => sendResponse({ ok: true, result }),
      (e) => sendResponse({ ok: false, error: { code: e?.code ?? 'internal', message: String(e?.message ?? e), ...(e?.field ? { field: e.field } : {}) } }),
    );
  return true; // the answer comes asynchronously
});

chrome.tabs.onUpdated.addListener((tabId, changeInfo) => {
  if (changeInfo.url) ready.then(() => sessions.onTabUrl(tabId, /** @type {string} */ (changeInfo.url)));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (isBadgeAlarm(alarm)) void updateBadge().catch(() => {});
  else ready.then(() => sessions.onAlarm(alarm));
});
scheduleBadge();

// A login that was running when the worker stopped continues now.
ready.then(() => sessions.resume());
