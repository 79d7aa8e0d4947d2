//! Users over their allocation (`[users] allocation_per_s`, after SECMP0067): held
//! back to it, rejected with a reason past the longest hold, and never let in
//! faster than the allocation.

use models::measures::summary::RunSummary;
use models::scenario::{RatePerS, Scenario};
use models::service_request::{Outcome, Refusal};
use sim::{SimDuration, SimTime};

mod conservation;
use conservation::assert_conserved;

const QUICKSTART: &str = include_str!("../../scenarios/quickstart.toml");

#[test]
fn users_over_their_allocation_are_held_back_then_rejected() {
    let mut s = Scenario::parse("quickstart.toml", QUICKSTART).expect("the shipped quickstart is valid");
    s.premises = 5_000;
    s.horizon = SimTime::from_secs(600);
    s.dsp.shards = 1;
    s.traffic[0].rate_per_s = Some(RatePerS::new(20.0).unwrap());
    // The largest supplier (20 % of customers) sends about 4 a second, the second
    // 3.6: both over an allocation of 3; the rest under it.
    s.users.allocation_per_s = 3.0;
    s.users.throttle_max_hold = SimDuration::from_secs(60);
    let r = models::run(s.clone(), 2, &mut |_| {});
    assert_conserved(&r);
    let names = r.world.users.names();
    let mut rejected = 0u64;
    for (u, name) in names.iter().enumerate() {
        let mine: Vec<_> = r.rows.requests.iter().filter(|x| usize::from(x.user) == u).collect();
        let refused = mine.iter().filter(|x| x.refused_by == Some(Refusal::Throttled)).count();
        let let_in = mine.len() - refused;
        // Let in no faster than the allocation: at most 3 a second over the
        // horizon and the longest hold after it, and one at time zero.
        assert!(let_in as f64 <= 3.0 * 660.0 + 1.0, "{name}: {let_in} let in");
        match name.as_str() {
            "supplier_1" | "supplier_2" => assert!(refused > 50, "{name}: {refused} rejected"),
            _ => assert_eq!(refused, 0, "{name} is under its allocation"),
        }
        rejected += refused as u64;
        for x in mine.iter().filter(|x| x.refused_by == Some(Refusal::Throttled)) {
            assert!(x.received.is_some() && x.responded.is_none(), "{x:?}");
        }
    }
    // A held request's wait is in its TRT: the largest supplier's last answers are
    // late by about the longest hold.
    let late = r.rows.requests.iter().filter(|x| x.outcome == Outcome::Responded && !x.within_target()).count();
    assert!(late > 100, "{late} late");
    let t = RunSummary::new(&s, &r).throttling.expect("allocations are set");
    assert_eq!(t.rejected, rejected);
    let [mean, max] = t.hold_s.expect("some were held");
    assert!(mean > 0.0 && mean < max && max <= 60.0, "{mean} {max}");
    // The same on one thread and four.
    for threads in [1, 4] {
        let other = models::run(s.clone(), threads, &mut |_| {});
        assert_eq!(RunSummary::new(&s, &other).throttling, Some(t.clone()), "{threads} threads");
    }
}
