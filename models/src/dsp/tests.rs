//! The DSP alone, driven by hand-made events.

use sim::{Delay, EntityId, SimDuration, SimTime};

use super::*;
use crate::context::ARRIVAL;
use crate::service_request::Outcome;
use crate::testkit;

/// What a hosted DSP sees and sends.
#[derive(Debug)]
enum E {
    /// A device's response arrives from the WAN (the test's Poisson source).
    Arrival,
    Dsp(DspEvent),
    Gateway(GatewayEvent),
    Command(CommandToCsp),
}

impl From<DspEvent> for E {
    fn from(e: DspEvent) -> E {
        E::Dsp(e)
    }
}
impl From<GatewayEvent> for E {
    fn from(e: GatewayEvent) -> E {
        E::Gateway(e)
    }
}
impl From<CommandToCsp> for E {
    fn from(e: CommandToCsp) -> E {
        E::Command(e)
    }
}

struct Bench {
    dsp: Dsp,
    arrivals: u64,
    limit: u64,
    rate_per_s: f64,
}

fn job(sr_id: u64, now: SimTime) -> ServiceRequestJob {
    crate::testkit::job(sr_id, 0, 0, now)
}

const SOURCE: EntityId = EntityId(1 << 40);

fn next_arrival(b: &Bench, cx: &mut Context<'_, '_, E>) {
    if b.arrivals < b.limit {
        let gap = cx.rng(SOURCE.0, Purpose::Submission, b.arrivals).exponential(1.0 / b.rate_per_s);
        cx.schedule(cx.now() + SimDuration::from_secs_f64(gap), ARRIVAL, SOURCE, E::Arrival);
    }
}

fn handle(b: &mut Bench, e: E, cx: &mut Context<'_, '_, E>) {
    match e {
        E::Arrival => {
            let j = job(b.arrivals, cx.now());
            b.dsp.open(j);
            assert_eq!(b.dsp.handle(DspEvent::ResponseAtDsp(j), cx), None);
            b.arrivals += 1;
            next_arrival(b, cx);
        }
        E::Dsp(e) => assert_eq!(b.dsp.handle(e, cx), None, "a response leaves nothing to hand on"),
        E::Gateway(g) => panic!("a processed response went back to the User Gateway: {g:?}"),
        E::Command(c) => panic!("a processed response went to the CSP: {c:?}"),
    }
}

/// Erlang C: the mean wait in queue of M/M/c with arrival rate λ and service rate μ.
fn erlang_c_mean_wait_s(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / f64::from(c);
    let mut term = 1.0;
    let mut below = 0.0;
    for k in 0..c {
        below += term;
        term *= a / f64::from(k + 1);
    }
    let waiting = term / (1.0 - rho);
    let p_wait = waiting / (below + waiting);
    p_wait / (f64::from(c) * mu - lambda)
}

/// Poisson responses into 10 servers with exponential processing (mean 1 s) at 80%
/// load: the DSP is M/M/10, and its mean wait is Erlang C's.
#[test]
fn dsp_queue_matches_erlang_c() {
    let mut s = testkit::scenario(1_000, 1.0);
    s.dsp.servers = 10;
    s.dsp.response_processing = Delay::Exponential { mean_s: 1.0 };
    let end = SimTime::from_secs(200_000);
    (s.horizon, s.drain_limit) = (end, SimDuration::ZERO);
    let world = testkit::world(s);
    let (lambda, mu, limit) = (8.0, 1.0, 1_000_000);
    let bench = Bench { dsp: Dsp::new(world.clone(), DspParams::of(&world)), arrivals: 0, limit, rate_per_s: lambda };
    let mut b = testkit::host(bench, world.streams, |b, cx| next_arrival(b, cx), handle, end);
    let (records, stats) = b.dsp.finish(end);
    // Every response became exactly one Service Response.
    assert_eq!(records.len() as u64, limit);
    assert!(records.iter().all(|r| r.outcome == Outcome::Responded));
    let theory = erlang_c_mean_wait_s(lambda, mu, 10);
    let got = stats.mean_wait_s();
    // A million customers bring the sample mean wait within about 1% of its limit;
    // one server fewer would wait 3.2 times longer, one more 60% less.
    assert!((got / theory - 1.0).abs() < 0.03, "mean wait {got:.4} s, Erlang C {theory:.4} s");
    assert!((stats.mean_service_s() - 1.0).abs() < 0.01, "mean service {}", stats.mean_service_s());
}

#[test]
fn erlang_c_reference_values() {
    // M/M/1: Wq = ρ / (μ − λ).
    assert!((erlang_c_mean_wait_s(0.5, 1.0, 1) - 1.0).abs() < 1e-12);
    // M/M/2, λ = 1, μ = 1: P(wait) = 1/3, Wq = (1/3) / (2 − 1).
    assert!((erlang_c_mean_wait_s(1.0, 1.0, 2) - 1.0 / 3.0).abs() < 1e-12);
}
