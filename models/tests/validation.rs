//! The model against theory and against its own conservation laws.

use models::RunOutput;
use models::network::{RunOptions, run_with};
use models::scenario::{Probability, RatePerS, Scenario, Share};
use models::service_request::{Mode, Outcome};
use models::{TrtSummary, run};
use sim::{Delay, SimDuration, SimTime};

mod conservation;
use conservation::{assert_conserved, wan_transmissions};

const QUICKSTART: &str = include_str!("../../scenarios/quickstart.toml");

/// The quickstart with every premises on SMETS2: these tests check the CSPs'
/// path against theory and its own laws (tests/smets1.rs checks SMETS1's).
fn quickstart() -> Scenario {
    let mut s = Scenario::parse("quickstart.toml", QUICKSTART).expect("the shipped quickstart is valid");
    s.population.mix.smets1 = Share::new(0.0).unwrap();
    s
}

fn small(premises: u32, horizon_s: u64, rate_per_s: f64) -> Scenario {
    let mut s = quickstart();
    s.premises = premises;
    s.horizon = SimTime::from_secs(horizon_s);
    s.traffic[0].rate_per_s = Some(RatePerS::new(rate_per_s).unwrap());
    s
}

fn run_quietly(s: &Scenario, threads: usize) -> RunOutput {
    run(s.clone(), threads, &mut |_| {})
}

#[test]
fn every_request_ends_in_exactly_one_outcome() {
    let s = small(5_000, 300, 30.0);
    let r = run_quietly(&s, 2);
    assert!(r.measures.run.submitted > 8_000, "{}", r.measures.run.submitted);
    assert_conserved(&r);
    assert!(r.rows.requests.iter().all(|x| x.outcome == Outcome::Responded), "an hour of drain answers all");
}

#[test]
fn requests_cut_off_by_the_drain_limit_are_unfinished_not_lost() {
    let mut s = small(5_000, 300, 30.0);
    s.drain_limit = SimDuration::from_secs(5);
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    let unfinished = r.rows.requests.iter().filter(|x| x.outcome == Outcome::Unfinished).count();
    // Requests take ≥ 7 s (WAN latency + HAN + DSP), so the last ~5 s of submissions
    // cannot finish: about 30/s × 7 s of them at least.
    assert!(unfinished > 100, "{unfinished}");
    assert_eq!(r.measures.run.end, SimTime::from_secs(305));
}

#[test]
fn results_are_identical_whatever_the_thread_count() {
    let mut s = small(20_000, 200, 40.0);
    s.dsp.shards = 2;
    s.partitions.per_csp_region = 3;
    let one = run_quietly(&s, 1);
    for threads in [2, 4] {
        // Fan every window out to the threads, however small.
        let options = RunOptions { threads, parallel_from_events: 0 };
        let other = run_with(s.clone(), options, &mut |_| {});
        assert_eq!(one.rows.requests, other.rows.requests, "{threads} threads");
        assert_eq!(one.measures.stages.dsp, other.measures.stages.dsp);
        assert_eq!(one.measures.stages.wan_cells, other.measures.stages.wan_cells);
        assert_eq!(one.measures.run.engine, other.measures.run.engine);
    }
}

#[test]
fn a_different_seed_gives_a_different_run() {
    let s = small(5_000, 100, 20.0);
    let mut t = s.clone();
    t.seed += 1;
    assert_ne!(run_quietly(&s, 2).rows.requests, run_quietly(&t, 2).rows.requests);
}

/// Erlang C: mean wait in queue of an M/M/c queue.
fn erlang_c_wait_s(arrival_per_s: f64, servers: u32, mean_service_s: f64) -> f64 {
    let a = arrival_per_s * mean_service_s;
    let c = f64::from(servers);
    let rho = a / c;
    assert!(rho < 1.0, "unstable queue");
    let mut term = 1.0;
    let mut below = 0.0;
    for k in 0..servers {
        if k > 0 {
            term *= a / f64::from(k);
        }
        below += term;
    }
    let top = term * a / c / (1.0 - rho);
    let p_wait = top / (below + top);
    p_wait / (c / mean_service_s - arrival_per_s)
}

#[test]
fn erlang_c_reference_values() {
    // M/M/1: Wq = rho / (mu - lambda) = 0.5 / 1 for lambda 1, mu 2.
    assert!((erlang_c_wait_s(1.0, 1, 0.5) - 0.5).abs() < 1e-12);
    // M/M/2 with a = 1: P(wait) = 1/3, Wq = (1/3) / (2 - 1) for mu = 1.
    assert!((erlang_c_wait_s(1.0, 2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
}

/// The quickstart pipeline in a configuration where queueing theory is exact: the
/// User Gateway and the DSP are M/M/c stations (the DSP visited twice, with the
/// same exponential service), WAN cells never queue, and the WAN, HAN and gateway
/// delays are constant. It is then an open BCMP (Jackson) network: the User Gateway
/// is M/M/c at λ, the DSP behaves as M/M/c at 2λ, and the mean TRT is the sum of
/// the mean sojourns along the path.
fn theory_scenario(seed: u64) -> Scenario {
    let mut s = small(30_000, 6_000, 18.0);
    s.seed = seed;
    s.user_gateway.servers = 2;
    s.user_gateway.service = Delay::Exponential { mean_s: 0.04 };
    s.dsp.servers = 4;
    s.dsp.request_processing = Delay::Exponential { mean_s: 0.08 };
    s.dsp.response_processing = Delay::Exponential { mean_s: 0.08 };
    for csp in &mut s.csp {
        csp.channels_per_cell = 10_000;
        csp.channel_bitrate_bps = 1e10;
        csp.round_trip = Delay::Constant { value_s: 6.0 };
        csp.loss_probability = Probability::new(0.0).unwrap();
    }
    s.comms_hub.han_response = Delay::Constant { value_s: 1.5 };
    s
}

struct Replication {
    gateway_wait_s: f64,
    dsp_wait_s: f64,
    trt_s: f64,
}

fn replicate(seed: u64) -> Replication {
    let s = theory_scenario(seed);
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    let trt = TrtSummary::of(&r.rows.requests);
    Replication {
        gateway_wait_s: r.measures.stages.user_gateway.mean_wait_s(),
        dsp_wait_s: r.measures.stages.dsp.mean_wait_s(),
        trt_s: trt.overall.mean_s,
    }
}

/// Mean and the half-width of a 99% confidence interval (Student t, 5 d.o.f.).
fn mean_ci99(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    assert_eq!(xs.len(), 6, "t quantile below is for 5 degrees of freedom");
    (mean, 4.032 * (var / n).sqrt())
}

#[test]
fn quickstart_pipeline_matches_queueing_theory() {
    let reps: Vec<Replication> = (1..=6).map(replicate).collect();
    let lambda = 18.0;
    let gateway_theory = erlang_c_wait_s(lambda, 2, 0.04);
    let dsp_theory = erlang_c_wait_s(2.0 * lambda, 4, 0.08);
    let constant_s = 2.0 * 0.05 + 6.0 + 1.5; // two gateway crossings, the WAN round trip, the HAN
    let queueing_s = (gateway_theory + 0.04) + 2.0 * (dsp_theory + 0.08);
    let trt_theory = constant_s + queueing_s;

    // The run starts empty, a small bias: allow 1% of the queueing part of each figure.
    for (name, theory, slack, xs) in [
        (
            "User Gateway Wq",
            gateway_theory,
            0.01 * gateway_theory,
            reps.iter().map(|r| r.gateway_wait_s).collect::<Vec<_>>(),
        ),
        ("DSP Wq", dsp_theory, 0.01 * dsp_theory, reps.iter().map(|r| r.dsp_wait_s).collect()),
        ("mean TRT", trt_theory, 0.01 * queueing_s, reps.iter().map(|r| r.trt_s).collect()),
    ] {
        let (mean, half) = mean_ci99(&xs);
        eprintln!("{name}: simulated {mean:.5} ± {half:.5} s, theory {theory:.5} s");
        assert!(
            (mean - theory).abs() <= half + slack,
            "{name}: simulated {mean:.5} ± {half:.5} s, theory {theory:.5} s"
        );
        // And the interval must be tight enough for the check to mean something.
        assert!(half < 0.1 * theory, "{name}: interval ±{half} too wide for theory {theory}");
    }
}

#[test]
fn littles_law_holds_on_every_stage() {
    let s = theory_scenario(7);
    let r = run_quietly(&s, 2);
    let span_s = r.measures.run.end.as_secs_f64();
    for (name, st) in [
        ("user_gateway", &r.measures.stages.user_gateway),
        ("dsp", &r.measures.stages.dsp),
        ("wan_north", &r.measures.stages.wan_cells[0]),
    ] {
        // L = λ W: the run drains, so the time-average number in system times the span
        // equals the sum of sojourns exactly (up to microsecond rounding).
        let l = st.in_system.total_level_s() / span_s;
        let lambda = st.completions as f64 / span_s;
        let w = st.mean_wait_s() + st.mean_service_s();
        assert_eq!(st.arrivals, st.completions, "{name} drained");
        assert!((l - lambda * w).abs() <= 1e-9 * l.max(1.0), "{name}: L {l} vs λW {}", lambda * w);
        // Busy servers = offered load: ∫busy dt = Σ service times.
        assert!((st.busy.total_level_s() - st.service_total_us as f64 / 1e6).abs() < 1e-6);
    }
    // Per bucket, away from the edges, L ≈ λW holds on the DSP series too.
    let means = r.measures.stages.dsp.in_system.means();
    let middle = &means[10..means.len() - 10];
    let l_series = middle.iter().sum::<f64>() / middle.len() as f64;
    let w = r.measures.stages.dsp.mean_wait_s() + r.measures.stages.dsp.mean_service_s();
    let lambda = 2.0 * 18.0;
    assert!((l_series - lambda * w).abs() / (lambda * w) < 0.03, "L {l_series} vs λW {}", lambda * w);
}

/// A study of `streams`, every premises on SMETS2 (as [`quickstart`]).
fn with_streams(premises: u32, horizon_s: u64, streams: &str) -> Scenario {
    let text = format!(
        "[scenario]\nname = \"t\"\nhorizon_s = {horizon_s}\n[population]\npremises = {premises}\nsmets1_share = 0\n{streams}"
    );
    Scenario::parse("t.toml", &text).expect("a valid test scenario")
}

#[test]
fn a_profile_shapes_submissions_hour_by_hour() {
    let s = with_streams(
        20_000,
        86_400,
        "[[traffic.streams]]\nname = \"reads\"\nsrv = \"4.1.1\"\nrate_per_s = 2.0\nprofile = \"after_midnight\"\n",
    );
    let r = run_quietly(&s, 2);
    let mut per_hour = [0f64; 24];
    for rec in &r.rows.requests {
        per_hour[(rec.submitted.as_secs_f64() / 3600.0) as usize] += 1.0;
    }
    let weights = s.traffic[0].profile;
    // Poisson counts: each hour within 5 standard deviations of its expectation.
    for h in 0..24 {
        let expected = 2.0 * 3600.0 * weights[h];
        assert!(
            (per_hour[h] - expected).abs() < 5.0 * expected.sqrt() + 1.0,
            "hour {h}: {} vs {expected}",
            per_hour[h]
        );
    }
    assert!(per_hour[1] > 20.0 * per_hour[12], "reads bunch after midnight");
}

#[test]
fn ineligible_roles_are_rejected_and_counted_apart() {
    let s = with_streams(
        10_000,
        600,
        "[[traffic.streams]]\nname = \"reads\"\nsrv = \"4.1.1\"\nrate_per_s = 5.0\n\
         [[traffic.streams]]\nname = \"distributor_top_ups\"\nsrv = \"2.2\"\nuser_role = \"ED\"\nrate_per_s = 5.0\npremises = \"prepayment\"\n",
    );
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    let rejected: Vec<_> = r.rows.requests.iter().filter(|x| x.outcome == Outcome::Rejected).collect();
    assert!(rejected.len() > 2_000, "{}", rejected.len());
    assert!(rejected.iter().all(|x| x.srv == "2.2"), "only the ineligible stream is rejected");
    assert!(r.rows.requests.iter().filter(|x| x.srv == "4.1.1").all(|x| x.outcome == Outcome::Responded));
    let summary = TrtSummary::of(&r.rows.requests);
    assert_eq!(summary.overall.rejected, rejected.len() as u64);
    let classes: Vec<&str> = summary.by_class.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(classes, ["2.2 on_demand", "4.1.1 on_demand"]);
    // Rejected requests never cross the WAN: cells carry only the reads (two
    // messages each, plus a retransmission for each lost one, about 1 in 100).
    let reads: Vec<_> = r.rows.requests.iter().filter(|x| x.srv == "4.1.1").collect();
    let stream = &s.traffic[0];
    let sent: u64 = reads.iter().map(|x| wan_transmissions(&r, x, stream).0).sum();
    let transmissions = r.measures.stages.wan_cells.iter().map(|c| c.arrivals).sum::<u64>();
    assert_eq!(transmissions, sent);
    let n = reads.len() as u64;
    assert!(transmissions > 2 * n && transmissions < 2 * n + n / 10, "{transmissions} for {n}");
}

#[test]
fn a_per_premises_volume_sets_the_rate_from_the_population() {
    let s = with_streams(
        50_000,
        3_600,
        "[[traffic.streams]]\nname = \"top_ups\"\nsrv = \"2.2\"\nper_premises_per_day = 1.2\npremises = \"prepayment\"\n",
    );
    let r = run_quietly(&s, 2);
    let world = models::world::World::build(s.clone());
    let population = &world.population;
    let prepaid =
        (0..population.premises()).filter(|&p| population.kind(p).prepayment() && population.kind(p).covered()).count();
    let expected = 1.2 * prepaid as f64 / 24.0;
    let got = r.measures.run.submitted as f64;
    assert!((got - expected).abs() < 5.0 * expected.sqrt(), "{got} vs {expected}");
    for rec in &r.rows.requests {
        let kind = population.kind(rec.premises);
        assert!(kind.prepayment() && kind.covered(), "top-ups go to covered prepayment premises");
    }
    assert!(r.rows.requests.iter().all(|x| x.target == SimDuration::from_secs(30)));
}

#[test]
fn a_critical_request_goes_back_to_its_user_to_be_signed_and_the_trt_leaves_that_out() {
    let mut s = with_streams(
        10_000,
        600,
        "[users]\nsigning_time = { kind = \"constant\", value_s = 5.0 }\n\
         [[traffic.streams]]\nname = \"disable\"\nsrv = \"7.2\"\nrate_per_s = 2.0\n",
    );
    // Everything else fixed too, so the TRT is known exactly.
    s.user_gateway.service = Delay::Constant { value_s: 0.01 };
    s.dsp.request_processing = Delay::Constant { value_s: 0.5 };
    s.dsp.response_processing = Delay::Constant { value_s: 0.5 };
    for csp in &mut s.csp {
        csp.round_trip = Delay::Constant { value_s: 4.0 };
        csp.channels_per_cell = 10_000;
        csp.loss_probability = Probability::new(0.0).unwrap();
    }
    s.comms_hub.han_response = Delay::Constant { value_s: 1.0 };
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    assert!(r.rows.requests.iter().all(|x| x.critical && x.srv == "7.2"));
    // Two passes through the User Gateway and three through the DSP per request.
    let n = r.measures.run.submitted;
    assert_eq!((r.measures.stages.user_gateway.arrivals, r.measures.stages.dsp.arrivals), (2 * n, 3 * n));
    for rec in &r.rows.requests {
        assert_eq!(rec.user_signing, SimDuration::from_secs(5));
        let trt = rec.trt().unwrap().as_secs_f64();
        // Gateway 2 × 0.01 + DSP 3 × 0.5 + 2 gateway crossings + WAN 4 + HAN 1, plus
        // airtime: at most (146 + 111) B × 8 / 4,800 bit/s = 0.428 s on the North's radio.
        let fixed = 0.02 + 1.5 + 0.1 + 4.0 + 1.0;
        assert!(trt > fixed && trt <= fixed + 0.4284, "trt {trt}");
        let total = (rec.responded.unwrap() - rec.submitted).as_secs_f64();
        assert!((total - trt - 5.0).abs() < 1e-6);
    }
}

#[test]
fn dcc_scheduled_requests_start_in_the_dsp_and_have_their_own_target() {
    let s = with_streams(
        10_000,
        600,
        "[[traffic.streams]]\nname = \"daily_reads\"\nsrv = \"4.8.1\"\nmode = \"scheduled\"\nrate_per_s = 5.0\n",
    );
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    assert!(r.measures.run.submitted > 2_000);
    assert_eq!(r.measures.stages.user_gateway.arrivals, 0, "scheduled requests never cross the User Gateway");
    assert_eq!(r.measures.stages.dsp.arrivals, 2 * r.measures.run.submitted);
    assert!(r.rows.requests.iter().all(|x| x.mode == Mode::Scheduled));
    assert!(
        r.rows.requests.iter().all(|x| x.target == SimDuration::from_secs(7_200)),
        "DCC Scheduled: 2 h (assumption)"
    );
    let bad = "[[traffic.streams]]\nname = \"x\"\nsrv = \"4.1.1\"\nmode = \"scheduled\"\nrate_per_s = 1.0\n";
    let text = format!("[scenario]\nname = \"t\"\nhorizon_s = 60\n{bad}");
    let err = Scenario::parse("t.toml", &text).unwrap_err().to_string();
    assert!(err.contains("cannot be DCC Scheduled"), "{err}");
}

#[test]
fn the_share_within_target_leaves_rejected_requests_out() {
    let s = with_streams(
        5_000,
        300,
        "[[traffic.streams]]\nname = \"reads\"\nsrv = \"4.1.1\"\nrate_per_s = 5.0\n\
         [[traffic.streams]]\nname = \"bad\"\nsrv = \"2.2\"\nuser_role = \"ED\"\nrate_per_s = 5.0\npremises = \"prepayment\"\n",
    );
    let r = run_quietly(&s, 2);
    let f = TrtSummary::of(&r.rows.requests).overall;
    let judged = r.rows.requests.iter().filter(|x| x.outcome != Outcome::Rejected).count() as f64;
    let within = r.rows.requests.iter().filter(|x| x.within_target()).count() as f64;
    assert!(f.rejected > 1_000);
    assert!((f.pct_within_target().unwrap() - 100.0 * within / judged).abs() < 1e-9);
}

#[test]
fn lost_messages_are_retried_and_a_request_fails_after_the_last_retry() {
    let mut s = small(10_000, 600, 20.0);
    for csp in &mut s.csp {
        csp.loss_probability = Probability::new(0.5).unwrap();
        csp.max_retries = 1;
        csp.retry_timeout = SimDuration::from_secs(10);
    }
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    // Two legs, each lost with p = 0.5, one retry in all: a request succeeds with
    // (1 − p)² + 2p(1 − p)² = 0.5.
    let n = r.rows.requests.len() as f64;
    let failed = r.rows.requests.iter().filter(|x| x.outcome == Outcome::Failed).count() as f64;
    assert!((failed / n - 0.5).abs() < 5.0 * (0.25 / n).sqrt(), "failed share {}", failed / n);
    // A retried success waited one 10 s timeout: its TRT is at least that.
    let summary = TrtSummary::of(&r.rows.requests);
    assert_eq!(summary.overall.failed as f64, failed);
    assert!(summary.overall.pct_within_target().unwrap() < 55.0, "failures count against the target");
}

#[test]
fn future_dated_requests_wait_in_the_dsp_and_their_trt_starts_at_execution() {
    let s = with_streams(
        10_000,
        300,
        "[[traffic.streams]]\nname = \"fd_reads\"\nsrv = \"4.1.1\"\nmode = \"future_dated\"\nrate_per_s = 5.0\n\
         lead_time = { kind = \"constant\", value_s = 600.0 }\n",
    );
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    for rec in &r.rows.requests {
        let execution = rec.execution.expect("Future Dated records carry their execution time");
        assert_eq!(execution, rec.submitted + SimDuration::from_secs(600));
        let responded = rec.responded.unwrap();
        assert!(responded > execution, "nothing reaches the device before its execution time");
        assert_eq!(rec.trt(), Some(responded - execution));
    }
    let cpm = models::measures::code_performance_measures(
        &r.rows.requests,
        &[],
        s.measurement.start_date,
        s.measurement.service_levels(),
    );
    let cpm2 = cpm.iter().find(|m| m.measure == "CPM2" && m.period == "run").unwrap();
    assert_eq!(cpm2.counted, r.measures.run.submitted);
    let text = "[scenario]\nname = \"t\"\nhorizon_s = 60\n[[traffic.streams]]\nname = \"x\"\nsrv = \"1.5\"\nmode = \"future_dated\"\nrate_per_s = 1.0\n";
    let err = Scenario::parse("t.toml", text).unwrap_err().to_string();
    assert!(err.contains("SRV 1.5 cannot be sent Future Dated"), "{err}");
}

#[test]
fn a_users_connection_limit_makes_its_requests_wait_and_no_one_elses() {
    let mut s = with_streams(
        10_000,
        300,
        "[users]\nsupplier_shares = [0.5, 0.5]\nmax_concurrent_requests = 1\n\
         [[traffic.streams]]\nname = \"reads\"\nsrv = \"4.1.1\"\nrate_per_s = 8.0\n\
         [[traffic.streams]]\nname = \"ed_reads\"\nsrv = \"4.1.1\"\nuser_role = \"ED\"\nrate_per_s = 0.5\n",
    );
    s.user_gateway.service = Delay::Constant { value_s: 0.2 };
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    // Two suppliers at 4/s each, one connection, 0.2 s in the gateway: each is an
    // M/D/1 queue at load 0.8, so many requests wait; the gateway itself never queues.
    assert!(r.measures.connections.waited > 500, "{}", r.measures.connections.waited);
    assert_eq!(
        r.measures.stages.user_gateway.mean_wait_s(),
        0.0,
        "the gateway has 32 servers and at most a few Users' requests"
    );
    // Pollaczek–Khinchine: the mean wait of M/D/1 is ρ D / (2 (1 − ρ)) = 0.4 s, over all requests.
    let mean_wait_all =
        r.measures.connections.wait_total_us as f64 / 1e6 / (r.measures.stages.user_gateway.arrivals as f64);
    assert!((mean_wait_all - 0.4 * 8.0 / 8.5).abs() < 0.1, "mean connection wait {mean_wait_all}");
    let user_names = r.world.users.names();
    let names: Vec<&str> = user_names.iter().map(String::as_str).collect();
    assert_eq!(&names[..3], ["supplier_1", "supplier_2", "ed_UKPN"]);
    assert!(r.rows.requests.iter().any(|x| user_names[usize::from(x.user)].starts_with("ed_")));
}

#[test]
fn change_of_supplier_updates_are_signed_by_the_cos_party() {
    let mut s = with_streams(
        5_000,
        300,
        "[cos_party]\nservers = 1\nsigning_time = { kind = \"constant\", value_s = 0.5 }\n\
         [[traffic.streams]]\nname = \"cos\"\nsrv = \"6.23\"\nrate_per_s = 1.0\n\
         [[traffic.streams]]\nname = \"reads\"\nsrv = \"4.1.1\"\nrate_per_s = 2.0\n",
    );
    s.dsp.servers = 64;
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    let cos = r.rows.requests.iter().filter(|x| x.srv == "6.23").count() as u64;
    assert!(cos > 200);
    assert_eq!(r.measures.stages.cos_party.arrivals, cos, "every 6.23 update and nothing else is signed");
    assert!((r.measures.stages.cos_party.mean_service_s() - 0.5).abs() < 1e-9);
    // One signer at 1/s × 0.5 s: M/D/1 at load 0.5 waits 0.5 × 0.5 / (2 × 0.5) = 0.25 s.
    assert!(
        (r.measures.stages.cos_party.mean_wait_s() - 0.25).abs() < 0.1,
        "{}",
        r.measures.stages.cos_party.mean_wait_s()
    );
}

/// A firmware image (SRV 11.1) crosses the cell as Category 1 payloads, one channel
/// occupancy each: the cells carry exactly payloads + 1 acknowledgement per image,
/// and no image arrives faster than its payloads' airtime.
#[test]
fn firmware_travels_as_category_1_payloads() {
    let text = r#"
[scenario]
name = "firmware"
horizon_s = 600
[population]
premises = 5000
smets1_share = 0
[wan_gateway]
firmware_payload_bytes = 1000
[[traffic.streams]]
name = "firmware"
srv = "11.1"
rate_per_s = 0.05
command_size_bytes = 25500
"#;
    let mut s = Scenario::parse("f.toml", text).unwrap_or_else(|e| panic!("{e}"));
    for csp in &mut s.csp {
        csp.loss_probability = Probability::new(0.0).unwrap();
    }
    let r = run_quietly(&s, 1);
    assert_conserved(&r);
    let images = r.rows.requests.len() as u64;
    assert!(images > 10, "{images}");
    assert!(r.rows.requests.iter().all(|x| x.outcome == Outcome::Responded));
    let cell_jobs: u64 = r.measures.stages.wan_cells.iter().map(|c| c.arrivals).sum();
    assert_eq!(cell_jobs, images * (26 + 1), "26 payloads (25 of 1,000 bytes and one of 500) and the ack");
    // Each image's payloads are on the air one after another: at least 25,500 bytes
    // at its network's bit rate (North's 4,800 bit/s: 42.5 s).
    let pop = models::population::Population::new(&s);
    for x in &r.rows.requests {
        let bitrate = s.csp[pop.kind(x.premises).network().index()].channel_bitrate_bps;
        assert!(x.trt().unwrap().as_secs_f64() > 25_500.0 * 8.0 / bitrate, "{x:?}");
    }
    assert_eq!(r.rows.requests[0].target, SimDuration::from_secs(86_400), "Category 1 payloads: a 24 h target");
}

/// A stream addressing a kind of premises that a small population holds few or
/// none of: it used to panic after 4,096 missed draws. Now a stream with none to
/// address sends nothing, and one with a handful addresses only those.
#[test]
fn streams_to_rare_or_absent_kinds_of_premises_run() {
    use models::scenario::traffic::TargetPremises;
    let population = models::population::Population::new;
    for (premises, share) in [(300, 0.0), (20_000, 0.0002)] {
        let mut s = small(premises, 120, 5.0);
        s.population.mix.prepayment = Share::new(share).unwrap();
        s.traffic[0].target = TargetPremises::Prepayment;
        let pop = population(&s);
        let eligible: Vec<u32> =
            (0..pop.premises()).filter(|&p| pop.kind(p).is_target_of(TargetPremises::Prepayment)).collect();
        assert_eq!(eligible.is_empty(), share == 0.0, "{} eligible", eligible.len());
        assert!(eligible.len() < 20, "rare enough that 4,096 draws can all miss");
        let r = run_quietly(&s, 2);
        assert_conserved(&r);
        if eligible.is_empty() {
            assert_eq!(r.measures.run.submitted, 0);
        } else {
            assert!(r.measures.run.submitted > 400, "{}", r.measures.run.submitted);
            assert!(r.rows.requests.iter().all(|x| eligible.contains(&x.premises)), "only the eligible are addressed");
        }
    }
}
