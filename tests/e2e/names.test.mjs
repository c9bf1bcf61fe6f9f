// Issue 9 rule 3 end to end: names are decided per account and explained in the picker, and the
// person can edit any proposed name before it is written; the AWS CLI then uses the edited name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, awsCallerIdentity } from './fixtures/person.mjs';
import { snap } from './lib/product.mjs';
import { openPopup, row, addPortal, signIn, openAccounts, apply, readConfig, section, en } from './lib/popup.mjs';


const account = (name, id, roles) => ({ id, name, email: `${id}@example.com`, roles });
// Two different accounts whose names sanitise to the same profile name.
const ACCOUNTS = [
  account('search dev 開発環境', '111122223333', ['AdministratorAccess', 'ReadOnly']),
  account('search-dev', '444455556666', ['ReadOnly']),
];

test('clashing account names get their ids per account, with the reason shown, and an edited name is what gets written', { timeout: 180_000 }, async () => {
  const env = await setUp({ loginFlow: 'device', emulator: { accounts: ACCOUNTS } });
  try {
    const { popup, pageErrors } = await openPopup(env.context);
    await addPortal(popup, 'corp', `${env.emu.url}/start`);
    await signIn(env.context, popup, 'corp');
    await openAccounts(popup, 'corp');

    const rowOf = (id, role) => popup.locator(`li[data-role="${id}/${role}"]`);
    const nameOf = async (id, role) => rowOf(id, role).locator('input.profile-name').inputValue();
    // Every role of one account shares its account part.
    assert.equal(await nameOf('111122223333', 'AdministratorAccess'), 'search-dev-111122223333.AdministratorAccess');
    assert.equal(await nameOf('111122223333', 'ReadOnly'), 'search-dev-111122223333.ReadOnly');
    assert.equal(await nameOf('444455556666', 'ReadOnly'), 'search-dev-444455556666.ReadOnly');
    // The picker says why.
    const notes = await rowOf('111122223333', 'ReadOnly').locator('.note').allTextContents();
    assert.ok(notes.includes(en('note_sanitized')) && notes.includes(en('note_sharedAccountName')), JSON.stringify(notes));
    await snap(popup, 'picker-name-notes');

    // The person renames one and picks it.
    const input = rowOf('444455556666', 'ReadOnly').locator('input.profile-name');
    await input.fill('sd-readonly');
    await input.dispatchEvent('change');
    await rowOf('444455556666', 'ReadOnly').locator('input[type="checkbox"]').check();
    await popup.click('#add-selected');
    await popup.locator('#review:not([hidden])').waitFor();
    assert.match((await popup.locator('#diff').textContent()) ?? '', /\+\[profile sd-readonly\]/);
    await apply(popup);

    const config = readConfig(env.home);
    assert.ok(section(config, 'profile sd-readonly'), config);
    assert.equal(section(config, 'profile search-dev-444455556666.ReadOnly'), null);
    const r = await awsCallerIdentity(env.home, env.emu.url, 'sd-readonly');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Account, '444455556666');

    // A name that cannot go into a section header is refused before anything is written.
    await popup.click('#done-back');
    await popup.locator('#accounts:not([hidden])').waitFor();
    const bad = rowOf('111122223333', 'ReadOnly').locator('input.profile-name');
    await bad.fill('bad]name');
    await bad.dispatchEvent('change');
    await rowOf('111122223333', 'ReadOnly').locator('input[type="checkbox"]').check();
    await popup.click('#add-selected');
    // Action errors go to the message area, never the header's status line.
    await popup.locator('#message:not([hidden])').waitFor({ timeout: 10_000 });
    assert.equal(await popup.locator('#message-text').textContent(), en('err_name_conflict'));
    assert.equal(await popup.locator('#status').getAttribute('data-state'), 'ready');
    assert.equal(readConfig(env.home), config, 'a refused name changed the file');
    assert.deepEqual(pageErrors, []);
  } finally {
    await env.close();
  }
});
