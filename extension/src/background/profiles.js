// Accounts, roles and the profiles made from them: list through the core (progress streamed to
// the popup, the last complete listing remembered and shown at once), name with the person's
// template, and hand the chosen profiles to the native host.
import * as core from './core.js';
import { tokens } from './vault.js';
import { loadSettings, loadPortals } from './settings.js';
import { keepAlive } from './keepalive.js';
import { CodedError } from './host.js';
import { targetsFor, recordResults, timeoutFor } from './targets.js';
import * as remembered from './remembered.js';
import { roleViews, accountViews, failedViews } from './listing-view.js';
import { withinWait } from './waits.js';
import { firstPaint } from './first-paint.js';

/** @type {import('./host.js').HostClient} */
let host;
/** @typedef {import('./listing-view.js').ListingView} ListingView */
/** @type {(sessionName: string, listing: ListingView) => void} */
let progress = () => {};

/** @param {import('./host.js').HostClient} h @param {(sessionName: string, listing: ListingView) => void} onProgress */
export function init(h, onProgress) {
  host = h;
  progress = onProgress;
}

/** The last finished listing per session (the core's Listing), for planning without listing again. @type {Map<string, any>} */
const listed = new Map();
/** The last finished view per session, while the worker lives: shown again at once, with no plan to make. @type {Map<string, ListingView>} */
const lastViews = new Map();

/** @param {string} name */
async function login(name) {
  const l = await tokens.get(name);
  if (!l) throw new CodedError('not_signed_in', `${name} is not signed in`);
  return l;
}

/**
 * What the core plans from: the listing, the host's status of EVERY session, the settings and
 * the person's choices. The rules (names, clashes, takeovers, what prune may remove) are the core's.
 * `status`: the host's status when the caller already has it (one listing asks once).
 * @param {string} name @param {any} listing
 * @param {{ selection?: any[] | null, prune?: boolean, names?: any[], takeover?: string[] }} choices
 * @param {Promise<any>} [status]
 */
async function planFor(name, listing, choices, status) {
  const [settings, portals, st] = await Promise.all([loadSettings(), loadPortals(), status ?? host.request('status', {})]);
  const portal = portals.find((p) => p.sessionName === name);
  if (!portal) throw new CodedError('unknown_session', `no portal named ${name}`, 'sessionName');
  const selection = choices.selection == null ? null : choices.selection.map((r) => ({ accountId: String(r.accountId), roleName: String(r.roleName) }));
  return core.makePlan({
    sessionName: name,
    listing,
    sessions: st.sessions,
    otherProfiles: st.otherProfiles ?? [],
    template: settings.nameTemplate,
    region: core.profileRegion(portal.profileRegion ?? undefined, settings.defaultRegion, portal.region),
    output: settings.defaultOutput || null,
    selection,
    names: choices.names ?? [],
    prune: !!choices.prune && selection === null,
    takeover: choices.takeover ?? [],
  });
}

/** Progress posts while a listing runs: at most this often (ms). */
const POST_EVERY_MS = 200;

/**
 * The remembered listing as the popup shows it while a fresh one runs, when this worker named it
 * and saved it itself: no storage read, no host status, no plan (what a reopened popup waits for).
 * Null otherwise (the listing then reads and names the stored one).
 * @param {string} name @returns {ListingView | null}
 */
export function rememberedView(name) {
  const last = lastViews.get(name);
  if (!last || last.listedAt !== remembered.knownListedAt(name)) return null;
  return { ...last, source: 'remembered', done: 0, finished: false, changes: null };
}

/** First paints made, by the listing they preview (a new listing is a new object). @type {WeakMap<ListingView, ReturnType<typeof firstPaint>>} */
const paints = new WeakMap();

/**
 * The first paint of {@link rememberedView} (first-paint.js), made once per listing: a popup
 * closed on these accounts gets it ready for when it reopens. Null without one, or if the core
 * could not lay it out (the popup then draws the whole listing when it comes).
 * @param {string} name
 */
export function rememberedFirstPaint(name) {
  const shown = rememberedView(name);
  const last = lastViews.get(name);
  if (!shown || !last) return null;
  if (!paints.has(last)) {
    try {
      paints.set(last, firstPaint(shown));
    } catch {
      return null;
    }
  }
  return paints.get(last) ?? null;
}

/**
 * Lists every account and role, naming each role's profile. The remembered listing (if any) is
 * posted at once and stays on show while the fresh one runs; without one, the fresh listing is
 * posted as it fills. The reply is the fresh listing with what changed since the remembered one.
 * @param {string} name @returns {Promise<ListingView>}
 */
export async function listAccounts(name) {
  const l = await login(name);
  return keepAlive(async () => {
    // One status for the whole listing: the names of its progress posts need not be newer.
    const status = host.request('status', {});
    status.catch(() => {});
    /** @type {ListingView | null} */
    let shown = rememberedView(name);
    if (shown) progress(name, shown);
    let before = await remembered.load(name);
    if (!shown && before) {
      try {
        const plan = await planFor(name, { accounts: before.accounts, failed: [], fresh: false }, { selection: null }, status);
        const all = new Map(before.accounts.map((/** @type {any} */ a) => [a.accountId, null]));
        // Its accounts all listed (last time); done/total follow the fresh listing under way.
        shown = { ...view(accountViews(before.accounts, all), roleViews(plan), 'remembered', before.listedAtMs), done: 0, finished: false };
        progress(name, shown);
      } catch (e) {
        // A stored listing the core cannot read (or no host to name it): list as if none was kept.
        if (/** @type {any} */ (e)?.name === 'SsoBridgeError') before = null;
        else throw e;
      }
    }

    /** @type {any[]} */ const accounts = [];
    /** @type {Map<string, { code: string, message: string } | null>} */ const finished = new Map();
    /** @type {Map<string, string[]>} */ const roles = new Map();
    let pagesDone = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */ let timer;
    let posting = Promise.resolve();
    const post = async () => {
      timer = undefined;
      const total = pagesDone || accounts.length ? accounts.length : null;
      if (shown) {
        // The remembered listing stays; only the fresh listing's progress moves.
        shown = { ...shown, done: finished.size, total: total ?? shown.total };
        progress(name, shown);
        return;
      }
      const sofar = accounts.filter((a) => roles.has(a.accountId)).map((a) => ({ ...a, roles: roles.get(a.accountId) }));
      const plan = await planFor(name, { accounts: sofar, failed: [], fresh: false }, { selection: null }, status);
      const v = view(accountViews(accounts, finished), roleViews(plan), 'fresh', Date.now());
      progress(name, { ...v, total, done: finished.size, finished: false });
    };
    const schedule = () => {
      timer ??= setTimeout(() => {
        posting = posting.then(post).catch(() => {});
      }, POST_EVERY_MS);
    };

    let listing;
    try {
      // Until the portal names its accounts, a wait with the core's limit; then as long as it takes.
      listing = await withinWait('listing', (answered) => core.listAccountsAndRoles(l.session, l.token.accessToken, (event) => {
        answered();
        if (event.type === 'accountsPage') {
          accounts.push(...event.accounts);
          pagesDone ||= event.last;
        } else if (event.type === 'accountListed') {
          finished.set(event.accountId, null);
          roles.set(event.accountId, event.roles);
        } else if (event.type === 'accountFailed') {
          finished.set(event.accountId, { code: event.code, message: event.message });
        }
        schedule();
      }, null));
    } finally {
      clearTimeout(timer);
      await posting;
    }
    listed.set(name, listing);
    const listedAt = Date.now();
    const { remembered: keep, changes } = core.rememberListing(before, listing, listedAt);
    await remembered.save(name, keep);
    const plan = await planFor(name, listing, { selection: null }, status);
    for (const f of listing.failed) finished.set(f.accountId, { code: f.code, message: f.message });
    const final = { ...view(accountViews(accounts, finished), roleViews(plan), 'fresh', listedAt), changes: changes ?? null };
    if (keep) lastViews.set(name, final);
    else lastViews.delete(name);
    progress(name, final);
    return final;
  });
}

/**
 * @param {import('./listing-view.js').AccountView[]} accounts @param {import('./listing-view.js').RoleView[]} roles
 * @param {'remembered' | 'fresh'} source @param {number} listedAt @returns {ListingView}
 */
function view(accounts, roles, source, listedAt) {
  const done = accounts.filter((a) => a.state !== 'pending').length;
  return { accounts, roles, done, total: accounts.length, finished: true, source, listedAt, changes: null, failed: failedViews(accounts) };
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
  const targets = dryRun ? [] : await targetsFor(req.sessionName);
  const result = await host.request('applyProfiles', { ...plan.request, prune: false, dryRun, targets }, timeoutFor(targets));
  await recordResults(req.sessionName, result.targets);
  return { ...result, kept: plan.kept, failedAccounts: plan.failedAccounts, planned: plan.remove };
}

/**
 * Removes one profile SSO Bridge made for this session (the portal panel's "Remove"): the host
 * removes exactly that name, and only if it is this session's own profile.
 * @param {string} sessionName @param {string} profileName
 */
export async function removeProfile(sessionName, profileName) {
  const targets = await targetsFor(sessionName);
  const result = await host.request('applyProfiles', { sessionName, profiles: [], remove: [profileName], takeover: [], prune: false, dryRun: false, targets }, timeoutFor(targets));
  await recordResults(sessionName, result.targets);
  return result;
}
