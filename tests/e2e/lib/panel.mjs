// The portal panel (content/portal.js) as the tests drive it: through its closed root
// (lib/closed-shadow.mjs), connected and signed in the way a person already signed in to the
// portal does it (one click on the emulator's consent page).
import { closedRoot } from './closed-shadow.mjs';

/** The panel's own element inside its closed root. */
export const PANEL = '.panel';

/**
 * Connects the portal from the panel and approves the sign-in on the emulator's consent page, as
 * a person already signed in to the portal would (one click).
 * @param {any} env @param {import('playwright-core').Page} portal
 */
export async function connectAndSignIn(env, portal) {
  const panel = await closedRoot(portal, 'ssobridge-portal');
  await panel.waitFor(`${PANEL}[data-state="not-connected"]`);
  const consent = env.context.waitForEvent('page', { predicate: (/** @type {any} */ p) => p.url().includes('/authorize') });
  await panel.click(`${PANEL} [data-action="connect"]`);
  await panel.confirm();
  const tab = await consent;
  await tab.locator('#allow-access').click();
  await panel.waitFor(`${PANEL}[data-state="signed-in"]`, { timeout: 30_000 });
  await panel.waitFor(`${PANEL} li.role`, { timeout: 30_000 });
  return panel;
}
