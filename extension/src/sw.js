// The service worker owns every flow and all state; the popup and options pages only send it
// messages and render what it answers. Listeners are registered synchronously at the top level
// (MV3 wakes a stopped worker only for listeners registered that way); the wasm core loads behind
// a promise that every handler awaits — no top-level await.
// Firefox runs this same module as its MV3 event page (`background.scripts`, see
// xtask/src/extension/manifest.rs): a document that is stopped when idle, as the worker is, so
// the same rules hold. Both browsers' `chrome.*` return promises in MV3: no `browser.*` shim.
import { coreVersion } from './wasm/ssobridge_wasm.js';
import { coreReady } from './background/settings.js';
import { lockLocal } from './background/local-store.js';
import { HostClient } from './background/host.js';
import * as sessions from './background/sessions.js';
import * as profiles from './background/profiles.js';
import { handle } from './background/router.js';
import { handleContent, contentError } from './background/content.js';
import { viewState } from './background/view.js';
import { updateBadge, scheduleBadge, isBadgeAlarm } from './background/badge.js';
import * as autosync from './background/autosync.js';
import * as resume from './background/resume.js';

const ready = coreReady();
const host = new HostClient();

// Content scripts run inside web pages: they may not read or write the extension's storage at
// all (settings hold the endpoint override, where tokens are sent). Chromium: access levels on
// both areas. Firefox has none for `local` (local-store.js keeps the settings elsewhere there)
// and never exposes `session` to content scripts, so both calls may fail there.
void lockLocal().catch(() => {});
chrome.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })?.catch(() => {});

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
  // The feed carries user codes, settings and sessions: extension pages only. A content
  // script's connect gets a closed port and nothing on it.
  if (port.name !== 'popup' || !isExtensionPage(port.sender)) {
    port.disconnect();
    return;
  }
  popups.add(port);
  port.onDisconnect.addListener(() => popups.delete(port));
  resume.track(port);
  // Where the popup was, first: it needs no host, so it is not held up by the state's status.
  ready.then(() => resume.resumeMessage()).then((m) => m && popups.has(port) && port.postMessage(m), () => {});
  ready.then(() => viewState(host)).then((state) => port.postMessage({ type: 'state', state }), () => {});
});

/**
 * One of our own pages (popup, options; also when opened in a tab, as the options page can be):
 * its frame is on our origin. A content script's frame is the web page's, and no web page can
 * frame ours (no web-accessible resources).
 * @param {chrome.runtime.MessageSender | undefined} sender
 */
function isExtensionPage(sender) {
  const ours = chrome.runtime.getURL('');
  return !!sender && sender.id === chrome.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(ours)
    // A browser that gives no `origin` (older Firefox) leaves the URL check above as the whole check.
    && (sender.origin === undefined || `${sender.origin}/` === ours);
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  // Content scripts (anything that is not one of our own pages) go to their own, narrower
  // handler, and get an error's code and its translated text only: a host's or the core's
  // message can name local paths (the user name) and does not belong in a web page.
  const page = isExtensionPage(sender);
  ready
    .then(() => (page ? handle(msg, sender, { host, coreVersion, pushState }) : handleContent(msg, sender, { host, pushState })))
    .then(
      (result) => sendResponse({ ok: true, result }),
      (e) => sendResponse({ ok: false, error: page ? pageError(e) : contentError(e) }),
    );
  return true; // the answer comes asynchronously
});

/** @param {any} e */
function pageError(e) {
  return { code: e?.code ?? 'internal', message: String(e?.message ?? e), ...(e?.field ? { field: e.field } : {}), ...(e?.fields ? { fields: String(e.fields) } : {}) };
}

chrome.tabs.onUpdated.addListener((tabId, changeInfo) => {
  if (changeInfo.url) ready.then(() => sessions.onTabUrl(tabId, /** @type {string} */ (changeInfo.url)));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (isBadgeAlarm(alarm)) void updateBadge().catch(() => {});
  else if (autosync.isSyncAlarm(alarm)) ready.then(() => autosync.onAlarm(alarm)).catch(() => {});
  else ready.then(() => sessions.onAlarm(alarm));
});

// Background sync starts at a sign-in (opt-in per portal, autosync.js).
chrome.storage.onChanged.addListener((changes, area) => {
  ready.then(() => autosync.onStorageChanged(changes, area));
});
scheduleBadge();

// A login that was running when the worker stopped continues now.
ready.then(() => sessions.resume());
