//! Meters installed while a network study runs (`[commissioning]`): each install's
//! commissioning and post-commissioning requests arrive at the stated volume, in
//! working hours, and end like any other request.

use models::scenario::Scenario;
use models::service_request::Outcome;

mod conservation;
use conservation::assert_conserved;

/// One Thursday at 5,000 premises with a trickle of reads and 2,000 installs a day.
const STUDY: &str = r#"
[scenario]
name = "installs"
horizon_s = 86400.0
[population]
premises = 5000
smets1_share = 0
[measurement]
start_date = "2026-11-19"
[[traffic.streams]]
name = "reads"
srv = "4.1.1"
rate_per_s = 0.01
[commissioning]
installs_per_day = 2000
"#;

#[test]
fn installs_send_their_commissioning_requests_in_working_hours() {
    let s = Scenario::parse("installs.toml", STUDY).expect("a valid study");
    let names: Vec<&str> = s.traffic.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "reads",
            "commissioning_hub_installed",
            "commissioning_devices",
            "commissioning_joins",
            "commissioning_han_log",
            "post_commissioning_credentials"
        ]
    );
    let r = models::run(s.clone(), 2, &mut |_| {});
    assert_conserved(&r);
    // A Thursday weighs 7 / 5.7 of the week's mean day (Saturday 0.4, Sunday 0.3).
    let thursday = 7.0 / 5.7;
    for (stream, per_install) in [(1u16, 1.0), (2, 1.8), (3, 1.8), (4, 1.0), (5, 1.8)] {
        let sent = r.rows.requests.iter().filter(|x| x.stream == stream).count() as f64;
        let expected = 2_000.0 * per_install * thursday;
        assert!((sent - expected).abs() < 4.0 * expected.sqrt(), "stream {stream}: {sent} sent, {expected} expected");
    }
    // Installers work by day: hardly any commissioning at night.
    let night = r.rows.requests.iter().filter(|x| x.stream > 0 && x.submitted.as_secs_f64() < 5.0 * 3_600.0).count();
    let all = r.rows.requests.iter().filter(|x| x.stream > 0).count();
    assert!((night as f64) < 0.03 * all as f64, "{night} of {all} before 05:00");
    // None is rejected (the supplier may send them all); the hub's install
    // success is a non-device request the DSP answers itself, in seconds.
    for x in r.rows.requests.iter().filter(|x| x.stream > 0) {
        assert_ne!(x.outcome, Outcome::Rejected, "{x:?}");
        if x.srv == "8.14.1" {
            assert!(x.trt().is_some_and(|t| t.as_secs_f64() < 15.0), "{x:?}");
        }
    }
}
