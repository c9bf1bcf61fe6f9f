// The wasm core as the service worker uses it. Re-exports plus the few shape adaptations the
// worker needs; the logic is in ssobridge-core, never here.
import {
  deviceLoginNew, deviceLoginStep, pkceBegin, pkceComplete, refreshLogin, saveTokenParams,
  listAccountsAndRoles, makePlan, profileRegion, refreshAtMs, deviceVerdict, portalForPage, checkRegion, knownRegions, loginJoinable, suggestSessionName, checkPortal, checkSettings,
  logoutAtPortal, loginRefreshable, isDevicePage, normalizeOrigin, matchPattern, badgeFor, rememberListing, nextSyncAtMs, resumeAccountsView,
  waitLimitMs, waitOutcome, WaitKind, installHint, pickerView, pickerPreview,
} from '../wasm/ssobridge_wasm.js';

export {
  deviceLoginNew, deviceLoginStep, pkceBegin, pkceComplete, refreshLogin, saveTokenParams,
  listAccountsAndRoles, makePlan, profileRegion, refreshAtMs, deviceVerdict, portalForPage, checkRegion, knownRegions, loginJoinable,
  suggestSessionName, checkPortal, checkSettings, logoutAtPortal, loginRefreshable, isDevicePage,
  normalizeOrigin, matchPattern, badgeFor, rememberListing, nextSyncAtMs, resumeAccountsView, waitLimitMs, waitOutcome, WaitKind, installHint,
  pickerView, pickerPreview,
};
