// The popup is a view: it renders what the service worker reports and sends it the person's
// clicks. It keeps no state of its own that outlives it (it closes whenever it loses focus).
import { localize, t } from './i18n.js';
import { el, byId, ask, shellCommands, timeLeft } from './ui.js';
import { fillRegionList, checkRegionField, watchRegionField } from './region-field.js';

localize(document);

/** @type {any} */ let state = null;
/** @type {{ sessionName: string, roles: any[], failed: any[], done: number, total: number | null, finished: boolean } | null} */
let listing = null;
/** @type {Set<string>} */ const selected = new Set();
/** @type {{ sessionName: string, selection: any[] | null, prune: boolean, names: { accountId: string, roleName: string, name: string }[] } | null} */ let pending = null;
let os = 'linux';

/** State pushes from the worker. A stopped worker drops the port; reconnecting wakes it again. */
function connect() {
  const port = chrome.runtime.connect({ name: 'popup' });
  port.onMessage.addListener((msg) => {
    if (msg.type === 'state') {
      state = msg.state;
      render();
    } else if (msg.type === 'listing' && listing && msg.sessionName === listing.sessionName && !listing.finished) {
      listing = { ...listing, ...msg.listing };
      renderAccounts();
    }
  });
  port.onDisconnect.addListener(() => setTimeout(connect, 500));
}
connect();

function show(/** @type {string} */ view) {
  for (const id of ['home', 'login', 'accounts', 'review', 'done']) byId(id).hidden = id !== view;
}

/** Shows an error in the header's status line. @param {any} e */
function fail(e) {
  const status = byId('status');
  status.textContent = e?.code ? t(`err_${e.code}`) || e.message : String(e?.message ?? e);
  status.dataset.state = 'error';
}

function render() {
  const status = byId('status');
  status.dataset.state = state.host.ok ? 'ready' : 'error';
  status.textContent = state.host.ok ? t('hostReady', [state.host.version]) : t('hostProblem');
  byId('host-problem').hidden = state.host.ok;
  if (!state.host.ok) renderHostProblem(state.host);
  os = state.os;
  renderPortals();
  const login = state.portals.find((/** @type {any} */ p) => p.login);
  if (login) renderLogin(login);
  else if (!byId('login').hidden) show('home');
  prefillAddPortal();
}

/** The host-missing screen: the browser, the download, the one command; then a re-check every
 * few seconds until the host answers (the person runs the command while this stays open). */
function renderHostProblem(/** @type {any} */ host) {
  const hint = host.install;
  byId('host-problem-text').textContent = t(`err_${host.error.code}`) || host.error.message;
  byId('host-install-intro').textContent = hint.asset ? t('hostInstallIntro', [hint.browser]) : t('hostInstallUnsupported', [hint.browser]);
  const link = /** @type {HTMLAnchorElement} */ (byId('host-asset-link'));
  link.hidden = !hint.asset;
  link.textContent = hint.asset ?? '';
  link.href = hint.url ?? '#';
  byId('host-install-shell').textContent = hint.command ? t(hint.powershell ? 'hostInstallShellWin' : 'hostInstallShellUnix') : '';
  byId('host-install-cmd-row').hidden = !hint.command;
  byId('host-install-cmd').textContent = hint.command ?? '';
  clearTimeout(hostRecheck);
  hostRecheck = setTimeout(() => ask({ type: 'state' }).then((s) => { state = s; render(); }, () => {}), HOST_RECHECK_MS);
}
const HOST_RECHECK_MS = 2000;
/** @type {ReturnType<typeof setTimeout> | undefined} */ let hostRecheck;

function renderPortals() {
  const list = byId('portals');
  list.replaceChildren(
    ...state.portals.map((/** @type {any} */ p) => {
      const token = p.token;
      const valid = token && token.expiresAt > Date.now();
      const stateText = p.login ? t('signingIn') : valid ? t('validFor', [timeLeft(token.expiresAt - Date.now())]) : token ? t('expired') : t('signedOut');
      const actions = [
        valid
          ? button(t('refresh'), () => act({ type: 'refresh', sessionName: p.sessionName }), 'refresh')
          : button(t('signIn'), () => act({ type: 'signIn', sessionName: p.sessionName }), 'signIn'),
      ];
      if (valid) actions.push(button(t('accounts'), () => openAccounts(p.sessionName), 'accounts'));
      if (token) actions.push(button(t('logout'), () => act({ type: 'logout', sessionName: p.sessionName }), 'logout'));
      actions.push(button(t('remove'), () => confirmRemove(p.sessionName), 'remove'));
      if (p.error?.code === 'session_conflict' && token) actions.push(button(t('takeOver'), () => act({ type: 'takeOverSession', sessionName: p.sessionName }), 'takeOver'));
      return el('li', { 'data-session': p.sessionName }, [
        el('div', { class: 'portal-head' }, [
          el('span', { class: 'portal-name' }, [p.sessionName]),
          el('span', { class: 'portal-state', 'data-state': p.error ? 'error' : valid ? 'valid' : token ? 'expired' : 'none' }, [stateText]),
        ]),
        el('div', { class: 'portal-url' }, [`${p.startUrl} · ${p.region}`, p.profileRegion ? ` · ${t('portalProfileRegion', [p.profileRegion])}` : '']),
        p.error ? el('div', { class: 'field-error' }, [t(`err_${p.error.code}`) || p.error.message]) : null,
        el('div', { class: 'portal-actions' }, actions),
      ]);
    }),
  );
  if (state.portals.length === 0) byId('add-portal').setAttribute('open', '');
}

/**
 * Remove asks first: what will happen, whether the profiles go too (with the exact diff), then
 * an explicit Remove.
 * @param {string} sessionName
 */
function confirmRemove(sessionName) {
  const li = document.querySelector(`li[data-session="${CSS.escape(sessionName)}"]`);
  if (!li || li.querySelector('.confirm-remove')) return;
  const box = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: `remove-profiles-${sessionName}`, 'data-action': 'removeProfiles' }));
  const diff = el('pre', { class: 'diff', hidden: '' }, []);
  box.addEventListener('change', async () => {
    diff.hidden = !box.checked;
    if (!box.checked) return;
    try {
      const plan = await ask({ type: 'planRemovePortal', sessionName, removeProfiles: true });
      diff.textContent = plan.diff || t('noChanges');
    } catch (e) {
      fail(e);
    }
  });
  const cancel = button(t('cancel'), () => panel.remove(), 'cancelRemove');
  const panel = el('div', { class: 'confirm-remove', role: 'group' }, [
    el('p', {}, [t('removePortalConfirm', [sessionName])]),
    el('label', {}, [box, ' ', t('removeProfilesToo')]),
    diff,
    el('div', { class: 'portal-actions' }, [
      button(t('confirmRemove'), () => act({ type: 'removePortal', sessionName, removeProfiles: box.checked }), 'confirmRemove'),
      cancel,
    ]),
  ]);
  li.append(panel);
  cancel.focus();
}

/** @param {string} label @param {() => void} onClick @param {string} [action] a stable name for tests */
function button(label, onClick, action) {
  const b = el('button', action ? { type: 'button', 'data-action': action } : { type: 'button' }, [label]);
  b.addEventListener('click', onClick);
  return b;
}

/** @param {object} msg */
async function act(msg) {
  try {
    await ask(msg);
  } catch (e) {
    fail(e);
  }
}

/** @param {any} p */
function renderLogin(p) {
  show('login');
  const l = p.login;
  byId('login-title').textContent = t('signingInTo', [p.sessionName]);
  const device = l.flow === 'device' && l.userCode;
  byId('login-hint').textContent = device ? t('deviceHint') : t('pkceHint');
  byId('user-code').textContent = device ? l.userCode : '';
  byId('login-page').textContent = device ? t('devicePage', [l.verificationUri ?? '']) : '';
  byId('login-cancel').onclick = () => act({ type: 'cancelSignIn', sessionName: p.sessionName });
}

let prefilled = false;
function prefillAddPortal() {
  const s = state.suggestion;
  if (prefilled || !s) return;
  prefilled = true;
  const form = /** @type {HTMLFormElement} */ (byId('add-portal-form'));
  input(form, 'startUrl').value = s.startUrl;
  input(form, 'region').value = s.region ?? '';
  input(form, 'sessionName').value = s.sessionName ?? '';
  // An `*.app.aws` portal tab names its region: the start URL's input handler fills it in.
  input(form, 'startUrl').dispatchEvent(new Event('input'));
  byId('add-portal').setAttribute('open', '');
}

/** @param {HTMLFormElement} form @param {string} name */
const input = (form, name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

const form = /** @type {HTMLFormElement} */ (byId('add-portal-form'));
void fillRegionList(/** @type {HTMLDataListElement} */ (byId('known-regions'))).catch(() => {});
/** The warning and error slots of a region field. @param {string} field */
const regionSlots = (field) => ({
  field,
  warning: form.querySelector(`.field-warning[data-field="${field}"]`),
  error: form.querySelector(`.field-error[data-field="${field}"]`),
});
for (const field of ['region', 'profileRegion']) watchRegionField(input(form, field), regionSlots(field));

/** True while the region field holds what the start URL named (not typed by the person). */
let regionFromUrl = false;
input(form, 'region').addEventListener('input', () => {
  regionFromUrl = false;
  byId('add-portal-form').querySelector('[data-note="region"]')?.replaceChildren();
});
// An `*.app.aws` start URL names its region: fill it in as it is typed (the core does the same
// when the portal is saved with an empty region).
input(form, 'startUrl').addEventListener('input', async () => {
  const region = input(form, 'region');
  const note = form.querySelector('[data-note="region"]');
  try {
    const typed = input(form, 'startUrl').value;
    const r = await ask({ type: 'startUrlRegion', startUrl: typed });
    if (input(form, 'startUrl').value !== typed) return;
    if (r.region && (regionFromUrl || !region.value.trim())) {
      region.value = r.region;
      regionFromUrl = true;
      note?.replaceChildren(t('regionFromStartUrl'));
      await checkRegionField(region, regionSlots('region'));
    } else if (!r.region && regionFromUrl) {
      region.value = '';
      regionFromUrl = false;
      note?.replaceChildren();
    }
  } catch {}
});
input(form, 'startUrl').addEventListener('change', async () => {
  const name = input(form, 'sessionName');
  if (name.value) return;
  try {
    const r = await ask({ type: 'suggestPortal', startUrl: input(form, 'startUrl').value });
    name.value = r.sessionName ?? '';
  } catch {}
});
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  for (const small of form.querySelectorAll('.field-error')) small.textContent = '';
  // A malformed region stops here, next to its field; an unknown one only warns.
  const checks = await Promise.all(['region', 'profileRegion'].map((f) => checkRegionField(input(form, f), regionSlots(f))));
  if (checks.includes('invalid')) return;
  try {
    await ask({
      type: 'addPortal',
      startUrl: input(form, 'startUrl').value.trim(),
      region: input(form, 'region').value.trim(),
      sessionName: input(form, 'sessionName').value.trim(),
      profileRegion: input(form, 'profileRegion').value.trim() || null,
    });
    form.reset();
    regionFromUrl = false;
    for (const small of form.querySelectorAll('.field-warning, .field-note')) small.textContent = '';
    byId('add-portal').removeAttribute('open');
  } catch (e) {
    const field = /** @type {any} */ (e).field;
    const slot = field && form.querySelector(`.field-error[data-field="${field}"]`);
    if (slot) slot.textContent = /** @type {any} */ (e).message;
    else fail(e);
  }
});

/** @param {string} sessionName */
async function openAccounts(sessionName) {
  selected.clear();
  listing = { sessionName, roles: [], failed: [], done: 0, total: null, finished: false };
  byId('accounts-title').textContent = sessionName;
  /** @type {HTMLInputElement} */ (byId('prune')).checked = !!state.settings.pruneDefault;
  show('accounts');
  renderAccounts();
  try {
    listing = { ...listing, ...(await ask({ type: 'listAccounts', sessionName })) };
    renderAccounts();
  } catch (e) {
    fail(e);
  }
}

const roleKey = (/** @type {any} */ r) => `${r.accountId}/${r.roleName}`;

function renderAccounts() {
  if (!listing) return;
  const l = listing;
  byId('progress').textContent = l.finished
    ? t('listedAll', [String(l.done), String(l.roles.length)])
    : l.total == null ? t('listingStart') : t('listingProgress', [String(l.done), String(l.total)]);
  byId('failed').replaceChildren(...l.failed.map((f) => el('li', {}, [t('accountFailed', [`${f.accountName ?? ''} ${f.accountId}`, f.reason])])));
  const q = /** @type {HTMLInputElement} */ (byId('search')).value.trim().toLowerCase();
  const rows = l.roles.filter((r) => !q || `${r.accountName} ${r.accountId} ${r.roleName} ${r.profileName}`.toLowerCase().includes(q));
  byId('roles').replaceChildren(
    ...rows.map((r) => {
      const box = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', 'aria-label': `${r.accountName} ${r.roleName}` }));
      box.checked = selected.has(roleKey(r));
      box.addEventListener('change', () => {
        if (box.checked) selected.add(roleKey(r));
        else selected.delete(roleKey(r));
        /** @type {HTMLButtonElement} */ (byId('add-selected')).disabled = selected.size === 0;
      });
      return el('li', { 'data-role': roleKey(r), 'data-profile': r.profileName }, [
        box,
        el('span', { class: 'account' }, [`${r.accountName} · ${r.roleName}`]),
        el('span', { class: 'meta' }, [`${r.accountId} → `, nameInput(r), ' ', r.exists ? el('span', { class: 'exists' }, [t('exists')]) : null,
          ...(r.notes ?? []).filter((/** @type {any} */ n) => n.kind !== 'existing').map((/** @type {any} */ n) => el('span', { class: 'note', 'data-note': n.kind }, [t(`note_${n.kind}`)]))]),
      ]);
    }),
  );
  /** @type {HTMLButtonElement} */ (byId('add-selected')).disabled = selected.size === 0;
  /** @type {HTMLButtonElement} */ (byId('sync-all')).disabled = !l.finished;
}
byId('search').addEventListener('input', renderAccounts);

/** Names the person typed, by role; sent with the plan, which checks them. @type {Map<string, string>} */
const names = new Map();

/** The proposed profile name, editable before anything is written. @param {any} r */
function nameInput(r) {
  if (r.state === 'handWritten') return el('span', {}, [r.profileName]);
  const input = /** @type {HTMLInputElement} */ (el('input', { type: 'text', class: 'profile-name', 'aria-label': t('profileNameFor', [`${r.accountName} ${r.roleName}`]) || r.profileName, spellcheck: 'false' }));
  input.value = names.get(roleKey(r)) ?? r.profileName;
  input.addEventListener('change', () => {
    const v = input.value.trim();
    if (!v || v === r.profileName) names.delete(roleKey(r));
    else names.set(roleKey(r), v);
  });
  return input;
}

/** @returns {{ accountId: string, roleName: string, name: string }[]} */
function nameEdits() {
  return [...names].map(([key, name]) => {
    const at = key.indexOf('/');
    return { accountId: key.slice(0, at), roleName: key.slice(at + 1), name };
  });
}
byId('accounts-back').addEventListener('click', () => show('home'));

/** @param {any[] | null} selection null = every listed role */
async function review(selection) {
  if (!listing) return;
  const prune = /** @type {HTMLInputElement} */ (byId('prune')).checked && selection === null;
  pending = {
    sessionName: listing.sessionName,
    selection: selection && selection.map((r) => ({ accountId: r.accountId, roleName: r.roleName })),
    prune,
    names: nameEdits(),
  };
  try {
    const plan = await ask({ type: 'planProfiles', ...pending });
    byId('review-summary').textContent = t('planSummary', [String(plan.added.length), String(plan.updated.length), String(plan.removed.length), String(plan.unchanged.length)]);
    byId('diff').textContent = plan.diff || t('noChanges');
    const failed = plan.failedAccounts?.length ?? 0;
    byId('review-failed').textContent = failed ? t('reviewFailedKept', [String(failed)]) : '';
    byId('review-failed').hidden = !failed;
    show('review');
  } catch (e) {
    fail(e);
  }
}
byId('add-selected').addEventListener('click', () => review(listing ? listing.roles.filter((r) => selected.has(roleKey(r))) : []));
byId('sync-all').addEventListener('click', () => review(null));
byId('review-back').addEventListener('click', () => show('accounts'));
byId('apply').addEventListener('click', async () => {
  if (!pending) return;
  try {
    const r = await ask({ type: 'applyProfiles', ...pending });
    byId('done-summary').textContent = t('planSummary', [String(r.added.length), String(r.updated.length), String(r.removed.length), String(r.unchanged.length)]);
    byId('done-profiles').replaceChildren(...[...r.added, ...r.updated, ...r.unchanged].map((name) => profileRow(name)));
    undoToken = r.undoToken ?? null;
    byId('undo').hidden = !undoToken;
    byId('undone').hidden = true;
    if (listing) {
      const written = new Set([...r.added, ...r.updated, ...r.unchanged]);
      const removed = new Set(r.removed);
      listing.roles = listing.roles.map((x) => ({ ...x, exists: written.has(x.profileName) || (x.exists && !removed.has(x.profileName)) }));
      selected.clear();
      renderAccounts();
    }
    show('done');
  } catch (e) {
    fail(e);
  }
});
byId('done-back').addEventListener('click', () => show('accounts'));

/** The last apply's undo token: Undo restores the file while it has not changed since. @type {string | null} */
let undoToken = null;
byId('undo').addEventListener('click', async () => {
  if (!undoToken) return;
  try {
    await ask({ type: 'undo', undoToken });
    undoToken = null;
    byId('undo').hidden = true;
    byId('undone').hidden = false;
    if (listing) void openAccounts(listing.sessionName);
  } catch (e) {
    fail(e);
  }
});

/** One profile with copy buttons for the commands a person runs next. @param {string} name */
function profileRow(name) {
  const cmds = shellCommands(name, os);
  return el('li', {}, [
    el('strong', {}, [name]),
    ...cmds.map((c) => {
      const code = el('code', {}, [c]);
      const copy = button(t('copy'), () => navigator.clipboard.writeText(c));
      return el('div', { class: 'cmd' }, [code, copy]);
    }),
  ]);
}

for (const b of document.querySelectorAll('[data-copy-from]')) {
  b.addEventListener('click', () => navigator.clipboard.writeText(byId(b.getAttribute('data-copy-from') ?? '').textContent ?? ''));
}
for (const elx of document.querySelectorAll('[data-i18n-placeholder]')) {
  /** @type {HTMLInputElement} */ (elx).placeholder = t(elx.getAttribute('data-i18n-placeholder') ?? '');
}
