// Small pieces both drivers use.
export { browserEnv } from '../chromium.mjs';

/**
 * Calls `f` every 100 ms until it returns something truthy, and returns that; fails naming `what`
 * after `timeout` ms.
 * @template T @param {string} what @param {number} timeout @param {() => Promise<T> | T} f @returns {Promise<NonNullable<T>>}
 */
export async function poll(what, timeout, f) {
  const until = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) return /** @type {NonNullable<T>} */ (v);
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
