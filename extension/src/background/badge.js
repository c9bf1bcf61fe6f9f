// The toolbar badge shows the time left on the session that expires first, so a glance tells
// whether the CLI will keep working: "7h", "45m", "!" once a signed-in session has expired.
import { tokens } from './vault.js';

const ALARM = 'badge';

export async function updateBadge() {
  const now = Date.now();
  const expiries = Object.values(await tokens.all()).map((l) => l?.token?.expiresAtMs).filter((t) => typeof t === 'number');
  let text = '';
  let color = '#1e7d32';
  if (expiries.length > 0) {
    const left = Math.min(...expiries) - now;
    if (left <= 0) {
      text = '!';
      color = '#b3261e';
    } else {
      const min = Math.floor(left / 60_000);
      text = min >= 60 ? `${Math.floor(min / 60)}h` : `${min}m`;
      if (min < 15) color = '#b26a00';
    }
  }
  await chrome.action.setBadgeText({ text });
  await chrome.action.setBadgeBackgroundColor({ color });
}

/** Keeps the badge current while the worker sleeps. */
export function scheduleBadge() {
  chrome.alarms.create(ALARM, { periodInMinutes: 1 });
}

/** @param {chrome.alarms.Alarm} alarm */
export function isBadgeAlarm(alarm) {
  return alarm.name === ALARM;
}
