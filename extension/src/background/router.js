// Requests from the extension's own pages, by `type`. Each handler validates through the core
// and returns plain data; errors carry a stable `code` (and `field` for form input).
import * as core from './core.js';
import * as sessions from './sessions.js';
import * as profiles from './profiles.js';
import { loadPortals, savePortals, loadSettings, saveSettings } from './settings.js';
import { viewState } from './view.js';
import * as autosync from './autosync.js';
import { CodedError } from './host.js';

/**
 * @param {any} msg @param {chrome.runtime.MessageSender} sender
 * @param {{ host: import('./host.js').HostClient, coreVersion: () => string, pushState: () => Promise<void> }} ctx
 */
export async function handle(msg, sender, ctx) {
  // Only our own pages (popup, options) may drive flows; content scripts and web pages may not.
  if (sender.id !== chrome.runtime.id || !sender.url?.startsWith(chrome.runtime.getURL(''))) {
    throw new CodedError('forbidden', 'not allowed from this context');
  }
  const after = async (/** @type {any} */ r) => {
    await ctx.pushState().catch(() => {});
    return r ?? {};
  };
  switch (msg?.type) {
    case 'status':
      return { coreVersion: ctx.coreVersion(), extensionVersion: chrome.runtime.getManifest().version };
    case 'state':
      return viewState(ctx.host);
    case 'suggestPortal':
      return { sessionName: core.suggestSessionName(String(msg.startUrl ?? ''), await sessions.namesInUse()) };
    case 'addPortal': {
      const portal = core.checkPortal({ sessionName: msg.sessionName, startUrl: msg.startUrl, region: msg.region, profileRegion: msg.profileRegion || null });
      const portals = await loadPortals();
      if (portals.some((p) => p.sessionName === portal.sessionName)) {
        throw new CodedError('session_exists', `a portal named ${portal.sessionName} exists already`, 'sessionName');
      }
      await savePortals([...portals, portal]);
      return after(portal);
    }
    case 'regions':
      // The list every region field offers (popup, options).
      return { regions: core.knownRegions() };
    case 'checkRegion':
      // `known: false` is a warning next to the field; a malformed region throws with `field`.
      return core.checkRegion(String(msg.field ?? 'region'), String(msg.value ?? ''));
    case 'startUrlRegion':
      // The region an `*.app.aws` start URL names, for the add-portal form to fill in.
      return { region: core.portalForPage(String(msg.startUrl ?? '').trim(), [], [], [])?.region ?? null };
    case 'planRemovePortal':
      return sessions.removePortal(String(msg.sessionName), !!msg.removeProfiles, true);
    case 'removePortal':
      return after(await sessions.removePortal(String(msg.sessionName), !!msg.removeProfiles, false));
    case 'takeOverSession':
      return after(await sessions.takeOverSession(String(msg.sessionName)));
    case 'undo':
      return after(await ctx.host.request('undo', { undoToken: String(msg.undoToken ?? '') }));
    case 'signIn':
      // Returns once the login is under way (or joined); progress arrives as state pushes.
      void sessions.signIn(msg.sessionName);
      return after({});
    case 'cancelSignIn':
      return after(await sessions.cancel(msg.sessionName));
    case 'refresh':
      return after(await sessions.refresh(msg.sessionName));
    case 'logout':
      return after(await sessions.logout(msg.sessionName));
    case 'listAccounts':
      return profiles.listAccounts(msg.sessionName);
    case 'planProfiles':
      return profiles.applyProfiles(msg, true);
    case 'applyProfiles':
      return after(await profiles.applyProfiles(msg, false));
    case 'discoverTargets':
      // The WSL distributions the host finds (Windows only), for the options page.
      return ctx.host.request('discoverTargets', {});
    case 'setAutoSync': {
      // The core checks the whole portal (autoSync: off | notify | add); the schedule follows.
      const portals = await loadPortals();
      const portal = portals.find((p) => p.sessionName === msg.sessionName);
      if (!portal) throw new CodedError('unknown_session', `no portal named ${String(msg.sessionName)}`, 'sessionName');
      const checked = core.checkPortal({ ...portal, autoSync: msg.autoSync });
      await savePortals(portals.map((p) => (p === portal ? checked : p)));
      await autosync.schedule(checked.sessionName);
      return after(checked);
    }
    case 'getSettings':
      return loadSettings();
    case 'saveSettings':
      // Check the whole result, so a partial update cannot drop or corrupt other settings.
      return saveSettings(core.checkSettings({ ...(await loadSettings()), ...msg.settings }));
    default:
      throw new CodedError('unknown_message', `unknown message type: ${String(msg?.type)}`);
  }
}
