//! Laws of the rollout model: conservation, the SEC F5 10-month rule, the stock
//! limit, monotone enrolment, the 7-day rule, calibration and determinism.

use proptest::prelude::*;

use super::*;
use crate::scenario::ScenarioError;

const HISTORY: &str = include_str!("../../../scenarios/rollout_history.toml");

/// A small study: `extra` keys appended to `[rollout]`'s own keys.
fn small(extra: &str) -> RolloutScenario {
    let text = format!(
        "[scenario]\nname = \"t\"\nstart_month = \"2024-01\"\nend_month = \"2026-12\"\n\n[rollout]\nscale = 0.002\n\
         {extra}\n[[rollout.install_rate]]\nfrom = \"2024-01\"\nmeters_per_working_day = 12000\n"
    );
    RolloutScenario::parse("t.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn errors(text: &str) -> String {
    match RolloutScenario::parse("r.toml", text) {
        Err(ScenarioError::Invalid(p)) => p.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
        other => panic!("expected problems, got {other:?}"),
    }
}

fn check_conservation(r: &RolloutResult) {
    for (cell, rows) in r.rows.iter().enumerate() {
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(row.installs_attempted, row.installs_succeeded + row.installs_failed, "cell {cell} month {i}");
            assert_eq!(row.premises, row.not_smart + row.smart_premises(), "cell {cell} month {i}");
            assert!(row.enrolled_total <= row.smets2_installed + row.smets1_installed);
            assert_eq!(row.smets2_enrolled + row.smets1_migrated_total, row.enrolled_total);
            assert!(row.installs_succeeded >= row.no_wan_installs);
        }
        for w in rows.windows(2) {
            // Hubs used in a month never exceed the stock at its start plus what arrived.
            assert!(w[1].ch_used <= w[0].ch_stock + w[1].ch_delivered + w[1].ch_refurbished, "cell {cell}");
        }
        let sum = |f: fn(&CellMonth) -> u64| rows.iter().map(f).sum::<u64>();
        let last = rows.last().unwrap();
        // Every install without WAN resolves, reaches 90 days unresolved, or is still waiting.
        assert_eq!(
            sum(|r| r.no_wan_installs),
            sum(|r| r.no_wan_resolved) + sum(|r| r.no_wan_unresolved_90d) + last.awaiting_wan,
            "cell {cell}: no-WAN installs are all accounted for"
        );
    }
}

#[test]
fn a_small_study_conserves_every_install_and_premises() {
    let s = small("");
    let r = run(&s, 1);
    assert_eq!(r.months.len(), 36);
    assert_eq!(r.cells.len(), 7 * 14);
    check_conservation(&r);
    let total: u64 = r.national.iter().map(|n| n.installs_succeeded).sum();
    // 12,000 meters a working day for three years at 0.2% of GB, in premises.
    let expected = 12_000.0 * 0.002 / 1.67 * (252.0 * 3.0);
    assert!((total as f64 / expected - 1.0).abs() < 0.05, "{total} installs, expected about {expected:.0}");
}

#[test]
fn enrolment_never_decreases_before_the_switch_off() {
    let r = run(&small("refusal_share = 0.0\n"), 2);
    for rows in &r.rows {
        for w in rows.windows(2) {
            assert!(
                w[1].enrolled_total >= w[0].enrolled_total,
                "enrolled fell: {} → {}",
                w[0].enrolled_total,
                w[1].enrolled_total
            );
        }
    }
    for w in r.national.windows(2) {
        assert!(w[1].enrolled_total >= w[0].enrolled_total);
    }
}

#[test]
fn installs_never_exceed_the_hubs_in_stock_and_stop_without_deliveries() {
    // Forecasts of nothing (bias −100%) mean nothing is ordered or delivered: once
    // the starting stock is used, installs stop and the rest are lost.
    let s = small(
        "[rollout.hubs]\nforecast_bias_share = -1.0\nforecast_error_sd_share = 0.0\ninitial_stock_months = 1.0\nfault_share = 0.0\n",
    );
    let r = run(&s, 1);
    for rows in &r.rows {
        let mut stock_before = None;
        for row in rows {
            // Hubs available in a month: the stock at its start plus deliveries.
            if let Some(before) = stock_before {
                assert!(row.ch_used <= before + row.ch_delivered + row.ch_refurbished, "used more hubs than held");
            }
            stock_before = Some(row.ch_stock);
        }
    }
    let n = &r.national;
    assert!(n.iter().all(|m| m.ch_delivered == 0), "forecasts of zero, so no deliveries");
    let initial_stock = n[0].ch_stock + n[0].ch_used;
    assert!(n[0].installs_succeeded > 0, "the starting stock is used");
    assert_eq!(n.iter().map(|m| m.ch_used).sum::<u64>(), initial_stock, "every hub used, none more");
    assert_eq!(n.iter().map(|m| m.installs_succeeded).sum::<u64>(), initial_stock);
    assert!(n[12..].iter().all(|m| m.installs_succeeded == 0 && m.ch_stock == 0), "no hubs, no installs");
    assert!(n[1..].iter().all(|m| m.installs_lost_no_stock > 0), "demand unmet for lack of hubs is counted");
}

#[test]
fn a_late_forecast_is_refused_and_nothing_is_delivered_for_its_month() {
    let s = small("[rollout.hubs]\nlate_forecast_probability = 1.0\n");
    let r = run(&s, 1);
    let n = &r.national;
    // Forecasts for the first ten months predate the run; each later one is
    // submitted during the run, a month late, and refused.
    assert!(n[..10].iter().all(|m| m.ch_delivered > 0));
    for (m, row) in s.months().zip(n) {
        let due = if m.plus(10) <= s.end { r.cells.len() as u64 } else { 0 };
        assert_eq!(row.forecasts_late, due, "{m}");
    }
    let due = s.months().filter(|m| m.plus(10) <= s.end).count() as u64;
    assert_eq!(n.iter().map(|m| m.forecasts_late).sum::<u64>(), due * r.cells.len() as u64);
    assert!(n[10..].iter().all(|m| m.ch_forecast == 0 && m.ch_delivered == 0));
}

#[test]
fn forecasts_deliveries_and_orders_respect_f5() {
    let s = small("[rollout.hubs]\ntolerance_share = 0.1\nforecast_error_sd_share = 0.3\n");
    let r = run(&s, 1);
    for rows in &r.rows {
        for row in rows {
            let (lo, hi) = hub_supply::tolerance_band(row.ch_forecast, 0.1);
            assert!((lo..=hi).contains(&row.ch_ordered), "order {} outside {lo}..={hi}", row.ch_ordered);
            assert!((lo..=hi).contains(&row.ch_delivered));
        }
    }
}

#[test]
fn post_commissioning_checks_gate_enrolment_and_late_ones_are_counted() {
    // Slow checks (mean 10 days): many pass their 7-day due date.
    let r = run(&small("[rollout.enrolment]\ncheck_mean_days = 10.0\n"), 1);
    let commissioned: u64 = r.national.iter().map(|n| n.commissioned).sum();
    let overdue: u64 = r.national.iter().map(|n| n.checks_overdue).sum();
    // Geometric wait with mean 10: P(more than 7 days) = (10/11)^8.
    let theory = (10.0f64 / 11.0).powi(8);
    assert!((overdue as f64 / commissioned as f64 - theory).abs() < 0.01, "{overdue} of {commissioned}");
    for n in &r.national {
        // Only installs with their checks done are enrolled (may be sent Service Requests).
        assert_eq!(n.smets2_installed, n.smets2_enrolled + n.awaiting_checks + n.awaiting_wan + n.wan_unresolved);
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let s = small("");
    let one = run(&s, 1);
    let two = run(&s, 2);
    assert_eq!(one.rows, two.rows);
    let other = run(&RolloutScenario { seed: 2, ..s }, 2);
    assert_ne!(one.rows, other.rows, "the seed matters");
}

#[test]
fn the_history_reproduces_the_published_installed_base_within_5_percent() {
    let s = RolloutScenario::parse("rollout_history.toml", HISTORY).unwrap();
    let r = run(&s, 2);
    let table = calibration::compare(&r, s.rollout.scale);
    assert_eq!(table.len(), calibration::PUBLISHED.len(), "every published point is in the study");
    let years: std::collections::BTreeSet<&str> = table.iter().map(|c| &c.month[..4]).collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), ["2021", "2022", "2023", "2024"]);
    for c in &table {
        eprintln!(
            "{} {:?}: published {} m, simulated {:.2} m ({:+.1}%)",
            c.month, c.measure, c.published_m, c.simulated_m, c.error_pct
        );
    }
    for c in &table {
        assert!(
            c.error_pct.abs() <= 5.0,
            "{} {:?}: published {} m, simulated {:.2} m ({:+.1}%)",
            c.month,
            c.measure,
            c.published_m,
            c.simulated_m,
            c.error_pct
        );
    }
    check_conservation(&r);
}

#[test]
fn lte_fleet_matches_the_published_24_million() {
    // DOMAIN §4: about 24 m meters on 2G/3G hubs need moving before the switch-off.
    let text = HISTORY.replace("end_month = \"2024-12\"", "end_month = \"2025-06\"");
    let s = RolloutScenario::parse("h.toml", &text).unwrap();
    let r = run(&s, 2);
    let meters_m = r.national.last().unwrap().hubs_2g3g as f64 * 1.67 / 1e6;
    assert!((meters_m / 24.0 - 1.0).abs() < 0.10, "{meters_m:.1} m meters on 2G/3G hubs at mid-2025");
}

#[test]
fn the_switch_off_strands_what_was_not_replaced() {
    let s = small(
        "[rollout.lte]\nstandard_from = \"2025-01\"\nswitch_off = \"2026-06\"\nmigration_start = \"2025-01\"\nswaps_per_working_day = 2000\n\
         [rollout.initial]\nsmets2_meters = 10e6\n",
    );
    let r = run(&s, 1);
    let n = &r.national;
    let off = s.months().position(|m| m == Month::new(2026, 6)).unwrap();
    assert!(n[off].stranded_at_switch_off > 0, "2,000 swaps a day cannot replace ~4 m hubs in 18 months");
    assert_eq!(n[off].hubs_2g3g, 0);
    assert!(n[off].enrolled_total < n[off - 1].enrolled_total, "the only modelled removal");
    let swaps: u64 = n.iter().map(|m| m.hub_swaps).sum();
    assert!(swaps > 0 && n.iter().all(|m| m.hub_swaps <= m.hub_swap_demand));
}

#[test]
fn milestones_name_the_month_coverage_is_reached() {
    let s = small("");
    let r = run(&s, 1);
    let m = r.milestones(&[
        crate::scenario::rollout::Target {
            name: "low".into(),
            coverage_pct: crate::scenario::Percent::new(0.2).unwrap(),
            by: Some(Month::new(2024, 1)),
        },
        crate::scenario::rollout::Target {
            name: "never".into(),
            coverage_pct: crate::scenario::Percent::new(100.0).unwrap(),
            by: Some(Month::new(2025, 1)),
        },
    ]);
    assert_eq!(m[0].reached.as_deref(), Some("2024-01"));
    assert_eq!(m[0].met, Some(true));
    assert_eq!((m[1].reached.as_deref(), m[1].met), (None, Some(false)));
}

#[test]
fn bad_input_is_reported_at_its_place_with_what_is_allowed() {
    let base = "[scenario]\nname = \"r\"\nstart_month = \"2024-01\"\nend_month = \"2025-12\"\n\n[rollout]\n";
    let rate = "[[rollout.install_rate]]\nfrom = \"2024-01\"\nmeters_per_working_day = 1000\n";
    let e = errors(&format!("{base}abort_share = 2.0\n{rate}"));
    assert!(e.contains("r.toml:7:15: `rollout.abort_share`: 2 is out of range; allowed: 0 to 0.9"), "{e}");
    let e = errors(&format!("{base}{rate}[[rollout.install_rate]]\nfrom = \"2023-13\"\nmeters_per_working_day = 1\n"));
    assert!(e.contains("r.toml:11:8:") && e.contains("allowed: \"YYYY-MM\""), "{e}");
    let e = errors(&format!("{base}colour = 1\n{rate}"));
    assert!(e.contains("r.toml:7:1:") && e.contains("unknown key `colour`"), "{e}");
    let e =
        errors(&base.replace("2025-12", "2023-12").to_string().replace("[rollout]\n", &format!("[rollout]\n{rate}")));
    assert!(e.contains("`scenario.end_month`"), "{e}");
    let e = errors(&format!("{base}[[rollout.install_rate]]\nfrom = \"2024-06\"\nmeters_per_working_day = 1\n"));
    assert!(e.contains("after start_month"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn conservation_holds_for_any_parameters(
        seed in 0u64..1000,
        no_wan in 0.0f64..0.3,
        abort in 0.0f64..0.5,
        bias in -0.5f64..0.5,
        check_mean in 0.1f64..20.0,
    ) {
        let s = small(&format!(
            "abort_share = {abort}\n[rollout.wan]\nno_wan_share = {no_wan}\nunconnected_at_90_days_share = {}\n\
             [rollout.enrolment]\ncheck_mean_days = {check_mean}\n[rollout.hubs]\nforecast_bias_share = {bias}\n",
            no_wan / 3.0
        ));
        let r = run(&RolloutScenario { seed, ..s }, 1);
        check_conservation(&r);
    }
}
