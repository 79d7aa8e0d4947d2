//! Values given on the command line over a scenario file (`--set key=value`), and
//! the one parse of the file's text that everything else reads.
//!
//! A set value is validated exactly like the file's: it goes into the same document
//! before serde and the range checks see it. Only the place of a problem differs:
//! a problem with a set value is reported at its flag, e.g.
//! `--set dsp.servers=-1: ...; allowed: 1 to 100000`.

use serde::de::DeserializeOwned;
use toml::Value;
use toml::de::{DeTable, DeValue, Deserializer};

use super::keys::{self, Table};
use super::{LineCol, Problem, ScenarioError, line_col};

/// A scenario file's text, parsed once, with the byte span of every key and value.
pub type Document<'i> = toml::Spanned<DeTable<'i>>;

/// One value given on the command line over the file's.
#[derive(Debug, Clone, PartialEq)]
pub struct Set {
    /// Dotted key, e.g. `dsp.servers` or `traffic.streams.0.rate_per_s` (an array
    /// element by its index).
    pub key: String,
    /// The value, as TOML.
    pub value: Value,
    /// The flag as the user wrote it, where problems with it are reported.
    pub flag: String,
}

impl Set {
    /// Reads `key=value` as given to `--set`. The value is TOML (`64`, `0.5`,
    /// `"aggregate"`, `{ kind = "constant", value_s = 2 }`); a bare word that is not
    /// TOML, such as `aggregate` or `2027-03`, is taken as a string, to spare shell
    /// quoting.
    pub fn parse(arg: &str) -> Result<Set, String> {
        let flag = format!("--set {arg}");
        let (key, value) =
            arg.split_once('=').ok_or_else(|| format!("{flag}: expected KEY=VALUE, e.g. dsp.servers=64"))?;
        let key = key.trim();
        let well_formed =
            key.split('.').all(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if !well_formed {
            return Err(format!(
                "{flag}: {key:?} is not a dotted key; allowed: keys such as dsp.servers (see `dccsim list keys`)"
            ));
        }
        let value = value.trim();
        let parsed = toml::from_str::<toml::Table>(&format!("v = {value}")).ok().and_then(|mut t| t.remove("v"));
        let bare = !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c));
        let value = match parsed {
            Some(v) => v,
            None if bare => Value::String(value.to_string()),
            None => {
                return Err(format!("{flag}: {value:?} is not a TOML value; allowed: e.g. 64, 0.5, \"text\", [1, 2]"));
            }
        };
        Ok(Set { key: key.to_string(), value, flag })
    }

    /// A set that a command-line shorthand stands for, e.g. `--seed 7`.
    pub fn shorthand(flag: String, key: &str, value: Value) -> Set {
        Set { key: key.to_string(), value, flag }
    }
}

/// The flag of the last set whose key is `path` or a table holding it.
pub(crate) fn flag_of(sets: &[Set], path: &str) -> Option<String> {
    sets.iter()
        .rev()
        .find(|s| path == s.key || path.strip_prefix(s.key.as_str()).is_some_and(|rest| rest.starts_with('.')))
        .map(|s| s.flag.clone())
}

fn invalid(problem: Problem) -> ScenarioError {
    ScenarioError::Invalid(vec![problem])
}

fn at_file(file: &str, text: &str, e: &toml::de::Error) -> ScenarioError {
    let at = line_col(text, e.span().map_or(0, |s| s.start));
    let message = e.message().trim_end().replace('\n', "; ");
    invalid(Problem { file: file.to_string(), at, message, flag: None })
}

fn at_flag(file: &str, set: &Set, message: String) -> ScenarioError {
    invalid(Problem { file: file.to_string(), at: LineCol { line: 0, col: 0 }, message, flag: Some(set.flag.clone()) })
}

/// Parses `text`, placing a syntax error at its `file:line:col`.
pub(crate) fn parse_document<'i>(file: &str, text: &'i str) -> Result<Document<'i>, ScenarioError> {
    DeTable::parse(text).map_err(|e| at_file(file, text, &e))
}

/// Whether a document is a rollout study: it has a top-level `[rollout]` table.
pub(crate) fn is_rollout(doc: &Document<'_>) -> bool {
    doc.get_ref().get("rollout").is_some_and(|v| v.get_ref().is_table())
}

/// The raw form `T` of `doc` with `sets` applied in order. The file's own
/// mistakes (unknown keys, wrong types) keep their places; then each set is
/// applied in turn, and the first that makes the document unreadable is named.
/// Values keep the parser's spans, so later problems are placed where they stand.
///
/// Top-level tables named in `drop` are removed first (a sweep point's scenario
/// has no `[sweep]` of its own).
pub(crate) fn raw_from<T: DeserializeOwned>(
    file: &str,
    text: &str,
    doc: Document<'_>,
    registry: &[Table],
    sets: &[Set],
    drop: &[&str],
) -> Result<T, ScenarioError> {
    let defaults_text = keys::plain_defaults(registry);
    let defaults = DeTable::parse(&defaults_text).expect("the registry's plain defaults are TOML");
    let arrays: Vec<&str> = registry.iter().filter(|t| t.heading.starts_with("### `[[")).map(|t| t.path).collect();
    // A date such as `2026-01-01` is TOML, but every date key reads a string.
    let set_texts: Vec<String> = sets
        .iter()
        .map(|s| match &s.value {
            Value::Datetime(d) => Value::String(d.to_string()).to_string(),
            v => v.to_string(),
        })
        .collect();
    let mut doc = doc;
    fill(doc.get_mut(), defaults.get_ref(), &arrays, "");
    let read = |doc: &Document<'_>| T::deserialize(Deserializer::from(doc.clone()));
    let mut raw = read(&doc).map_err(|e| at_file(file, text, &e))?;
    for key in drop {
        doc.get_mut().remove(*key);
    }
    if !drop.is_empty() {
        raw = read(&doc).map_err(|e| at_file(file, text, &e))?;
    }
    for (set, value) in sets.iter().zip(&set_texts) {
        let value = DeValue::parse(value).expect("a set value is TOML");
        // A set value has no place in the file: problems with it go to its flag.
        let value = toml::Spanned::new(NOWHERE, value.into_inner());
        set_key(doc.get_mut(), &set.key, value).map_err(|why| at_flag(file, set, why))?;
        raw = read(&doc).map_err(|e| {
            let message = e.message().trim_end().replace('\n', "; ");
            at_flag(file, set, format!("{message}; allowed: the keys of `[{}]` (`dccsim list keys`)", parent(&set.key)))
        })?;
    }
    Ok(raw)
}

/// The span of a value that is not in the file: a default, or a `--set` value.
pub(crate) const NOWHERE: std::ops::Range<usize> = usize::MAX..usize::MAX;

/// Puts each default of `from` that `into` lacks into it: a missing table whole
/// (unless it is an array of tables, or `[sweep]`, whose absence means something),
/// and into every element of an array of tables.
fn fill<'a>(into: &mut DeTable<'a>, from: &DeTable<'a>, arrays: &[&str], path: &str) {
    for (key, default) in from.iter() {
        let name: &str = key.get_ref();
        let here = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
        if arrays.contains(&here.as_str()) || here == "sweep" {
            if !into.contains_key(name) {
                continue;
            }
        } else if !into.contains_key(name) {
            let empty = match default.get_ref() {
                DeValue::Table(_) => toml::Spanned::new(default.span(), DeValue::Table(DeTable::default())),
                other => toml::Spanned::new(NOWHERE, other.clone()),
            };
            into.insert(key.clone(), empty);
        }
        match into.get_mut(name).map(|v| v.get_mut()) {
            None => {}
            Some(DeValue::Table(table)) => {
                if let DeValue::Table(d) = default.get_ref() {
                    fill(table, d, arrays, &here);
                }
            }
            Some(DeValue::Array(items)) => {
                for item in items.iter_mut() {
                    if let (DeValue::Table(table), DeValue::Table(d)) = (item.get_mut(), default.get_ref()) {
                        fill(table, d, arrays, &here);
                    }
                }
            }
            Some(_) => {}
        }
    }
}

fn parent(key: &str) -> &str {
    key.rsplit_once('.').map_or("", |(table, _)| table)
}

/// Sets dotted `key` in `table`, creating tables on the way; a numeric part picks
/// an element of an array (of tables).
pub(crate) fn set_key<'i>(table: &mut DeTable<'i>, key: &str, value: DeItem<'i>) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    let (first, rest) = parts.split_first().expect("split gives at least one part");
    if rest.is_empty() {
        table.insert(name(first), value);
        return Ok(());
    }
    if !table.contains_key(*first) {
        table.insert(name(first), toml::Spanned::new(NOWHERE, DeValue::Table(DeTable::default())));
    }
    let here = table.get_mut(*first).expect("just ensured");
    set_in(here.get_mut(), first, rest, value).map_err(|why| format!("`{key}` cannot be set: {why}"))
}

/// A value of the document, with its span.
type DeItem<'i> = toml::Spanned<DeValue<'i>>;

fn name<'i>(key: &str) -> toml::Spanned<toml::de::DeString<'i>> {
    toml::Spanned::new(NOWHERE, std::borrow::Cow::Owned(key.to_string()))
}

fn set_in<'i>(here: &mut DeValue<'i>, key: &str, parts: &[&str], value: DeItem<'i>) -> Result<(), String> {
    let (part, rest) = parts.split_first().expect("called with at least one part");
    let next = match here {
        DeValue::Table(t) if rest.is_empty() => {
            t.insert(name(part), value);
            return Ok(());
        }
        DeValue::Table(t) => {
            if !t.contains_key(*part) {
                t.insert(name(part), toml::Spanned::new(NOWHERE, DeValue::Table(DeTable::default())));
            }
            t.get_mut(*part).expect("just ensured")
        }
        DeValue::Array(items) => {
            let len = items.len();
            let slot = part.parse::<usize>().ok().filter(|i| *i < len);
            let slot = slot.ok_or_else(|| format!("`{key}` has {len} entries; allowed: an index from 0"))?;
            let item = &mut items.as_mut()[slot];
            if rest.is_empty() {
                *item = value;
                return Ok(());
            }
            item
        }
        _ => return Err(format!("`{key}` is not a table")),
    };
    set_in(next.get_mut(), part, rest, value)
}
