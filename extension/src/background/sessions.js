// Logins, refreshes and logouts: one flow per sso-session at a time (a second request joins the
// running one), state persisted in chrome.storage.session after every step so a stopped service
// worker resumes where it was, and every finished login handed to the native host.
import * as core from './core.js';
import { logins, tokens, registrations, errors } from './vault.js';
import { loadPortals, savePortals, loadSettings } from './settings.js';
import { keepAlive } from './keepalive.js';
import { CodedError } from './host.js';
import { targetsFor, recordResults, timeoutFor, forgetTargets } from './targets.js';
import * as remembered from './remembered.js';
import { withinWait, waitError } from './waits.js';

/** @type {import('./host.js').HostClient} */
let host;
/** @type {() => void} */
let changed = () => {};

/** @param {import('./host.js').HostClient} h @param {() => void} onChange */
export function init(h, onChange) {
  host = h;
  changed = onChange;
}

/** @param {string} name */
async function sessionConfig(name) {
  const portal = (await loadPortals()).find((p) => p.sessionName === name);
  if (!portal) throw new CodedError('unknown_session', `no portal named ${name}`, 'sessionName');
  const settings = await loadSettings();
  return {
    sessionName: portal.sessionName, startUrl: portal.startUrl, region: portal.region, scopes: [],
    ...(settings.endpoints ? { endpoints: settings.endpoints } : {}),
    // The core also picks dual-stack for `*.app.aws` start URLs on its own.
    dualStack: settings.dualStack === true,
  };
}

/** Sessions whose flow this worker is driving right now. @type {Map<string, Promise<void>>} */
const running = new Map();

/**
 * Starts a login, or joins the one already running for this session.
 * @param {string} name
 */
export async function signIn(name) {
  if (running.has(name)) return;
  const existing = await logins.get(name);
  if (existing) {
    // The core decides whether the stored login still runs (same portal, not expired) to join it.
    const stored = existing.flow === 'device' ? existing.state : existing.pending;
    // A PKCE login still waiting for its first answer (`pending: null`) ran in a worker that stopped.
    if (stored && core.loginJoinable(stored, await sessionConfig(name), Date.now())) return;
    await logins.set(name, undefined);
  }
  // Checked again after the awaits above: a second request that arrived meanwhile joins the first.
  if (running.has(name)) return;
  const work = (async () => {
    await errors.set(name, undefined);
    const session = await sessionConfig(name);
    const settings = await loadSettings();
    const registration = await registrations.get(name);
    if (settings.loginFlow === 'device') {
      await logins.set(name, { flow: 'device', state: core.deviceLoginNew(session, registration ?? null) });
      changed();
      await driveDevice(name);
    } else {
      // Shown as "contacting AWS" until the sign-in page opens, which the core's limit bounds.
      await logins.set(name, { flow: 'pkce', pending: null });
      changed();
      const pending = await withinWait('signIn', () => core.pkceBegin(session, registration ?? null));
      if (!(await logins.get(name))) return; // cancelled meanwhile
      // Persist before opening the tab: the callback may arrive after a worker restart.
      await logins.set(name, { flow: 'pkce', pending });
      const tab = await chrome.tabs.create({ url: pending.authorizeUrl });
      await logins.update(name, (r) => (r ? { ...r, tabId: tab.id } : r));
      // A callback that never comes (tab closed, answered by something else) ends the wait.
      chrome.alarms.create(`pkce:${name}`, { when: Math.max(Date.now() + 1000, pending.expiresAtMs || Date.now() + 600_000) });
      changed();
    }
  })().catch((e) => fail(name, e));
  running.set(name, work);
  try {
    await work;
  } finally {
    running.delete(name);
  }
}

/** Polls a device login to its end, one persisted step at a time. @param {string} name */
async function driveDevice(name) {
  await keepAlive(async () => {
    for (;;) {
      const record = await logins.get(name);
      if (!record || record.flow !== 'device') return;
      // The first step registers and starts the device authorization: a wait with a limit.
      const first = record.state.state === 'registering';
      const next = first ? await withinWait('signIn', () => core.deviceLoginStep(record.state)) : await core.deviceLoginStep(record.state);
      // A cancel while the step ran wins over the step's result.
      const now = await logins.get(name);
      if (!now) return;
      if (next.state === 'done') return finish(name, next);
      if (next.state === 'failed') {
        const e = new CodedError(next.code, next.message);
        return fail(name, first ? waitError('signIn', e) : e);
      }
      let tabId = now.tabId;
      if (next.state === 'waitingForUser' && tabId === undefined) {
        tabId = (await chrome.tabs.create({ url: next.verificationUriComplete })).id;
      }
      await logins.set(name, { flow: 'device', state: next, tabId });
      changed();
    }
  });
}

/** @param {string} name @param {any} login a LoginResult */
async function finish(name, login) {
  await tokens.set(name, stripState(login));
  await registrations.set(name, login.registration);
  await logins.set(name, undefined);
  try {
    const targets = await targetsFor(name);
    const result = await host.request('saveToken', { ...core.saveTokenParams(stripState(login)), targets }, timeoutFor(targets));
    await recordResults(name, result.targets);
    await errors.set(name, undefined);
  } catch (e) {
    await errors.set(name, coded(e));
  }
  scheduleRefresh(name, login.token.expiresAtMs);
  changed();
}

/** A `done` device state carries the LoginResult plus its tag. @param {any} login */
function stripState(login) {
  const { state: _tag, ...rest } = login;
  return rest;
}

/** @param {string} name @param {unknown} e */
async function fail(name, e) {
  await logins.set(name, undefined);
  await errors.set(name, coded(e));
  changed();
}

/** @param {any} e @returns {{ code: string, message: string }} */
function coded(e) {
  return { code: e?.code ?? 'internal', message: String(e?.message ?? e) };
}

/** @param {string} name */
export async function cancel(name) {
  const record = await logins.get(name);
  if (!record) return;
  await logins.set(name, undefined);
  if (record.tabId !== undefined) chrome.tabs.remove(record.tabId).catch(() => {});
  await errors.set(name, { code: 'cancelled', message: 'sign-in cancelled' });
  changed();
}

/**
 * The PKCE redirect: a tab we opened navigates to http://127.0.0.1:PORT/oauth/callback?code&state.
 * Nothing listens there; the URL is enough. Chromium's error page reloads it once more a second
 * later, so the login record is removed before the exchange and repeats find nothing.
 * @param {number} tabId @param {string} url
 */
export function onTabUrl(tabId, url) {
  // One callback at a time: a foreign one is put back before the next is looked at.
  const run = callbacks.then(() => takeCallback(tabId, url));
  callbacks = run.catch(() => {});
  return run;
}

/** @type {Promise<unknown>} */
let callbacks = Promise.resolve();

/** @param {number} tabId @param {string} url */
async function takeCallback(tabId, url) {
  const all = await logins.all();
  for (const [name, record] of Object.entries(all)) {
    if (record.flow !== 'pkce' || record.tabId !== tabId) continue;
    if (!record.pending || !url.startsWith(`${record.pending.redirectUri}?`)) continue;
    await logins.set(name, undefined);
    let login;
    try {
      login = await core.pkceComplete(record.pending, url);
    } catch (e) {
      // Someone else's redirect (wrong `state`) does not end this login: it keeps waiting for
      // its own callback, until it times out.
      if (/** @type {any} */ (e)?.code === 'state_mismatch') {
        await logins.set(name, record);
        continue;
      }
      chrome.tabs.remove(tabId).catch(() => {});
      await fail(name, e);
      continue;
    }
    chrome.tabs.remove(tabId).catch(() => {});
    chrome.alarms.clear(`pkce:${name}`);
    await finish(name, login);
  }
}

/** A PKCE login whose callback did not come in time ends with `pkce_timeout` (Retry signs in again). @param {string} name */
async function expirePkce(name) {
  const record = await logins.get(name);
  if (record?.flow !== 'pkce' || Date.now() < (record.pending?.expiresAtMs || 0)) return;
  await logins.set(name, undefined);
  if (record.tabId !== undefined) chrome.tabs.remove(record.tabId).catch(() => {});
  await fail(name, new CodedError('pkce_timeout', 'the sign-in page did not come back in time; sign in again'));
}

/** Continues device logins that were running when the worker stopped. */
export async function resume() {
  for (const [name, record] of Object.entries(await logins.all())) {
    if (record.flow === 'pkce') await expirePkce(name);
    if (record.flow === 'device' && !running.has(name)) {
      const work = driveDevice(name).catch((e) => fail(name, e));
      running.set(name, work);
      work.finally(() => running.delete(name));
    }
  }
}

/** @param {string} name */
export async function refresh(name) {
  const login = await tokens.get(name);
  if (!login) throw new CodedError('not_signed_in', `${name} is not signed in`);
  try {
    await finish(name, await core.refreshLogin(login));
  } catch (e) {
    await errors.set(name, coded(e));
    changed();
    throw e;
  }
}

/** Signs out at the portal (best effort) and removes the token from the host's cache. @param {string} name */
export async function logout(name) {
  const login = await tokens.get(name);
  if (login) await core.logoutAtPortal(login).catch(() => {});
  await tokens.set(name, undefined);
  chrome.alarms.clear(`refresh:${name}`);
  const targets = await targetsFor(name);
  const result = await host.request('logout', { sessionName: name, targets }, timeoutFor(targets));
  await recordResults(name, result.targets);
  changed();
}

/**
 * The session names a new portal must not take: configured portals', and the config's
 * `[sso-session]`s with their start URLs (the core decides which of those are the same portal).
 * @returns {Promise<{ name: string, startUrl: string | null }[]>}
 */
export async function namesInUse() {
  const portals = (await loadPortals()).map((p) => ({ name: p.sessionName, startUrl: p.startUrl }));
  const status = await host.request('status', {}, { timeoutMs: 5000 }).catch(() => ({ sessions: [] }));
  return [...portals, ...status.sessions.map((s) => ({ name: s.name, startUrl: s.startUrl ?? null }))];
}

/**
 * Saves the finished login's token again, taking over an `[sso-session]` of that name that has
 * another start URL or region (the person confirmed it after a `session_conflict`).
 * @param {string} name
 */
export async function takeOverSession(name) {
  const login = await tokens.get(name);
  if (!login) throw new CodedError('not_signed_in', `${name} is not signed in`);
  const targets = await targetsFor(name);
  const result = await host.request('saveToken', { ...core.saveTokenParams(login), takeover: true, targets }, timeoutFor(targets));
  await recordResults(name, result.targets);
  await errors.set(name, undefined);
  changed();
}

/**
 * Removes a portal: ends its sign-in at the portal, forgets its tokens, registration and alarms,
 * and has the host remove its token file (and, if asked, its profiles and [sso-session]). With
 * `dryRun` only the host's account of what would go is returned.
 * @param {string} name @param {boolean} removeProfiles @param {boolean} dryRun
 */
export async function removePortal(name, removeProfiles, dryRun) {
  if (dryRun) return host.request('removeSession', { sessionName: name, removeProfiles, dryRun: true });
  const login = await tokens.get(name);
  if (login) await core.logoutAtPortal(login).catch(() => {});
  const record = await logins.get(name);
  if (record?.tabId !== undefined) chrome.tabs.remove(record.tabId).catch(() => {});
  await Promise.all([tokens.set(name, undefined), logins.set(name, undefined), registrations.set(name, undefined), errors.set(name, undefined), remembered.forget(name)]);
  await Promise.all([chrome.alarms.clear(`refresh:${name}`), chrome.alarms.clear(`pkce:${name}`)]);
  const targets = await targetsFor(name);
  const result = await host.request('removeSession', { sessionName: name, removeProfiles, dryRun: false, targets }, timeoutFor(targets));
  await savePortals((await loadPortals()).filter((p) => p.sessionName !== name));
  await forgetTargets(name);
  changed();
  return result;
}

/** Refresh a little before botocore would, so the CLI never has to. @param {string} name @param {number} expiresAtMs */
function scheduleRefresh(name, expiresAtMs) {
  chrome.alarms.create(`refresh:${name}`, { when: core.refreshAtMs(expiresAtMs, Date.now()) });
}

/** @param {chrome.alarms.Alarm} alarm */
export async function onAlarm(alarm) {
  if (alarm.name.startsWith('pkce:')) return expirePkce(alarm.name.slice('pkce:'.length));
  if (!alarm.name.startsWith('refresh:')) return;
  await refresh(alarm.name.slice('refresh:'.length)).catch(() => {});
}
