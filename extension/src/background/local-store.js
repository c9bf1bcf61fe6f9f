// Where the settings and the portals are kept, out of reach of content scripts (code running
// inside web pages): the endpoint override in the settings decides where tokens are sent.
//  - Chromium: chrome.storage.local, once `setAccessLevel` has made it readable and writable by
//    extension pages and the worker only (sw.js calls lockLocal at start-up).
//  - Firefox: content scripts share chrome.storage.local and it has no access levels (Mozilla bug
//    1724754), so the same records live in the extension origin's IndexedDB instead. A content
//    script runs with its page's origin and cannot open that database; what it writes into
//    storage.local is never read. (The loaders still check every field through the core.)
// Which one is used follows what the browser offers (Firefox defines no `setAccessLevel` at all),
// the same answer in the worker and in every page.

const DB = 'ssobridge';
const STORE = 'local';
const LOCKABLE = typeof chrome.storage.local.setAccessLevel === 'function';

/** Makes chrome.storage.local private to extension pages and the worker, where the browser can. */
export async function lockLocal() {
  if (LOCKABLE) await chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
}

/** @type {Promise<IDBDatabase> | null} */
let opened = null;
function database() {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

/** @param {IDBTransactionMode} mode @param {(store: IDBObjectStore) => IDBRequest} op */
async function inStore(mode, op) {
  const tx = (await database()).transaction(STORE, mode);
  const req = op(tx.objectStore(STORE));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** The record `key` (undefined when there is none). @param {string} key @returns {Promise<unknown>} */
export async function getLocal(key) {
  if (LOCKABLE) return (await chrome.storage.local.get(key))[key];
  return inStore('readonly', (s) => s.get(key));
}

/** @param {string} key @param {unknown} value */
export async function setLocal(key, value) {
  if (LOCKABLE) await chrome.storage.local.set({ [key]: value });
  else await inStore('readwrite', (s) => s.put(value, key));
}
