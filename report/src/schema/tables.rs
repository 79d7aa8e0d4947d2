//! The declarations: every column of every table, once.
//!
//! The unit is empty for identifiers, names and flags. A column named `*` stands
//! for as many columns as the writer needs (a sweep's swept keys).

use super::ColumnType::{Bool, F64, Str, U32, U64};
use super::{TableSchema, column, nullable, utc};

/// Every table with a fixed schema, in the order of docs/outputs.md.
pub const ALL: [&TableSchema; 12] = [
    &SERVICE_REQUESTS,
    &STAGES,
    &CELLS,
    &PERFORMANCE,
    &PERFORMANCE_DETAIL,
    &DOWNTIME,
    &ALERTS,
    &OUTAGES,
    &INTERRUPTIONS,
    &REPLICATIONS,
    &SWEEP,
    &ROLLOUT,
];

/// `service_requests/`: one row per Service Request submitted, in the order they
/// ended (drain by drain, partition by partition), in part files.
pub const SERVICE_REQUESTS: TableSchema = TableSchema {
    file: "service_requests/",
    columns: &[
        column("sr_id", U64, "", "unique id in the run"),
        column("srv", Str, "", "Service Reference Variant, e.g. `4.1.1`"),
        column("user_role", Str, "", "DCC User role code: IS, ES, GS, ED, GT, RSA, OU"),
        column(
            "user",
            Str,
            "",
            "the DCC User: `supplier_N` (the premises' supplier when it was sent), `ed_<DNO group>`, `gt_N`, `other_user`, or `dcc_ngi` (DCC as the Non-Gateway Interface party, sending a switch's updates for a gaining supplier that is not a DCC User; `[change_of_supplier]`)",
        ),
        column(
            "stream",
            Str,
            "",
            "the `name` of the traffic stream that sent it (`[[traffic.streams]]`; `change_of_supplier` for the 6.23 updates of `[change_of_supplier]` switches)",
        ),
        column("mode", Str, "", "`on_demand`, `future_dated` or `scheduled`"),
        column("critical", Bool, "", "a Critical Service Request"),
        column("premises_id", U32, "", "the target premises"),
        column("csp_region", Str, "", "`north`, `central` or `south`"),
        column(
            "smets1",
            Bool,
            "",
            "the premises has a migrated SMETS1 installation: with `[smets1_service] enabled`, its commands went through the SMETS1 service providers, not the CSPs' cells",
        ),
        column(
            "submitted_s",
            F64,
            "s",
            "its User first sent it: receipt at the DCC User Interface, where the TRT clock starts, unless the User Gateway was down (`wait_for_gateway_s`)",
        ),
        utc("submitted_utc", "submitted_s", false),
        nullable(
            "wait_for_gateway_s",
            F64,
            "s",
            "from `submitted_s` to receipt at the User Interface: 0 unless the User Gateway was down and the User held or retried it (`[[user_gateway.downtime]]`); null if DCC never received it (`refused`)",
        ),
        column("refusals", U32, "count", "times the User Interface turned it away"),
        nullable(
            "refused_by",
            Str,
            "",
            "why a `refused` request was refused: `gateway_down` (`[[user_gateway.downtime]]`), `user_suspended` (`[[user_suspensions]]`) or `quarantined` (Threshold Anomaly Detection held it and its User did not confirm it: an attack's, deleted; `[[anomaly_thresholds]]`) or `throttled` (its User was over its allocation and it would have been held back too long; `[users] allocation_per_s`); null otherwise",
        ),
        column(
            "quarantined",
            Bool,
            "",
            "Threshold Anomaly Detection quarantined it (`[[anomaly_thresholds]]`): released later if genuine (its wait is in `trt_s`), deleted if an attack's",
        ),
        nullable("responded_s", F64, "s", "the Service Response sent; null if unfinished"),
        utc("responded_utc", "responded_s", true),
        column(
            "user_signing_s",
            F64,
            "s",
            "time the User spent signing a Critical request's Pre-Command (0 otherwise); outside the TRT (DOMAIN §1.2)",
        ),
        nullable(
            "execution_s",
            F64,
            "s",
            "Future Dated requests: the execution date-time, when the DSP releases the request and the TRT clock starts",
        ),
        utc("execution_utc", "execution_s", true),
        nullable(
            "trt_s",
            F64,
            "s",
            "`responded_s − submitted_s − wait_for_gateway_s − user_signing_s` (from receipt); for Future Dated requests `responded_s − execution_s` (DOMAIN §1.2)",
        ),
        column(
            "target_s",
            F64,
            "s",
            "the Target Response Time that applies to this request (its SRV and mode; see scenarios/README.md `[measurement]`)",
        ),
        column("within_target", Bool, "", "outcome `responded` with `trt_s ≤ target_s`"),
        column(
            "outcome",
            Str,
            "",
            "`responded`, `unfinished` (open at the drain limit), `not_yet_due` (Future Dated, its execution date-time after the run's end: not judged, left out of the TRT figures and CPM2), `rejected` (refused by the DSP's validation, e.g. a role not eligible for the SRV; `responded_s` is the error response) `failed` (the WAN lost its messages more often than the CSP retries; `responded_s` is the failure response, and it counts against the target) `device_rejected` (the meter refused it: signed by a supplier whose credentials it does not hold, the gaining one before its Change of Supplier update or the losing one after; `[change_of_supplier]`. `responded_s` is the device's error response; left out of the TRT figures and the CPMs like `rejected`) or `refused` (`refused_by` says why: the User Gateway was down, rejected there or given up by its User after the last attempt; its User was suspended; or it was deleted from quarantine. It is left out of the TRT figures and the CPMs)",
        ),
    ],
};

/// `stages.parquet`: one row per (stage, time bucket): the queueing figures of each stage over time.
pub const STAGES: TableSchema = TableSchema {
    file: "stages.parquet",
    columns: &[
        column("stage", Str, "", "the stage, as in `summary.json`"),
        column("bucket_start_s", F64, "s", "start of the bucket, from the start of the run"),
        utc("bucket_start_utc", "bucket_start_s", false),
        column(
            "bucket_s",
            F64,
            "s",
            "width of the bucket: `scenario.series_bucket_s` (default 60), except the last, which ends at the run's end",
        ),
        column(
            "servers",
            U64,
            "servers",
            "servers of the stage, summed over shards or cells (radio channels for WAN cells)",
        ),
        column(
            "completions",
            U64,
            "jobs",
            "services completed in the bucket (a request passes the DSP and its cell twice)",
        ),
        column("mean_in_system", F64, "jobs", "time-averaged jobs at the stage, waiting or in service"),
        column("mean_queued", F64, "jobs", "time-averaged jobs waiting for a server"),
        column("mean_busy", F64, "servers", "time-averaged busy servers"),
        column("utilisation", F64, "fraction, 0–1", "`mean_busy / servers`"),
    ],
};

/// `cells.parquet`: one row per radio cell (base station), whole run.
pub const CELLS: TableSchema = TableSchema {
    file: "cells.parquet",
    columns: &[
        column("cell_id", U32, "", "the cell, numbered region by region, network by network"),
        column("csp_region", Str, "", "`north`, `central` or `south`"),
        column("network", Str, "", "`north`, `central`, `south` (the region's own network), `mesh` or `lte`"),
        column("premises", U32, "count", "hubs the cell serves"),
        column("channels", U32, "count", "messages it carries at once"),
        column(
            "arrivals",
            U64,
            "count",
            "messages queued for its channels: commands, responses, firmware payloads, alerts, retries",
        ),
        column("utilisation_pct", F64, "%", "busy channel time over channel time of the run"),
        column("mean_wait_s", F64, "s", "mean wait for a channel"),
        column("max_wait_s", F64, "s", "longest wait"),
        column("queue_max", U32, "count", "most messages waiting at once"),
    ],
};

/// `performance.parquet`: the Code Performance Measures per calendar month and for the whole run.
pub const PERFORMANCE: TableSchema = TableSchema {
    file: "performance.parquet",
    columns: &[
        column("period", Str, "", "`YYYY-MM`, or `run`"),
        column(
            "measure",
            Str,
            "",
            "`CPM1` On Demand, `CPM2` Future Dated, `CPM3` alerts: outage alert copies and routine device alerts, counted in the month raised when delivered, failed on the WAN or unfinished (routine ones unfinished at the end count on the last day); within `[alerts] delivery_target_s` of being raised",
        ),
        column("counted", U64, "count", "requests counted: answered or left unanswered (rejected ones are not)"),
        column("within_target", U64, "count", "of them, answered within their TRT"),
        nullable("value_pct", F64, "%", "`100 × within_target / counted`; null with nothing counted"),
        column("target_pct", F64, "%", "Target Service Level (`[measurement] target_service_level_pct`)"),
        column("minimum_pct", F64, "%", "Minimum Service Level"),
        column("status", Str, "", "`met`, `below_target`, `below_minimum` or `no_data`"),
    ],
};

/// `performance_detail.parquet`: CPM1 and CPM2 counts per calendar month × CSP
/// region × DCC User × SRV, the aggregate the monthly measures are summed from.
pub const PERFORMANCE_DETAIL: TableSchema = TableSchema {
    file: "performance_detail.parquet",
    columns: &[
        column("period", Str, "", "`YYYY-MM`: the month the request's TRT clock started"),
        column("measure", Str, "", "`CPM1` On Demand or `CPM2` Future Dated"),
        column("csp_region", Str, "", "`north`, `central` or `south`"),
        column("csp", Str, "", "the region's CSP: `arqiva` (North) or `telefonica` (Central, South) (DOMAIN §4)"),
        column("user", Str, "", "the DCC User, as in `service_requests/`"),
        column("sr_group", Str, "", "the SRV's family: the number before its first dot (`4` for `4.1.1`)"),
        column("srv", Str, "", "Service Reference Variant"),
        column("counted", U64, "count", "requests counted: answered or left unanswered (rejected ones are not)"),
        column("within_target", U64, "count", "of them, answered within their TRT"),
        nullable("value_pct", F64, "%", "`100 × within_target / counted`; null with nothing counted"),
    ],
};

/// `downtime.parquet`: with `[[user_gateway.downtime]]`, one row per window the
/// User Gateway was down.
pub const DOWNTIME: TableSchema = TableSchema {
    file: "downtime.parquet",
    columns: &[
        column("window", U32, "", "in time order, from 0"),
        column("entry", U32, "", "the `[[user_gateway.downtime]]` entry it comes from, from 0"),
        column("kind", Str, "", "`planned` (Planned Maintenance) or `unplanned`"),
        column("users", Str, "", "what Users did meanwhile: `hold`, `retry` or `reject`"),
        column("start_s", F64, "s", "the gateway closed"),
        utc("start_utc", "start_s", false),
        column("end_s", F64, "s", "it opened again"),
        utc("end_utc", "end_s", false),
        column(
            "sent",
            U64,
            "count",
            "requests their Users first sent while it was closed (DCC Scheduled ones never cross it)",
        ),
        column("received", U64, "count", "of them, received by DCC in the end"),
        column("refused", U64, "count", "of them, ended `refused`"),
        column("responded", U64, "count", "of them, answered"),
        column("unfinished", U64, "count", "of them, still open at the end of the run"),
        column("refusals", U64, "count", "refusals of them, every attempt counted"),
        nullable("mean_wait_s", F64, "s", "mean wait from first sending to receipt of those received"),
        nullable("max_wait_s", F64, "s", "the longest such wait"),
        nullable("drain_s", F64, "s", "from `end_s` to the last of them received: the gateway's backlog drained"),
        nullable("answered_by_s", F64, "s", "from `end_s` to the last of them answered"),
        column(
            "after_received",
            U64,
            "count",
            "requests received through the gateway in the hour after `end_s` (the backlog and the retry storm land here), not counting those the DSP rejected",
        ),
        nullable("after_within_target_pct", F64, "%", "of those, answered within their TRT"),
        nullable("after_trt_max_s", F64, "s", "the longest TRT among those"),
    ],
};

/// `alerts/`: one row per alert copy, in the order they ended, in part files.
pub const ALERTS: TableSchema = TableSchema {
    file: "alerts/",
    columns: &[
        column("alert_id", U32, "", "the alert, numbered in order of raising; its copies share it"),
        column("alert_code", Str, "", "`AD1` (Power Outage Alert) or `8F36` (Supply Outage Restored ≥ 3 minutes)"),
        column("premises_id", U32, "", "the premises whose hub raised it"),
        column("fault_id", U32, "", "the fault (row of `outages.parquet`) that cut supply first"),
        column("dno", Str, "", "DNO licence area key"),
        column("substation_id", U32, "", "secondary substation supplying the premises"),
        column("csp_region", Str, "", "`north`, `central` or `south`"),
        column("power_lost_s", F64, "s", "supply lost at the premises"),
        utc("power_lost_utc", "power_lost_s", false),
        column("raised_s", F64, "s", "the hub raised the alert"),
        utc("raised_utc", "raised_s", false),
        nullable("csp_received_s", F64, "s", "the CSP received it from the cell"),
        utc("csp_received_utc", "csp_received_s", true),
        nullable("delivered_s", F64, "s", "the recipient got it"),
        utc("delivered_utc", "delivered_s", true),
        column("recipient_role", Str, "", "`ED` (the DNO) or `IS` (the supplier)"),
        nullable("latency_s", F64, "s", "`delivered_s − raised_s`"),
        column(
            "throttled_count",
            U32,
            "count",
            "identical alerts this copy stands for besides itself (held by the hub, MP119, or discarded by DCC, SECMP0062)",
        ),
        column("aggregated", Bool, "", "delivered inside a CSP power outage event message"),
        column(
            "outcome",
            Str,
            "",
            "`delivered`, `discarded` (SECMP0062), `consolidated` (MP119), `not_forwarded` (supplier copy of an aggregated AD1), `no_wan`, `no_energy` (energy store shorter than the threshold), `energy_exhausted` (store ran out before the AD1 was on the air), `failed` (lost more often than the CSP retries), `unfinished`",
        ),
    ],
};

/// `outages.parquet`: one row per fault, and one per firmware campaign.
pub const OUTAGES: TableSchema = TableSchema {
    file: "outages.parquet",
    columns: &[
        column("fault_id", U32, "", "in order of start"),
        column("level", Str, "", "`feeder`, `secondary`, `primary`, `area`, `firmware`"),
        column("cause", Str, "", "`fault` (`[[outages.faults]]`), `storm`, `firmware`"),
        column("node", U32, "", "the node's id at its level (campaign index for firmware)"),
        nullable("dno", Str, "", "DNO area key (null for a campaign)"),
        column("start_s", F64, "s", "supply lost (first trip)"),
        utc("start_utc", "start_s", false),
        column("restore_s", F64, "s", "supply back for good at every premises"),
        utc("restore_utc", "restore_s", false),
        column("longest_interruption_s", F64, "s", "longest single interruption of any premises"),
        column("interruptions", U32, "count", "trips of the fault: reclose shots, the interruption, a re-trip"),
        column("premises_affected", U32, "count", "premises the node supplies (premises with a cut, for a campaign)"),
        column("ad1_raised", U64, "count", "AD1s attributed to it (an AD1 belongs to the fault that cut supply first)"),
        column("premises_reported", U64, "count", "distinct premises whose AD1 reached the DNO"),
        nullable("reported_share", F64, "fraction", "`premises_reported / premises_affected`"),
        column("ad1_at_dno", U64, "count", "of `ad1_raised`, those that reached the DNO, alone or in a CSP event"),
        column(
            "ad1_suppressed",
            U64,
            "count",
            "of `ad1_raised`, those held back by design: discarded by storm protection or consolidated at the hub",
        ),
        column("ad1_lost", U64, "count", "of `ad1_raised`, those never sent or lost: no WAN, no energy, WAN failure"),
        column("ad1_unfinished", U64, "count", "of `ad1_raised`, those still on their way at the end of the run"),
        nullable("first_alert_at_dno_s", F64, "s", "from the fault's start to its first AD1 at the DNO"),
        nullable(
            "first_alert_at_dno_utc",
            super::ColumnType::Utc,
            "UTC",
            "the clock time of the first AD1 at the DNO (`start_s + first_alert_at_dno_s`)",
        ),
    ],
};

/// `interruptions.parquet`: one row per premises per sustained interruption of supply.
pub const INTERRUPTIONS: TableSchema = TableSchema {
    file: "interruptions.parquet",
    columns: &[
        column("premises_id", U32, "", "the premises; rows come by premises, then time"),
        column("dno", Str, "", "DNO licence area key"),
        column(
            "fault_id",
            U32,
            "",
            "the fault (row of `outages.parquet`) that started the interruption; overlapping faults merge into one interruption, ended by the last of them",
        ),
        column(
            "cause",
            Str,
            "",
            "that fault's cause: `fault`, `storm`, or `firmware` (the hub's power only: the customer kept supply, and the summary's figures leave it out)",
        ),
        column("off_s", F64, "s", "supply lost"),
        utc("off_utc", "off_s", false),
        column("restored_s", F64, "s", "supply back, as planned by the fault plan, even after the horizon"),
        utc("restored_utc", "restored_s", false),
        column("off_h", F64, "h", "`(restored_s − off_s) / 3600`: 3 minutes or more"),
        column("restored_within_horizon", Bool, "", "`restored_s` is at or before the horizon"),
    ],
};

/// `replications.parquet`: one row per (point, replication) of a sweep, a failed
/// run's too: its figures are null.
pub const REPLICATIONS: TableSchema = TableSchema {
    file: "replications.parquet",
    columns: &[
        column("point", U32, "", "the point's index (the last swept key varies fastest)"),
        column("replication", U32, "", "replication index: the random streams used"),
        column("*one column per swept key, e.g. `dsp.servers`", Str, "", "the value, written as TOML"),
        nullable("requests", F64, "count", "requests submitted after the warm-up"),
        nullable("trt_mean_s", F64, "s", "mean TRT of those answered"),
        nullable("trt_p50_s", F64, "s", "exact (nearest rank) median TRT"),
        nullable("trt_p95_s", F64, "s", "exact (nearest rank) 95th percentile TRT"),
        nullable("trt_p99_s", F64, "s", "exact (nearest rank) 99th percentile TRT"),
        nullable("within_target_pct", F64, "%", "share of counted requests answered within the target"),
        nullable(
            "dsp_utilisation_pct",
            F64,
            "%",
            "mean DSP utilisation over the whole buckets from the warm-up to the horizon",
        ),
        nullable("dsp_mean_wait_s", F64, "s", "mean wait for a DSP server (whole run)"),
        nullable("user_gateway_mean_wait_s", F64, "s", "mean wait at the User Gateway (whole run)"),
        nullable("alerts_sent", F64, "count", "alerts the hubs put on the air (whole run)"),
        nullable("ad1_delivered_to_dno", F64, "count", "AD1 copies delivered to DNOs (whole run)"),
        nullable("ad1_dno_mean_latency_s", F64, "s", "mean AD1 latency to DNOs, raised to delivered (0 with none)"),
        column(
            "status",
            Str,
            "",
            "`ok`, or `failed`: the run panicked (a bug, or a scenario the checks let through) and its figures are null",
        ),
        nullable("error", Str, "", "a failed run's panic message, after its place: `panicked at FILE:LINE:COL: …`"),
    ],
};

/// `sweep.parquet`: one row per point of a complete sweep, over its finished
/// replications.
pub const SWEEP: TableSchema = TableSchema {
    file: "sweep.parquet",
    columns: &[
        column("point", U32, "", "the point's index, as in `replications.parquet`"),
        column("replications", U32, "count", "replications that finished: the means and intervals are over these"),
        column("failed", U32, "count", "replications that failed: left out of the means"),
        column("*one column per swept key, e.g. `dsp.servers`", Str, "", "the value, written as TOML"),
        nullable(
            "*for every figure of `replications.parquet`, in its order: `<figure>_mean`, `<figure>_ci95_low`, \
             `<figure>_ci95_high`",
            F64,
            "the figure's",
            "the mean over the finished replications and its 95% Student t interval (`t(0.975, n−1) · s / √n`); \
             the interval is NaN with one finished replication, and all three are null with none",
        ),
    ],
};

/// `rollout.parquet`: one row per month × supplier × DNO area of a rollout study.
pub const ROLLOUT: TableSchema = TableSchema {
    file: "rollout.parquet",
    columns: &[
        column("month", Str, "\"YYYY-MM\"", "the calendar month"),
        column("supplier", Str, "", "`supplier_1` … in `supplier_shares` order"),
        column("dno_area", Str, "", "DNO licence area key (DOMAIN §7), e.g. `east_england`"),
        column("csp_region", Str, "", "`north`, `central` or `south`"),
        column("working_days", U32, "days", "installers' working days in the month"),
        column("premises", U64, "premises", "premises of the supplier in the area"),
        column("installs_attempted", U64, "visits, in the month", "install visits made"),
        column(
            "installs_succeeded",
            U64,
            "premises, in the month",
            "visits that fitted a SMETS2 meter and hub (with or without WAN)",
        ),
        column(
            "installs_failed",
            U64,
            "visits, in the month",
            "visits aborted on site, or with no working hub left; `attempted = succeeded + failed`",
        ),
        column(
            "installs_lost_no_stock",
            U64,
            "visits, in the month",
            "visits installers had capacity and premises for but no hub in stock",
        ),
        column(
            "installs_replacing_smets1",
            U64,
            "premises, in the month",
            "successful installs that replaced a SMETS1 meter",
        ),
        column("no_wan_installs", U64, "premises, in the month", "successful installs without SM WAN at install"),
        column(
            "no_wan_resolved",
            U64,
            "premises, in the month",
            "installs without WAN that got it (within 90 days) and were commissioned",
        ),
        column(
            "no_wan_unresolved_90d",
            U64,
            "premises, in the month",
            "installs without WAN reaching 90 days unconnected (PM1.2)",
        ),
        column(
            "commissioned",
            U64,
            "premises, in the month",
            "installs commissioned: with WAN at install, or on getting it",
        ),
        column(
            "checks_overdue",
            U64,
            "premises, in the month",
            "commissioned installs whose post-commissioning checks passed their 7-day due date undone",
        ),
        column("newly_enrolled", U64, "premises, in the month", "installs whose checks completed: enrolled"),
        column("awaiting_wan", U64, "premises, end", "installed, not commissioned, under 90 days"),
        column("wan_unresolved", U64, "premises, end", "installed, still without WAN after 90 days"),
        column(
            "awaiting_checks",
            U64,
            "premises, end",
            "commissioned, checks not done (may be contacted only to finish them)",
        ),
        column("smets1_migrated", U64, "premises, in the month", "SMETS1 installations migrated to the DCC network"),
        column("smets1_installed", U64, "premises, end", "SMETS1 installations, migrated or not"),
        column("smets1_migrated_total", U64, "premises, end", "SMETS1 installations on the DCC network"),
        column("smets2_installed", U64, "premises, end", "SMETS2 installations in any SMI status"),
        column("smets2_enrolled", U64, "premises, end", "SMETS2 installations enrolled"),
        column(
            "enrolled_total",
            U64,
            "premises, end",
            "`smets2_enrolled + smets1_migrated_total`: the fleet a network study can address",
        ),
        column(
            "hub_swap_demand",
            U64,
            "hubs, in the month",
            "2G/3G hubs due for replacement this month (those left ÷ months to the switch-off)",
        ),
        column("hub_swaps", U64, "hubs, in the month", "2G/3G hubs replaced by 4G"),
        column(
            "hub_swaps_lost_no_stock",
            U64,
            "hubs, in the month",
            "replacements crews could have made but had no hub for",
        ),
        column(
            "stranded_at_switch_off",
            U64,
            "premises, in the month",
            "enrolled installations whose 2G/3G hub lost the WAN at the switch-off",
        ),
        column("hubs_2g3g", U64, "hubs, end", "installations on 2G/3G hubs (Central and South)"),
        column("hubs_4g", U64, "hubs, end", "installations with a 4G hub"),
        column(
            "ch_forecast",
            U64,
            "hubs",
            "forecast for delivery this month, submitted 10 months before (SEC F5); 0 if refused",
        ),
        column("ch_ordered", U64, "hubs", "ordered for delivery this month, within the tolerance band of the forecast"),
        column("ch_delivered", U64, "hubs, in the month", "delivered at the month's start, within the band"),
        column(
            "ch_used",
            U64,
            "hubs, in the month",
            "taken from stock: installs, replacements, and faulty hubs replaced",
        ),
        column("ch_expired", U64, "hubs, in the month", "returned unused after their TSAT end date"),
        column("ch_returned", U64, "hubs, in the month", "returned: faulty at install, or 2G/3G hubs replaced"),
        column("ch_refurbished", U64, "hubs, in the month", "refurbished hubs back in stock"),
        column("ch_stock", U64, "hubs, end", "hubs held"),
        column("forecasts_late", U64, "forecasts, in the month", "forecasts refused for missing their month"),
        column("coverage_pct", F64, "%", "`100 × (smets1_installed + smets2_installed) / premises`"),
    ],
};
