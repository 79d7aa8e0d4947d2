//! Problems with a scenario's values, each with its place in the file (or the
//! `--set` flag that gave the value) and what is allowed, so that a user sees all
//! of them at once.

use std::ops::Range;

use toml::de::DeValue;

use super::document::{Document, span_in};
use super::overrides::{NOWHERE, flag_of};
use super::{LineCol, Problem, Set, line_col};

/// Collects problems with their places.
pub(crate) struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    /// Values given on the command line: problems with them are placed at their flag.
    sets: &'a [Set],
    /// The document read, with every value's span.
    doc: Document<'a>,
    pub(super) problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    /// A checker of `doc`, parsed from `text` of `file` with `sets` applied.
    pub(crate) fn new(file: &'a str, text: &'a str, sets: &'a [Set], doc: Document<'a>) -> Checker<'a> {
        Checker { file, text, sets, doc, problems: Vec::new() }
    }

    /// The document being checked, defaults filled in and `--set`s applied, as a
    /// plain table (what `scenario.resolved.toml` starts from).
    pub(crate) fn resolved(&self) -> toml::Table {
        use serde::Deserialize;
        toml::Table::deserialize(toml::de::Deserializer::from(self.doc.clone())).unwrap_or_default()
    }

    /// The command-line values applied over the file.
    pub(crate) fn sets(&self) -> &'a [Set] {
        self.sets
    }

    /// The file being checked, as given.
    pub(crate) fn file(&self) -> &'a str {
        self.file
    }

    /// The problems found, in the order they stand in the file (flags last).
    pub(crate) fn into_problems(mut self) -> Vec<Problem> {
        self.problems.sort_by_key(|p| (p.flag.is_some(), p.at.line, p.at.col));
        self.problems
    }

    /// `Ok(value)` if no problem was found, else every problem.
    pub(crate) fn finish<T>(self, value: T) -> Result<T, super::ScenarioError> {
        if self.problems.is_empty() { Ok(value) } else { Err(super::ScenarioError::Invalid(self.into_problems())) }
    }

    /// A problem with the value at dotted `path`, placed where the parser found it
    /// (or at the flag that set it).
    pub(crate) fn problem(&mut self, path: &str, message: String) {
        let keys: Vec<&str> = path.split('.').collect();
        self.problem_at(&keys, &format!("`{path}`: {message}"));
    }

    /// A problem at a path given key by key (keys may hold dots); `message` is used
    /// as it is.
    pub(crate) fn problem_at(&mut self, keys: &[&str], message: &str) {
        let span = span_in(self.doc.get_ref(), keys);
        self.place_at(&keys.join("."), Some(span), message.to_string());
    }

    /// A problem with the value at `path`, at `span` if it is in the file.
    pub(crate) fn place_at(&mut self, path: &str, span: Option<Range<usize>>, message: String) {
        let flag = flag_of(self.sets, path);
        let at = match (&flag, span) {
            (Some(_), _) => LineCol { line: 0, col: 0 },
            (None, span) => line_col(self.text, span.filter(|s| *s != NOWHERE).map_or(0, |s| s.start)),
        };
        self.problems.push(Problem { file: self.file.to_string(), at, message, flag });
    }

    /// A value as the file wrote it (for messages), or as TOML if it was set.
    pub(crate) fn shown(&self, value: &toml::Spanned<DeValue<'_>>) -> String {
        match self.text.get(value.span()) {
            Some(written) => written.to_string(),
            None => match value.get_ref() {
                DeValue::String(s) => format!("{s:?}"),
                _ => "the value".to_string(),
            },
        }
    }

    /// Checks `x` against bounds that depend on other keys.
    pub(crate) fn within(&mut self, path: &str, x: f64, lo: f64, hi: f64) {
        if !(x.is_finite() && (lo..=hi).contains(&x)) {
            self.problem(path, format!("{x} is out of range; allowed: {lo} to {hi}"));
        }
    }
}

/// A study's name names its output folder: letters, digits, `-` and `_` only.
pub(crate) fn check_name(name: &str, c: &mut Checker<'_>) {
    if name.is_empty() || !name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
        c.problem("scenario.name", format!("name {name:?} is not allowed: use letters, digits, '-' and '_' only"));
    }
}
