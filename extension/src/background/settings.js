// Settings and portals live in local-store.js (chrome.storage.local where it can be locked to
// extension pages, Chromium; the extension origin's IndexedDB where it cannot, Firefox): nothing
// secret is ever stored there. Tokens and in-flight logins live in chrome.storage.session (see
// vault.js), which content scripts cannot read in either browser.
//
// What is stored is still not trusted as it is read: every load goes through the core's checks,
// field by field. A field that fails is replaced by its default (never used as stored), and the
// problem is kept in chrome.storage.session for the options page to show (`settingsProblems`).
import init from '../wasm/ssobridge_wasm.js';
import { checkSettings, checkPortal } from '../wasm/ssobridge_wasm.js';
import { getLocal, setLocal } from './local-store.js';

/** @type {Promise<unknown> | null} */
let initOnce = null;
/**
 * The wasm core, loaded once per page or worker (the options page loads settings too).
 * @returns {Promise<unknown>}
 */
export function coreReady() {
  initOnce ??= init();
  return initOnce;
}

/** @typedef {{ oidc: string, portal: string }} EndpointOverride */
/**
 * @typedef {object} Settings
 * @property {string} nameTemplate       profile name template
 * @property {string} defaultRegion      `region` for new profiles
 * @property {string} defaultOutput      `output` for new profiles ('' = none)
 * @property {'pkce' | 'device'} loginFlow
 * @property {boolean} pruneDefault      the prune switch's initial state on "Sync all"
 * @property {EndpointOverride | null} endpoints  advanced: test and private setups only
 * @property {boolean} autoConfirmDevice  confirm device codes SSO Bridge itself requested (content/device.js)
 * @property {boolean} dualStack          always use the dual-stack (IPv6) endpoints (`*.app.aws` portals always do)
 * @property {{ origin: string, region: string }[]} portalDomains  custom portal domains (domains.js)
 */

/** @type {Settings} */
export const DEFAULT_SETTINGS = {
  nameTemplate: '{account_name}.{role_name}',
  defaultRegion: '',
  defaultOutput: 'json',
  loginFlow: 'pkce',
  pruneDefault: false,
  endpoints: null,
  autoConfirmDevice: false,
  dualStack: false,
  portalDomains: [],
};

/** @typedef {{ field: string, code: string, message: string }} SettingsProblem */

/**
 * The stored settings, each field checked by the core on its own against the defaults; a field
 * that fails falls back to its default. Custom portal domains are checked one by one.
 * @param {unknown} stored
 * @returns {{ settings: Settings, problems: SettingsProblem[] }}
 */
export function checkStoredSettings(stored) {
  const raw = /** @type {Record<string, unknown>} */ (stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {});
  /** @type {SettingsProblem[]} */
  const problems = [];
  /** @param {string} field @param {any} e */
  const problem = (field, e) => problems.push({ field: String(e?.field || field), code: String(e?.code ?? 'invalid_input'), message: String(e?.message ?? e) });
  /** @type {any} */
  const settings = { ...DEFAULT_SETTINGS, portalDomains: [] };
  for (const key of /** @type {(keyof Settings)[]} */ (Object.keys(DEFAULT_SETTINGS))) {
    if (!(key in raw) || key === 'portalDomains') continue;
    try {
      settings[key] = checkSettings({ ...DEFAULT_SETTINGS, [key]: raw[key] })[key];
    } catch (e) {
      problem(key, e);
    }
  }
  if ('portalDomains' in raw) {
    const domains = Array.isArray(raw.portalDomains) ? raw.portalDomains : [];
    if (!Array.isArray(raw.portalDomains)) problem('portalDomains', { code: 'invalid_input', message: 'is not a list' });
    domains.forEach((d, i) => {
      try {
        settings.portalDomains.push(...(checkSettings({ ...DEFAULT_SETTINGS, portalDomains: [d] }).portalDomains ?? []));
      } catch (e) {
        problem(`portalDomains[${i}]`, { ...(/** @type {any} */ (e)), field: String(/** @type {any} */ (e)?.field ?? '').replace('[0]', `[${i}]`) });
      }
    });
  }
  for (const key of Object.keys(raw)) {
    if (!(key in DEFAULT_SETTINGS)) problem(key, { code: 'invalid_input', message: 'unknown setting' });
  }
  try {
    return { settings: /** @type {Settings} */ (checkSettings(settings)), problems };
  } catch (e) {
    // Fields that pass one by one but not together: nothing of what is stored is used.
    problem('settings', e);
    return { settings: { ...DEFAULT_SETTINGS, portalDomains: [] }, problems };
  }
}

/** @returns {Promise<Settings>} */
export async function loadSettings() {
  const { settings, problems } = await readSettings();
  await recordProblems(problems);
  return settings;
}

/**
 * The settings as {@link loadSettings} has them, without recording what was wrong with them: one
 * storage read fewer, for a caller something waits on while a loadSettings beside it (the
 * popup's state) records the problems.
 * @returns {Promise<Settings>}
 */
export async function peekSettings() {
  return (await readSettings()).settings;
}

/** The stored settings, decoded by the core. */
async function readSettings() {
  await coreReady();
  return checkStoredSettings((await getLocal('settings')) ?? {});
}

/** @param {SettingsProblem[]} problems */
async function recordProblems(problems) {
  const { settingsProblems: before } = await chrome.storage.session.get('settingsProblems').catch(() => ({ settingsProblems: undefined }));
  if (JSON.stringify(before ?? []) === JSON.stringify(problems)) return;
  await chrome.storage.session.set({ settingsProblems: problems }).catch(() => {});
}

/**
 * What was wrong with the stored settings at their last load (empty when nothing was).
 * @returns {Promise<SettingsProblem[]>}
 */
export async function settingsProblems() {
  const { settingsProblems: problems } = await chrome.storage.session.get('settingsProblems');
  return Array.isArray(problems) ? problems : [];
}

/** @param {Partial<Settings>} patch */
export async function saveSettings(patch) {
  const next = { ...(await loadSettings()), ...patch };
  await setLocal('settings', next);
  // What is stored now is what was checked: the next load finds nothing wrong.
  await recordProblems([]);
  return next;
}

/** @typedef {import('../wasm/ssobridge_wasm.js').Portal} Portal  the core's type (generated) */

/**
 * The configured portals; an entry the core does not accept (a start URL or region planted in
 * storage) is left out.
 * @returns {Promise<Portal[]>}
 */
export async function loadPortals() {
  await coreReady();
  const portals = await getLocal('portals');
  if (!Array.isArray(portals)) return [];
  /** @type {Portal[]} */
  const out = [];
  for (const p of portals) {
    try {
      out.push(checkPortal({ sessionName: p?.sessionName, startUrl: p?.startUrl, region: p?.region, profileRegion: p?.profileRegion ?? null, autoSync: p?.autoSync ?? 'off' }));
    } catch {
      // not a portal a person could have added
    }
  }
  return out;
}

/** @param {Portal[]} portals */
export async function savePortals(portals) {
  await setLocal('portals', portals);
}

/** @typedef {import('../wasm/ssobridge_wasm.js').SyncTarget} SyncTarget  the core's type (generated) */

/**
 * Each portal's "Also sync to" targets (issue 15), by session name. Only the shape is kept
 * here: the host checks every target with the core's rules and answers a bad one in that
 * target's own result, so a planted value never reaches `ssh` and never blocks the local write.
 * @returns {Promise<Record<string, SyncTarget[]>>}
 */
export async function loadTargets() {
  // Kept where the settings are (local-store.js): a target decides where tokens are copied, so a
  // content script must not be able to add one (Firefox shares storage.local with them).
  const syncTargets = await getLocal('syncTargets');
  /** @type {Record<string, SyncTarget[]>} */
  const out = {};
  if (!syncTargets || typeof syncTargets !== 'object') return out;
  for (const [name, list] of Object.entries(syncTargets)) {
    if (!Array.isArray(list)) continue;
    out[name] = list.filter((t) => ['folder', 'ssh', 'wsl'].includes(t?.kind) && typeof (t.path ?? t.host ?? t.distro) === 'string')
      .map((t) => /** @type {SyncTarget} */ (t.kind === 'folder' ? { kind: t.kind, path: t.path } : t.kind === 'ssh' ? { kind: t.kind, host: t.host } : { kind: t.kind, distro: t.distro }));
  }
  return out;
}

/** @param {string} sessionName @param {SyncTarget[]} targets (an empty list forgets the portal's) */
export async function saveTargets(sessionName, targets) {
  const { [sessionName]: _old, ...rest } = await loadTargets();
  await setLocal('syncTargets', targets.length ? { ...rest, [sessionName]: targets } : rest);
}
