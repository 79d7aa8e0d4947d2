#!/usr/bin/env bash
# Peak memory and wall time of every shipped network study, beside the memory
# guard's estimate: the figures of BENCHMARKS.md's "memory guard" table.
#
# Usage: benches/memory.sh [PATH/TO/dccsim] [quick|full]
#   quick (default): the studies that finish in seconds, and the whole-GB day with
#     each rows setting (about 15 minutes on 2 idle cores).
#   full: also gb_2026, ondemand_shift, storm_arwen (10% of GB, nine days), the
#     first 10 minutes of gb_month and the first 15 of Storm Arwen at --scale 1.0
#     (stopped with SIGINT: the peak of a run whose memory does not grow with time).
# Run it alone on an idle machine: wall times are only comparable within one run.
# Prints one line per study: name, estimate GiB, peak GiB, peak/estimate, wall s,
# and how far the run got. Writes only to a temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ge 1 && -x "$1" && ! -d "$1" ]]; then
    dccsim="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
    shift
else
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/dccsim/target}"
    cargo build --release --locked --quiet
    dccsim="$CARGO_TARGET_DIR/release/dccsim"
fi
mode=${1:-quick}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The guard would refuse Arwen at full scale on a small machine; measure anyway.
export DCCSIM_MEMORY_LIMIT_BYTES=${DCCSIM_MEMORY_LIMIT_BYTES:-$((64 << 30))}

printf '%-28s %9s %9s %6s %9s  %s\n' study "est GiB" "peak GiB" ratio "wall s" reached
# measure NAME SECONDS COMMAND FILE [ARGS...]: SECONDS 0 runs to the end.
measure() {
    local name=$1 secs=$2 command=$3 file=$4
    shift 4
    local estimate
    estimate=$("$dccsim" check "$file" "$@" | sed -n 's/.*estimated peak memory \([0-9.]*\) GiB.*/\1/p')
    local -a limit=()
    [[ $secs != 0 ]] && limit=(timeout -s INT "$secs")
    /usr/bin/time -f '%e %M' -o "$tmp/time" "${limit[@]}" "$dccsim" "$command" "$file" "$@" \
        --quiet --out "$tmp/$name" >/dev/null 2>"$tmp/err" || true
    read -r wall kib <"$tmp/time"
    local reached
    reached=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); \
print(m.get('status'), m.get('simulated_end_s', ''))" "$tmp/$name/manifest.json" 2>/dev/null || echo "no manifest")
    python3 -c "import sys; e=float(sys.argv[1]); p=int(sys.argv[2])/1048576; \
print(f'%-28s %9.3f %9.3f %6.2f %9s  %s' % (sys.argv[3], e, p, p/e, sys.argv[4], sys.argv[5]))" \
        "$estimate" "$kib" "$name" "$wall" "$reached"
    rm -rf "${tmp:?}/$name"
}

measure quickstart 0 run scenarios/quickstart.toml
measure substation_trip 0 run scenarios/substation_trip.toml
measure firmware_false_poa 0 run scenarios/firmware_false_poa.toml
measure dsp_capacity_sweep 0 sweep scenarios/dsp_capacity_sweep.toml
measure storm_ch_consolidation 0 sweep scenarios/storm_ch_consolidation.toml
measure gb_typical_day 0 run scenarios/gb_typical_day.toml
measure gb_typical_day_sample 0 run scenarios/gb_typical_day.toml --set 'output.rows="sample"' \
    --set output.sample_one_in=1000
measure gb_typical_day_none 0 run scenarios/gb_typical_day.toml --set 'output.rows="none"'
if [[ $mode == full ]]; then
    measure gb_2026 0 run scenarios/gb_2026.toml
    measure ondemand_shift 0 run scenarios/ondemand_shift.toml
    measure storm_arwen 0 run scenarios/storm_arwen.toml
    measure gb_month_first_600s 600 run scenarios/gb_month.toml
    measure storm_arwen_gb_first_900s 900 run scenarios/storm_arwen.toml --scale 1.0
fi
