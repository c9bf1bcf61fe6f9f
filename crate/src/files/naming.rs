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
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub account_id: String,
    #[serde(default)]
    pub account_name: Option<String>,
    pub role_name: String,
}

/// A named profile, ready for the native host's `applyProfiles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
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

/// Why a proposed name is not simply the account name and the role: shown beside the name in
/// the picker, so a person is never left guessing why `search-dev-222233334444.Admin` is not
/// `search dev 開発環境.Admin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NameNote {
    /// Characters a profile name cannot hold (spaces, non-ASCII, `]`, `=` ...) became `-`.
    Sanitized,
    /// The account name had nothing usable left, so the account id stands in for it.
    AccountIdForName,
    /// Cut at a word boundary to keep the name readable and within the limit.
    Shortened,
    /// Another account's name gives the same profile name: both carry their account id.
    #[serde(rename_all = "camelCase")]
    SharedAccountName { other_account_id: String },
    /// A profile of that name exists already (another portal's, or one written by hand).
    #[serde(rename_all = "camelCase")]
    NameTaken { name: String },
    /// The profile exists for this account and role already and keeps its name.
    Existing,
    /// The person typed this name.
    Edited,
}

/// One account and the roles to name for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct AccountToName {
    pub account_id: String,
    #[serde(default)]
    pub account_name: Option<String>,
    pub roles: Vec<String>,
}

/// A proposed name for one account and role, and why it looks the way it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ProposedName {
    pub account_id: String,
    pub role_name: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<NameNote>,
}

/// Cuts `s` to at most `max` characters, at the last `-`, `_` or `.` when one falls in the second
/// half, so `platform-engineering-shared-services` shortens to whole words.
fn cut_at_word(s: &str, max: usize) -> &str {
    let cut = truncate_chars(s, max);
    if cut.len() == s.len() {
        return s;
    }
    let half = cut.len() / 2;
    match cut.rfind(['-', '_', '.']) {
        Some(i) if i >= half => trim_separators(&cut[..i]),
        _ => trim_separators(cut),
    }
}

/// The account part of a name, and what happened to the account name on the way.
fn account_label(input: &AccountToName, notes: &mut Vec<NameNote>) -> String {
    let id = field_value(&input.account_id).unwrap_or_else(|| "account".into());
    let raw = input.account_name.as_deref().unwrap_or("").trim();
    let clean = sanitize(raw);
    if clean.is_empty() {
        if !raw.is_empty() {
            notes.push(NameNote::AccountIdForName);
        }
        return id;
    }
    if clean != raw {
        notes.push(NameNote::Sanitized);
    }
    let cut = cut_at_word(&clean, MAX_FIELD_LEN);
    if cut.len() < clean.len() {
        notes.push(NameNote::Shortened);
    }
    cut.to_string()
}

/// The name for one role of an account whose account part is `label`.
fn render(pieces: &[Piece<'_>], session: &str, account_id: &str, label: &str, role: &str) -> String {
    let account_id = field_value(account_id).unwrap_or_else(|| "account".into());
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Field("account_id") => out.push_str(&account_id),
            Piece::Field("account_name") => out.push_str(label),
            Piece::Field("role_name") => out.push_str(&field_value(role).unwrap_or_else(|| "role".into())),
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

/// Names every role of every account with `template`, avoiding the names in `taken`.
///
/// Clashes are resolved per account: when a name of one account equals a name of another account
/// or a taken name, every role of that account gets the account id in its account part
/// (`prod-111122223333.Admin`), so the profiles of one account always read alike. A clash that
/// survives that (for example a template without the role) gets the role, then a counter handed
/// out in (account id, role) order, so the result does not depend on the portal's ordering.
/// Every name passes [`crate::names::check_name`] and no two are equal; repeated pairs are named
/// once.
pub fn name_accounts(
    template: &str,
    session: &str,
    accounts: &[AccountToName],
    taken: &HashSet<String>,
) -> Result<Vec<ProposedName>, Error> {
    let pieces = parse_template(template)?;
    let uses_label = pieces.iter().any(|p| matches!(p, Piece::Field("account_name")));

    struct Slot<'a> {
        account: usize,
        account_id: &'a str,
        role: &'a str,
        name: String,
    }
    let mut labels = Vec::with_capacity(accounts.len());
    let mut notes: Vec<Vec<NameNote>> = Vec::with_capacity(accounts.len());
    // Map types shared with the sync plan (`HashMap<&str, usize>`, `HashMap<(&str, &str), usize>`,
    // `HashSet<String>`): each distinct one costs the wasm module its own copy of the hash table.
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    let mut slots: Vec<Slot<'_>> = Vec::new();
    for (a, account) in accounts.iter().enumerate() {
        let mut n = Vec::new();
        let label = account_label(account, &mut n);
        for role in &account.roles {
            if seen.insert((account.account_id.as_str(), role.as_str()), a).is_none() {
                let name = render(&pieces, session, &account.account_id, &label, role);
                slots.push(Slot { account: a, account_id: &account.account_id, role, name });
            }
        }
        labels.push(label);
        notes.push(n);
    }

    // Step 1: accounts whose names meet another account's or a taken name carry their id.
    // Per name: the two smallest account indexes that render it, so "the other account with
    // this name" is always the same one, whatever the order.
    let mut owners: Vec<[usize; 2]> = Vec::new();
    let mut owner_of: HashMap<&str, usize> = HashMap::new();
    for s in &slots {
        let i = *owner_of.entry(s.name.as_str()).or_insert_with(|| {
            owners.push([usize::MAX; 2]);
            owners.len() - 1
        });
        let pair = &mut owners[i];
        if s.account < pair[0] {
            *pair = [s.account, pair[0]];
        } else if s.account != pair[0] && s.account < pair[1] {
            pair[1] = s.account;
        }
    }
    let mut relabel: Vec<Option<NameNote>> = vec![None; accounts.len()];
    for s in &slots {
        let [first, second] = owners[owner_of[s.name.as_str()]];
        if relabel[s.account].is_some() {
            continue;
        }
        let other = if first != s.account { first } else { second };
        if other != usize::MAX {
            let other = &other;
            relabel[s.account] =
                Some(NameNote::SharedAccountName { other_account_id: accounts[*other].account_id.clone() });
        } else if taken.contains(&s.name) {
            relabel[s.account] = Some(NameNote::NameTaken { name: s.name.clone() });
        }
    }
    for s in slots.iter_mut() {
        if relabel[s.account].is_none() {
            continue;
        }
        let id = field_value(s.account_id).unwrap_or_else(|| "account".into());
        s.name = if uses_label {
            let label = with_suffix(&labels[s.account], &id);
            render(&pieces, session, s.account_id, &label, s.role)
        } else {
            with_suffix(&s.name, &id)
        };
    }
    for (a, note) in relabel.into_iter().enumerate() {
        notes[a].extend(note);
    }

    // Step 2: one account reached twice by a template without {role_name}: add the role.
    let names: Vec<String> = slots.iter().map(|s| s.name.clone()).collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for n in &names {
        *count.entry(n.as_str()).or_default() += 1;
    }
    for (s, n) in slots.iter_mut().zip(&names) {
        if count[n.as_str()] > 1 {
            s.name = with_suffix(n, &field_value(s.role).unwrap_or_else(|| "role".into()));
        }
    }

    // Step 3: anything still equal, or still taken: a counter.
    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_unstable_by(|&a, &b| (slots[a].account_id, slots[a].role).cmp(&(slots[b].account_id, slots[b].role)));
    let mut used: HashSet<String> = HashSet::new();
    for i in order {
        let base = slots[i].name.clone();
        let mut candidate = base.clone();
        let mut n = 2;
        while used.contains(&candidate) || taken.contains(&candidate) {
            candidate = with_suffix(&base, &n.to_string());
            n += 1;
        }
        used.insert(candidate.clone());
        slots[i].name = candidate;
    }

    Ok(slots
        .into_iter()
        .map(|s| ProposedName {
            account_id: s.account_id.to_string(),
            role_name: s.role.to_string(),
            name: s.name,
            notes: notes[s.account].clone(),
        })
        .collect())
}

/// Names account-role pairs given one by one (in input order); see [`name_accounts`].
pub fn name_profiles(template: &str, session: &str, inputs: &[ProfileInput]) -> Result<Vec<NamedProfile>, Error> {
    let mut accounts: Vec<AccountToName> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for i in inputs {
        let a = *index.entry(i.account_id.as_str()).or_insert_with(|| {
            accounts.push(AccountToName {
                account_id: i.account_id.clone(),
                account_name: i.account_name.clone(),
                roles: vec![],
            });
            accounts.len() - 1
        });
        accounts[a].roles.push(i.role_name.clone());
    }
    let named = name_accounts(template, session, &accounts, &HashSet::new())?;
    let by_pair: HashMap<(&str, &str), &str> =
        named.iter().map(|p| ((p.account_id.as_str(), p.role_name.as_str()), p.name.as_str())).collect();
    let mut seen = HashSet::new();
    Ok(inputs
        .iter()
        .filter(|i| seen.insert((i.account_id.as_str(), i.role_name.as_str())))
        .map(|i| NamedProfile {
            name: by_pair[&(i.account_id.as_str(), i.role_name.as_str())].to_string(),
            account_id: i.account_id.clone(),
            role_name: i.role_name.clone(),
        })
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
        assert_eq!(forward, ["prod-111111111111.Admin", "prod-222222222222.Admin", "dev.Admin"]);
        let backward = names(DEFAULT_TEMPLATE, &[c, b, a]);
        assert_eq!(backward, ["dev.Admin", "prod-222222222222.Admin", "prod-111111111111.Admin"]);
    }

    #[test]
    fn remaining_collisions_get_role_then_counter() {
        // A template without the role: the role tells the two profiles of one account apart.
        let n = names("{account_name}", &[input("1", Some("x"), "Admin"), input("1", Some("x"), "Dev")]);
        assert_eq!(n, ["x-Admin", "x-Dev"]);
        // Sanitising makes two different account names equal, and a third is already the suffixed form.
        let n = names(
            DEFAULT_TEMPLATE,
            &[input("2", Some("a b"), "R"), input("3", Some("a-b"), "R"), input("4", Some("a-b.R-2"), "x")],
        );
        assert_eq!(n.iter().collect::<HashSet<_>>().len(), 3, "{n:?}");
        // Duplicate pairs are named once.
        assert_eq!(names(CLI_TEMPLATE, &[input("1", None, "R"), input("1", None, "R")]), ["R-1"]);
    }

    fn account(id: &str, name: &str, roles: &[&str]) -> AccountToName {
        AccountToName {
            account_id: id.into(),
            account_name: Some(name.into()),
            roles: roles.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn clashes_are_resolved_per_account_and_explained() {
        // Two accounts that sanitise to the same name: every role of both carries the id.
        let accounts = [
            account("111122223333", "search dev 開発環境", &["Admin", "ReadOnly"]),
            account("444455556666", "search-dev", &["Admin"]),
            account("777788889999", "prod", &["Admin"]),
        ];
        let taken: HashSet<String> = ["prod.Admin".to_string()].into();
        let out = name_accounts(DEFAULT_TEMPLATE, "corp", &accounts, &taken).unwrap();
        let names: Vec<&str> = out.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "search-dev-111122223333.Admin",
                "search-dev-111122223333.ReadOnly",
                "search-dev-444455556666.Admin",
                "prod-777788889999.Admin"
            ]
        );
        assert!(out[0].notes.contains(&NameNote::Sanitized), "{:?}", out[0].notes);
        assert!(out[1].notes.contains(&NameNote::SharedAccountName { other_account_id: "444455556666".into() }));
        assert_eq!(out[3].notes, [NameNote::NameTaken { name: "prod.Admin".into() }]);
        // A template without {account_name}: the id goes on the whole name, then a counter.
        let taken: HashSet<String> = ["Admin-777788889999".to_string()].into();
        let out = name_accounts(CLI_TEMPLATE, "corp", &accounts[2..], &taken).unwrap();
        assert_eq!(out[0].name, "Admin-777788889999-777788889999");
        for p in &out {
            assert!(!taken.contains(&p.name));
        }
    }

    #[test]
    fn long_account_names_are_cut_at_a_word() {
        let long = "platform engineering shared services production workloads europe central";
        let out = name_accounts(DEFAULT_TEMPLATE, "corp", &[account("1", long, &["Admin"])], &HashSet::new()).unwrap();
        assert_eq!(out[0].name, "platform-engineering-shared-services-production-workloads.Admin");
        assert!(out[0].notes.contains(&NameNote::Shortened));
        assert_eq!(cut_at_word("abcdefghij", 4), "abcd");
    }

    #[test]
    fn bad_templates_are_refused() {
        for t in ["{account}", "{role_name", "role_name}", "static", "", "{}"] {
            assert_eq!(validate_template(t).map_err(|e| e.code()), Err("invalid_input"), "{t}");
        }
        assert!(validate_template(CLI_TEMPLATE).is_ok());
    }
}
