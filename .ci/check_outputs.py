"""Checks that pyarrow and Python polars read a dccsim run folder, and that the
tables agree with the run's own summary. Usage: check_outputs.py RUN_DIR"""

import json
import sys
from pathlib import Path

import polars as pl
import pyarrow
import pyarrow.parquet as pq

EXPECTED = [
    "sr_id", "srv", "user_role", "user", "mode", "critical", "premises_id", "csp_region",
    "submitted_s", "responded_s", "user_signing_s", "execution_s", "trt_s", "target_s", "within_target", "outcome",
]


def main(run_dir: Path) -> int:
    manifest = json.loads((run_dir / "manifest.json").read_text())
    summary = json.loads((run_dir / "summary.json").read_text())
    path = run_dir / "service_requests.parquet"

    table = pq.read_table(path)
    frame = pl.read_parquet(path)
    assert table.column_names == EXPECTED, table.column_names
    assert frame.columns == EXPECTED, frame.columns
    submitted = summary["trt"][0]["submitted"]
    assert table.num_rows == frame.height == submitted, (table.num_rows, frame.height, submitted)
    assert frame["sr_id"].is_unique().all(), "sr_id is unique"
    assert set(frame["outcome"].unique()) <= {"responded", "unfinished", "rejected", "failed"}

    responded = frame.filter(pl.col("outcome") == "responded")
    clock = responded.filter(pl.col("execution_s").is_null())
    error = (clock["responded_s"] - clock["submitted_s"] - clock["user_signing_s"] - clock["trt_s"]).abs().max()
    assert error is None or error < 1e-6, error
    judged = frame.filter(pl.col("outcome") != "rejected").height
    within = 100.0 * frame["within_target"].sum() / judged
    assert abs(within - summary["trt"][0]["within_target_pct"]) < 1e-9, within
    p95 = responded["trt_s"].quantile(0.95, interpolation="higher")
    assert abs(p95 - summary["trt"][0]["p95_s"]) < 1e-6, (p95, summary["trt"][0]["p95_s"])

    print(f"{run_dir}: {frame.height} service requests read by pyarrow {pyarrow.__version__}"
          f" and polars {pl.__version__}; schema v{manifest['schema_version']}; {within:.2f}% within target")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
