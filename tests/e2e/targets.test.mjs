// Issue 15, end to end in Chromium: a folder target added on the options page ("Also sync to")
// gets the same token and profiles as the local ~/.aws when the person signs in and applies
// from the popup, the AWS CLI v1 run with that folder's HOME works, and the options page shows
// the target's last result (kept as ok/code/time only, never a token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProduct, SESSION } from './lib/product.mjs';
import { EXTENSION_ID } from './lib/chromium.mjs';
import { signIn, openAccounts, syncAllReview, apply, en } from './lib/popup.mjs';
import { axeViolations } from './lib/axe.mjs';

const ORG = {
  accounts: [{ id: '222222222222', name: 'Sandbox', roles: ['Developer'] }],
  pollIntervalSecs: 1,
};

test('a folder target added in the options page gets the token and profiles, and the AWS CLI works there', async () => {
  const product = await startProduct({ emulator: ORG, flow: 'device' });
  const devbox = mkdtempSync(join(tmpdir(), 'ssobridge-devbox-'));
  const aws = join(devbox, '.aws');
  try {
    const { browser, popup } = product;
    const options = await browser.context.newPage();
    /** @type {Error[]} */ const optionErrors = [];
    options.on('pageerror', (e) => optionErrors.push(e));
    await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    const portal = options.locator(`#target-portals fieldset[data-session="${SESSION}"]`);
    await portal.waitFor();
    assert.equal(await options.locator('#sync-targets-title').textContent(), en('optTargetsTitle'));
    await portal.locator('select[name="targetKind"]').selectOption('folder');
    await portal.locator('input[name="targetValue"]').fill(aws);
    await portal.locator('form.target-add button[type="submit"]').click();
    const target = portal.locator(`li[data-target="folder:${aws}"]`);
    await target.waitFor();
    assert.equal(await target.locator('.target-result').textContent(), en('optTargetNever'));
    assert.deepEqual(await axeViolations(options, { include: '#sync-targets' }), [], 'the section is usable without a mouse or sight');

    await signIn(browser.context, popup, SESSION);
    await openAccounts(popup, SESSION);
    await syncAllReview(popup, false);
    await apply(popup);

    const name = `${createHash('sha1').update(SESSION).digest('hex')}.json`;
    const token = JSON.parse(readFileSync(join(aws, 'sso/cache', name), 'utf8'));
    assert.deepEqual(token, JSON.parse(readFileSync(product.cacheFile(), 'utf8')), 'the same token file as the local one');
    const config = readFileSync(join(aws, 'config'), 'utf8');
    assert.match(config, /\[sso-session demo\]/);
    assert.match(config, /\[profile Sandbox\.Developer\]/);

    const bin = join(process.cwd(), '.venv/bin/aws');
    assert.ok(existsSync(bin), `${bin} is missing`);
    const r = spawnSync(bin, ['sts', 'get-caller-identity', '--profile', 'Sandbox.Developer', '--output', 'json'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: devbox, AWS_ENDPOINT_URL_SSO: product.emu.url, AWS_ENDPOINT_URL_SSO_OIDC: product.emu.url, AWS_ENDPOINT_URL_STS: product.emu.url },
    });
    assert.equal(r.status, 0, `aws with the folder's HOME failed: ${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).Account, '222222222222');

    // The options page shows the last result as it arrives.
    const okPrefix = en('optTargetOk').split('$P1$')[0];
    await target.locator('.target-result', { hasText: okPrefix }).waitFor({ timeout: 10_000 });
    const stored = await options.evaluate(() => chrome.storage.local.get(['targetResults', 'syncTargets']));
    const outcome = stored.targetResults[SESSION][`folder:${aws}`];
    assert.deepEqual(Object.keys(outcome).sort(), ['at', 'code', 'ok']);
    assert.equal(outcome.ok, true);
    assert.deepEqual(stored.syncTargets, { [SESSION]: [{ kind: 'folder', path: aws }] });
    assert.ok(!JSON.stringify(stored).includes(token.accessToken), 'no token in chrome.storage.local');

    // Removing the target on the options page stops the sync there.
    await target.locator('[data-target-remove]').click();
    await target.waitFor({ state: 'detached' });
    assert.deepEqual((await options.evaluate(() => chrome.storage.local.get('syncTargets'))).syncTargets, {});
    assert.deepEqual(optionErrors, []);
    assert.deepEqual(product.pageErrors, []);
  } finally {
    await product.close();
    rmSync(devbox, { recursive: true, force: true });
  }
});
