//! A DCC User suspended (`scenarios/user_suspension.toml`, run small): every request
//! the User sends while suspended is refused with the reason, no other User's is,
//! and its prepayment customers' UTRNs and missed top-ups are those of the rows.

use models::measures::suspensions::SuspensionRow;
use models::scenario::Scenario;
use models::service_request::{Mode, Outcome, Refusal};

mod conservation;
use conservation::assert_conserved;

const SUSPENSION: &str = include_str!("../../scenarios/user_suspension.toml");

#[test]
fn a_suspended_users_requests_are_refused_and_its_customers_fall_back_to_utrns() {
    let mut s = Scenario::parse("user_suspension.toml", SUSPENSION).expect("the shipped study is valid");
    s.premises = 30_000;
    let r = models::run(s.clone(), 2, &mut |_| {});
    assert_conserved(&r);
    let suspension = &s.user_suspensions[0];
    assert_eq!((suspension.user.as_str(), suspension.user_index), ("supplier_2", 1));
    let (start, end) = (suspension.start, suspension.start + suspension.duration);
    let mut refused = 0u64;
    let mut top_ups = 0u64;
    for x in &r.rows.requests {
        let theirs = x.user == suspension.user_index && x.mode != Mode::Scheduled;
        let during = start <= x.submitted && x.submitted < end;
        if theirs && during {
            assert_eq!((x.outcome, x.refused_by), (Outcome::Refused, Some(Refusal::UserSuspended)), "{x:?}");
            refused += 1;
            top_ups += u64::from(x.srv == "2.2");
        } else {
            assert_ne!(x.refused_by, Some(Refusal::UserSuspended), "refused outside the suspension: {x:?}");
        }
    }
    let rows = SuspensionRow::of(&r.measures.suspensions);
    assert_eq!((rows[0].refused, rows[0].top_ups_refused), (refused, top_ups));
    assert!(top_ups > 50, "{top_ups} top-ups refused");
    assert_eq!(rows[0].utrn_used + rows[0].top_ups_missed, top_ups, "every refused top-up ends one way");
    let missed_share = rows[0].top_ups_missed as f64 / top_ups as f64;
    assert!((0.02..0.25).contains(&missed_share), "{missed_share} missed, 10 % expected");
    assert!(rows[0].customers_at_risk <= rows[0].top_ups_missed && rows[0].customers_at_risk > 0);
    let [p50, p95, max] = rows[0].utrn_delay_s.expect("some UTRNs");
    assert!(p50 < p95 && p95 <= max && (1_800.0..7_200.0).contains(&p50), "{p50} {p95} {max}");
    // The same on one thread and four.
    for threads in [1, 4] {
        let other = models::run(s.clone(), threads, &mut |_| {});
        assert_eq!(SuspensionRow::of(&other.measures.suspensions), rows, "{threads} threads");
    }
}
