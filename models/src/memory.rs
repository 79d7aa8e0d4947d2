//! How much memory a run will need, estimated from the scenario before it starts.
//!
//! Rows stream to disk as the run goes and every figure is a bounded aggregate, so
//! the estimate follows the size of the network and the *rate* of the traffic, not
//! its volume or the horizon:
//!
//! - the population (packed kinds and cells, the distribution tree);
//! - the rows of one drain ([`crate::measures::rows::DRAIN_EVERY`]) at the busiest
//!   hour's rate, held in the partitions, queued for the writer and being encoded,
//!   plus the requests in flight (Future Dated ones until their execution, and
//!   those an anomaly threshold may quarantine until their User answers);
//! - the engine: calendars, stations and the stages' time series (one cell per
//!   bucket, the only part that grows with the horizon, by kilobytes a bucket);
//! - the fault plan: power cuts and planned alerts.
//!
//! The coefficients are calibrated on measured peaks of the shipped scenarios
//! (BENCHMARKS.md, "memory guard"): every estimate is within ±30 % of its peak.

use crate::measures::rows::{DRAIN_EVERY, WRITER_CHANNEL_BATCHES};
use crate::population::Population;
use crate::scenario::Scenario;
use crate::service_request::ServiceRequestRecord;

/// An estimate of a run's peak memory, by part, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryEstimate {
    /// Premises kinds, cells and the distribution tree.
    pub population_bytes: u64,
    /// Rows between drains, rows queued for the writer, and requests in flight.
    pub rows_bytes: u64,
    /// The program, event calendars, stations and time series.
    pub engine_bytes: u64,
    /// Power cuts and planned alerts.
    pub alerts_bytes: u64,
}

/// Fixed cost of the program and its libraries (measured: the quickstart, 100,000
/// premises and an hour of reads, peaks at 55 MiB).
const BASE_BYTES: u64 = 45 << 20;

/// Bytes per time-series bucket of a run: the merged figures of its seven stages
/// (User Gateway, DSP, CoS Party, alert delivery and the three regions' cells), each
/// with three level series of 16-byte cells and a throughput series of 8-byte
/// cells, doubled for the vectors' spare capacity. The partitions hand their
/// finished buckets on at every drain and keep only the open ones. The one part of
/// a run that grows with the horizon: it is the stage table written at the end.
const SERIES_BYTES_PER_BUCKET: u64 = 2 * 7 * (3 * 16 + 8);

/// Bytes of a Service Request record.
const RECORD_BYTES: f64 = std::mem::size_of::<ServiceRequestRecord>() as f64;

/// Drains' worth of records held at the peak while the run gathers rows: the
/// partitions' buffers and the drain's batch, their vectors' spare capacity, and
/// the requests in flight behind them (queued at the cells in the after-midnight
/// rush). Calibrated on the whole-GB day with `rows = "none"` (0.87 GiB measured).
const GATHERED_DRAINS: f64 = 6.0;

/// Further drains' worth held when rows are written: batches queued for the writer
/// ([`WRITER_CHANNEL_BATCHES`] at most) and the columns being encoded. Calibrated on
/// the whole-GB day with every row written (1.39 GiB measured).
const WRITTEN_DRAINS: f64 = 1.0 + WRITER_CHANNEL_BATCHES as f64;

impl MemoryEstimate {
    /// The estimate for `scenario`.
    pub fn of(scenario: &Scenario) -> MemoryEstimate {
        let premises = u64::from(scenario.premises);
        // Kinds, cells and about one tree node per 40 premises (4 bytes each level),
        // and a bit per premises for each suspension's customers at risk.
        let suspensions = scenario.user_suspensions.len() as u64;
        let population_bytes =
            premises * Population::BYTES_PER_PREMISES as u64 + premises / 10 + suspensions * premises.div_ceil(8);
        let (peak_per_s, held) = traffic(scenario);
        let drain_s = DRAIN_EVERY.as_secs_f64();
        // The writer holds the rows kept: all, 1 in `sample_one_in`, or none.
        let kept = match scenario.output.rows {
            crate::scenario::RowChoice::All => 1.0,
            crate::scenario::RowChoice::Sample => 1.0 / f64::from(scenario.output.sample_one_in),
            crate::scenario::RowChoice::None => 0.0,
        };
        let drains = GATHERED_DRAINS + kept * WRITTEN_DRAINS;
        let rows_bytes = ((peak_per_s * drain_s * drains + held) * RECORD_BYTES) as u64;
        let span_s = scenario.horizon.as_secs_f64() + scenario.drain_limit.as_secs_f64();
        let buckets = (span_s / scenario.series_bucket.as_secs_f64()) as u64 + 1;
        let engine_bytes = BASE_BYTES + buckets * SERIES_BYTES_PER_BUCKET;
        MemoryEstimate { population_bytes, rows_bytes, engine_bytes, alerts_bytes: alerts_bytes(scenario) }
    }

    /// The whole estimate.
    pub fn total_bytes(&self) -> u64 {
        self.population_bytes + self.rows_bytes + self.engine_bytes + self.alerts_bytes
    }

    /// The estimate for `copies` such runs at once in one process (a sweep's
    /// parallel jobs): they share the program, not their runs.
    pub fn runs_at_once_bytes(&self, copies: usize) -> u64 {
        BASE_BYTES + copies.max(1) as u64 * (self.total_bytes() - BASE_BYTES)
    }
}

/// Service Requests per second in the busiest hour (each stream at its profile's
/// highest weight), and requests held in flight at once: Future Dated ones for
/// their lead time, the rest for a minute, and those an anomaly threshold counts
/// for its `confirm_s` besides.
fn traffic(scenario: &Scenario) -> (f64, f64) {
    let mut peak = 0.0;
    let mut held = 0.0;
    for t in &scenario.traffic {
        let busiest = busiest_hour_per_s(t, scenario.premises);
        peak += busiest;
        let in_flight_s = if t.mode == crate::service_request::Mode::FutureDated { t.lead_time.mean_s() } else { 60.0 };
        // Threshold Anomaly Detection may hold any of them in quarantine until
        // its User answers (an upper bound: all of them, for the longest wait).
        let thresholds = scenario.anomaly_thresholds.iter().filter(|a| a.srv_index == t.srv_index);
        let quarantine_s = thresholds.map(|a| a.confirm.as_secs_f64()).fold(0.0, f64::max);
        held += busiest * (in_flight_s + quarantine_s);
    }
    (peak, held)
}

/// A stream's requests per second in its busiest hour: its mean rate (over all
/// `premises` for a per-premises stream, an upper bound) times its profile's,
/// day-of-week and month highest weights (an upper bound for any run).
fn busiest_hour_per_s(t: &crate::scenario::traffic::TrafficStream, premises: u32) -> f64 {
    let mean = match (t.rate_per_s, t.per_premises_per_day) {
        (Some(rate), _) => rate.get(),
        (None, Some(per_day)) => per_day * f64::from(premises) / 86_400.0,
        (None, None) => 0.0,
    };
    let top = |w: &[f64]| w.iter().copied().fold(0.0, f64::max);
    mean * top(&t.profile) * top(&t.day_of_week) * top(&t.month_of_year)
}

/// A stage whose offered load in the busiest hour exceeds what its servers can do:
/// its queue, and the memory holding it, grow for as long as that lasts, beyond
/// what [`MemoryEstimate`] assumes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overload {
    /// `user_gateway` or `dsp`.
    pub stage: &'static str,
    /// Offered work ÷ capacity (server-seconds per second), above 1.
    pub load_ratio: f64,
}

/// The stages the scenario's Service Requests alone overload in their busiest
/// hours (each stream at its profile's highest weight): the User Gateway (every
/// request but DCC Scheduled ones, Critical ones twice) and the DSP (request and
/// response processing, a Critical request's signed Pre-Command once more). Alerts
/// add to the DSP's load, so this understates it.
pub fn overloads(scenario: &Scenario) -> Vec<Overload> {
    let (mut gateway_s, mut dsp_s) = (0.0, 0.0);
    for t in &scenario.traffic {
        let peak = busiest_hour_per_s(t, scenario.premises);
        let passes = if t.srv().critical { 2.0 } else { 1.0 };
        if t.mode != crate::service_request::Mode::Scheduled {
            gateway_s += peak * passes * scenario.user_gateway.service.mean_s();
        }
        dsp_s += peak * (passes * scenario.dsp.request_processing.mean_s() + scenario.dsp.response_processing.mean_s());
    }
    let shards = f64::from(scenario.dsp.shards);
    [
        ("user_gateway", gateway_s / (shards * f64::from(scenario.user_gateway.servers))),
        ("dsp", dsp_s / (shards * f64::from(scenario.dsp.servers))),
    ]
    .into_iter()
    .filter(|&(_, ratio)| ratio > 1.0)
    .map(|(stage, load_ratio)| Overload { stage, load_ratio })
    .collect()
}

/// Premises cut at most, times cuts each, times the bytes of a cut and its two
/// planned alerts; for storms and faults also their alert copies ending in bursts,
/// held as records and as the writer's columns: about two copies a cut at the peak
/// (calibrated on storm_arwen at 10 % of GB, 0.36 GiB measured, and
/// storm_ch_consolidation, 0.10 GiB for two runs at once). Firmware campaigns' alerts are
/// mostly throttled or consolidated, so only their plan counts.
fn alerts_bytes(scenario: &Scenario) -> u64 {
    let premises = f64::from(scenario.premises);
    let scale = premises / crate::scenario::gb_premises();
    let o = &scenario.outages;
    let network_cuts: f64 =
        o.storms.iter().map(|s| s.customers_off_gb * scale * 1.6 * (1.0 + s.retrip_probability.get())).sum::<f64>()
            + o.faults
                .iter()
                .map(|f| premises * if f.level == crate::outage::FaultLevel::Area { 0.15 } else { 0.01 })
                .sum::<f64>();
    let firmware_cuts: f64 =
        o.firmware_campaigns.iter().map(|c| c.esme_share.get() * premises * f64::from(c.activations)).sum::<f64>();
    let plan = std::mem::size_of::<crate::outage::PowerCut>() + 2 * std::mem::size_of::<crate::alert::PlannedAlert>();
    let copies = 2 * (std::mem::size_of::<crate::alert::AlertRecord>() + ALERT_COLUMNS_BYTES);
    ((network_cuts * (plan + copies) as f64 + firmware_cuts * plan as f64) * 1.5) as u64
}

/// Bytes of one alert copy's row in the writer's columns, as it is encoded.
const ALERT_COLUMNS_BYTES: usize = 150;

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
        let total = gib(MemoryEstimate::of(&s).total_bytes());
        // Measured: MEASURED_GB_DAY GiB peak with every row written (BENCHMARKS.md).
        assert!((0.7 * MEASURED_GB_DAY..1.3 * MEASURED_GB_DAY).contains(&total), "{total} GiB");
    }

    /// The whole-GB day's measured peak, GiB (BENCHMARKS.md, "memory guard").
    const MEASURED_GB_DAY: f64 = 1.39;

    #[test]
    fn arwen_on_a_tenth_of_the_capacity_is_overloaded_and_the_gb_day_is_not() {
        let gb_day = scenario(include_str!("../../scenarios/gb_typical_day.toml"));
        assert_eq!(overloads(&gb_day), [], "the GB day's stages keep up");
        let mut arwen = scenario(include_str!("../../scenarios/storm_arwen.toml"));
        assert_eq!(overloads(&arwen), [], "sized for its 10 % of GB");
        arwen.set_scale(1.0).unwrap();
        let stages: Vec<&str> = overloads(&arwen).iter().map(|o| o.stage).collect();
        assert!(stages.contains(&"dsp"), "ten times the traffic on the same DSP: {stages:?}");
        assert!(overloads(&arwen).iter().all(|o| o.load_ratio > 1.0));
    }

    #[test]
    fn the_estimate_follows_the_rate_not_the_horizon() {
        let text = include_str!("../../scenarios/quickstart.toml");
        let hour = MemoryEstimate::of(&scenario(text));
        assert!(gib(hour.total_bytes()) < 0.5);
        let month = MemoryEstimate::of(&scenario(&text.replace("horizon_s = 3600.0", "horizon_s = 2592000.0")));
        assert_eq!(month.rows_bytes, hour.rows_bytes, "a longer horizon holds no more rows");
        let series = |e: &MemoryEstimate| e.engine_bytes;
        assert!(series(&month) > series(&hour), "the stage table grows with the horizon");
        assert!(series(&month) - series(&hour) < 50 << 20, "by a few bytes a bucket: {}", series(&month));
        assert_eq!(month.total_bytes() - series(&month), hour.total_bytes() - series(&hour), "nothing else does");
        let busier = MemoryEstimate::of(&scenario(&text.replace("rate_per_s = 20.0", "rate_per_s = 200.0")));
        assert!(busier.rows_bytes > 9 * hour.rows_bytes, "ten times the rate holds ten times the rows");
    }
}
