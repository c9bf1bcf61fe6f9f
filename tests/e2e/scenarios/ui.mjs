// Every interaction of the shared scenarios with the extension's own pages (popup, options) and
// the portal panel, in one place, through the stable hooks only (ids, `data-action` on portal
// buttons, `data-session` on portal rows, `data-role="<accountId>/<roleName>"` on role rows).
// When the popup's markup changes, this file is the one to adapt.

/** @typedef {import('../lib/driver/index.mjs').Driver} Driver @typedef {import('../lib/driver/index.mjs').Tab} Tab */

const row = (/** @type {string} */ session) => `#portals [data-session="${session}"]`;
const role = (/** @type {string} */ key) => `#roles [data-role="${key}"]`;

/**
 * The options page, filled in as a person would: the emulator as the endpoint override, the
 * login flow, the emulator's origin as a custom portal domain, and the device auto-confirm switch.
 * @param {Driver} driver @param {string} emuUrl @param {{ loginFlow: 'pkce' | 'device', autoConfirm?: boolean }} opts
 */
export async function configure(driver, emuUrl, opts) {
  const page = await driver.open(driver.extensionUrl('options.html'));
  await page.waitFor('#options input[name="nameTemplate"]');
  await page.click('#options details summary');
  await page.fill('#options input[name="oidc"]', emuUrl);
  await page.fill('#options input[name="portal"]', emuUrl);
  await page.check(`#options input[name="loginFlow"][value="${opts.loginFlow}"]`);
  await page.click('#options button[type="submit"]');
  await page.waitFor('#saved:not(:empty)');
  await page.fill('#domain-form input[name="domain"]', emuUrl);
  await page.fill('#domain-form input[name="domainRegion"]', 'us-east-1');
  await page.click('#domain-add');
  await page.waitFor(`#domain-list [data-origin="${emuUrl}"]`);
  if (opts.autoConfirm) {
    await page.check('#auto-confirm');
    await page.waitFor('#auto-confirm-saved:not(:empty)');
  }
  await page.close();
}

/** The popup in a tab of its own, once the host answered. @param {Driver} driver */
export async function openPopup(driver) {
  const popup = await driver.open(driver.extensionUrl('popup.html'));
  await popup.waitFor('#status[data-state="ready"]', { timeout: 20_000 });
  return popup;
}

/** @param {Tab} popup @param {{ startUrl: string, region: string, sessionName: string }} portal */
export async function addPortal(popup, portal) {
  if (!(await popup.visible('#add-portal-form input[name="startUrl"]'))) await popup.click('#add-portal summary');
  // The session name first: leaving the start URL with no name asks the worker for a suggested
  // one, which would land in the name field after this fill, replacing it.
  for (const name of /** @type {const} */ (['sessionName', 'startUrl', 'region'])) await popup.fill(`#add-portal-form input[name="${name}"]`, portal[name]);
  await popup.click('#add-portal-form button[type="submit"]');
  await popup.waitFor(row(portal.sessionName));
}

/** @param {Tab} popup @param {string} session */
export const clickSignIn = (popup, session) => popup.click(`${row(session)} [data-action="signIn"]`);

/** The code the popup shows while a device login waits. @param {Tab} popup */
export async function shownUserCode(popup) {
  await popup.waitFor('#login #user-code:not(:empty)');
  return (await popup.text('#user-code')).trim();
}

/** Signed in: the row offers the accounts. @param {Tab} popup @param {string} session */
export const waitSignedIn = (popup, session) => popup.waitFor(`${row(session)} [data-action="accounts"]`, { timeout: 30_000 });

/**
 * Opens the accounts of `session` and waits until listing finished; returns every text the
 * progress line showed meanwhile.
 * @param {Tab} popup @param {string} session
 */
export async function listAccounts(popup, session) {
  await popup.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__progress = [];
    const seen = () => w.__progress.push(document.getElementById('progress')?.textContent);
    new MutationObserver(seen).observe(/** @type {Node} */ (document.getElementById('progress')), { childList: true, characterData: true, subtree: true });
  });
  await popup.click(`${row(session)} [data-action="accounts"]`);
  await popup.waitFor('#accounts');
  await popup.waitFor('#sync-all:not([disabled])', { timeout: 60_000 });
  return /** @type {string[]} */ (await popup.evaluate(() => /** @type {any} */ (window).__progress));
}

/** @param {Tab} popup @param {string} text */
export const search = (popup, text) => popup.fill('#search', text);

/** Ticks a role; returns the profile name the popup proposes for it. @param {Tab} popup @param {string} key `<accountId>/<roleName>` */
export async function pick(popup, key) {
  await popup.check(`${role(key)} input[type="checkbox"]`);
  return popup.attr(role(key), 'data-profile');
}

/** @param {Tab} popup @param {string} key */
export const roleCount = (popup, key) => popup.count(role(key));

/** "Add selected" up to the review; returns the diff. @param {Tab} popup */
export async function reviewSelected(popup) {
  await popup.click('#add-selected');
  await popup.waitFor('#review');
  return popup.text('#diff');
}

/** Apply in the review; returns the done view's profile list text. @param {Tab} popup */
export async function apply(popup) {
  await popup.click('#apply');
  await popup.waitFor('#done', { timeout: 20_000 });
  return popup.text('#done-profiles');
}

/** Log out from the portal list (the done view's way home is the popup reopened). @param {Driver} driver @param {string} session */
export async function logout(driver, session) {
  const popup = await openPopup(driver);
  await popup.click(`${row(session)} [data-action="logout"]`);
  await popup.waitFor(`${row(session)} [data-action="signIn"]`);
  return popup;
}

/** The portal panel's own element inside its closed root. */
const PANEL = '.panel';

/** @param {Tab} portal */
export async function panelOf(portal) {
  const panel = await portal.closedRoot('ssobridge-portal');
  await panel.waitFor(`${PANEL}[data-state="not-connected"]`);
  return panel;
}

/** @param {import('../lib/driver/index.mjs').ShadowRoot} panel */
export const panelStartUrl = (panel) => panel.text(`${PANEL} [data-field="startUrl"]`);

/** Connect, then Confirm: the extension opens the portal's sign-in page. @param {import('../lib/driver/index.mjs').ShadowRoot} panel */
export async function panelConnect(panel) {
  await panel.click(`${PANEL} [data-action="connect"]`);
  await panel.confirm();
}

/** Waits until the panel is signed in and lists roles; returns how many. @param {import('../lib/driver/index.mjs').ShadowRoot} panel */
export async function panelRoles(panel) {
  await panel.waitFor(`${PANEL}[data-state="signed-in"]`, { timeout: 60_000 });
  await panel.waitFor(`${PANEL} li.role`, { timeout: 30_000 });
  return panel.count(`${PANEL} li.role`);
}

/** Adds one role's profile from the panel and confirms. @param {import('../lib/driver/index.mjs').ShadowRoot} panel @param {string} account @param {string} roleName */
export async function panelAdd(panel, account, roleName) {
  const item = `${PANEL} li.role[data-account-id="${account}"][data-role-name="${roleName}"]`;
  await panel.click(`${item} [data-action="add"]`);
  await panel.confirm();
  await panel.waitFor(`${item}[data-exists="true"]`);
}
