// Issue 9 end to end: many portals, partial listings, removal, hand-written sessions and undo,
// with the real extension in Chromium, the real native host (temporary HOME), the emulator (two
// portals on one emulator, told apart by their start URLs) and AWS CLI v1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setUp, awsCallerIdentity, contentScriptProblems } from './fixtures/person.mjs';
import { closedRoot } from './lib/closed-shadow.mjs';
import { snap } from './lib/product.mjs';
import {
  openPopup, row, addPortal, signIn, openAccounts, syncAllReview, apply, backHome,
  readConfig, tokenFile, section, profilesOf, alarmNames,
  en,
} from './lib/popup.mjs';


/** @param {string} name @param {string} id @param {string[]} roles */
const account = (name, id, roles) => ({ id, name, email: `${id}@example.com`, roles });

/**
 * Asserts AWS CLI v1 answers for `accountId` with `profile`.
 * @param {any} env @param {string} profile @param {string} accountId
 */
async function cliAnswers(env, profile, accountId) {
  const r = await awsCallerIdentity(env.home, env.emu.url, profile);
  assert.equal(r.code, 0, `aws --profile ${profile}: ${r.stderr}`);
  assert.equal(JSON.parse(r.stdout).Account, accountId, `aws --profile ${profile}`);
}

/** Each named section's text. @param {string} text @param {string[]} headers */
const sections = (text, headers) => Object.fromEntries(headers.map((h) => [h, section(text, h)]));

/** Writes the person's own ~/.aws/config before anything else touches it. @param {string} home @param {string} text */
function handWrite(home, text) {
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(join(home, '.aws/config'), text);
}

// Two portals whose account names collide: "prod" is 111122223333 in corp and 999988887777 in
// local. corp is the emulator's /start; local is the bare origin (a second portal there).
const CORP = [account('prod', '111122223333', ['AdministratorAccess', 'ReadOnly']), account('dev', '222233334444', ['ReadOnly'])];
const LOCAL = [account('prod', '999988887777', ['AdministratorAccess', 'ReadOnly']), account('sandbox', '555566667777', ['Developer'])];

test('two portals with colliding account names keep their own profiles through Sync all with prune, Add all and Remove', { timeout: 300_000 }, async () => {
  const env = await setUp({ loginFlow: 'device', emulator: { accounts: CORP, portals: [{ startUrlPath: '/', accounts: LOCAL }] } });
  try {
    const { popup, pageErrors } = await openPopup(env.context);
    await addPortal(popup, 'corp', `${env.emu.url}/start`);
    await signIn(env.context, popup, 'corp');
    await addPortal(popup, 'local', env.emu.url);
    await signIn(env.context, popup, 'local');

    // corp first, from the popup: Sync all with prune.
    await openAccounts(popup, 'corp');
    const corpReview = await syncAllReview(popup, true);
    assert.equal(corpReview.failed, null);
    await apply(popup);
    await backHome(popup);
    const corpNames = ['dev.ReadOnly', 'prod.AdministratorAccess', 'prod.ReadOnly'];
    assert.deepEqual(profilesOf(readConfig(env.home), 'corp'), corpNames);
    const corpHeaders = [...corpNames.map((n) => `profile ${n}`), 'sso-session corp'];
    const corpBefore = sections(readConfig(env.home), corpHeaders);
    assert.match(corpBefore['profile prod.AdministratorAccess'] ?? '', /^sso_account_id = 111122223333$/m);

    // local, from its portal page's panel: Add all (its page is the bare origin).
    const page = await env.context.newPage();
    await page.route(`${env.emu.url}/`, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>AWS access portal</title><h1>local</h1>' }));
    await page.goto(`${env.emu.url}/`);
    const panel = await closedRoot(page, 'ssobridge-portal');
    await panel.waitFor('.panel[data-state="signed-in"]', { timeout: 20_000 });
    assert.equal(await panel.text('.panel [data-field="sessionName"]'), 'local');
    if (await panel.count('.panel [data-action="list"]')) await panel.click('.panel [data-action="list"]');
    await panel.waitFor('.panel li.role', { timeout: 30_000 });
    assert.equal(await panel.count('.panel li.role'), 3);
    // Nothing of corp's counts as local's: every local role still needs a profile.
    assert.equal(await panel.count('.panel li.role[data-exists="true"]'), 0);
    await panel.click('.panel [data-action="add-all"]');
    await panel.confirm();
    await panel.waitFor('.panel li.role[data-exists="false"]', { state: 'detached', timeout: 20_000 });

    let config = readConfig(env.home);
    const localNames = profilesOf(config, 'local');
    assert.equal(localNames.length, 3, config);
    const localProd = localNames.filter((n) => n.includes('999988887777'));
    assert.equal(localProd.length, 2, `local's prod profiles name the account id: ${localNames.join(', ')}`);
    const localAdmin = localProd.find((n) => n.endsWith('.AdministratorAccess'));
    assert.ok(localAdmin, localNames.join(', '));
    assert.match(section(config, `profile ${localAdmin}`) ?? '', /^sso_account_id = 999988887777$/m);
    assert.deepEqual(sections(config, corpHeaders), corpBefore, 'Add all on local changed corp');
    assert.deepEqual(profilesOf(config, 'corp'), corpNames);

    // local's portal stops granting prod's ReadOnly; Sync all with prune on local removes only that.
    await env.emu.admin('/admin/config', { portals: [{ startUrlPath: '/', accounts: LOCAL.map((a) => (a.id === '999988887777' ? { ...a, roles: ['AdministratorAccess'] } : a)) }] });
    await openAccounts(popup, 'local');
    const localReview = await syncAllReview(popup, true);
    const removedLines = localReview.diff.split('\n').filter((l) => /^-\[/.test(l));
    const localReadOnly = localProd.find((n) => n.endsWith('.ReadOnly'));
    assert.deepEqual(removedLines, [`-[profile ${localReadOnly}]`], localReview.diff);
    await apply(popup);
    await backHome(popup);
    // And corp again, Sync all with prune: local's profiles stay.
    await openAccounts(popup, 'corp');
    const again = await syncAllReview(popup, true);
    assert.doesNotMatch(again.diff, /^-\[/m, again.diff);
    await apply(popup);
    await backHome(popup);
    config = readConfig(env.home);
    assert.deepEqual(sections(config, corpHeaders), corpBefore);
    assert.deepEqual(profilesOf(config, 'local'), localNames.filter((n) => n !== localReadOnly));

    // The CLI answers for the right account with each portal's prod profile.
    await cliAnswers(env, 'prod.AdministratorAccess', '111122223333');
    await cliAnswers(env, localAdmin, '999988887777');

    // Remove local, with its profiles: a confirmation that shows the diff first.
    assert.ok((await alarmNames(env.context)).includes('refresh:local'));
    assert.ok(existsSync(tokenFile(env.home, 'local')));
    await row(popup, 'local').locator('[data-action="remove"]').click();
    const confirmBox = row(popup, 'local').locator('.confirm-remove');
    await confirmBox.waitFor();
    assert.match(await confirmBox.textContent() ?? '', /Remove local\?/);
    await confirmBox.locator('[data-action="removeProfiles"]').check();
    await confirmBox.locator('pre.diff:not([hidden])').filter({ hasText: /-\[sso-session local\]/ }).waitFor();
    const removeDiff = await confirmBox.locator('pre.diff').textContent() ?? '';
    assert.match(removeDiff, new RegExp(`^-\\[profile ${localAdmin.replace(/\./g, '\\.')}\\]$`, 'm'));
    // Only local's lines change (corp's appear as context at most).
    const changed = removeDiff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l));
    assert.ok(changed.length > 0 && changed.every((l) => l.startsWith('-') && !/corp|111122223333/.test(l)), removeDiff);
    await snap(popup, 'popup-remove-portal-confirm');
    // Nothing is removed before the person confirms.
    assert.equal(readConfig(env.home), config);
    await confirmBox.locator('[data-action="confirmRemove"]').click();
    await row(popup, 'local').waitFor({ state: 'detached' });

    config = readConfig(env.home);
    assert.deepEqual(sections(config, corpHeaders), corpBefore, 'removing local changed corp');
    assert.deepEqual(profilesOf(config, 'local'), []);
    assert.equal(section(config, 'sso-session local'), null);
    assert.doesNotMatch(config, /999988887777/);
    assert.equal(existsSync(tokenFile(env.home, 'local')), false, 'local token file left behind');
    assert.ok(existsSync(tokenFile(env.home, 'corp')));
    const alarms = await alarmNames(env.context);
    assert.ok(!alarms.some((a) => a === 'refresh:local' || a === 'pkce:local'), alarms.join(', '));
    assert.ok(alarms.includes('refresh:corp'), alarms.join(', '));
    await cliAnswers(env, 'prod.AdministratorAccess', '111122223333');
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});

test('Sync all with prune keeps the profiles of accounts that failed to list, and the review says how many failed', { timeout: 240_000 }, async () => {
  const org = [
    account('prod', '111122223333', ['AdministratorAccess', 'ReadOnly']),
    account('dev', '222233334444', ['ReadOnly']),
    account('logs', '333344445555', ['ReadOnly']),
  ];
  const env = await setUp({ loginFlow: 'device', emulator: { accounts: org } });
  try {
    const { popup, pageErrors } = await openPopup(env.context);
    await addPortal(popup, 'corp', `${env.emu.url}/start`);
    await signIn(env.context, popup, 'corp');
    await openAccounts(popup, 'corp');
    await syncAllReview(popup, false);
    await apply(popup);
    await backHome(popup);
    const kept = ['profile dev.ReadOnly', 'profile logs.ReadOnly'];
    const before = sections(readConfig(env.home), kept);
    assert.ok(before['profile dev.ReadOnly'] && before['profile logs.ReadOnly'], readConfig(env.home));

    // dev and logs now fail every ListAccountRoles (5xx, through every retry); prod loses a role.
    await env.emu.admin('/admin/config', {
      accounts: org.map((a) => (a.id === '111122223333' ? { ...a, roles: ['AdministratorAccess'] } : a)),
      faults: { failingAccounts: ['222233334444', '333344445555'] },
    });
    await openAccounts(popup, 'corp', 120_000);
    assert.equal(await popup.locator('#failed li').count(), 2);
    const review = await syncAllReview(popup, true);
    assert.match(review.failed ?? '', /^2 accounts could not be listed; their profiles are kept/);
    // Prune is on (the revoked role goes) but the failed accounts' profiles are not planned away.
    assert.match(review.diff, /^-\[profile prod\.ReadOnly\]$/m, review.diff);
    assert.doesNotMatch(review.diff, /^-\[profile (dev|logs)\./m, review.diff);
    await snap(popup, 'popup-review-failed-accounts');
    await apply(popup);
    const config = readConfig(env.home);
    assert.deepEqual(sections(config, kept), before);
    assert.equal(section(config, 'profile prod.ReadOnly'), null);
    assert.ok((await env.emu.admin('/admin/counts')).FailingAccount >= 2);

    // The accounts recover: "List again" under the failures lists them, and the failures go.
    await env.emu.admin('/admin/config', { faults: { failingAccounts: [] } });
    await popup.locator('#done-back').click();
    await popup.locator('#retry-failed').click();
    await popup.locator('#failed li').first().waitFor({ state: 'detached', timeout: 120_000 });
    await popup.locator('#retry-failed').waitFor({ state: 'hidden' });
    assert.match((await popup.locator('#progress').textContent()) ?? '', /^3 accounts, \d+ roles$/);
    assert.deepEqual(pageErrors, []);
  } finally {
    await env.close();
  }
});

test('Remove portal without its profiles: no token file, no alarm, the profiles stay', { timeout: 180_000 }, async () => {
  const env = await setUp({ loginFlow: 'device', emulator: { accounts: CORP } });
  try {
    const { popup, pageErrors } = await openPopup(env.context);
    await addPortal(popup, 'corp', `${env.emu.url}/start`);
    await signIn(env.context, popup, 'corp');
    await openAccounts(popup, 'corp');
    await syncAllReview(popup, false);
    await apply(popup);
    await backHome(popup);
    const config = readConfig(env.home);
    assert.ok(existsSync(tokenFile(env.home, 'corp')));
    assert.ok((await alarmNames(env.context)).includes('refresh:corp'));

    await row(popup, 'corp').locator('[data-action="remove"]').click();
    await row(popup, 'corp').locator('[data-action="confirmRemove"]').click();
    await row(popup, 'corp').waitFor({ state: 'detached' });
    assert.equal(existsSync(tokenFile(env.home, 'corp')), false, 'the token file is left behind');
    const alarms = await alarmNames(env.context);
    assert.ok(!alarms.some((a) => a.endsWith(':corp')), alarms.join(', '));
    // Not asked to: the profiles and the [sso-session] stay as they were.
    assert.equal(readConfig(env.home), config);
    // The portal is gone from the worker's state too (no badge, nothing to log out of).
    const state = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'state' }));
    assert.deepEqual(state.result.portals, []);
    assert.deepEqual(pageErrors, []);
  } finally {
    await env.close();
  }
});

test('a hand-written [sso-session] with another start URL is changed only after Take over', { timeout: 180_000 }, async () => {
  const env = await setUp({ loginFlow: 'device', emulator: { accounts: CORP } });
  try {
    const mine = [
      '# my own',
      '[sso-session corp]',
      'sso_start_url = https://d-1234567890.awsapps.com/start',
      'sso_region = eu-west-1',
      'sso_registration_scopes = sso:account:access',
      '',
      '[profile mine]',
      'sso_session = corp',
      'sso_account_id = 123456789012',
      'sso_role_name = Admin',
      'region = eu-west-1',
      '',
    ].join('\n');
    handWrite(env.home, mine);
    const { popup } = await openPopup(env.context);
    await addPortal(popup, 'corp', `${env.emu.url}/start`);
    await signIn(env.context, popup, 'corp', 'error');
    assert.equal(await row(popup, 'corp').locator('.field-error').textContent(), en('err_session_conflict'));
    assert.equal(readConfig(env.home), mine, 'sign-in changed a hand-written [sso-session]');

    await row(popup, 'corp').locator('[data-action="takeOver"]').click();
    await row(popup, 'corp').locator('.portal-state[data-state="valid"]').waitFor({ timeout: 15_000 });
    const config = readConfig(env.home);
    assert.match(section(config, 'sso-session corp') ?? '', new RegExp(`^sso_start_url = ${env.emu.url}/start$`, 'm'));
    assert.match(section(config, 'sso-session corp') ?? '', /^sso_region = us-east-1$/m);
    assert.equal(section(config, 'profile mine'), section(mine, 'profile mine'));
    assert.equal(await row(popup, 'corp').locator('[data-action="takeOver"]').count(), 0);
  } finally {
    await env.close();
  }
});

test('Undo restores the file byte for byte, and is refused once the file was edited by hand', { timeout: 180_000 }, async () => {
  const env = await setUp({ loginFlow: 'device', emulator: { accounts: CORP } });
  try {
    const { popup } = await openPopup(env.context);
    await addPortal(popup, 'corp', `${env.emu.url}/start`);
    await signIn(env.context, popup, 'corp');
    // The person's own profile, and the [sso-session] the sign-in wrote.
    appendFileSync(join(env.home, '.aws/config'), '\n# mine\n[profile mine]\nregion = eu-west-1\n');
    const before = readConfig(env.home);

    await openAccounts(popup, 'corp');
    await syncAllReview(popup, false);
    await apply(popup);
    assert.notEqual(readConfig(env.home), before);
    await popup.locator('#undo:not([hidden])').click();
    // After an undo the popup lists again.
    await popup.locator('#accounts:not([hidden]) #sync-all:not([disabled])').waitFor({ timeout: 30_000 });
    assert.equal(readConfig(env.home), before, 'undo did not restore the file byte for byte');

    await syncAllReview(popup, false);
    await apply(popup);
    const edited = `${readConfig(env.home)}\n# edited by hand\n`;
    writeFileSync(join(env.home, '.aws/config'), edited);
    await popup.locator('#undo:not([hidden])').click();
    // Action errors go to the message area, never the header's status line.
    await popup.locator('#message:not([hidden])').waitFor();
    assert.equal(await popup.locator('#message-text').textContent(), en('err_undo_unavailable'));
    assert.equal(await popup.locator('#status').getAttribute('data-state'), 'ready');
    assert.equal(readConfig(env.home), edited);
  } finally {
    await env.close();
  }
});
