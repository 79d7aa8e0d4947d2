#!/usr/bin/env bash
# Runs the quickstart in dccsim and in its SimPy peer (quickstart_simpy.py) on
# this machine with the same parameters, and compares them: speed ratio and TRT
# distributions (quantiles, two-sample Kolmogorov–Smirnov test, per-seed figures
# over replications). See README.md beside this file.
#
# Usage: benches/simpy_peer/run.sh [--horizon-s S] [--dsp-servers C] [--seed N] [--repeats R] [--pool K]
#   --horizon-s S    submit requests during [0, S) in both (default: the scenario's 3,600 s)
#   --dsp-servers C  DSP servers in both (default: the scenario's 64; 40 puts the DSP at ~92 %)
#   --seed N         seed of the compared runs (default 1); seed N+1 is run too, as a reference
#   --repeats R      timed runs of each simulator, alternated; medians reported (default 3)
#   --pool K         compare K seeds (N..N+K-1) of each: pooled KS and replications (default 5; <2: skip)
#
# Installs SimPy, NumPy, SciPy and PyArrow into a fresh venv under a temp folder
# (set SIMPY_PEER_VENV to reuse one), builds dccsim in release mode, and leaves
# everything it wrote in that temp folder, whose path it prints.
set -euo pipefail

HORIZON=""
DSP_SERVERS=""
SEED=1
REPEATS=3
POOL=5
while [[ $# -gt 0 ]]; do
    case "$1" in
        --horizon-s) HORIZON="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --repeats) REPEATS="$2"; shift 2 ;;
        --pool) POOL="$2"; shift 2 ;;
        --dsp-servers) DSP_SERVERS="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/simpy_peer.XXXXXX")"
echo "== work folder: $WORK"

# 1. SimPy and friends, installed by the bench itself.
VENV="${SIMPY_PEER_VENV:-$WORK/venv}"
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "== creating venv $VENV and installing simpy numpy scipy pyarrow"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet simpy numpy scipy pyarrow
fi
PY="$VENV/bin/python"
"$PY" -c 'import sys, simpy, numpy, scipy, pyarrow; print("   python", sys.version.split()[0], "simpy", simpy.__version__, "numpy", numpy.__version__, "scipy", scipy.__version__, "pyarrow", pyarrow.__version__)'

# 2. dccsim, release build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
echo "== cargo build --release"
cargo build --release --quiet
DCCSIM="$CARGO_TARGET_DIR/release/dccsim"

# 3. The scenario, changed in a copy if asked; both simulators read the same file.
SCENARIO="scenarios/quickstart.toml"
if [[ -n "$HORIZON$DSP_SERVERS" ]]; then
    cp "$SCENARIO" "$WORK/quickstart.toml"
    SCENARIO="$WORK/quickstart.toml"
    if [[ -n "$HORIZON" ]]; then
        sed -i -E "s/^horizon_s *= *[0-9.e_]+/horizon_s = $HORIZON/" "$SCENARIO"
        grep -q "^horizon_s = $HORIZON" "$SCENARIO" || { echo "could not set horizon_s" >&2; exit 1; }
    fi
    if [[ -n "$DSP_SERVERS" ]]; then
        # `servers` inside the [dsp] table only ([user_gateway] has one too).
        awk -v c="$DSP_SERVERS" '/^\[/ { t = $0 } t == "[dsp]" && /^servers *=/ { sub(/= *[0-9_]+/, "= " c) } { print }' \
            "$SCENARIO" > "$SCENARIO.new" && mv "$SCENARIO.new" "$SCENARIO"
        awk '/^\[/ { t = $0 } t == "[dsp]" && /^servers *=/' "$SCENARIO" | grep -q "= $DSP_SERVERS " \
            || { echo "could not set dsp.servers" >&2; exit 1; }
    fi
    echo "== scenario copy $SCENARIO:"
    diff scenarios/quickstart.toml "$SCENARIO" | sed 's/^/   /' || true
fi
SIMPY_ARGS=("$SCENARIO")

now_ns() { date +%s%N; }

run_dccsim() {  # seed, out folder, [extra args] -> prints "wall_us max_rss_kb"
    local t0 t1
    t0=$(now_ns)
    /usr/bin/time -f "%M" -o "$2.rss" "$DCCSIM" run "$SCENARIO" --quiet --seed "$1" --out "$2" "${@:3}" > "$2.log"
    t1=$(now_ns)
    echo "$(( (t1 - t0) / 1000 )) $(cat "$2.rss")"
}

run_simpy() {  # seed, out prefix -> prints "wall_us max_rss_kb"
    local t0 t1
    t0=$(now_ns)
    /usr/bin/time -f "%M" -o "$2.rss" "$PY" "$HERE/quickstart_simpy.py" "${SIMPY_ARGS[@]}" --seed "$1" \
        --out "$2.csv" --json "$2.json" > "$2.log"
    t1=$(now_ns)
    echo "$(( (t1 - t0) / 1000 )) $(cat "$2.rss")"
}

# 4. Timed runs, alternated so that load on the shared machine hits both alike.
echo "== timing: $REPEATS run(s) of each, seed $SEED, alternated"
: > "$WORK/timings.txt"
for r in $(seq 1 "$REPEATS"); do
    read -r us rss < <(run_dccsim "$SEED" "$WORK/dccsim_r$r")
    echo "dccsim $r $us $rss" >> "$WORK/timings.txt"
    read -r us rss < <(run_dccsim "$SEED" "$WORK/dccsim1_r$r" --threads 1)
    echo "dccsim1 $r $us $rss" >> "$WORK/timings.txt"
    read -r us rss < <(run_simpy "$SEED" "$WORK/simpy_r$r")
    echo "simpy $r $us $rss" >> "$WORK/timings.txt"
    echo "   repeat $r done"
done

# 5. Extra seeds for the distribution check (one run each, not timed), plus one
#    more seed of each for a same-model reference KS.
LAST=$(( SEED + (POOL > 1 ? POOL : 1) ))
for s in $(seq $(( SEED + 1 )) "$LAST"); do
    run_dccsim "$s" "$WORK/dccsim_s$s" > /dev/null
    run_simpy "$s" "$WORK/simpy_s$s" > /dev/null
done
echo "== extra seeds $(( SEED + 1 ))..$LAST done"

# 6. Compare.
"$PY" - "$WORK" "$SEED" "$REPEATS" "$POOL" "$SCENARIO" > "$WORK/results.md" <<'EOF'
import csv, json, statistics, sys
from pathlib import Path
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from scipy.stats import ks_2samp, t as student_t, ttest_ind

work, seed, repeats, pool, scenario = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
Q = [10, 50, 90, 95, 99]

def dccsim_trts(folder):
    t = pq.read_table(folder / "service_requests", columns=["trt_s", "outcome"])
    ok = np.array(t["outcome"].cast(pa.string()).to_pylist()) == "responded"
    return t["trt_s"].to_numpy()[ok], len(ok), int((~ok).sum())

def simpy_trts(prefix):
    with open(f"{prefix}.csv") as f:
        rows = list(csv.DictReader(f))
    trt = np.array([float(r["trt_s"]) for r in rows if r["outcome"] == "responded"])
    return trt, len(rows), sum(r["outcome"] != "responded" for r in rows)

def folder(kind, s):
    return work / (f"{kind}_r1" if s == seed else f"{kind}_s{s}")

timings = {"dccsim": [], "dccsim1": [], "simpy": []}
for line in (work / "timings.txt").read_text().split("\n"):
    if line:
        kind, r, us, rss = line.split()
        timings[kind].append((int(r), int(us) / 1e6, int(rss)))
d_model = [json.loads((work / f"dccsim_r{r}" / "manifest.json").read_text())["wall_s"] for r in range(1, repeats + 1)]
d1_model = [json.loads((work / f"dccsim1_r{r}" / "manifest.json").read_text())["wall_s"] for r in range(1, repeats + 1)]
d1_proc = [t[1] for t in timings["dccsim1"]]
s_json = [json.loads((work / f"simpy_r{r}.json").read_text()) for r in range(1, repeats + 1)]
s_model = [j["model_wall_s"] for j in s_json]
d_proc = [t[1] for t in timings["dccsim"]]
s_proc = [t[1] for t in timings["simpy"]]
man = json.loads((work / "dccsim_r1" / "manifest.json").read_text())
med = statistics.median

d, d_n, d_other = dccsim_trts(folder("dccsim", seed))
s, s_n, s_other = simpy_trts(folder("simpy", seed))
sj = s_json[0]

print(f"# SimPy peer comparison: {scenario}, seed {seed}, horizon {man['horizon_s']:g} s\n")
print(f"dccsim {man['dccsim_version']} ({man['threads']} threads, {man['partitions']} partitions); "
      f"SimPy {sj['simpy_version']} on Python {sj['python']} (one thread).\n")
print("## Speed (median of %d alternated runs)\n" % repeats)
print(f"| | dccsim, {man['threads']} threads | dccsim, 1 thread | SimPy | SimPy ÷ dccsim ({man['threads']} threads) | SimPy ÷ dccsim (1 thread) |")
print("|---|---|---|---|---|---|")
print(f"| simulation (dccsim `wall_s` = `models::run`; SimPy build + `env.run`) | {med(d_model):.3f} s | {med(d1_model):.3f} s | {med(s_model):.3f} s | **{med(s_model) / med(d_model):.1f}×** | **{med(s_model) / med(d1_model):.1f}×** |")
print(f"| end to end, process wall time | {med(d_proc):.3f} s | {med(d1_proc):.3f} s | {med(s_proc):.3f} s | **{med(s_proc) / med(d_proc):.1f}×** | **{med(s_proc) / med(d1_proc):.1f}×** |")
print(f"| peak RSS | {med(t[2] for t in timings['dccsim']) / 1024:.0f} MiB | {med(t[2] for t in timings['dccsim1']) / 1024:.0f} MiB | {med(t[2] for t in timings['simpy']) / 1024:.0f} MiB | | |")
print(f"| Service Requests simulated | {d_n:,} | {d_n:,} | {s_n:,} | | |")
print(f"| events | {man['events']:,} (engine events) | same | {sj['events_scheduled']:,} (SimPy events scheduled) | | |")
print(f"| requests per wall second (simulation) | {d_n / med(d_model):,.0f} | {d_n / med(d1_model):,.0f} | {s_n / med(s_model):,.0f} | | |")
print()
print("All runs (s): dccsim wall_s " + ", ".join(f"{x:.3f}" for x in d_model)
      + "; dccsim process " + ", ".join(f"{x:.3f}" for x in d_proc)
      + "; dccsim 1 thread wall_s " + ", ".join(f"{x:.3f}" for x in d1_model)
      + "; dccsim 1 thread process " + ", ".join(f"{x:.3f}" for x in d1_proc)
      + "; SimPy model " + ", ".join(f"{x:.3f}" for x in s_model)
      + "; SimPy process " + ", ".join(f"{x:.3f}" for x in s_proc) + ".\n")
print("dccsim's end-to-end time includes writing service_requests/, stages.parquet, "
      "performance.parquet, summary.json, SVG plots and report.html; SimPy's includes "
      "interpreter start-up, `import simpy` and writing one CSV.\n")

def table(d, s, label_d, label_s):
    qd, qs = np.percentile(d, Q), np.percentile(s, Q)
    print(f"| TRT (s) | {label_d} | {label_s} | SimPy − dccsim |")
    print("|---|---|---|---|")
    for q, a, b in zip(Q, qd, qs):
        print(f"| p{q} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")
    print(f"| mean | {d.mean():.3f} | {s.mean():.3f} | {s.mean() - d.mean():+.3f} |")
    print(f"| ≤ 30 s (of responded) | {100 * (d <= 30).mean():.2f} % | {100 * (s <= 30).mean():.2f} % | |")
    print(f"| responded | {len(d):,} | {len(s):,} | |")

print(f"## TRT distributions, seed {seed} (responded requests)\n")
table(d, s, "dccsim", "SimPy")
print(f"\nOther outcomes (failed or unfinished): dccsim {d_other}, SimPy {s_other}.\n")
ks = ks_2samp(d, s)
print(f"Two-sample KS, dccsim vs SimPy, seed {seed}: **D = {ks.statistic:.4f}, p = {ks.pvalue:.3f}** "
      f"(at D = {ks.statistic_location:.2f} s).\n")
nxt = seed + 1
d2, _, _ = dccsim_trts(folder("dccsim", nxt))
s2, _, _ = simpy_trts(folder("simpy", nxt))
kd, kk = ks_2samp(d, d2), ks_2samp(s, s2)
print("Same-model reference (how far two seeds of one model fall apart): "
      f"dccsim seed {seed} vs {nxt}: D = {kd.statistic:.4f}, p = {kd.pvalue:.3f}; "
      f"SimPy seed {seed} vs {nxt}: D = {kk.statistic:.4f}, p = {kk.pvalue:.3f}.\n")
if pool > 1:
    seeds = range(seed, seed + pool)
    D = [dccsim_trts(folder("dccsim", x))[0] for x in seeds]
    S = [simpy_trts(folder("simpy", x))[0] for x in seeds]
    per_seed = [ks_2samp(a, b).pvalue for a, b in zip(D, S)]
    dp, sp_ = np.concatenate(D), np.concatenate(S)
    print(f"## Pooled over seeds {seed}..{seed + pool - 1}\n")
    table(dp, sp_, f"dccsim ({pool} seeds)", f"SimPy ({pool} seeds)")
    kp = ks_2samp(dp, sp_)
    print(f"\nTwo-sample KS, pooled: **D = {kp.statistic:.4f}, p = {kp.pvalue:.3f}**. "
          "Per-seed p-values (dccsim seed k vs SimPy seed k): " + ", ".join(f"{p:.3f}" for p in per_seed) + ".")
    print("\nThe KS tests treat TRTs as independent draws. That holds when nothing queues (the quickstart: "
          "every stage below 60 % and no request waits); under load, TRTs within a run are correlated "
          "through the queues, KS p-values come out too small, and the replication comparison below is "
          "the valid one.\n")
    print(f"### Replications: one figure per seed, mean ± 95 % CI over {pool} seeds\n")
    print("| per-seed figure | dccsim | SimPy | Welch t-test p |")
    print("|---|---|---|---|")
    tq = student_t.ppf(0.975, pool - 1)
    stats = [("mean TRT (s)", np.mean)] + [(f"p{q} TRT (s)", (lambda a, q=q: np.percentile(a, q))) for q in Q]
    stats.append(("≤ 30 s (%)", lambda a: 100 * (a <= 30).mean()))
    for label, f in stats:
        a, b = np.array([f(x) for x in D]), np.array([f(x) for x in S])
        ci = lambda v: tq * v.std(ddof=1) / np.sqrt(len(v))
        print(f"| {label} | {a.mean():.3f} ± {ci(a):.3f} | {b.mean():.3f} ± {ci(b):.3f} | {ttest_ind(a, b, equal_var=False).pvalue:.3f} |")
    iid = np.mean([x.std() / np.sqrt(len(x)) for x in D + S])
    md, ms = np.array([x.mean() for x in D]), np.array([x.mean() for x in S])
    print(f"\nSpread of the per-seed mean TRT: sd {md.std(ddof=1):.4f} s (dccsim), {ms.std(ddof=1):.4f} s (SimPy); "
          f"{iid:.4f} s if a run's TRTs were independent draws.")
EOF
cat "$WORK/results.md"
echo
echo "== results written to $WORK/results.md"
