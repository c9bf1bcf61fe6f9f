// The "AWS CLI" panel on the access portal (issue 6), against the emulator's portal-shaped page
// with the emulator's origin added as a custom portal domain on the options page. The real
// extension, the real native host (temporary HOME) and AWS CLI v1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setUp, awsCallerIdentity, contentScriptProblems } from './fixtures/person.mjs';
import { PANEL, connectAndSignIn } from './lib/panel.mjs';
import { closedRoot } from './lib/closed-shadow.mjs';

// The panel lives in a closed shadow root: the test reaches it through DevTools and clicks it
// with the mouse (lib/closed-shadow.mjs); anything that signs in or writes asks for Confirm.

/** @param {string} home */
const config = (home) => (existsSync(join(home, '.aws/config')) ? readFileSync(join(home, '.aws/config'), 'utf8') : '');


/** @param {string} account @param {string} role */
const roleRow = (account, role) => `${PANEL} li.role[data-account-id="${account}"][data-role-name="${role}"]`;

test('the panel finds the start URL and region, signs in, lists, adds a profile the AWS CLI uses, and removes it', { timeout: 180_000 }, async () => {
  const env = await setUp();
  try {
    const portal = await env.context.newPage();
    await portal.goto(`${env.emu.url}/start`);
    // Found from the page: the start URL, and the region of this custom portal domain.
    const panel = await closedRoot(portal, 'ssobridge-portal');
    await panel.waitFor(`${PANEL}[data-state="not-connected"]`);
    assert.equal(await panel.text(`${PANEL} [data-field="startUrl"]`), `${env.emu.url}/start`);
    assert.equal(await panel.value(`${PANEL} input[name="region"]`), 'us-east-1');

    await connectAndSignIn(env, portal);
    assert.equal(await panel.text(`${PANEL} [data-field="sessionName"]`), 'local');
    // Every role of every account, none with a profile yet.
    assert.equal(await panel.count(`${PANEL} li.role`), 3);
    assert.equal(await panel.count(`${PANEL} li.role[data-exists="true"]`), 0);
    // The bonus buttons beside the portal's own role entries (in closed roots of their own).
    await portal.locator('li.role[data-role-name] ssobridge-role').first().waitFor({ state: 'attached' });
    assert.equal(await portal.locator('li.role[data-role-name] ssobridge-role').count(), 3);
    assert.equal(await portal.evaluate(() => document.querySelector('ssobridge-role')?.shadowRoot ?? null), null);

    // Add one profile.
    const dev = roleRow('111122223333', 'AdministratorAccess');
    const profile = 'Dev.AdministratorAccess';
    assert.equal(await panel.text(`${dev} [data-field="profile"]`), `→ ${profile}`);
    await panel.click(`${dev} [data-action="add"]`);
    // Nothing is written before the person confirms.
    assert.match(await panel.text('[data-field="confirm-text"]'), new RegExp(profile.replace('.', '\\.')));
    assert.equal(config(env.home).includes(`[profile ${profile}]`), false);
    await panel.confirm();
    await panel.waitFor(`${PANEL} li.role[data-account-id="111122223333"][data-role-name="AdministratorAccess"][data-exists="true"]`);
    assert.match(config(env.home), new RegExp(`^\\[profile ${profile.replace('.', '\\.')}\\]$`, 'm'));
    assert.equal(await panel.count(`${PANEL} li.role[data-exists="true"]`), 1);

    // The AWS CLI resolves it from what the host wrote and reaches the emulator's STS.
    const cli = await awsCallerIdentity(env.home, env.emu.url, profile);
    assert.equal(cli.code, 0, cli.stderr);
    const identity = JSON.parse(cli.stdout);
    assert.equal(identity.Account, '111122223333');
    assert.match(identity.Arn, /AdministratorAccess/);

    // Remove it again: gone from the config, and the CLI no longer knows it.
    await panel.click(`${roleRow('111122223333', 'AdministratorAccess')} [data-action="remove"]`);
    await panel.confirm();
    await panel.waitFor(`${PANEL} li.role[data-account-id="111122223333"][data-role-name="AdministratorAccess"][data-exists="false"]`);
    assert.doesNotMatch(config(env.home), /\[profile Dev\.AdministratorAccess\]/);
    assert.notEqual((await awsCallerIdentity(env.home, env.emu.url, profile)).code, 0);

    // "Add all" gives every role a profile.
    await panel.click(`${PANEL} [data-action="add-all"]`);
    await panel.confirm();
    await panel.waitFor(`${PANEL} li.role[data-exists="false"]`, { state: 'detached' });
    assert.equal(await panel.count(`${PANEL} li.role[data-exists="true"]`), 3);
    assert.match(config(env.home), /^\[profile Dev\.AdministratorAccess\]$/m);
    assert.match(config(env.home), /^\[profile Dev\.ReadOnly\]$/m);
    assert.equal((config(env.home).match(/^\[profile /gm) ?? []).length, 3);
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});

// A different DOM for the same portal page: a table, no data attributes, drawn by the page's own
// script after load and redrawn later. The panel depends on the extension's data only.
const VARIANT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AWS access portal</title>
<style>table{border-collapse:collapse} td{padding:4px;border:1px solid #ccc} .hidden{display:none}</style></head>
<body><div id="app">Loading…</div>
<script>
  const rows = [['Dev', '111122223333', 'AdministratorAccess'], ['Dev', '111122223333', 'ReadOnly'], ['Prod 本番', '444455556666', 'ReadOnly']];
  function draw(n) {
    const app = document.getElementById('app');
    app.innerHTML = '<h1>Accounts (' + n + ')</h1><table><tbody>' + rows.map((r) =>
      '<tr class="entry"><td>' + r[0] + '</td><td>' + r[1] + '</td><td><a href="#">' + r[2] + '</a></td></tr>').join('') + '</tbody></table>';
  }
  setTimeout(() => draw(1), 50);
  let n = 1;
  const again = setInterval(() => { draw(++n); if (n > 5) clearInterval(again); }, 400);
</script></body></html>`;

test('the panel still works on a portal page with a different DOM, and the bonus buttons are left out quietly', { timeout: 180_000 }, async () => {
  const env = await setUp();
  try {
    const portal = await env.context.newPage();
    await portal.route(`${env.emu.url}/start`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: VARIANT }));
    await portal.goto(`${env.emu.url}/start`);
    await portal.locator('tr.entry').first().waitFor();
    const panel = await closedRoot(portal, 'ssobridge-portal');
    assert.equal(await panel.text(`${PANEL} [data-field="startUrl"]`), `${env.emu.url}/start`);
    await connectAndSignIn(env, portal);
    assert.equal(await panel.count(`${PANEL} li.role`), 3);

    await panel.click(`${roleRow('111122223333', 'ReadOnly')} [data-action="add"]`);
    await panel.confirm();
    await panel.waitFor(`${PANEL} li.role[data-account-id="111122223333"][data-role-name="ReadOnly"][data-exists="true"]`);
    assert.match(config(env.home), /^\[profile Dev\.ReadOnly\]$/m);
    const cli = await awsCallerIdentity(env.home, env.emu.url, 'Dev.ReadOnly');
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).Account, '111122223333');

    // The page redraws itself a few more times; wait for its last drawing.
    await portal.locator('h1', { hasText: 'Accounts (6)' }).waitFor();
    assert.equal(await portal.locator('ssobridge-role').count(), 0);
    assert.equal(await panel.count(PANEL), 1);
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});
