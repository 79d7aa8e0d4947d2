//! The keys of a rollout study, one row each: name, unit, default, range, and what
//! it means with the source of its default ("DOMAIN §n" or "assumption").

use super::keys::Range::{Num, Shares, Text};
use super::keys::{Table, k};

/// Every table of a rollout scenario file, in the order `scenarios/README.md` gives them.
#[rustfmt::skip]
pub const ROLLOUT: &[Table] = &[
    Table {
        heading: "### `[scenario]` (rollout)",
        header: "| key | unit | default | range | meaning and source |",
        path: "scenario",
        keys: &[
        k("name", "text", &["required"], Text("letters, digits, `-`, `_`"), "the study's name; default output folder `output/<name>/`"),
        k("description", "text", &["empty"], Text(""), "one line on what the study asks"),
        k("seed", "integer", &["1"], Text("0 to 2^64−1 (above 2^63−1, as a string of digits)"), "seed of every random stream; `--seed` overrides"),
        k("start_month", "\"YYYY-MM\"", &["required"], Text("1900 to 2200"), "first month; `[rollout.initial]` is the fleet at its start"),
        k("end_month", "\"YYYY-MM\"", &["required"], Text("start to start + 40 years"), "last month"),
        ],
    },
    Table {
        heading: "### `[rollout]`",
        header: "| key | unit | default | range | meaning and source |",
        path: "rollout",
        keys: &[
        k("scale", "fraction", &["1.0"], Num(0.000001, 1.5), "fraction of GB's 29.9 M premises (DOMAIN §7); scales every count and rate. `--scale` overrides"),
        k("meters_per_premises", "meters", &["1.67"], Num(1.0, 2.0), "smart meters per smart premises (DOMAIN §5: ~25 m meters in 15 m homes, DCC Feb 2023 [H])"),
        k("supplier_shares", "fractions", &["[0.20, 0.18, 0.15, 0.12, 0.10, 0.08, 0.17]"], Shares(1, 50), "market shares (normalised), each a SEC Party that forecasts, orders and installs (assumption; DOMAIN §6: 99% of installs by large suppliers)"),
        k("refusal_share", "fraction", &["0.03"], Num(0.0, 0.5), "of premises without a smart meter at the start, those that never take one (assumption)"),
        k("uptake_share_per_month", "fraction", &["0.03"], Num(0.001, 1.0), "most of the premises still to visit that accept an install in a month: installs slow as few are left (assumption; not binding in 2021–2024)"),
        k("abort_share", "fraction", &["0.10"], Num(0.0, 0.9), "visits aborted on site; the premises stays in the queue, the hub in stock (assumption; DOMAIN §6: abort reasons exist, no rate)"),
        k("seasonality", "12 factors", &["[0.92, 1, 1, 1, 1, 1, 1, 0.95, 1, 1, 1, 0.85]"], Text("12 factors, each 0 to 3, not all 0"), "installer capacity per working day by calendar month, rescaled to mean 1 (DOMAIN §6: ElectraLink Jan 2025 per working day vs Mar–Apr; Aug, Dec assumption)"),
        ],
    },
    Table {
        heading: "### `[[rollout.install_rate]]`: installer capacity (required, one or more steps)",
        header: "| key | unit | default | range | meaning and source |",
        path: "rollout.install_rate",
        keys: &[
        k("from", "\"YYYY-MM\"", &["required"], Text("increasing; the first at or before `start_month`"), "first month of the step"),
        k("meters_per_working_day", "meters/working day", &["required"], Num(0.0, 200_000.0), "meters installed per working day in all GB at `scale` 1, before seasonality; successful installs (visits are this ÷ (1 − `abort_share`)). Published rates: DOMAIN §6"),
        ],
    },
    Table {
        heading: "### `[rollout.initial]`: the fleet at the start (meters, all GB)",
        header: "| key | unit | default | range | meaning and source |",
        path: "rollout.initial",
        keys: &[
        k("smets2_meters", "meters", &["0"], Num(0.0, 1e8), "SMETS2 installed, all in service except the share never connected (e.g. 6.7 m end 2020, DOMAIN §5)"),
        k("smets1_meters", "meters", &["0"], Num(0.0, 1e8), "SMETS1 installed (e.g. 15.7 m end 2020, DOMAIN §5)"),
        k("smets1_migrated_meters", "meters", &["0"], Text("0 to `smets1_meters`"), "of them on the DCC network"),
        k("advanced_meters", "meters", &["0"], Num(0.0, 1e8), "advanced meters, only added to smart-and-advanced totals in the calibration (e.g. 1.3 m, DOMAIN §5)"),
        ],
    },
    Table {
        heading: "### `[rollout.wan]`: first-time WAN connectivity",
        header: "| key | unit | default | range | meaning and source |",
        path: "rollout.wan",
        keys: &[
        k("no_wan_share", "fraction", &["0.03"], Num(0.0, 0.5), "installs without SM WAN at install, SR 8.14.2 (DOMAIN §6 [A]: 2–5%)"),
        k("unconnected_at_90_days_share", "fraction", &["0.0075"], Text("0 to `no_wan_share`"), "installs still without WAN 90 days on (CSP PM1.2; DOMAIN §6 [A]: 0.5–1%); the wait is memoryless, resolved ones draw their day from it"),
        ],
    },
    Table {
        heading: "### `[rollout.enrolment]`: Smart Metering Inventory",
        header: "| key | unit | default | range | meaning and source |",
        path: "rollout.enrolment",
        keys: &[
        k("check_mean_days", "days", &["2"], Num(0.1, 60.0), "mean days from commissioning to completed post-commissioning checks, geometric (assumption)"),
        k("check_window_days", "days", &["7"], Num(1.0, 60.0), "checks are due within this; later ones are counted overdue, and until done the devices are not enrolled (DOMAIN §0, SEC ch. 11 [H])"),
        ],
    },
    Table {
        heading: "### `[rollout.smets1]` and `[[rollout.smets1.migration_rate]]`",
        header: "| key | unit | default | range | meaning and source |",
        path: "rollout.smets1",
        keys: &[
        k("migratable_share", "fraction", &["0.955"], Num(0.0, 1.0), "SMETS1 meters that can be migrated; the rest are replaced by SMETS2 installs, first in the installers' queue (DOMAIN §6: ~15 m of 15.7 m)"),
        k("replacement_share_per_year", "fraction", &["0.023"], Num(0.0, 1.0), "of SMETS1 awaiting migration, those replaced by SMETS2 each year (DOMAIN §5: 15.7 m → 14.6 m over 2021–2023, derived)"),
        k("migration_rate[].from", "\"YYYY-MM\"", &[""], Text("increasing"), "first month of the step; before the first step, none"),
        k("migration_rate[].meters_per_month", "meters/month", &["none"], Num(0.0, 2_000_000.0), "SMETS1 meters migrated per month, all GB (DOMAIN §5–6 milestones)"),
        ],
    },
    Table {
        heading: "### `[rollout.hubs]`: Communications Hub supply (SEC F5)",
        header: "| key | unit | default | range | meaning and source |",
        path: "rollout.hubs",
        keys: &[
        k("order_lead_months", "months", &["4"], Num(1.0, 10.0), "the order for month M is placed at M − this (DOMAIN §6 [A]: 4–10)"),
        k("tolerance_share", "fraction", &["0.15"], Num(0.0, 1.0), "orders and deliveries stay within this either side of the forecast (DOMAIN §6 [A]: ±10–20%)"),
        k("forecast_bias_share", "fraction", &["0"], Num(-1.0, 2.0), "mean relative forecast error, positive over-forecasts (assumption)"),
        k("forecast_error_sd_share", "fraction", &["0.10"], Num(0.0, 2.0), "standard deviation of the relative forecast error, normal (assumption)"),
        k("late_forecast_probability", "probability", &["0"], Num(0.0, 1.0), "a forecast misses its month: refused, nothing delivered that month (assumption)"),
        k("delivery_shortfall_max_share", "fraction", &["0.02"], Num(0.0, 1.0), "deliveries fall short of the order by up to this, uniform, within the band (assumption)"),
        k("stock_cover_months", "months", &["1"], Num(0.0, 12.0), "stock a party aims for, in months of expected use, when it orders (assumption)"),
        k("initial_stock_months", "months", &["1"], Num(0.0, 24.0), "stock at the start (assumption)"),
        k("shelf_life_months", "months", &["24"], Num(1.0, 120.0), "a hub unused this long after delivery reaches its TSAT end date and is returned (DOMAIN §6, DP238 [H]; length assumption)"),
        k("fault_share", "fraction", &["0.01"], Num(0.0, 0.5), "hubs found faulty at install: returned, another fitted (assumption)"),
        k("refurbish_share", "fraction", &["0.5"], Num(0.0, 1.0), "returned faulty hubs refurbished and redeployed (DOMAIN §4: DP238; share assumption)"),
        k("refurbish_months", "months", &["2"], Num(1.0, 24.0), "until a refurbished hub is back in stock (assumption)"),
        ],
    },
    Table {
        heading: "### `[rollout.lte]`: 4G hubs and the 2G/3G switch-off",
        header: "| key | unit | default | range | meaning and source |",
        path: "rollout.lte",
        keys: &[
        k("standard_from", "\"YYYY-MM\"", &["\"2025-07\""], Text("≤ `switch_off`"), "every new hub is 4G from this month (DOMAIN §4: summer 2025)"),
        k("switch_off", "\"YYYY-MM\"", &["\"2033-12\""], Text(""), "last month of 2G/3G; hubs left at its end lose the WAN and leave the enrolled fleet (DOMAIN §4: by 2033)"),
        k("migration_start", "\"YYYY-MM\"", &["none"], Text("≤ `switch_off`"), "first month of the hub-replacement programme, which spreads the 2G/3G hubs left evenly over the months to the switch-off; none: no programme"),
        k("swaps_per_working_day", "hubs/working day", &["8,000"], Num(0.0, 200_000.0), "hub replacements per working day by separate crews, all GB, in Central and South (assumption); they use hubs from the same stock"),
        ],
    },
    Table {
        heading: "### `[[rollout.target]]`: milestones (default: 50%, 74.5% by 2025-12, 80%, 90%, 95%)",
        header: "| key | unit | default | range | meaning and source |",
        path: "rollout.target",
        keys: &[
        k("name", "text", &["required"], Text(""), "what it is"),
        k("coverage_pct", "%", &["required"], Num(0.0, 100.0), "premises with a smart meter (SMETS1 or SMETS2, any status)"),
        k("by", "\"YYYY-MM\"", &["none"], Text(""), "due month; the summary says whether it was met (default list: Ofgem's 74.5% of domestic premises by end 2025, DOMAIN §6 [H])"),
        ],
    },
];
