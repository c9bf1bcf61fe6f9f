//! The login flows: device code ([`device`]), authorization code with PKCE ([`pkce`]) and token
//! refresh ([`refresh`]), plus the values they share: what session to log into, the client
//! registration, and the token that comes out.

pub mod device;
pub mod handoff;
pub mod pkce;
pub mod refresh;
pub mod single;

// The values the flows share live in `sso_session` (so `oidc` can use them without importing
// the flows); they are re-exported here, where callers look for them.
pub use crate::sso_session::*;

use crate::endpoints::Endpoints;
use crate::error::Error;
use crate::http::Platform;
use crate::oidc;

/// Reuses `stored` when it fits the session and flow, otherwise registers a new client.
pub(crate) async fn ensure_registration<P: Platform>(
    platform: &P,
    endpoints: &Endpoints,
    session: &SessionConfig,
    flow: Flow,
    stored: Option<Registration>,
) -> Result<(Registration, bool), Error> {
    match stored {
        Some(r) if r.reusable_for(session, flow, platform.now_ms()) => Ok((r, true)),
        _ => Ok((oidc::register_client(platform, endpoints, session, flow).await?, false)),
    }
}
