// The "AWS CLI" panel on the access portal (issue 6), against the emulator's portal-shaped page
// with the emulator's origin added as a custom portal domain on the options page. The real
// extension, the real native host (temporary HOME) and AWS CLI v1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setUp, awsCallerIdentity, contentScriptProblems } from './fixtures/person.mjs';

const PANEL = '#ssobridge-portal .panel';

/** @param {string} home */
const config = (home) => (existsSync(join(home, '.aws/config')) ? readFileSync(join(home, '.aws/config'), 'utf8') : '');

/**
 * Connects the portal from the panel and approves the sign-in on the emulator's consent page, as
 * a person already signed in to the portal would (one click).
 * @param {any} env @param {import('playwright-core').Page} portal
 */
async function connectAndSignIn(env, portal) {
  await portal.locator(`${PANEL}[data-state="not-connected"]`).waitFor();
  const consent = env.context.waitForEvent('page', { predicate: (/** @type {any} */ p) => p.url().includes('/authorize') });
  await portal.locator(`${PANEL} [data-action="connect"]`).click();
  const tab = await consent;
  await tab.locator('#allow-access').click();
  await portal.locator(`${PANEL}[data-state="signed-in"]`).waitFor({ timeout: 30_000 });
  await portal.locator(`${PANEL} li.role`).first().waitFor({ timeout: 30_000 });
}

/** @param {import('playwright-core').Page} portal @param {string} account @param {string} role */
const roleRow = (portal, account, role) => portal.locator(`${PANEL} li.role[data-account-id="${account}"][data-role-name="${role}"]`);

test('the panel finds the start URL and region, signs in, lists, adds a profile the AWS CLI uses, and removes it', { timeout: 180_000 }, async () => {
  const env = await setUp();
  try {
    const portal = await env.context.newPage();
    await portal.goto(`${env.emu.url}/start`);
    // Found from the page: the start URL, and the region of this custom portal domain.
    await portal.locator(`${PANEL}[data-state="not-connected"]`).waitFor();
    assert.equal(await portal.locator(`${PANEL} [data-field="startUrl"]`).textContent(), `${env.emu.url}/start`);
    assert.equal(await portal.locator(`${PANEL} input[name="region"]`).inputValue(), 'us-east-1');

    await connectAndSignIn(env, portal);
    assert.equal(await portal.locator(`${PANEL} [data-field="sessionName"]`).textContent(), 'local');
    // Every role of every account, none with a profile yet.
    assert.equal(await portal.locator(`${PANEL} li.role`).count(), 3);
    assert.equal(await portal.locator(`${PANEL} li.role[data-exists="true"]`).count(), 0);
    // The bonus buttons beside the portal's own role entries.
    await portal.locator('li.role[data-role-name] ssobridge-role button').first().waitFor();
    assert.equal(await portal.locator('li.role[data-role-name] ssobridge-role').count(), 3);

    // Add one profile.
    const dev = roleRow(portal, '111122223333', 'AdministratorAccess');
    const profile = 'Dev.AdministratorAccess';
    assert.equal(await dev.locator('[data-field="profile"]').textContent(), `→ ${profile}`);
    await dev.locator('[data-action="add"]').click();
    await portal.locator(`${PANEL} li.role[data-account-id="111122223333"][data-role-name="AdministratorAccess"][data-exists="true"]`).waitFor();
    assert.match(config(env.home), new RegExp(`^\\[profile ${profile.replace('.', '\\.')}\\]$`, 'm'));
    assert.equal(await portal.locator(`${PANEL} li.role[data-exists="true"]`).count(), 1);

    // The AWS CLI resolves it from what the host wrote and reaches the emulator's STS.
    const cli = await awsCallerIdentity(env.home, env.emu.url, profile);
    assert.equal(cli.code, 0, cli.stderr);
    const identity = JSON.parse(cli.stdout);
    assert.equal(identity.Account, '111122223333');
    assert.match(identity.Arn, /AdministratorAccess/);

    // Remove it again: gone from the config, and the CLI no longer knows it.
    await roleRow(portal, '111122223333', 'AdministratorAccess').locator('[data-action="remove"]').click();
    await portal.locator(`${PANEL} li.role[data-account-id="111122223333"][data-role-name="AdministratorAccess"][data-exists="false"]`).waitFor();
    assert.doesNotMatch(config(env.home), /\[profile Dev\.AdministratorAccess\]/);
    assert.notEqual((await awsCallerIdentity(env.home, env.emu.url, profile)).code, 0);

    // "Add all" gives every role a profile.
    await portal.locator(`${PANEL} [data-action="add-all"]`).click();
    await portal.locator(`${PANEL} li.role[data-exists="false"]`).first().waitFor({ state: 'detached' });
    assert.equal(await portal.locator(`${PANEL} li.role[data-exists="true"]`).count(), 3);
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
    assert.equal(await portal.locator(`${PANEL} [data-field="startUrl"]`).textContent(), `${env.emu.url}/start`);
    await connectAndSignIn(env, portal);
    assert.equal(await portal.locator(`${PANEL} li.role`).count(), 3);

    const ro = roleRow(portal, '111122223333', 'ReadOnly');
    await ro.locator('[data-action="add"]').click();
    await portal.locator(`${PANEL} li.role[data-account-id="111122223333"][data-role-name="ReadOnly"][data-exists="true"]`).waitFor();
    assert.match(config(env.home), /^\[profile Dev\.ReadOnly\]$/m);
    const cli = await awsCallerIdentity(env.home, env.emu.url, 'Dev.ReadOnly');
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).Account, '111122223333');

    // The page redraws itself a few more times; wait for its last drawing.
    await portal.locator('h1', { hasText: 'Accounts (6)' }).waitFor();
    assert.equal(await portal.locator('ssobridge-role').count(), 0);
    assert.equal(await portal.locator(`${PANEL}`).count(), 1);
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});
