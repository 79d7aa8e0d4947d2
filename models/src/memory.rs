//! How much memory a run will need, estimated from the scenario before it starts.
//!
//! The estimate adds the parts that grow with the study: the population (its packed
//! kinds and cells), the distribution tree, the request records held until they are
//! written, the engine's calendars and the time series. The record term dominates
//! national runs; its factor of 1.5 allows for the vector's growth and the output
//! batches, calibrated on a whole-GB day (59.9 M records: 8.50 GiB measured peak, see
//! BENCHMARKS.md).

use crate::population::Population;
use crate::scenario::Scenario;
use crate::service_request::ServiceRequestRecord;

/// An estimate of a run's peak memory, by part, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryEstimate {
    /// Premises kinds and cells.
    pub population_bytes: u64,
    /// Request records until they are written.
    pub records_bytes: u64,
    /// Event calendars, stations, series and the program itself.
    pub engine_bytes: u64,
    /// Power cuts, planned alerts and alert records.
    pub alerts_bytes: u64,
}

/// Fixed cost of the program and its libraries (measured: a 60 s run of 100,000
/// premises peaks below 100 MB).
const BASE_BYTES: u64 = 100 << 20;

impl MemoryEstimate {
    /// The estimate for `scenario`.
    pub fn of(scenario: &Scenario) -> MemoryEstimate {
        let premises = u64::from(scenario.premises);
        // Kinds, cells and about one tree node per 40 premises (4 bytes each level).
        let population_bytes = premises * Population::BYTES_PER_PREMISES as u64 + premises / 10;
        let span_s = scenario.horizon.as_secs_f64();
        // Requests: streams' rates over the horizon; per-premises volumes at their
        // largest (every premises targeted).
        let requests: f64 = scenario
            .traffic
            .iter()
            .map(|t| match (t.rate_per_s, t.per_premises_per_day) {
                (Some(rate), _) => rate * span_s,
                (None, Some(per_day)) => per_day * premises as f64 * span_s / 86_400.0,
                (None, None) => 0.0,
            })
            .sum();
        let record = std::mem::size_of::<ServiceRequestRecord>() as f64 * 1.5;
        let records_bytes = (requests * record) as u64;
        let partitions = u64::from(scenario.dsp.shards) + 3 * u64::from(scenario.csp_partitions_per_region);
        let buckets = ((span_s + scenario.drain_limit.as_secs_f64()) / scenario.series_bucket.as_secs_f64()) as u64 + 1;
        // A calendar of 65,536 empty buckets per partition; 16 series of 16-byte
        // cells per stage, ~8 stages per partition.
        let engine_bytes = BASE_BYTES + partitions * (65_536 * 24 + buckets * 16 * 16 * 8);
        MemoryEstimate { population_bytes, records_bytes, engine_bytes, alerts_bytes: alerts_bytes(scenario) }
    }

    /// The whole estimate.
    pub fn total_bytes(&self) -> u64 {
        self.population_bytes + self.records_bytes + self.engine_bytes + self.alerts_bytes
    }
}

/// Premises cut at most, times cuts each, times the bytes of a cut, two planned
/// alerts and four alert copies (a supplier copy each).
fn alerts_bytes(scenario: &Scenario) -> u64 {
    let premises = f64::from(scenario.premises);
    let scale = premises / crate::scenario::gb_premises();
    let o = &scenario.outages;
    let cuts: f64 =
        o.storms.iter().map(|s| s.customers_off_gb * scale * 1.6 * (1.0 + s.retrip_probability)).sum::<f64>()
            + o.faults
                .iter()
                .map(|f| premises * if f.level == crate::outage::FaultLevel::Area { 0.15 } else { 0.01 })
                .sum::<f64>()
            + o.firmware_campaigns.iter().map(|c| c.esme_share * premises * f64::from(c.activations)).sum::<f64>();
    let per_cut = std::mem::size_of::<crate::outage::PowerCut>()
        + 2 * std::mem::size_of::<crate::alert::PlannedAlert>()
        + 4 * std::mem::size_of::<crate::alert::AlertRecord>();
    (cuts * per_cut as f64 * 1.5) as u64
}

/// Bytes as GiB, for messages.
pub fn gib(bytes: u64) -> f64 {
    bytes as f64 / f64::from(1u32 << 30)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(text: &str) -> Scenario {
        Scenario::parse("s.toml", text).unwrap()
    }

    #[test]
    fn the_whole_gb_day_estimate_is_near_its_measured_peak() {
        let s = scenario(include_str!("../../scenarios/gb_typical_day.toml"));
        let e = MemoryEstimate::of(&s);
        // Measured: 8.50 GiB peak for 59.9 M records (BENCHMARKS.md). Per-premises
        // volumes are taken at their largest here, so the estimate may run above it.
        let total = gib(e.total_bytes());
        assert!((7.5..14.0).contains(&total), "{total} GiB");
        assert!(e.records_bytes > 10 * e.population_bytes, "records dominate a national day");
    }

    #[test]
    fn the_quickstart_is_small_and_estimates_grow_with_the_study() {
        let text = include_str!("../../scenarios/quickstart.toml");
        let small = MemoryEstimate::of(&scenario(text));
        assert!(gib(small.total_bytes()) < 0.5);
        let longer = MemoryEstimate::of(&scenario(&text.replace("horizon_s = 3600.0", "horizon_s = 36000.0")));
        assert!(longer.records_bytes >= 10 * small.records_bytes - 10);
    }
}
