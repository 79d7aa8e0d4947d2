//! Places in the scenario text, so errors can say `file:line:col`.

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

#[cfg(test)]
mod tests {
    use super::super::document::{parse, span_in};
    use super::*;

    const TEXT: &str =
        "[scenario]\nname = \"x\"\n\n[csp.north]\nround_trip = { kind = \"lognormal\", median_s = 5.0, p95_s = 2.0 }\n";

    #[test]
    fn finds_nested_inline_values_by_characters() {
        let doc = parse("s.toml", TEXT).unwrap();
        let span = span_in(doc.get_ref(), &["csp", "north", "round_trip", "p95_s"]);
        assert_eq!(&TEXT[span.clone()], "2.0");
        assert_eq!(line_col(TEXT, span.start), LineCol { line: 5, col: 60 });
        assert_eq!(line_col("é = 1\nx", 7), LineCol { line: 2, col: 1 });
    }

    #[test]
    fn finds_values_inside_arrays_of_tables_and_falls_back_to_the_deepest_table() {
        let text = "[[traffic.streams]]\nname = \"a\"\n\n[[traffic.streams]]\nname = \"b\"\nrate_per_s = -1\n";
        let doc = parse("s.toml", text).unwrap();
        let span = span_in(doc.get_ref(), &["traffic", "streams", "1", "rate_per_s"]);
        assert_eq!(&text[span.clone()], "-1");
        let doc = parse("s.toml", TEXT).unwrap();
        let span = span_in(doc.get_ref(), &["csp", "north", "channels_per_cell"]);
        assert_eq!(&TEXT[span], "north");
    }
}
