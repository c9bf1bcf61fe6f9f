//! Which names may go into `~/.aws/config`.
//!
//! A session or profile name ends up inside a section header (`[profile NAME]`), so a character
//! such as `]`, `=`, `;`, `#` or a newline could end the header early or start a key or comment.
//! aws-sdk-rust also ignores sections whose name is outside `[A-Za-z0-9_\-/.%@:+]`, so the set
//! accepted here is the intersection that every AWS client reads the same way.

/// Longest name we write; long enough for `{account_name}.{role_name}` of real portals.
pub const MAX_NAME_LEN: usize = 128;

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {MAX_NAME_LEN} characters")]
    TooLong,
    #[error("contains {0:?}, which is not allowed (use letters, digits, '-', '_', '.', '@', '+')")]
    BadChar(char),
}

/// True for the characters a profile or session name may contain.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '+')
}

/// Checks a session or profile name given by a person or a caller; never rewrites it.
pub fn check_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(NameError::TooLong);
    }
    match name.chars().find(|c| !is_name_char(*c)) {
        Some(c) => Err(NameError::BadChar(c)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_cli_style_names() {
        for ok in ["dev", "AdministratorAccess-111122223333", "prod.ReadOnly", "a@b+c_d"] {
            assert_eq!(check_name(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_names_that_break_ini() {
        for (bad, c) in [
            ("a]b", ']'),
            ("[x", '['),
            ("a=b", '='),
            ("a;b", ';'),
            ("a#b", '#'),
            ("a\nb", '\n'),
            ("a b", ' '),
            (" a", ' '),
            ("a\u{7}", '\u{7}'),
            ("日本", '日'),
        ] {
            assert_eq!(check_name(bad), Err(NameError::BadChar(c)), "{bad:?}");
        }
        assert_eq!(check_name(""), Err(NameError::Empty));
        assert_eq!(check_name(&"a".repeat(MAX_NAME_LEN + 1)), Err(NameError::TooLong));
    }
}
