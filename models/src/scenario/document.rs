//! The one parse of a scenario file, and the one check of every key against the
//! registry ([`super::keys`]) before typed structs are read from it.
//!
//! Reading a study goes:
//! 1. parse the text once, keeping the parser's span of every key and value;
//! 2. fill in the registry's defaults and apply the command line's `--set`s;
//! 3. walk the document against the registry: unknown keys, numbers out of range,
//!    words not allowed, bad shares, distributions and dates, each problem at its
//!    `file:line:col` (or at its flag), all collected;
//! 4. read the typed study with serde, which then only converts.
//!
//! What compares two keys (a share of a whole, a month after another) is checked by
//! each study after reading, with [`Checker`].

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::Value;
use toml::de::{DeTable, DeValue, Deserializer, ValueDeserializer};

use super::keys::{Key, Range, Table, WAN_NETWORKS};
use super::overrides::NOWHERE;
use super::units::{DelayDef, check_delay};
use super::{Checker, LineCol, Problem, ScenarioError, Set, line_col};
use crate::calendar::{Date, Month};

/// A scenario file's text, parsed once, with the byte span of every key and value.
pub type Document<'i> = Spanned<DeTable<'i>>;

/// A value of the document, with its span.
type Item<'i> = Spanned<DeValue<'i>>;

/// Parses `text`, placing a syntax error at its `file:line:col`.
pub(crate) fn parse<'i>(file: &str, text: &'i str) -> Result<Document<'i>, ScenarioError> {
    DeTable::parse(text).map_err(|e| at_file(file, text, &e))
}

/// Whether a document is a rollout study: it has a top-level `[rollout]` table.
pub(crate) fn is_rollout(doc: &Document<'_>) -> bool {
    doc.get_ref().get("rollout").is_some_and(|v| v.get_ref().is_table())
}

fn at_file(file: &str, text: &str, e: &toml::de::Error) -> ScenarioError {
    let at = line_col(text, e.span().map_or(0, |s| s.start));
    let message = e.message().trim_end().replace('\n', "; ");
    ScenarioError::Invalid(vec![Problem { file: file.to_string(), at, message, flag: None }])
}

fn at_flag(file: &str, set: &Set, message: String) -> ScenarioError {
    let at = LineCol { line: 0, col: 0 };
    ScenarioError::Invalid(vec![Problem { file: file.to_string(), at, message, flag: Some(set.flag.clone()) }])
}

/// Reads the typed study `T` from `doc`: defaults of `registry` filled in, tables
/// named in `drop` removed (a sweep point has no `[sweep]`), `sets` applied, every
/// key checked. `assemble` makes the study of it, with the checks that compare
/// keys; the study comes back if no problem was found, else every problem.
pub(crate) fn read<T: DeserializeOwned, S>(
    file: &str,
    text: &str,
    doc: Document<'_>,
    registry: &[Table],
    sets: &[Set],
    drop: &[&str],
    assemble: impl FnOnce(T, &mut Checker<'_>) -> S,
) -> Result<S, ScenarioError> {
    let defaults_text = super::keys::plain_defaults(registry);
    // A date such as `2026-01-01` is TOML, but every date key reads a string.
    let set_texts: Vec<String> = sets
        .iter()
        .map(|s| match &s.value {
            Value::Datetime(d) => Value::String(d.to_string()).to_string(),
            v => v.to_string(),
        })
        .collect();
    let defaults = DeTable::parse(&defaults_text).expect("the registry's defaults are TOML");
    let mut doc = doc;
    fill(doc.get_mut(), defaults.get_ref(), registry, "");
    for key in drop {
        doc.get_mut().remove(*key);
    }
    let file_only = doc.clone();
    for (set, value) in sets.iter().zip(&set_texts) {
        let value = DeValue::parse(value).expect("a set value is TOML").into_inner();
        set_key(doc.get_mut(), &set.key, Spanned::new(NOWHERE, value)).map_err(|why| at_flag(file, set, why))?;
    }
    let mut check = Checker::new(file, text, sets, doc.clone());
    Walk { registry, check: &mut check }.table(doc.get_ref(), "", &[]);
    match T::deserialize(Deserializer::from(doc)) {
        Ok(study) => {
            let study = assemble(study, &mut check);
            check.finish(study)
        }
        Err(_) if !check.problems.is_empty() => Err(ScenarioError::Invalid(check.into_problems())),
        Err(e) => Err(blame::<T>(file, text, file_only, registry, sets, &set_texts, &e)),
    }
}

/// Places a serde error: at the file if the file alone has it, else at the first
/// set after which the document no longer reads, saying what that key allows.
fn blame<T: DeserializeOwned>(
    file: &str,
    text: &str,
    doc: Document<'_>,
    registry: &[Table],
    sets: &[Set],
    set_texts: &[String],
    e: &toml::de::Error,
) -> ScenarioError {
    let mut doc = doc;
    if T::deserialize(Deserializer::from(doc.clone())).is_err() {
        return at_file(file, text, e);
    }
    for (set, value) in sets.iter().zip(set_texts) {
        if let Ok(value) = DeValue::parse(value) {
            let _ = set_key(doc.get_mut(), &set.key, Spanned::new(NOWHERE, value.into_inner()));
        }
        if let Err(e) = T::deserialize(Deserializer::from(doc.clone())) {
            let message = e.message().trim_end().replace('\n', "; ");
            let (parent, name) = set.key.rsplit_once('.').unwrap_or(("", set.key.as_str()));
            let whole = message.contains("expected u") || message.contains("expected i");
            let allowed = match table_at(registry, parent).and_then(|t| t.keys.iter().find(|k| k.name == name)) {
                Some(key) if whole => format!("a whole number, {}", key.range),
                Some(key) => key.range.to_string(),
                None => format!("the keys of `[{parent}]` (`dccsim list keys`)"),
            };
            return at_flag(file, set, format!("{message}; allowed: {allowed}"));
        }
    }
    at_file(file, text, e)
}

/// The table of `registry` at `path` (with `csp.<network>` as `csp.*`).
fn table_at<'r>(registry: &'r [Table], path: &str) -> Option<&'r Table> {
    let path = match path.strip_prefix("csp.") {
        Some(network) if WAN_NETWORKS.iter().any(|(n, _)| *n == network) => "csp.*",
        _ => path,
    };
    registry.iter().find(|t| t.path == path)
}

/// A walk of the document against the registry.
struct Walk<'r, 'c, 'a> {
    registry: &'r [Table],
    check: &'c mut Checker<'a>,
}

impl Walk<'_, '_, '_> {
    /// The registry table at `path`.
    fn table_at(&self, path: &str) -> Option<&Table> {
        table_at(self.registry, path)
    }

    /// Whether `path` is a table of the registry or holds one.
    fn holds_tables(&self, path: &str) -> bool {
        self.table_at(path).is_some()
            || self.registry.iter().any(|t| t.path.starts_with(&format!("{path}.")) && t.path != "csp.*")
            || path == "csp"
    }

    fn table(&mut self, table: &DeTable<'_>, path: &str, at: &[String]) {
        for (key_name, value) in table.iter() {
            let name: &str = key_name.get_ref();
            let here = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
            let at = [at, &[name.to_string()]].concat();
            let key = self.table_at(path).and_then(|t| t.keys.iter().find(|k| k.name == name));
            if let Some(key) = key {
                self.leaf(key, value, &at);
            } else if self
                .table_at(path)
                .is_some_and(|t| t.keys.iter().any(|k| k.name.starts_with(&format!("{name}[]."))))
            {
                self.elements(value, path, name, &at);
            } else if self.holds_tables(&here) {
                let is_array = self.table_at(&here).is_some_and(|t| t.heading.starts_with("### `[["));
                match value.get_ref() {
                    DeValue::Table(t) if !is_array => self.table(t, &here, &at),
                    DeValue::Array(items) if is_array => {
                        for (i, item) in items.iter().enumerate() {
                            match item.get_ref() {
                                DeValue::Table(t) => self.table(t, &here, &[&at[..], &[i.to_string()]].concat()),
                                _ => self.problem(&at, item, "is not a table".into()),
                            }
                        }
                    }
                    _ => {
                        let shape = if is_array { "an array of tables" } else { "a table" };
                        self.problem(&at, value, format!("is not {shape}; allowed: `[{here}]` as {shape}"));
                    }
                }
            } else {
                let allowed = self.allowed(path);
                let key_at = Spanned::new(key_name.span(), DeValue::Boolean(true));
                self.problem(&at, &key_at, format!("unknown key `{name}`; allowed: {allowed} (`dccsim list keys`)"));
            }
        }
    }

    /// The elements of an array of tables whose keys `name[].key` belong to the
    /// table at `path` (`rollout.smets1.migration_rate`).
    fn elements(&mut self, value: &Item<'_>, path: &str, name: &str, at: &[String]) {
        let Some(items) = value.get_ref().as_array() else {
            return self.problem(at, value, "is not an array of tables".into());
        };
        for (i, item) in items.iter().enumerate() {
            let Some(fields) = item.get_ref().as_table() else { continue };
            for (field, v) in fields.iter() {
                let at = [at, &[i.to_string(), field.get_ref().to_string()]].concat();
                let wanted = format!("{name}[].{}", field.get_ref());
                match self.table_at(path).and_then(|t| t.keys.iter().find(|k| k.name == wanted)) {
                    Some(key) => self.leaf(key, v, &at),
                    None => self.problem(&at, v, format!("unknown key `{}`", field.get_ref())),
                }
            }
        }
    }

    /// The keys and tables allowed at `path`, as a message lists them.
    fn allowed(&self, path: &str) -> String {
        let mut names: Vec<&str> = match self.table_at(path) {
            Some(t) => t.keys.iter().map(|k| k.name.split("[]").next().unwrap_or(k.name)).collect(),
            None => Vec::new(),
        };
        let prefix = if path.is_empty() { String::new() } else { format!("{path}.") };
        for t in self.registry {
            match t.path.strip_prefix(&prefix).and_then(|rest| rest.split('.').next()) {
                Some("*") => names.extend(WAN_NETWORKS.iter().map(|(network, _)| *network)),
                Some(first) => names.push(first),
                None => {}
            }
        }
        names.dedup();
        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    }

    fn problem(&mut self, at: &[String], value: &Item<'_>, message: String) {
        let path = at.join(".");
        self.check.place_at(&path, Some(value.span()).filter(|s| *s != NOWHERE), format!("`{path}`: {message}"));
    }

    /// Checks one value against its key's range.
    fn leaf(&mut self, key: &Key, value: &Item<'_>, at: &[String]) {
        let shown = self.check.shown(value);
        let why = match key.range {
            Range::Num(lo, hi) => match f64::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(x) if x.is_finite() && (lo..=hi).contains(&x) => None,
                Ok(x) => Some(format!("{x} is out of range; allowed: {lo} to {hi}")),
                Err(_) => Some(format!("{shown} is not a number; allowed: {lo} to {hi}")),
            },
            Range::Words(words) => {
                let items = match value.get_ref() {
                    DeValue::Array(items) if key.unit.ends_with('s') || key.unit == "list" => {
                        items.iter().map(|i| i.get_ref().as_str()).collect()
                    }
                    v => vec![v.as_str()],
                };
                let bad = items.iter().find(|w| !w.is_some_and(|w| words.contains(&w)));
                bad.map(|w| match w {
                    Some(w) => format!("unknown value {w:?}; allowed: {}", key.range),
                    None => format!("{shown} is not a word; allowed: {}", key.range),
                })
            }
            Range::Shares(lo, hi) => {
                let shares = Vec::<f64>::deserialize(ValueDeserializer::from(value.clone())).unwrap_or_default();
                let good = (lo..=hi).contains(&shares.len())
                    && shares.iter().all(|s| s.is_finite() && *s >= 0.0)
                    && shares.iter().sum::<f64>() > 0.0;
                let count = if lo == hi { lo.to_string() } else { format!("{lo} to {hi}") };
                (!good).then(|| format!("need {count} non-negative shares, not all zero"))
            }
            Range::Text(_) if key.unit == "distribution" => {
                match DelayDef::deserialize(ValueDeserializer::from(value.clone())) {
                    Ok(delay) => check_delay(&delay).err(),
                    Err(e) => Some(e.message().trim_end().replace('\n', "; ")),
                }
            }
            Range::Text(_) if key.unit.contains("YYYY-MM-DD") => {
                value.get_ref().as_str().map_or(Some("not a \"YYYY-MM-DD\" date".into()), |s| Date::parse(s).err())
            }
            Range::Text(_) if key.unit.contains("YYYY-MM") => {
                value.get_ref().as_str().map_or(Some("not a \"YYYY-MM\" month".into()), |s| Month::parse(s).err())
            }
            Range::Text(_) => None,
        };
        if let Some(why) = why {
            self.problem(at, value, why);
        }
    }
}

/// Puts each default of `from` that `into` lacks into it: a missing table whole
/// (unless it is an array of tables, or `[sweep]`, whose absence means something),
/// and into every element of an array of tables. A value the file gives is kept
/// whole, even a table (a distribution).
fn fill<'a>(into: &mut DeTable<'a>, from: &DeTable<'a>, registry: &[Table], path: &str) {
    for (key, default) in from.iter() {
        let name: &str = key.get_ref();
        let here = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
        let pattern = match here.strip_prefix("csp.") {
            Some(rest) => format!("csp.*{}", rest.find('.').map_or("", |i| &rest[i..])),
            None => here.clone(),
        };
        let table = registry.iter().find(|t| t.path == pattern);
        let holds_tables = table.is_some() || registry.iter().any(|t| t.path.starts_with(&format!("{pattern}.")));
        let is_array = table.is_some_and(|t| t.heading.starts_with("### `[["));
        if !into.contains_key(name) {
            if is_array || here == "sweep" {
                continue;
            }
            let empty = match default.get_ref() {
                DeValue::Table(_) if holds_tables => Spanned::new(default.span(), DeValue::Table(DeTable::default())),
                other => Spanned::new(NOWHERE, other.clone()),
            };
            into.insert(key.clone(), empty);
        }
        if !holds_tables {
            continue;
        }
        match (into.get_mut(name).map(|v| v.get_mut()), default.get_ref()) {
            (Some(DeValue::Table(table)), DeValue::Table(d)) => fill(table, d, registry, &here),
            (Some(DeValue::Array(items)), DeValue::Table(d)) => {
                for item in items.iter_mut() {
                    if let DeValue::Table(table) = item.get_mut() {
                        fill(table, d, registry, &here);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Sets dotted `key` in `table`, creating tables on the way; a numeric part picks
/// an element of an array (of tables).
fn set_key<'i>(table: &mut DeTable<'i>, key: &str, value: Item<'i>) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    let (first, rest) = parts.split_first().expect("split gives at least one part");
    if rest.is_empty() {
        table.insert(name(first), value);
        return Ok(());
    }
    if !table.contains_key(*first) {
        table.insert(name(first), Spanned::new(NOWHERE, DeValue::Table(DeTable::default())));
    }
    let here = table.get_mut(*first).expect("just ensured");
    set_in(here.get_mut(), first, rest, value).map_err(|why| format!("`{key}` cannot be set: {why}"))
}

fn name<'i>(key: &str) -> Spanned<toml::de::DeString<'i>> {
    Spanned::new(NOWHERE, std::borrow::Cow::Owned(key.to_string()))
}

fn set_in<'i>(here: &mut DeValue<'i>, key: &str, parts: &[&str], value: Item<'i>) -> Result<(), String> {
    let (part, rest) = parts.split_first().expect("called with at least one part");
    let next = match here {
        DeValue::Table(t) if rest.is_empty() => {
            t.insert(name(part), value);
            return Ok(());
        }
        DeValue::Table(t) => {
            if !t.contains_key(*part) {
                t.insert(name(part), Spanned::new(NOWHERE, DeValue::Table(DeTable::default())));
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

/// The span of the value at `keys` in `doc`: of the value itself, or of the key of
/// a table or list; if the path is absent, of the deepest table on it present.
pub(crate) fn span_in(doc: &DeTable<'_>, keys: &[&str]) -> std::ops::Range<usize> {
    let mut value: Option<&DeValue<'_>> = None;
    let mut best = 0..0;
    for &segment in keys {
        let next = match value {
            None => doc.get_key_value(segment).map(|(k, v)| (k.span(), v)),
            Some(DeValue::Table(t)) => t.get_key_value(segment).map(|(k, v)| (k.span(), v)),
            Some(DeValue::Array(a)) => segment.parse::<usize>().ok().and_then(|i| a.get(i)).map(|v| (v.span(), v)),
            Some(_) => None,
        };
        let Some((key_span, v)) = next else { break };
        let span = match v.get_ref() {
            DeValue::Table(_) | DeValue::Array(_) => key_span,
            _ => v.span(),
        };
        if span != NOWHERE {
            best = span;
        }
        value = Some(v.get_ref());
    }
    best
}
