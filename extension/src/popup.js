// The popup is a view: it renders what the service worker reports and sends it the person's
// clicks. It keeps no state of its own that outlives it (it closes whenever it loses focus).
import { localize, t, errorText, fieldErrorText } from './i18n.js';
import { el, byId, ask, shellCommands, timeLeft, copyButton } from './ui.js';
import { fillRegionList, checkRegionField, watchRegionField } from './region-field.js';
import { initPicker, openPicker, onListing, pickerApplied, pickerSession } from './popup/picker.js';
import { showMessage, clearMessage, showListingError, clearListingError } from './popup/alerts.js';
import { focusView, onEscape } from './popup/focus.js';

localize(document);

/** @type {any} */ let state = null;
/** @type {{ sessionName: string, selection: any[] | null, prune: boolean, names: { accountId: string, roleName: string, name: string }[] } | null} */ let pending = null;
let os = 'linux';

/** @type {chrome.runtime.Port | null} */ let port = null;
/** Only the popup's first connection may take it back to where it was closed. */
let resumable = true;
/** The view on screen (show() changes it). */
let current = 'home';

/** State pushes from the worker. A stopped worker drops the port; reconnecting wakes it again. */
function connect() {
  resumable = port === null;
  const early = /** @type {any} */ (globalThis).ssobridgeEarlyPort;
  /** @type {any[]} */ let arrived = [];
  if (resumable && early && !early.gone) {
    // The port early-port.js opened while the page loaded, and what came on it meanwhile.
    port = /** @type {chrome.runtime.Port} */ (early.port);
    port.onMessage.removeListener(early.keep);
    arrived = early.early;
  } else {
    port = chrome.runtime.connect({ name: 'popup' });
  }
  port.onMessage.addListener(onMessage);
  port.onDisconnect.addListener(() => setTimeout(connect, 500));
  // After this module has run to its end: the handlers use its later declarations.
  if (arrived.length) queueMicrotask(() => arrived.forEach(onMessage));
  tellView();
}

/** @param {any} msg */
function onMessage(msg) {
  if (msg.type === 'state') {
    state = msg.state;
    render();
  } else if (msg.type === 'listing') {
    onListing(msg.sessionName, msg.listing);
  } else if (msg.type === 'resume' && resumable && current === 'home') {
    // Closed on this portal's accounts view a moment ago (the worker's and core's call).
    resumable = false;
    void openAccounts(msg.sessionName, msg.pruneDefault === true, msg.listing ?? null, Array.isArray(msg.view) ? Uint32Array.from(msg.view) : null);
  }
}
connect();

/** The worker keeps which portal's accounts the popup shows, to come back to them. */
function tellView() {
  port?.postMessage({ type: 'viewing', sessionName: current === 'accounts' ? pickerSession() : null });
}

/** Shows one view; focus moves only when it changes. */
function show(/** @type {string} */ view) {
  for (const id of ['home', 'login', 'accounts', 'review', 'done']) byId(id).hidden = id !== view;
  if (view !== 'accounts') clearListingError();
  if (view === current) return;
  current = view;
  clearMessage();
  focusView(view);
  tellView();
}

/** An action failed: the person's words for it in the message area. @param {any} e */
function fail(e) {
  showMessage(errorText(e));
}

// Escape goes back one view; a sign-in in progress is only cancelled by its Cancel button.
onEscape(() => {
  const back = { review: 'review-back', accounts: 'accounts-back', done: 'done-back' }[current];
  if (back) byId(back).click();
  else if (current === 'login') byId('login-cancel').focus();
});

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
  if (!rendered) {
    rendered = true;
    focusView(current);
  }
}
/** The first state was rendered (the popup's initial focus waits for it). */
let rendered = false;

/** The host-missing screen: the browser, the download, the one command; then a re-check every
 * few seconds until the host answers (the person runs the command while this stays open). */
function renderHostProblem(/** @type {any} */ host) {
  const hint = host.install;
  byId('host-problem-text').textContent = errorText(host.error);
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
  // Each state push rebuilds the rows: the focused button gets focus back in its new row.
  const focused = document.activeElement?.closest('li[data-session]') ? document.activeElement : null;
  const refocus = focused && [focused.closest('li')?.getAttribute('data-session'), focused.getAttribute('data-action')];
  list.replaceChildren(
    ...state.portals.map((/** @type {any} */ p) => {
      const token = p.token;
      const valid = token && token.expiresAt > Date.now();
      // A session that renews itself has no end the extension knows: say so, never the hour of
      // its current access token.
      const stateText = p.login ? t('signingIn') : valid && token.refreshable ? t('signedInRenews') : valid ? t('validFor', [timeLeft(token.expiresAt - Date.now())]) : token ? t('expired') : t('signedOut');
      // After a failed sign-in the same button says Retry.
      const retry = p.error && p.error.code !== 'cancelled' && !token;
      const actions = [
        valid
          ? button(t('refresh'), () => act({ type: 'refresh', sessionName: p.sessionName }), 'refresh')
          : button(retry ? t('retry') : t('signIn'), () => act({ type: 'signIn', sessionName: p.sessionName }), 'signIn'),
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
        valid && token.refreshable ? el('div', { class: 'portal-url' }, [t('renewsHelp')]) : null,
        p.error ? el('div', { class: 'portal-error field-error' }, [errorText(p.error)]) : null,
        el('div', { class: 'portal-actions' }, actions),
      ]);
    }),
  );
  if (state.portals.length === 0) byId('add-portal').setAttribute('open', '');
  if (refocus && !list.contains(document.activeElement)) {
    const again = list.querySelector(`li[data-session="${CSS.escape(refocus[0] ?? '')}"]`);
    /** @type {HTMLElement | null | undefined} */ (again?.querySelector(`[data-action="${CSS.escape(refocus[1] ?? '')}"]`) ?? again?.querySelector('[data-action]'))?.focus();
  }
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
  // Until AWS answers, the worker's time-out bounds the wait; then the person's part.
  const waiting = l.phase === 'waitingForUser';
  byId('login-progress').textContent = !waiting ? t('loginContacting') : device ? t('loginWaitingDevice') : t('loginWaitingPkce');
  byId('login-hint').textContent = !waiting ? '' : device ? t('deviceHint') : t('pkceHint');
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
    // A name typed while the suggestion was on its way is the person's: never overwrite it.
    if (!name.value) name.value = r.sessionName ?? '';
  } catch {}
});
/** A field's error next to it, and marked on the input for screen readers. @param {string} field @param {string} text */
function setFieldError(field, text) {
  const slot = form.querySelector(`.field-error[data-field="${field}"]`);
  if (slot) slot.textContent = text;
  input(form, field)?.setAttribute('aria-invalid', String(!!text));
}
// A field's error goes as soon as the person changes the field (the region fields' own check
// speaks again once typing stops).
for (const name of ['startUrl', 'sessionName', 'region', 'profileRegion']) input(form, name).addEventListener('input', () => setFieldError(name, ''));

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  for (const small of form.querySelectorAll('.field-error')) small.textContent = '';
  // The region fields' own check (an unknown region only warns); the core then checks every field.
  await Promise.all(['region', 'profileRegion'].map((f) => checkRegionField(input(form, f), regionSlots(f))));
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
    const err = /** @type {any} */ (e);
    const fields = String(err.fields ?? err.field ?? '').split(',').filter((/** @type {string} */ f) => form.querySelector(`.field-error[data-field="${f}"]`));
    if (fields.length === 0) return fail(e);
    // A region field's own check may have spoken already (the same words as on the options page).
    for (const f of fields) if (!form.querySelector(`.field-error[data-field="${f}"]`)?.textContent) setFieldError(f, fieldErrorText(f, err));
    input(form, fields[0]).focus();
  }
});

/**
 * The accounts view of a portal, listing it again; `remembered` (a reopened popup's) is drawn
 * first, with `firstView` (the worker's core laid it out) if this page's core is not loaded yet.
 * @param {string} sessionName @param {boolean} [pruneDefault] @param {any} [remembered] @param {Uint32Array | null} [firstView]
 */
async function openAccounts(sessionName, pruneDefault = !!state?.settings.pruneDefault, remembered = null, firstView = null) {
  clearListingError();
  openPicker(sessionName, pruneDefault);
  show('accounts');
  if (remembered) onListing(sessionName, remembered, firstView);
  try {
    onListing(sessionName, await ask({ type: 'listAccounts', sessionName }));
  } catch (e) {
    showListingError(errorText(e), () => openAccounts(sessionName));
  }
}
byId('accounts-back').addEventListener('click', () => show('home'));

/** The picker's request (selection null = every listed role): plan it and show the review. @param {NonNullable<typeof pending>} request */
async function review(request) {
  pending = request;
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
initPicker({ fail, review });
byId('retry-failed').addEventListener('click', () => {
  const session = pickerSession();
  if (session) void openAccounts(session);
});
byId('review-back').addEventListener('click', () => show('accounts'));
byId('apply').addEventListener('click', async () => {
  if (!pending) return;
  try {
    const r = await ask({ type: 'applyProfiles', ...pending });
    byId('done-summary').textContent = t('planSummary', [String(r.added.length), String(r.updated.length), String(r.removed.length), String(r.unchanged.length)]);
    showDoneProfiles([...r.added, ...r.updated, ...r.unchanged]);
    undoToken = r.undoToken ?? null;
    byId('undo').hidden = !undoToken;
    byId('undone').hidden = true;
    pickerApplied(r);
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
    const session = pickerSession();
    if (session) void openAccounts(session);
  } catch (e) {
    fail(e);
  }
});

/**
 * The commands to try the written profiles: for the first one, or the one chosen in the select
 * (one pair of commands and copy buttons, however many profiles were written).
 * @param {string[]} names
 */
function showDoneProfiles(names) {
  const select = /** @type {HTMLSelectElement} */ (byId('done-profile'));
  select.replaceChildren(...names.map((n) => el('option', { value: n }, [n])));
  byId('done-pick').hidden = names.length < 2;
  byId('done-next').hidden = names.length === 0;
  const render = () => byId('done-profiles').replaceChildren(...(select.value ? [profileRow(select.value)] : []));
  select.onchange = render;
  render();
}

/** One profile with a copy button per command a person runs next. @param {string} name */
function profileRow(name) {
  return el('li', {}, [el('strong', {}, [name]), ...shellCommands(name, os).map((c) => el('div', { class: 'cmd' }, [el('code', {}, [c]), ...copyButton(() => c)]))]);
}

for (const b of document.querySelectorAll('[data-copy-from]')) {
  const from = b.getAttribute('data-copy-from') ?? '';
  b.replaceWith(...copyButton(() => byId(from).textContent ?? ''));
}

// The picker's entry points, as this page's module has them: the build bundles the picker into
// this file, so the picker a test feeds listing events to must come from here.
export { openPicker, onListing };
