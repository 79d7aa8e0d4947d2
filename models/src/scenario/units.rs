//! Scenario values with their meaning in their type: a word naming one of an
//! enum's variants, checked by serde but reported with the file's other problems.

use serde::Deserialize;

use super::Checker;

/// One of `E`'s variants as serde names them, or what was written instead. Serde
/// reads the word; a word it does not know is kept, so the problem is reported
/// together with the file's other problems, each at its own place, rather than
/// stopping the read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Choice<E> {
    /// A variant of `E`.
    Known(E),
    /// Anything else.
    Unknown(toml::Value),
}

impl<E: Copy> Choice<E> {
    /// The variant, or `fallback` with a problem at `path` naming what is `allowed`
    /// (`what` says what the value is, e.g. "level").
    pub(crate) fn or_problem(&self, c: &mut Checker<'_>, path: &str, what: &str, allowed: &str, fallback: E) -> E {
        match self {
            Choice::Known(e) => *e,
            Choice::Unknown(v) => {
                c.problem(path, format!("unknown {what} {v}; allowed: {allowed}"));
                fallback
            }
        }
    }
}
