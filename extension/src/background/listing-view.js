// The listing as the popup receives it: the contract between this worker (the producer,
// profiles.js) and the popup's accounts view (the consumer). The worker posts
// `{ type: 'listing', sessionName, listing: ListingView }` on the popup port whenever something
// changes (at most about 5 times a second while a listing runs), and the `listAccounts` request
// answers with the final one. Only carries data: names and states come from the core.

/**
 * @typedef {object} AccountView
 * @property {string} accountId
 * @property {string} accountName            the account id when the portal gave no name
 * @property {'pending' | 'listed' | 'failed'} state
 * @property {{ code: string, message: string }} [error]   when failed
 */

/**
 * @typedef {object} RoleView
 * @property {string} accountId
 * @property {string} accountName
 * @property {string} roleName
 * @property {string} profileName            the plan's proposed (or existing) profile name
 * @property {boolean} exists
 * @property {string} state                  the plan's ProfileState
 * @property {any[]} notes                   the plan's NameNotes
 */

/** @typedef {{ accountId: string, accountName: string | null, roleName: string }} RoleChangeView */

/**
 * @typedef {object} ListingView
 * @property {AccountView[]} accounts        in the portal's order
 * @property {RoleView[]} roles
 * @property {number} done                   accounts listed or failed so far
 * @property {number | null} total           accounts known so far; null until the first page
 * @property {boolean} finished              no listing is running for this view any more
 * @property {'remembered' | 'fresh'} source remembered: the last complete listing, shown while a fresh one runs
 * @property {boolean} [preview]             only its first accounts (a reopened popup's first paint, first-paint.js); the whole follows
 * @property {number} listedAt               ms epoch of the data (a remembered listing's age)
 * @property {{ added: RoleChangeView[], removed: RoleChangeView[] } | null} changes  since the remembered listing, once the fresh one finished
 * @property {{ accountId: string, accountName: string | null, reason: string, code: string }[]} failed  (today's popup reads this)
 */

/**
 * The roles of a plan as the picker shows them.
 * @param {any} plan the core's SyncPlan @returns {RoleView[]}
 */
export function roleViews(plan) {
  return plan.profiles.map((/** @type {any} */ p) => ({
    accountId: p.accountId,
    accountName: p.accountName ?? p.accountId,
    roleName: p.roleName,
    profileName: p.name,
    exists: p.state !== 'new',
    state: p.state,
    notes: p.notes ?? [],
  }));
}

/**
 * Accounts in order with their state, from what the listing reported so far.
 * @param {{ accountId: string, accountName?: string | null }[]} accounts
 * @param {Map<string, { code: string, message: string } | null>} finished  null: listed
 * @returns {AccountView[]}
 */
export function accountViews(accounts, finished) {
  return accounts.map((a) => {
    const error = finished.get(a.accountId);
    const view = { accountId: a.accountId, accountName: a.accountName ?? a.accountId };
    if (error === undefined) return { ...view, state: 'pending' };
    return error === null ? { ...view, state: 'listed' } : { ...view, state: 'failed', error };
  });
}

/**
 * @param {AccountView[]} accounts @returns {ListingView['failed']}
 */
export function failedViews(accounts) {
  return accounts
    .filter((a) => a.state === 'failed')
    .map((a) => ({ accountId: a.accountId, accountName: a.accountName, reason: a.error?.message ?? '', code: a.error?.code ?? '' }));
}
