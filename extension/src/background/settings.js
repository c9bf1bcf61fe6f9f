// Settings and portals live in chrome.storage.local: nothing secret is ever stored there.
// Tokens and in-flight logins live in chrome.storage.session (see sessions.js).

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
 * @property {{ origin: string, region: string }[]} portalDomains  custom portal domains (domains.js)
 */

/** @type {Settings} */
export const DEFAULT_SETTINGS = {
  nameTemplate: '{account_name}.{role_name}',
  defaultRegion: 'us-east-1',
  defaultOutput: 'json',
  loginFlow: 'pkce',
  pruneDefault: false,
  endpoints: null,
  autoConfirmDevice: false,
  portalDomains: [],
};

/** @returns {Promise<Settings>} */
export async function loadSettings() {
  const { settings } = await chrome.storage.local.get('settings');
  return { ...DEFAULT_SETTINGS, ...(settings ?? {}) };
}

/** @param {Partial<Settings>} patch */
export async function saveSettings(patch) {
  const next = { ...(await loadSettings()), ...patch };
  await chrome.storage.local.set({ settings: next });
  return next;
}

/** @typedef {{ sessionName: string, startUrl: string, region: string }} Portal */

/** @returns {Promise<Portal[]>} */
export async function loadPortals() {
  const { portals } = await chrome.storage.local.get('portals');
  return Array.isArray(portals) ? portals : [];
}

/** @param {Portal[]} portals */
export async function savePortals(portals) {
  await chrome.storage.local.set({ portals });
}
