// Small DOM and formatting helpers shared by the extension's pages. No state.

/**
 * Creates an element with attributes and children (strings become text, null is skipped), so
 * text from the network is never parsed as HTML.
 * @param {string} tag @param {Record<string, string>} [attrs] @param {(Node | string | null)[]} [children]
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c != null) node.append(c);
  return node;
}

/** @param {string} id @returns {HTMLElement} */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node;
}

/**
 * Sends a request to the service worker and returns its result; throws its coded error (an
 * Error with `code`, and `field` for form input).
 * @param {object} msg
 */
export async function ask(msg) {
  const reply = await chrome.runtime.sendMessage(msg);
  if (!reply?.ok) throw Object.assign(new Error(reply?.error?.message ?? 'no answer'), reply?.error ?? {});
  return reply.result;
}

/**
 * The commands a person runs with a new profile: a check, and making it the default in their shell
 * (PowerShell on Windows, POSIX shells elsewhere).
 * @param {string} profile @param {string} os chrome.runtime.PlatformOs
 */
export function shellCommands(profile, os) {
  const setDefault = os === 'win' ? `$env:AWS_PROFILE = "${profile}"` : `export AWS_PROFILE=${profile}`;
  return [`aws sts get-caller-identity --profile ${profile}`, setDefault];
}

/** "3 h 05 min" / "12 min" for a duration in ms. @param {number} ms */
export function timeLeft(ms) {
  const min = Math.max(0, Math.floor(ms / 60_000));
  const h = Math.floor(min / 60);
  return h > 0 ? `${h} h ${String(min % 60).padStart(2, '0')} min` : `${min} min`;
}

/**
 * A Copy button and the place where it says "Copied" for a moment after a click (a polite live
 * region, so a screen reader hears it too).
 * @param {() => string} text what to copy, read at the click
 * @returns {[HTMLElement, HTMLElement]}
 */
export function copyButton(text) {
  const done = el('span', { class: 'copied', role: 'status' }, []);
  const b = el('button', { type: 'button', class: 'copy' }, [chrome.i18n.getMessage('copy')]);
  /** @type {ReturnType<typeof setTimeout> | undefined} */ let timer;
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      done.textContent = chrome.i18n.getMessage('copied');
    } catch {
      done.textContent = chrome.i18n.getMessage('copyFailed');
    }
    clearTimeout(timer);
    timer = setTimeout(() => (done.textContent = ''), 3000);
  });
  return [b, done];
}
