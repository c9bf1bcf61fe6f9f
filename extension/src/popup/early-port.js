// The popup's connection to the worker, opened while popup.html is still being parsed (a classic
// script, run at once) rather than once its modules have loaded: what the worker says first
// (where the popup was closed, with its remembered listing) is on its way meanwhile. popup.js
// takes the port over and replays what arrived before it.
/** @type {any} */ (globalThis).ssobridgeEarlyPort = (() => {
  try {
    const port = chrome.runtime.connect({ name: 'popup' });
    /** @type {any[]} */ const early = [];
    /** @param {any} m */
    const keep = (m) => early.push(m);
    port.onMessage.addListener(keep);
    const opened = { port, early, keep, gone: false };
    port.onDisconnect.addListener(() => (opened.gone = true));
    return opened;
  } catch {
    return null; // popup.js connects by itself
  }
})();
