//! The lossless parse tree: every line keeps its exact text and line ending, so printing an
//! unedited tree gives back the input byte for byte.

use std::collections::HashMap;
use std::fmt;

/// One line of the file: its text without the terminator, and the terminator itself
/// (`"\n"`, `"\r\n"`, or `""` for a last line without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) eol: &'static str,
    pub(crate) kind: LineKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Only spaces and tabs.
    Blank,
    /// First non-blank character is `#` or `;`.
    Comment,
    /// `[...]`; the section itself holds the parsed name.
    Header,
    /// `key = value` or `key: value` at column 0.
    Property {
        /// Lower-cased, as botocore and aws-sdk-rust compare keys.
        key: String,
        /// Byte offset where the (trimmed) value starts in `text`.
        value_start: usize,
        /// The separator, `=` or `:`.
        sep: char,
    },
    /// An indented line under a property: a continued value or an `s3 =` style sub-property.
    Continuation,
}

impl Line {
    pub(crate) fn value(&self) -> Option<&str> {
        match &self.kind {
            LineKind::Property { value_start, .. } => Some(self.text[*value_start..].trim_end_matches([' ', '\t'])),
            _ => None,
        }
    }
}

/// What a section header names. Prefixes are matched case-sensitively, as botocore does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SectionId {
    /// `[profile NAME]`, or `[default]` (name `default`).
    Profile(String),
    /// `[sso-session NAME]`.
    SsoSession(String),
    /// `[services NAME]`.
    Services(String),
    /// Anything else (`[DEFAULT]`, `[preview]`, a credentials-style `[name]`), by its trimmed text.
    Other(String),
}

impl SectionId {
    pub(crate) fn from_header_text(inner: &str) -> SectionId {
        let inner = inner.trim_matches([' ', '\t']);
        match inner.split_once([' ', '\t']) {
            Some((prefix, rest)) => {
                let name = rest.trim_matches([' ', '\t']).to_string();
                match prefix {
                    "profile" => SectionId::Profile(name),
                    "sso-session" => SectionId::SsoSession(name),
                    "services" => SectionId::Services(name),
                    _ => SectionId::Other(inner.to_string()),
                }
            }
            None if inner == "default" => SectionId::Profile("default".into()),
            None => SectionId::Other(inner.to_string()),
        }
    }

    /// The header text we write for it (`profile default` stays explicit).
    pub(crate) fn header_text(&self) -> String {
        match self {
            SectionId::Profile(n) => format!("profile {n}"),
            SectionId::SsoSession(n) => format!("sso-session {n}"),
            SectionId::Services(n) => format!("services {n}"),
            SectionId::Other(t) => t.clone(),
        }
    }
}

impl fmt::Display for SectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.header_text())
    }
}

/// A section: its header line and the lines up to the next header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    pub(crate) id: SectionId,
    pub(crate) header: Line,
    pub(crate) body: Vec<Line>,
}

/// Why `~/.aws/config` was refused. Line numbers are 1-based. Messages name keys and sections,
/// never values (a value may be a secret key someone keeps in the config).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigParseError {
    #[error("line {line}: not valid UTF-8")]
    NotUtf8 { line: usize },
    #[error("line {line}: carriage return without a line feed (clients split this line differently)")]
    LoneCarriageReturn { line: usize },
    #[error("line {line}: section header without a closing `]` at the end of the line")]
    UnclosedHeader { line: usize },
    #[error("line {line}: empty section header")]
    EmptyHeader { line: usize },
    #[error("line {line}: `key = value` line before the first section")]
    PropertyOutsideSection { line: usize },
    #[error("line {line}: expected `key = value`")]
    NotAProperty { line: usize },
    #[error("line {line}: indented line that continues no property")]
    StrayContinuation { line: usize },
    #[error("line {line}: section {section} already appears on line {first} (botocore then fails every command)")]
    DuplicateSection { line: usize, first: usize, section: SectionId },
    #[error(
        "line {line}: key `{key}` already appears in {section} on line {first} (botocore then fails every command)"
    )]
    DuplicateKey { line: usize, first: usize, section: SectionId, key: String },
}

impl ConfigParseError {
    pub fn line(&self) -> usize {
        match self {
            ConfigParseError::NotUtf8 { line }
            | ConfigParseError::LoneCarriageReturn { line }
            | ConfigParseError::UnclosedHeader { line }
            | ConfigParseError::EmptyHeader { line }
            | ConfigParseError::PropertyOutsideSection { line }
            | ConfigParseError::NotAProperty { line }
            | ConfigParseError::StrayContinuation { line }
            | ConfigParseError::DuplicateSection { line, .. }
            | ConfigParseError::DuplicateKey { line, .. } => *line,
        }
    }
}

/// A parsed `~/.aws/config`. Removed sections stay as tombstones so indexes stay valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub(crate) preamble: Vec<Line>,
    pub(crate) sections: Vec<Option<Section>>,
    pub(crate) index: HashMap<SectionId, usize>,
    /// Line ending for new lines: the file's first one, `\n` for a file without any.
    pub(crate) eol: &'static str,
}

/// One classified line, before grouping into sections (also what `lint` walks).
pub(crate) enum Classified {
    Line(Line),
    Header(Line, SectionId),
}

/// Splits text into lines, keeping terminators, and classifies each line on its own.
pub(crate) fn classify(text: &str) -> Vec<(usize, Result<Classified, ConfigParseError>)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut number = 0;
    while !rest.is_empty() {
        number += 1;
        let (raw, eol, next) = match rest.find('\n') {
            Some(i) if i > 0 && rest.as_bytes()[i - 1] == b'\r' => (&rest[..i - 1], "\r\n", &rest[i + 1..]),
            Some(i) => (&rest[..i], "\n", &rest[i + 1..]),
            None => (rest, "", ""),
        };
        rest = next;
        out.push((number, classify_line(number, raw, eol)));
    }
    out
}

fn classify_line(number: usize, raw: &str, eol: &'static str) -> Result<Classified, ConfigParseError> {
    let line = |kind| Line { text: raw.to_string(), eol, kind };
    if raw.contains('\r') {
        return Err(ConfigParseError::LoneCarriageReturn { line: number });
    }
    let trimmed = raw.trim_matches([' ', '\t']);
    if trimmed.is_empty() {
        return Ok(Classified::Line(line(LineKind::Blank)));
    }
    if trimmed.starts_with(['#', ';']) {
        return Ok(Classified::Line(line(LineKind::Comment)));
    }
    if raw.starts_with([' ', '\t']) {
        return Ok(Classified::Line(line(LineKind::Continuation)));
    }
    if raw.starts_with('[') {
        let Some(inner) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
            return Err(ConfigParseError::UnclosedHeader { line: number });
        };
        if inner.trim_matches([' ', '\t']).is_empty() {
            return Err(ConfigParseError::EmptyHeader { line: number });
        }
        return Ok(Classified::Header(line(LineKind::Header), SectionId::from_header_text(inner)));
    }
    let Some(sep_at) = raw.find(['=', ':']) else {
        return Err(ConfigParseError::NotAProperty { line: number });
    };
    let key = raw[..sep_at].trim_matches([' ', '\t']);
    if key.is_empty() {
        return Err(ConfigParseError::NotAProperty { line: number });
    }
    let after = &raw[sep_at + 1..];
    let value_start = sep_at + 1 + (after.len() - after.trim_start_matches([' ', '\t']).len());
    let sep = if raw.as_bytes()[sep_at] == b'=' { '=' } else { ':' };
    Ok(Classified::Line(line(LineKind::Property { key: key.to_ascii_lowercase(), value_start, sep })))
}

impl ConfigFile {
    /// An empty file (what a missing `~/.aws/config` is).
    pub fn empty() -> Self {
        ConfigFile { preamble: Vec::new(), sections: Vec::new(), index: HashMap::new(), eol: "\n" }
    }

    /// Parses bytes read from disk; refuses invalid UTF-8 with the line it is on.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Self, ConfigParseError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::parse(text),
            Err(e) => {
                let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
                Err(ConfigParseError::NotUtf8 { line })
            }
        }
    }

    /// Parses the text, refusing anything a client would read differently or fail on.
    pub fn parse(text: &str) -> Result<Self, ConfigParseError> {
        let eol = first_eol(text);
        let mut file = ConfigFile { eol, ..ConfigFile::empty() };
        let mut header_lines: HashMap<SectionId, usize> = HashMap::new();
        let mut key_lines: HashMap<String, usize> = HashMap::new();
        // Whether an indented line may continue something here.
        let mut property_open = false;
        for (number, classified) in classify(text) {
            match classified? {
                Classified::Header(line, id) => {
                    if let Some(first) = header_lines.get(&id) {
                        return Err(ConfigParseError::DuplicateSection { line: number, first: *first, section: id });
                    }
                    header_lines.insert(id.clone(), number);
                    key_lines.clear();
                    property_open = false;
                    file.index.insert(id.clone(), file.sections.len());
                    file.sections.push(Some(Section { id, header: line, body: Vec::new() }));
                }
                Classified::Line(line) => {
                    let Some(Some(section)) = file.sections.last_mut() else {
                        match line.kind {
                            LineKind::Blank | LineKind::Comment => {
                                file.preamble.push(line);
                                continue;
                            }
                            LineKind::Continuation => return Err(ConfigParseError::StrayContinuation { line: number }),
                            _ => return Err(ConfigParseError::PropertyOutsideSection { line: number }),
                        }
                    };
                    match &line.kind {
                        LineKind::Property { key, .. } => {
                            if let Some(first) = key_lines.get(key) {
                                return Err(ConfigParseError::DuplicateKey {
                                    line: number,
                                    first: *first,
                                    section: section.id.clone(),
                                    key: key.clone(),
                                });
                            }
                            key_lines.insert(key.clone(), number);
                            property_open = true;
                        }
                        LineKind::Continuation if !property_open => {
                            return Err(ConfigParseError::StrayContinuation { line: number });
                        }
                        _ => {}
                    }
                    section.body.push(line);
                }
            }
        }
        Ok(file)
    }

    fn lines(&self) -> impl Iterator<Item = &Line> {
        self.preamble
            .iter()
            .chain(self.sections.iter().flatten().flat_map(|s| std::iter::once(&s.header).chain(s.body.iter())))
    }

    /// The ids of the sections, in file order.
    pub fn section_ids(&self) -> impl Iterator<Item = &SectionId> {
        self.sections.iter().flatten().map(|s| &s.id)
    }

    pub(crate) fn section(&self, id: &SectionId) -> Option<&Section> {
        self.index.get(id).and_then(|i| self.sections[*i].as_ref())
    }

    pub(crate) fn section_mut(&mut self, id: &SectionId) -> Option<&mut Section> {
        match self.index.get(id) {
            Some(i) => self.sections[*i].as_mut(),
            None => None,
        }
    }

    /// The value of `key` in a section (trimmed; continuation lines are not included).
    pub fn get(&self, id: &SectionId, key: &str) -> Option<&str> {
        self.section(id)?
            .body
            .iter()
            .find(|l| matches!(&l.kind, LineKind::Property { key: k, .. } if k == key))?
            .value()
    }
}

fn first_eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

impl fmt::Display for ConfigFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.lines() {
            f.write_str(&line.text)?;
            f.write_str(line.eol)?;
        }
        Ok(())
    }
}
