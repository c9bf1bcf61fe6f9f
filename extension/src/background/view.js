// The state the popup renders, assembled from settings, the vault and the native host.
import { loadPortals, loadSettings } from './settings.js';
import { logins, tokens, errors } from './vault.js';
import * as core from './core.js';

/** @param {import('./host.js').HostClient} host */
export async function viewState(host) {
  const [portals, settings, allLogins, allTokens, allErrors, info, platform] = await Promise.all([
    loadPortals(), loadSettings(), logins.all(), tokens.all(), errors.all(), hostStatus(host), chrome.runtime.getPlatformInfo(),
  ]);
  return {
    os: platform.os,
    host: { ...info, install: await installHint(platform) },
    settings,
    suggestion: await portalSuggestion(portals, info.sessions ?? []),
    portals: portals.map((p) => {
      const login = allLogins[p.sessionName];
      const stored = allTokens[p.sessionName];
      const token = stored?.token;
      const onDisk = info.sessions?.find((/** @type {any} */ s) => s.name === p.sessionName)?.token;
      return {
        ...p,
        token: token ? { expiresAt: token.expiresAtMs, refreshable: refreshable(stored) } : onDisk ? { expiresAt: Date.parse(onDisk.expiresAt), refreshable: false } : null,
        login: login ? loginView(login) : null,
        error: allErrors[p.sessionName] ?? null,
      };
    }),
  };
}

/**
 * The core's rule (a refresh token and a live client registration): such a session renews its
 * access token quietly, so its hour-long expiry is not the person's business.
 * @param {any} login @param {number} [now]
 */
export function refreshable(login, now = Date.now()) {
  try {
    return core.loginRefreshable(login, now);
  } catch {
    return false; // a stored login of another shape (an older version's): sign in again
  }
}

/** Only what the popup shows: never the device code, verifier or tokens. @param {any} login */
function loginView(login) {
  if (login.flow === 'device') {
    const s = login.state;
    return { flow: 'device', phase: s.state, userCode: s.userCode ?? null, verificationUri: s.verificationUri ?? null, expiresAt: s.expiresAtMs ?? null };
  }
  // `pending` is null until AWS answered and the sign-in page opened.
  return { flow: 'pkce', phase: login.pending ? 'waitingForUser' : 'registering' };
}

/** @param {import('./host.js').HostClient} host */
async function hostStatus(host) {
  try {
    const hello = await host.request('hello', {}, { timeoutMs: 5000 });
    const status = await host.request('status', {}, { timeoutMs: 5000 });
    return { ok: true, version: hello.version, sessions: status.sessions };
  } catch (e) {
    const err = /** @type {any} */ (e);
    return { ok: false, error: { code: err.code ?? 'host_error', message: String(err.message ?? e) }, sessions: [] };
  }
}

/**
 * What the host-missing screen shows for this OS, CPU and browser; the core decides. A test can
 * claim another platform through `platformOverride` in chrome.storage.local ({os, arch}): it only
 * changes which download and command are shown, never what the extension does.
 * @param {chrome.runtime.PlatformInfo} platform
 */
async function installHint(platform) {
  const stored = /** @type {{ platformOverride?: { os?: string, arch?: string } }} */ (await chrome.storage.local.get('platformOverride').catch(() => ({})));
  const { os, arch } = { os: platform.os, arch: platform.arch, ...(stored.platformOverride ?? {}) };
  const nav = /** @type {any} */ (navigator);
  // Brave calls itself Chromium in its brands; Firefox has no brands at all.
  const brands = (nav.userAgentData?.brands ?? []).map((/** @type {{ brand: string }} */ b) => b.brand);
  if (nav.brave) brands.push('Brave');
  if (/Firefox\//.test(navigator.userAgent)) brands.push('Firefox');
  return core.installHint(os, arch, brands.join('\n'));
}

/**
 * A start URL from an open access-portal tab that is not configured yet; the core says which
 * portal a tab is and picks a session name no other portal uses.
 * @param {import('../wasm/ssobridge_wasm.js').Portal[]} portals @param {{ name: string, startUrl?: string | null }[]} sessions
 */
async function portalSuggestion(portals, sessions) {
  const tabs = await chrome.tabs.query({ url: ['https://*.awsapps.com/start*', 'https://*.awsapps.cn/start*', 'https://*.app.aws/*', 'https://*.portal.amazonaws.com/start*'] }).catch(() => []);
  const inUse = [...portals.map((p) => ({ name: p.sessionName, startUrl: p.startUrl })), ...sessions.map((s) => ({ name: s.name, startUrl: s.startUrl ?? null }))];
  for (const tab of tabs) {
    const page = tab.url ? core.portalForPage(tab.url, portals, [], []) : null;
    if (page && !page.sessionName) {
      return { startUrl: page.startUrl, region: page.region ?? null, sessionName: core.suggestSessionName(page.startUrl, inUse) };
    }
  }
  return null;
}
