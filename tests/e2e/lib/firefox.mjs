// Drives Firefox ESR over WebDriver BiDi with no extra driver: Firefox's own remote agent
// installs the built extension and opens its pages (toolchain.md, "Firefox").
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GECKO_ID = 'ssobridge@ssobridge.dev';
// A fixed internal UUID, so the test knows the moz-extension:// origin in advance.
export const MOZ_UUID = '5d1c6a0e-3b7f-4c2a-9f1e-2a6b8c4d0e17';

export async function launchFirefox() {
  const profile = mkdtempSync(join(tmpdir(), 'ssobridge-firefox-'));
  writeFileSync(
    join(profile, 'user.js'),
    [
      `user_pref("extensions.webextensions.uuids", ${JSON.stringify(JSON.stringify({ [GECKO_ID]: MOZ_UUID }))});`,
      'user_pref("browser.shell.checkDefaultBrowser", false);',
      'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
      'user_pref("app.update.enabled", false);',
      'user_pref("network.connectivity-service.enabled", false);',
      'user_pref("network.captive-portal-service.enabled", false);',
    ].join('\n'),
  );
  const proc = spawn('/usr/bin/firefox-esr', ['--headless', '--remote-allow-system-access', '--no-remote', '--profile', profile, '--remote-debugging-port=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
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
  const ws = new WebSocket(`${wsUrl}/session`);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let nextId = 1;
  const waiting = new Map();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(String(ev.data));
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.type === 'error') w.reject(new Error(`${msg.error}: ${msg.message}`));
    else w.resolve(msg.result);
  };
  /** @param {string} method @param {object} params */
  const send = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('session.new', { capabilities: {} });
  return {
    send,
    async close() {
      try {
        await send('session.end', {});
      } catch {}
      ws.close();
      proc.kill();
      await new Promise((r) => proc.once('exit', r));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
