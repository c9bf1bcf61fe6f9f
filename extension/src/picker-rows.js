// The listing as the picker's core sees it (ssobridge_core::picker): one row per role, and one per
// account first (an account whose roles are not listed yet still has its place), as one
// lower-cased text. Shared by the popup's picker and the worker, which lays out the popup's
// first paint with the same core before the popup has loaded its own.

/**
 * @typedef {{ accountId: string, accountName?: string, state?: string, error?: { code: string, message: string } }} Account
 * @typedef {{ accountId: string, accountName: string, roleName: string, profileName: string, exists: boolean, state?: string, notes?: any[] }} Role
 * @typedef {{ account: Account, role: Role | null }} Row
 */

/** @param {{ accounts?: Account[], roles: Role[] }} l */
export function pickerRows(l) {
  // Missing fields (an older worker): accounts come from the roles.
  const accounts = l.accounts ?? [];
  /** @type {Map<string, Account>} */
  const accountsById = new Map(accounts.map((a) => [a.accountId, a]));
  for (const r of l.roles) if (!accountsById.has(r.accountId)) accountsById.set(r.accountId, { accountId: r.accountId, accountName: r.accountName, state: 'listed' });
  /** @type {Row[]} */
  const rows = [...accounts.map((a) => ({ account: a, role: null })), ...l.roles.map((r) => ({ account: /** @type {Account} */ (accountsById.get(r.accountId)), role: r }))];
  const clean = (/** @type {string | undefined} */ s) => (s ?? '').replace(/[\t\n]/g, ' ');
  const rowsText = rows.map(({ account, role }) => [account.accountId, account.accountName ?? role?.accountName, role?.roleName, role?.profileName].map(clean).join('\t')).join('\n').toLowerCase();
  return { rows, rowsText };
}
