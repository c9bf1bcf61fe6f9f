// Device-verification guard. Runs on the device-verification pages (device.sso.REGION.amazonaws.com,
// REGION.signin.aws/platform/authorize, access portals, custom portal domains: the manifest's
// matches are generated from the core's hosts). It reads the user code the
// page shows (URL or page text) and asks the service worker whether SSO Bridge requested it; the
// worker decides (by the code, or by which tab it opened when no code is visible).
//  - Ours: a "requested by SSO Bridge" note; with the auto-confirm option on, it presses the
//    page's Confirm/Allow buttons for that code.
//  - Not ours: a prominent warning that approving gives whoever started it access to the person's
//    AWS accounts, and how to close the page. Never pressed for them.
// Everything is drawn in a shadow root. The page is not ours to break: nothing here throws into
// it, and a page that looks different from what is expected just gets no banner or no clicks.
// A classic script (content scripts cannot be modules), hence the block scope.
(() => {
  const G = /** @type {any} */ (globalThis);
  if (G.__ssobridgeDevice) return;
  G.__ssobridgeDevice = true;

  const STYLE = `
  :host { all: initial; }
  /* In the flow at the top of the page, above its body: it pushes the page down, never covers it. */
  .note, .warning {
    display: block; position: relative; z-index: 2147483647; box-sizing: border-box; margin: 0;
    font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Yu Gothic UI", Meiryo, sans-serif;
    padding: 10px 16px; box-shadow: 0 2px 8px rgba(0,0,0,.3);
  }
  .note { background: #e6f4ea; color: #0d3d1f; border-bottom: 3px solid #1e8e3e; }
  .warning { background: #b3261e; color: #fff; border-bottom: 4px solid #601410; padding: 16px 20px; font-size: 16px; }
  .warning .title { display: block; font-size: 20px; margin-bottom: 6px; }
  .warning p { margin: 6px 0; max-width: 60em; }
  .warning .close {
    font: inherit; font-weight: 600; padding: 4px 14px; border-radius: 4px; border: 2px solid #fff;
    background: #fff; color: #b3261e; cursor: pointer;
  }
  .warning .close:focus-visible { outline: 3px solid #ffd54f; outline-offset: 2px; }
  @media (prefers-color-scheme: dark) {
    .note { background: #0d3d1f; color: #e6f4ea; }
  }
  `;

  try {
    deviceGuard();
  } catch {
    // never into the page's console
  }

  function deviceGuard() {
    /** @param {string} key @param {string[]} [subs] */
    const t = (key, subs) => {
      try {
        return chrome.i18n.getMessage(key, subs) || key;
      } catch {
        return key;
      }
    };

    const CODE_RE = /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/g;
    // The emulator's stable ids first; AWS's pages by the buttons' words (English and Japanese).
    const CONFIRM_IDS = ['#confirm-code', '#allow-access'];
    const CONFIRM_TEXT = /^(confirm and continue|confirm|allow access|allow|確認して続行|確認|アクセスを許可|許可)$/i;
    const ACTION_IDS = [...CONFIRM_IDS, '#verify-code', '#deny-access'];
    const ACTION_TEXT = /^(confirm and continue|confirm|allow access|allow|next|submit|deny access|deny|確認して続行|確認|アクセスを許可|許可|次へ|拒否)$/i;
    const FINISHED_IDS = ['#device-approved', '#device-denied'];
    const MAX_CLICKS = 4;

    /** @type {HTMLElement | null} */ let hostEl = null;
    /** @type {ShadowRoot | null} */ let shadow = null;
    /** @type {{ ours: boolean, waiting: boolean, autoConfirm: boolean } | null} */ let verdict = null;
    let askedFor = '';
    let asking = false;
    let clicks = 0;
    let retried = false;
    let unanswered = 0;
    const MAX_UNANSWERED = 6;
    /** @type {WeakSet<Element>} */ const clicked = new WeakSet();

    /** @param {any} msg */
    async function ask(msg) {
      const reply = await chrome.runtime.sendMessage(msg);
      if (!reply?.ok) throw new Error(reply?.error?.code ?? 'no answer');
      return reply.result;
    }

    // Which pages are device pages is the core's rule, applied by the service worker to the
    // sender's URL (background/content.js): it answers `forbidden` anywhere else, e.g. on a
    // portal's other routes, where this script also runs. Such a URL is not asked about again.
    let notDevicePage = '';
    let askedHref = '';

    /** @param {string | null | undefined} raw */
    function cleanCode(raw) {
      const c = String(raw ?? '').trim().toUpperCase();
      return /^[A-Z0-9]{4}-?[A-Z0-9]{4}$/.test(c) && /[A-Z]/.test(c) ? c : null;
    }

    /** The user code this page shows, or null when it shows none (or more than one). */
    function findCode() {
      const fromQuery = new URLSearchParams(location.search).get('user_code');
      if (cleanCode(fromQuery)) return cleanCode(fromQuery);
      const hashQuery = location.hash.includes('?') ? new URLSearchParams(location.hash.slice(location.hash.indexOf('?') + 1)).get('user_code') : null;
      if (cleanCode(hashQuery)) return cleanCode(hashQuery);
      const shown = document.querySelector('#user-code-display');
      if (shown && cleanCode(shown.textContent)) return cleanCode(shown.textContent);
      const carried = document.querySelector('form input[name="user_code"][type="hidden"], input[name="user_code"][readonly]');
      if (carried instanceof HTMLInputElement && cleanCode(carried.value)) return cleanCode(carried.value);
      const text = document.body?.innerText ?? '';
      const found = new Set([...text.toUpperCase().matchAll(CODE_RE)].map((m) => m[1]).filter((c) => cleanCode(c)));
      return found.size === 1 ? [...found][0] : null;
    }

    /** @param {RegExp} words @param {string[]} ids @returns {HTMLElement[]} */
    function buttons(words, ids) {
      /** @type {HTMLElement[]} */ const out = [];
      for (const id of ids) {
        const b = document.querySelector(id);
        if (b instanceof HTMLElement && !out.includes(b)) out.push(b);
      }
      for (const b of document.querySelectorAll('button, input[type="submit"], [role="button"]')) {
        if (!(b instanceof HTMLElement) || out.includes(b) || (hostEl && hostEl.contains(b))) continue;
        const label = (b instanceof HTMLInputElement ? b.value : b.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (words.test(label)) out.push(b);
      }
      return out.filter((b) => !(/** @type {any} */ (b).disabled) && b.getClientRects().length > 0);
    }

    const finished = () => FINISHED_IDS.some((id) => document.querySelector(id));

    function ensureHost() {
      if (hostEl && shadow) {
        if (!hostEl.isConnected) document.documentElement.prepend(hostEl);
        return shadow;
      }
      hostEl = document.createElement('ssobridge-device');
      hostEl.id = 'ssobridge-device';
      shadow = hostEl.attachShadow({ mode: 'open' });
      const style = document.createElement('style');
      style.textContent = STYLE;
      shadow.append(style, document.createElement('div'));
      document.documentElement.prepend(hostEl);
      return shadow;
    }

    /** @param {string} tag @param {Record<string, string>} attrs @param {(Node | string)[]} children */
    function el(tag, attrs = {}, children = []) {
      const node = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      node.append(...children);
      return node;
    }

    /** @param {string | null} code */
    function render(code) {
      if (!verdict) return;
      const root = ensureHost();
      const box = /** @type {HTMLElement} */ (root.lastElementChild);
      if (verdict.ours) {
        box.replaceChildren(
          el('div', { class: 'note', 'data-kind': 'ours', role: 'status', lang: t('@@ui_locale').replace('_', '-') }, [
            el('strong', {}, [t('deviceOursTitle')]),
            ' ',
            el('span', {}, [verdict.waiting ? (verdict.autoConfirm ? t('deviceOursAuto') : t('deviceOursManual')) : t('deviceOursDone')]),
          ]),
        );
        return;
      }
      const close = el('button', { type: 'button', class: 'close', 'data-action': 'close' }, [t('deviceCloseTab')]);
      close.addEventListener('click', (ev) => {
        if (!ev.isTrusted) return;
        ask({ type: 'closeTab' }).catch(() => {});
      });
      box.replaceChildren(
        el('div', { class: 'warning', 'data-kind': 'warning', role: 'alert', lang: t('@@ui_locale').replace('_', '-') }, [
          el('strong', { class: 'title' }, [t('deviceWarnTitle')]),
          el('p', {}, [code ? t('deviceWarnCode', [code]) : t('deviceWarnNoCode')]),
          el('p', {}, [t('deviceWarnRisk')]),
          el('p', {}, [t('deviceWarnSelf')]),
          el('p', { class: 'howto' }, [t('deviceWarnClose'), ' ', close]),
        ]),
      );
    }

    function autoConfirm() {
      if (!verdict?.ours || !verdict.waiting || !verdict.autoConfirm || clicks >= MAX_CLICKS) return;
      const next = buttons(CONFIRM_TEXT, CONFIRM_IDS).find((b) => !clicked.has(b));
      if (!next) return;
      clicked.add(next);
      clicks += 1;
      next.click();
    }

    async function evaluate() {
      if (asking) return;
      if (location.href === notDevicePage || (finished() && !verdict?.ours)) {
        hostEl?.remove();
        return;
      }
      const code = findCode();
      const actionable = buttons(ACTION_TEXT, ACTION_IDS).length > 0 || !!document.querySelector('input[name="user_code"]:not([type="hidden"])');
      if (!code && !actionable && !verdict) return;
      const key = code ?? '';
      // A new URL is asked about again: the worker's answer is for a page, not for the tab.
      if (!verdict || key !== askedFor || location.href !== askedHref) {
        asking = true;
        const href = location.href;
        try {
          verdict = await ask({ type: 'deviceCode', userCode: code });
          askedFor = key;
          askedHref = href;
          unanswered = 0;
        } catch (e) {
          if (/** @type {any} */ (e)?.message !== 'forbidden') {
            // No answer: the worker (Firefox's event page) was stopped or restarted while it
            // answered. A static page changes no more, so ask again a moment later.
            if (unanswered < MAX_UNANSWERED) {
              unanswered += 1;
              setTimeout(schedule, 500 * unanswered);
            }
            throw e;
          }
          notDevicePage = href;
          verdict = null;
          hostEl?.remove();
          return;
        } finally {
          asking = false;
        }
      }
      render(code);
      autoConfirm();
      // A tab the extension has just opened may be asked about before the worker has noted its
      // id; with no code to go by, ask once more a moment later.
      if (!code && verdict && !verdict.ours && !retried) {
        retried = true;
        setTimeout(() => {
          askedFor = '\u0000';
          schedule();
        }, 1500);
      }
    }

    let timer = 0;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void evaluate().catch(() => {}), 250);
    };
    void evaluate().catch(() => {});
    // Single-page verification pages render and change in place.
    new MutationObserver((records) => {
      if (records.every((r) => hostEl && (r.target === hostEl || hostEl.contains(r.target)))) return;
      schedule();
    }).observe(document.documentElement, { childList: true, subtree: true });
    addEventListener('hashchange', schedule);
    addEventListener('popstate', schedule);
  }
})();
