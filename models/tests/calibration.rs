//! `scenarios/gb_2021.toml` against the DCC's published July 2021 traffic (DOMAIN
//! §5, DCC CTO [H]): 1.0 bn service messages and 1.6 bn device alerts in the month
//! with about 21 m meters. Run small for a day, the study must carry both per
//! meter per month within 10 %.

use models::population::Fuel;
use models::scenario::Scenario;

const GB_2021: &str = include_str!("../../scenarios/gb_2021.toml");

#[test]
fn gb_2021_carries_the_published_july_2021_volumes_per_meter() {
    let mut s = Scenario::parse("gb_2021.toml", GB_2021).expect("the shipped study is valid");
    s.premises = 20_000;
    s.dsp.shards = 1;
    s.partitions.per_csp_region = 1;
    let r = models::run(s, 2, &mut |_| {});
    let population = &r.world.population;
    let meters: u64 =
        (0..population.premises()).map(|p| if population.kind(p).fuel() == Fuel::DualFuel { 2 } else { 1 }).sum();
    // July has 31 days; the study runs one ordinary day of it.
    let per_meter_month = |per_day: u64| per_day as f64 / meters as f64 * 31.0;
    let requests = per_meter_month(r.measures.run.submitted);
    let alerts = per_meter_month(r.measures.device_alerts.raised);
    let (published_requests, published_alerts) = (1.0e9 / 21.0e6, 1.6e9 / 21.0e6);
    assert!(
        (requests / published_requests - 1.0).abs() < 0.10,
        "{requests:.1} Service Requests per meter per month; published {published_requests:.1}"
    );
    assert!(
        (alerts / published_alerts - 1.0).abs() < 0.10,
        "{alerts:.1} device alerts per meter per month; published {published_alerts:.1}"
    );
    // About 60 % of the messages are the daily reads (DOMAIN §5 [H/M]).
    let reads = r.rows.requests.iter().filter(|x| matches!(x.srv, "4.8.1" | "4.17")).count() as f64;
    let share = reads / r.rows.requests.len() as f64;
    assert!((0.5..0.7).contains(&share), "{share} of requests are daily reads");
}
