// Background sync, opt-in per portal (the portal's `autoSync`: off, notify, add): at sign-in and
// on a schedule (chrome.alarms; when, is the core's rule), list the portal again; with `add`,
// write the profiles of the roles that are new since the remembered listing (a plan whose
// selection is exactly those roles, never a prune); tell the person with a notification
// ("3 new roles"). Removing is never done here: it waits for the person's review in the popup.
import * as core from './core.js';
import { loadPortals } from './settings.js';
import * as profiles from './profiles.js';
import * as remembered from './remembered.js';

const PREFIX = 'sync:';

/** @param {string} name */
async function portalOf(name) {
  return (await loadPortals()).find((p) => p.sessionName === name) ?? null;
}

/** (Re)schedules the next background listing of `name`, or clears it when sync is off. @param {string} name */
export async function schedule(name) {
  const portal = await portalOf(name);
  if (!portal?.autoSync || portal.autoSync === 'off') {
    await chrome.alarms.clear(PREFIX + name);
    return;
  }
  const kept = await remembered.load(name);
  await chrome.alarms.create(PREFIX + name, { when: core.nextSyncAtMs(kept?.listedAtMs ?? undefined, Date.now()) });
}

/** @param {chrome.alarms.Alarm} alarm */
export function isSyncAlarm(alarm) {
  return alarm.name.startsWith(PREFIX);
}

/** @param {chrome.alarms.Alarm} alarm */
export async function onAlarm(alarm) {
  await run(alarm.name.slice(PREFIX.length));
}

/**
 * Lists `name` now if its sync is on; returns the roles that are new (and whether they were added).
 * @param {string} name @returns {Promise<{ added: any[], written: boolean } | null>}
 */
export async function run(name) {
  const portal = await portalOf(name);
  if (!portal?.autoSync || portal.autoSync === 'off') return null;
  try {
    const view = await profiles.listAccounts(name);
    const added = view.changes?.added ?? [];
    if (added.length === 0) return { added, written: false };
    const write = portal.autoSync === 'add';
    if (write) await profiles.applyProfiles({ sessionName: name, selection: added, prune: false }, false);
    await notify(name, added.length, write);
    return { added, written: write };
  } finally {
    await schedule(name).catch(() => {});
  }
}

/** @param {string} name @param {number} count @param {boolean} written */
async function notify(name, count, written) {
  await chrome.notifications?.create(`${PREFIX}${name}:${Date.now()}`, {
    type: 'basic',
    iconUrl: chrome.runtime.getURL('background/notify-icon.png'),
    title: name,
    message: chrome.i18n.getMessage(written ? 'syncRolesAdded' : 'syncNewRoles', [String(count)]),
  });
}

/**
 * Sign-ins, seen as a session's token appearing in chrome.storage.session (a refresh replaces a
 * token, it does not add one): each signed-in portal with sync on is listed then.
 * @param {Record<string, chrome.storage.StorageChange>} changes @param {string} area
 */
export function onStorageChanged(changes, area) {
  if (area !== 'session' || !changes.tokens) return;
  const before = /** @type {Record<string, unknown>} */ (changes.tokens.oldValue ?? {});
  for (const name of Object.keys(changes.tokens.newValue ?? {})) {
    if (!before[name]) void run(name).catch(() => {});
  }
}
