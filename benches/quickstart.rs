//! End to end: the whole `scenarios/quickstart.toml` study through `models::run`.
//!
//! One run builds the network model (100,000 premises, 7 partitions), runs an hour of
//! On Demand reads plus their drain, and collects the results; file output is not
//! included. It runs on 1 and on 2 worker threads (`quickstart/threads/1`, `.../2`).
//! Throughput is events handled by the engine per second of wall time.
//!
//! Run with `cargo bench --bench quickstart`.

use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use models::scenario::Scenario;

fn quickstart(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/quickstart.toml");
    let scenario = Scenario::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));

    // Once, outside the timed loop: the event count, the same on 1 and 2 threads.
    let one = models::run(scenario.clone(), 1, &mut |_| {});
    let two = models::run(scenario.clone(), 2, &mut |_| {});
    assert_eq!(one.measures.run.engine, two.measures.run.engine, "engine counts differ between 1 and 2 threads");
    let events = one.measures.run.engine.events;
    eprintln!(
        "quickstart: {} requests, {} events, {} windows, {} messages, {} partitions",
        one.measures.run.submitted,
        events,
        one.measures.run.engine.windows,
        one.measures.run.engine.messages,
        one.measures.run.partitions
    );
    drop((one, two));

    let mut group = c.benchmark_group("quickstart");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8))
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(events));
    for threads in [1usize, 2] {
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| {
                let result = models::run(scenario.clone(), threads, &mut |_| {});
                assert_eq!(result.measures.run.engine.events, events);
                result
            });
        });
    }
    group.finish();
}

criterion_group!(benches, quickstart);
criterion_main!(benches);
