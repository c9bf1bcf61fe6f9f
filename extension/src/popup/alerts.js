// The popup's two message areas (role=alert): action errors, dismissible, above the views; and
// the listing's overall failure with Retry, above the picker's list. The header's status line
// only ever says how the native host is.
import { byId } from '../ui.js';

/** @param {string} text the person's words (i18n's errorText) */
export function showMessage(text) {
  byId('message-text').textContent = text;
  byId('message').hidden = false;
}

export function clearMessage() {
  byId('message').hidden = true;
  byId('message-text').textContent = '';
}

byId('message-close').addEventListener('click', () => {
  clearMessage();
  // Focus stays in the view rather than falling back to <body>.
  /** @type {HTMLElement | null} */ (document.querySelector('section:not([hidden]) h2[tabindex], main:not([hidden]) h2[tabindex]'))?.focus();
});

/** @type {(() => void) | null} */
let retry = null;

/** @param {string} text @param {() => void} onRetry */
export function showListingError(text, onRetry) {
  retry = onRetry;
  byId('listing-error-text').textContent = text;
  byId('listing-error').hidden = false;
  byId('listing-retry').focus();
}

export function clearListingError() {
  retry = null;
  byId('listing-error').hidden = true;
}

byId('listing-retry').addEventListener('click', () => retry?.());
