// Issue 11: with no native host, the popup names the browser, links the release asset for the
// OS and CPU, and shows the one command that installs it; once the host is registered the
// screen goes away by itself. The worker reads a test-only `platformOverride` from
// chrome.storage.local, so one Linux Chromium can stand in for Windows and macOS: it only
// changes which download and command the screen shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, EXTENSION_ID, required } from './lib/chromium.mjs';

const RELEASES = 'https://github.com/sso-bridge/sso-bridge/releases/latest/download/';

const CASES = [
  {
    platform: { os: 'win', arch: 'x86-64' },
    asset: 'ssobridge-host-windows-x86_64.exe',
    command: `$f = "$env:TEMP\\ssobridge-host-windows-x86_64.exe"; Invoke-WebRequest -UseBasicParsing -Uri ${RELEASES}ssobridge-host-windows-x86_64.exe -OutFile $f; & $f`,
    shell: /PowerShell/,
  },
  {
    platform: { os: 'mac', arch: 'arm64' },
    asset: 'ssobridge-host-macos-arm64',
    command: `curl -fLo /tmp/ssobridge-host ${RELEASES}ssobridge-host-macos-arm64 && chmod +x /tmp/ssobridge-host && /tmp/ssobridge-host`,
    shell: /terminal/,
  },
  {
    platform: { os: 'linux', arch: 'x86-64' },
    asset: 'ssobridge-host-linux-x86_64',
    command: `curl -fLo /tmp/ssobridge-host ${RELEASES}ssobridge-host-linux-x86_64 && chmod +x /tmp/ssobridge-host && /tmp/ssobridge-host`,
    shell: /terminal/,
  },
];

test('host missing: the right asset and command per OS, and the screen goes when the host appears', async () => {
  const browser = await launch({ withHost: false });
  try {
    const popup = await browser.context.newPage();
    const errors = [];
    popup.on('pageerror', (e) => errors.push(e));
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await popup.locator('#host-problem:not([hidden])').waitFor({ timeout: 15_000 });
    assert.match(await popup.locator('#host-problem-text').textContent(), /not installed/);
    // Debian's Chromium names itself in its brands.
    assert.match(await popup.locator('#host-install-intro').textContent(), /in Chromium,/);
    for (const c of CASES) {
      await popup.evaluate((p) => chrome.storage.local.set({ platformOverride: p }), c.platform);
      // The popup re-checks on its own; no reload.
      await popup.locator('#host-asset-link', { hasText: c.asset }).waitFor({ timeout: 10_000 });
      assert.equal(await popup.locator('#host-asset-link').getAttribute('href'), RELEASES + c.asset);
      assert.equal(await popup.locator('#host-install-cmd').textContent(), c.command, c.platform.os);
      assert.match(await popup.locator('#host-install-shell').textContent(), c.shell);
    }
    await popup.evaluate(() => chrome.storage.local.set({ platformOverride: { os: 'cros', arch: 'x86-64' } }));
    await popup.locator('#host-install-cmd-row[hidden]').waitFor({ state: 'attached', timeout: 10_000 });
    assert.match(await popup.locator('#host-install-intro').textContent(), /no ready-made helper/);

    // The person runs the installer; the open popup notices by itself.
    execFileSync(required('SSOBRIDGE_HOST'), ['install', '--browser', 'chromium', '--user-data-dir', browser.userDataDir], { env: { ...process.env, HOME: browser.home }, stdio: 'pipe' });
    await popup.locator('#host-problem[hidden]').waitFor({ state: 'attached', timeout: 15_000 });
    assert.equal(await popup.locator('#status').getAttribute('data-state'), 'ready');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
