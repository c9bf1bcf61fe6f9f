//! The few TypeScript declarations that are not a Rust type. Every value's shape is generated
//! from the core's Rust types (`#[derive(tsify::Tsify)]` under the core's `ts` feature) into the
//! same `.d.ts`; these only name the error every export throws and pair each native-messaging
//! action with its result, so the extension's host client is type-checked per action.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const DECLARATIONS: &str = r#"
/** What every function here throws or rejects with. */
export interface SsoBridgeError extends Error {
  name: "SsoBridgeError";
  /** Stable snake_case code: expired_token, access_denied, cancelled, invalid_grant, unauthorized, ... */
  code: string;
  /** invalid_input: the field at fault (a path such as `registration.clientId` for a shape error). */
  field?: string;
  /** checkPortal only: every wrong field of the form, in its order, each followed by a comma. */
  fields?: string;
  /** refreshLogin only: the old access token has not expired yet and may still be used. */
  oldTokenUsable?: boolean;
}

/** A native-messaging action name (protocol v1, PROTOCOL.md). */
export type HostAction = Action["action"];
/** The params of one action. */
export type HostParams<A extends HostAction> = Extract<Action, { action: A }>["params"];
/** The result of each action; indexing it with a `HostAction` fails to type-check until every
 *  action of `Action` has its entry here. */
export interface HostResults {
  hello: HelloResult;
  saveToken: SaveTokenResult;
  applyProfiles: ApplyProfilesResult;
  status: StatusResult;
  logout: LogoutResult;
  undo: UndoResult;
  removeSession: RemoveSessionResult;
  discoverTargets: DiscoverTargetsResult;
}
"#;
