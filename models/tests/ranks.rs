//! A run split over ranks (here threads standing in for MPI processes) gives rank 0
//! every row and figure of a run in one process, and the other ranks nothing.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use models::RunOutput;
use models::measures::Rows;
use models::network::{RunOptions, run_world, run_world_on};
use models::scenario::Scenario;
use models::world::World;
use sim_mpi::RankExchange;
use sim_mpi::threads::ThreadRanks;

/// Requests of several kinds, a storm's alerts with CSP aggregation and storm
/// protection, and routine device alerts, over two DSP shards and two blocks per
/// CSP region: every kind of message and figure crosses between ranks.
fn scenario() -> Scenario {
    let text = r#"
[scenario]
name = "ranks"
horizon_s = 5400
drain_limit_s = 1800
[population]
premises = 20000
[partitions]
per_csp_region = 2
[dsp]
shards = 2
[[traffic.streams]]
name = "reads"
srv = "4.1.1"
rate_per_s = 4.0
[[traffic.streams]]
name = "top_ups"
srv = "2.2"
rate_per_s = 1.0
premises = "prepayment"
[[traffic.streams]]
name = "cos"
srv = "6.23"
rate_per_s = 0.2
[[outages.storms]]
areas = ["north_east", "london"]
start_s = 600
span_s = 1800
customers_off = 1000000
[alerts]
supplier_opt_in = true
device_alerts_per_meter_per_day = 20
[alerts.csp]
policy = "aggregate"
"#;
    Scenario::parse("ranks.toml", text).unwrap()
}

fn options(threads: usize) -> RunOptions {
    RunOptions { threads, parallel_from_events: sim::PARALLEL_FROM_EVENTS }
}

/// One process: its rows and figures.
fn one_process(s: &Scenario) -> (Rows, RunOutput) {
    let mut rows = Rows::default();
    let world = Arc::new(World::build(s.clone()));
    let out = run_world(world, options(1), &mut |_| {}, &AtomicBool::new(false), &mut rows).unwrap();
    (rows, out)
}

/// Each rank's rows and figures, the run split over `ranks` threads.
fn split(s: &Scenario, ranks: u32) -> Vec<(Rows, RunOutput)> {
    let handles: Vec<_> = ThreadRanks::group(ranks)
        .into_iter()
        .map(|transport| {
            let s = s.clone();
            std::thread::spawn(move || {
                let world = Arc::new(World::build(s));
                // Blocks by count for 2 and 8 ranks; for 3, the first rank takes a
                // single partition, the cuts a weighting could make.
                let exchange = if ranks == 3 {
                    let mut weights = vec![1; world.layout.partitions() as usize];
                    weights[0] = 100;
                    RankExchange::weighted(transport, &weights)
                } else {
                    RankExchange::new(transport, world.layout.partitions())
                };
                let mut rows = Rows::default();
                let never = AtomicBool::new(false);
                let out = run_world_on(world, options(2), &mut |_| {}, &never, &mut rows, exchange).unwrap();
                (rows, out)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().expect("a rank panicked")).collect()
}

/// Every figure of the measures, as Debug prints them, less the largest raw value
/// each HDR histogram keeps inside: a histogram crosses between ranks as its
/// buckets, which give the same counts and quantiles, and the exact maximum
/// travels beside it (`LatencyHistogram::max_us`); nothing reads the raw one.
fn figures(m: &models::measures::Measures) -> String {
    let text = format!("{m:?}");
    let mut out = String::with_capacity(text.len());
    for part in text.split("max_value: ") {
        out.push_str(part.trim_start_matches(|c: char| c.is_ascii_digit()));
    }
    out
}

#[test]
fn a_run_split_over_ranks_gives_rank_0_what_one_process_gives() {
    let s = scenario();
    let (rows, out) = one_process(&s);
    assert!(
        rows.requests.len() > 20_000 && rows.alerts.len() > 500,
        "{} requests, {} alerts",
        rows.requests.len(),
        rows.alerts.len()
    );
    assert!(out.measures.device_alerts.raised > 1_000 && out.measures.run.engine.messages > 10_000);
    let partitions = out.world.layout.partitions();
    assert!(partitions >= 8, "{partitions} partitions");
    for ranks in [2, 3, partitions] {
        let runs = split(&s, ranks);
        let (root_rows, root) = &runs[0];
        assert_eq!(root_rows.requests, rows.requests, "{ranks} ranks");
        assert_eq!(root_rows.alerts, rows.alerts, "{ranks} ranks");
        assert!(figures(&root.measures) == figures(&out.measures), "{ranks} ranks");
        for (other_rows, _) in &runs[1..] {
            assert!(other_rows.requests.is_empty() && other_rows.alerts.is_empty(), "only rank 0 writes");
        }
    }
}
