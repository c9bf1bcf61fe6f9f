// Requests from the content scripts (content/portal.js, content/device.js). Content scripts run
// inside web pages, so nothing they send is trusted: which portal a request is about comes from
// the sender's URL (set by the browser), never from the message; they get only what their page
// shows (no tokens, no device codes other than the one on their page); and they may drive only
// what a person can do from that page: connect that portal, sign in to it, list its roles,
// add or remove that session's profiles, and close their own tab.
import * as core from './core.js';
import * as sessions from './sessions.js';
import * as profiles from './profiles.js';
import { logins, tokens, errors } from './vault.js';
import { loadPortals, savePortals, loadSettings } from './settings.js';
import { listen as listenForDomains } from './domains.js';
import { CodedError } from './host.js';

// Custom portal domains are registered again when the worker is installed or started.
listenForDomains();

/**
 * @typedef {{ host: import('./host.js').HostClient, pushState?: () => Promise<void> }} ContentContext
 */

/**
 * @param {any} msg @param {chrome.runtime.MessageSender} sender @param {ContentContext} ctx
 */
export async function handleContent(msg, sender, ctx) {
  if (sender.id !== chrome.runtime.id || !sender.tab || typeof sender.url !== 'string') {
    throw new CodedError('forbidden', 'not allowed from this context');
  }
  const url = sender.url;
  const after = async (/** @type {any} */ r) => {
    await ctx.pushState?.().catch(() => {});
    return r ?? {};
  };
  switch (msg?.type) {
    case 'deviceCode':
      // Only the guard on a real device-verification page may ask: a page elsewhere that got a
      // content script of ours (or fakes being one) learns nothing about running logins.
      if (!(await isDevicePageUrl(url))) throw new CodedError('forbidden', 'not a device-verification page');
      return deviceVerdict(typeof msg.userCode === 'string' ? msg.userCode : null, /** @type {number} */ (sender.tab.id));
    case 'closeTab':
      if (sender.tab.id !== undefined) await chrome.tabs.remove(sender.tab.id);
      return {};
    case 'portalPage':
      return portalView(url, regionHints(msg.regionHints), ctx);
    case 'portalConnect': {
      const page = await portalOf(url, regionHints(msg.regionHints));
      if (!page) throw new CodedError('not_a_portal', 'this page is not an access portal');
      if (page.sessionName) return after({ sessionName: page.sessionName });
      const portals = await loadPortals();
      const sessionName = core.suggestSessionName(page.startUrl, await sessions.namesInUse());
      const region = String(msg.region ?? '').trim() || page.region || '';
      const portal = core.checkPortal({ sessionName, startUrl: page.startUrl, region });
      await savePortals([...portals, portal]);
      void sessions.signIn(portal.sessionName);
      return after({ sessionName: portal.sessionName });
    }
    case 'portalSignIn': {
      const name = await connectedSession(url);
      void sessions.signIn(name);
      return after({ sessionName: name });
    }
    case 'portalList': {
      const name = await connectedSession(url);
      const listing = await profiles.listAccounts(name);
      return { roles: listing.roles.map(roleView), failed: (listing.failed ?? []).map(failedView) };
    }
    case 'portalAdd': {
      const name = await connectedSession(url);
      const selection = Array.isArray(msg.roles)
        ? msg.roles.map((/** @type {any} */ r) => ({ accountId: String(r?.accountId ?? ''), roleName: String(r?.roleName ?? '') }))
        : null;
      const req = { sessionName: name, selection, prune: false };
      let result;
      try {
        result = await profiles.applyProfiles(req, false);
      } catch (e) {
        // The listing the names come from lives in the worker's memory; after a restart, list again.
        if (/** @type {any} */ (e)?.code !== 'not_listed') throw e;
        await profiles.listAccounts(name);
        result = await profiles.applyProfiles(req, false);
      }
      return after(applyView(result));
    }
    case 'portalPlan': {
      // The review before "Add" / "Add all" writes (rule 6): the same dry run as the popup's
      // review, through the same code; the panel gets counts and the diff, no host messages.
      const name = await connectedSession(url);
      const selection = Array.isArray(msg.roles)
        ? msg.roles.map((/** @type {any} */ r) => ({ accountId: String(r?.accountId ?? ''), roleName: String(r?.roleName ?? '') }))
        : null;
      const req = { sessionName: name, selection, prune: false };
      const plan = await profiles.applyProfiles(req, true).catch(async (e) => {
        if (/** @type {any} */ (e)?.code !== 'not_listed') throw e;
        await profiles.listAccounts(name);
        return profiles.applyProfiles(req, true);
      });
      return { ...applyView(plan), diff: String(plan.diff ?? ''), failedAccounts: (plan.failedAccounts ?? []).length };
    }
    case 'portalRemove': {
      const name = await connectedSession(url);
      return after(applyView(await profiles.removeProfile(name, String(msg.profileName ?? ''))));
    }
    case 'portalProfiles': {
      const name = await connectedSession(url);
      return { profiles: await sessionProfiles(ctx, name) };
    }
    default:
      throw new CodedError('unknown_message', `unknown message type: ${String(msg?.type)}`);
  }
}

// ---- device-verification pages -------------------------------------------------------------

/**
 * Whether a page is one the device guard is meant for: the core's rule (exact hosts and paths,
 * the same hosts the manifest's device matches are generated from, plus custom portal domains).
 * @param {string} url
 */
export async function isDevicePageUrl(url) {
  const settings = await loadSettings();
  return core.isDevicePage(url, settings.portalDomains ?? []);
}

/**
 * Whether the code on a verification page is one SSO Bridge requested and is still waiting for
 * (the core decides, by the code or, with none visible, by the tab the extension opened). The
 * worker only supplies the running logins and the tab's memory, and stores what the core says
 * to remember.
 * @param {string | null} userCode @param {number} tabId
 */
async function deviceVerdict(userCode, tabId) {
  const all = await logins.all();
  const waiting = Object.entries(all)
    .filter(([, r]) => r.flow === 'device' && r.state?.state === 'waitingForUser' && typeof r.state.userCode === 'string')
    .map(([sessionName, r]) => ({ sessionName, userCode: String(/** @type {any} */ (r).state.userCode), tabId: r.tabId ?? null }));
  const owned = await ownedTabs();
  const now = Date.now();
  const verdict = core.deviceVerdict(waiting, userCode, tabId, owned[tabId] ?? null, now);
  if (verdict.remember) {
    owned[tabId] = verdict.remember;
    await saveOwnedTabs(owned, now);
  }
  const autoConfirm = verdict.waiting && (await loadSettings()).autoConfirmDevice === true;
  return { ours: verdict.ours, waiting: verdict.waiting, autoConfirm, sessionName: verdict.sessionName };
}

/** @typedef {import('../wasm/ssobridge_wasm.js').OwnedTab} OwnedTab */

/** Tabs the core judged ours, as it asked to remember them. @returns {Promise<Record<number, OwnedTab>>} */
async function ownedTabs() {
  const got = await chrome.storage.session.get('ownedDeviceTabs');
  return /** @type {Record<number, OwnedTab>} */ (got.ownedDeviceTabs ?? {});
}

/**
 * Stores the tabs' memory, dropping entries the core would no longer honour (housekeeping only:
 * the core checks `untilMs` itself on every verdict).
 * @param {Record<number, OwnedTab>} owned @param {number} now
 */
async function saveOwnedTabs(owned, now) {
  for (const [id, v] of Object.entries(owned)) if (!(v.untilMs > now)) delete owned[/** @type {any} */ (id)];
  await chrome.storage.session.set({ ownedDeviceTabs: owned });
}

// ---- access-portal pages -------------------------------------------------------------------

/** Region names the page revealed (e.g. the portal API host it called): strings only; the core keeps well-formed ones. @param {unknown} hints */
function regionHints(hints) {
  return Array.isArray(hints) ? hints.filter((h) => typeof h === 'string').slice(0, 20) : [];
}

/**
 * The portal a page belongs to (the core decides: configured portal, portal host, custom domain).
 * @param {string} url @param {string[]} hints
 */
async function portalOf(url, hints) {
  const [settings, portals] = await Promise.all([loadSettings(), loadPortals()]);
  return core.portalForPage(url, portals, settings.portalDomains ?? [], hints);
}

/** @param {string} url */
async function connectedSession(url) {
  const page = await portalOf(url, []);
  if (!page?.sessionName) throw new CodedError('not_connected', 'this portal is not connected to SSO Bridge');
  return page.sessionName;
}

/** What the panel shows for its page. @param {string} url @param {string[]} hints @param {ContentContext} ctx */
async function portalView(url, hints, ctx) {
  const page = await portalOf(url, hints);
  if (!page) return { portal: false };
  if (!page.sessionName) {
    return { portal: true, connected: false, startUrl: page.startUrl, region: page.region, regionFrom: page.regionFrom, sessionName: core.suggestSessionName(page.startUrl, await sessions.namesInUse()) };
  }
  const name = page.sessionName;
  // The login first, then the token: a finishing login stores its token before it clears
  // itself, so a view read in between never shows neither (the panel stops polling on that).
  const login = await logins.get(name);
  const [token, error] = await Promise.all([tokens.get(name), errors.all().then((all) => all[name])]);
  const expiresAt = token?.token?.expiresAtMs ?? null;
  return {
    portal: true,
    connected: true,
    startUrl: page.startUrl,
    region: page.region,
    regionFrom: page.regionFrom,
    sessionName: name,
    signedIn: typeof expiresAt === 'number' && expiresAt > Date.now(),
    expiresAt,
    signingIn: !!login,
    // The device flow's code is shown in the popup and on the verification page, not here: the
    // portal page has no business with it. Errors as codes and our own words only.
    error: error ? contentError(error) : null,
    hostOk: await ctx.host.request('hello', {}, { timeoutMs: 5000 }).then(() => true, () => false),
  };
}

/** @param {any} r */
function roleView(r) {
  return { accountId: String(r.accountId), accountName: String(r.accountName ?? ''), roleName: String(r.roleName), profileName: String(r.profileName), exists: !!r.exists };
}

/** @param {any} f */
function failedView(f) {
  const { code, message } = contentError(f);
  return { accountId: String(f.account?.accountId ?? f.accountId ?? ''), accountName: String(f.account?.accountName ?? f.accountName ?? ''), code, message };
}

/**
 * An error as a web page may see it: the stable code and our translated text for it, never the
 * message a host or the core wrote (those can name local paths, hence the user name).
 * @param {any} e
 * @returns {{ code: string, message: string }}
 */
export function contentError(e) {
  const raw = typeof e?.code === 'string' ? e.code : '';
  const code = /^[a-z][a-z0-9_]{0,63}$/.test(raw) ? raw : 'internal';
  let message = '';
  try {
    message = chrome.i18n.getMessage(`err_${code}`) || chrome.i18n.getMessage('err_generic', [code]);
  } catch {
    // no i18n here: the code alone
  }
  return { code, message: message || code };
}

/** @param {any} r */
function applyView(r) {
  return { added: r.added ?? [], updated: r.updated ?? [], unchanged: r.unchanged ?? [], removed: r.removed ?? [] };
}

/** The session's profiles in ~/.aws/config, from the host. @param {ContentContext} ctx @param {string} name */
async function sessionProfiles(ctx, name) {
  const status = await ctx.host.request('status', {});
  const session = (status.sessions ?? []).find((/** @type {any} */ s) => s.name === name);
  return (session?.profiles ?? []).map((/** @type {any} */ p) => ({
    name: String(p.name), accountId: p.accountId ?? null, roleName: p.roleName ?? null, managed: !!p.managed,
  }));
}
