//! `scenario.resolved.toml`: a study as it ran, every default filled in and every
//! override applied, so that a run folder says exactly what produced it and
//! `dccsim run scenario.resolved.toml` runs it again to identical outputs.

use toml::{Table, Value};

use super::network::Scenario;
use super::rollout::RolloutScenario;

/// The text of a resolved study: a header saying where it came from, then `table`.
fn text(table: &Table, from: &str) -> String {
    let body = toml::to_string(table).expect("a TOML table serialises");
    format!(
        "# The study as dccsim {} ran it, read from {from}: every default filled in and every\n\
         # override (--set, --seed, --scale) applied. `dccsim run` on this file runs it again.\n\n{body}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The table `name` of `table`, made if absent.
fn table_mut<'t>(table: &'t mut Table, name: &str) -> &'t mut Table {
    let entry = table.entry(name).or_insert_with(|| Value::Table(Table::new()));
    if !entry.is_table() {
        *entry = Value::Table(Table::new());
    }
    entry.as_table_mut().expect("just made a table")
}

/// A seed as TOML: an integer, or beyond TOML's integers (2^63 − 1) a string of
/// digits, which the seed key also reads.
fn seed_value(seed: u64) -> Value {
    i64::try_from(seed).map_or_else(|_| Value::String(seed.to_string()), Value::Integer)
}

/// A study's name, with `-seed<N>` when it runs with a seed other than the one its
/// file states (or its default): what names its default output folder, so that a
/// second seed does not overwrite the first.
fn folder_name(name: &str, seed: u64, document: &Table) -> String {
    let own = match document.get("scenario").and_then(|s| s.get("seed")) {
        Some(Value::Integer(n)) => u64::try_from(*n).ok(),
        Some(Value::String(digits)) => digits.parse().ok(),
        _ => None,
    };
    if own == Some(seed) { name.to_string() } else { format!("{name}-seed{seed}") }
}

impl Scenario {
    /// The default output folder's name (`output/<this>`): see [`folder_name`].
    pub fn folder_name(&self) -> String {
        folder_name(&self.name, self.seed, &self.document)
    }

    /// The scenario as it runs, as TOML; `from` names the file it was read from.
    /// The population is written as resolved: its premises count and shares, in
    /// place of `scale` or `population.from_rollout`, so the file stands alone.
    pub fn resolved_toml(&self, from: &str) -> String {
        let mut doc = self.document.clone();
        table_mut(&mut doc, "scenario").insert("seed".into(), seed_value(self.seed));
        let population = table_mut(&mut doc, "population");
        population.remove("scale");
        if self.fleet_from_rollout.is_none() {
            population.remove("from_rollout");
            population.insert("premises".into(), Value::Integer(i64::from(self.premises)));
            let mix = &self.population.mix;
            for (key, share) in [
                ("electricity_only_share", mix.electricity_only),
                ("gas_only_share", mix.gas_only),
                ("smets1_share", mix.smets1),
                ("prepayment_share", mix.prepayment),
                ("wan_coverage", mix.wan_coverage),
                ("mesh_share", mix.mesh),
                ("lte_share", mix.lte),
            ] {
                population.insert(key.into(), Value::Float(share.get()));
            }
        }
        text(&doc, from)
    }
}

impl RolloutScenario {
    /// The default output folder's name (`output/<this>`): see [`folder_name`].
    pub fn folder_name(&self) -> String {
        folder_name(&self.name, self.seed, &self.document)
    }

    /// The rollout study as it runs, as TOML; `from` names the file it was read from.
    pub fn resolved_toml(&self, from: &str) -> String {
        let mut doc = self.document.clone();
        table_mut(&mut doc, "scenario").insert("seed".into(), seed_value(self.seed));
        table_mut(&mut doc, "rollout").insert("scale".into(), Value::Float(self.rollout.scale));
        text(&doc, from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(seed: Value) -> Table {
        let mut doc = Table::new();
        table_mut(&mut doc, "scenario").insert("seed".into(), seed);
        doc
    }

    /// A file's own seed keeps the plain name however it is written (an integer,
    /// or a string of digits, which any seed beyond 2^63 − 1 must be); another
    /// seed, or none written, names the seed.
    #[test]
    fn the_folder_names_a_seed_other_than_the_files_own() {
        assert_eq!(folder_name("t", 5, &document(Value::Integer(5))), "t");
        assert_eq!(folder_name("t", 5, &document(Value::String("5".into()))), "t");
        assert_eq!(folder_name("t", u64::MAX, &document(Value::String(u64::MAX.to_string()))), "t");
        assert_eq!(folder_name("t", 6, &document(Value::Integer(5))), "t-seed6");
        assert_eq!(folder_name("t", 6, &document(Value::String("5".into()))), "t-seed6");
        assert_eq!(folder_name("t", 1, &Table::new()), "t-seed1");
    }
}
