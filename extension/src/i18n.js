// Fills every element that carries data-i18n with the message of that name, in the browser's
// language (chrome.i18n picks _locales/ja or _locales/en), and turns coded errors into the
// person's words: the worker's and the core's English messages are for logs, never shown.

/** @param {Document | HTMLElement} root */
export function localize(root) {
  if (root instanceof Document) root.documentElement.lang = chrome.i18n.getUILanguage();
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const key = el.getAttribute('data-i18n');
    if (key) el.textContent = chrome.i18n.getMessage(key);
  }
  for (const el of root.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', chrome.i18n.getMessage(el.getAttribute('data-i18n-label') ?? ''));
  }
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.setAttribute('placeholder', chrome.i18n.getMessage(el.getAttribute('data-i18n-placeholder') ?? ''));
  }
}

/**
 * @param {string} key
 * @param {string[]} [subs]
 */
export const t = (key, subs) => chrome.i18n.getMessage(key, subs);

/**
 * What a person reads for a coded error: its `err_<code>` message, else a general sentence that
 * names the code (for a bug report). The build checks that every code the core, the host and the
 * worker produce has a message in every locale.
 * @param {any} e
 */
export function errorText(e) {
  const code = String(e?.code ?? 'internal');
  return t(`err_${code}`) || t('err_generic', [code]);
}

/**
 * The message next to a form field: the field's own explanation of what it expects (`field_<name>`,
 * with `.` as `_`), else the error's.
 * @param {string} field @param {any} e
 */
export function fieldErrorText(field, e) {
  if (e?.code === 'invalid_input' || e?.code === 'invalid_field') {
    const own = t(`field_${field.replace(/\W/g, '_')}`);
    if (own) return own;
  }
  return errorText(e);
}
