#!/usr/bin/env python3
"""The single-pipeline benchmark (single_pipeline.toml) written as a SimPy user would.

Poisson submissions at `rate_per_s` during [0, horizon_s); one process per
Service Request, which goes

    User Gateway          simpy.Resource(servers), service time drawn
    -> DSP request        simpy.Resource(dsp.servers), FCFS, request_processing
    -> WAN Gateway latency + half the WAN round trip (one draw, floored)
    -> its region's cell  simpy.Resource(channels), airtime = bytes * 8 / bit rate
    -> HAN response       env.timeout
    -> the cell again     airtime of the response
    -> half the round trip + WAN Gateway latency
    -> DSP response       the same simpy.Resource, response_processing
    -> done: TRT = now - submitted.

All parameters are read from the dccsim scenario file with `tomllib`, so both
simulators run the same numbers. Keys the file leaves out take dccsim's defaults
(scenarios/README.md). Anything this peer does not model (loss, mesh or 4G hubs,
more than one stream or shard, more premises than fit one cell per region) is
refused rather than silently ignored.

Usage:
    python pipeline_simpy.py [SCENARIO] [--horizon-s S] [--seed N] [--warmup-s W] [--json FILE]

Prints a summary and writes it as JSON with `--json`: requests simulated, mean
DSP wait over both uses, DSP utilisation, mean TRT, model wall time, and the DSP
figures over the steady window (see README.md).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
import tomllib

import simpy

# A lognormal given by median and p95: mu = ln(median), sigma = ln(p95/median) / Z95.
Z95 = 1.6448536269514722

# Premises per CSP region (the 14 DNO areas by customers, scenarios/README.md).
REGION_SHARES = {"north": 9.1 / 29.9, "central": 11.5 / 29.9, "south": 9.3 / 29.9}

# dccsim's defaults for the keys this model reads (scenarios/README.md).
DSP_PROCESSING_DEFAULT = {"kind": "lognormal", "median_s": 0.8, "p95_s": 2.0}
CSP_DEFAULTS = {
    "north": dict(premises_per_cell=1000, channels_per_cell=4, channel_bitrate_bps=4800.0,
                  round_trip={"kind": "lognormal", "median_s": 7.5, "p95_s": 20.0},
                  round_trip_min_s=1.0, loss_probability=0.01),
    "central": dict(premises_per_cell=1500, channels_per_cell=8, channel_bitrate_bps=20000.0,
                    round_trip={"kind": "lognormal", "median_s": 4.5, "p95_s": 15.0},
                    round_trip_min_s=1.0, loss_probability=0.01),
}
CSP_DEFAULTS["south"] = dict(CSP_DEFAULTS["central"])


def sampler(spec: dict, rng: random.Random):
    """A function drawing one duration (s) from a dccsim distribution table."""
    kind = spec["kind"]
    if kind == "constant":
        value = float(spec["value_s"])
        return lambda: value
    if kind == "exponential":
        rate = 1.0 / float(spec["mean_s"])
        return lambda: rng.expovariate(rate)
    if kind == "lognormal":
        mu = math.log(float(spec["median_s"]))
        sigma = math.log(float(spec["p95_s"]) / float(spec["median_s"])) / Z95
        return lambda: rng.lognormvariate(mu, sigma)
    if kind == "uniform":
        lo, hi = float(spec["min_s"]), float(spec["max_s"])
        return lambda: rng.uniform(lo, hi)
    raise SystemExit(f"unknown distribution kind {kind!r}")


class Region:
    """One CSP region: its WAN delays and its one radio cell."""

    def __init__(self, env, name, raw, premises, rng):
        p = dict(CSP_DEFAULTS[name])
        p.update(raw)
        if float(p["loss_probability"]) != 0.0:
            raise SystemExit(f"csp.{name}: this peer models no loss (set loss_probability = 0)")
        if premises > int(p["premises_per_cell"]):
            raise SystemExit(f"csp.{name}: this peer has one cell per region; premises_per_cell "
                             f"must be at least the region's {premises} premises")
        self.name = name
        self.round_trip = sampler(p["round_trip"], rng)
        self.round_trip_min = float(p["round_trip_min_s"])
        self.bitrate = float(p["channel_bitrate_bps"])
        self.cell = simpy.Resource(env, capacity=int(p["channels_per_cell"]))


class Pipeline:
    def __init__(self, env: simpy.Environment, sc: dict, seed: int, horizon_s: float):
        self.env = env
        self.rng = rng = random.Random(seed)
        self.horizon = horizon_s

        pop = sc.get("population", {})
        if float(pop.get("mesh_share", 0.03)) != 0.0 or float(pop.get("lte_share", 0.05)) != 0.0:
            raise SystemExit("this peer has the regions' own networks only: set mesh_share = lte_share = 0")
        if "scale" in pop:
            premises = round(float(pop["scale"]) * 29_900_000)
        else:
            premises = int(pop.get("premises", 100_000))

        streams = sc.get("traffic", {}).get("streams", [])
        if len(streams) != 1:
            raise SystemExit("this peer has exactly one traffic stream")
        st = streams[0]
        if st.get("mode", "on_demand") != "on_demand" or st.get("profile", "flat") != "flat" \
                or "rate_per_s" not in st:
            raise SystemExit("this peer handles one flat On Demand stream given by rate_per_s")
        self.rate = float(st["rate_per_s"])
        self.command_bytes = int(st["command_size_bytes"])
        self.response_bytes = int(st["response_size_bytes"])

        ug = sc.get("user_gateway", {})
        self.user_gateway = simpy.Resource(env, capacity=int(ug.get("servers", 32)))
        self.ug_service = sampler(ug.get("service_time", {"kind": "exponential", "mean_s": 0.05}), rng)

        dsp = sc.get("dsp", {})
        if int(dsp.get("shards", 1)) != 1:
            raise SystemExit("this peer has one DSP shard")
        self.dsp_servers = int(dsp.get("servers", 64))
        self.dsp = simpy.Resource(env, capacity=self.dsp_servers)  # shared by requests and responses
        self.dsp_request = sampler(dsp.get("request_processing", DSP_PROCESSING_DEFAULT), rng)
        self.dsp_response = sampler(dsp.get("response_processing", DSP_PROCESSING_DEFAULT), rng)

        self.latency = float(sc.get("wan_gateway", {}).get("latency_s", 0.05))
        self.han_response = sampler(sc.get("comms_hub", {}).get(
            "han_response", {"kind": "lognormal", "median_s": 1.5, "p95_s": 4.0}), rng)
        csp = sc.get("csp", {})
        self.regions = [Region(env, n, csp.get(n, {}), math.ceil(premises * s), rng)
                        for n, s in REGION_SHARES.items()]
        self.region_weights = list(REGION_SHARES.values())

        self.submitted = 0
        self.trts = []
        self.dsp_jobs = []  # (arrived, started, finished) of every DSP job, both uses
        self.last_done = 0.0

    def users(self):
        """Poisson submissions during [0, horizon)."""
        env, rng = self.env, self.rng
        while True:
            yield env.timeout(rng.expovariate(self.rate))
            if env.now >= self.horizon:
                return
            self.submitted += 1
            env.process(self.service_request())

    def at_dsp(self, processing):
        """Queue for a DSP server (FCFS), hold it for one processing draw."""
        env = self.env
        arrived = env.now
        with self.dsp.request() as server:
            yield server
            started = env.now
            yield env.timeout(processing())
        self.dsp_jobs.append((arrived, started, env.now))

    def service_request(self):
        env = self.env
        submitted = env.now
        region = self.rng.choices(self.regions, weights=self.region_weights)[0]
        with self.user_gateway.request() as server:
            yield server
            yield env.timeout(self.ug_service())
        yield from self.at_dsp(self.dsp_request)
        half_rtt = max(region.round_trip(), region.round_trip_min) / 2.0
        yield env.timeout(self.latency + half_rtt)
        with region.cell.request() as channel:
            yield channel
            yield env.timeout(self.command_bytes * 8.0 / region.bitrate)
        yield env.timeout(self.han_response())
        with region.cell.request() as channel:
            yield channel
            yield env.timeout(self.response_bytes * 8.0 / region.bitrate)
        yield env.timeout(half_rtt + self.latency)
        yield from self.at_dsp(self.dsp_response)
        self.trts.append(env.now - submitted)
        self.last_done = env.now


def overlap(a0, a1, b0, b1):
    return max(0.0, min(a1, b1) - max(a0, b0))


def dsp_figures(jobs, servers, end, window):
    """Mean wait and utilisation over the whole run, and over the window by Little's law
    (time-averaged queue length / completion rate), as run.sh computes dccsim's."""
    n = len(jobs)
    out = {
        "dsp_jobs": n,
        "dsp_mean_wait_s": sum(s - a for a, s, _ in jobs) / n if n else None,
        "dsp_utilisation": sum(f - s for _, s, f in jobs) / (servers * end) if end > 0 else None,
        "window_s": list(window) if window else None,
    }
    if window:
        w0, w1 = window
        span = w1 - w0
        queued = sum(overlap(a, s, w0, w1) for a, s, _ in jobs) / span
        busy = sum(overlap(s, f, w0, w1) for _, s, f in jobs) / span
        done = sum(1 for _, _, f in jobs if w0 <= f < w1) / span
        out.update(window_mean_queued=queued, window_completions_per_s=done,
                   window_dsp_mean_wait_s=queued / done if done else None,
                   window_dsp_utilisation=busy / servers)
    return out


def steady_window(horizon, bucket, warmup):
    """Whole series buckets from the warm-up to the horizon (the same rule run.sh uses)."""
    w0 = math.ceil(warmup / bucket) * bucket
    w1 = math.floor(horizon / bucket) * bucket
    return (w0, w1) if w1 > w0 else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default="benches/peer/single_pipeline.toml")
    ap.add_argument("--horizon-s", type=float, help="submit during [0, S) instead of the file's horizon_s")
    ap.add_argument("--seed", type=int, help="random seed (default: the file's)")
    ap.add_argument("--warmup-s", type=float, default=60.0, help="start of the steady window (default 60)")
    ap.add_argument("--json", help="write the summary here")
    args = ap.parse_args(argv)

    with open(args.scenario, "rb") as f:
        sc = tomllib.load(f)
    meta = sc.get("scenario", {})
    horizon = args.horizon_s if args.horizon_s is not None else float(meta["horizon_s"])
    seed = args.seed if args.seed is not None else int(meta.get("seed", 1))
    drain = float(meta.get("drain_limit_s", 3600.0))
    bucket = float(meta.get("series_bucket_s", 60.0))

    t0 = time.perf_counter()
    env = simpy.Environment()
    model = Pipeline(env, sc, seed, horizon)
    env.process(model.users())
    env.run(until=horizon + drain)
    model_wall = time.perf_counter() - t0

    window = steady_window(horizon, bucket, args.warmup_s)
    summary = {
        "simulator": "simpy",
        "simpy_version": simpy.__version__,
        "python": sys.version.split()[0],
        "seed": seed,
        "horizon_s": horizon,
        "submitted": model.submitted,
        "responded": len(model.trts),
        "simulated_end_s": model.last_done,
        "trt_mean_s": sum(model.trts) / len(model.trts) if model.trts else None,
        "dsp_servers": model.dsp_servers,
        **dsp_figures(model.dsp_jobs, model.dsp_servers, model.last_done, window),
        "model_wall_s": model_wall,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    w = summary.get("window_dsp_mean_wait_s")
    print(f"SimPy {summary['simpy_version']} (Python {summary['python']}), seed {seed}, horizon {horizon:g} s: "
          f"{model.submitted} submitted, {len(model.trts)} responded, mean TRT {summary['trt_mean_s']:.3f} s")
    print(f"  DSP: {summary['dsp_jobs']} jobs, mean wait {summary['dsp_mean_wait_s'] * 1e3:.4f} ms, "
          f"utilisation {summary['dsp_utilisation']:.4f} (whole run to {model.last_done:.1f} s)"
          + (f"; window {window[0]:g}-{window[1]:g} s: wait {w * 1e3:.4f} ms, "
             f"utilisation {summary['window_dsp_utilisation']:.4f}" if w is not None else ""))
    print(f"  model wall time {model_wall:.3f} s")


if __name__ == "__main__":
    main()
