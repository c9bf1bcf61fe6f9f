//! How long the extension waits for AWS before it tells the person what probably happened, and
//! which message it shows for which failure. The worker only starts the timer and shows the code.
//!
//! Two waits have no natural end of their own: signing in until the sign-in page opens (the
//! client registration and the device authorization or the authorize URL), and a listing until
//! the portal answers its first call. A network that swallows traffic (a proxy or a firewall that
//! drops packets) never fails these calls: only a time-out ends them.

/// A wait the person can see, with its own limit and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// From "Sign in" until the sign-in page opens.
    SignIn,
    /// From opening the accounts until the portal answers its first call.
    Listing,
}

/// AWS answers these calls in well under a second; twenty times a slow answer is still short
/// enough for a person to wait without giving up.
pub const SIGN_IN_ANSWER_MS: u32 = 20_000;
/// A listing's first call (ListAccounts) is one request like the sign-in's.
pub const LISTING_ANSWER_MS: u32 = 20_000;

/// The codes a wait ends with besides the call's own error (each has an `err_<code>` message).
pub const WAIT_CODES: [&str; 4] =
    ["sign_in_no_answer", "sign_in_unreachable", "listing_no_answer", "listing_unreachable"];

impl Wait {
    /// How long to wait for the first answer.
    pub fn limit_ms(self) -> u32 {
        match self {
            Wait::SignIn => SIGN_IN_ANSWER_MS,
            Wait::Listing => LISTING_ANSWER_MS,
        }
    }

    /// The code to show when the wait ended: `None` means it timed out (nothing answered), else
    /// the call's own error code. A network error before any answer says the endpoint cannot be
    /// reached (a wrong region, a blocked host); every other code keeps its own message.
    pub fn outcome(self, error_code: Option<&str>) -> String {
        match (self, error_code) {
            (Wait::SignIn, None) => "sign_in_no_answer".into(),
            (Wait::Listing, None) => "listing_no_answer".into(),
            (Wait::SignIn, Some("network")) => "sign_in_unreachable".into(),
            (Wait::Listing, Some("network")) => "listing_unreachable".into(),
            (_, Some(code)) => code.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wait_has_a_limit_and_names_what_probably_happened() {
        assert_eq!(Wait::SignIn.limit_ms(), SIGN_IN_ANSWER_MS);
        assert_eq!(Wait::Listing.limit_ms(), LISTING_ANSWER_MS);
        assert_eq!(Wait::SignIn.outcome(None), "sign_in_no_answer");
        assert_eq!(Wait::Listing.outcome(None), "listing_no_answer");
        assert_eq!(Wait::SignIn.outcome(Some("network")), "sign_in_unreachable");
        assert_eq!(Wait::Listing.outcome(Some("network")), "listing_unreachable");
        // An answer that is an error keeps its own message.
        assert_eq!(Wait::SignIn.outcome(Some("access_denied")), "access_denied");
        assert_eq!(Wait::Listing.outcome(Some("unauthorized")), "unauthorized");
    }

    #[test]
    fn every_outcome_is_a_listed_code() {
        for wait in [Wait::SignIn, Wait::Listing] {
            for code in [None, Some("network")] {
                assert!(WAIT_CODES.contains(&wait.outcome(code).as_str()));
            }
        }
    }
}
