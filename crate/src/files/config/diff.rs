//! The unified diff a dry run returns.

/// Unified diff of `old` → `new` with 3 lines of context, headed `a/NAME` / `b/NAME`; empty
/// when the texts are equal. Past `deadline` the diff stays correct but may be longer than
/// minimal (the caller supplies the clock, so this stays free of I/O and works in wasm).
pub fn unified_diff(old: &str, new: &str, name: &str, deadline: Option<std::time::Instant>) -> String {
    if old == new {
        return String::new();
    }
    // Patience anchors on unique lines (section headers), so a large config with thousands of
    // changed sections diffs in near-linear time; Myers alone is quadratic there.
    let mut config = similar::TextDiff::configure();
    config.algorithm(similar::Algorithm::Patience);
    if let Some(deadline) = deadline {
        config.deadline(deadline);
    }
    config
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_added_lines_and_is_empty_without_change() {
        assert_eq!(unified_diff("a\n", "a\n", "config", None), "");
        let d = unified_diff("[x]\nk = v\n", "[x]\nk = v\n[profile p]\nregion = us-east-1\n", "config", None);
        assert!(d.starts_with("--- a/config\n+++ b/config\n@@"), "{d}");
        assert!(d.contains("+[profile p]\n+region = us-east-1\n"), "{d}");
    }
}
