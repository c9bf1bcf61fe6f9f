// Accounts, roles and the profiles made from them: list through the core (progress streamed to
// the popup), name with the person's template, and hand the chosen profiles to the native host.
import * as core from './core.js';
import { tokens } from './vault.js';
import { loadSettings } from './settings.js';
import { keepAlive } from './keepalive.js';
import { CodedError } from './host.js';

/** @type {import('./host.js').HostClient} */
let host;
/** @type {(sessionName: string, listing: object) => void} */
let progress = () => {};

/** @param {import('./host.js').HostClient} h @param {(sessionName: string, listing: object) => void} onProgress */
export function init(h, onProgress) {
  host = h;
  progress = onProgress;
}

/** The last finished listing per session, for planning without listing again. @type {Map<string, any[]>} */
const listed = new Map();

/** @param {string} name */
async function login(name) {
  const l = await tokens.get(name);
  if (!l) throw new CodedError('not_signed_in', `${name} is not signed in`);
  return l;
}

/** Names of the profiles that already exist for this session, from the host. @param {string} name */
async function existingProfiles(name) {
  const status = await host.request('status', {});
  const session = (status.sessions ?? []).find((/** @type {any} */ s) => s.name === name);
  return new Set((session?.profiles ?? []).map((/** @type {any} */ p) => p.name));
}

/** Lists every account and role, naming each role's profile. @param {string} name */
export async function listAccounts(name) {
  const l = await login(name);
  const settings = await loadSettings();
  const exists = await existingProfiles(name).catch(() => new Set());
  return keepAlive(async () => {
    const result = await core.listAccounts(l, (/** @type {any} */ p) => progress(name, { done: p.done, total: p.total }));
    const named = core.nameProfiles(settings.nameTemplate, name, result.roles);
    // nameProfiles keeps input order, so names pair up with the listed roles by index.
    const roles = result.roles.map((r, i) => ({ ...r, profileName: named[i].name, exists: exists.has(named[i].name) }));
    listed.set(name, roles);
    const listing = { roles, failed: result.failed, done: result.accountsListed, total: result.accountsTotal, finished: true };
    progress(name, listing);
    return listing;
  });
}

/**
 * The profiles to write: the selected roles, or every listed role when `selection` is null.
 * @param {string} name @param {any[] | null} selection
 */
async function profilesFor(name, selection) {
  const settings = await loadSettings();
  const all = listed.get(name);
  if (!all) throw new CodedError('not_listed', 'list the accounts first');
  const wanted = selection === null ? all : all.filter((r) => selection.some((s) => s.accountId === r.accountId && s.roleName === r.roleName));
  return wanted.map((r) => ({
    name: r.profileName,
    accountId: r.accountId,
    roleName: r.roleName,
    region: settings.defaultRegion,
    ...(settings.defaultOutput ? { output: settings.defaultOutput } : {}),
  }));
}

/** @param {{ sessionName: string, selection: any[] | null, prune: boolean }} req @param {boolean} dryRun */
export async function applyProfiles(req, dryRun) {
  const profiles = await profilesFor(req.sessionName, req.selection);
  return host.request('applyProfiles', { sessionName: req.sessionName, profiles, prune: !!req.prune && req.selection === null, dryRun });
}

/**
 * Removes one profile SSO Bridge made for this session (the portal panel's "Remove"). The host
 * removes profiles by pruning, so this sends the session's other managed profiles as they are
 * (name, account, role: keys it already has are left alone) with `prune: true`.
 * @param {string} sessionName @param {string} profileName
 */
export async function removeProfile(sessionName, profileName) {
  const status = await host.request('status', {});
  const session = (status.sessions ?? []).find((/** @type {any} */ s) => s.name === sessionName);
  const managed = (session?.profiles ?? []).filter((/** @type {any} */ p) => p.managed);
  if (!managed.some((/** @type {any} */ p) => p.name === profileName)) {
    throw new CodedError('not_managed', `${profileName} is not a profile SSO Bridge made for ${sessionName}`);
  }
  const keep = managed.filter((/** @type {any} */ p) => p.name !== profileName);
  // A managed profile someone edited until it lost its account or role cannot be listed; pruning
  // would remove it too, so nothing is removed instead.
  if (keep.some((/** @type {any} */ p) => !p.accountId || !p.roleName)) {
    throw new CodedError('profile_incomplete', 'another SSO Bridge profile of this session lacks its account or role; fix ~/.aws/config first');
  }
  const profiles = keep.map((/** @type {any} */ p) => ({ name: p.name, accountId: p.accountId, roleName: p.roleName }));
  return host.request('applyProfiles', { sessionName, profiles, prune: true, dryRun: false });
}
