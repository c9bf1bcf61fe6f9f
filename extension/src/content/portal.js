// The "AWS CLI" panel on access-portal pages (*.awsapps.com, *.awsapps.cn, *.app.aws,
// *.portal.amazonaws.com and custom portal domains). The service worker decides everything: whether
// this page is a portal (from the page's URL, through the core), whether it is connected, the
// account and role list and which roles have profiles. The panel only shows it and sends clicks.
// It depends on the extension's data, not on the portal's DOM (which AWS changes without notice);
// the small buttons beside the portal's own role entries are a bonus that is left out quietly when
// the page looks different. Drawn in a shadow root so neither the portal's styles nor ours leak.
// The roots are closed: the page's scripts cannot reach our buttons (to focus one and wait for
// the person's next Enter, say). Anything that signs in or writes to ~/.aws/config also asks
// first, in the panel: a second, explicit click on Confirm, which is armed only a moment after it
// appears (no double-click carries through) and never has the focus handed to it.
// A classic script (content scripts cannot be modules), hence the function scope.
(() => {
  const G = /** @type {any} */ (globalThis);
  if (G.__ssobridgePortal) return;
  G.__ssobridgePortal = true;

  const STYLE = `
  :host { all: initial; }
  .panel {
    position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; box-sizing: border-box;
    width: 380px; max-width: calc(100vw - 32px); max-height: 70vh; display: flex; flex-direction: column;
    font: 13px/1.4 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Yu Gothic UI", Meiryo, sans-serif;
    color: #16191f; background: #fff; border: 1px solid #c6c6cd; border-radius: 8px;
    box-shadow: 0 4px 16px rgba(0,0,0,.25); overflow: hidden;
  }
  header { display: flex; align-items: center; gap: 8px; padding: 8px 10px; background: #232f3e; color: #fff; }
  header .title { font-weight: 700; flex: 1; }
  header button { background: transparent; color: #fff; border: 1px solid #8d99a8; }
  .body { padding: 8px 10px; overflow: auto; }
  .body[hidden] { display: none; }
  .muted { color: #5f6b7a; }
  .url { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
  .error { color: #b3261e; }
  .ok { color: #1e8e3e; }
  button {
    font: inherit; padding: 3px 10px; border-radius: 4px; border: 1px solid #0972d3; background: #fff;
    color: #0972d3; cursor: pointer;
  }
  button.primary { background: #0972d3; color: #fff; }
  button:disabled { opacity: .5; cursor: default; }
  button:focus-visible, input:focus-visible { outline: 2px solid #0972d3; outline-offset: 1px; }
  label { display: block; margin: 6px 0; }
  input { font: inherit; padding: 3px 6px; border: 1px solid #8d99a8; border-radius: 4px; box-sizing: border-box; width: 100%; }
  .row { display: flex; gap: 8px; align-items: center; margin: 6px 0; flex-wrap: wrap; }
  .confirm { border: 2px solid #0972d3; border-radius: 6px; padding: 8px; margin: 6px 0; background: #f2f8fd; }
  .confirm p { margin: 0 0 6px; font-weight: 600; }
  .confirm p.summary { font-weight: 400; }
  .confirm p.warning { font-weight: 400; color: #8a5300; }
  /* The exact change, readable at any length: bounded, scrolled inside, never wrapped. */
  pre.diff {
    margin: 0 0 6px; padding: 6px; max-height: min(40vh, 320px); overflow: auto; white-space: pre;
    font: 11px/1.35 ui-monospace, Menlo, Consolas, "Noto Sans Mono CJK JP", monospace;
    background: #fff; color: #16191f; border: 1px solid #c6c6cd; border-radius: 4px; tab-size: 4;
  }
  pre.diff:focus-visible { outline: 2px solid #0972d3; }
  pre.diff .add { color: #1d6b2c; background: #e9f7ec; }
  pre.diff .del { color: #a4271e; background: #fdecea; }
  pre.diff .hunk { color: #5f6b7a; }
  @media (prefers-color-scheme: dark) {
    .confirm { background: #0f1b2a; border-color: #539fe5; }
    .confirm p.warning { color: #ffcc80; }
    pre.diff { background: #0f141a; color: #e9ebed; border-color: #414d5c; }
    pre.diff .add { color: #8fe0a0; background: #12301b; }
    pre.diff .del { color: #ff9d94; background: #3a1613; }
    pre.diff .hunk { color: #a3adb8; }
  }
  ul { list-style: none; margin: 0; padding: 0; }
  li.account { margin: 8px 0 4px; }
  li.account > .name { font-weight: 600; }
  li.role { display: flex; gap: 6px; align-items: center; padding: 3px 0 3px 10px; border-top: 1px solid #e9ebed; }
  li.role .role-name { flex: 1; min-width: 0; }
  li.role .profile { display: block; font-size: 11px; color: #5f6b7a; word-break: break-all; }
  li.role .profile.exists { color: #1e8e3e; }
  @media (prefers-color-scheme: dark) {
    .panel { color: #e9ebed; background: #161d26; border-color: #414d5c; }
    .muted, li.role .profile { color: #a3adb8; }
    li.role { border-color: #2a3442; }
    button { background: #161d26; color: #539fe5; border-color: #539fe5; }
    button.primary { background: #539fe5; color: #0f141a; }
    input { background: #0f141a; color: #e9ebed; }
  }
  `;
  const BONUS_STYLE = `
  :host { all: initial; }
  button {
    font: 11px/1.2 system-ui, sans-serif; margin-left: 6px; padding: 1px 6px; border-radius: 3px;
    border: 1px solid #0972d3; background: #fff; color: #0972d3; cursor: pointer;
  }
  button[data-exists="true"] { border-color: #1e8e3e; color: #1e8e3e; cursor: default; }
  `;

  /** @param {string} key @param {string[]} [subs] */
  const t = (key, subs) => {
    try {
      return chrome.i18n.getMessage(key, subs) || key;
    } catch {
      return key;
    }
  };

  /** @param {any} msg */
  async function ask(msg) {
    const reply = await chrome.runtime.sendMessage(msg);
    if (!reply?.ok) throw Object.assign(new Error(reply?.error?.message ?? 'no answer'), { code: reply?.error?.code ?? 'no_answer' });
    return reply.result;
  }

  /** @param {any} e */
  function errorText(e) {
    const code = String(e?.code ?? '');
    let known = '';
    try {
      known = code ? chrome.i18n.getMessage(`err_${code}`) : '';
    } catch {
      // the extension was reloaded under this page
    }
    return known || String(e?.message ?? e);
  }

  /** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node | string | null)[]} [children] */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  /**
   * A button that reacts to the person only: a click synthesised by the page's own scripts
   * (isTrusted false) does nothing.
   * @param {string} label @param {() => void | Promise<void>} action @param {Record<string, string>} [attrs]
   */
  function button(label, action, attrs = {}) {
    const b = el('button', { type: 'button', ...attrs }, [label]);
    b.addEventListener('click', (ev) => {
      ev.stopPropagation();
      if (!ev.isTrusted) return;
      void Promise.resolve()
        .then(action)
        .catch((e) => {
          message = { kind: 'error', text: errorText(e) };
          render();
        });
    });
    return b;
  }

  /** Region names in the portal API calls this page made (portal.sso.REGION.amazonaws.com). */
  function regionHints() {
    try {
      const seen = new Set();
      for (const entry of performance.getEntriesByType('resource')) {
        const m = /^https:\/\/(?:portal|oidc)\.sso\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(entry.name);
        if (m) seen.add(m[1]);
      }
      return [...seen];
    } catch {
      return [];
    }
  }

  /** @typedef {{ accountId: string, accountName: string, roleName: string, profileName: string, exists: boolean }} Role */
  /** @typedef {{ name: string, accountId: string | null, roleName: string | null, managed: boolean }} Profile */

  /** @type {any} */ let view = null;
  /** @type {Role[] | null} */ let roles = null;
  /** @type {any[]} */ let failed = [];
  /** @type {Profile[]} */ let profiles = [];
  let listing = false;
  let busy = false;
  let collapsed = false;
  let filter = '';
  /** @type {{ kind: 'ok' | 'error' | 'muted', text: string } | null} */ let message = null;
  /** @type {HTMLElement | null} */ let hostEl = null;
  /** @type {ShadowRoot | null} */ let shadow = null;
  let polls = 0;
  /**
   * What a write will change, from the worker's dry run (the popup's review, same code).
   * @typedef {{ added: string[], updated: string[], removed: string[], unchanged: string[], diff: string, failedAccounts: number }} Review
   */
  /**
   * The action waiting for the person's Confirm: what it does, in words (and for writes, the
   * exact change), and the work.
   * @type {{ text: string, review?: Review, note?: string, run: () => Promise<void> } | null}
   */
  let pending = null;
  /** When Confirm may be pressed (ms since the epoch). */
  let armedAt = 0;
  const ARM_DELAY_MS = 600;

  function ensureHost() {
    if (hostEl && shadow) {
      if (!hostEl.isConnected) document.documentElement.append(hostEl);
      return shadow;
    }
    hostEl = document.createElement('ssobridge-portal');
    hostEl.id = 'ssobridge-portal';
    shadow = hostEl.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    shadow.append(style, el('section', { class: 'panel', role: 'complementary', 'aria-label': t('panelTitle') }));
    document.documentElement.append(hostEl);
    return shadow;
  }

  /** The profile that exists for a role: ours by name, or any with the same account and role. @param {Role} r */
  function profileOf(r) {
    return profiles.find((p) => p.name === r.profileName) ?? profiles.find((p) => p.accountId === r.accountId && p.roleName === r.roleName) ?? null;
  }

  async function refreshView() {
    view = await ask({ type: 'portalPage', regionHints: regionHints() });
  }

  async function loadRoles() {
    if (listing) return;
    listing = true;
    message = null;
    render();
    try {
      const [list, prof] = await Promise.allSettled([ask({ type: 'portalList' }), ask({ type: 'portalProfiles' })]);
      if (list.status === 'rejected') throw list.reason;
      roles = list.value.roles;
      failed = list.value.failed;
      // Without the host the list still shows; which roles have profiles is then unknown.
      if (prof.status === 'fulfilled') profiles = prof.value.profiles;
      else message = { kind: 'error', text: errorText(prof.reason) };
    } catch (e) {
      message = { kind: 'error', text: errorText(e) };
    } finally {
      listing = false;
      render();
    }
  }

  async function reloadProfiles() {
    profiles = (await ask({ type: 'portalProfiles' })).profiles;
  }

  /**
   * While a sign-in runs in another tab, look again now and then, until it is signed in or the
   * sign-in ended. The worker may not have recorded a just-started sign-in yet: a few looks are
   * allowed before it shows up.
   * @param {boolean} [seen] the sign-in was seen running
   */
  function pollSignIn(seen = false) {
    if (polls++ > 600) return;
    setTimeout(() => {
      refreshView()
        .then(async () => {
          render();
          if (view?.signedIn) {
            polls = 0;
            await loadRoles();
          } else if (view?.signingIn || (!seen && polls < 10)) {
            pollSignIn(seen || !!view?.signingIn);
          } else {
            polls = 0;
          }
        })
        // A refresh that failed (the worker restarting, a lost message) does not end a sign-in
        // in progress: keep polling, still within the cap, so the panel cannot stay stuck.
        .catch(() => {
          if (seen || polls < 10) pollSignIn(seen);
        });
    }, 1000);
  }

  /** @param {() => Promise<any>} work */
  async function act(work) {
    busy = true;
    message = null;
    render();
    try {
      await work();
    } catch (e) {
      message = { kind: 'error', text: errorText(e) };
    } finally {
      busy = false;
      render();
    }
  }

  /**
   * Asks before `run`: the panel shows `text` (and the review of a write) with Confirm and Cancel.
   * @param {string} text @param {() => Promise<void>} run @param {{ review?: Review, note?: string }} [extra]
   */
  function confirmFirst(text, run, extra = {}) {
    pending = { text, run, ...extra };
    armedAt = Date.now() + ARM_DELAY_MS;
    collapsed = false;
    message = null;
    render();
    // Arms only this question's Confirm: a timer left from a question cancelled a moment ago
    // must not enable the next one early (its click would then do nothing).
    const asked = pending;
    setTimeout(() => {
      if (!busy && pending === asked && Date.now() >= armedAt) shadow?.querySelector('[data-action="confirm"]')?.removeAttribute('disabled');
    }, ARM_DELAY_MS + 20);
    // Keyboard users land on Cancel: a stray Enter or Space never confirms.
    /** @type {HTMLElement | null | undefined} */ (shadow?.querySelector('[data-action="cancel"]'))?.focus();
  }

  function confirmView() {
    if (!pending) return null;
    const armed = Date.now() >= armedAt;
    const confirm = button(t('panelConfirm'), () => {
      const work = pending;
      if (!work || Date.now() < armedAt) return;
      pending = null;
      return work.run();
    }, { class: 'primary', 'data-action': 'confirm', ...(armed && !busy ? {} : { disabled: '' }) });
    const cancel = button(t('panelCancel'), () => {
      pending = null;
      render();
    }, { 'data-action': 'cancel' });
    const r = pending.review;
    return el('div', { class: 'confirm', role: 'alertdialog', 'aria-label': t('panelConfirm'), 'data-field': 'confirm' }, [
      el('p', { 'data-field': 'confirm-text' }, [pending.text]),
      pending.note ? el('p', { class: 'warning', role: 'status', 'data-field': 'review-note' }, [pending.note]) : null,
      r ? el('p', { class: 'summary', 'data-field': 'review-summary' }, [t('planSummary', [String(r.added.length), String(r.updated.length), String(r.removed.length), String(r.unchanged.length)])]) : null,
      r && r.failedAccounts > 0 ? el('p', { class: 'warning', 'data-field': 'review-failed' }, [t('reviewFailedKept', [String(r.failedAccounts)])]) : null,
      r ? diffView(r.diff) : null,
      el('div', { class: 'row' }, [cancel, confirm]),
    ]);
  }

  /** The unified diff, line by line (text nodes only: nothing in it is parsed). @param {string} diff */
  function diffView(diff) {
    const lines = diff ? diff.replace(/\n$/, '').split('\n') : [t('noChanges')];
    const kind = (/** @type {string} */ l) => (/^(\+\+\+|---) /.test(l) || l.startsWith('@@') ? 'hunk' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : '');
    return el('pre', { class: 'diff', tabindex: '0', 'aria-label': t('panelDiffLabel'), 'data-field': 'diff' },
      lines.map((l) => el('span', kind(l) ? { class: kind(l) } : {}, [`${l}\n`])));
  }

  /**
   * "Add" and "Add all": the worker's dry run first, shown with its counts and diff; Confirm
   * then applies the same selection, and only while a fresh dry run still shows the same
   * change (else the new one is shown for review).
   * @param {{ accountId: string, roleName: string }[] | null} selection null = every role
   * @param {(r: Review) => string} question
   * @param {string} [note]
   */
  async function review(selection, question, note) {
    busy = true;
    pending = null;
    message = { kind: 'muted', text: t('panelPreparing') };
    render();
    /** @type {Review} */ let r;
    try {
      r = await ask({ type: 'portalPlan', roles: selection });
    } catch (e) {
      busy = false;
      message = { kind: 'error', text: errorText(e) };
      render();
      return;
    }
    busy = false;
    message = null;
    if (!r.diff && r.removed.length + r.added.length + r.updated.length === 0) {
      message = { kind: 'ok', text: t('panelNothingToAdd') };
      render();
      return;
    }
    confirmFirst(question(r), () => apply(selection, r, question), { review: r, note });
  }

  /**
   * @param {{ accountId: string, roleName: string }[] | null} selection @param {Review} reviewed
   * @param {(r: Review) => string} question
   */
  async function apply(selection, reviewed, question) {
    let changed = false;
    await act(async () => {
      const now = /** @type {Review} */ (await ask({ type: 'portalPlan', roles: selection }));
      if (now.diff !== reviewed.diff) {
        changed = true;
        return;
      }
      const r = await ask({ type: 'portalAdd', roles: selection });
      await reloadProfiles();
      message = { kind: 'ok', text: t('panelAdded', [String(r.added.length + r.updated.length + r.unchanged.length)]) };
    });
    if (changed) await review(selection, question, t('panelReviewChanged'));
  }

  /** @param {string} name */
  async function remove(name) {
    await act(async () => {
      await ask({ type: 'portalRemove', profileName: name });
      await reloadProfiles();
      message = { kind: 'ok', text: t('panelRemoved', [name]) };
    });
  }

  function render() {
    try {
      renderPanel();
      decoratePortal();
    } catch {
      // a page that does not look as expected gets a plainer panel, never an error
    }
  }

  function renderPanel() {
    if (!view?.portal) return;
    const root = ensureHost();
    const panel = /** @type {HTMLElement} */ (root.querySelector('.panel'));
    const toggle = button(collapsed ? '+' : '−', () => {
      collapsed = !collapsed;
      render();
    }, { 'aria-expanded': String(!collapsed), 'aria-label': t(collapsed ? 'panelExpand' : 'panelCollapse'), 'data-action': 'toggle' });
    const body = el('div', { class: 'body' });
    body.hidden = collapsed;
    panel.replaceChildren(el('header', {}, [el('span', { class: 'title' }, [t('panelTitle')]), toggle]), body);
    panel.dataset.state = !view.connected ? 'not-connected' : view.signingIn ? 'signing-in' : view.signedIn ? 'signed-in' : 'signed-out';
    const parts = [];
    parts.push(el('div', { class: 'muted' }, [t('panelStartUrl'), ' ', el('span', { class: 'url', 'data-field': 'startUrl' }, [view.startUrl])]));
    if (!view.connected) {
      parts.push(el('p', { 'data-field': 'connection' }, [t('panelNotConnected')]));
      const region = /** @type {HTMLInputElement} */ (el('input', { name: 'region', autocomplete: 'off', placeholder: 'us-east-1', spellcheck: 'false' }));
      region.value = view.region ?? '';
      parts.push(el('label', {}, [t('ssoRegion'), region]));
      if (view.region) parts.push(el('div', { class: 'muted', 'data-field': 'regionFrom' }, [t(view.regionFrom === 'host' ? 'panelRegionFromHost' : view.regionFrom === 'domain' ? 'panelRegionFromDomain' : 'panelRegionFromPage')]));
      parts.push(
        el('div', { class: 'row' }, [
          button(t('panelConnect'), () => {
            const r = region.value.trim();
            confirmFirst(t('panelConfirmConnect', [view.startUrl]), () => act(async () => {
              await ask({ type: 'portalConnect', region: r, regionHints: regionHints() });
              await refreshView();
              pollSignIn();
            }));
          }, { class: 'primary', 'data-action': 'connect', ...(busy ? { disabled: '' } : {}) }),
        ]),
      );
    } else {
      parts.push(el('div', { class: 'muted' }, [t('panelSession'), ' ', el('strong', { 'data-field': 'sessionName' }, [view.sessionName]), ` · ${view.region}`]));
      if (view.hostOk === false) parts.push(el('p', { class: 'error', 'data-field': 'host' }, [t('panelHostMissing')]));
      if (view.signingIn) {
        parts.push(el('p', { 'data-field': 'connection' }, [t('panelSigningIn')]));
      } else if (!view.signedIn) {
        parts.push(el('p', { 'data-field': 'connection' }, [t('panelSignedOut')]));
        if (view.error) parts.push(el('p', { class: 'error' }, [errorText(view.error)]));
        parts.push(el('div', { class: 'row' }, [
          button(t('signIn'), () => confirmFirst(t('panelConfirmSignIn', [view.sessionName]), () => act(async () => {
            await ask({ type: 'portalSignIn' });
            await refreshView();
            pollSignIn();
          })), { class: 'primary', 'data-action': 'sign-in', ...(busy ? { disabled: '' } : {}) }),
        ]));
      } else {
        parts.push(el('p', { class: 'ok', 'data-field': 'connection' }, [t('panelSignedIn')]));
        parts.push(...rolesView());
      }
    }
    if (message) parts.push(el('p', { class: message.kind, role: 'status', 'data-field': 'message' }, [message.text]));
    const confirm = confirmView();
    if (confirm) parts.unshift(confirm);
    body.append(...parts);
  }

  function rolesView() {
    if (listing) return [el('p', { class: 'muted', 'data-field': 'listing' }, [t('panelListing')])];
    if (!roles) {
      return [el('div', { class: 'row' }, [button(t('panelList'), () => loadRoles(), { 'data-action': 'list' })])];
    }
    const search = /** @type {HTMLInputElement} */ (el('input', { type: 'search', placeholder: t('searchPlaceholder'), 'aria-label': t('searchPlaceholder'), 'data-field': 'filter' }));
    search.value = filter;
    search.addEventListener('input', () => {
      filter = search.value;
      const list = shadow?.querySelector('ul.accounts');
      list?.replaceWith(accountList());
    });
    const missing = roles.filter((r) => !profileOf(r)).length;
    return [
      el('div', { class: 'row' }, [
        el('span', { class: 'muted', 'data-field': 'counts' }, [t('panelCounts', [String(roles.length), String(roles.length - missing)])]),
        button(t('panelAddAll'), () => review(null, (r) => t('panelConfirmAddAll', [String(r.added.length)])), { 'data-action': 'add-all', ...(busy || missing === 0 ? { disabled: '' } : {}) }),
      ]),
      search,
      accountList(),
      ...failed.map((f) => el('p', { class: 'error' }, [t('panelAccountFailed', [f.accountName || f.accountId, f.message])])),
    ];
  }

  function accountList() {
    const q = filter.trim().toLowerCase();
    /** @type {Map<string, Role[]>} */ const byAccount = new Map();
    for (const r of roles ?? []) {
      if (q && !`${r.accountName} ${r.accountId} ${r.roleName} ${r.profileName}`.toLowerCase().includes(q)) continue;
      const list = byAccount.get(r.accountId) ?? [];
      list.push(r);
      byAccount.set(r.accountId, list);
    }
    return el('ul', { class: 'accounts' }, [...byAccount].map(([accountId, rs]) => el('li', { class: 'account', 'data-account-id': accountId }, [
      el('div', { class: 'name' }, [`${rs[0].accountName} `, el('span', { class: 'muted' }, [accountId])]),
      el('ul', {}, rs.map((r) => {
        const p = profileOf(r);
        const action = !p
          ? button(t('panelAddProfile'), () => askAdd(r), { 'data-action': 'add', ...(busy ? { disabled: '' } : {}) })
          : p.managed
            ? button(t('remove'), () => confirmFirst(t('panelConfirmRemove', [p.name]), () => remove(p.name)), { 'data-action': 'remove', ...(busy ? { disabled: '' } : {}) })
            : null;
        return el('li', { class: 'role', 'data-account-id': r.accountId, 'data-role-name': r.roleName, 'data-exists': String(!!p) }, [
          el('span', { class: 'role-name' }, [
            r.roleName,
            el('span', { class: p ? 'profile exists' : 'profile', 'data-field': 'profile' }, [p ? t(p.managed ? 'panelProfileExists' : 'panelProfileHandWritten', [p.name]) : `→ ${r.profileName}`]),
          ]),
          action,
        ]);
      })),
    ])));
  }

  /**
   * The bonus: a small button beside each of the portal's own role entries, found by the
   * account id and role name they carry. Entries that carry neither get none; nothing here
   * depends on the page looking a particular way.
   */
  /** Closed roots of the bonus buttons, which the page cannot reach and so neither can `shadowRoot`. */
  /** @type {WeakMap<Element, ShadowRoot>} */
  const bonusRoots = new WeakMap();

  /** @param {Role} r */
  function askAdd(r) {
    if (busy) return;
    void review([{ accountId: r.accountId, roleName: r.roleName }], () => t('panelConfirmAdd', [r.profileName]));
  }

  function decoratePortal() {
    for (const old of document.querySelectorAll('ssobridge-role')) {
      if (!roles || !view?.signedIn) old.remove();
    }
    if (!roles || !view?.signedIn) return;
    for (const node of document.querySelectorAll('[data-account-id][data-role-name]')) {
      if (!(node instanceof HTMLElement) || node.closest('ssobridge-portal')) continue;
      const r = roles.find((x) => x.accountId === node.dataset.accountId && x.roleName === node.dataset.roleName);
      const existing = /** @type {HTMLElement | null} */ (node.querySelector(':scope > ssobridge-role'));
      if (!r) {
        existing?.remove();
        continue;
      }
      const p = profileOf(r);
      const tag = existing ?? document.createElement('ssobridge-role');
      const root = bonusRoots.get(tag) ?? tag.attachShadow({ mode: 'closed' });
      bonusRoots.set(tag, root);
      const b = p
        ? el('button', { type: 'button', 'data-exists': 'true', title: p.name, disabled: '' }, [t('bonusHasProfile')])
        : button(t('bonusAddProfile'), () => askAdd(r), { title: r.profileName, 'data-exists': 'false' });
      const style = el('style', {}, [BONUS_STYLE]);
      root.replaceChildren(style, b);
      if (!existing) node.append(tag);
    }
  }

  async function start() {
    if (/^#!?\/?device/i.test(location.hash)) return; // the device guard's page
    await refreshView();
    if (!view?.portal) return;
    render();
    if (view.signingIn) pollSignIn();
    else if (view.signedIn) await loadRoles();
  }

  void start().catch(() => {});

  // Single-page portals re-render their lists: put the bonus buttons back (quietly) when they do.
  let timer = 0;
  new MutationObserver((records) => {
    if (!roles) return;
    const ours = (/** @type {Node} */ n) => n instanceof Element && (n.localName === 'ssobridge-role' || n.localName === 'ssobridge-portal');
    if (records.every((r) => [...r.addedNodes, ...r.removedNodes].every(ours))) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        decoratePortal();
      } catch {
        // quietly
      }
    }, 300);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
