//! Statistics that partitions keep and merge in partition order.
//!
//! - [`LatencyHistogram`]: an HDR histogram of durations with 3 significant digits
//!   (relative error below 0.1 %), so percentiles need no stored samples.
//! - [`TimeSeries`]: a sum per fixed time bucket (throughput, counts).
//! - [`LevelSeries`]: the time-weighted mean of a level per bucket (queue length,
//!   busy servers); its integral over time is what Little's law needs.
//!
//! Every merge is an exact integer sum, so the merged result does not depend on the
//! order of merging, let alone on threads.

use hdrhistogram::Histogram;

use crate::time::{SimDuration, SimTime};

/// Distribution of durations, in microseconds, from 1 µs to about 35 days.
///
/// Buckets keep 3 significant digits: a quantile is the upper edge of the bucket
/// holding the exact nearest-rank value, so it is never below it and at most 0.1 %
/// above. The mean and the maximum are exact.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyHistogram {
    hist: Histogram<u64>,
    sum_us: u128,
    max_us: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram {
            hist: Histogram::new_with_bounds(1, 3_000_000_000_000, 3).expect("valid HDR bounds"),
            sum_us: 0,
            max_us: 0,
        }
    }
}

impl LatencyHistogram {
    /// Records one duration (values above the range are clamped to its top).
    pub fn record(&mut self, d: SimDuration) {
        self.hist.saturating_record(d.0.max(1));
        self.sum_us += u128::from(d.0);
        self.max_us = self.max_us.max(d.0);
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        self.hist.add(&other.hist).expect("histograms share bounds");
        self.sum_us += other.sum_us;
        self.max_us = self.max_us.max(other.max_us);
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// Exact mean in seconds (from the exact sum, not the buckets); 0 when empty.
    pub fn mean_s(&self) -> f64 {
        if self.count() == 0 { 0.0 } else { self.sum_us as f64 / self.count() as f64 / 1e6 }
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) in seconds, within 0.1 %; 0 when empty.
    pub fn quantile_s(&self, q: f64) -> f64 {
        if self.count() == 0 { 0.0 } else { self.hist.value_at_quantile(q).min(self.max_us) as f64 / 1e6 }
    }

    /// The largest value in seconds, exact; 0 when empty.
    pub fn max_s(&self) -> f64 {
        self.max_us as f64 / 1e6
    }

    /// The sum of every value, µs (exact).
    pub fn sum_us(&self) -> u128 {
        self.sum_us
    }

    /// The cumulative distribution cut to at most `max_points` points, as (value s,
    /// share of values at or below it), plus a first point at share 0 on the
    /// smallest value. Point `j` of `k = min(count, max_points)` is the quantile
    /// `⌈j·n/k⌉ / n`, its value within 0.1 % (the bucket's upper edge; the last is
    /// the exact maximum). Empty gives no points.
    pub fn cdf(&self, max_points: usize) -> Vec<(f64, f64)> {
        let n = self.count();
        if n == 0 || max_points == 0 {
            return Vec::new();
        }
        // (upper edge µs, values at or below it), ascending.
        let steps: Vec<(u64, u64)> = self
            .hist
            .iter_recorded()
            .map(|v| (v.value_iterated_to().min(self.max_us), v.count_since_last_iteration()))
            .scan(0u64, |cum, (value, count)| {
                *cum += count;
                Some((value, *cum))
            })
            .collect();
        let k = n.min(max_points as u64);
        let mut points = Vec::with_capacity(k as usize + 1);
        let lowest = self.hist.lowest_equivalent(self.hist.min()) as f64 / 1e6;
        points.push((lowest, 0.0));
        let mut step = 0;
        for j in 1..=k {
            let rank = (j * n).div_ceil(k);
            while steps[step].1 < rank {
                step += 1;
            }
            points.push((steps[step].0 as f64 / 1e6, rank as f64 / n as f64));
        }
        points
    }

    /// Fraction of values at or below `limit` (0 when empty).
    pub fn fraction_at_or_below(&self, limit: SimDuration) -> f64 {
        if self.count() == 0 {
            return 0.0;
        }
        let below = self.hist.count_between(0, limit.0.max(1));
        below as f64 / self.count() as f64
    }
}

/// Values per bucket from bucket `first` on: the buckets before it were handed on
/// (a run hands each partition's finished buckets to the merged figures as it goes,
/// so a partition holds only the buckets still open, whatever the horizon).
#[derive(Debug, Clone, PartialEq)]
struct Buckets<T> {
    first: usize,
    values: Vec<T>,
}

impl<T: Copy + Default + std::ops::AddAssign> Buckets<T> {
    fn new() -> Buckets<T> {
        Buckets { first: 0, values: Vec::new() }
    }

    /// Bucket `i`, grown into if need be. Panics if it was handed on.
    fn at(&mut self, i: usize) -> &mut T {
        assert!(i >= self.first, "bucket {i} was already handed on (buckets from {} are kept)", self.first);
        let k = i - self.first;
        if k >= self.values.len() {
            self.values.resize(k + 1, T::default());
        }
        &mut self.values[k]
    }

    fn merge(&mut self, other: &Buckets<T>) {
        for (k, &v) in other.values.iter().enumerate() {
            *self.at(other.first + k) += v;
        }
    }

    /// Hands on the buckets before bucket `i`.
    fn split_before(&mut self, i: usize) -> Buckets<T> {
        let n = i.saturating_sub(self.first).min(self.values.len());
        let head = Buckets { first: self.first, values: self.values.drain(..n).collect() };
        self.first = self.first.max(i);
        head
    }

    /// Every bucket from time zero. Panics if some were handed on.
    fn all(&self) -> &[T] {
        assert_eq!(self.first, 0, "the first buckets of this series were handed on");
        &self.values
    }
}

/// A sum per fixed-width time bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeries {
    bucket_us: u64,
    sums: Buckets<u64>,
}

impl TimeSeries {
    /// An empty series with buckets of `bucket` width.
    pub fn new(bucket: SimDuration) -> TimeSeries {
        assert!(bucket.0 > 0, "bucket width must be positive");
        TimeSeries { bucket_us: bucket.0, sums: Buckets::new() }
    }

    /// Adds `v` to the bucket holding `t`.
    pub fn add(&mut self, t: SimTime, v: u64) {
        *self.sums.at((t.0 / self.bucket_us) as usize) += v;
    }

    /// Adds `other` bucket by bucket.
    pub fn merge(&mut self, other: &TimeSeries) {
        assert_eq!(self.bucket_us, other.bucket_us, "merging series of different widths");
        self.sums.merge(&other.sums);
    }

    /// Hands on the buckets that end at or before `t`: returns them as a series of
    /// their own and keeps the rest. Nothing may be added before `t` afterwards.
    pub fn take_before(&mut self, t: SimTime) -> TimeSeries {
        let sums = self.sums.split_before((t.0 / self.bucket_us) as usize);
        TimeSeries { bucket_us: self.bucket_us, sums }
    }

    /// The bucket width.
    pub fn bucket(&self) -> SimDuration {
        SimDuration(self.bucket_us)
    }

    /// The sums, bucket by bucket from time zero. Panics if some were handed on.
    pub fn sums(&self) -> &[u64] {
        self.sums.all()
    }
}

/// The time integral of a piecewise-constant level, per fixed-width bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelSeries {
    bucket_us: u64,
    /// Level × microseconds accumulated in each bucket.
    integrals: Buckets<u128>,
    level: u64,
    since: SimTime,
    /// Spans added with [`LevelSeries::add_span`] still open at their series' end.
    open_spans: u64,
}

impl LevelSeries {
    /// A series of a level that is 0 at time zero.
    pub fn new(bucket: SimDuration) -> LevelSeries {
        assert!(bucket.0 > 0, "bucket width must be positive");
        LevelSeries { bucket_us: bucket.0, integrals: Buckets::new(), level: 0, since: SimTime::ZERO, open_spans: 0 }
    }

    /// The level now: for a series built from spans, the spans still open at `end`.
    pub fn level(&self) -> u64 {
        self.level + self.open_spans
    }

    /// Adds `level` × `us` microseconds to bucket `i`.
    fn accrue(&mut self, i: usize, level: u64, us: u64) {
        *self.integrals.at(i) += u128::from(level) * u128::from(us);
    }

    /// Accounts for the current level up to `t`, splitting across buckets.
    fn advance(&mut self, t: SimTime) {
        if self.level == 0 {
            // Nothing accrues, so the series may be closed before a time at which
            // its buckets were handed on (a run ends at its last event, which may
            // precede the end of its last window).
            self.since = self.since.max(t);
            return;
        }
        debug_assert!(t >= self.since, "level series went back in time");
        let mut from = self.since.0;
        while from < t.0 {
            let i = (from / self.bucket_us) as usize;
            let bucket_end = (i as u64 + 1) * self.bucket_us;
            let to = bucket_end.min(t.0);
            self.accrue(i, self.level, to - from);
            from = to;
        }
        self.since = t;
    }

    /// Adds one to the level over `[from, to)`, cut at `end`, where the series ends: a
    /// span may be added at any time, in any order (a job's whole stay is known when
    /// it arrives at an [`crate::FcfsStation`]). A span reaching `end` is still open
    /// there and counts in [`LevelSeries::level`]; one starting at or after `end`
    /// never began.
    pub fn add_span(&mut self, from: SimTime, to: SimTime, end: SimTime) {
        if from >= end {
            return;
        }
        if to >= end {
            self.open_spans += 1;
        }
        let (mut at, to) = (from.0, to.min(end).0);
        while at < to {
            let i = (at / self.bucket_us) as usize;
            let next = ((i as u64 + 1) * self.bucket_us).min(to);
            self.accrue(i, 1, next - at);
            at = next;
        }
    }

    /// Sets the level from time `t` on.
    pub fn set(&mut self, t: SimTime, level: u64) {
        self.advance(t);
        self.level = level;
    }

    /// Changes the level by `delta` from time `t` on. Panics if it would go negative.
    pub fn add(&mut self, t: SimTime, delta: i64) {
        self.advance(t);
        self.level = self.level.checked_add_signed(delta).expect("level went negative");
    }

    /// Closes the series at `t` (call once at the end of a run).
    pub fn close(&mut self, t: SimTime) {
        self.advance(t);
    }

    /// Adds `other`'s integrals and level (levels of separate resources add up).
    pub fn merge(&mut self, other: &LevelSeries) {
        assert_eq!(self.bucket_us, other.bucket_us, "merging series of different widths");
        self.level += other.level;
        self.open_spans += other.open_spans;
        self.integrals.merge(&other.integrals);
    }

    /// Hands on the buckets that end at or before `t` (at or after the last change
    /// of level): returns them as a series of their own, with no level, and keeps
    /// the rest. Nothing may be added before `t` afterwards.
    pub fn take_before(&mut self, t: SimTime) -> LevelSeries {
        self.advance(t);
        let integrals = self.integrals.split_before((t.0 / self.bucket_us) as usize);
        LevelSeries { bucket_us: self.bucket_us, integrals, level: 0, since: t, open_spans: 0 }
    }

    /// The bucket width.
    pub fn bucket(&self) -> SimDuration {
        SimDuration(self.bucket_us)
    }

    /// Time-weighted mean level in each bucket from time zero. Panics if some
    /// buckets were handed on.
    pub fn means(&self) -> Vec<f64> {
        self.integrals.all().iter().map(|&i| i as f64 / self.bucket_us as f64).collect()
    }

    /// The integral of the level over the buckets held, in level × seconds.
    pub fn total_level_s(&self) -> f64 {
        self.integrals.values.iter().sum::<u128>() as f64 / 1e6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cdf_cut_to_k_points_keeps_quantiles_within_a_thousandth() {
        let mut h = LatencyHistogram::default();
        for ms in 1..=10_000u64 {
            h.record(SimDuration::from_millis(ms));
        }
        let points = h.cdf(100);
        assert_eq!(points.len(), 101, "a start point and 100 quantiles");
        assert!(points.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 < w[1].1), "monotone");
        for &(value_s, share) in &points[1..] {
            let exact_s = share * 10.0;
            assert!(value_s >= exact_s && value_s <= exact_s * 1.001, "{value_s} for {exact_s}");
        }
        assert_eq!(*points.last().unwrap(), (10.0, 1.0), "the last point is the exact maximum");
        let few: Vec<f64> = {
            let mut g = LatencyHistogram::default();
            [3u64, 1, 2].iter().for_each(|&s| g.record(SimDuration::from_secs(s)));
            g.cdf(400).iter().map(|p| p.1).collect()
        };
        assert_eq!(few, [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0], "a small sample keeps every value");
        assert!(LatencyHistogram::default().cdf(10).is_empty());
    }

    #[test]
    fn histogram_quantiles_are_within_a_tenth_of_a_percent() {
        let mut h = LatencyHistogram::default();
        for ms in 1..=1000u64 {
            h.record(SimDuration::from_millis(ms));
        }
        assert!((h.quantile_s(0.5) - 0.5).abs() < 0.0005, "{}", h.quantile_s(0.5));
        assert!((h.quantile_s(0.99) - 0.99).abs() < 0.001);
        assert!((h.mean_s() - 0.5005).abs() < 1e-12);
        assert!((h.fraction_at_or_below(SimDuration::from_millis(250)) - 0.25).abs() < 0.002);
        let mut g = LatencyHistogram::default();
        g.record(SimDuration::from_secs(10));
        g.merge(&h);
        assert_eq!(g.count(), 1001);
        assert!((g.max_s() - 10.0).abs() < 0.01);
    }

    #[test]
    fn level_series_integrates_across_buckets() {
        let mut s = LevelSeries::new(SimDuration::from_secs(1));
        s.set(SimTime::from_secs_f64(0.5), 2);
        s.add(SimTime::from_secs_f64(2.5), -1);
        s.close(SimTime::from_secs(3));
        assert_eq!(s.means(), vec![1.0, 2.0, 1.5]);
        assert!((s.total_level_s() - 4.5).abs() < 1e-12);
    }

    #[test]
    fn spans_added_out_of_order_integrate_like_level_changes() {
        let t = SimTime::from_secs_f64;
        let end = t(3.0);
        let mut spans = LevelSeries::new(SimDuration::from_secs(1));
        spans.add_span(t(0.5), t(2.5), end);
        spans.add_span(t(0.5), t(2.8), end);
        spans.add_span(t(2.5), t(4.0), end);
        spans.add_span(t(3.0), t(5.0), end);
        let mut levels = LevelSeries::new(SimDuration::from_secs(1));
        levels.set(t(0.5), 2);
        levels.add(t(2.5), 0);
        levels.add(t(2.8), -1);
        levels.close(end);
        assert_eq!(spans.means(), levels.means());
        assert_eq!(spans.level(), 1, "the span reaching the end is still open; the one after it never began");
    }

    #[test]
    fn buckets_handed_on_as_a_run_goes_merge_to_the_whole_series() {
        let t = SimTime::from_secs_f64;
        let bucket = SimDuration::from_secs(1);
        let (mut whole, mut kept, mut merged) =
            (LevelSeries::new(bucket), LevelSeries::new(bucket), LevelSeries::new(bucket));
        let (mut count, mut count_kept, mut count_merged) =
            (TimeSeries::new(bucket), TimeSeries::new(bucket), TimeSeries::new(bucket));
        let spans = [(0.5, 2.5), (1.2, 1.4), (2.0, 6.5), (3.1, 3.2), (4.9, 7.0), (6.0, 9.5)];
        let mut handed_on = 0.0;
        for (k, &(from, to)) in spans.iter().enumerate() {
            // Spans arrive in time order of their start, as a partition's do; every
            // so often the buckets finished by the latest start are handed on.
            for s in [&mut whole, &mut kept] {
                s.add_span(t(from), t(to), t(8.0));
            }
            for c in [&mut count, &mut count_kept] {
                c.add(t(to.min(7.9)), 1);
            }
            if k % 2 == 1 {
                merged.merge(&kept.take_before(t(from)));
                count_merged.merge(&count_kept.take_before(t(from)));
                handed_on = from;
            }
        }
        assert!(handed_on > 4.0, "buckets were handed on");
        merged.merge(&kept);
        count_merged.merge(&count_kept);
        assert_eq!((merged.means(), merged.level()), (whole.means(), whole.level()));
        assert_eq!(count_merged.sums(), count.sums());
        assert_eq!(kept.level(), 1, "the open span stays with the series that holds it");
    }

    #[test]
    #[should_panic(expected = "already handed on")]
    fn adding_to_a_bucket_handed_on_is_a_bug() {
        let mut s = TimeSeries::new(SimDuration::from_secs(1));
        s.take_before(SimTime::from_secs(5));
        s.add(SimTime::from_secs(3), 1);
    }

    #[test]
    fn merged_levels_add_up() {
        let mut a = LevelSeries::new(SimDuration::from_secs(1));
        a.set(SimTime::ZERO, 2);
        let mut b = LevelSeries::new(SimDuration::from_secs(1));
        b.set(SimTime::ZERO, 3);
        a.merge(&b);
        assert_eq!(a.level(), 5, "what is still in two stations is in their sum");
    }

    #[test]
    fn series_merge_by_bucket() {
        let mut a = TimeSeries::new(SimDuration::from_secs(60));
        a.add(SimTime::from_secs(10), 1);
        let mut b = TimeSeries::new(SimDuration::from_secs(60));
        b.add(SimTime::from_secs(130), 5);
        b.add(SimTime::from_secs(59), 2);
        a.merge(&b);
        assert_eq!(a.sums(), &[3, 0, 5]);
    }
}

// Figures gathered from partitions on other processes (`crate::wire`).

impl<T: crate::Wire> crate::Wire for Buckets<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        self.first.encode(out);
        self.values.encode(out);
    }

    fn decode(input: &mut &[u8]) -> Self {
        let first = usize::decode(input);
        Buckets { first, values: Vec::decode(input) }
    }
}

crate::wire_struct!(TimeSeries { bucket_us, sums });
crate::wire_struct!(LevelSeries { bucket_us, integrals, level, since, open_spans });

/// A histogram crosses as its recorded values and their counts: recorded again,
/// each lands in the bucket it came from, so merging gives the same counts, and so
/// the same quantiles. (The exact mean and maximum travel beside them.)
impl crate::Wire for LatencyHistogram {
    fn encode(&self, out: &mut Vec<u8>) {
        self.sum_us.encode(out);
        self.max_us.encode(out);
        let recorded: Vec<(u64, u64)> =
            self.hist.iter_recorded().map(|v| (v.value_iterated_to(), v.count_at_value())).collect();
        recorded.encode(out);
    }

    fn decode(input: &mut &[u8]) -> Self {
        let mut h = LatencyHistogram { sum_us: u128::decode(input), max_us: u64::decode(input), ..Default::default() };
        for (value, count) in Vec::<(u64, u64)>::decode(input) {
            h.hist.record_n(value, count).expect("a value the sender's histogram held");
        }
        h
    }
}
