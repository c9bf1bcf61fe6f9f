// Keyboard focus across the popup's views: each new view gets focus on its first useful control
// or its heading (never left on <body>), and Escape goes back.

/** Where focus goes when a view appears, first match wins. @type {Record<string, string[]>} */
const TARGETS = {
  home: ['#host-problem .copy', '#portals [data-action]', '#add-portal-form input[name="startUrl"]', '#home-title'],
  login: ['#login-title'],
  accounts: ['#accounts [data-autofocus]', '#search', '#accounts-title'],
  review: ['#review-title'],
  done: ['#done-title'],
};

/** @param {string} view */
export function focusView(view) {
  for (const selector of TARGETS[view] ?? []) {
    const target = /** @type {HTMLElement | null} */ (document.querySelector(selector));
    // Only what is shown: a field inside a closed <details> cannot take focus.
    if (target && target.getClientRects().length > 0) {
      target.focus();
      return;
    }
  }
}

/** Calls `back` on Escape, unless something on the page used the key already. @param {() => void} back */
export function onEscape(back) {
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !ev.defaultPrevented) back();
  });
}
