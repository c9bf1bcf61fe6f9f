//! An independent reading of a config file's lines, to check what an edit may change.
//!
//! A section's *core* runs from its header to its last key or continuation line; comments and
//! blank lines after that belong to no section (they usually introduce the next one, and the
//! editor keeps them when it removes a section). An edit of sections T must leave every line
//! outside the cores of T in place: untouched cores byte for byte, and no line outside T's cores
//! may appear, vanish or move.

use ssobridge_core::config::{ConfigFile, SectionId};

/// One line with its terminator (`"\n"`, `"\r\n"` or `""` for a last line without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLine<'a> {
    pub text: &'a str,
    pub eol: &'a str,
}

pub fn split_lines(text: &str) -> Vec<RawLine<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match rest.find('\n') {
            Some(i) => (&rest[..=i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let body = line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(line);
        out.push(RawLine { text: body, eol: &line[body.len()..] });
        rest = next;
    }
    out
}

fn is_header(l: &RawLine<'_>) -> bool {
    l.text.starts_with('[')
}

/// A key or an indented continuation: anything not blank, not a comment, not a header.
fn is_key_line(l: &RawLine<'_>) -> bool {
    let t = l.text.trim_matches([' ', '\t']);
    !t.is_empty() && !t.starts_with(['#', ';']) && !is_header(l)
}

/// The section a header line opens, as the editor names it.
fn header_id(l: &RawLine<'_>) -> SectionId {
    let file = ConfigFile::parse(l.text).expect("a header line of a parsed file parses alone");
    let id = file.section_ids().next().cloned().expect("a header line opens a section");
    id
}

/// Each section's id and the line range of its core.
pub fn cores(lines: &[RawLine<'_>]) -> Vec<(SectionId, std::ops::Range<usize>)> {
    let headers: Vec<usize> = (0..lines.len()).filter(|i| is_header(&lines[*i])).collect();
    headers
        .iter()
        .enumerate()
        .map(|(n, &h)| {
            let next = headers.get(n + 1).copied().unwrap_or(lines.len());
            let last_key = (h + 1..next).rev().find(|i| is_key_line(&lines[*i])).unwrap_or(h);
            (header_id(&lines[h]), h..last_key + 1)
        })
        .collect()
}

/// The file's line ending for new lines: its first one, `\n` without any.
pub fn first_eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Only the file's last line may gain a terminator when something is appended after it.
fn terminated(text: &str, eol: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}{eol}")
    }
}

fn is_subsequence(small: &[RawLine<'_>], big: &[RawLine<'_>]) -> bool {
    let mut big = big.iter();
    small.iter().all(|s| big.any(|b| b == s))
}

type Cores = [(SectionId, std::ops::Range<usize>)];

/// The untouched sections' cores, in file order.
fn untouched_cores(
    cores: &Cores,
    lines: &[RawLine<'_>],
    touched: &dyn Fn(&SectionId) -> bool,
) -> Vec<(SectionId, String)> {
    cores
        .iter()
        .filter(|(id, _)| !touched(id))
        .map(|(id, r)| (id.clone(), lines[r.clone()].iter().map(|l| format!("{}{}", l.text, l.eol)).collect()))
        .collect()
}

/// The lines outside the touched sections' cores.
fn outside<'a>(cores: &Cores, lines: &[RawLine<'a>], touched: &dyn Fn(&SectionId) -> bool) -> Vec<RawLine<'a>> {
    let inside = |i: usize| cores.iter().any(|(id, r)| touched(id) && r.contains(&i));
    (0..lines.len()).filter(|i| !inside(*i)).map(|i| lines[i]).collect()
}

/// Panics unless `after` differs from `before` only inside the cores of touched sections.
pub fn assert_only_touched_changed(before: &str, after: &str, touched: &dyn Fn(&SectionId) -> bool) {
    let eol = first_eol(before);
    let (before, after) = (terminated(before, eol), terminated(after, eol));
    let (old, new) = (split_lines(&before), split_lines(&after));
    let (old_cores, new_cores) = (cores(&old), cores(&new));
    assert_eq!(
        untouched_cores(&old_cores, &old, touched),
        untouched_cores(&new_cores, &new, touched),
        "an untouched section changed or moved"
    );
    let (old_outside, new_outside) = (outside(&old_cores, &old, touched), outside(&new_cores, &new, touched));
    assert!(is_subsequence(&old_outside, &new), "a line outside the edited sections was lost or reordered");
    assert!(is_subsequence(&new_outside, &old_outside), "a line appeared outside the edited sections");
}
