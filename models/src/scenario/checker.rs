//! Checking a scenario's values: each problem is collected with its place in the
//! file (or the `--set` flag that gave the value) and what is allowed, so that a
//! user sees all of them at once.

use std::ops::Range;

use sim::{Delay, SimDuration};

use super::raw::{CspDefaults, RawCsp, RawDelay};
use super::units::{At, Written, or, place};
use super::{CspSpec, LineCol, Problem, Set, StageSpec, keys, line_col, overrides, span_of_keys};
use crate::region::WanNetwork;

/// The range of a key, from the registry; a key validated by range must have one.
fn registry_bounds(path: &str) -> (f64, f64) {
    keys::bounds(path).unwrap_or_else(|| panic!("the key registry states no numeric range for `{path}`"))
}

/// Collects range problems with their places in the text.
pub(crate) struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    /// Values given on the command line: problems with them are placed at their flag.
    sets: &'a [Set],
    pub(super) problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    /// A checker of `text`, read from `file` with `sets` over it, with no problems yet.
    pub(crate) fn new(file: &'a str, text: &'a str, sets: &'a [Set]) -> Checker<'a> {
        Checker { file, text, sets, problems: Vec::new() }
    }

    /// The command-line values applied over the file.
    pub(crate) fn sets(&self) -> &'a [Set] {
        self.sets
    }

    /// The problems found, in the order found.
    pub(crate) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    /// The file being checked, as given.
    pub(crate) fn file(&self) -> &'a str {
        self.file
    }
}

impl Checker<'_> {
    /// A problem with the value at `path`, placed by looking the path up in the text
    /// (for a value with no span of its own: a table, a list, or a default).
    pub(crate) fn problem(&mut self, path: &str, message: String) {
        self.problem_in(path, None, message);
    }

    /// A problem with the value at `path`, placed at `span` where the parser found
    /// it, if it was in the file.
    pub(crate) fn problem_in(&mut self, path: &str, span: Option<Range<usize>>, message: String) {
        self.place(&path.split('.').collect::<Vec<_>>(), span, &format!("`{path}`: {message}"));
    }

    /// A problem at a path given key by key; `message` is used as it is.
    pub(crate) fn problem_at(&mut self, keys: &[&str], message: &str) {
        self.place(keys, None, message);
    }

    fn place(&mut self, keys: &[&str], span: Option<Range<usize>>, message: &str) {
        let flag = overrides::flag_of(self.sets, &keys.join("."));
        let at = match (&flag, span) {
            (Some(_), _) => LineCol { line: 0, col: 0 },
            (None, Some(span)) => line_col(self.text, span.start),
            (None, None) => line_col(self.text, span_of_keys(self.text, keys).map_or(0, |s| s.start)),
        };
        self.problems.push(Problem { file: self.file.to_string(), at, message: message.to_string(), flag });
    }

    /// Checks a number against the range the key registry states for `path`.
    pub(crate) fn num(&mut self, path: &str, v: impl Written<f64>) -> f64 {
        let (lo, hi) = registry_bounds(path);
        self.float(path, v, lo, hi)
    }

    /// Checks a number at `path` against the range the registry states for key `like`.
    pub(crate) fn num_as(&mut self, path: &str, like: &str, v: impl Written<f64>) -> f64 {
        let (lo, hi) = registry_bounds(like);
        self.float(path, v, lo, hi)
    }

    /// Checks a duration in seconds against the range the key registry states for
    /// `path` (a key named `…_s`), in simulated time.
    pub(crate) fn duration(&mut self, path: &str, v: impl Written<f64>) -> SimDuration {
        SimDuration::from_secs_f64(self.num(path, v))
    }

    /// Checks a whole number against the range the key registry states for `path`.
    pub(crate) fn whole(&mut self, path: &str, v: impl Written<i64>) -> i64 {
        let (lo, hi) = registry_bounds(path);
        self.int(path, v, lo as i64, hi as i64)
    }

    /// Checks a number against bounds that depend on other keys.
    pub(crate) fn float(&mut self, path: &str, v: impl Written<f64>, lo: f64, hi: f64) -> f64 {
        let x = v.value();
        if !(x.is_finite() && (lo..=hi).contains(&x)) {
            self.problem_in(path, v.span(), format!("{x} is out of range; allowed: {lo} to {hi}"));
            return lo;
        }
        x
    }

    /// Checks a whole number against bounds that depend on other keys.
    pub(crate) fn int(&mut self, path: &str, v: impl Written<i64>, lo: i64, hi: i64) -> i64 {
        let x = v.value();
        if !(lo..=hi).contains(&x) {
            self.problem_in(path, v.span(), format!("{x} is out of range; allowed: {lo} to {hi}"));
            return lo;
        }
        x
    }

    /// Weights of the parts of a whole (market shares, a storm's level shares): from
    /// `lo` to `hi` of them, each finite and non-negative, not all zero. `None`, with
    /// a problem, otherwise.
    pub(crate) fn shares<V: AsRef<[f64]>>(&mut self, path: &str, v: &At<V>, lo: usize, hi: usize) -> Option<Vec<f64>> {
        let shares = v.get_ref().as_ref();
        let well_formed = (lo..=hi).contains(&shares.len())
            && shares.iter().all(|s| s.is_finite() && *s >= 0.0)
            && shares.iter().sum::<f64>() > 0.0;
        if well_formed {
            return Some(shares.to_vec());
        }
        let count = if lo == hi { lo.to_string() } else { format!("{lo} to {hi}") };
        self.problem_in(path, place(v), format!("need {count} non-negative shares, not all zero"));
        None
    }

    /// A queueing stage of table `table`: its `servers` and the service time under
    /// `service_key`, each checked where it stands.
    pub(crate) fn stage(
        &mut self,
        table: &str,
        service_key: &str,
        servers: impl Written<i64>,
        service: impl Written<RawDelay>,
    ) -> StageSpec {
        StageSpec {
            servers: self.whole(&format!("{table}.servers"), servers) as u32,
            service: self.delay(&format!("{table}.{service_key}"), service),
        }
    }

    /// Checks a distribution of durations: its parameters, and a mean up to a day.
    pub(crate) fn delay(&mut self, path: &str, raw: impl Written<RawDelay>) -> Delay {
        let delay = match raw.value() {
            RawDelay::Constant { value_s } => Delay::Constant { value_s },
            RawDelay::Exponential { mean_s } => Delay::Exponential { mean_s },
            RawDelay::Lognormal { median_s, p95_s } => Delay::LogNormal { median_s, p95_s },
            RawDelay::Uniform { min_s, max_s } => Delay::Uniform { min_s, max_s },
        };
        if let Err(why) = delay.check() {
            self.problem_in(path, raw.span(), why);
            return Delay::Constant { value_s: 0.0 };
        }
        if delay.mean_s() > 86_400.0 {
            self.problem_in(
                path,
                raw.span(),
                format!("mean {} s is out of range; allowed: up to 86400 s", delay.mean_s()),
            );
        }
        delay
    }

    pub(crate) fn csp(&mut self, region: WanNetwork, raw: &RawCsp, d: CspDefaults) -> CspSpec {
        let p = |key: &str| format!("csp.{}.{key}", region.key());
        CspSpec {
            premises_per_cell: self.whole(&p("premises_per_cell"), &or(&raw.premises_per_cell, d.premises_per_cell))
                as u32,
            channels_per_cell: self.whole(&p("channels_per_cell"), &or(&raw.channels_per_cell, d.channels_per_cell))
                as u32,
            channel_bitrate_bps: self
                .num(&p("channel_bitrate_bps"), &or(&raw.channel_bitrate_bps, d.channel_bitrate_bps)),
            round_trip: self.delay(&p("round_trip"), &or(&raw.round_trip, d.round_trip)),
            round_trip_min: self.duration(&p("round_trip_min_s"), &or(&raw.round_trip_min_s, d.round_trip_min_s)),
            loss_probability: self.num(&p("loss_probability"), &or(&raw.loss_probability, d.loss_probability)),
            retry_timeout: self.duration(&p("retry_timeout_s"), &or(&raw.retry_timeout_s, 10.0)),
            max_retries: self.whole(&p("max_retries"), &or(&raw.max_retries, 2)) as u8,
        }
    }
}
