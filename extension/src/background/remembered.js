// The last complete listing of each session (account ids, names, roles: nothing secret), kept in
// chrome.storage.local so the popup can show it at once while a fresh listing runs. What to keep
// and what changed since are the core's decisions (rememberListing); this only stores it.
// Stored data is not trusted as read: the core decodes it before any use (see settings.js).

const PREFIX = 'listing:';

/** When the listing this worker last saved for a session was made (its listedAtMs), or null once
 * forgotten: while the worker lives, what storage holds without reading 170 KB to find out. */
const savedAt = new Map();

/** The listedAtMs this worker knows is stored for `sessionName` (undefined: read storage). @param {string} sessionName */
export function knownListedAt(sessionName) {
  return savedAt.get(sessionName);
}

/** @param {string} sessionName @returns {Promise<any | null>} the RememberedListing, if any */
export async function load(sessionName) {
  const key = PREFIX + sessionName;
  const got = await chrome.storage.local.get(key);
  const value = /** @type {any} */ (got[key]);
  return value && typeof value === 'object' && Array.isArray(value.accounts) ? value : null;
}

/** @param {string} sessionName @param {any | null} remembered null forgets */
export async function save(sessionName, remembered) {
  if (!remembered) return forget(sessionName);
  savedAt.delete(sessionName);
  await chrome.storage.local.set({ [PREFIX + sessionName]: remembered });
  savedAt.set(sessionName, remembered.listedAtMs);
}

/** @param {string} sessionName */
export async function forget(sessionName) {
  savedAt.delete(sessionName);
  await chrome.storage.local.remove(PREFIX + sessionName);
  savedAt.set(sessionName, null);
}
