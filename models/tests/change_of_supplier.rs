//! Change of Supplier as a process (`[change_of_supplier]`): switches at the rate
//! set, each sending one 6.23 update per meter from its gaining supplier (or DCC
//! through the Non-Gateway Interface) through the CoS Party; every switch ends in
//! exactly one outcome; every supplier's request comes from the supplier
//! registered when it was sent; and bad input is refused at its place.

use std::collections::BTreeMap;

use models::RunOutput;
use models::measures::summary::RunSummary;
use models::population::Fuel;
use models::scenario::Scenario;
use models::service_request::Outcome;
use sim::SimTime;

mod conservation;
use conservation::assert_conserved;

const SHIPPED: &str = include_str!("../../scenarios/supplier_switching.toml");

/// The shipped scenario at 20,000 premises for six hours, switching about
/// weekly so that there are hundreds of switches.
fn study() -> Scenario {
    let text = SHIPPED.replace("ngi_share = 0.05", "ngi_share = 0.2");
    let mut s = Scenario::parse("supplier_switching.toml", &text).expect("the shipped scenario is valid");
    // Beyond the keys' range (12 a year), for the counts.
    s.change_of_supplier.switches_per_premises_per_year = 50.0;
    s.premises = 20_000;
    s.horizon = SimTime::from_secs(6 * 3600);
    s.dsp.shards = 2;
    s
}

fn run(s: &Scenario, threads: usize) -> RunOutput {
    models::run(s.clone(), threads, &mut |_| {})
}

#[test]
fn switches_send_their_updates_and_each_ends_in_one_outcome() {
    let s = study();
    let r = run(&s, 2);
    assert_conserved(&r);
    let w = &r.world;
    let (users, seed) = (&w.users, s.seed);
    let stream = s.change_of_supplier.stream.expect("switching adds its stream");
    let ngi = users.ngi_party().expect("switching adds DCC as the NGI party");
    assert_eq!(users.name(ngi), "dcc_ngi");

    // The switches, counted from the register alone.
    let mut expected = BTreeMap::new();
    for p in 0..s.premises {
        let mut n = 0;
        while let Some(sw) = users.switch(p, n + 1, seed).filter(|sw| sw.at < s.horizon) {
            expected.insert((p, sw.at), sw);
            n += 1;
        }
    }
    let mean = f64::from(s.premises) * 50.0 / 365.25 / 4.0;
    let n = expected.len() as f64;
    assert!((n - mean).abs() < 5.0 * mean.sqrt(), "{n} switches, {mean:.0} expected");

    // Each switch sent one update per meter, from the gaining supplier or DCC.
    let mut updates: BTreeMap<(u32, SimTime), Vec<&_>> = BTreeMap::new();
    for x in r.rows.requests.iter().filter(|x| x.stream == stream) {
        assert_eq!(x.srv, "6.23");
        updates.entry((x.premises, x.submitted)).or_default().push(x);
    }
    assert_eq!(updates.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
    let mut via_ngi = 0;
    for (key, sent) in &updates {
        let sw = expected[key];
        let meters = if w.population.kind(key.0).fuel() == Fuel::DualFuel { 2 } else { 1 };
        assert_eq!(sent.len(), meters, "{sw:?}");
        let from = if sw.via_ngi { ngi } else { sw.to };
        assert!(sent.iter().all(|x| x.user == from), "{sw:?}");
        via_ngi += usize::from(sw.via_ngi);
    }
    let share = via_ngi as f64 / n;
    assert!((share - 0.2).abs() < 0.06, "{share} through the NGI, 0.2 set");

    // Every supplier's request came from the supplier registered when it was sent.
    for x in r.rows.requests.iter().filter(|x| x.stream != stream && x.user < users.supplier_count()) {
        assert_eq!(x.user, users.supplier_at(x.premises, x.submitted, seed).0, "{x:?}");
    }

    // Each switch ends in exactly one outcome, and the summary says so.
    let summary = RunSummary::new(&s, &r).change_of_supplier.expect("premises change supplier");
    assert_eq!(summary.switches, expected.len() as u64);
    assert_eq!(summary.via_ngi, via_ngi as u64);
    assert_eq!(summary.in_time + summary.late + summary.failed + summary.unfinished, summary.switches);
    let limit = s.change_of_supplier.time_limit;
    let in_time = updates
        .iter()
        .filter(|((_, at), sent)| {
            sent.iter().all(|x| x.outcome == Outcome::Responded && x.responded.unwrap() - *at <= limit)
        })
        .count();
    assert_eq!(summary.in_time, in_time as u64);
    assert!(summary.in_time > summary.switches / 2, "{summary:?}");
    // The devices' refusals are the records'.
    let refused = r.rows.requests.iter().filter(|x| x.outcome == Outcome::DeviceRejected).count();
    assert_eq!(summary.refused_gaining + summary.refused_losing, refused as u64);
    // The CoS Party signed every update DCC received, and nothing else.
    let received = updates.values().flatten().filter(|x| x.received.is_some()).count();
    assert_eq!(summary.cos_party.arrivals, received as u64);

    // The same on one thread and four.
    for threads in [1, 4] {
        let other = RunSummary::new(&s, &run(&s, threads)).change_of_supplier;
        assert_eq!(other.as_ref(), Some(&summary), "{threads} threads");
    }
}

/// With premises switching every few hours, some supplier's commands meet a
/// switch under way and are refused by the device; each such refusal is at a
/// premises that had switched by the time it was answered.
#[test]
fn devices_refuse_commands_only_where_a_switch_is_under_way() {
    let mut s = study();
    s.premises = 5_000;
    s.change_of_supplier.switches_per_premises_per_year = 2_000.0;
    let r = run(&s, 2);
    assert_conserved(&r);
    let base = RunSummary::new(&s, &r).change_of_supplier.unwrap();
    assert!(base.switches > 1_000, "{base:?}");
    // Many premises switch, some within minutes of a supplier's request to them,
    // so devices refuse some commands from either side.
    assert!(base.refused_gaining + base.refused_losing > 0, "{base:?}");
    for x in r.rows.requests.iter().filter(|x| x.outcome == Outcome::DeviceRejected) {
        let (_, switched) = r.world.users.supplier_at(x.premises, x.responded.unwrap(), s.seed);
        assert!(switched > 0, "a refusal at a premises that never switched: {x:?}");
    }
}

#[test]
fn bad_switching_input_is_refused_at_its_place() {
    let one_supplier =
        SHIPPED.replace("\n[change_of_supplier]\n", "\n[users]\nsupplier_shares = [1.0]\n\n[change_of_supplier]\n");
    let e = Scenario::parse("s.toml", &one_supplier).unwrap_err().to_string();
    assert!(e.contains("s.toml:") && e.contains("change_of_supplier.switches_per_premises_per_year"), "{e}");
    assert!(e.contains("with 1 supplier"), "{e}");
    let too_many = SHIPPED.replace("switches_per_premises_per_year = 0.9", "switches_per_premises_per_year = 13");
    let e = Scenario::parse("s.toml", &too_many).unwrap_err().to_string();
    assert!(e.contains("s.toml:50:") && e.contains("0 to 12"), "{e}");
    let share = SHIPPED.replace("ngi_share = 0.05", "ngi_share = 1.5");
    let e = Scenario::parse("s.toml", &share).unwrap_err().to_string();
    assert!(e.contains("ngi_share") && e.contains("0 to 1"), "{e}");
}
