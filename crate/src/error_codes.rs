//! Every error code the core and the native host can put in front of a person: the build checks
//! that each has a message in every locale of the extension (xtask's `locales` check), and the
//! tests below keep the list complete, so a new code cannot reach the UI as developer text.

/// Codes of [`crate::error::Error`] that only steer the device flow's poll loop and never reach a person.
pub const INTERNAL_CODES: [&str; 2] = ["authorization_pending", "slow_down"];

/// The person-facing codes: [`crate::error::Error::code`] (minus [`INTERNAL_CODES`]), the
/// protocol's [`crate::protocol::ErrorCode::ALL`] (what the host answers), and the ends of a wait
/// ([`crate::lifecycle::waits::WAIT_CODES`]).
pub const ALL_CODES: &[&str] = &[
    // Error::code()
    "expired_token",
    "access_denied",
    "cancelled",
    "invalid_grant",
    "invalid_client",
    "registration_expired",
    "not_refreshable",
    "unauthorized",
    "throttled",
    "network",
    "server_error",
    "service_error",
    "invalid_response",
    "state_mismatch",
    "invalid_region",
    "invalid_input",
    "untrusted_verification_uri",
    // ErrorCode::ALL (the native host)
    "invalid_message",
    "message_too_large",
    "unknown_action",
    "unknown_field",
    "invalid_field",
    "config_parse_error",
    "session_not_found",
    "profile_not_managed",
    "conflict",
    "io_error",
    "internal_error",
    "profile_owned_by_other_session",
    "undo_unavailable",
    "session_conflict",
    "target_unreachable",
    "remote_changed",
    // waits
    "sign_in_no_answer",
    "sign_in_unreachable",
    "listing_no_answer",
    "listing_unreachable",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::lifecycle::waits::WAIT_CODES;
    use crate::protocol::ErrorCode;
    use std::collections::BTreeSet;

    /// One value of every [`Error`] variant. The match below has no wildcard: a new variant does
    /// not compile until it is added here (and its code to [`ALL_CODES`]).
    fn every_error() -> Vec<Error> {
        let s = String::new;
        let all = vec![
            Error::AuthorizationPending,
            Error::SlowDown,
            Error::ExpiredToken,
            Error::AccessDenied(s()),
            Error::Cancelled,
            Error::InvalidGrant(s()),
            Error::InvalidClient(s()),
            Error::RegistrationExpired,
            Error::NotRefreshable,
            Error::Unauthorized(s()),
            Error::Throttled,
            Error::Network(s()),
            Error::ServerError { status: 500, message: s() },
            Error::Service { status: 400, kind: s(), message: s() },
            Error::InvalidResponse(s()),
            Error::StateMismatch,
            Error::InvalidRegion(s()),
            Error::InvalidInput { field: s(), reason: s() },
            Error::UntrustedVerificationUri,
        ];
        for e in &all {
            match e {
                Error::AuthorizationPending
                | Error::SlowDown
                | Error::ExpiredToken
                | Error::AccessDenied(_)
                | Error::Cancelled
                | Error::InvalidGrant(_)
                | Error::InvalidClient(_)
                | Error::RegistrationExpired
                | Error::NotRefreshable
                | Error::Unauthorized(_)
                | Error::Throttled
                | Error::Network(_)
                | Error::ServerError { .. }
                | Error::Service { .. }
                | Error::InvalidResponse(_)
                | Error::StateMismatch
                | Error::InvalidRegion(_)
                | Error::InvalidInput { .. }
                | Error::UntrustedVerificationUri => {}
            }
        }
        all
    }

    #[test]
    fn the_list_is_exactly_the_codes_that_can_be_produced() {
        let mut produced = BTreeSet::new();
        produced.extend(every_error().iter().map(Error::code).filter(|c| !INTERNAL_CODES.contains(c)));
        produced.extend(ErrorCode::ALL.iter().map(|c| c.as_str()));
        produced.extend(WAIT_CODES);
        let listed: BTreeSet<&str> = ALL_CODES.iter().copied().collect();
        assert_eq!(listed.len(), ALL_CODES.len(), "a code is listed twice");
        assert_eq!(listed, produced);
    }

    #[test]
    fn internal_codes_are_real_codes() {
        let codes: Vec<&str> = every_error().iter().map(Error::code).collect();
        assert!(INTERNAL_CODES.iter().all(|c| codes.contains(c)));
    }
}
