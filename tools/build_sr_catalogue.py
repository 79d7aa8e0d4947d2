"""Builds models/data/sr_catalogue.csv, dccsim's Service Request catalogue, from
the fact files in docs/data:

- duis-request-matrix.json: the 129 Service Reference Variants with their Critical,
  On Demand, Future Dated, DCC Scheduled and Non-Device flags and eligible roles
  (DOMAIN.md "DUIS-matrix");
- gbcs-message-sizes.json: GBCS APDU sizes in bytes of DCC's Reference Test Data Set
  v4.5.0 messages (DOMAIN.md "RTDS").

Sizes per SRV are medians over its success-case messages, separately for messages
to electricity devices (ECS use cases, else CS hub use cases, else GCS) and to gas
devices (GCS, else CS, else ECS). SRVs with no RTDS message get empty sizes; the model then uses the
catalogue-wide medians (DOMAIN §1.1: command 146 B, response 121 B).

Usage: python3 tools/build_sr_catalogue.py [DATA_DIR]
"""

import csv
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "data"
OUT = ROOT / "models" / "data" / "sr_catalogue.csv"


def family(use_case: str) -> str:
    """The device family a GBCS use case addresses: ECS* electricity, GCS* gas, the
    rest (CS*, PCS*, ...) the Communications Hub or any device."""
    if use_case.startswith("ECS"):
        return "electricity"
    if use_case.startswith("GCS"):
        return "gas"
    return "hub"


def sizes_by_srv(sizes: dict) -> dict:
    found: dict = {}
    for name, size in sizes.items():
        srv, _, rest = name.partition("_")
        use_case = rest.split("/", 1)[0]
        leaf = name.rsplit("/", 1)[-1]
        if "SUCCESS" not in leaf:
            continue
        if leaf.endswith("_PRECOMMAND_GBCS.HEX"):
            kind = "precommand"
        elif leaf.endswith("_COMMAND_GBCS.HEX"):
            kind = "command"
        elif leaf.endswith("_RESPONSE_GBCS.HEX"):
            kind = "response"
        else:
            continue
        found.setdefault(srv, {}).setdefault(family(use_case), {}).setdefault(kind, []).append(size)
    return found


def pick(by_family: dict, kind: str, families) -> str:
    """The median of the first family (in preference order) with messages of `kind`."""
    for fam in families:
        values = by_family.get(fam, {}).get(kind, [])
        if values:
            return median(values)
    return ""


def median(values):
    return str(int(statistics.median(values))) if values else ""


def main() -> int:
    matrix = json.loads((DATA / "duis-request-matrix.json").read_text())
    sizes = sizes_by_srv(json.loads((DATA / "gbcs-message-sizes.json").read_text()))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["srv", "name", "critical", "on_demand", "future_dated", "dcc_scheduled", "non_device",
                    "roles", "elec_command_bytes", "elec_response_bytes", "elec_precommand_bytes",
                    "gas_command_bytes", "gas_response_bytes", "gas_precommand_bytes", "rtds_messages"])
        for row in matrix:
            srv = row["Service Reference Variant"]
            s = sizes.get(srv, {})
            w.writerow([
                srv,
                " ".join(row["Service Request Name"].split()),
                row["Critical"] == "Yes",
                row["On Demand"] == "Yes",
                {"No": "none", "DSP": "dsp", "Device": "device", "DSP & Device": "dsp_and_device"}[
                    row["Future Dated Response Pattern"]],
                row["DCC Scheduled"] == "Yes",
                row["Non-Device Request"] == "Yes",
                " ".join(row["Eligible User Roles"]),
                *(pick(s, k, ["electricity", "hub", "gas"]) for k in ["command", "response", "precommand"]),
                *(pick(s, k, ["gas", "hub", "electricity"]) for k in ["command", "response", "precommand"]),
                sum(len(v) for fam in s.values() for v in fam.values()),
            ])
    print(f"wrote {OUT} ({len(matrix)} Service Reference Variants)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
