// Where the popup was. A popup closes whenever the person clicks elsewhere (into the terminal to
// copy a command, say); closed on a portal's accounts view, it opens there again for a while (the
// core's rule, resumeAccountsView). Kept in chrome.storage.session: a session name and a time,
// nothing secret, gone with the browser.
import * as core from './core.js';
import { tokens } from './vault.js';
import { peekSettings } from './settings.js';
import { rememberedFirstPaint } from './profiles.js';

const KEY = 'popupView';
/** What KEY holds, while this worker lives (undefined: not known, read it): a reopened popup
 * waits for this, and storage is a round trip to the browser. @type {{ sessionName: string, closedAtMs: number } | null | undefined} */
let closed;

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
    closed = viewing ? { sessionName: viewing, closedAtMs: Date.now() } : null;
    const kept = closed ? chrome.storage.session.set({ [KEY]: closed }) : chrome.storage.session.remove(KEY);
    kept.catch(() => {});
    // Made now, while nobody waits: the popup may open again in a moment.
    if (viewing) rememberedFirstPaint(viewing);
  });
}

/**
 * What a popup that just opened is told: `{ type: 'resume', sessionName, pruneDefault, listing,
 * view }` to open a portal's accounts (with the first accounts of its remembered listing and the
 * core's view of them when this worker has it at hand, so the popup draws them at once), or null.
 */
export async function resumeMessage() {
  // Most openings find nothing kept: one read at most (none while this worker lives).
  const kept = /** @type {any} */ (closed !== undefined ? closed : (await chrome.storage.session.get(KEY))[KEY]);
  if (typeof kept?.sessionName !== 'string' || typeof kept?.closedAtMs !== 'number') return null;
  // Read together: a reopened popup waits for this answer (the popup's state, made beside it,
  // records any problem with the settings).
  const [token, settings] = await Promise.all([tokens.get(kept.sessionName), peekSettings()]);
  if (!core.resumeAccountsView(kept.closedAtMs, Date.now(), !!token)) return null;
  return { type: 'resume', sessionName: kept.sessionName, pruneDefault: settings.pruneDefault === true, ...(rememberedFirstPaint(kept.sessionName) ?? { listing: null }) };
}
