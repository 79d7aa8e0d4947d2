#!/usr/bin/env bash
# The single-pipeline study in dccsim and in its SimPy peer (pipeline_simpy.py), side by
# side on this machine: whole processes, alternated, R times; prints the median wall
# times, the ratio SimPy / dccsim, and each simulator's mean DSP wait beside Erlang C's
# M/M/c value. See README.md beside this file.
#
# Usage: benches/peer/run.sh [--repeats R] [--seed N] [--threads T] [--horizon-s S] [--warmup-s W]
#   --repeats R    rounds of (dccsim T threads, dccsim 1 thread, SimPy); default 5.
#                  Round r uses seed N+r-1 in all three, so the DSP figures are averaged over R seeds
#   --seed N       seed of the first round (default 1)
#   --threads T    dccsim's threads in its multi-threaded runs (default 2)
#   --horizon-s S  submit during [0, S) in both (default: the scenario's 400 s)
#   --warmup-s W   the steady window starts at the first series bucket from W s (default 60)
#
# Environment: SIMPY_PEER_VENV  a venv to use, made there (python3 -m venv; pip install
#                               simpy pyarrow) if it has no python yet; default: a new one
#                               in the work folder
#              DCCSIM           a dccsim binary to use; default: `cargo build --release`
#                               into $CARGO_TARGET_DIR (or target/)
# Everything it writes goes to a temp folder, whose path it prints.
set -euo pipefail

REPEATS=5
SEED=1
THREADS=2
HORIZON=""
WARMUP=60
while [[ $# -gt 0 ]]; do
    case "$1" in
        --repeats) REPEATS="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --horizon-s) HORIZON="$2"; shift 2 ;;
        --warmup-s) WARMUP="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
SCENARIO="$HERE/single_pipeline.toml"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/peer.XXXXXX")"
echo "== work folder: $WORK"

# 1. SimPy (and pyarrow, to read dccsim's stages.parquet), in a venv.
VENV="${SIMPY_PEER_VENV:-$WORK/venv}"
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "== creating venv $VENV"
    python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
if ! "$PY" -c 'import simpy, pyarrow' 2>/dev/null; then
    echo "== installing simpy pyarrow into $VENV"
    "$PY" -m pip install --quiet simpy pyarrow
fi
"$PY" -c 'import sys, simpy; print("   python", sys.version.split()[0], "simpy", simpy.__version__)'

# 2. dccsim.
if [[ -n "${DCCSIM:-}" ]]; then
    echo "== dccsim: $DCCSIM"
else
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
    echo "== cargo build --release"
    cargo build --release --quiet
    DCCSIM="$CARGO_TARGET_DIR/release/dccsim"
fi

D_ARGS=(); S_ARGS=()
if [[ -n "$HORIZON" ]]; then
    D_ARGS=(--set "scenario.horizon_s=$HORIZON")
    S_ARGS=(--horizon-s "$HORIZON")
fi
"$DCCSIM" check "$SCENARIO" "${D_ARGS[@]}"

now_ns() { date +%s%N; }
if [[ -x /usr/bin/time ]]; then
    timed() { local rss="$1"; shift; /usr/bin/time -f "%M" -o "$rss" "$@"; }
else
    timed() { local rss="$1"; shift; echo 0 > "$rss"; "$@"; }
fi

run_one() {  # kind seed name -> appends "kind seed wall_us rss_kb" to timings.txt
    local kind="$1" seed="$2" out="$WORK/$3" t0 t1
    t0=$(now_ns)
    case "$kind" in
        dccsim)  timed "$out.rss" "$DCCSIM" run "$SCENARIO" "${D_ARGS[@]}" --quiet --seed "$seed" \
                     --threads "$THREADS" --out "$out" > "$out.log" ;;
        dccsim1) timed "$out.rss" "$DCCSIM" run "$SCENARIO" "${D_ARGS[@]}" --quiet --seed "$seed" \
                     --threads 1 --out "$out" > "$out.log" ;;
        simpy)   timed "$out.rss" "$PY" "$HERE/pipeline_simpy.py" "$SCENARIO" "${S_ARGS[@]}" --seed "$seed" \
                     --warmup-s "$WARMUP" --json "$out.json" > "$out.log" ;;
    esac
    t1=$(now_ns)
    echo "$kind $seed $(( (t1 - t0) / 1000 )) $(tail -n 1 "$out.rss")" >> "$WORK/timings.txt"
}

# 3. Timed runs, one process at a time, alternated so that load on a shared machine
#    falls on all three alike.
echo "== $REPEATS round(s) of: dccsim ($THREADS threads), dccsim (1 thread), SimPy"
: > "$WORK/timings.txt"
for r in $(seq 1 "$REPEATS"); do
    s=$(( SEED + r - 1 ))
    run_one dccsim "$s" "dccsim_s$s"
    run_one dccsim1 "$s" "dccsim1_s$s"
    run_one simpy "$s" "simpy_s$s"
    echo "   round $r (seed $s) done"
done

# 4. Report.
"$PY" - "$WORK" "$SCENARIO" "$WARMUP" "$THREADS" "$HORIZON" > "$WORK/results.md" <<'EOF'
import json, math, statistics, sys, tomllib
from pathlib import Path
import pyarrow.parquet as pq

work, scenario, warmup, threads = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
sc = tomllib.loads(Path(scenario).read_text())
horizon = float(sys.argv[5]) if sys.argv[5] else float(sc["scenario"]["horizon_s"])
bucket = float(sc["scenario"].get("series_bucket_s", 60.0))
med = statistics.median

# Erlang C: M/M/c with lambda = both uses of the DSP, mu = 1 / mean processing time.
rate = float(sc["traffic"]["streams"][0]["rate_per_s"])
dsp = sc["dsp"]
c = int(dsp["servers"])
req, resp = dsp["request_processing"], dsp["response_processing"]
erlang = None
if req["kind"] == resp["kind"] == "exponential" and req["mean_s"] == resp["mean_s"]:
    lam, mu = 2.0 * rate, 1.0 / float(req["mean_s"])
    a = lam / mu
    rho = a / c
    if rho < 1:
        top = a ** c / math.factorial(c) / (1 - rho)
        p_wait = top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)
        erlang = dict(lam=lam, mu=mu, rho=rho, p_wait=p_wait, wq=p_wait / (c * mu - lam))

w0 = math.ceil(warmup / bucket) * bucket
w1 = math.floor(horizon / bucket) * bucket
window = (w0, w1) if w1 > w0 else None

def dccsim_figures(folder):
    s = json.loads((folder / "summary.json").read_text())
    m = json.loads((folder / "manifest.json").read_text())
    st = next(x for x in s["stages"] if x["stage"] == "dsp")
    trt = next(x for x in s["trt"] if x["group"] == "overall")
    out = dict(submitted=trt["submitted"], responded=trt["responded"], trt_mean_s=trt["mean_s"],
               dsp_jobs=st["arrivals"], dsp_mean_wait_s=st["mean_wait_s"],
               dsp_utilisation=st["utilisation_pct"] / 100.0, model_wall_s=m["wall_s"],
               events=s["events"], stages=s["stages"], trt=s["trt"])
    if window:
        rows = [r for r in pq.read_table(folder / "stages.parquet").to_pylist()
                if r["stage"] == "dsp" and r["bucket_start_s"] >= w0 - 1e-9
                and r["bucket_start_s"] + r["bucket_s"] <= w1 + 1e-9]
        span = sum(r["bucket_s"] for r in rows)
        done = sum(r["completions"] for r in rows)
        # Little's law: mean wait = time-averaged queue length / completion rate.
        out["window_dsp_mean_wait_s"] = sum(r["mean_queued"] * r["bucket_s"] for r in rows) / done if done else None
        out["window_dsp_utilisation"] = sum(r["utilisation"] * r["bucket_s"] for r in rows) / span
    return out

timings = {}
for line in (work / "timings.txt").read_text().splitlines():
    kind, seed, us, rss = line.split()
    timings.setdefault(kind, []).append((int(seed), int(us) / 1e6, int(rss)))
seeds = [t[0] for t in timings["simpy"]]
D = [dccsim_figures(work / f"dccsim_s{s}") for s in seeds]
D1 = [dccsim_figures(work / f"dccsim1_s{s}") for s in seeds]
S = [json.loads((work / f"simpy_s{s}.json").read_text()) for s in seeds]
same = all((a["stages"], a["trt"]) == (b["stages"], b["trt"]) for a, b in zip(D, D1))
proc = {k: [t[1] for t in v] for k, v in timings.items()}
rss = {k: med(t[2] for t in v) / 1024 for k, v in timings.items()}
model = {"dccsim": [d["model_wall_s"] for d in D], "dccsim1": [d["model_wall_s"] for d in D1],
         "simpy": [x["model_wall_s"] for x in S]}
sj = S[0]

T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}
def mean_ci(xs):
    m = statistics.fmean(xs)
    if len(xs) < 2:
        return m, None
    return m, T975.get(len(xs) - 1, 2.0) * statistics.stdev(xs) / math.sqrt(len(xs))

def ms(x):
    return "n/a" if x is None else f"{x * 1e3:.4f} ms"

def wait_cell(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "n/a", "n/a"
    m, ci = mean_ci(xs)
    cell = ms(m) + ("" if ci is None else f" ± {ci * 1e3:.4f}")
    if erlang is None:
        return cell, "n/a"
    rel = m / erlang["wq"] - 1
    rel_ci = "" if ci is None else f" ± {ci / erlang['wq']:.1%}"
    return cell, f"{rel:+.1%}{rel_ci}"

man = json.loads((work / f"dccsim_s{seeds[0]}" / "manifest.json").read_text())
print(f"# Single pipeline: dccsim vs SimPy, {len(seeds)} round(s), seeds {seeds[0]}..{seeds[-1]}, horizon {horizon:g} s\n")
print(f"dccsim {man['dccsim_version']} ({man['partitions']} partitions); SimPy {sj['simpy_version']} "
      f"on Python {sj['python']}. Scenario `{scenario}`.\n")
print(f"## Speed: median wall time of {len(seeds)} alternated run(s)\n")
print(f"| | dccsim, {threads} threads | dccsim, 1 thread | SimPy | SimPy ÷ dccsim ({threads} threads) | SimPy ÷ dccsim (1 thread) |")
print("|---|---|---|---|---|---|")
for label, t in (("whole process", proc), ("model only (dccsim `wall_s`; SimPy build + `env.run`)", model)):
    a, b, s = med(t["dccsim"]), med(t["dccsim1"]), med(t["simpy"])
    print(f"| {label} | {a:.3f} s | {b:.3f} s | {s:.3f} s | **{s / a:.1f}×** | **{s / b:.1f}×** |")
print(f"| peak RSS | {rss['dccsim']:.0f} MiB | {rss['dccsim1']:.0f} MiB | {rss['simpy']:.0f} MiB | | |")
print(f"| requests simulated (submitted, mean of runs) | {statistics.fmean(d['submitted'] for d in D):,.0f} | "
      f"{statistics.fmean(d['submitted'] for d in D1):,.0f} | {statistics.fmean(x['submitted'] for x in S):,.0f} | | |")
print()
ratio = med(proc["simpy"]) / med(proc["dccsim"])
print(f"Target dccsim ≥ 50× faster (whole processes, {threads} threads): **{'met' if ratio >= 50 else 'not met'}** ({ratio:.1f}×).\n")
for k, label in (("dccsim", f"dccsim {threads} threads"), ("dccsim1", "dccsim 1 thread"), ("simpy", "SimPy")):
    print(f"- {label}: process " + ", ".join(f"{x:.3f}" for x in proc[k])
          + " s; model " + ", ".join(f"{x:.3f}" for x in model[k]) + " s")
print(f"\ndccsim's results with {threads} threads and with 1 thread are "
      + ("identical (stages and TRTs), as they must be." if same else "**NOT identical**: investigate."))

print(f"\n## DSP wait against Erlang C (mean ± 95 % CI over the {len(seeds)} seed(s))\n")
if erlang:
    print(f"Erlang C, M/M/{c}: λ = {erlang['lam']:g}/s (two DSP jobs per request), μ = {erlang['mu']:.4g}/s, "
          f"load ρ = {erlang['rho']:.3f}, P(wait) = {erlang['p_wait']:.4f}, mean wait **{ms(erlang['wq'])}**.\n")
else:
    print("Erlang C not applicable: the DSP's processing times are not exponential with one mean.\n")
wtxt = f"[{window[0]:g}, {window[1]:g}) s" if window else "none (horizon too short)"
print(f"| | mean DSP wait, whole run | vs Erlang C | mean DSP wait, steady window {wtxt} | vs Erlang C | utilisation, whole run | utilisation, window | requests simulated | mean TRT |")
print("|---|---|---|---|---|---|---|---|---|")
if erlang:
    print(f"| Erlang C M/M/{c} | {ms(erlang['wq'])} | | {ms(erlang['wq'])} | | | {erlang['rho']:.4f} | | |")
for label, runs in (("dccsim", D), ("SimPy", S)):
    whole, whole_rel = wait_cell([x["dsp_mean_wait_s"] for x in runs])
    win, win_rel = wait_cell([x.get("window_dsp_mean_wait_s") for x in runs])
    uw = [x.get("window_dsp_utilisation") for x in runs]
    print(f"| {label} | {whole} | {whole_rel} | {win} | {win_rel} | "
          f"{statistics.fmean(x['dsp_utilisation'] for x in runs):.4f} | "
          + (f"{statistics.fmean(uw):.4f}" if None not in uw else "n/a")
          + f" | {sum(x['submitted'] for x in runs):,} in {len(runs)} run(s) | "
          f"{statistics.fmean(x['trt_mean_s'] for x in runs):.3f} s |")
if erlang:
    print()
    for label, runs in (("dccsim", D), ("SimPy", S)):
        parts = []
        for name, key in (("whole run", "dsp_mean_wait_s"), ("steady window", "window_dsp_mean_wait_s")):
            xs = [x.get(key) for x in runs if x.get(key) is not None]
            if xs:
                rel = statistics.fmean(xs) / erlang["wq"] - 1
                parts.append(f"{name} {rel:+.1%} ({'within' if abs(rel) <= 0.02 else 'not within'} 2 %)")
        print(f"- {label}, mean over seeds vs Erlang C: " + "; ".join(parts))
print("\nPer seed, mean DSP wait whole run / window (ms):")
for s, d, x in zip(seeds, D, S):
    f = lambda v: "n/a" if v is None else f"{v * 1e3:.4f}"
    print(f"- seed {s}: dccsim {f(d['dsp_mean_wait_s'])} / {f(d.get('window_dsp_mean_wait_s'))}; "
          f"SimPy {f(x['dsp_mean_wait_s'])} / {f(x.get('window_dsp_mean_wait_s'))}")
print("\nThe whole-run wait (dccsim: `summary.json` stage `dsp`, `mean_wait_s`; SimPy: the mean over "
      "every DSP job) includes the start, when only requests reach the DSP, and the drain after the "
      "horizon: both lighter than steady state, so it sits a few per cent below Erlang C. The window "
      "figure is steady state: time-averaged queue length over whole series buckets from the warm-up "
      "to the horizon, divided by the completions per second there (Little's law; dccsim: "
      "`stages.parquet`). At 200,000 requests one run's mean wait varies by about 3 % (1 sd) "
      "from seed to seed, so compare the mean over seeds and its CI, not one seed, with a 2 % tolerance.")
EOF
cat "$WORK/results.md"
echo
echo "== results written to $WORK/results.md"
