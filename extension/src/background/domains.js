// Custom portal domains: access portals (or test and private stand-ins) on hosts the manifest
// does not list. The person adds one in the options page; that page asks for the optional host
// permission (it needs the click), stores the domain in the settings and registers the portal and
// device content scripts for it at run time. The service worker registers them again when it is
// installed, updated or started, and drops them when the permission is taken away.
//
// Used from two places: the options page (addPortalDomain/removePortalDomain, in the person's
// click) and the service worker (syncContentScripts, isCustomPortal), through content.js.
import { loadSettings, saveSettings, coreReady } from './settings.js';
import * as core from './core.js';

// The options page calls addPortalDomain straight from a click, with no await before the
// permission prompt: start loading the core as soon as this module is.
void coreReady();

/** @typedef {{ origin: string, region: string }} PortalDomain  origin: `https://sso.example.com`, `http://127.0.0.1:4000` or `https://*.example.com` */

const SCRIPT_ID = 'ssobridge-custom-portals';
/** An error with a stable code the options page translates. */
class DomainError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * Reads what a person typed: `sso.example.com`, `https://sso.example.com/start`,
 * `http://127.0.0.1:4000`, `*.example.com`. Returns the origin kept in the settings (the core's
 * rule); the options page shows the refusal under its own code.
 * @param {string} input
 */
export function normalizeOrigin(input) {
  const text = String(input ?? '');
  if (!text.trim()) throw new DomainError('domain_empty', 'enter a domain');
  try {
    return core.normalizeOrigin(text);
  } catch (e) {
    throw new DomainError('domain_invalid', String(/** @type {any} */ (e)?.message ?? e));
  }
}

/** The match pattern for an origin (the core's rule: ports are not part of match patterns). @param {string} origin */
export function matchPattern(origin) {
  try {
    return core.matchPattern(origin);
  } catch (e) {
    throw new DomainError('domain_invalid', String(/** @type {any} */ (e)?.message ?? e));
  }
}

/** @returns {Promise<PortalDomain[]>} */
export async function loadPortalDomains() {
  const settings = await loadSettings();
  return Array.isArray(settings.portalDomains) ? settings.portalDomains : [];
}

/**
 * Registers the content scripts for every custom domain whose permission is granted (and only
 * those), replacing what was registered before.
 */
export async function syncContentScripts() {
  const domains = await loadPortalDomains();
  const patterns = [];
  for (const d of domains) {
    const pattern = matchPattern(d.origin);
    if (await chrome.permissions.contains({ origins: [pattern] }).catch(() => false)) patterns.push(pattern);
  }
  const unique = [...new Set(patterns)];
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] }).catch(() => []);
  if (existing.length > 0) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (unique.length === 0) return [];
  await chrome.scripting.registerContentScripts([
    { id: SCRIPT_ID, matches: unique, js: ['content/portal.js', 'content/device.js'], runAt: 'document_idle', persistAcrossSessions: true },
  ]);
  return unique;
}

/**
 * Adds a custom domain. Call it straight from the person's click: the permission prompt needs it.
 * @param {string} input @param {string} region the portal's IAM Identity Center region ('' = ask on the page)
 */
export async function addPortalDomain(input, region) {
  const origin = normalizeOrigin(input);
  let r = '';
  if (String(region ?? '').trim()) {
    try {
      r = core.checkRegion('domainRegion', String(region)).region;
    } catch (e) {
      throw new DomainError('region_invalid', String(/** @type {any} */ (e)?.message ?? e));
    }
  }
  const granted = await chrome.permissions.request({ origins: [matchPattern(origin)] });
  if (!granted) throw new DomainError('permission_denied', 'the browser did not grant access to this domain');
  const domains = (await loadPortalDomains()).filter((d) => d.origin !== origin);
  await saveSettings({ portalDomains: [...domains, { origin, region: r }] });
  await syncContentScripts();
  return origin;
}

/** @param {string} origin */
export async function removePortalDomain(origin) {
  const domains = await loadPortalDomains();
  await saveSettings({ portalDomains: domains.filter((d) => d.origin !== origin) });
  // Give the permission back unless another domain or the manifest still needs it.
  const pattern = matchPattern(origin);
  const stillUsed = domains.some((d) => d.origin !== origin && matchPattern(d.origin) === pattern);
  const required = chrome.runtime.getManifest().host_permissions ?? [];
  if (!stillUsed && !required.includes(pattern)) await chrome.permissions.remove({ origins: [pattern] }).catch(() => false);
  await syncContentScripts();
}

/**
 * Top-level listeners for the service worker (imported by content.js, which sw.js imports):
 * registered synchronously when the worker's modules load, so they also wake a stopped worker.
 */
export function listen() {
  const resync = () => void syncContentScripts().catch(() => {});
  chrome.runtime.onInstalled.addListener(resync);
  chrome.runtime.onStartup.addListener(resync);
  chrome.permissions.onRemoved.addListener(resync);
}
