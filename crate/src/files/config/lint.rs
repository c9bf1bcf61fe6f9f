//! `doctor`'s findings: lines that one AWS client accepts and another breaks on, so a person
//! learns which line to fix (checked with AWS CLI 1.46 / botocore and aws-config 1.13).

use std::collections::HashMap;

use super::tree::{classify, Classified, LineKind, SectionId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// The line cannot be parsed at all.
    Unparseable,
    /// `key : value` / `key:value`: aws-sdk-rust rejects the whole file.
    ColonSeparator,
    /// The same section twice: botocore fails every command.
    DuplicateSection,
    /// The same key twice in a section: botocore fails every command.
    DuplicateKey,
    /// `[DEFAULT]`: botocore (configparser) copies its keys into every profile.
    UppercaseDefault,
    /// `sso_start_url`/`sso_region` in a profile with `sso_session`: aws-sdk-rust rejects the profile.
    SsoKeyBesideSession,
    /// `value # comment`: botocore keeps the comment as part of the value, aws-sdk-rust drops it.
    InlineComment,
    /// A profile or session name aws-sdk-rust ignores (outside `[A-Za-z0-9_-/.%@:+]`).
    NameIgnoredByRust,
}

/// One finding, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: usize,
    pub kind: FindingKind,
    pub message: String,
}

fn rust_name_ok(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

/// Every finding in file order. Works on files `ConfigFile::parse` refuses, too.
pub fn lint(text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut push = |line, kind, message: String| findings.push(Finding { line, kind, message });
    let mut headers: HashMap<SectionId, usize> = HashMap::new();
    let mut section: Option<SectionId> = None;
    let mut keys: HashMap<String, usize> = HashMap::new();
    // (line, key) of sso_start_url/sso_region in the current profile, and whether it has sso_session.
    let mut sso_keys: Vec<(usize, String)> = Vec::new();
    let mut has_session = false;
    let flush = |section: &Option<SectionId>,
                 sso_keys: &mut Vec<(usize, String)>,
                 has_session: bool,
                 push: &mut dyn FnMut(usize, FindingKind, String)| {
        if let (Some(SectionId::Profile(name)), true) = (section, has_session) {
            for (line, key) in sso_keys.iter() {
                push(*line, FindingKind::SsoKeyBesideSession,
                     format!("`{key}` in [profile {name}] beside `sso_session`: aws-sdk-rust rejects this profile (keep it only in the [sso-session] section)"));
            }
        }
        sso_keys.clear();
    };
    for (number, classified) in classify(text) {
        match classified {
            Err(e) => push(number, FindingKind::Unparseable, e.to_string()),
            Ok(Classified::Header(_, id)) => {
                flush(&section, &mut sso_keys, has_session, &mut push);
                has_session = false;
                keys.clear();
                if let Some(first) = headers.get(&id) {
                    push(
                        number,
                        FindingKind::DuplicateSection,
                        format!("{id} already appears on line {first}: botocore fails every command"),
                    );
                } else {
                    headers.insert(id.clone(), number);
                }
                match &id {
                    SectionId::Other(t) if t == "DEFAULT" => push(number, FindingKind::UppercaseDefault,
                        "[DEFAULT]: botocore copies its keys into every profile (use [default] for the default profile)".into()),
                    SectionId::Profile(n) | SectionId::SsoSession(n) if !rust_name_ok(n) => push(number, FindingKind::NameIgnoredByRust,
                        format!("{id}: aws-sdk-rust ignores sections whose name has characters outside A-Z a-z 0-9 _ - / . % @ : +")),
                    _ => {}
                }
                section = Some(id);
            }
            Ok(Classified::Line(line)) => {
                let LineKind::Property { key, sep, .. } = &line.kind else { continue };
                if *sep == ':' {
                    push(number, FindingKind::ColonSeparator,
                         format!("`{key}` uses `:` instead of `=`: aws-sdk-rust rejects the whole file (botocore accepts it)"));
                }
                if let Some(first) = keys.get(key) {
                    push(
                        number,
                        FindingKind::DuplicateKey,
                        format!("`{key}` already set on line {first} in this section: botocore fails every command"),
                    );
                } else {
                    keys.insert(key.clone(), number);
                }
                let value = line.value().unwrap_or("");
                if value.contains(" #") || value.contains("\t#") || value.contains(" ;") || value.contains("\t;") {
                    push(number, FindingKind::InlineComment,
                         format!("`{key}` has an inline comment: botocore keeps it as part of the value, aws-sdk-rust drops it"));
                }
                match key.as_str() {
                    "sso_session" => has_session = true,
                    "sso_start_url" | "sso_region" => sso_keys.push((number, key.clone())),
                    _ => {}
                }
            }
        }
    }
    flush(&section, &mut sso_keys, has_session, &mut push);
    findings.sort_by_key(|f| f.line);
    findings
}
