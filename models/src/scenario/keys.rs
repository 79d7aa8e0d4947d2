//! The registry of scenario keys: for each key its unit, default, allowed range, and
//! what it means with the source of its default. It is stated once, here (the rows
//! are in [`super::keys_network`] and [`super::keys_rollout`]); the key tables of
//! `scenarios/README.md`, `dccsim explain KEY`, `dccsim list keys` and the range
//! checks of validation are all read from it.

pub use super::keys_network::NETWORK;
pub use super::keys_rollout::ROLLOUT;

/// What values a key allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// A number from the first to the second, inclusive; validation enforces it.
    Num(f64, f64),
    /// One of these words (or, for a list, each item one of them); validation
    /// enforces it.
    Words(&'static [&'static str]),
    /// From the first to the second number of non-negative weights, not all zero:
    /// the parts of a whole, scaled to sum to 1; validation enforces it.
    Shares(usize, usize),
    /// Said in words, for values whose bounds depend on other keys or that are not
    /// numbers (names, distributions); validation checks them after reading.
    Text(&'static str),
}

/// One key of a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Key {
    /// The key's name within its table.
    pub name: &'static str,
    /// Its unit, or the kind of value (`count`, `s`, `fraction`, `text`, ...).
    pub unit: &'static str,
    /// Its default, as written in the README (one per default column of the table).
    pub defaults: &'static [&'static str],
    /// The values allowed.
    pub range: Range,
    /// What it means, and the source of the default (DOMAIN §n or "assumption").
    pub about: &'static str,
}

/// A registry row (kept short: the registry is a table of these).
pub const fn k(
    name: &'static str,
    unit: &'static str,
    defaults: &'static [&'static str],
    range: Range,
    about: &'static str,
) -> Key {
    Key { name, unit, defaults, range, about }
}

/// One table of a scenario file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Table {
    /// Its heading in `scenarios/README.md`.
    pub heading: &'static str,
    /// The header row of its key table.
    pub header: &'static str,
    /// Its dotted path (`csp.*` for each WAN network); arrays of tables have no index.
    pub path: &'static str,
    /// Its keys.
    pub keys: &'static [Key],
}

impl Table {
    /// Whether the table belongs to a rollout study.
    pub fn is_rollout(&self) -> bool {
        ROLLOUT.iter().any(|t| std::ptr::eq(t, self))
    }

    /// The key table as markdown, as `scenarios/README.md` shows it.
    pub fn markdown(&self) -> String {
        let columns = self.header.matches('|').count() - 1;
        let mut out = format!("{}\n{}|\n", self.header, "|---".repeat(columns));
        for key in self.keys {
            let mut cells = vec![format!("`{}`", key.name), key.unit.to_string()];
            cells.extend(key.defaults.iter().map(|d| d.to_string()));
            cells.extend([key.range.to_string(), key.about.to_string()]);
            out += &format!("| {} |\n", cells.join(" | ")).replace("|  |", "| |").replace("|  |", "| |");
        }
        out
    }
}

impl std::fmt::Display for Range {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Range::Num(lo, hi) => write!(f, "{} to {}", number(*lo), number(*hi)),
            Range::Words(words) => f.write_str(&words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")),
            Range::Shares(lo, hi) if lo == hi => write!(f, "{lo} shares ≥ 0, not all 0"),
            Range::Shares(lo, hi) => write!(f, "{lo} to {hi} shares ≥ 0, not all 0"),
            Range::Text(text) => f.write_str(text),
        }
    }
}

/// A bound as people write it: 100,000; 10^6; 0.000001; −1.
fn number(x: f64) -> String {
    if x < 0.0 {
        return format!("−{}", number(-x));
    }
    let power = x.log10().round();
    if x >= 1e6 && 10f64.powf(power) == x {
        return format!("10^{power}");
    }
    if x.fract() != 0.0 {
        return format!("{x}");
    }
    let digits = format!("{x}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Every table: a network study's, then a rollout study's.
pub fn tables() -> impl Iterator<Item = &'static Table> {
    NETWORK.iter().chain(ROLLOUT)
}

/// The key at dotted `path` (e.g. `dsp.servers`, `csp.north.round_trip`,
/// `traffic.streams.0.rate_per_s`), in every kind of study that has it.
pub fn find(path: &str) -> Vec<(&'static Table, &'static Key)> {
    let wanted = normalise(path);
    tables()
        .flat_map(|t| t.keys.iter().map(move |key| (t, key)))
        .filter(|(t, key)| normalise(&format!("{}.{}", t.path, key.name)) == wanted)
        .collect()
}

/// A path without array indices, with any WAN network as `*`.
fn normalise(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').filter(|p| p.parse::<usize>().is_err()).collect();
    let joined = parts.join(".").replace("[]", "");
    match joined.strip_prefix("csp.").and_then(|rest| rest.split_once('.')) {
        Some((_, key)) => format!("csp.*.{key}"),
        None => joined,
    }
}

/// The defaults of `tables` as a TOML document, one table per registry table (a
/// WAN network's table for each network, from its column); validation fills them
/// into the file before reading it. Defaults that are not TOML values ("required",
/// "catalogue", words) are left out; `[sweep]` matters by its presence, so it is
/// left out too.
pub(crate) fn plain_defaults(tables: &[Table]) -> String {
    let mut out = String::new();
    for table in tables {
        let columns: Vec<(String, usize)> = match table.path {
            "csp.*" => WAN_NETWORKS.iter().map(|&(name, column)| (format!("csp.{name}"), column)).collect(),
            path => vec![(path.to_string(), 0)],
        };
        for (path, column) in columns {
            out += &format!("[{path}]\n");
            for key in table.keys.iter().filter(|key| !key.name.contains("[]")) {
                if let Some(value) = default_value(key, column) {
                    out += &format!("{} = {value}\n", key.name);
                }
            }
        }
    }
    out
}

/// The WAN networks' tables and the default column of the `csp.*` table each uses.
pub(crate) const WAN_NETWORKS: [(&str, usize); 5] =
    [("north", 0), ("central", 1), ("south", 1), ("mesh", 2), ("lte", 3)];

/// The default of `key` in default column `column`, as a TOML value, if it is one.
fn default_value(key: &Key, column: usize) -> Option<String> {
    let default = digits_only(&key.defaults[column.min(key.defaults.len() - 1)].replace('`', ""));
    let value = match default.as_str() {
        "required" | "empty" | "none" | "" => return None,
        d if key.unit.contains("YYYY") || key.unit == "text" => format!("{:?}", d.trim_matches('"')),
        d => d.to_string(),
    };
    toml::from_str::<toml::Table>(&format!("v = {value}")).is_ok().then_some(value)
}

/// `3,600` as `3600`; commas between list items stay.
fn digits_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let thousands = |i: usize| {
        i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1..i + 4).is_some_and(|d| d.iter().all(char::is_ascii_digit))
    };
    chars.iter().enumerate().filter(|&(i, c)| *c != ',' || !thousands(i)).map(|(_, c)| c).collect()
}

/// `dccsim explain KEY`: everything the registry says about a key.
pub fn explain(path: &str) -> Option<String> {
    let found = find(path);
    if found.is_empty() {
        return None;
    }
    let mut out = String::new();
    for (table, key) in found {
        let study = if table.is_rollout() { "rollout" } else { "network" };
        let defaults = key.defaults.iter().map(|d| if d.is_empty() { "none" } else { d }).collect::<Vec<_>>();
        let defaults = if table.path == "csp.*" {
            defaults.iter().zip(["North", "Central/South", "mesh", "4G"]).map(|(d, n)| format!("{d} ({n})")).collect()
        } else {
            defaults.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        };
        out += &format!(
            "{}.{} ({study} study, {})\n  unit:    {}\n  default: {}\n  range:   {}\n  meaning: {}\n",
            table.path,
            key.name,
            table.heading.trim_start_matches("### "),
            key.unit,
            defaults.join(" / "),
            if key.range == Range::Text("") { "any".to_string() } else { key.range.to_string() },
            key.about
        );
    }
    Some(out)
}

/// `dccsim list keys`: one line per key, `path  unit  default  range`.
pub fn list() -> String {
    let mut out = String::new();
    for table in tables() {
        let study = if table.is_rollout() { "rollout" } else { "network" };
        for key in table.keys {
            let path = format!("{}.{}", table.path, key.name);
            out += &format!("{study:8} {path:48} {:12} {:14} {}\n", key.unit, key.defaults.join(" / "), key.range);
        }
    }
    out
}

/// `readme` with each registry table put in place under its heading: what
/// `scenarios/README.md` must equal.
pub fn readme_with_tables(readme: &str) -> String {
    let mut lines: Vec<String> = readme.lines().map(str::to_string).collect();
    for table in tables() {
        let Some(heading) = lines.iter().position(|l| l == table.heading) else { continue };
        // The table belongs to this heading only if it comes before the next one; a
        // heading without one gets it right below.
        let next =
            lines[heading + 1..].iter().position(|l| l.starts_with("##")).map_or(lines.len(), |i| heading + 1 + i);
        let rows = table.markdown().lines().map(str::to_string).collect::<Vec<_>>();
        match lines[heading..next].iter().position(|l| l.starts_with("| key")).map(|i| heading + i) {
            Some(start) => {
                let end = lines[start..].iter().position(|l| !l.starts_with('|')).map_or(lines.len(), |i| start + i);
                lines.splice(start..end, rows);
            }
            None => {
                lines.splice(heading + 1..heading + 1, std::iter::once(String::new()).chain(rows));
            }
        }
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_tables_are_the_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios/README.md");
        let readme = std::fs::read_to_string(path).unwrap();
        let expected = readme_with_tables(&readme);
        if std::env::var_os("DCCSIM_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        assert!(readme == expected, "scenarios/README.md differs from the key registry; rerun with DCCSIM_BLESS=1");
        for table in tables() {
            assert!(readme.contains(table.heading), "README has no heading {:?}", table.heading);
        }
    }

    #[test]
    fn keys_are_found_by_path_in_any_network_and_array_element() {
        let (table, key) = find("csp.mesh.loss_probability")[0];
        assert_eq!(
            (table.path, key.name, key.defaults),
            ("csp.*", "loss_probability", &["0.01", "0.01", "0.03", "0.01"][..])
        );
        assert_eq!(find("traffic.streams.3.rate_per_s")[0].1.range, Range::Num(0.0, 1e6));
        assert_eq!(find("scenario.seed").len(), 2, "network and rollout studies both have it");
        assert!(find("dsp.serverz").is_empty());
        assert_eq!(find("dsp.servers")[0].1.range, Range::Num(1.0, 100_000.0));
    }

    #[test]
    fn bounds_read_as_people_write_them() {
        let cases = [(100_000.0, "100,000"), (1e6, "10^6"), (0.000001, "0.000001"), (-1.0, "−1"), (999.0, "999")];
        for (x, shown) in cases {
            assert_eq!(number(x), shown);
        }
    }

    #[test]
    fn explain_gives_unit_default_range_and_source() {
        let text = explain("dsp.servers").unwrap();
        assert!(text.contains("unit:    count") && text.contains("default: 64"), "{text}");
        assert!(text.contains("range:   1 to 100,000") && text.contains("(assumption)"), "{text}");
        assert!(explain("dsp.serverz").is_none());
    }
}
