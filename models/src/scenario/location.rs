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
    let mut value: Option<&DeValue<'_>> = None;
    let mut best = 0..0;
    for &segment in keys {
        // Descend into a table by key, or into an array (of tables) by index.
        let next = match value {
            None => doc.get_ref().get_key_value(segment).map(|(k, v)| (k.span(), v)),
            Some(DeValue::Table(t)) => t.get_key_value(segment).map(|(k, v)| (k.span(), v)),
            Some(DeValue::Array(a)) => segment.parse::<usize>().ok().and_then(|i| a.get(i)).map(|v| (v.span(), v)),
            Some(_) => None,
        };
        let Some((key_span, v)) = next else { break };
        best = match v.get_ref() {
            DeValue::Table(_) | DeValue::Array(_) => key_span,
            _ => v.span(),
        };
        value = Some(v.get_ref());
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
    fn finds_values_inside_arrays_of_tables() {
        let text = "[[traffic.streams]]\nname = \"a\"\n\n[[traffic.streams]]\nname = \"b\"\nrate_per_s = -1\n";
        let span = span_of_keys(text, &["traffic", "streams", "1", "rate_per_s"]).unwrap();
        assert_eq!(&text[span.clone()], "-1");
        assert_eq!(line_col(text, span.start).line, 6);
    }

    #[test]
    fn falls_back_to_the_deepest_present_table() {
        let span = span_of(TEXT, "csp.north.channels_per_cell").unwrap();
        assert_eq!(&TEXT[span.clone()], "north");
        assert_eq!(line_col(TEXT, span.start).line, 4);
    }
}
