// Custom portal domains: access portals (or test and private stand-ins) on hosts the manifest
// does not list. The person adds one in the options page; that page asks for the optional host
// permission (it needs the click), stores the domain in the settings and registers the portal and
// device content scripts for it at run time. The service worker registers them again when it is
// installed, updated or started, and drops them when the permission is taken away.
//
// Used from two places: the options page (addPortalDomain/removePortalDomain, in the person's
// click) and the service worker (syncContentScripts, isCustomPortal), through content.js.
import { loadSettings, saveSettings } from './settings.js';

/** @typedef {{ origin: string, region: string }} PortalDomain  origin: `https://sso.example.com`, `http://127.0.0.1:4000` or `https://*.example.com` */

const SCRIPT_ID = 'ssobridge-custom-portals';
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

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
 * `http://127.0.0.1:4000`, `*.example.com`. Returns the origin kept in the settings.
 * @param {string} input
 */
export function normalizeOrigin(input) {
  let text = String(input ?? '').trim();
  if (!text) throw new DomainError('domain_empty', 'enter a domain');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
  const m = /^(https?):\/\/(\*\.)?([^/?#]+)/i.exec(text);
  if (!m) throw new DomainError('domain_invalid', 'only http and https domains can be added');
  const scheme = m[1].toLowerCase();
  const wildcard = !!m[2];
  let url;
  try {
    url = new URL(`${scheme}://${m[3]}/`);
  } catch {
    throw new DomainError('domain_invalid', 'not a domain');
  }
  if (url.username || url.password || !url.hostname.includes('.') && url.hostname !== 'localhost') {
    throw new DomainError('domain_invalid', 'not a domain');
  }
  return `${scheme}://${wildcard ? '*.' : ''}${url.host}`;
}

/** The match pattern for an origin (ports are not part of match patterns). @param {string} origin */
export function matchPattern(origin) {
  const m = /^(https?):\/\/([^/:]+|\[[^\]]+\])(:\d+)?$/.exec(origin);
  if (!m) throw new DomainError('domain_invalid', `not an origin: ${origin}`);
  return `${m[1]}://${m[2]}/*`;
}

/**
 * The custom domain a page URL belongs to, if any.
 * @param {PortalDomain[]} domains @param {string} url
 * @returns {PortalDomain | null}
 */
export function customDomainOf(domains, url) {
  let page;
  try {
    page = new URL(url);
  } catch {
    return null;
  }
  for (const d of domains) {
    if (d.origin.includes('://*.')) {
      const [scheme, suffix] = d.origin.split('://*.');
      if (page.protocol === `${scheme}:` && page.host.endsWith(`.${suffix}`)) return d;
    } else if (page.origin === d.origin) {
      return d;
    }
  }
  return null;
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
  const r = String(region ?? '').trim();
  if (r && !REGION_RE.test(r)) throw new DomainError('region_invalid', 'is not an AWS region such as us-east-1');
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
