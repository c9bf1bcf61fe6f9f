// The wasm core as the service worker uses it. Re-exports plus the few shape adaptations the
// worker needs; the logic is in ssobridge-core, never here.
import {
  deviceLoginNew, deviceLoginStep, pkceBegin, pkceComplete, refreshLogin, saveTokenParams,
  listAccountsAndRoles, nameProfiles, suggestSessionName, portalPage, checkPortal, checkSettings,
  logoutAtPortal,
} from '../wasm/ssobridge_wasm.js';

export {
  deviceLoginNew, deviceLoginStep, pkceBegin, pkceComplete, refreshLogin, saveTokenParams,
  nameProfiles, suggestSessionName, portalPage, checkPortal, checkSettings, logoutAtPortal,
};

/** @param {string} url @returns {string | null} the start URL of an access-portal page */
export function portalStartUrl(url) {
  return portalPage(url)?.startUrl ?? null;
}

/**
 * Lists every account and role of a login. Progress reports accounts finished of the total.
 * @param {import('../wasm/ssobridge_wasm.js').LoginResult} login
 * @param {(p: { done: number, total: number }) => void} onProgress
 */
export async function listAccounts(login, onProgress) {
  const listing = await listAccountsAndRoles(login.session, login.token.accessToken, (event) => {
    if (event.type === 'accountsTotal') onProgress({ done: 0, total: event.total });
    else onProgress({ done: event.done, total: event.total });
  }, null);
  const roles = listing.accounts.flatMap((a) => a.roles.map((roleName) => ({ accountId: a.accountId, accountName: a.accountName ?? a.accountId, roleName })));
  return {
    roles,
    failed: listing.failed.map((f) => ({ accountId: f.accountId, accountName: f.accountName, reason: f.message, code: f.code })),
    accountsListed: listing.accounts.length,
    accountsTotal: listing.accounts.length + listing.failed.length,
  };
}
