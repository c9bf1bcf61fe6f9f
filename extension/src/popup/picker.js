// The accounts view's picker: accounts grouped as in the access portal, a tri-state box per
// account, search, selection counts, and one Tab stop for the whole list (arrow keys inside).
//
// The listing stays here as flat rows; the wasm core decides what a query shows, how it groups
// and what the counts are (ssobridge_core::picker). The page loads the core itself: one call per
// keystroke costs well under a millisecond for 5,000 roles, where a round trip to the service
// worker would carry the rows or race its listing (numbers in the helper's report and
// `cargo xtask bench`). Only the rows in or near the scrolled window are in the DOM.
import { t, errorText } from '../i18n.js';
import { el, byId } from '../ui.js';
import { pickerRows } from '../picker-rows.js';

/** Where the core's flat view puts its numbers (ssobridge_core::picker::{header, group}). */
const H = { SHOWN: 0, SHOWN_SELECTED: 1, SELECTED: 2, OPEN: 3, GROUPS: 4, LEN: 5 };
const G = { HEAD: 0, ROLES: 1, SELECTED: 2, SHOWN: 3, SHOWN_SELECTED: 4, LEN: 5 };
/** Fixed row heights (picker.css), so the window needs no layout to place rows. */
const ACCOUNT_PX = 34;
const ROLE_PX = 56;
/** Rows drawn above and below the visible part, so a fast scroll shows no gap. */
const OVERSCAN_PX = 400;

/**
 * @typedef {{ accountId: string, accountName: string, roleName: string, profileName: string, exists: boolean, state?: string, notes?: any[] }} Role
 * @typedef {{ accountId: string, accountName?: string, state?: string, error?: { code: string, message: string } }} Account
 * @typedef {{ sessionName: string, accounts?: Account[], roles: Role[], failed?: any[], done: number, total: number | null,
 *   finished: boolean, source?: string, listedAt?: number, changes?: { added: any[], removed: any[] } | null,
 *   preview?: boolean }} Listing
 * @typedef {{ kind: 'account', key: string, g: number, pos: number, size: number } | { kind: 'role', key: string, row: number, g: number, pos: number, size: number }} Item
 * @typedef {{ fail: (e: any) => void,
 *   review: (req: { sessionName: string, selection: { accountId: string, roleName: string }[] | null, prune: boolean, names: { accountId: string, roleName: string, name: string }[] }) => void }} Hooks
 */

/** @type {Hooks} */ let hooks;
/** @type {Listing | null} */ let listing = null;
/** One entry per row the core sees: a role, or an account whose roles are not listed yet. @type {{ account: Account, role: Role | null }[]} */
let rows = [];
/** Each row's role key ('' for an account row), made once per listing. @type {string[]} */
let keys = [];
/** The rows as the core reads them, lower-cased once (the core compares lower case). */
let rowsText = '';
/** Selected roles by key: they outlive searches and listing updates. @type {Set<string>} */
const selected = new Set();
/** @type {Uint8Array} */ let mask = new Uint8Array(0);
/** Names the person typed, by role; sent with the plan, which checks them. @type {Map<string, string>} */
const names = new Map();
/** Accounts the person opened (true) or closed (false); a new query starts over. @type {Map<string, boolean>} */
const opened = new Map();
let onlySelected = false;
const NO_VIEW = new Uint32Array([0, 0, 0, 1, 0]);
/** @type {Uint32Array} */ let view = NO_VIEW;
/** The core's view that came with the listing (the worker's, for a first paint) while this page's
 * own core is loading. @type {Uint32Array | null} */
let givenView = null;
/** The whole listing, held back while a preview is on screen and this page's core is loading.
 * @type {Listing | null} */
let deferred = null;
/** @type {Item[]} */ let items = [];
/** @type {number[]} */ let tops = [];
/** The item the keyboard is on (aria-activedescendant), by key. @type {string | null} */
let active = null;
/** Drawn rows by key, reused so a toggle never replaces the element under the pointer. @type {Map<string, HTMLElement>} */
const nodes = new Map();
let nextId = 0;
/** The core's pickerView, once this page has loaded the core (`ready`). @type {typeof import('/wasm/ssobridge_wasm.js').pickerView} */
let pickerView;
let ready = false;

const list = () => byId('roles');
/** The scrolled box around the list. */
const scroller = () => byId('roles-scroll');
/** The role each drawn role row shows, to tell when a listing update changed it. @type {WeakMap<HTMLElement, Role>} */
const shows = new WeakMap();
const search = () => /** @type {HTMLInputElement} */ (byId('search'));
const roleKey = (/** @type {{ accountId: string, roleName: string }} */ r) => `${r.accountId}/${r.roleName}`;
const accountKey = (/** @type {string} */ id) => `@${id}`;

/** @param {Hooks} h */
export function initPicker(h) {
  hooks = h;
  search().setAttribute('aria-label', t('pickerSearchLabel'));
  list().setAttribute('aria-label', t('pickerListLabel'));
  // Loaded apart from this module, not imported by it: the popup's first paint (a reopened
  // popup's preview, laid out by the worker) does not wait for the core's code to arrive. By
  // its path from the root: the build bundles this module into popup.js.
  void import('/wasm/ssobridge_wasm.js').then(async (core) => {
    await core.default();
    pickerView = core.pickerView;
    ready = true;
    if (deferred) setListing(deferred);
    else refresh();
  }, hooks.fail);
  search().addEventListener('input', () => {
    opened.clear();
    onlySelected = false;
    active = null;
    refresh();
  });
  search().addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && items.length) {
      ev.preventDefault();
      list().focus();
    }
  });
  const ul = list();
  ul.addEventListener('keydown', onKey);
  ul.addEventListener('click', onClick);
  // A press on a row focuses the list, never the row's box: the list stays the one focus, and no
  // row is redrawn between the press and its click.
  ul.addEventListener('mousedown', (ev) => {
    if (/** @type {HTMLElement} */ (ev.target).closest('input.profile-name')) return;
    ev.preventDefault();
    ul.focus({ preventScroll: true });
  });
  // Focus keeps the scroll position: a click focuses the list before it lands on its row.
  ul.addEventListener('focus', () => {
    if (!active || !items.some((i) => i.key === active)) active = items[0]?.key ?? null;
    draw();
  });
  let drawing = false;
  scroller().addEventListener('scroll', () => {
    if (drawing) return;
    drawing = true;
    requestAnimationFrame(() => {
      drawing = false;
      draw();
    });
  });
  byId('select-matching').addEventListener('click', selectMatching);
  byId('show-selected').addEventListener('click', () => {
    onlySelected = !onlySelected;
    if (onlySelected) search().value = '';
    opened.clear();
    active = null;
    refresh();
  });
  byId('add-selected').addEventListener('click', addSelected);
  byId('sync-all').addEventListener('click', () => review(null));
}

/** Opens the picker on a portal, with the remembered listing if the worker sends one. @param {string} sessionName @param {boolean} prune */
export function openPicker(sessionName, prune) {
  selected.clear();
  names.clear();
  opened.clear();
  onlySelected = false;
  active = null;
  search().value = '';
  byId('hidden-confirm').hidden = true;
  setListing({ sessionName, roles: [], done: 0, total: null, finished: false });
  byId('accounts-title').textContent = sessionName;
  /** @type {HTMLInputElement} */ (byId('prune')).checked = prune;
}

/**
 * A listing event (or the final reply) for `sessionName`; `firstView`, the core's view of it
 * when the worker laid it out (a reopened popup's first paint).
 * @param {string} sessionName @param {Partial<Listing>} update @param {Uint32Array | null} [firstView]
 */
export function onListing(sessionName, update, firstView = null) {
  const last = deferred ?? listing;
  if (!last || sessionName !== last.sessionName) return;
  // A late progress event of the same listing never takes back a finished one.
  if (last.finished && !update.finished && (update.source ?? 'fresh') === (last.source ?? 'fresh')) return;
  setListing({ ...last, ...update, preview: update.preview === true }, firstView);
}

/** The session the picker shows, if any. */
export const pickerSession = () => listing?.sessionName ?? null;

/** After an apply: the written profiles exist now, and the selection is done with. @param {{ added: string[], updated: string[], unchanged: string[], removed: string[] }} r */
export function pickerApplied(r) {
  if (!listing) return;
  const written = new Set([...r.added, ...r.updated, ...r.unchanged]);
  const removed = new Set(r.removed);
  const roles = listing.roles.map((x) => ({ ...x, exists: written.has(x.profileName) || (x.exists && !removed.has(x.profileName)) }));
  selected.clear();
  setListing({ ...listing, roles });
}

/** @param {Listing} l @param {Uint32Array | null} [firstView] */
function setListing(l, firstView = null) {
  // A preview's view does not fit the whole listing's rows: until this page's core can lay the
  // whole one out, the preview stays on screen rather than an empty list.
  if (!ready && !firstView && listing?.preview && l.sessionName === listing.sessionName) {
    deferred = l;
    return;
  }
  deferred = null;
  givenView = firstView;
  listing = l;
  ({ rows, rowsText } = pickerRows(l));
  keys = rows.map((r) => (r.role ? roleKey(r.role) : ''));
  // Missing (an older worker): the listing is fresh.
  byId('accounts').dataset.source = l.source ?? 'fresh';
  // Only the first accounts so far (the tests and the bench tell the first paint by it).
  byId('accounts').toggleAttribute('data-preview', l.preview === true);
  renderStatus();
  refresh();
}

/** Progress, the age of a remembered listing, what changed, and the accounts that failed. */
function renderStatus() {
  const l = /** @type {Listing} */ (listing);
  const roles = l.roles.length;
  const progress = l.finished
    ? t('listedAll', [String(l.done), String(roles)])
    : l.total == null ? t('listingStart') : t('listingProgress', [String(l.done), String(l.total)]);
  const age = l.source === 'remembered' && l.listedAt ? ` · ${t('pickerListedAgo', [ago(Date.now() - l.listedAt)])}` : '';
  byId('progress').textContent = progress + age;
  // Why an account failed, in the person's words: the error's code, never AWS's message.
  const failed = l.failed ?? (l.accounts ?? []).filter((a) => a.state === 'failed').map((a) => ({ accountId: a.accountId, accountName: a.accountName, code: a.error?.code }));
  byId('failed').replaceChildren(...failed.map((/** @type {any} */ f) => el('li', {}, [t('accountFailed', [`${f.accountName ?? ''} ${f.accountId}`, errorText(f)])])));
  // Accounts that failed get another try by listing again (the listing shown meanwhile stays).
  byId('retry-failed').hidden = !failed.length || !l.finished;
  const changes = byId('changes');
  changes.hidden = !l.changes || (!l.changes.added.length && !l.changes.removed.length);
  if (l.changes && !changes.hidden) {
    const line = (/** @type {any} */ r) => el('li', {}, [`${r.accountName ?? r.accountId} · ${r.roleName}`]);
    changes.replaceChildren(
      el('summary', {}, [t('pickerChanges', [String(l.changes.added.length), String(l.changes.removed.length)])]),
      el('ul', { 'aria-label': t('pickerAdded') }, l.changes.added.map((r) => line(r))),
      el('ul', { 'aria-label': t('pickerRemoved'), class: 'removed' }, l.changes.removed.map((r) => line(r))),
    );
  }
  /** @type {HTMLButtonElement} */ (byId('sync-all')).disabled = !l.finished;
}

/** "5 min" / "3 h" / "2 d" for an age in ms. @param {number} ms */
function ago(ms) {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return t('pickerMinutes', [String(min)]);
  const h = Math.round(min / 60);
  return h < 48 ? t('pickerHours', [String(h)]) : t('pickerDays', [String(Math.round(h / 24))]);
}

/** Asks the core for the view, then lays out the items and draws the window. */
function refresh() {
  if (mask.length !== rows.length) mask = new Uint8Array(rows.length);
  for (let i = 0; i < keys.length; i++) mask[i] = keys[i] && selected.has(keys[i]) ? 1 : 0;
  if (ready) view = pickerView(rowsText, search().value.toLowerCase(), mask, onlySelected);
  else view = givenView ?? NO_VIEW;
  layout();
  renderCounts();
  draw();
}

/** The items in order (accounts, and the shown roles of open ones) and where each starts. */
function layout() {
  items = [];
  tops = [];
  let y = 0;
  const openByDefault = view[H.OPEN] === 1;
  for (let at = H.LEN, g = 0; g < view[H.GROUPS]; g++) {
    const account = rows[view[at + G.HEAD]].account;
    const key = accountKey(account.accountId);
    items.push({ kind: 'account', key, g: at, pos: g + 1, size: view[H.GROUPS] });
    tops.push(y);
    y += ACCOUNT_PX;
    const n = view[at + G.SHOWN];
    if (opened.get(key) ?? openByDefault) {
      for (let k = 0; k < n; k++) {
        const row = view[at + G.LEN + k];
        items.push({ kind: 'role', key: keys[row], row, g: at, pos: k + 1, size: n });
        tops.push(y);
        y += ROLE_PX;
      }
    }
    at += G.LEN + n;
  }
  tops.push(y);
}

function renderCounts() {
  const query = search().value.trim();
  const shown = view[H.SHOWN];
  const total = view[H.SELECTED];
  const hidden = total - view[H.SHOWN_SELECTED];
  const result = byId('search-result');
  result.textContent = query ? (view[H.GROUPS] === 0 ? t('pickerNoMatch', [query]) : t('pickerMatches', [String(shown), String(view[H.GROUPS])])) : '';
  result.dataset.state = query && view[H.GROUPS] === 0 ? 'empty' : 'ok';
  const matching = /** @type {HTMLButtonElement} */ (byId('select-matching'));
  matching.hidden = !query || shown === 0;
  matching.textContent = view[H.SHOWN_SELECTED] === shown ? t('pickerClearMatching', [String(shown)]) : t('pickerSelectMatching', [String(shown)]);
  byId('selection-count').textContent = onlySelected
    ? t('pickerShowingSelected', [String(total)])
    : hidden > 0 ? t('pickerSelectedHidden', [String(total), String(hidden)]) : t('pickerSelected', [String(total)]);
  const reveal = byId('show-selected');
  reveal.hidden = !onlySelected && hidden === 0;
  reveal.textContent = onlySelected ? t('pickerShowAll') : t('pickerShowHidden');
  /** @type {HTMLButtonElement} */ (byId('add-selected')).disabled = total === 0;
  byId('hidden-confirm').hidden = true;
}

/** Draws the items that are in or near the visible part of the list. */
function draw() {
  const ul = list();
  const box = scroller();
  const height = box.clientHeight || 400;
  const from = Math.max(0, box.scrollTop - OVERSCAN_PX);
  const to = box.scrollTop + height + OVERSCAN_PX;
  let first = 0;
  while (first < items.length && tops[first + 1] <= from) first++;
  let last = first;
  while (last < items.length && tops[last] < to) last++;
  const keep = items.slice(first, last).map((item, i) => node(item, first + i));
  ul.style.paddingTop = `${tops[first] ?? 0}px`;
  ul.style.paddingBottom = `${(tops[items.length] ?? 0) - (tops[last] ?? 0)}px`;
  const focused = document.activeElement;
  if (keep.length !== ul.children.length || keep.some((n, i) => ul.children[i] !== n)) ul.replaceChildren(...keep);
  if (focused instanceof HTMLElement && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
  for (const [key, n] of nodes) if (!n.isConnected) nodes.delete(key);
  const current = active ? nodes.get(active) : null;
  if (current) ul.setAttribute('aria-activedescendant', current.id);
  else ul.removeAttribute('aria-activedescendant');
  byId('picker-empty').hidden = !listing?.finished || listing.roles.length > 0;
}

/** The element of one item, made or brought up to date. @param {Item} item @param {number} index */
function node(item, index) {
  let n = nodes.get(item.key);
  const g = item.g;
  if (item.kind === 'account') {
    const account = rows[view[g + G.HEAD]].account;
    if (!n || n.dataset.kind !== 'account') {
      n = el('li', { id: `pick-${nextId++}`, role: 'treeitem', 'aria-level': '1', class: 'pick-account', 'data-kind': 'account', 'data-account': account.accountId }, []);
      nodes.set(item.key, n);
    }
    const roles = view[g + G.ROLES];
    const shown = view[g + G.SHOWN];
    const sel = view[g + G.SHOWN_SELECTED];
    const open = items[index + 1]?.kind === 'role' && items[index + 1].g === g;
    const checked = shown > 0 && sel === shown ? 'true' : sel > 0 ? 'mixed' : 'false';
    const state = account.state ?? 'listed';
    const sig = [account.accountName, state, roles, shown, sel, open, view[g + G.SELECTED]].join('|');
    if (n.dataset.sig !== sig) {
      n.dataset.sig = sig;
      n.dataset.state = state;
      n.setAttribute('aria-expanded', String(open));
      n.setAttribute('aria-checked', checked);
      const box = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', tabindex: '-1', 'aria-hidden': 'true', 'data-action': 'account' }));
      box.checked = checked === 'true';
      box.indeterminate = checked === 'mixed';
      box.disabled = shown === 0;
      const count = state === 'pending' ? t('pickerLoadingRoles') : state === 'failed' ? t('pickerAccountFailed') : t('pickerAccountCount', [String(view[g + G.SELECTED]), String(roles)]);
      n.replaceChildren(
        el('span', { class: 'chevron', 'aria-hidden': 'true' }, []),
        box,
        el('span', { class: 'name' }, [account.accountName ?? account.accountId]),
        el('span', { class: 'id' }, [account.accountId]),
        el('span', { class: 'count' }, [count]),
      );
    }
  } else {
    const role = /** @type {Role} */ (rows[item.row].role);
    if (!n || n.dataset.kind !== 'role' || shows.get(n) !== role) {
      const editing = !!n && n.querySelector('input.profile-name') === document.activeElement;
      if (!n || !editing) {
        n = roleNode(role, n);
        nodes.set(item.key, n);
      }
    }
    const on = selected.has(item.key);
    n.setAttribute('aria-checked', String(on));
    /** @type {HTMLInputElement} */ (n.querySelector('input[type="checkbox"]')).checked = on;
  }
  n.classList.toggle('active', item.key === active);
  n.setAttribute('aria-setsize', String(item.size));
  n.setAttribute('aria-posinset', String(item.pos));
  return n;
}

/** The keys of the roles shown in the group at `g` (every group's when `g` is null). @param {number | null} g */
function shownKeys(g) {
  /** @type {string[]} */ const shown = [];
  for (let at = g ?? H.LEN, i = 0; g == null ? i < view[H.GROUPS] : i < 1; i++) {
    const n = view[at + G.SHOWN];
    for (const row of view.subarray(at + G.LEN, at + G.LEN + n)) shown.push(keys[row]);
    at += G.LEN + n;
  }
  return shown;
}

/** One role row: box, role, notes, and its profile name (editable). @param {Role} r @param {HTMLElement | undefined} old */
function roleNode(r, old) {
  const box = el('input', { type: 'checkbox', tabindex: '-1', 'aria-hidden': 'true', 'data-action': 'role' });
  const notes = (r.notes ?? []).filter((n) => n.kind !== 'existing').map((n) => el('span', { class: 'note', 'data-note': n.kind, title: t(`note_${n.kind}`) }, [t(`note_${n.kind}`)]));
  const n = el('li', { id: old?.id ?? `pick-${nextId++}`, role: 'treeitem', 'aria-level': '2', class: 'pick-role', 'data-kind': 'role', 'data-role': roleKey(r), 'data-profile': r.profileName }, [
    el('div', { class: 'line' }, [box, el('span', { class: 'role-name' }, [r.roleName]), r.exists ? el('span', { class: 'exists' }, [t('exists')]) : null, ...notes]),
    el('div', { class: 'line meta' }, ['→ ', nameInput(r)]),
  ]);
  shows.set(n, r);
  return n;
}

/** The proposed profile name, editable before anything is written. @param {Role} r */
function nameInput(r) {
  if (r.state === 'handWritten') return el('span', {}, [r.profileName]);
  const input = /** @type {HTMLInputElement} */ (el('input', { type: 'text', tabindex: '-1', class: 'profile-name', 'aria-label': t('profileNameFor', [`${r.accountName} ${r.roleName}`]) || r.profileName, spellcheck: 'false' }));
  input.value = names.get(roleKey(r)) ?? r.profileName;
  input.addEventListener('change', () => {
    const v = input.value.trim();
    if (!v || v === r.profileName) names.delete(roleKey(r));
    else names.set(roleKey(r), v);
  });
  // Keys typed into the name are the name's: Enter or Escape go back to the list.
  input.addEventListener('keydown', (ev) => {
    ev.stopPropagation();
    if (ev.key === 'Enter' || ev.key === 'Escape') {
      ev.preventDefault();
      input.dispatchEvent(new Event('change'));
      list().focus({ preventScroll: true });
    }
  });
  return input;
}

/** @param {MouseEvent} ev */
function onClick(ev) {
  const target = /** @type {HTMLElement} */ (ev.target);
  if (target.closest('input.profile-name')) return;
  const li = /** @type {HTMLElement | null} */ (target.closest('li[data-kind]'));
  if (!li) return;
  const key = li.dataset.kind === 'account' ? accountKey(li.dataset.account ?? '') : li.dataset.role ?? '';
  active = key;
  if (li.dataset.kind === 'account' && !target.closest('[data-action="account"]')) expand(key, null);
  else toggle(key);
}

/** @param {KeyboardEvent} ev */
function onKey(ev) {
  if (ev.target !== list() || !items.length) return;
  const at = Math.max(0, items.findIndex((i) => i.key === active));
  const item = items[at];
  /** @type {number | null} */ let to = null;
  switch (ev.key) {
    case 'ArrowDown': to = Math.min(items.length - 1, at + 1); break;
    case 'ArrowUp': to = Math.max(0, at - 1); break;
    case 'Home': to = 0; break;
    case 'End': to = items.length - 1; break;
    case 'PageDown': to = Math.min(items.length - 1, at + 8); break;
    case 'PageUp': to = Math.max(0, at - 8); break;
    case 'ArrowRight':
      if (item.kind === 'account' && items[at + 1]?.g !== item.g) expand(item.key, true);
      else if (item.kind === 'account') to = at + 1;
      break;
    case 'ArrowLeft':
      if (item.kind === 'role') to = items.findIndex((i) => i.g === item.g);
      else expand(item.key, false);
      break;
    case ' ':
      toggle(item.key);
      break;
    case 'Enter':
      if (item.kind === 'account') expand(item.key, null);
      else /** @type {HTMLInputElement | null} */ (nodes.get(item.key)?.querySelector('input.profile-name'))?.focus();
      break;
    default:
      return;
  }
  ev.preventDefault();
  if (to != null) moveTo(items[to].key);
}

/** Makes `key` the active item and scrolls it into the window. @param {string | null} key */
function moveTo(key) {
  active = key;
  const i = items.findIndex((x) => x.key === key);
  const box = scroller();
  if (i >= 0) {
    const height = box.clientHeight || 400;
    const h = tops[i + 1] - tops[i];
    if (tops[i] < box.scrollTop) box.scrollTop = tops[i];
    else if (tops[i] + h > box.scrollTop + height) box.scrollTop = tops[i] + h - height;
  }
  for (const [k, n] of nodes) n.classList.toggle('active', k === key);
  draw();
}

/** Opens (true), closes (false) or flips (null) an account. @param {string} key @param {boolean | null} open */
function expand(key, open) {
  const i = items.findIndex((x) => x.key === key);
  const isOpen = items[i + 1]?.kind === 'role' && items[i + 1].g === items[i].g;
  opened.set(key, open ?? !isOpen);
  active = key;
  layout();
  draw();
}

/** Space or a click: one role, or all shown roles of an account (all on unless all are on). @param {string} key */
function toggle(key) {
  const item = items.find((x) => x.key === key);
  if (!item) return;
  if (item.kind === 'role') {
    if (selected.has(key)) selected.delete(key);
    else selected.add(key);
  } else {
    const all = view[item.g + G.SHOWN_SELECTED] === view[item.g + G.SHOWN];
    for (const k of shownKeys(item.g)) all ? selected.delete(k) : selected.add(k);
  }
  refresh();
}

/** Every role the search shows, on (or off when all of them are on already). */
function selectMatching() {
  const all = view[H.SHOWN_SELECTED] === view[H.SHOWN];
  for (const k of shownKeys(null)) all ? selected.delete(k) : selected.add(k);
  refresh();
}

/** Roles picked but hidden by the search are applied only when the person says so. */
function addSelected() {
  if (!listing) return;
  const picked = listing.roles.filter((r) => selected.has(roleKey(r)));
  const hidden = view[H.SELECTED] - view[H.SHOWN_SELECTED];
  if (hidden === 0 || onlySelected) return review(picked);
  const visible = new Set(shownKeys(null));
  const shown = picked.filter((r) => visible.has(roleKey(r)));
  const hiddenRoles = picked.filter((r) => !visible.has(roleKey(r)));
  const box = byId('hidden-confirm');
  const all = el('button', { type: 'button', 'data-action': 'addAllSelected' }, [t('pickerAddAll', [String(picked.length)])]);
  all.addEventListener('click', () => review(picked));
  const only = el('button', { type: 'button', 'data-action': 'addShownSelected' }, [t('pickerAddShown', [String(shown.length)])]);
  only.addEventListener('click', () => review(shown));
  /** @type {HTMLButtonElement} */ (only).disabled = shown.length === 0;
  box.replaceChildren(
    el('p', {}, [t('pickerHiddenAsk', [String(hiddenRoles.length)])]),
    el('ul', {}, hiddenRoles.map((r) => el('li', {}, [`${r.accountName} · ${r.roleName} → ${names.get(roleKey(r)) ?? r.profileName}`]))),
    el('div', { class: 'row' }, [all, only]),
  );
  box.hidden = false;
  all.focus();
}

/** @param {Role[] | null} selection null = every listed role */
function review(selection) {
  if (!listing) return;
  byId('hidden-confirm').hidden = true;
  const prune = /** @type {HTMLInputElement} */ (byId('prune')).checked && selection === null;
  hooks.review({
    sessionName: listing.sessionName,
    selection: selection && selection.map((r) => ({ accountId: r.accountId, roleName: r.roleName })),
    prune,
    names: [...names].map(([key, name]) => {
      const at = key.indexOf('/');
      return { accountId: key.slice(0, at), roleName: key.slice(at + 1), name };
    }),
  });
}
