#!/usr/bin/env python3
"""The dccsim quickstart written again the way a SimPy user would write it.

One simulated hour of SRV 4.1.1 On Demand reads: Poisson submissions at
`rate_per_s` to covered premises with an electricity meter, each request going

    User Gateway (c servers, FCFS, exponential service)
    -> DSP request processing (c servers, FCFS, lognormal)
    -> WAN Gateway latency + half the WAN round trip
    -> the premises' radio cell: FCFS channel, airtime = bytes * 8 / bit rate,
       lost with `loss_probability` and resent after `retry_timeout_s`
    -> HAN / meter response (lognormal)
    -> uplink airtime at the same cell (same loss and retry rules)
    -> half the WAN round trip + WAN Gateway latency
    -> DSP response processing (the same DSP servers)
    -> Service Response.  TRT = response time - submission time.

Parameters are read from the dccsim scenario file (default
scenarios/quickstart.toml) with `tomllib`; keys the file leaves out take the
defaults documented in scenarios/README.md.  See README.md beside this script for
what is simplified compared with dccsim.

Usage:
    python quickstart_simpy.py [SCENARIO] [--horizon-s S] [--seed N] [--out FILE]

`--out` writes one CSV row per finished request (submitted_s, responded_s, trt_s, region,
network, outcome); a summary with TRT quantiles, the wall times and the number of
SimPy events is printed, and written as JSON with `--json`.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import time
import tomllib

WALL_START = time.perf_counter()  # before `import simpy`: the process's own start-up is timed by run.sh

import simpy  # noqa: E402

# z-score of the standard normal's 95th percentile: a lognormal given by median
# and p95 has mu = ln(median), sigma = ln(p95 / median) / Z95.
Z95 = 1.6448536269514722

# Premises per CSP region: North, Central and South hold 9.1, 11.5 and 9.3 of
# every 29.9 premises (the 14 DNO areas by customers, scenarios/README.md).
REGION_SHARES = {"north": 9.1 / 29.9, "central": 11.5 / 29.9, "south": 9.3 / 29.9}

# Central and South share Telefonica's cellular defaults.
CELLULAR = dict(premises_per_cell=1500, channels_per_cell=8, channel_bitrate_bps=20000.0,
                round_trip={"kind": "lognormal", "median_s": 4.5, "p95_s": 15.0},
                round_trip_min_s=1.0, loss_probability=0.01)

# Defaults of every [csp.*] key the scenario may leave out (scenarios/README.md).
CSP_DEFAULTS = {
    "north": dict(premises_per_cell=1000, channels_per_cell=4, channel_bitrate_bps=4800.0,
                  round_trip={"kind": "lognormal", "median_s": 7.5, "p95_s": 20.0},
                  round_trip_min_s=1.0, loss_probability=0.01),
    "central": dict(CELLULAR),
    "south": dict(CELLULAR),
    "mesh": dict(premises_per_cell=200, channels_per_cell=2, channel_bitrate_bps=9600.0,
                 round_trip={"kind": "lognormal", "median_s": 12.0, "p95_s": 25.0},
                 round_trip_min_s=2.0, loss_probability=0.03),
    "lte": dict(premises_per_cell=1500, channels_per_cell=16, channel_bitrate_bps=100000.0,
                round_trip={"kind": "lognormal", "median_s": 2.0, "p95_s": 6.0},
                round_trip_min_s=1.0, loss_probability=0.01),
}
for _d in CSP_DEFAULTS.values():
    _d.update(retry_timeout_s=10.0, max_retries=2)

DSP_PROCESSING_DEFAULT = {"kind": "lognormal", "median_s": 0.8, "p95_s": 2.0}


def sampler(spec: dict, rng: random.Random):
    """A function drawing one duration (seconds) from a dccsim distribution table."""
    kind = spec["kind"]
    if kind == "constant":
        value = float(spec["value_s"])
        return lambda: value
    if kind == "exponential":
        rate = 1.0 / float(spec["mean_s"])
        return lambda: rng.expovariate(rate)
    if kind == "lognormal":
        mu = math.log(spec["median_s"])
        sigma = math.log(spec["p95_s"] / spec["median_s"]) / Z95
        return lambda: rng.lognormvariate(mu, sigma)
    if kind == "uniform":
        lo, hi = float(spec["min_s"]), float(spec["max_s"])
        return lambda: rng.uniform(lo, hi)
    raise ValueError(f"unknown distribution kind {kind!r}")


class Network:
    """One WAN network's parameters and delay draws."""

    def __init__(self, name: str, raw: dict, rng: random.Random):
        p = dict(CSP_DEFAULTS[name])
        p.update(raw)
        self.name = name
        self.premises_per_cell = int(p["premises_per_cell"])
        self.channels = int(p["channels_per_cell"])
        self.bitrate = float(p["channel_bitrate_bps"])
        self.round_trip = sampler(p["round_trip"], rng)
        self.round_trip_min = float(p["round_trip_min_s"])
        self.loss = float(p["loss_probability"])
        self.retry_timeout = float(p["retry_timeout_s"])
        self.max_retries = int(p["max_retries"])


class Quickstart:
    """The model: stations as `simpy.Resource`s, one process per Service Request."""

    def __init__(self, env: simpy.Environment, scenario: dict, seed: int, horizon_s: float):
        self.env = env
        self.rng = rng = random.Random(seed)
        sc = scenario.get("scenario", {})
        self.horizon = horizon_s
        self.drain_limit = float(sc.get("drain_limit_s", 3600.0))
        pop = scenario.get("population", {})
        premises = int(pop.get("premises", 100_000))
        if "scale" in pop:
            premises = round(float(pop["scale"]) * 29_900_000)
        lte_share = float(pop.get("lte_share", 0.05))
        mesh_share = float(pop.get("mesh_share", 0.03))

        streams = scenario.get("traffic", {}).get("streams") or [
            {"name": "on_demand_reads", "srv": "4.1.1", "rate_per_s": 20.0,
             "command_size_bytes": 158, "response_size_bytes": 185}]
        if len(streams) != 1:
            raise SystemExit("this peer model handles one traffic stream (the quickstart's)")
        stream = streams[0]
        if stream.get("mode", "on_demand") != "on_demand" or stream.get("profile", "flat") != "flat" \
                or stream.get("premises", "electricity") != "electricity" or "rate_per_s" not in stream:
            raise SystemExit("this peer model handles a flat On Demand stream with rate_per_s to electricity premises")
        self.rate = float(stream["rate_per_s"])
        self.command_bytes = int(stream["command_size_bytes"])
        self.response_bytes = int(stream["response_size_bytes"])

        ug = scenario.get("user_gateway", {})
        self.user_gateway = simpy.Resource(env, capacity=int(ug.get("servers", 32)))
        self.ug_service = sampler(ug.get("service_time", {"kind": "exponential", "mean_s": 0.05}), rng)
        dsp = scenario.get("dsp", {})
        if int(dsp.get("shards", 1)) != 1:
            raise SystemExit("this peer model has one DSP shard")
        # Requests and responses share the DSP's servers, as in dccsim.
        self.dsp = simpy.Resource(env, capacity=int(dsp.get("servers", 64)))
        self.dsp_request = sampler(dsp.get("request_processing", DSP_PROCESSING_DEFAULT), rng)
        self.dsp_response = sampler(dsp.get("response_processing", DSP_PROCESSING_DEFAULT), rng)
        self.gateway_latency = float(scenario.get("wan_gateway", {}).get("latency_s", 0.05))
        self.han_response = sampler(scenario.get("comms_hub", {}).get(
            "han_response", {"kind": "lognormal", "median_s": 1.5, "p95_s": 4.0}), rng)
        csp = scenario.get("csp", {})
        self.networks = {n: Network(n, csp.get(n, {}), rng) for n in CSP_DEFAULTS}

        # Premises of each (region, network), and the cells they fill in order.
        # Fuel and WAN coverage are drawn independently of place and network in
        # dccsim, so the addressed premises (covered, with an electricity meter)
        # spread over (region, network) and over cells like all premises do.
        self.blocks = []  # (region, network, premises, [cells]) with draw weights
        weights = []
        for region, r_share in REGION_SHARES.items():
            in_region = premises * r_share
            shares = {"lte": lte_share}
            if region != "north":
                shares["mesh"] = mesh_share
            shares[region] = 1.0 - sum(shares.values())
            for net_name, n_share in shares.items():
                count = round(in_region * n_share)
                if count == 0:
                    continue
                net = self.networks[net_name]
                cells = [simpy.Resource(env, capacity=net.channels)
                         for _ in range(math.ceil(count / net.premises_per_cell))]
                self.blocks.append((region, net, count, cells))
                weights.append(count)
        self.block_weights = weights
        self.cells = sum(len(b[3]) for b in self.blocks)
        self.records = []  # (submitted, responded, region, network, outcome)
        self.submitted = 0

    def target(self):
        """A uniformly drawn premises: its region, network and cell."""
        region, net, count, cells = self.rng.choices(self.blocks, weights=self.block_weights)[0]
        slot = self.rng.randrange(count)
        return region, net, cells[slot // net.premises_per_cell]

    def users(self):
        """DCC Users: a Poisson stream of submissions during [0, horizon)."""
        env, rng = self.env, self.rng
        while True:
            yield env.timeout(rng.expovariate(self.rate))
            if env.now >= self.horizon:
                return
            self.submitted += 1
            env.process(self.service_request())

    def service_request(self):
        env = self.env
        submitted = env.now
        region, net, cell = self.target()
        with self.user_gateway.request() as server:
            yield server
            yield env.timeout(self.ug_service())
        with self.dsp.request() as server:
            yield server
            yield env.timeout(self.dsp_request())
        # One round-trip draw per request, floored, half on each leg.
        half_rtt = max(net.round_trip(), net.round_trip_min) / 2.0
        yield env.timeout(self.gateway_latency + half_rtt)
        retries = 0  # retransmissions of this request's messages, both legs together
        failed = False
        for nbytes in (self.command_bytes, self.response_bytes):
            airtime = nbytes * 8.0 / net.bitrate
            while True:
                # Queue for a channel of the cell, hold it for the airtime.
                with cell.request() as channel:
                    yield channel
                    yield env.timeout(airtime)
                if self.rng.random() >= net.loss:
                    break  # got through
                yield env.timeout(net.retry_timeout)  # lost: resend after the timeout
                if retries == net.max_retries:
                    failed = True  # the CSP gives up and tells the DSP
                    break
                retries += 1
            if failed:
                break
            if nbytes == self.command_bytes:
                yield env.timeout(self.han_response())  # HAN, meter, HAN back to the hub
        yield env.timeout(half_rtt + self.gateway_latency)
        with self.dsp.request() as server:
            yield server
            yield env.timeout(self.dsp_response())
        self.records.append((submitted, env.now, region, net.name, "failed" if failed else "responded"))


def quantiles(xs, qs=(0.10, 0.50, 0.90, 0.95, 0.99)):
    """Quantiles by linear interpolation (numpy's default), without numpy."""
    s = sorted(xs)
    out = {}
    for q in qs:
        h = (len(s) - 1) * q
        lo = math.floor(h)
        hi = min(lo + 1, len(s) - 1)
        out[f"p{round(q * 100)}"] = s[lo] + (h - lo) * (s[hi] - s[lo])
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/quickstart.toml")
    ap.add_argument("--horizon-s", type=float, help="submit during [0, S) instead of the scenario's horizon_s")
    ap.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    ap.add_argument("--out", help="write one CSV row per request here")
    ap.add_argument("--json", help="write the summary as JSON here")
    args = ap.parse_args(argv)

    with open(args.scenario, "rb") as f:
        scenario = tomllib.load(f)
    horizon = args.horizon_s if args.horizon_s is not None else float(scenario["scenario"]["horizon_s"])
    seed = args.seed if args.seed is not None else int(scenario.get("scenario", {}).get("seed", 1))

    t0 = time.perf_counter()
    env = simpy.Environment()
    model = Quickstart(env, scenario, seed, horizon)
    env.process(model.users())
    t1 = time.perf_counter()
    env.run(until=horizon + model.drain_limit)
    t2 = time.perf_counter()
    # SimPy numbers every event it schedules from one counter (a private attribute).
    events = next(env._eid) if hasattr(env, "_eid") else None

    trts = [r[1] - r[0] for r in model.records if r[4] == "responded"]
    failed = sum(1 for r in model.records if r[4] == "failed")
    if args.out:
        with open(args.out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["submitted_s", "responded_s", "trt_s", "region", "network", "outcome"])
            for sub, resp, region, net, outcome in model.records:
                w.writerow([f"{sub:.6f}", f"{resp:.6f}", f"{resp - sub:.6f}", region, net, outcome])
    summary = {
        "simpy_version": simpy.__version__,
        "python": sys.version.split()[0],
        "seed": seed,
        "horizon_s": horizon,
        "cells": model.cells,
        "submitted": model.submitted,
        "responded": len(trts),
        "failed": failed,
        "unfinished": model.submitted - len(model.records),
        "events_scheduled": events,
        "setup_wall_s": t1 - t0,
        "sim_wall_s": t2 - t1,
        "model_wall_s": t2 - t0,
        "process_wall_s_so_far": time.perf_counter() - WALL_START,
        "trt_mean_s": sum(trts) / len(trts) if trts else None,
        "trt_quantiles_s": quantiles(trts) if trts else {},
        "within_30s_pct": 100.0 * sum(1 for t in trts if t <= 30.0) / max(1, model.submitted),
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    q = summary["trt_quantiles_s"]
    print(f"SimPy {summary['simpy_version']} on Python {summary['python']}: seed {seed}, horizon {horizon:g} s, "
          f"{model.cells} cells")
    print(f"  {model.submitted} submitted, {len(trts)} responded, {failed} failed, "
          f"{summary['unfinished']} unfinished; {events} SimPy events scheduled")
    print("  TRT " + ", ".join(f"{k} {v:.3f} s" for k, v in q.items()))
    print(f"  wall: setup {t1 - t0:.3f} s, env.run {t2 - t1:.3f} s, model {t2 - t0:.3f} s "
          f"({events / (t2 - t1) / 1e3:.0f} k events/s)" if events else "")


if __name__ == "__main__":
    main()
