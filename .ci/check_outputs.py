"""Checks that pyarrow, Python polars and DuckDB each read a dccsim run folder's
row tables (folders of part files) as one table, and that the tables agree with the
run's own summary. Usage: check_outputs.py RUN_DIR [--min-parts N]

With --min-parts, the Service Request table must be cut into at least N part files
(a run made with a small `[output] rows_per_part`), so that reading a folder of many
parts as one table is what is checked."""

import json
from datetime import datetime, timezone
import sys
from pathlib import Path

import duckdb
import polars as pl
import pyarrow
import pyarrow.parquet as pq

EXPECTED = [
    "sr_id", "srv", "user_role", "user", "stream", "mode", "critical", "premises_id", "csp_region", "smets1",
    "submitted_s", "submitted_utc", "wait_for_gateway_s", "refusals", "refused_by", "quarantined",
    "responded_s", "responded_utc", "user_signing_s", "execution_s", "execution_utc",
    "trt_s", "target_s", "within_target", "outcome",
]


def main(run_dir: Path, min_parts: int = 1) -> int:
    manifest = json.loads((run_dir / "manifest.json").read_text())
    summary = json.loads((run_dir / "summary.json").read_text())
    assert manifest["status"] == "complete", manifest["status"]
    path = run_dir / "service_requests"
    parts = sorted(p.name for p in path.iterdir())
    listed = sorted(f.split("/", 1)[1] for f in manifest["files"] if f.startswith("service_requests/"))
    assert parts == listed and parts, (parts, listed)
    assert len(parts) >= min_parts, f"{len(parts)} part(s), at least {min_parts} expected"

    table = pq.read_table(path)
    frame = pl.read_parquet(path / "*.parquet")
    duck = duckdb.sql(f"select count(*), sum(trt_s), count(distinct sr_id) from read_parquet('{path}/*.parquet')").fetchall()[0]
    assert table.column_names == EXPECTED, table.column_names
    assert frame.columns == EXPECTED, frame.columns
    submitted = summary["trt"][0]["submitted"]
    assert table.num_rows == frame.height == duck[0] == duck[2] == submitted, (table.num_rows, frame.height, duck, submitted)
    assert abs(duck[1] - frame["trt_s"].sum()) < 1e-6 * max(1.0, abs(duck[1])), (duck[1], frame["trt_s"].sum())
    assert frame["sr_id"].is_unique().all(), "sr_id is unique"
    assert set(frame["outcome"].unique()) <= {"responded", "unfinished", "rejected", "failed", "refused",
                                            "device_rejected", "not_yet_due"}
    # DCC never received a request refused at the User Interface; every other was
    # received when sent, or later when the User Gateway was down (a request
    # deleted from quarantine had been received).
    refused = frame["outcome"] == "refused"
    deleted = frame["refused_by"].is_in(["quarantined", "throttled"])
    at_door = refused & ~deleted.fill_null(False)
    assert (frame["wait_for_gateway_s"].is_null() == at_door).all()
    assert (frame["wait_for_gateway_s"].fill_null(0.0) >= 0.0).all()
    # A refused request says why; no other does.
    assert (frame["refused_by"].is_null() == ~refused).all()
    assert set(frame["refused_by"].drop_nulls().unique()) <= {"gateway_down", "user_suspended", "quarantined", "throttled"}
    # Only a quarantined request can be deleted from quarantine.
    assert (frame.filter((frame["refused_by"] == "quarantined").fill_null(False))["quarantined"]).all()

    # The UTC columns are the seconds columns as clock times from 00:00 UTC of the start date.
    start = datetime.fromisoformat(manifest["start"]).replace(tzinfo=timezone.utc)
    since_start_us = (pl.col("submitted_utc") - pl.lit(start)).dt.total_microseconds()
    offset_us = frame.select((since_start_us - (pl.col("submitted_s") * 1e6).round()).abs().max()).item()
    assert offset_us == 0, offset_us
    assert str(frame.schema["submitted_utc"]) == "Datetime(time_unit='us', time_zone='UTC')", frame.schema["submitted_utc"]
    assert (frame["responded_utc"].is_null() == frame["responded_s"].is_null()).all()

    responded = frame.filter(pl.col("outcome") == "responded")
    clock = responded.filter(pl.col("execution_s").is_null())
    error = (clock["responded_s"] - clock["submitted_s"] - clock["wait_for_gateway_s"] - clock["user_signing_s"]
             - clock["trt_s"]).abs().max()
    assert error is None or error < 1e-6, error
    judged = frame.filter(~pl.col("outcome").is_in(["rejected", "device_rejected", "refused", "not_yet_due"])).height
    within = 100.0 * frame["within_target"].sum() / judged
    assert abs(within - summary["trt"][0]["within_target_pct"]) < 1e-9, within
    # dccsim's percentiles come from histograms: never below the nearest-rank value,
    # at most 0.1 % above it.
    p95 = responded["trt_s"].quantile(0.95, interpolation="higher")
    ours = summary["trt"][0]["p95_s"]
    assert p95 is None or p95 - 1e-9 <= ours <= p95 * 1.001 + 1e-9, (p95, ours)

    if (run_dir / "alerts").is_dir():
        check_alerts(run_dir, summary)

    print(f"{run_dir}: {frame.height} service requests in {len(parts)} part(s) read by pyarrow "
          f"{pyarrow.__version__}, polars {pl.__version__} and DuckDB {duckdb.__version__}; "
          f"schema v{manifest['schema_version']}; {within:.2f}% within target")
    return 0


ALERT_OUTCOMES = {"delivered", "discarded", "consolidated", "not_forwarded", "no_wan", "no_energy",
                  "energy_exhausted", "failed", "unfinished"}


def check_alerts(run_dir: Path, summary: dict) -> None:
    """The alert and outage tables: one outcome per copy, latencies that add up,
    and the counts the summary prints."""
    alerts = pl.read_parquet(run_dir / "alerts" / "*.parquet")
    outages = pl.read_parquet(run_dir / "outages.parquet")
    assert pq.read_table(run_dir / "alerts").num_rows == alerts.height
    duck = duckdb.sql(f"select count(*) from read_parquet('{run_dir / 'alerts'}/*.parquet')").fetchall()[0][0]
    assert duck == alerts.height, (duck, alerts.height)
    assert set(alerts["outcome"].unique()) <= ALERT_OUTCOMES
    delivered = alerts.filter(pl.col("outcome") == "delivered")
    assert delivered["delivered_s"].null_count() == 0
    assert alerts.filter(pl.col("outcome") != "delivered")["delivered_s"].null_count() == \
        alerts.height - delivered.height
    error = (delivered["delivered_s"] - delivered["raised_s"] - delivered["latency_s"]).abs().max()
    assert error is None or error < 1e-6, error
    raised = alerts["alert_id"].n_unique()
    assert raised == summary["alerts"]["raised"], (raised, summary["alerts"]["raised"])
    to_dno = delivered.filter((pl.col("alert_code") == "AD1") & (pl.col("recipient_role") == "ED"))
    if to_dno.height > 0:
        p50 = to_dno["latency_s"].quantile(0.5, interpolation="higher")
        assert abs(p50 - summary["alerts"]["dno_latency_s"][0]) < 0.01 * p50 + 1e-3, p50
    # Per fault, the DNO copies of AD1s by group agree with the alert rows, and add up.
    dno_copies = alerts.filter((pl.col("alert_code") == "AD1") & (pl.col("recipient_role") == "ED"))
    by_fault = dno_copies.group_by("fault_id").agg(
        pl.len().alias("raised"), (pl.col("outcome") == "delivered").sum().alias("at_dno"))
    joined = outages.join(by_fault, on="fault_id", how="left").fill_null(0)
    assert (joined["raised"] == joined["ad1_raised"]).all() and (joined["at_dno"] == joined["ad1_at_dno"]).all()
    groups = outages["ad1_at_dno"] + outages["ad1_suppressed"] + outages["ad1_lost"] + outages["ad1_unfinished"]
    assert (groups == outages["ad1_raised"]).all(), "every AD1's DNO copy in exactly one group"
    assert outages.height == summary["alerts"]["faults"]
    assert set(alerts["fault_id"].unique()) <= set(outages["fault_id"])
    print(f"{run_dir}: {alerts.height} alert copies of {raised} alerts and {outages.height} faults read")
    check_interruptions(run_dir, summary, outages)


INTERRUPTION_COLUMNS = ["premises_id", "dno", "fault_id", "cause", "off_s", "off_utc", "restored_s", "restored_utc",
                        "off_h", "restored_within_horizon"]


def check_interruptions(run_dir: Path, summary: dict, outages: pl.DataFrame) -> None:
    """`interruptions.parquet` (all rows written): each row 3 minutes or more, its
    hours and horizon flag consistent, and the summary's tail recounted from it."""
    rows = pl.read_parquet(run_dir / "interruptions.parquet")
    assert rows.columns == INTERRUPTION_COLUMNS, rows.columns
    assert pq.read_table(run_dir / "interruptions.parquet").num_rows == rows.height
    error = ((rows["restored_s"] - rows["off_s"]) / 3600 - rows["off_h"]).abs().max()
    assert error is None or error < 1e-9, error
    assert rows.height == 0 or rows["off_h"].min() >= 0.05 - 1e-12, "sustained: 3 minutes or more"
    assert (rows["restored_within_horizon"] == (rows["restored_s"] <= summary["horizon_s"])).all()
    assert set(rows["fault_id"].unique()) <= set(outages["fault_id"])
    network = rows.filter(pl.col("cause") != "firmware")
    longest = network.group_by("premises_id").agg(
        pl.col("off_h").max(), (~pl.col("restored_within_horizon")).any().alias("after_horizon"))
    mine = summary["alerts"]["interruptions"]
    assert longest.height == mine["customers_off"], (longest.height, mine["customers_off"])
    assert network.height == mine["interruptions"], (network.height, mine["interruptions"])
    assert longest["after_horizon"].sum() == mine["still_off_at_horizon"]
    shares = []
    for tail in mine["longer_than"]:
        n = longest.filter(pl.col("off_h") > 24 * tail["longer_than_days"]).height
        assert n == tail["customers"], (tail, n)
        shares.append(f"> {tail['longer_than_days']} d: {n} ({tail['share_pct'] or 0:.2f}%)")
    print(f"{run_dir}: {rows.height} interruptions of {longest.height} customers off 3 minutes or more; "
          + ", ".join(shares) + "; for comparison, Ofgem for Storm Arwen: ~4% > 3 d, ~0.4% > 7 d")


if __name__ == "__main__":
    args = sys.argv[1:]
    min_parts = int(args[args.index("--min-parts") + 1]) if "--min-parts" in args else 1
    sys.exit(main(Path(args[0]), min_parts))
