//! The published installed base, and the simulated one beside it.
//!
//! Each point is a figure from DOMAIN §5, in meters as published, compared at the
//! end of the month it describes (a figure dated early in a month, such as 3 Jan
//! 2023, is compared with the end of the month before). Simulated premises are
//! turned into meters with `meters_per_premises`; the smart-and-advanced total adds
//! the advanced meters of `[rollout.initial]`.
//!
//! The SMETS1 migration milestones of DOMAIN §5 (5.6 m Aug 2021, 9.7 m Jan 2023,
//! 12 m Aug 2024) are not here: `rollout_history.toml` derives its migration rates
//! from them, so they are inputs, not tests.

use super::{CellMonth, RolloutResult};
use crate::scenario::rollout::Month;

/// What a published figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Smart and advanced meters installed (DESNZ).
    SmartAndAdvanced,
    /// SMETS2 meters installed (DESNZ).
    Smets2Installed,
    /// SMETS1 meters installed (DESNZ).
    Smets1Installed,
    /// SMETS2 meters on the DCC network (DCC).
    Smets2Enrolled,
    /// Meters on the DCC network: SMETS2 enrolled and SMETS1 migrated (DCC).
    DccNetwork,
    /// SMETS1 meters migrated to the DCC network.
    Smets1Migrated,
}

/// A published figure.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PublishedPoint {
    /// The month whose end it describes.
    pub month: (i32, u32),
    /// What it counts.
    pub measure: Measure,
    /// Millions of meters.
    pub meters_m: f64,
    /// Where it is from.
    pub source: &'static str,
}

const fn point(year: i32, month: u32, measure: Measure, meters_m: f64, source: &'static str) -> PublishedPoint {
    PublishedPoint { month: (year, month), measure, meters_m, source }
}

/// The installed base year by year, as published (DOMAIN §5).
pub const PUBLISHED: [PublishedPoint; 8] = [
    point(2021, 12, Measure::DccNetwork, 17.0, "DOMAIN §5: 17 m on the DCC network, end 2021 (energylivenews) [M]"),
    point(2022, 12, Measure::DccNetwork, 24.0, "DOMAIN §5: ~24 m on the DCC network, 3 Jan 2023 (businessgreen) [M]"),
    point(2023, 12, Measure::SmartAndAdvanced, 34.8, "DOMAIN §5: 34.8 m smart and advanced, end 2023 (DESNZ) [M]"),
    point(2023, 12, Measure::Smets2Installed, 18.9, "DOMAIN §5: 18.9 m SMETS2, end 2023 (DESNZ) [M]"),
    point(2023, 12, Measure::Smets1Installed, 14.6, "DOMAIN §5: 14.6 m SMETS1, end 2023 (DESNZ) [M]"),
    point(2024, 6, Measure::SmartAndAdvanced, 36.2, "DOMAIN §5: 36.2 m smart and advanced, end Jun 2024 (DESNZ) [M]"),
    point(2024, 8, Measure::DccNetwork, 32.0, "DOMAIN §5: \"just under 32 m\" on the DCC network, 15 Aug 2024 [M]"),
    point(2024, 8, Measure::Smets2Enrolled, 20.0, "DOMAIN §5: 20 m SMETS2 on the DCC network, 15 Aug 2024 [M]"),
];

/// A published figure beside the simulated one.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// "YYYY-MM".
    pub month: String,
    /// What is counted.
    pub measure: Measure,
    /// Published, millions of meters.
    pub published_m: f64,
    /// Simulated, millions of meters.
    pub simulated_m: f64,
    /// (simulated − published) / published, %.
    pub error_pct: f64,
    /// Where the published figure is from.
    pub source: &'static str,
}

fn simulated_meters(r: &RolloutResult, n: &CellMonth, measure: Measure) -> f64 {
    let k = r.meters_per_premises;
    match measure {
        Measure::SmartAndAdvanced => n.smart_premises() as f64 * k + r.advanced_meters,
        Measure::Smets2Installed => n.smets2_installed as f64 * k,
        Measure::Smets1Installed => n.smets1_installed as f64 * k,
        Measure::Smets2Enrolled => n.smets2_enrolled as f64 * k,
        Measure::DccNetwork => n.enrolled_total as f64 * k,
        Measure::Smets1Migrated => n.smets1_migrated_total as f64 * k,
    }
}

/// The published points the run covers, each beside the simulated figure, scaled
/// back to all of GB by `scale`.
pub fn compare(r: &RolloutResult, scale: f64) -> Vec<Comparison> {
    PUBLISHED
        .iter()
        .filter_map(|p| {
            let m = Month::new(p.month.0, p.month.1);
            let i = r.months.iter().position(|&x| x == m)?;
            let simulated_m = simulated_meters(r, &r.national[i], p.measure) / scale / 1e6;
            Some(Comparison {
                month: m.to_string(),
                measure: p.measure,
                published_m: p.meters_m,
                simulated_m,
                error_pct: 100.0 * (simulated_m - p.meters_m) / p.meters_m,
                source: p.source,
            })
        })
        .collect()
}
