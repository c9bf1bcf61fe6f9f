// Where the popup was. A popup closes whenever the person clicks elsewhere (into the terminal to
// copy a command, say); closed on a portal's accounts view, it opens there again for a while (the
// core's rule, resumeAccountsView). Kept in chrome.storage.session: a session name and a time,
// nothing secret, gone with the browser.
import * as core from './core.js';
import { tokens } from './vault.js';
import { loadSettings } from './settings.js';
import { rememberedView } from './profiles.js';

const KEY = 'popupView';

/**
 * Follows the view of the popup on `port` (it posts `{ type: 'viewing', sessionName }`, null for
 * any view but accounts) and keeps it when the popup closes.
 * @param {chrome.runtime.Port} port
 */
export function track(port) {
  /** @type {string | null} */ let viewing = null;
  port.onMessage.addListener((/** @type {any} */ m) => {
    if (m?.type === 'viewing') viewing = typeof m.sessionName === 'string' ? m.sessionName : null;
  });
  port.onDisconnect.addListener(() => {
    const kept = viewing ? chrome.storage.session.set({ [KEY]: { sessionName: viewing, closedAtMs: Date.now() } }) : chrome.storage.session.remove(KEY);
    kept.catch(() => {});
  });
}

/**
 * What a popup that just opened is told: `{ type: 'resume', sessionName, pruneDefault, listing }`
 * to open a portal's accounts (with its remembered listing when this worker has it at hand, so
 * the popup draws it without asking), or null.
 */
export async function resumeMessage() {
  // Most openings find nothing kept: one read, and the popup's start is not slowed further.
  const kept = /** @type {any} */ ((await chrome.storage.session.get(KEY))[KEY]);
  if (typeof kept?.sessionName !== 'string' || typeof kept?.closedAtMs !== 'number') return null;
  // Read together: a reopened popup waits for this answer.
  const [token, settings] = await Promise.all([tokens.get(kept.sessionName), loadSettings()]);
  if (!core.resumeAccountsView(kept.closedAtMs, Date.now(), !!token)) return null;
  return { type: 'resume', sessionName: kept.sessionName, pruneDefault: settings.pruneDefault === true, listing: rememberedView(kept.sessionName) };
}
