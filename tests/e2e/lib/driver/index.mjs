// One driver interface over two browsers, so a scenario (tests/e2e/scenarios/) is written once:
// Chromium through Playwright (driver/chromium.mjs), Firefox ESR through WebDriver BiDi
// (driver/firefox.mjs). Selectors are CSS; waits poll; clicks and typing are real input events.
import { launchChromiumDriver } from './chromium.mjs';
import { launchFirefoxDriver } from './firefox.mjs';

export const BROWSERS = /** @type {const} */ (['chromium', 'firefox']);

/**
 * @typedef {object} ShadowRoot  a closed shadow root, reached the way each browser's protocol allows
 * @property {(sel: string, o?: { state?: 'attached' | 'detached', timeout?: number }) => Promise<void>} waitFor
 * @property {(sel: string) => Promise<number>} count
 * @property {(sel: string) => Promise<string>} text
 * @property {(sel: string) => Promise<string>} value
 * @property {(sel: string) => Promise<void>} click
 * @property {() => Promise<void>} confirm  the panel's Confirm, once armed
 */
/**
 * @typedef {object} Tab
 * @property {() => Promise<string>} url
 * @property {(url: string) => Promise<void>} goto
 * @property {(sel: string, o?: { state?: 'attached' | 'detached' | 'visible' | 'hidden', timeout?: number }) => Promise<void>} waitFor
 * @property {(sel: string) => Promise<void>} click
 * @property {(sel: string, value: string) => Promise<void>} fill
 * @property {(key: string) => Promise<void>} press  a WebDriver key value ('\uE007' is Enter)
 * @property {(sel: string, on?: boolean) => Promise<void>} check
 * @property {(sel: string) => Promise<string>} text
 * @property {(sel: string) => Promise<string>} value
 * @property {(sel: string, name: string) => Promise<string | null>} attr
 * @property {(sel: string) => Promise<number>} count
 * @property {(sel: string) => Promise<boolean>} visible
 * @property {(fn: Function, ...args: any[]) => Promise<any>} evaluate  fn(...args) in the page; JSON in and out
 * @property {(hostId: string) => Promise<ShadowRoot>} closedRoot
 * @property {(name: string, viewport?: { width: number, height: number } | null) => Promise<void>} screenshot  to target/screenshots/NAME.png
 * @property {() => Promise<void>} close
 */
/**
 * @typedef {object} Driver
 * @property {'chromium' | 'firefox'} name
 * @property {string} home  the temporary HOME the browser and the host it starts run with
 * @property {string[]} problems  uncaught errors of the pages
 * @property {(path: string) => string} extensionUrl  e.g. extensionUrl('popup.html')
 * @property {(url: string) => Promise<Tab>} open  a new tab at url
 * @property {(pattern: RegExp, timeout?: number) => Promise<Tab>} waitForTab  a tab (opened by anyone) whose URL matches
 * @property {() => Promise<string[]>} tabUrls
 * @property {() => Promise<void>} close
 */

/**
 * @param {'chromium' | 'firefox'} name
 * @param {{ withHost?: boolean, env?: Record<string, string>, prefs?: Record<string, any> }} [opts]  prefs: Firefox only
 * @returns {Promise<Driver>}
 */
export function launchDriver(name, opts = {}) {
  return name === 'firefox' ? launchFirefoxDriver(opts) : launchChromiumDriver(opts);
}
