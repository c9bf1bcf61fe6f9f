// The scenarios' driver (lib/driver/index.mjs) for Firefox ESR, over WebDriver BiDi: tabs are
// browsing contexts, page reads are `script.callFunction`, clicks and typing are
// `input.performActions` (trusted events at the element's place, as a person's), screenshots are
// `browsingContext.captureScreenshot`. The extension is installed with `webExtension.install`; the
// real native host is registered by its own installer in a temporary HOME that Firefox runs with.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchFirefox, GECKO_ID, MOZ_UUID } from '../firefox.mjs';
import { required } from '../chromium.mjs';
import { browserEnv, poll } from './common.mjs';

/**
 * @param {{ withHost?: boolean, env?: Record<string, string>, prefs?: Record<string, any>, extension?: { type: 'path' | 'archivePath', path: string } }} [opts]
 * @returns {Promise<import('./index.mjs').Driver & { stopBackground: () => Promise<string>, manifestWarnings: () => Promise<string[]> }>}
 */
export async function launchFirefoxDriver(opts = {}) {
  const home = mkdtempSync(join(tmpdir(), 'ssobridge-home-'));
  if (opts.withHost) {
    // No --user-data-dir: Firefox reads ~/.mozilla/native-messaging-hosts of the HOME it runs with.
    execFileSync(required('SSOBRIDGE_HOST'), ['install', '--browser', 'firefox'], { env: { ...process.env, HOME: home }, stdio: 'pipe' });
  }
  const ff = await launchFirefox({ env: browserEnv(home, opts.env), prefs: opts.prefs });
  try {
    const extensionData = opts.extension ?? { type: 'path', path: required('SSOBRIDGE_EXTENSION_DIR_FIREFOX') };
    const installed = await ff.send('webExtension.install', { extensionData });
    assert.equal(installed.extension, GECKO_ID);
    /** @type {string[]} */ const problems = [];
    await ff.send('session.subscribe', { events: ['log.entryAdded'] });
    ff.on('log.entryAdded', (e) => {
      if (e.level === 'error' && e.type === 'javascript') problems.push(`${e.source?.context ?? ''}: ${e.text}`);
    });
    const initial = (await ff.send('browsingContext.getTree', { maxDepth: 0 })).contexts[0].context;
    let initialUsed = false;
    return {
      name: 'firefox',
      home,
      problems,
      extensionUrl: (path) => `moz-extension://${MOZ_UUID}/${path}`,
      async open(url) {
        // The first tab Firefox opened is used before new ones, so no blank tab stays around.
        const context = initialUsed ? (await ff.send('browsingContext.create', { type: 'tab' })).context : initial;
        initialUsed = true;
        const tab = bidiTab(ff, context);
        await tab.goto(url);
        return tab;
      },
      async waitForTab(pattern, timeout = 30_000) {
        const context = await poll(`a tab matching ${pattern}`, timeout, async () => (await topLevel(ff)).find((c) => pattern.test(c.url))?.context).catch(async (e) => {
          throw new Error(`${e.message}; the tabs: ${(await topLevel(ff)).map((c) => c.url).join(', ')}`);
        });
        return bidiTab(ff, context);
      },
      async tabUrls() {
        return (await topLevel(ff)).map((c) => c.url);
      },
      // These two read the add-on's state in the browser's own (chrome) scope, which
      // --remote-allow-system-access opens to the test.
      /** What Firefox said while reading the manifest (keys it does not know, …). */
      manifestWarnings: async () => JSON.parse(await inChrome(ff, 'JSON.stringify(extension.warnings)')),
      /** Stops the event page as Firefox does when it idles (CDP's stopAllWorkers, for Firefox); returns its state then. */
      stopBackground: () => inChrome(ff, 'extension.terminateBackground({ disableResetIdleForTest: true }).then(() => extension.backgroundState)'),
      async close() {
        await ff.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await ff.close();
    throw e;
  }
}

/**
 * `expression` in the browser's chrome scope, with `extension` the add-on's Extension object.
 * @param {any} ff @param {string} expression @returns {Promise<string>}
 */
async function inChrome(ff, expression) {
  const context = (await ff.send('browsingContext.getTree', { maxDepth: 0, 'moz:scope': 'chrome' })).contexts[0].context;
  const r = await ff.send('script.evaluate', {
    expression: `(async (extension) => ${expression})(WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension)`,
    target: { context }, awaitPromise: true,
  });
  if (r.type === 'exception') throw new Error(`in the chrome scope: ${r.exceptionDetails?.text}`);
  return r.result.value;
}

/** @param {any} ff @returns {Promise<{ context: string, url: string }[]>} */
async function topLevel(ff) {
  return (await ff.send('browsingContext.getTree', { maxDepth: 0 })).contexts;
}

/**
 * `fn(all, ...args)` in the page; `all(sel)` lists the matches of `sel` in the root (`this`, a
 * shadow root passed by reference, or the document), where ` >> ` steps into the open shadow root
 * of what matched so far (as in Playwright). Arguments and result cross as JSON.
 * @param {any} ff @param {string} context @param {Function | string} fn @param {any[]} args @param {object} [self]
 */
async function call(ff, context, fn, args, self) {
  const functionDeclaration = `async function (json) {
    const root = this && this.nodeType ? this : document;
    const all = (sel) => sel.split(' >> ').reduce((scopes, part) => scopes.flatMap((s) => [...(s.shadowRoot ?? s).querySelectorAll(part)]), [root]);
    const value = await (${fn})(all, ...JSON.parse(json));
    return JSON.stringify(value === undefined ? null : value);
  }`;
  const r = await ff.send('script.callFunction', {
    functionDeclaration, awaitPromise: true, target: { context }, arguments: [{ type: 'string', value: JSON.stringify(args) }],
    ...(self ? { this: self } : {}),
  });
  if (r.type === 'exception') throw new Error(`in the page: ${r.exceptionDetails?.text}`);
  return JSON.parse(r.result.value);
}

/**
 * Page reads and person-like input inside one root (the document, or a closed shadow root).
 * @param {any} ff @param {string} context @param {() => Promise<object | undefined>} self
 */
function rootOps(ff, context, self) {
  /** @param {Function} fn @param {...any} args */
  const inRoot = async (fn, ...args) => call(ff, context, fn, args, await self());
  /** @param {string} sel @param {{ state?: 'attached' | 'detached' | 'visible' | 'hidden', timeout?: number }} [o] */
  const waitFor = (sel, o = {}) =>
    poll(`${sel} ${o.state ?? 'visible'}`, o.timeout ?? 15_000, async () => {
      const s = await inRoot((all, sel) => {
        const el = all(sel)[0];
        return { attached: !!el, visible: !!el && el.checkVisibility() };
      }, sel).catch(() => null);
      if (!s) return false;
      const state = o.state ?? 'visible';
      return state === 'attached' ? s.attached : state === 'detached' ? !s.attached : state === 'visible' ? s.visible : !s.visible;
    }).catch(async (e) => {
      // What the page showed instead, so a failure says more than "timed out".
      const shown = await call(ff, context, () => `${location.href}\n${document.body?.innerText.slice(0, 1500)}`, []).catch(() => '');
      throw new Error(`${e.message}; the page showed: ${shown}`);
    });
  /**
   * The centre of a visible, enabled element, scrolled into view, that stayed in place for 50 ms
   * and is what a click there hits (a banner drawn above it moves it: click where it is now).
   * @param {string} sel
   */
  const centre = (sel) =>
    poll(`${sel} clickable`, 15_000, () =>
      inRoot(async (all, sel) => {
        const el = all(sel)[0];
        if (!el || !el.checkVisibility() || el.disabled) return null;
        el.scrollIntoView({ block: 'center', inline: 'center' });
        const at = () => {
          const r = el.getBoundingClientRect();
          return { x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2) };
        };
        const before = at();
        await new Promise((r) => setTimeout(r, 50));
        const now = at();
        const hit = el.getRootNode().elementFromPoint(now.x, now.y);
        return now.x === before.x && now.y === before.y && hit && el.contains(hit) ? now : null;
      }, sel).catch(() => null));
  /** @param {string} text */
  const type = (text) =>
    ff.send('input.performActions', {
      context,
      actions: [{ type: 'key', id: 'keyboard', actions: [...text].flatMap((value) => [{ type: 'keyDown', value }, { type: 'keyUp', value }]) }],
    });
  return {
    waitFor,
    /** @param {Function} fn @param {...any} args */
    inRoot,
    /** @param {string} sel */
    async click(sel) {
      await ff.send('browsingContext.activate', { context });
      const { x, y } = await centre(sel);
      await ff.send('input.performActions', {
        context,
        actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerMove', x, y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }],
      });
      await ff.send('input.releaseActions', { context });
    },
    /**
     * Replaces the field's text with `value` and fires `input` and `change`, as Playwright's fill
     * does. Not typed key by key: Firefox opens its autocomplete list under a field with a
     * datalist, which can cover the next thing to click.
     * @param {string} sel @param {string} value
     */
    async fill(sel, value) {
      await waitFor(sel);
      await inRoot((all, sel, value) => {
        const el = all(sel)[0];
        el.focus();
        el.value = value;
        el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }, sel, value);
    },
    type,
    /** @param {string} sel @param {boolean} [on] */
    async check(sel, on = true) {
      await waitFor(sel);
      if ((await inRoot((all, sel) => all(sel)[0].checked, sel)) !== on) await this.click(sel);
      await poll(`${sel} checked=${on}`, 5000, () => inRoot((all, sel, on) => all(sel)[0].checked === on, sel, on));
    },
    /** @param {string} sel */
    text: async (sel) => {
      await waitFor(sel, { state: 'attached' });
      return inRoot((all, sel) => all(sel)[0].textContent, sel);
    },
    /** @param {string} sel */
    value: async (sel) => {
      await waitFor(sel, { state: 'attached' });
      return inRoot((all, sel) => all(sel)[0].value, sel);
    },
    /** @param {string} sel @param {string} name */
    attr: async (sel, name) => {
      await waitFor(sel, { state: 'attached' });
      return inRoot((all, sel, name) => all(sel)[0].getAttribute(name), sel, name);
    },
    /** @param {string} sel */
    count: (sel) => inRoot((all, sel) => all(sel).length, sel),
    /** @param {string} sel */
    visible: (sel) => inRoot((all, sel) => !!all(sel)[0]?.checkVisibility(), sel),
  };
}

/**
 * @param {any} ff @param {string} context
 * @returns {import('./index.mjs').Tab}
 */
function bidiTab(ff, context) {
  const ops = rootOps(ff, context, async () => undefined);
  return {
    ...ops,
    async url() {
      return (await topLevel(ff)).find((c) => c.context === context)?.url ?? '';
    },
    /** @param {string} url */
    async goto(url) {
      await ff.send('browsingContext.navigate', { context, url, wait: 'complete' });
    },
    /** The key `key` (a WebDriver key value, e.g. '\uE007' for Enter) on the focused element. @param {string} key */
    press: (key) => ops.type(key),
    /** `fn(...args)` in the page. @param {Function} fn @param {...any} args */
    evaluate: (fn, ...args) => call(ff, context, `(all, ...a) => (${fn})(...a)`, args),
    /**
     * The closed shadow root on the element with id `hostId`: WebDriver BiDi serialises every
     * shadow root of a node it returns, closed ones too (as DevTools does in Chromium); the page
     * itself still cannot reach it.
     * @param {string} hostId
     */
    async closedRoot(hostId) {
      const shadow = async () => {
        const r = await ff.send('script.callFunction', {
          functionDeclaration: 'function (id) { return document.getElementById(id); }',
          arguments: [{ type: 'string', value: hostId }], awaitPromise: false, target: { context },
          serializationOptions: { maxDomDepth: 0, includeShadowTree: 'all' },
        });
        const root = r.result?.value?.shadowRoot;
        if (!root?.sharedId) throw new Error(`#${hostId} has no shadow root yet`);
        return { sharedId: root.sharedId };
      };
      await poll(`#${hostId}'s shadow root`, 15_000, () => shadow().then(() => true, () => false));
      return shadowOps(rootOps(ff, context, shadow));
    },
    /** @param {string} name @param {{ width: number, height: number } | null} [viewport] */
    async screenshot(name, viewport = { width: 420, height: 600 }) {
      if (viewport) await ff.send('browsingContext.setViewport', { context, viewport });
      const { data } = await ff.send('browsingContext.captureScreenshot', { context, origin: 'document' });
      const dir = join(process.cwd(), 'target/screenshots');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.png`), Buffer.from(data, 'base64'));
    },
    async close() {
      await ff.send('browsingContext.close', { context }).catch(() => {});
    },
  };
}

/** The same few operations as lib/closed-shadow.mjs gives the Chromium tests. @param {ReturnType<typeof rootOps>} ops */
function shadowOps(ops) {
  return {
    waitFor: (/** @type {string} */ sel, /** @type {any} */ o = {}) => ops.waitFor(sel, { state: 'attached', ...o }),
    count: ops.count,
    text: ops.text,
    value: ops.value,
    click: ops.click,
    async confirm() {
      await ops.waitFor('[data-action="confirm"]:not([disabled])');
      await ops.click('[data-action="confirm"]');
      await ops.waitFor('[data-action="confirm"]', { state: 'detached' });
    },
  };
}
