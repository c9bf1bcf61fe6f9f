// The scripted part of `cargo xtask demo`: the real extension in Chromium, with the real native
// host, signs in to the emulator's sample organisation, syncs every role into profiles, and the
// AWS CLI then uses one. Everything lives in temporary folders; the person's ~/.aws is untouched.
// With a display, Chromium is shown while the script clicks; without one it runs headless.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProduct, portalRow, approveOnPage } from '../tests/e2e/lib/product.mjs';

const step = (/** @type {string} */ s) => console.log(`\n▶ ${s}`);
const org = JSON.parse(readFileSync(join(import.meta.dirname, '../tests/emulator/demo-org.json'), 'utf8'));

step('Starting the IAM Identity Center emulator and Chromium with SSO Bridge and its native host');
const product = await startProduct({ emulator: org, flow: 'device', headless: !process.env.DISPLAY });
try {
  const { popup, browser } = product;
  console.log(`  emulator: ${product.emu.url}   temporary HOME: ${product.home}`);

  step('Signing in with the device code flow (the script clicks Confirm and Allow as a person would)');
  await portalRow(popup).locator('[data-action="signIn"]').click();
  let page;
  for (let i = 0; i < 100 && !page; i++) {
    page = browser.context.pages().find((p) => /\/device\?user_code=/.test(p.url()));
    if (!page) await new Promise((r) => setTimeout(r, 200));
  }
  if (!page) throw new Error('the verification page did not open');
  console.log(`  user code shown in the popup: ${await popup.locator('#user-code').textContent()}`);
  await approveOnPage(page);
  await portalRow(popup).locator('.portal-state[data-state="valid"]').waitFor({ timeout: 30_000 });
  console.log(`  signed in: ${await portalRow(popup).locator('.portal-state').textContent()}`);

  step('Listing accounts and roles, then "Sync all"');
  await portalRow(popup).locator('[data-action="accounts"]').click();
  await popup.locator('#sync-all:not([disabled])').waitFor({ timeout: 60_000 });
  console.log(`  ${await popup.locator('#progress').textContent()}`);
  await popup.click('#sync-all');
  await popup.locator('#review:not([hidden])').waitFor();
  console.log(`  plan: ${await popup.locator('#review-summary').textContent()}`);
  await popup.click('#apply');
  await popup.locator('#done:not([hidden])').waitFor();
  const profile = await popup.locator('#done-profiles li strong').first().textContent();

  step(`aws sts get-caller-identity --profile ${profile}   (AWS CLI v1, against the emulator)`);
  const r = product.aws(['sts', 'get-caller-identity', '--profile', String(profile), '--output', 'json']);
  process.stdout.write(r.stdout || r.stderr);
  if (r.status !== 0) throw new Error(`the AWS CLI failed (exit ${r.status})`);

  step(`The resulting ${join(product.home, '.aws/config')}`);
  process.stdout.write(product.config());
  console.log('\nDone. Nothing outside the temporary folders was touched.');
} finally {
  await product.close();
}
