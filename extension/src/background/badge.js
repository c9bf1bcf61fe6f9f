// The toolbar badge shows the time left on the session that expires first, so a glance tells
// whether the CLI will keep working: "7h", "45m", "!" once a signed-in session has expired.
// Sessions that renew their access token themselves are left out (nothing to count down). What
// it says is the core's rule (`badgeFor`); here it is only painted.
import { tokens } from './vault.js';
import { coreReady } from './settings.js';
import * as core from './core.js';
import { refreshable } from './view.js';

const ALARM = 'badge';

/** @type {Record<import('../wasm/ssobridge_wasm.js').BadgeTone, string>} */
const COLORS = { ok: '#1e7d32', soon: '#b26a00', expired: '#b3261e' };

export async function updateBadge() {
  await coreReady();
  const now = Date.now();
  // A session that renews itself does not count down: only one the person must sign in again for.
  const expiries = Object.values(await tokens.all()).filter((l) => !refreshable(l, now)).map((l) => l?.token?.expiresAtMs).filter((t) => typeof t === 'number');
  const badge = core.badgeFor(expiries, now);
  await chrome.action.setBadgeText({ text: badge.text });
  await chrome.action.setBadgeBackgroundColor({ color: COLORS[badge.tone] });
}

/** Keeps the badge current while the worker sleeps. */
export function scheduleBadge() {
  chrome.alarms.create(ALARM, { periodInMinutes: 1 });
}

/** @param {chrome.alarms.Alarm} alarm */
export function isBadgeAlarm(alarm) {
  return alarm.name === ALARM;
}
