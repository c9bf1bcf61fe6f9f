// The native-messaging client: one connectNative port shared by every request, replies matched
// by id, a time-out per request, and a reconnect on the next request after the host went away.
// An open port also keeps Chromium's service worker alive while a flow runs; it is closed after
// a short idle time so the worker can sleep.

export const HOST_NAME = 'com.ssobridge.host';
/** The oldest host protocol this extension can talk to. */
export const MIN_PROTOCOL = 1;
const IDLE_CLOSE_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 20_000;

/** An error with a stable `code` the popup translates; `field` names the offending input. */
export class CodedError extends Error {
  /** @param {string} code @param {string} message @param {string} [field] */
  constructor(code, message, field) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

/** @typedef {import('../wasm/ssobridge_wasm.js').HostAction} HostAction */
/** @template {HostAction} A @typedef {import('../wasm/ssobridge_wasm.js').HostParams<A>} HostParams */
/** @typedef {import('../wasm/ssobridge_wasm.js').HostResults} HostResults */

/** @typedef {{ resolve: (v: any) => void, reject: (e: Error) => void, timer: ReturnType<typeof setTimeout> }} Pending */

export class HostClient {
  /** @param {string} [name] */
  constructor(name = HOST_NAME) {
    this.name = name;
    /** @type {chrome.runtime.Port | null} */
    this.port = null;
    /** @type {Map<number, Pending>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.idleTimer = undefined;
    /** @type {{ version: string, protocol: number } | null} */
    this.hostInfo = null;
  }

  /**
   * Sends one request and resolves with its `result`, or rejects with a CodedError. Params and
   * result are typed per action from the Rust protocol types (`HostParams`, `HostResults`).
   * @template {HostAction} A
   * @param {A} action @param {HostParams<A>} params @param {{ timeoutMs?: number }} [opts]
   * @returns {Promise<HostResults[A]>}
   */
  request(action, params, opts = {}) {
    const port = this.connect();
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CodedError('host_timeout', `the native host did not answer "${action}" in time`));
        this.scheduleIdleClose();
      }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      try {
        port.postMessage({ id, action, params });
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new CodedError('host_missing', String(/** @type {Error} */ (e)?.message ?? e)));
      }
    });
  }

  /** @returns {chrome.runtime.Port} */
  connect() {
    if (this.port) return this.port;
    const port = chrome.runtime.connectNative(this.name);
    port.onMessage.addListener((msg) => this.onReply(msg));
    port.onDisconnect.addListener(() => this.onDisconnect(port));
    this.port = port;
    return port;
  }

  /** @param {any} msg a `Reply` (HostReply) from the wire; checked here, so not trusted to match */
  onReply(msg) {
    if (msg?.host) this.hostInfo = msg.host;
    const entry = typeof msg?.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!entry) return; // a reply to a request that already timed out
    this.pending.delete(msg.id);
    clearTimeout(entry.timer);
    if (msg.host && msg.host.protocol < MIN_PROTOCOL) {
      entry.reject(new CodedError('host_too_old', `the native host speaks protocol ${msg.host.protocol}; ${MIN_PROTOCOL} or newer is needed`));
    } else if (msg.ok) {
      entry.resolve(msg.result);
    } else {
      const err = msg.error ?? {};
      entry.reject(new CodedError(err.code ?? 'host_error', err.message ?? 'the native host reported an error', err.field));
    }
    if (this.pending.size === 0) this.scheduleIdleClose();
  }

  /** @param {chrome.runtime.Port} port */
  onDisconnect(port) {
    if (this.port !== port) return;
    this.port = null;
    // Chromium gives the reason in runtime.lastError; Firefox on the port (`port.error`), and
    // leaves lastError unset there.
    const why = /** @type {any} */ (port).error?.message ?? chrome.runtime.lastError?.message ?? 'the native host exited';
    // Chromium says "Specified native messaging host not found." when nothing is registered,
    // Firefox "No such native application com.ssobridge.host".
    const code = /not found|no such native application/i.test(why) ? 'host_missing' : 'host_disconnected';
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new CodedError(code, why));
      this.pending.delete(id);
    }
  }

  scheduleIdleClose() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0 && this.port) {
        this.port.disconnect();
        this.port = null;
      }
    }, IDLE_CLOSE_MS);
  }
}
