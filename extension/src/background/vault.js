// What must not outlive the browser session: finished logins (access and refresh tokens, client
// secrets) and logins in progress (device codes, PKCE verifiers). chrome.storage.session keeps
// them in memory only, survives a service-worker stop, and is not readable by content scripts.
// Nothing here ever goes to chrome.storage.local.

/** @typedef {{ flow: 'device', state: any, tabId?: number } | { flow: 'pkce', pending: any, tabId?: number }} LoginRecord */

/** @param {string} key @returns {Promise<Record<string, any>>} */
async function getMap(key) {
  const got = await chrome.storage.session.get(key);
  return got[key] ?? {};
}

/** @type {Promise<unknown>} */
let chain = Promise.resolve();

/**
 * Read-modify-write of one entry. Concurrent callers in the same worker are serialised so two
 * updates of different sessions never lose each other.
 * @param {string} key @param {string} name @param {(old: any) => any} update  undefined deletes
 */
function updateEntry(key, name, update) {
  const run = chain.then(async () => {
    const map = await getMap(key);
    const next = update(map[name]);
    if (next === undefined) delete map[name];
    else map[name] = next;
    await chrome.storage.session.set({ [key]: map });
    return next;
  });
  chain = run.catch(() => {});
  return run;
}

export const logins = {
  /** @returns {Promise<Record<string, LoginRecord>>} */
  all: () => getMap('logins'),
  /** @param {string} name */
  get: async (name) => (await getMap('logins'))[name],
  /** @param {string} name @param {LoginRecord | undefined} value */
  set: (name, value) => updateEntry('logins', name, () => value),
  /** @param {string} name @param {(old: LoginRecord | undefined) => LoginRecord | undefined} f */
  update: (name, f) => updateEntry('logins', name, f),
};

export const tokens = {
  /** @returns {Promise<Record<string, any>>} LoginResult per session */
  all: () => getMap('tokens'),
  /** @param {string} name */
  get: async (name) => (await getMap('tokens'))[name],
  /** @param {string} name @param {any} value */
  set: (name, value) => updateEntry('tokens', name, () => value),
};

export const registrations = {
  /** @param {string} name */
  get: async (name) => (await getMap('registrations'))[name],
  /** @param {string} name @param {any} value */
  set: (name, value) => updateEntry('registrations', name, () => value),
};

/** The last error per session, shown in the popup until the next attempt. */
export const errors = {
  all: () => getMap('errors'),
  /** @param {string} name @param {{ code: string, message: string } | undefined} value */
  set: (name, value) => updateEntry('errors', name, () => value),
};
