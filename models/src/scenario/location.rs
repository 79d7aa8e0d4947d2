//! Finding where a key sits in the scenario text, so errors can say `file:line:col`.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

/// The line and column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol { line, col: before[line_start..].chars().count() + 1 }
}

/// Byte span of the value at a dotted `path` (e.g. `csp.north.round_trip.p95_s`).
///
/// If the full path is absent (a default was used) the span of the deepest table on
/// the path that is present is returned; `None` only if the text does not parse.
pub fn span_of(text: &str, path: &str) -> Option<Range<usize>> {
    span_of_keys(text, &path.split('.').collect::<Vec<_>>())
}

/// [`span_of`] for a path given key by key (keys may themselves contain dots).
pub fn span_of_keys(text: &str, keys: &[&str]) -> Option<Range<usize>> {
    let doc = DeTable::parse(text).ok()?;
    let mut table: &DeTable<'_> = doc.get_ref();
    let mut best = 0..0;
    for &segment in keys {
        let Some((key, value)) = table.get_key_value(segment) else { break };
        best = match value.get_ref() {
            DeValue::Table(_) => key.span(),
            _ => value.span(),
        };
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => break,
        }
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "[scenario]\nname = \"x\"\n\n[csp.north]\nround_trip = { kind = \"lognormal\", median_s = 5.0, p95_s = 2.0 }\n";

    #[test]
    fn finds_nested_inline_values() {
        let span = span_of(TEXT, "csp.north.round_trip.p95_s").unwrap();
        assert_eq!(&TEXT[span.clone()], "2.0");
        assert_eq!(line_col(TEXT, span.start), LineCol { line: 5, col: 60 });
    }

    #[test]
    fn falls_back_to_the_deepest_present_table() {
        let span = span_of(TEXT, "csp.north.channels_per_cell").unwrap();
        assert_eq!(&TEXT[span.clone()], "north");
        assert_eq!(line_col(TEXT, span.start).line, 4);
    }
}
