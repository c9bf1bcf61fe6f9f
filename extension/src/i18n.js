// Fills every element that carries data-i18n with the message of that name, in the browser's
// language (chrome.i18n picks _locales/ja or _locales/en).

/** @param {ParentNode} root */
export function localize(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const key = el.getAttribute('data-i18n');
    if (key) el.textContent = chrome.i18n.getMessage(key);
  }
}

/**
 * @param {string} key
 * @param {string[]} [subs]
 */
export const t = (key, subs) => chrome.i18n.getMessage(key, subs);
