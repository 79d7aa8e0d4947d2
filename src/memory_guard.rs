//! The memory guard: a study that would not fit is refused before anything runs
//! or is written (exit code 3), and overloaded stages are warned of.

use models::memory::{MemoryEstimate, gib};
use models::scenario::Scenario;
use models::scenario::sweep::SweepSpec;
use models::study::Source;

use crate::cli::CommonArgs;
use crate::error::CliError;

/// Memory this run may use: `DCCSIM_MEMORY_LIMIT_BYTES` if set, else what the
/// operating system reports as available (Linux), else no limit.
fn memory_limit_bytes() -> Result<Option<u64>, CliError> {
    if let Ok(v) = std::env::var("DCCSIM_MEMORY_LIMIT_BYTES") {
        return v.trim().parse().map(Some).map_err(|_| {
            CliError::BadInput(format!(
                "DCCSIM_MEMORY_LIMIT_BYTES: {v:?} is not a whole number of bytes; allowed: 0 to {}",
                u64::MAX
            ))
        });
    }
    let available = || -> Option<u64> {
        let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
        let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    };
    Ok(available())
}

/// Warns, on stderr, of each stage the study overloads in its busiest hour: its
/// queue grows while the overload lasts, and memory with it, past the estimate.
/// `what` names the study (or the sweep point) in the message.
pub(crate) fn warn_of_overloads(scenario: &Scenario, what: &str) {
    for o in models::memory::overloads(scenario) {
        eprintln!(
            "warning: {what}: the busiest hour offers the {} {:.1} times the work its servers can do; its queue, \
             and the memory holding it, will grow while that lasts, beyond the memory estimate",
            o.stage, o.load_ratio
        );
    }
}

/// The share of the available memory a study may be estimated to need: the rest
/// is headroom for the estimate's error (±30 %, BENCHMARKS.md) and the system.
const MEMORY_SHARE: f64 = 0.8;

/// Refuses a study that would not fit in memory, before anything runs or is
/// written. `copies` runs may be in memory at once (a sweep's parallel jobs).
pub(crate) fn check_memory(scenario: &Scenario, copies: usize) -> Result<(), CliError> {
    let estimate = MemoryEstimate::of(scenario);
    let needed = estimate.runs_at_once_bytes(copies);
    tracing::info!(estimate_gib = gib(needed), copies, "memory estimate");
    match memory_limit_bytes()? {
        Some(limit) if needed as f64 > MEMORY_SHARE * limit as f64 => Err(CliError::WillNotFit(format!(
            "{}: this study needs an estimated {:.2} GiB ({:.2} GiB of rows waiting to be written and requests in \
                 flight, {:.2} GiB of population, {:.2} GiB of engine, {:.2} GiB of outages and alerts{}), more than \
                 80% of the {:.2} GiB available (DCCSIM_MEMORY_LIMIT_BYTES, else the machine's available memory); \
                 lower --scale or the traffic, or run on a larger machine",
            scenario.name,
            gib(needed),
            gib(estimate.rows_bytes),
            gib(estimate.population_bytes),
            gib(estimate.engine_bytes),
            gib(estimate.alerts_bytes),
            if copies > 1 { format!("; × {copies} runs at once") } else { String::new() },
            gib(limit)
        ))),
        _ => Ok(()),
    }
}

/// The memory guard for a sweep: every point, not only the base scenario, as the
/// points may differ in size; as many run at once as there are threads.
pub(crate) fn check_sweep_memory(spec: &SweepSpec, source: &Source, common: &CommonArgs) -> Result<(), CliError> {
    let points = spec.points();
    let copies = common.threads().min(points.len() * spec.replications as usize).max(1);
    for point in &points {
        let mut s =
            models::scenario::sweep::point_scenario(&source.file, &source.text, &source.sets, &point.assignments)?;
        if let Some(scale) = common.scale {
            s.set_scale(scale).map_err(|e| CliError::BadInput(format!("--scale: {e}")))?;
        }
        let values: Vec<String> = point.assignments.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        let what = match values.is_empty() {
            true => s.name.clone(),
            false => format!("{}, sweep point {} ({})", s.name, point.index, values.join(", ")),
        };
        warn_of_overloads(&s, &what);
        check_memory(&s, copies).map_err(|e| match e {
            CliError::WillNotFit(why) if !point.assignments.is_empty() => {
                CliError::WillNotFit(format!("sweep point {} ({}): {why}", point.index, values.join(", ")))
            }
            e => e,
        })?;
    }
    Ok(())
}
