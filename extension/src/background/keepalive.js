// MV3 stops an idle service worker after ~30 s, and timers do not count as activity. While a
// login or a listing runs, an extension API call every 20 s keeps the worker up; a stop that
// still happens is survived by resuming from chrome.storage.session (see sessions.js).

let holders = 0;
/** @type {ReturnType<typeof setInterval> | undefined} */
let timer;

/**
 * Runs `work` with the worker held awake.
 * @template T @param {() => Promise<T>} work @returns {Promise<T>}
 */
export async function keepAlive(work) {
  if (holders++ === 0) timer = setInterval(() => chrome.runtime.getPlatformInfo(), 20_000);
  try {
    return await work();
  } finally {
    if (--holders === 0) clearInterval(timer);
  }
}
