//! Output tables' schemas, as values: each column's name, type, unit and meaning,
//! declared once in [`tables`].
//!
//! The writers build every table through [`TableSchema::frame`], which refuses a
//! frame whose columns differ from the declaration, and the column tables of
//! docs/outputs.md are generated from the same declarations
//! ([`TableSchema::markdown`]; `DCCSIM_BLESS=1 cargo test -p report --test
//! schema_docs` rewrites them). So the files, the docs and the code cannot drift
//! apart unnoticed.

pub mod tables;

use models::calendar::Date;
use polars::prelude::{Column, DataFrame, DataType, TimeUnit, TimeZone};

use crate::ReportError;

/// A column's type, as Parquet stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Unsigned 32-bit integer.
    U32,
    /// Unsigned 64-bit integer.
    U64,
    /// 64-bit float.
    F64,
    /// True or false.
    Bool,
    /// UTF-8 text.
    Str,
    /// A UTC timestamp, microseconds (Parquet `TIMESTAMP(MICROS, UTC)`).
    Utc,
}

impl ColumnType {
    /// Its name in the docs.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::U32 => "u32",
            ColumnType::U64 => "u64",
            ColumnType::F64 => "f64",
            ColumnType::Bool => "bool",
            ColumnType::Str => "string",
            ColumnType::Utc => "timestamp (µs, UTC)",
        }
    }

    fn polars(self) -> DataType {
        match self {
            ColumnType::U32 => DataType::UInt32,
            ColumnType::U64 => DataType::UInt64,
            ColumnType::F64 => DataType::Float64,
            ColumnType::Bool => DataType::Boolean,
            ColumnType::Str => DataType::String,
            ColumnType::Utc => DataType::Datetime(TimeUnit::Microseconds, Some(TimeZone::UTC)),
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSchema {
    /// Its name; a name starting with `*` stands for any number of columns of
    /// this type, the rest of the name saying which.
    pub name: &'static str,
    /// Its type.
    pub ty: ColumnType,
    /// Whether it may hold nulls.
    pub nullable: bool,
    /// Its unit ("s", "%", "count", …), empty for identifiers, names and flags.
    pub unit: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// For a timestamp, the seconds column it is computed from (empty otherwise).
    pub from: &'static str,
}

impl ColumnSchema {
    fn repeated(&self) -> bool {
        self.name.starts_with('*')
    }
}

/// A column that never holds nulls.
pub const fn column(name: &'static str, ty: ColumnType, unit: &'static str, meaning: &'static str) -> ColumnSchema {
    ColumnSchema { name, ty, nullable: false, unit, meaning, from: "" }
}

/// A column that may hold nulls.
pub const fn nullable(name: &'static str, ty: ColumnType, unit: &'static str, meaning: &'static str) -> ColumnSchema {
    ColumnSchema { name, ty, nullable: true, unit, meaning, from: "" }
}

/// The UTC clock time of the seconds column `from` (simulated time, whose zero is
/// 00:00 UTC of `measurement.start_date`), placed right after it. The writer gives
/// only the seconds: [`TableSchema::frame_at`] computes the timestamp.
pub const fn utc(name: &'static str, from: &'static str, nullable: bool) -> ColumnSchema {
    ColumnSchema {
        name,
        ty: ColumnType::Utc,
        nullable,
        unit: "UTC",
        meaning: "the clock time of the column before",
        from,
    }
}

/// One output table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSchema {
    /// Its file name in the output folder.
    pub file: &'static str,
    /// Its columns, in order.
    pub columns: &'static [ColumnSchema],
}

impl TableSchema {
    /// The frame of `columns`, `height` rows, checked against this schema: the
    /// names, types and order must be the declared ones, and a column not
    /// declared nullable must hold no null. A repeated column (`*…`) matches
    /// every column of its type at its place, up to the next declared name.
    pub fn frame(&self, height: usize, columns: Vec<Column>) -> Result<DataFrame, ReportError> {
        self.check(&columns)?;
        Ok(DataFrame::new(height, columns)?)
    }

    /// [`TableSchema::frame`] of a table with timestamp columns ([`utc`]): each is
    /// computed from its seconds column, with time zero at 00:00 UTC of `start`.
    pub fn frame_at(&self, start: Date, height: usize, mut columns: Vec<Column>) -> Result<DataFrame, ReportError> {
        let zero_us = start.days_since_epoch() * 86_400_000_000;
        for declared in self.columns.iter().filter(|c| !c.from.is_empty()) {
            let at = columns.iter().position(|c| c.name().as_str() == declared.from).ok_or_else(|| {
                ReportError::Schema(format!("{}: no column `{}` for `{}`", self.file, declared.from, declared.name))
            })?;
            let seconds = columns[at].f64()?;
            let micros: Vec<Option<i64>> =
                seconds.iter().map(|s| s.map(|s| zero_us + (s * 1e6).round() as i64)).collect();
            let stamp = Column::new(declared.name.into(), micros).cast(&declared.ty.polars())?;
            columns.insert(at + 1, stamp);
        }
        self.frame(height, columns)
    }

    fn check(&self, columns: &[Column]) -> Result<(), ReportError> {
        let drift = |what: String| ReportError::Schema(format!("{}: {what}", self.file));
        let mut given = columns.iter().peekable();
        for (i, declared) in self.columns.iter().enumerate() {
            if declared.repeated() {
                let next_name = self.columns.get(i + 1).map(|c| c.name);
                let is_one = |c: &&Column| Some(c.name().as_str()) != next_name && *c.dtype() == declared.ty.polars();
                while let Some(c) = given.next_if(is_one) {
                    self.check_column(declared, c).map_err(drift)?;
                }
                continue;
            }
            let c = given.next().ok_or_else(|| drift(format!("column `{}` is missing", declared.name)))?;
            if c.name().as_str() != declared.name {
                return Err(drift(format!("column `{}` where `{}` is declared", c.name(), declared.name)));
            }
            self.check_column(declared, c).map_err(drift)?;
        }
        match given.next() {
            Some(extra) => Err(drift(format!("column `{}` is not declared", extra.name()))),
            None => Ok(()),
        }
    }

    fn check_column(&self, declared: &ColumnSchema, c: &Column) -> Result<(), String> {
        if *c.dtype() != declared.ty.polars() {
            return Err(format!("column `{}` is {} but declared {}", c.name(), c.dtype(), declared.ty.as_str()));
        }
        if !declared.nullable && c.null_count() > 0 {
            return Err(format!("column `{}` holds nulls but is not declared nullable", c.name()));
        }
        Ok(())
    }

    /// The docs' table of this schema: `| column | type | unit | meaning |`.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| column | type | unit | meaning |\n|---|---|---|---|\n");
        for c in self.columns {
            let name = match c.name.strip_prefix('*') {
                Some(which) => which.to_string(),
                None => format!("`{}`", c.name),
            };
            let ty = if c.nullable { format!("{}, nullable", c.ty.as_str()) } else { c.ty.as_str().to_string() };
            let unit = if c.unit.is_empty() { " ".to_string() } else { format!(" {} ", c.unit) };
            out += &format!("| {name} | {ty} |{unit}| {} |\n", c.meaning);
        }
        out
    }
}

/// The marker before a generated table in docs/outputs.md.
pub fn begin_marker(table: &TableSchema) -> String {
    format!("<!-- schema {}: generated from report::schema::tables; DCCSIM_BLESS=1 to rewrite -->", table.file)
}

/// The marker after a generated table.
pub const END_MARKER: &str = "<!-- end schema -->";

/// `doc` with every generated table rewritten from the schemas. Fails if a
/// schema's table has no markers in the doc.
pub fn regenerate(doc: &str) -> Result<String, String> {
    let mut out = doc.to_string();
    for table in tables::ALL {
        let begin = begin_marker(table);
        let start = out.find(&begin).ok_or_else(|| format!("no `{begin}` in the doc"))? + begin.len();
        let end = start + out[start..].find(END_MARKER).ok_or_else(|| format!("no end marker after `{begin}`"))?;
        out.replace_range(start..end, &format!("\n{}", table.markdown()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::ColumnType::{F64, Str, U32};
    use super::*;

    const T: TableSchema = TableSchema {
        file: "t.parquet",
        columns: &[
            column("id", U32, "", "row"),
            column("*one per key", Str, "", "a key"),
            nullable("x_s", F64, "s", "a time"),
        ],
    };

    fn ids() -> Column {
        Column::new("id".into(), vec![1u32, 2])
    }

    #[test]
    fn a_frame_as_declared_is_accepted_with_any_number_of_repeated_columns() {
        let x = || Column::new("x_s".into(), vec![Some(1.0), None]);
        assert!(T.frame(2, vec![ids(), x()]).is_ok());
        let key = |n: &str| Column::new(n.into(), vec!["a", "b"]);
        assert_eq!(T.frame(2, vec![ids(), key("k1"), key("k2"), x()]).unwrap().width(), 4);
    }

    #[test]
    fn drift_in_name_type_order_or_nulls_is_refused() {
        let cases = [
            (vec![ids()], "column `x_s` is missing"),
            (vec![ids(), Column::new("x".into(), vec![1.0, 2.0])], "column `x` where `x_s` is declared"),
            (vec![ids(), Column::new("x_s".into(), vec![1u32, 2])], "column `x_s` is u32 but declared f64"),
            (vec![Column::new("id".into(), vec![Some(1u32), None])], "`id` holds nulls"),
            (
                vec![ids(), Column::new("x_s".into(), vec![1.0, 2.0]), Column::new("y".into(), vec![1.0, 2.0])],
                "`y` is not declared",
            ),
        ];
        for (columns, expected) in cases {
            let err = T.frame(2, columns).unwrap_err().to_string();
            assert!(err.contains(expected) && err.contains("t.parquet"), "{err}");
        }
    }

    #[test]
    fn the_docs_table_shows_types_nullability_and_units() {
        let md = T.markdown();
        assert!(md.contains("| `id` | u32 | | row |"), "{md}");
        assert!(md.contains("| one per key | string | | a key |"), "{md}");
        assert!(md.contains("| `x_s` | f64, nullable | s | a time |"), "{md}");
    }
}
