//! Profile names from a template, made safe for `~/.aws/config` and unique.
//!
//! Account names come from the portal, so they may hold anything: spaces, `]`, `=`, newlines,
//! emoji. Each value is sanitised into the character set of [`crate::names`] (anything else
//! becomes `-`, runs of `-` collapse, separators at the ends go; nothing is transliterated), and
//! two accounts or roles that end up with the same name are told apart by their account id, then
//! role name, then a counter, in an order that does not depend on the portal's ordering.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::names::{is_name_char, MAX_NAME_LEN};

/// SSO Bridge's default: `prod.AdministratorAccess`.
pub const DEFAULT_TEMPLATE: &str = "{account_name}.{role_name}";
/// What `aws configure sso` proposes: `AdministratorAccess-111122223333`.
pub const CLI_TEMPLATE: &str = "{role_name}-{account_id}";
/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 4] = ["account_name", "account_id", "role_name", "session"];
/// One value never takes more than this much of a name, so a 200-character account name still
/// leaves room for the role.
const MAX_FIELD_LEN: usize = 64;

/// One account-role pair to name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub account_id: String,
    #[serde(default)]
    pub account_name: Option<String>,
    pub role_name: String,
}

/// A named profile, ready for the native host's `applyProfiles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedProfile {
    pub name: String,
    pub account_id: String,
    pub role_name: String,
}

enum Piece<'a> {
    Literal(&'a str),
    Field(&'a str),
}

fn parse_template(template: &str) -> Result<Vec<Piece<'_>>, Error> {
    let bad = |reason: String| Error::invalid_input("template", reason);
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(bad("has a '}' without '{'".into()));
        }
        if open > 0 {
            pieces.push(Piece::Literal(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| bad("has a '{' without '}'".into()))?;
        let field = &after[..close];
        if !PLACEHOLDERS.contains(&field) {
            return Err(bad(format!(
                "unknown placeholder {{{}}} (use {{account_name}}, {{account_id}}, {{role_name}} or {{session}})",
                field.chars().take(32).collect::<String>()
            )));
        }
        pieces.push(Piece::Field(field));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest));
    }
    if !pieces.iter().any(|p| matches!(p, Piece::Field(_))) {
        return Err(bad("uses no placeholder, so every profile would get the same name".into()));
    }
    Ok(pieces)
}

/// Checks a template without naming anything (for the options page).
pub fn validate_template(template: &str) -> Result<(), Error> {
    parse_template(template).map(|_| ())
}

/// Maps a value into the allowed set; may return an empty string.
pub fn sanitize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = if is_name_char(c) { c } else { '-' };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    trim_separators(&out).to_string()
}

fn trim_separators(s: &str) -> &str {
    s.trim_matches(['-', '.'])
}

fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A sanitised, length-capped value, or `None` if nothing usable is left.
fn field_value(raw: &str) -> Option<String> {
    let s = sanitize(raw);
    let s = trim_separators(truncate_chars(&s, MAX_FIELD_LEN)).to_string();
    (!s.is_empty()).then_some(s)
}

/// The name for one pair, before collisions are resolved.
fn render(pieces: &[Piece<'_>], session: &str, input: &ProfileInput) -> String {
    let account_id = field_value(&input.account_id).unwrap_or_else(|| "account".into());
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Field("account_id") => out.push_str(&account_id),
            // A missing or unusable account name falls back to the id, as the CLI's listing does.
            Piece::Field("account_name") => {
                out.push_str(&input.account_name.as_deref().and_then(field_value).unwrap_or_else(|| account_id.clone()))
            }
            Piece::Field("role_name") => out.push_str(&field_value(&input.role_name).unwrap_or_else(|| "role".into())),
            Piece::Field(_) => out.push_str(&field_value(session).unwrap_or_default()),
        }
    }
    let name = sanitize(&out);
    let name = trim_separators(truncate_chars(&name, MAX_NAME_LEN)).to_string();
    if name.is_empty() {
        account_id
    } else {
        name
    }
}

/// `base-suffix`, shortening `base` so the whole stays within [`MAX_NAME_LEN`].
fn with_suffix(base: &str, suffix: &str) -> String {
    let room = MAX_NAME_LEN.saturating_sub(suffix.chars().count() + 1);
    format!("{}-{}", trim_separators(truncate_chars(base, room)), suffix)
}

/// Names every pair with `template` (in input order; a repeated pair is named once). Every name
/// passes [`crate::names::check_name`] and no two are equal.
pub fn name_profiles(template: &str, session: &str, inputs: &[ProfileInput]) -> Result<Vec<NamedProfile>, Error> {
    let pieces = parse_template(template)?;
    let mut seen = HashSet::new();
    let inputs: Vec<&ProfileInput> =
        inputs.iter().filter(|i| seen.insert((i.account_id.clone(), i.role_name.clone()))).collect();
    let mut names: Vec<String> = inputs.iter().map(|i| render(&pieces, session, i)).collect();

    // Two different accounts called "prod": both become prod-<id>. Then the same account reached
    // twice by a template without {role_name}: add the role.
    let suffixes: [&dyn Fn(&ProfileInput) -> String; 2] =
        [&|i| field_value(&i.account_id).unwrap_or_else(|| "account".into()), &|i| {
            field_value(&i.role_name).unwrap_or_else(|| "role".into())
        }];
    for suffix in suffixes {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for n in &names {
            *count.entry(n.as_str()).or_default() += 1;
        }
        let colliding: Vec<bool> = names.iter().map(|n| count[n.as_str()] > 1).collect();
        for (i, collides) in colliding.into_iter().enumerate() {
            if collides && !names[i].ends_with(&format!("-{}", suffix(inputs[i]))) {
                names[i] = with_suffix(&names[i], &suffix(inputs[i]));
            }
        }
    }

    // Anything still equal (e.g. a suffixed name meeting a plain one): a counter, handed out in
    // (account id, role) order so the result does not depend on the portal's order.
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        (&inputs[a].account_id, &inputs[a].role_name).cmp(&(&inputs[b].account_id, &inputs[b].role_name))
    });
    let mut used = HashSet::new();
    for i in order {
        let mut candidate = names[i].clone();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = with_suffix(&names[i], &n.to_string());
            n += 1;
        }
        used.insert(candidate.clone());
        names[i] = candidate;
    }

    Ok(inputs
        .iter()
        .zip(names)
        .map(|(i, name)| NamedProfile { name, account_id: i.account_id.clone(), role_name: i.role_name.clone() })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::check_name;

    fn input(id: &str, name: Option<&str>, role: &str) -> ProfileInput {
        ProfileInput { account_id: id.into(), account_name: name.map(Into::into), role_name: role.into() }
    }

    fn names(template: &str, inputs: &[ProfileInput]) -> Vec<String> {
        let out = name_profiles(template, "corp", inputs).unwrap();
        for p in &out {
            assert_eq!(check_name(&p.name), Ok(()), "{:?}", p.name);
        }
        out.into_iter().map(|p| p.name).collect()
    }

    #[test]
    fn default_and_cli_templates() {
        let i = [input("111122223333", Some("prod"), "AdministratorAccess")];
        assert_eq!(names(DEFAULT_TEMPLATE, &i), ["prod.AdministratorAccess"]);
        assert_eq!(names(CLI_TEMPLATE, &i), ["AdministratorAccess-111122223333"]);
        assert_eq!(names("{session}-{account_name}-{role_name}", &i), ["corp-prod-AdministratorAccess"]);
    }

    #[test]
    fn hostile_names_are_sanitised() {
        let cases = [
            ("prod]\n[profile evil", "prod-profile-evil.Admin"),
            ("a=b;c#d", "a-b-c-d.Admin"),
            ("  spaced   out  ", "spaced-out.Admin"),
            ("Ünïcödé 日本", "n-c-d.Admin"),
            ("日本", "111122223333.Admin"),
            ("]]]", "111122223333.Admin"),
            ("", "111122223333.Admin"),
            ("credential_process = /bin/sh", "credential_process-bin-sh.Admin"),
            ("tab\there\r\n", "tab-here.Admin"),
        ];
        for (account_name, expected) in cases {
            assert_eq!(
                names(DEFAULT_TEMPLATE, &[input("111122223333", Some(account_name), "Admin")]),
                [expected],
                "{account_name:?}"
            );
        }
        assert_eq!(names(DEFAULT_TEMPLATE, &[input("111122223333", None, "Admin")]), ["111122223333.Admin"]);
        assert_eq!(sanitize("a--b"), "a-b");
        assert_eq!(sanitize("-.-"), "");
    }

    #[test]
    fn long_names_are_capped_and_keep_the_role() {
        let long = "x".repeat(200);
        let n = names(DEFAULT_TEMPLATE, &[input("111122223333", Some(&long), "ReadOnly")]);
        assert!(n[0].len() <= MAX_NAME_LEN);
        assert!(n[0].ends_with(".ReadOnly"), "{}", n[0]);
        let n = names(
            "{account_name}{account_name}{account_name}{role_name}",
            &[input("1", Some(&long), &"r".repeat(200))],
        );
        assert_eq!(n[0].chars().count(), MAX_NAME_LEN);
    }

    #[test]
    fn same_named_accounts_get_their_id_deterministically() {
        let a = input("111111111111", Some("prod"), "Admin");
        let b = input("222222222222", Some("prod"), "Admin");
        let c = input("333333333333", Some("dev"), "Admin");
        let forward = names(DEFAULT_TEMPLATE, &[a.clone(), b.clone(), c.clone()]);
        assert_eq!(forward, ["prod.Admin-111111111111", "prod.Admin-222222222222", "dev.Admin"]);
        let backward = names(DEFAULT_TEMPLATE, &[c, b, a]);
        assert_eq!(backward, ["dev.Admin", "prod.Admin-222222222222", "prod.Admin-111111111111"]);
    }

    #[test]
    fn remaining_collisions_get_role_then_counter() {
        // A template without the role: the role tells the two profiles of one account apart.
        let n = names("{account_name}", &[input("1", Some("x"), "Admin"), input("1", Some("x"), "Dev")]);
        assert_eq!(n, ["x-1-Admin", "x-1-Dev"]);
        // Sanitising makes two different account names equal, and a third is already the suffixed form.
        let n = names(
            DEFAULT_TEMPLATE,
            &[input("2", Some("a b"), "R"), input("3", Some("a-b"), "R"), input("4", Some("a-b.R-2"), "x")],
        );
        assert_eq!(n.iter().collect::<HashSet<_>>().len(), 3, "{n:?}");
        // Duplicate pairs are named once.
        assert_eq!(names(CLI_TEMPLATE, &[input("1", None, "R"), input("1", None, "R")]), ["R-1"]);
    }

    #[test]
    fn bad_templates_are_refused() {
        for t in ["{account}", "{role_name", "role_name}", "static", "", "{}"] {
            assert_eq!(validate_template(t).map_err(|e| e.code()), Err("invalid_input"), "{t}");
        }
        assert!(validate_template(CLI_TEMPLATE).is_ok());
    }
}
