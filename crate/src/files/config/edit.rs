//! Edits that change only the lines they must: set a key in place, add a key after the
//! section's last key, append a section at the end, remove a section we made.

use super::tree::{ConfigFile, Line, LineKind, Section, SectionId};

/// The comment line under the header of every profile sso-bridge creates. Both botocore and
/// aws-sdk-rust read a full-line `#` comment inside a section as a comment (tested in the
/// interop tests); `prune` removes a profile only if it carries this line.
pub const MANAGED_MARKER: &str = "# managed by sso-bridge";

/// What an upsert did to a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Updated,
    Unchanged,
}

impl Section {
    fn is_managed(&self) -> bool {
        self.body.iter().any(|l| l.kind == LineKind::Comment && l.text.trim_matches([' ', '\t']) == MANAGED_MARKER)
    }

    fn property_at(&self, key: &str) -> Option<usize> {
        self.body.iter().position(|l| matches!(&l.kind, LineKind::Property { key: k, .. } if k == key))
    }

    /// Sets `key = value`; returns whether a byte changed.
    fn set(&mut self, key: &str, value: &str, eol: &'static str) -> bool {
        if let Some(at) = self.property_at(key) {
            let continued = self.body.get(at + 1).is_some_and(|l| l.kind == LineKind::Continuation);
            let line = &mut self.body[at];
            if line.value() == Some(value) && !continued {
                return false;
            }
            let (text, value_start) = match &line.kind {
                // Keep the person's spacing (`region=x`, `region   = x`) when only the value changes.
                LineKind::Property { sep: '=', value_start, .. } if *value_start < line.text.len() => {
                    (format!("{}{value}", &line.text[..*value_start]), *value_start)
                }
                _ => (format!("{key} = {value}"), key.len() + 3),
            };
            line.text = text;
            line.kind = LineKind::Property { key: key.to_string(), value_start, sep: '=' };
            let end = at + 1 + self.body[at + 1..].iter().take_while(|l| l.kind == LineKind::Continuation).count();
            self.body.drain(at + 1..end);
            return true;
        }
        let at = match self
            .body
            .iter()
            .rposition(|l| matches!(l.kind, LineKind::Property { .. } | LineKind::Continuation))
        {
            Some(last) => last + 1,
            None => self.body.iter().take_while(|l| l.kind == LineKind::Comment && l.text == MANAGED_MARKER).count(),
        };
        // Only the file's last line can lack a terminator; a line after it needs one.
        match at.checked_sub(1) {
            Some(prev) if self.body[prev].eol.is_empty() => self.body[prev].eol = eol,
            None if self.header.eol.is_empty() => self.header.eol = eol,
            _ => {}
        }
        let text = format!("{key} = {value}");
        let value_start = key.len() + 3;
        self.body
            .insert(at, Line { text, eol, kind: LineKind::Property { key: key.to_string(), value_start, sep: '=' } });
        true
    }
}

impl ConfigFile {
    /// Whether a section exists.
    pub fn contains(&self, id: &SectionId) -> bool {
        self.section(id).is_some()
    }

    /// Whether a section carries [`MANAGED_MARKER`].
    pub fn is_managed(&self, id: &SectionId) -> bool {
        self.section(id).is_some_and(Section::is_managed)
    }

    /// Sets each `(key, value)` in the section, creating it at the end of the file if missing
    /// (with the marker when `managed`). Other keys and lines of the section are kept.
    pub fn upsert(&mut self, id: &SectionId, pairs: &[(&str, &str)], managed: bool) -> Change {
        let eol = self.eol;
        if let Some(section) = self.section_mut(id) {
            let mut changed = false;
            for (key, value) in pairs {
                changed |= section.set(key, value, eol);
            }
            return if changed { Change::Updated } else { Change::Unchanged };
        }
        self.terminate_last_line();
        let line = |text: String, kind| Line { text, eol, kind };
        let mut body = Vec::new();
        if managed {
            body.push(line(MANAGED_MARKER.to_string(), LineKind::Comment));
        }
        for (key, value) in pairs {
            body.push(line(
                format!("{key} = {value}"),
                LineKind::Property { key: key.to_string(), value_start: key.len() + 3, sep: '=' },
            ));
        }
        self.index.insert(id.clone(), self.sections.len());
        let header = line(format!("[{}]", id.header_text()), LineKind::Header);
        self.sections.push(Some(Section { id: id.clone(), header, body }));
        Change::Added
    }

    /// Removes a section: its header through its last key. Comments and blank lines after the
    /// last key stay (they usually introduce the next section).
    pub fn remove(&mut self, id: &SectionId) -> bool {
        let Some(at) = self.index.remove(id) else { return false };
        let Some(section) = self.sections[at].take() else { return false };
        let keep_from = section
            .body
            .iter()
            .rposition(|l| matches!(l.kind, LineKind::Property { .. } | LineKind::Continuation))
            .map_or(0, |last| last + 1);
        let kept: Vec<Line> = section.body.into_iter().skip(keep_from).collect();
        if !kept.is_empty() {
            match self.sections[..at].iter_mut().rev().flatten().next() {
                Some(previous) => {
                    if previous.body.last().map_or(previous.header.eol.is_empty(), |l| l.eol.is_empty()) {
                        // Cannot happen (only the file's last line lacks a terminator); be safe.
                        let eol = self.eol;
                        match previous.body.last_mut() {
                            Some(l) => l.eol = eol,
                            None => previous.header.eol = eol,
                        }
                    }
                    previous.body.extend(kept);
                }
                None => self.preamble.extend(kept),
            }
        }
        true
    }

    /// Names of the `[profile NAME]` sections carrying the marker whose `sso_session` is `session`.
    pub fn managed_profiles(&self, session: &str) -> Vec<String> {
        self.sections
            .iter()
            .flatten()
            .filter(|s| s.is_managed())
            .filter_map(|s| match &s.id {
                SectionId::Profile(name) if self.get(&s.id, "sso_session") == Some(session) => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// Gives the file's last line a terminator before something is appended after it.
    fn terminate_last_line(&mut self) {
        let eol = self.eol;
        let last = match self.sections.iter_mut().rev().flatten().next() {
            Some(section) => match section.body.last_mut() {
                Some(line) => Some(line),
                None => Some(&mut section.header),
            },
            None => self.preamble.last_mut(),
        };
        if let Some(line) = last {
            if line.eol.is_empty() {
                line.eol = eol;
            }
        }
    }
}
