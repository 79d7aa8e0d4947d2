//! Values given on the command line over a scenario file (`--set key=value`).
//!
//! A set value is validated exactly like the file's: it goes into the same document
//! ([`super::document`]) before the registry's checks and serde see it. Only the place of a problem differs:
//! a problem with a set value is reported at its flag, e.g.
//! `--set dsp.servers=-1: ...; allowed: 1 to 100000`.

use toml::Value;

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

/// The span of a value that is not in the file: a default, or a `--set` value.
pub(crate) const NOWHERE: std::ops::Range<usize> = usize::MAX..usize::MAX;
