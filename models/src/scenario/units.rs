//! Scenario values as read: a word naming one of an enum's variants, checked by
//! serde but reported with the file's other problems, and numbers with the place
//! the parser found them at, so each problem is reported where its value stands.

use std::ops::Range;

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

/// A value as written, with the parser's byte span of it in the file
/// ([`NOWHERE`] for a default or a `--set` value, which have no place there).
pub type At<T> = toml::Spanned<T>;

pub(crate) use super::overrides::NOWHERE;

/// `v`, placed nowhere: a default.
pub(crate) fn nowhere<T>(v: T) -> At<T> {
    At::new(NOWHERE, v)
}

/// `v`, or `default` (placed nowhere) if the file omits it.
pub(crate) fn or<T: Clone>(v: &Option<At<T>>, default: T) -> At<T> {
    v.clone().unwrap_or_else(|| At::new(NOWHERE, default))
}

/// Where `v` stands in the file, if it was written there.
pub(crate) fn place<T>(v: &At<T>) -> Option<Range<usize>> {
    Some(v.span()).filter(|s| *s != NOWHERE)
}

/// A number to check: its value and, if the parser saw it in the file, where.
pub(crate) trait Written<T> {
    /// The value.
    fn value(&self) -> T;
    /// Its byte span in the file, if it was written there.
    fn span(&self) -> Option<Range<usize>>;
}

impl<T: Copy> Written<T> for &At<T> {
    fn value(&self) -> T {
        *self.get_ref()
    }

    fn span(&self) -> Option<Range<usize>> {
        place(self)
    }
}

macro_rules! unplaced {
    ($($t:ty),*) => {$(
        impl Written<$t> for $t {
            fn value(&self) -> $t {
                *self
            }

            fn span(&self) -> Option<Range<usize>> {
                None
            }
        }
    )*};
}

unplaced!(f64, i64, super::raw::RawDelay);

/// `shares` scaled to sum to 1.
pub(crate) fn normalised(shares: &[f64]) -> Vec<f64> {
    let total: f64 = shares.iter().sum();
    shares.iter().map(|s| s / total).collect()
}
