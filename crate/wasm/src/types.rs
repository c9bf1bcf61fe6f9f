//! TypeScript shapes of the values crossing the boundary, for the generated `.d.ts` (the
//! extension type-checks against it). They mirror the serde derives in `ssobridge-core`; the
//! wasm tests round-trip each of them through JS.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Base URLs of the OIDC and portal APIs (no trailing slash). */
export interface Endpoints { oidc: string; portal: string }

/** Which sso-session to log into. `scopes` defaults to ["sso:account:access"]. */
export interface SessionConfig {
  sessionName: string;
  startUrl: string;
  region: string;
  scopes?: string[];
  /** Override of the region's public endpoints (options page, tests). */
  endpoints?: Endpoints | null;
}

/** A client registration; store it per session and pass it back to reuse it. */
export interface Registration {
  clientId: string;
  clientSecret: string;
  /** clientSecretExpiresAt in epoch ms (the token cache's registrationExpiresAt). */
  expiresAtMs: number;
  flow: "device" | "authorizationCode";
  region: string;
  startUrl: string;
  scopes: string[];
}

export interface Token {
  accessToken: string;
  /** Epoch ms. */
  expiresAtMs: number;
  refreshToken?: string;
}

/** A finished login. A device login's `done` state is one too (its `state` field is ignored). */
export interface LoginResult { session: SessionConfig; registration: Registration; token: Token }

export interface WaitingForUser {
  session: SessionConfig;
  registration: Registration;
  /** The registration is new: store it for the next login. */
  newRegistration: boolean;
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresAtMs: number;
  intervalSecs: number;
  /** deviceLoginStep waits until then before polling. */
  nextPollAtMs: number;
  transientFailures: number;
}

/** A device login; persist it after every step (chrome.storage.session) and step it again. */
export type DeviceLoginState =
  | { state: "registering"; session: SessionConfig; registration?: Registration }
  | ({ state: "waitingForUser" } & WaitingForUser)
  | ({ state: "done" } & LoginResult)
  | { state: "failed"; code: string; message: string };

/** A PKCE login waiting for its callback; persist it until pkceComplete. */
export interface PkcePending {
  session: SessionConfig;
  registration: Registration;
  newRegistration: boolean;
  /** Open this in a tab. */
  authorizeUrl: string;
  /** http://127.0.0.1:{port}/oauth/callback: watch the tab for navigations starting with it. */
  redirectUri: string;
  state: string;
  codeVerifier: string;
  /** Stop waiting for the callback after this (epoch ms; 10 minutes, as the CLI). */
  expiresAtMs: number;
}

/** Params of the native message `saveToken` (PROTOCOL.md). */
export interface SaveTokenParams {
  sessionName: string;
  startUrl: string;
  region: string;
  scopes: string[];
  token: {
    accessToken: string;
    /** YYYY-MM-DDTHH:MM:SSZ */
    expiresAt: string;
    refreshToken?: string;
    clientId: string;
    clientSecret: string;
    registrationExpiresAt: string;
  };
}

export interface RateLimitConfig {
  initialRps: number; minRps: number; maxRps: number; decreaseFactor: number;
  backoffBaseMs: number; backoffMaxMs: number;
}

export interface ListingOptions {
  rateLimit?: Partial<RateLimitConfig>;
  maxInFlight?: number;
  maxAttempts?: number;
  pageSize?: number;
}

export type ListingEvent =
  | { type: "accountsTotal"; total: number }
  | { type: "accountDone"; accountId: string; done: number; total: number; roles: number; errorCode?: string };

export interface Account { accountId: string; accountName: string | null; emailAddress?: string }
export interface AccountRoles extends Account { roles: string[] }
export interface FailedAccount extends Account { code: string; message: string }
export interface ListingStats {
  requests: number; throttled: number; serverErrors: number; networkErrors: number; finalRps: number;
}
/** Every account is in `accounts` or in `failed`. */
export interface Listing { accounts: AccountRoles[]; failed: FailedAccount[]; stats: ListingStats }

export interface ProfileInput { accountId: string; accountName?: string | null; roleName: string }
export interface NamedProfile { name: string; accountId: string; roleName: string }

/** What every function here throws or rejects with. */
export interface SsoBridgeError extends Error {
  name: "SsoBridgeError";
  /** Stable snake_case code: expired_token, access_denied, cancelled, invalid_grant, unauthorized, ... */
  code: string;
  /** invalid_input: the field at fault. */
  field?: string;
  /** refreshLogin only: the old access token has not expired yet and may still be used. */
  oldTokenUsable?: boolean;
}

/** A configured access portal (one [sso-session]). */
export interface Portal { sessionName: string; startUrl: string; region: string }

/** The options page's settings (chrome.storage.local; nothing secret). */
export interface Settings {
  nameTemplate: string;
  defaultRegion: string;
  /** "" writes no output key. */
  defaultOutput: string;
  loginFlow: "pkce" | "device";
  pruneDefault: boolean;
  endpoints: Endpoints | null;
  autoConfirmDevice?: boolean;
  portalDomains?: { origin: string; region: string }[];
}
"#;
