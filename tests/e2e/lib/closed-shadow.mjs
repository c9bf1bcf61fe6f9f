// Reaches into the extension's closed shadow roots (the portal panel) from the test, through the
// DevTools protocol, which sees every root; the page itself still cannot. Clicks are real mouse
// clicks at the element's place on screen (trusted events, as a person's), never `el.click()`.
import assert from 'node:assert/strict';

/**
 * @param {import('playwright-core').Page} page
 * @param {string} hostId  the id of the element that carries the closed root
 */
export async function closedRoot(page, hostId) {
  const cdp = await page.context().newCDPSession(page);

  /** Node ids of the matches inside the host's shadow root (fresh tree each time). @param {string} selector */
  async function query(selector) {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const host = find(root, (n) => n.attributes && attr(n, 'id') === hostId);
    const shadow = host?.shadowRoots?.[0];
    if (!shadow) return [];
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: shadow.nodeId, selector });
    return nodeIds;
  }

  /** @param {number} nodeId @param {string} fn */
  async function call(nodeId, fn) {
    const { object } = await cdp.send('DOM.resolveNode', { nodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: fn, returnByValue: true });
    return result.value;
  }

  /** @param {string} selector @param {{ timeout?: number, state?: 'attached' | 'detached' }} [opts] */
  async function waitFor(selector, opts = {}) {
    const until = Date.now() + (opts.timeout ?? 15_000);
    for (;;) {
      const n = (await query(selector)).length;
      if (opts.state === 'detached' ? n === 0 : n > 0) return;
      assert.ok(Date.now() < until, `${hostId} ${selector}: not ${opts.state ?? 'attached'} in time`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Runs `use` on the first match. The panel redraws while it refreshes, so a node found a moment
   * ago may be gone by the time it is used: then it is found again (within the wait's limit).
   * @template T @param {string} selector @param {(nodeId: number) => Promise<T>} use @returns {Promise<T>}
   */
  async function withOne(selector, use) {
    const until = Date.now() + 15_000;
    for (;;) {
      await waitFor(selector);
      const [nodeId] = await query(selector);
      try {
        if (nodeId !== undefined) return await use(nodeId);
      } catch (e) {
        if (!/No node with given id|Could not find node|Node is detached/i.test(String(e)) || Date.now() > until) throw e;
      }
    }
  }

  return {
    query,
    waitFor,
    /** @param {string} selector */
    count: async (selector) => (await query(selector)).length,
    /** @param {string} selector */
    text: (selector) => withOne(selector, (n) => call(n, 'function () { return this.textContent; }')),
    /** @param {string} selector */
    value: (selector) => withOne(selector, (n) => call(n, 'function () { return this.value; }')),
    /** Whether the element has the focus inside its root. @param {string} selector */
    focused: (selector) => withOne(selector, (n) => call(n, 'function () { return this.getRootNode().activeElement === this; }')),
    /** A real mouse click in the middle of the element. @param {string} selector */
    async click(selector) {
      const q = await withOne(selector, async (nodeId) => {
        await cdp.send('DOM.scrollIntoViewIfNeeded', { nodeId });
        return (await cdp.send('DOM.getContentQuads', { nodeId })).quads[0];
      });
      await page.mouse.click((q[0] + q[2] + q[4] + q[6]) / 4, (q[1] + q[3] + q[5] + q[7]) / 4);
    },
    /** Clicks the panel's Confirm once it is armed. */
    async confirm() {
      await waitFor('[data-action="confirm"]:not([disabled])');
      await this.click('[data-action="confirm"]');
      await waitFor('[data-action="confirm"]', { state: 'detached' });
    },
    /** Moves the focus to the element as the Tab key would. @param {string} selector */
    async focus(selector) {
      await withOne(selector, (nodeId) => cdp.send('DOM.focus', { nodeId }));
    },
  };
}

/** @param {any} node @param {(n: any) => boolean} pred @returns {any} */
function find(node, pred) {
  if (pred(node)) return node;
  for (const c of [...(node.children ?? []), ...(node.shadowRoots ?? []), ...(node.contentDocument ? [node.contentDocument] : [])]) {
    const f = find(c, pred);
    if (f) return f;
  }
  return null;
}

/** @param {any} node @param {string} name */
function attr(node, name) {
  const a = node.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return null;
}

/**
 * Runs `expression` in the extension's content-script world of `page` (where its content scripts
 * and their `chrome.*` APIs live), as a compromised or curious content script would.
 * @param {import('playwright-core').Page} page @param {string} expression
 */
export async function inContentScriptWorld(page, expression) {
  const cdp = await page.context().newCDPSession(page);
  /** @type {number[]} */ const contexts = [];
  cdp.on('Runtime.executionContextCreated', (ev) => {
    // The extension's world is named after it; Playwright's own utility world is not.
    if (ev.context.auxData?.type === 'isolated' && ev.context.auxData?.isDefault === false && !/playwright/i.test(ev.context.name)) contexts.push(ev.context.id);
  });
  await cdp.send('Runtime.enable');
  const until = Date.now() + 10_000;
  while (contexts.length === 0) {
    assert.ok(Date.now() < until, 'no content-script world in this page');
    await new Promise((r) => setTimeout(r, 100));
  }
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId: contexts[0], awaitPromise: true, returnByValue: true });
  await cdp.detach();
  if (exceptionDetails) return { threw: String(exceptionDetails.exception?.description ?? exceptionDetails.text) };
  return { value: result.value };
}
