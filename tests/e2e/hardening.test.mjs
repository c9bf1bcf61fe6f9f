// Issue 10's findings against the real extension in Chromium, the real native host and the
// emulator: what a web page (or a content script running in it) can no longer do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setUp, foreignDeviceCode, contentScriptProblems } from './fixtures/person.mjs';
import { closedRoot, inContentScriptWorld } from './lib/closed-shadow.mjs';
import { EXTENSION_ID, required } from './lib/chromium.mjs';

const NOTE = '#ssobridge-device [data-kind="ours"]';
const WARNING = '#ssobridge-device [data-kind="warning"]';
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** An extension page of the test's browser, to ask the worker as the popup does. @param {any} env */
async function extensionPage(env) {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  const ask = (/** @type {any} */ msg) => page.evaluate((m) => chrome.runtime.sendMessage(m), msg);
  return { page, ask };
}

/** @param {string} dir */
const shot = async (/** @type {import('playwright-core').Page} */ page, /** @type {string} */ name) => {
  const dir = join(process.cwd(), 'target/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
};

test('content scripts can neither write the settings (Chromium) nor receive the popup feed (findings 1, 5)', { timeout: 120_000 }, async () => {
  const env = await setUp();
  try {
    const page = await env.context.newPage();
    await page.goto(`${env.emu.url}/start`);
    await (await closedRoot(page, 'ssobridge-portal')).waitFor('.panel');
    const write = await inContentScriptWorld(page, `chrome.storage.local.set({ settings: { endpoints: { oidc: 'http://attacker.example', portal: 'http://attacker.example' } } }).then(() => 'written')`);
    assert.notEqual(write.value, 'written', 'a content script wrote chrome.storage.local');
    const read = await inContentScriptWorld(page, `chrome.storage.local.get(null).then((v) => JSON.stringify(v), (e) => 'refused')`);
    assert.equal(read.value ?? 'refused', 'refused');
    // The popup's state feed: a content script that connects gets nothing, and a closed port.
    const feed = await inContentScriptWorld(page, `new Promise((resolve) => {
      const got = [];
      const port = chrome.runtime.connect({ name: 'popup' });
      port.onMessage.addListener((m) => got.push(m.type));
      port.onDisconnect.addListener(() => resolve({ got, disconnected: true }));
      setTimeout(() => resolve({ got, disconnected: false }), 3000);
    })`);
    assert.deepEqual(feed.value.got, []);
    assert.equal(feed.value.disconnected, true);
    // The extension's own pages still get it.
    const { page: popup } = await extensionPage(env);
    const own = await popup.evaluate(() => new Promise((resolve) => {
      const port = chrome.runtime.connect({ name: 'popup' });
      port.onMessage.addListener((m) => resolve(m.type));
    }));
    assert.equal(own, 'state');
  } finally {
    await env.close();
  }
});

/**
 * Plants `endpoints` in chrome.storage.local from an extension page (what a content script can do
 * on Firefox), signs in, and checks nothing reached the planted address.
 * @param {(port: number) => string} planted
 */
async function plantedEndpointIsNotUsed(planted) {
  /** @type {string[]} */ const hits = [];
  const attacker = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise((r) => attacker.listen(0, '127.0.0.1', () => r(null)));
  const port = /** @type {any} */ (attacker.address()).port;
  const env = await setUp({ loginFlow: 'device', env: {} });
  try {
    const { page, ask } = await extensionPage(env);
    const bad = planted(port);
    await page.evaluate(async (b) => {
      const { settings } = await chrome.storage.local.get('settings');
      await chrome.storage.local.set({ settings: { ...settings, endpoints: { oidc: b, portal: b } } });
    }, bad);
    const got = await ask({ type: 'getSettings' });
    assert.equal(got.ok, true);
    assert.equal(got.result.endpoints, null, 'the planted endpoint was loaded');
    assert.equal(got.result.loginFlow, 'device', 'a good field was dropped with the bad one');
    const problems = await env.worker.evaluate(() => chrome.storage.session.get('settingsProblems').then((v) => v.settingsProblems));
    assert.ok(problems.some((/** @type {any} */ p) => String(p.field).startsWith('endpoints')), JSON.stringify(problems));
    assert.ok((await ask({ type: 'addPortal', sessionName: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'us-east-1' })).ok);
    await ask({ type: 'signIn', sessionName: 'acme' });
    await sleep(3000);
    assert.deepEqual(hits, []);
  } finally {
    await env.close();
    attacker.close();
  }
}

test('a planted endpoint the core refuses is never loaded nor used by sign-in; the problem is recorded (finding 1)', { timeout: 120_000 }, async () => {
  await plantedEndpointIsNotUsed((port) => `http://127.0.0.1:${port}/?next=1`);
});

// `http://attacker.example` passes the core's checks until finding 2 (plain http only for the
// exact loopback hosts) lands in Endpoints::custom; the host resolver sends it to the test's server.
test('a planted plain-http endpoint on another host is never used (findings 1 + 2)', { timeout: 120_000 }, async () => {
  await plantedEndpointIsNotUsed(() => 'http://attacker.example');
});

test('the device guard runs on exact hosts and paths only, and the worker answers code queries only from them (finding 3)', { timeout: 120_000 }, async () => {
  const env = await setUp({ loginFlow: 'device' });
  try {
    const page = await env.context.newPage();
    const trap = '<!doctype html><p>Code: BCDF-GHJK</p><button id="confirm-code">Confirm and continue</button>';
    await page.route('https://bucket.s3.amazonaws.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: trap }));
    await page.goto('https://bucket.s3.amazonaws.com/device/index.html?x=.awsapps.com/');
    await sleep(2500);
    assert.equal(await page.locator('#ssobridge-device').count(), 0, 'the guard ran on an S3 bucket');
    // A portal page that is not its device route: its content scripts may not ask about codes.
    await page.route('https://acme.awsapps.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>portal</title><p>hi</p>' }));
    await page.goto('https://acme.awsapps.com/start/#/');
    const reply = await inContentScriptWorld(page, `chrome.runtime.sendMessage({ type: 'deviceCode', userCode: 'BCDF-GHJK' })`);
    assert.equal(reply.value?.ok, false, JSON.stringify(reply));
    assert.equal(reply.value.error.code, 'forbidden');
  } finally {
    await env.close();
  }
});

test('signin.aws device pages (no code anywhere): the tab SSO Bridge opened is ours, any other gets the warning and is never confirmed (finding 3)', { timeout: 180_000 }, async () => {
  const env = await setUp({ loginFlow: 'device', autoConfirm: true, emulator: { devicePage: 'signin' } });
  try {
    // A foreign request first, in a tab the extension did not open.
    const foreign = await foreignDeviceCode(env.emu.url);
    assert.match(foreign.verificationUriComplete, /\/platform\/authorize\?request_uri=/);
    const phish = await env.context.newPage();
    await phish.goto(foreign.verificationUriComplete);
    await phish.locator(WARNING).waitFor();
    assert.equal(await phish.locator(NOTE).count(), 0);
    assert.doesNotMatch(await phish.content(), new RegExp(foreign.userCode));

    // The same form on AWS's real host: the manifest's match, not a custom domain.
    const real = await env.context.newPage();
    const html = await (await fetch(foreign.verificationUriComplete)).text();
    await real.route('https://us-east-1.signin.aws/**', (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await real.goto(`https://us-east-1.signin.aws/platform/authorize?request_uri=${encodeURIComponent('urn:ietf:params:oauth:request_uri:x')}`);
    await real.locator(WARNING).waitFor();
    await real.setViewportSize({ width: 900, height: 520 });
    await shot(real, 'signin-aws-guard-warning');

    // Our own login, from the panel: the extension opens the page, notes it and (option on) allows it.
    const portal = await env.context.newPage();
    await portal.goto(`${env.emu.url}/start`);
    const panel = await closedRoot(portal, 'ssobridge-portal');
    await panel.waitFor('.panel[data-state="not-connected"]');
    const opened = env.context.waitForEvent('page', { predicate: (/** @type {any} */ p) => p.url().includes('/platform/authorize') });
    await panel.click('.panel [data-action="connect"]');
    await panel.confirm();
    const tab = await opened;
    await tab.locator('#device-approved').waitFor({ timeout: 30_000 });
    await panel.waitFor('.panel[data-state="signed-in"]', { timeout: 30_000 });

    // Nothing was pressed on the foreign pages.
    await sleep(1000);
    assert.ok((await env.emu.admin('/admin/device/pending')).includes(foreign.userCode));
    assert.ok(await phish.locator('#allow-access').isVisible());
    assert.deepEqual(contentScriptProblems(env.problems), []);
  } finally {
    await env.close();
  }
});

test('the page cannot reach the panel, and Enter or Space on a focused panel button never signs in or writes (finding 4)', { timeout: 120_000 }, async () => {
  const env = await setUp();
  try {
    const portal = await env.context.newPage();
    await portal.goto(`${env.emu.url}/start`);
    const panel = await closedRoot(portal, 'ssobridge-portal');
    await panel.waitFor('.panel[data-state="not-connected"]');
    const { ask } = await extensionPage(env);
    const portals = async () => (await ask({ type: 'state' })).result.portals.length;
    const tabs = env.context.pages().length;

    // The page's own script: the panel's root is closed to it, so it cannot focus our buttons.
    const stolen = await portal.evaluate(() => {
      const root = document.querySelector('#ssobridge-portal')?.shadowRoot;
      const b = /** @type {HTMLElement | null | undefined} */ (root?.querySelector('[data-action="connect"]'));
      b?.focus();
      return !!b && document.activeElement?.id === 'ssobridge-portal';
    });
    assert.equal(stolen, false, 'the page focused a panel button');
    await portal.keyboard.press('Enter');
    await portal.keyboard.press('Space');

    // Even with the focus on Connect (as the person's Tab puts it), keys only open the question,
    // whose focus is on Cancel.
    await panel.focus('.panel [data-action="connect"]');
    await portal.keyboard.press('Enter');
    await panel.waitFor('[data-field="confirm"]');
    assert.equal(await panel.focused('[data-action="cancel"]'), true);
    await shot(portal, 'panel-confirmation');
    await portal.keyboard.press('Enter');
    await panel.waitFor('[data-field="confirm"]', { state: 'detached' });
    await panel.focus('.panel [data-action="connect"]');
    await portal.keyboard.press('Space');
    await panel.waitFor('[data-field="confirm"]');
    await portal.keyboard.press('Space');
    await portal.keyboard.press('Enter');
    await sleep(1500);
    assert.equal(await portals(), 0, 'a portal was added without Confirm');
    assert.equal(env.context.pages().length, tabs, 'a sign-in tab opened without Confirm');

    // A double click on Connect does not carry through to Confirm (armed only a moment later).
    if (await panel.count('[data-field="confirm"]')) await panel.click('[data-action="cancel"]');
    await panel.click('.panel [data-action="connect"]');
    await panel.click('.panel [data-action="confirm"]').catch(() => {});
    await sleep(800);
    assert.equal(await portals(), 0);
    // Confirm, clicked: now it connects.
    await panel.confirm();
    const until = Date.now() + 10_000;
    while ((await portals()) === 0) {
      assert.ok(Date.now() < until, 'Confirm did not connect');
      await sleep(200);
    }
  } finally {
    await env.close();
  }
});

test('PKCE: a foreign callback in the login tab is ignored; a callback that never arrives ends in pkce_timeout (finding 6)', { timeout: 180_000 }, async () => {
  const env = await setUp({ loginFlow: 'pkce' });
  try {
    const { ask } = await extensionPage(env);
    assert.ok((await ask({ type: 'addPortal', sessionName: 'local', startUrl: `${env.emu.url}/start`, region: 'us-east-1' })).ok);
    const state = async () => (await ask({ type: 'state' })).result.portals.find((/** @type {any} */ p) => p.sessionName === 'local');
    const consent = env.context.waitForEvent('page', { predicate: (/** @type {any} */ p) => p.url().includes('/authorize') });
    await ask({ type: 'signIn', sessionName: 'local' });
    const tab = await consent;
    const authorizeUrl = tab.url();
    const redirect = new URL(/** @type {string} */ (new URL(authorizeUrl).searchParams.get('redirect_uri')));

    // Someone else's callback, in the login's own tab: ignored, the login keeps waiting.
    await tab.goto(`${redirect.origin}${redirect.pathname}?code=stolen&state=not-ours`).catch(() => {});
    await sleep(1500);
    const waiting = await state();
    assert.equal(waiting.error, null, JSON.stringify(waiting.error));
    assert.equal(waiting.login?.flow, 'pkce');
    // The right one still completes it.
    await tab.goto(authorizeUrl);
    await tab.locator('#allow-access').click();
    const until = Date.now() + 20_000;
    while (!(await state()).token) {
      assert.ok(Date.now() < until, 'the login did not complete after a foreign callback');
      await sleep(300);
    }

    // A local listener on the callback port answers with a redirect: the tab never shows the
    // callback URL. The login times out with pkce_timeout instead of waiting forever.
    await ask({ type: 'logout', sessionName: 'local' });
    // The login picks a random loopback port; another program here may hold it: then sign in
    // again for another port.
    let tab2;
    let listener;
    for (let attempt = 1; ; attempt++) {
      const consent2 = env.context.waitForEvent('page', { predicate: (/** @type {any} */ p) => p.url().includes('/authorize') });
      await ask({ type: 'signIn', sessionName: 'local' });
      tab2 = await consent2;
      const port = Number(new URL(/** @type {string} */ (new URL(tab2.url()).searchParams.get('redirect_uri'))).port);
      const server = createServer((req, res) => {
        if (req.url?.startsWith('/oauth/callback')) res.writeHead(302, { location: '/elsewhere' }).end();
        else res.writeHead(200, { 'content-type': 'text/plain' }).end('a local listener');
      });
      const listening = await new Promise((r) => {
        server.once('error', () => r(false));
        server.listen(port, '127.0.0.1', () => r(true));
      });
      if (listening) {
        listener = server;
        break;
      }
      assert.ok(attempt < 5, `no free callback port after ${attempt} sign-ins`);
      await ask({ type: 'cancelSignIn', sessionName: 'local' });
      await tab2.close().catch(() => {});
    }
    try {
      await tab2.locator('#allow-access').click();
      await sleep(2000);
      assert.equal((await state()).login?.flow, 'pkce');
      // Ten minutes pass (the login's deadline moved, the alarm brought forward).
      await env.worker.evaluate(async () => {
        const { logins } = await chrome.storage.session.get('logins');
        logins.local.pending.expiresAtMs = Date.now() - 1;
        await chrome.storage.session.set({ logins });
        await chrome.alarms.create('pkce:local', { when: Date.now() + 200 });
      });
      const until2 = Date.now() + 15_000;
      let s;
      while (!(s = await state()).error) {
        assert.ok(Date.now() < until2, 'the pending login never timed out');
        await sleep(300);
      }
      assert.equal(s.error.code, 'pkce_timeout');
      assert.equal(s.login, null);
    } finally {
      listener.close();
    }
  } finally {
    await env.close();
  }
});

test('errors reach web pages as codes and our own words, never a host message with a local path (finding 11)', { timeout: 120_000 }, async () => {
  const env = await setUp({ loginFlow: 'pkce', emulator: { autoApprove: true } });
  try {
    // The host cannot write the token cache: its error names the path under HOME.
    mkdirSync(join(env.home, '.aws'), { recursive: true });
    writeFileSync(join(env.home, '.aws/sso'), 'not a directory');
    const portal = await env.context.newPage();
    await portal.goto(`${env.emu.url}/start`);
    const panel = await closedRoot(portal, 'ssobridge-portal');
    await panel.click('.panel [data-action="connect"]');
    await panel.confirm();
    const { ask } = await extensionPage(env);
    const until = Date.now() + 20_000;
    let row;
    while (!(row = (await ask({ type: 'state' })).result.portals[0])?.error) {
      assert.ok(Date.now() < until, 'no error recorded');
      await sleep(300);
    }
    // The popup (an extension page) may see the host's words...
    assert.ok(row.error.message.length > 0);
    // ...the page's content script gets the code and translated text only.
    const view = await inContentScriptWorld(portal, `chrome.runtime.sendMessage({ type: 'portalPage', regionHints: [] })`);
    const error = view.value?.result?.error;
    assert.ok(error, JSON.stringify(view));
    assert.ok(!error.message.includes(env.home) && !error.message.includes('/.aws'), error.message);
    const en = JSON.parse(readFileSync(join(process.cwd(), 'extension/_locales/en/messages.json'), 'utf8'));
    const expected = en[`err_${error.code}`]?.message ?? en.err_generic.message.replace('$CODE$', error.code);
    assert.equal(error.message, expected);
    // A failed request from the page: the same.
    const failed = await inContentScriptWorld(portal, `chrome.runtime.sendMessage({ type: 'nope' })`);
    assert.equal(failed.value.error.code, 'unknown_message');
    assert.doesNotMatch(failed.value.error.message, /nope/);
  } finally {
    await env.close();
  }
});

test('the manifests ask only for the hosts needed and let no web page or other extension connect (finding 10)', () => {
  const chromium = JSON.parse(readFileSync(join(required('SSOBRIDGE_EXTENSION_DIR'), 'manifest.json'), 'utf8'));
  const firefox = JSON.parse(readFileSync(join(required('SSOBRIDGE_EXTENSION_DIR_FIREFOX'), 'manifest.json'), 'utf8'));
  /** A match pattern as a RegExp over URLs. @param {string} p */
  const re = (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  // A pattern without a port matches every port.
  const covers = (/** @type {string[]} */ patterns, /** @type {string} */ url) => patterns.some((p) => re(p).test(url.replace(/^(https?:\/\/[^/:]+):\d+/, '$1')));
  for (const m of [chromium, firefox]) {
    const hosts = m.host_permissions;
    for (const url of ['https://bucket.s3.amazonaws.com/x', 'https://s3.amazonaws.com/bucket/x', 'https://lambda-url.us-east-1.on.aws/', 'https://x.execute-api.us-east-1.amazonaws.com/']) {
      assert.ok(!covers(hosts, url), `host_permissions cover ${url}`);
      assert.ok(!m.content_scripts.some((/** @type {any} */ c) => covers(c.matches, url)), `a content script matches ${url}`);
    }
    for (const url of ['https://oidc.eu-west-1.amazonaws.com/token', 'https://portal.sso.ap-northeast-1.amazonaws.com/assignment/accounts', 'https://oidc.cn-north-1.amazonaws.com.cn/token', 'https://oidc.us-gov-west-1.amazonaws.com/token', 'http://127.0.0.1:4567/oauth/callback']) {
      assert.ok(covers(hosts, url), `host_permissions miss ${url}`);
    }
    assert.ok(!m.content_scripts.some((/** @type {any} */ c) => c.include_globs), 'include_globs match anywhere in a URL');
  }
  assert.deepEqual(chromium.externally_connectable, { ids: [], matches: [] });
  assert.deepEqual(firefox.browser_specific_settings.gecko.data_collection_permissions, { required: ['none'] });
});
