// Accounts, roles and the profiles made from them: list through the core (progress streamed to
// the popup), name with the person's template, and hand the chosen profiles to the native host.
import * as core from './core.js';
import { tokens } from './vault.js';
import { loadSettings, loadPortals } from './settings.js';
import { keepAlive } from './keepalive.js';
import { CodedError } from './host.js';
import { withinWait } from './waits.js';

/** @type {import('./host.js').HostClient} */
let host;
/** @type {(sessionName: string, listing: object) => void} */
let progress = () => {};

/** @param {import('./host.js').HostClient} h @param {(sessionName: string, listing: object) => void} onProgress */
export function init(h, onProgress) {
  host = h;
  progress = onProgress;
}

/** The last finished listing per session (the core's Listing), for planning without listing again. @type {Map<string, any>} */
const listed = new Map();

/** @param {string} name */
async function login(name) {
  const l = await tokens.get(name);
  if (!l) throw new CodedError('not_signed_in', `${name} is not signed in`);
  return l;
}

/**
 * What the core plans from: the listing, the host's status of EVERY session, the settings and
 * the person's choices. The rules (names, clashes, takeovers, what prune may remove) are the core's.
 * @param {string} name @param {any} listing
 * @param {{ selection?: any[] | null, prune?: boolean, names?: any[], takeover?: string[] }} choices
 */
async function planFor(name, listing, choices) {
  const [settings, portals, status] = await Promise.all([loadSettings(), loadPortals(), host.request('status', {})]);
  const portal = portals.find((p) => p.sessionName === name);
  if (!portal) throw new CodedError('unknown_session', `no portal named ${name}`, 'sessionName');
  const selection = choices.selection == null ? null : choices.selection.map((r) => ({ accountId: String(r.accountId), roleName: String(r.roleName) }));
  return core.makePlan({
    sessionName: name,
    listing,
    sessions: status.sessions,
    otherProfiles: status.otherProfiles ?? [],
    template: settings.nameTemplate,
    region: core.profileRegion(portal.profileRegion ?? undefined, settings.defaultRegion, portal.region),
    output: settings.defaultOutput || null,
    selection,
    names: choices.names ?? [],
    prune: !!choices.prune && selection === null,
    takeover: choices.takeover ?? [],
  });
}

/** What the picker shows for a plan: every listed role with its profile name and why it reads so. @param {any} plan @param {any} listing */
function listingView(plan, listing) {
  return {
    roles: plan.profiles.map((/** @type {any} */ p) => ({
      accountId: p.accountId,
      accountName: p.accountName ?? p.accountId,
      roleName: p.roleName,
      profileName: p.name,
      exists: p.state !== 'new',
      state: p.state,
      notes: p.notes ?? [],
    })),
    failed: listing.failed.map((/** @type {any} */ f) => ({ accountId: f.accountId, accountName: f.accountName, reason: f.message, code: f.code })),
    done: listing.accounts.length,
    total: listing.accounts.length + listing.failed.length,
    finished: true,
  };
}

/** Lists every account and role, naming each role's profile. @param {string} name */
export async function listAccounts(name) {
  const l = await login(name);
  return keepAlive(async () => {
    // Until the portal names its accounts, a wait with the core's limit; then as long as it takes.
    const listing = await withinWait('listing', (answered) => core.listAccountsAndRoles(l.session, l.token.accessToken, (event) => {
      answered();
      if (event.type === 'accountsTotal') progress(name, { done: 0, total: event.total });
      else progress(name, { done: event.done, total: event.total });
    }, null));
    listed.set(name, listing);
    const view = listingView(await planFor(name, listing, { selection: null }), listing);
    progress(name, view);
    return view;
  });
}

/**
 * Plans, then (unless it is a dry run) applies: the host gets exactly the plan's request. The
 * reply carries the plan's own account of what it keeps and why, for the review.
 * @param {{ sessionName: string, selection: any[] | null, prune: boolean, names?: any[], takeover?: string[] }} req @param {boolean} dryRun
 */
export async function applyProfiles(req, dryRun) {
  const listing = listed.get(req.sessionName);
  if (!listing) throw new CodedError('not_listed', 'list the accounts first');
  const plan = await planFor(req.sessionName, listing, req);
  if (!plan.request) {
    const c = plan.conflicts[0];
    throw Object.assign(new CodedError('name_conflict', `${c.name}: ${c.reason.kind}`, 'names'), { conflicts: plan.conflicts });
  }
  const result = await host.request('applyProfiles', { ...plan.request, prune: false, dryRun });
  return { ...result, kept: plan.kept, failedAccounts: plan.failedAccounts, planned: plan.remove };
}

/**
 * Removes one profile SSO Bridge made for this session (the portal panel's "Remove"): the host
 * removes exactly that name, and only if it is this session's own profile.
 * @param {string} sessionName @param {string} profileName
 */
export async function removeProfile(sessionName, profileName) {
  return host.request('applyProfiles', { sessionName, profiles: [], remove: [profileName], takeover: [], prune: false, dryRun: false });
}
