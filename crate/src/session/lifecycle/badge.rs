//! What the toolbar badge says: the time left on the session that expires first, so a glance
//! tells whether the CLI will keep working. The worker only paints it (`chrome.action`).

use serde::{Deserialize, Serialize};

/// Under this much time left the badge turns to a warning colour.
pub const BADGE_SOON_MS: u64 = 15 * 60 * 1000;

/// How the badge should look, for the worker to map to a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub enum BadgeTone {
    /// No session, or plenty of time left.
    Ok,
    /// Less than [`BADGE_SOON_MS`] left.
    Soon,
    /// A signed-in session has expired.
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    /// `""` (no session), `"7h"`, `"45m"`, or `"!"` once the first session has expired.
    pub text: String,
    pub tone: BadgeTone,
}

/// The badge for the sessions' token expiries (epoch ms) at `now_ms`.
pub fn badge_for(expiries_ms: &[u64], now_ms: u64) -> Badge {
    let Some(first) = expiries_ms.iter().copied().min() else {
        return Badge { text: String::new(), tone: BadgeTone::Ok };
    };
    if first <= now_ms {
        return Badge { text: "!".into(), tone: BadgeTone::Expired };
    }
    let left = first - now_ms;
    let minutes = left / 60_000;
    let text = if minutes >= 60 { format!("{}h", minutes / 60) } else { format!("{minutes}m") };
    Badge { text, tone: if left < BADGE_SOON_MS { BadgeTone::Soon } else { BadgeTone::Ok } }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000_000;
    const MIN: u64 = 60_000;

    #[test]
    fn the_first_expiry_decides() {
        assert_eq!(badge_for(&[], NOW), Badge { text: String::new(), tone: BadgeTone::Ok });
        assert_eq!(badge_for(&[NOW + 8 * 60 * MIN, NOW + 7 * 60 * MIN + 59 * MIN], NOW).text, "7h");
        assert_eq!(badge_for(&[NOW + 60 * MIN], NOW).text, "1h");
        assert_eq!(badge_for(&[NOW + 59 * MIN + 59_999], NOW).text, "59m");
        assert_eq!(badge_for(&[NOW + 15 * MIN], NOW), Badge { text: "15m".into(), tone: BadgeTone::Ok });
        assert_eq!(badge_for(&[NOW + 15 * MIN - 1], NOW), Badge { text: "14m".into(), tone: BadgeTone::Soon });
        assert_eq!(badge_for(&[NOW + 30_000], NOW).text, "0m");
        assert_eq!(badge_for(&[NOW + 9 * 60 * MIN, NOW], NOW), Badge { text: "!".into(), tone: BadgeTone::Expired });
    }
}
