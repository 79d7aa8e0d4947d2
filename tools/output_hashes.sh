#!/usr/bin/env bash
# Hashes every output of every shipped scenario, run small where a full run would
# take minutes, so that a refactor can show its outputs are unchanged (or say why
# they changed).
#
# Usage: [THREADS=N] tools/output_hashes.sh [PATH/TO/dccsim] > hashes.txt
#   Without a binary it builds one with `cargo build --release --locked`.
#
# One line per file: `<scenario> <file> <sha256>`. The manifest's fields that
# describe the machine rather than the results (wall time, threads, version, the
# file's path) are left out before it is hashed; every other file is hashed as
# written. Sweeps run 2 replications; network studies run at the scale given
# below. Writes only to a temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ge 1 ]]; then
    dccsim="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/dccsim/target}"
    cargo build --release --locked --quiet
    dccsim="$CARGO_TARGET_DIR/release/dccsim"
fi

threads=${THREADS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# scenario file, and the arguments that keep it small (empty: as shipped)
runs=(
    "quickstart.toml|"
    "gb_typical_day.toml|--scale 0.002"
    "gb_2026.toml|--scale 0.002"
    "ondemand_shift.toml|--scale 0.002"
    "storm_arwen.toml|--scale 0.005"
    "substation_trip.toml|"
    "dcc_downtime.toml|--scale 0.002"
    "csp_outage.toml|--scale 0.002"
    "user_suspension.toml|--scale 0.002"
    "tad_attack.toml|--scale 0.002"
    "smets1_path.toml|--scale 0.002"
    "supplier_switching.toml|--scale 0.002"
    "install_peak.toml|"
    "gb_2021.toml|--scale 0.002"
    "firmware_false_poa.toml|--scale 0.002"
    "rollout_history.toml|"
    "rollout_to_2030.toml|"
    "4g_migration.toml|"
)
sweeps=(
    "dsp_capacity_sweep.toml|--replications 2"
    "storm_ch_consolidation.toml|--replications 2 --scale 0.002"
)

hash_folder() {
    local name=$1 dir=$2
    (cd "$dir" && find . -type f ! -name manifest.json | sort | while read -r f; do
        printf '%s %s %s\n' "$name" "${f#./}" "$(sha256sum "$f" | cut -d' ' -f1)"
    done)
    python3 - "$dir/manifest.json" "$name" <<'PY'
import hashlib, json, sys
m = json.load(open(sys.argv[1]))
for k in ("wall_s", "threads", "dccsim_version", "scenario_file", "program", "commit", "created", "hostname"):
    m.pop(k, None)
print(sys.argv[2], "manifest.json(stable fields)", hashlib.sha256(json.dumps(m, sort_keys=True).encode()).hexdigest())
PY
}

for entry in "${runs[@]}"; do
    file=${entry%%|*}
    args=${entry#*|}
    name=${file%.toml}
    # shellcheck disable=SC2086 # the arguments are words
    "$dccsim" run "scenarios/$file" $args --quiet --threads "$threads" --out "$tmp/$name" >/dev/null
    hash_folder "$name" "$tmp/$name"
done
for entry in "${sweeps[@]}"; do
    file=${entry%%|*}
    args=${entry#*|}
    name=${file%.toml}
    # shellcheck disable=SC2086
    "$dccsim" sweep "scenarios/$file" $args --quiet --threads "$threads" --out "$tmp/$name" >/dev/null
    hash_folder "$name" "$tmp/$name"
done
