"""Run dccsim, the discrete-event simulator of GB's smart metering network, from
Python, and read its outputs as polars frames::

    import dccsim

    r = dccsim.run("scenarios/quickstart.toml", seed=7, set={"dsp.servers": 48})
    r.summary["trt"][0]["p95_s"]        # the overall 95th percentile TRT, s
    r.service_requests.collect()        # one row per Service Request (a LazyFrame)
    s = dccsim.sweep("scenarios/dsp_capacity_sweep.toml", replications=3)
    s.points                            # one row per point, with 95% intervals
    dccsim.open("output/quickstart")    # a folder the CLI wrote

This is a thin layer over the ``dccsim`` command-line binary, not a native
extension: :func:`run` and :func:`sweep` run the binary as a subprocess and open
the folder it writes, because

1. the binary is the one tested artefact, so results from Python are byte-identical
   to the CLI's;
2. there is no second build system and no coupling to a Python ABI;
3. long runs can be interrupted (Ctrl-C) and report progress through the CLI's
   own ``--progress json``.

The binary is found by :func:`find_binary`: the ``binary`` argument, the
``DCCSIM`` environment variable, ``dccsim`` on the ``PATH``, or a
``cargo build --release`` output.
"""

from ._cli import BinaryNotFoundError, DccsimError, ProgressCallback, find_binary
from ._commands import run, sweep
from ._folders import Folder, Rollout, Run, Sweep, open

__version__ = "0.1.0"

__all__ = [
    "BinaryNotFoundError",
    "DccsimError",
    "Folder",
    "ProgressCallback",
    "Rollout",
    "Run",
    "Sweep",
    "find_binary",
    "open",
    "run",
    "sweep",
]
