// Drives Firefox ESR over WebDriver BiDi with no extra driver: Firefox's own remote agent
// installs the built extension and opens its pages (toolchain.md, "Firefox").
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GECKO_ID = 'ssobridge@ssobridge.dev';
// A fixed internal UUID, so the test knows the moz-extension:// origin in advance.
export const MOZ_UUID = '5d1c6a0e-3b7f-4c2a-9f1e-2a6b8c4d0e17';

/**
 * @param {{ env?: NodeJS.ProcessEnv, prefs?: Record<string, string | number | boolean> }} [opts]
 *   `env` is the browser's whole environment (HOME decides where it looks for native-messaging
 *   manifests: ~/.mozilla/native-messaging-hosts); `prefs` are added to the profile's user.js.
 */
export async function launchFirefox(opts = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'ssobridge-firefox-'));
  const prefs = {
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: MOZ_UUID }),
    'browser.shell.checkDefaultBrowser': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'app.update.enabled': false,
    'network.connectivity-service.enabled': false,
    'network.captive-portal-service.enabled': false,
    ...(opts.prefs ?? {}),
  };
  writeFileSync(join(profile, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));
  const proc = spawn('/usr/bin/firefox-esr', ['--headless', '--remote-allow-system-access', '--no-remote', '--profile', profile, '--remote-debugging-port=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...(opts.env ?? process.env), MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  // Firefox prints "WebDriver BiDi listening on ws://127.0.0.1:PORT" on stderr once it is ready.
  const wsUrl = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Firefox did not start its remote agent:\n${seen}`)), 60_000);
    proc.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/WebDriver BiDi listening on (ws:\/\/[\d.:]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => reject(new Error(`Firefox exited (${code}):\n${seen}`)));
  });
  proc.stderr.resume();
  const ws = new WebSocket(`${wsUrl}/session`);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let nextId = 1;
  const waiting = new Map();
  /** @type {Map<string, ((params: any) => void)[]>} */
  const listeners = new Map();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(String(ev.data));
    if (msg.type === 'event') {
      for (const f of listeners.get(msg.method) ?? []) f(msg.params);
      return;
    }
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.type === 'error') w.reject(new Error(`${w.method}: ${msg.error}: ${msg.message}`));
    else w.resolve(msg.result);
  };
  /** @param {string} method @param {object} params @returns {Promise<any>} */
  const send = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject, method });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('session.new', { capabilities: {} });
  return {
    send,
    pid: proc.pid,
    profile,
    /** Calls `f` with every event `method` (after `session.subscribe`). @param {string} method @param {(params: any) => void} f */
    on(method, f) {
      listeners.set(method, [...(listeners.get(method) ?? []), f]);
    },
    async close() {
      try {
        await Promise.race([send('session.end', {}), new Promise((r) => setTimeout(r, 3000))]);
      } catch {}
      ws.close();
      if (proc.exitCode === null) {
        proc.kill();
        await new Promise((r) => proc.once('exit', r));
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
