// Firefox ESR on its own: the extension loads and its wasm core answers; the host registered for
// Firefox by its own installer is started by Firefox with the gecko id, and accepted; and the
// package web-ext builds installs in a clean profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GECKO_ID } from './lib/firefox.mjs';
import { required } from './lib/chromium.mjs';
import { launchFirefoxDriver } from './lib/driver/firefox.mjs';
import { poll } from './lib/driver/common.mjs';
import { createServer } from 'node:net';
import { startEnv } from './scenarios/env.mjs';
import { approveOurCode, deviceSignIn } from './scenarios/sign-in.mjs';
import { ACCOUNTS } from './scenarios/panel.mjs';
import * as ui from './scenarios/ui.mjs';

/** The background's answer to `{type:'status'}`, asked from the popup page (retried while it starts). @param {import('./lib/driver/index.mjs').Driver} driver */
async function status(driver) {
  const popup = await driver.open(driver.extensionUrl('popup.html'));
  return poll('a status answer', 15_000, () =>
    popup.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }).then((r) => r, (e) => ({ ok: false, error: String(e) }))).then((r) => (r?.ok ? r : null)));
}

const version = () => JSON.parse(readFileSync(join(required('SSOBRIDGE_EXTENSION_DIR_FIREFOX'), 'manifest.json'), 'utf8')).version;

test('Firefox loads the extension with no manifest warnings, and its wasm core answers', async () => {
  const driver = await launchFirefoxDriver();
  try {
    assert.deepEqual(await driver.manifestWarnings(), []);
    assert.deepEqual(await status(driver), { ok: true, result: { coreVersion: version(), extensionVersion: version() } });
  } finally {
    await driver.close();
  }
});

/** The command lines of the host processes running with HOME=home. @param {string} home */
function hostCommandLines(home, host) {
  const exe = realpathSync(host);
  const found = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/exe`) !== exe) continue;
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`HOME=${home}`)) continue;
      found.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

test('Firefox starts the host its installer registered, with the manifest path and the gecko id, and the host accepts it', async () => {
  const driver = await launchFirefoxDriver({ withHost: true });
  try {
    const popup = await driver.open(driver.extensionUrl('popup.html'));
    // "ready" is the host's own answer: a caller it refused would have ended the connection.
    await popup.waitFor('#status[data-state="ready"]', { timeout: 20_000 });
    const manifest = join(driver.home, '.mozilla/native-messaging-hosts/com.ssobridge.host.json');
    const registered = JSON.parse(readFileSync(manifest, 'utf8'));
    assert.deepEqual(registered.allowed_extensions, [GECKO_ID]);
    // The installer registers its per-user copy, not the file it was started from.
    assert.equal(registered.path, join(driver.home, '.local/share/sso-bridge/ssobridge-host'));
    const lines = await poll('the host process', 5000, () => hostCommandLines(driver.home, registered.path).filter((l) => l.length > 1).at(0));
    assert.deepEqual(lines.slice(1), [manifest, GECKO_ID]);
  } finally {
    await driver.close();
  }
});

test('the package web-ext builds installs in a clean Firefox profile and its background answers', { timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'ssobridge-xpi-'));
  try {
    execFileSync(join(process.cwd(), 'node_modules/.bin/web-ext'), ['build', '--source-dir', required('SSOBRIDGE_EXTENSION_DIR_FIREFOX'), '--artifacts-dir', out, '--filename', 'ssobridge.zip'], { stdio: 'pipe' });
    const driver = await launchFirefoxDriver({ extension: { type: 'archivePath', path: join(out, 'ssobridge.zip') } });
    try {
      assert.deepEqual(await status(driver), { ok: true, result: { coreVersion: version(), extensionVersion: version() } });
    } finally {
      await driver.close();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('Firefox: settings and portals planted in storage.local, which content scripts can write there, are never read; sign-in goes to the configured endpoint', { timeout: 120_000 }, async () => {
  // Anything that connects to the planted endpoint counts, TLS handshake or not.
  /** @type {number} */ let hits = 0;
  const attacker = createServer((s) => {
    hits++;
    s.destroy();
  });
  await new Promise((r) => attacker.listen(0, '127.0.0.1', () => r(null)));
  const bad = `https://127.0.0.1:${/** @type {any} */ (attacker.address()).port}`;
  const env = await startEnv('firefox', { emulator: { accounts: ACCOUNTS, pollIntervalSecs: 1 }, loginFlow: 'device' });
  try {
    const page = await env.driver.open(env.driver.extensionUrl('options.html'));
    // The same chrome.storage.local a content script gets in Firefox (no access levels there).
    await page.evaluate((b) => chrome.storage.local.set({
      settings: { endpoints: { oidc: b, portal: b }, loginFlow: 'pkce', autoConfirmDevice: true },
      portals: [{ sessionName: 'planted', startUrl: 'https://planted.awsapps.com/start', region: 'us-east-1' }],
    }), bad);
    const got = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'getSettings' }));
    assert.equal(got.ok, true);
    assert.deepEqual(got.result.endpoints, { oidc: env.emu.url, portal: env.emu.url });
    assert.equal(got.result.loginFlow, 'device');
    assert.equal(got.result.autoConfirmDevice, false);
    const popup = await deviceSignIn(env.driver, env);
    assert.equal(await popup.count('#portals [data-session="planted"]'), 0);
    assert.equal(hits, 0);
  } finally {
    await env.close();
    attacker.close();
  }
});

test('Firefox: the event page is stopped in the middle of a device login; the login still completes', { timeout: 120_000 }, async () => {
  const env = await startEnv('firefox', { emulator: { accounts: ACCOUNTS, pollIntervalSecs: 1 }, loginFlow: 'device' });
  const driver = /** @type {Awaited<ReturnType<typeof launchFirefoxDriver>>} */ (env.driver);
  try {
    const popup = await ui.openPopup(driver);
    await ui.addPortal(popup, { startUrl: `${env.emu.url}/start`, region: 'us-east-1', sessionName: 'demo' });
    await ui.clickSignIn(popup, 'demo');
    const page = await driver.waitForTab(/\/device\?user_code=/);
    await popup.close();
    // Even with a 1.5 s idle time-out Firefox kept the page running while the login polled (tried
    // for a minute), so the test stops it the way Firefox stops an idle one; what wakes it again
    // (the device page's guard, the popup, the alarm) must find the login and finish it.
    assert.equal(await driver.stopBackground(), 'stopped');
    await approveOurCode(page);
    await ui.waitSignedIn(await ui.openPopup(driver), 'demo');
    assert.ok(existsSync(env.cacheFile('demo')));
  } finally {
    await env.close();
  }
});

test('Firefox with no host registered: the popup names Firefox and shows the one install command for this machine', async () => {
  const driver = await launchFirefoxDriver();
  try {
    const popup = await driver.open(driver.extensionUrl('popup.html'));
    await popup.waitFor('#host-problem', { timeout: 20_000 });
    // The release asset for this machine, downloaded and run once; the browser named is Firefox.
    assert.match(await popup.text('#host-install-cmd'), /^curl -fLo \/tmp\/ssobridge-host https:\/\/\S+\/ssobridge-host-linux-x86_64 && chmod \+x \/tmp\/ssobridge-host && \/tmp\/ssobridge-host$/);
    assert.match(await popup.text('#host-install-intro'), /Firefox/);
    assert.match(await popup.text('#host-problem-text'), /not installed/);
    assert.deepEqual(driver.problems, []);
  } finally {
    await driver.close();
  }
});
