"""``dccsim run`` and ``dccsim sweep`` as Python functions."""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Union, cast

from ._cli import Completed, DccsimError, PathLike, ProgressCallback, find_binary, invoke
from ._folders import Rollout, Run, Sweep, open
from ._toml import set_arguments

# The CLI's exit code for a sweep some of whose runs failed: its folder is written.
_SOME_RUNS_FAILED = 1


def run(
    scenario: PathLike,
    *,
    seed: int | None = None,
    scale: float | None = None,
    set: Mapping[str, Any] | None = None,
    out: PathLike | None = None,
    threads: int | None = None,
    on_progress: ProgressCallback | None = None,
    binary: PathLike | None = None,
) -> Run | Rollout:
    """Runs ``dccsim run SCENARIO`` and returns its output folder.

    Args:
        scenario: the scenario file (TOML), e.g. ``"scenarios/quickstart.toml"``.
        seed: seed of every random stream, overriding the scenario's (0 to 2**63-1).
        scale: population as a fraction of all GB (1.0 = 29.9 M premises),
            overriding the scenario's.
        set: scenario keys to override, dotted name to value, e.g.
            ``{"dsp.servers": 48, "scenario.horizon_s": 600.0}``; values are written
            as TOML (``dccsim list keys`` lists the keys, their units and ranges).
        out: the output folder; by default a new one under the system's temporary
            folder (``<tmp>/dccsim-XXXX/run``), so that no run replaces another.
            dccsim replaces an earlier run's folder there, never another folder.
        threads: worker threads (default: all cores); results do not depend on it.
        on_progress: called with each progress line as a dict: ``phase``
            ``simulate`` (``simulated_s``, ``fraction``, ``events``, ...), then
            ``write`` (``step``), then ``done`` (``out``), each with ``wall_s``.
        binary: the ``dccsim`` binary; by default found by :func:`find_binary`.

    Returns:
        a :class:`Run` for a network scenario, a :class:`Rollout` for one with
        ``[rollout]``, with the CLI's printed summary in ``.text``.

    Raises:
        DccsimError: the CLI failed; ``exit_code`` 2 bad input (``message`` names
            the file, line and key, or the flag), 3 will not fit in memory, 4 the
            folder cannot be written, 130 stopped by a signal.
        KeyboardInterrupt: after the CLI, stopped by it, has exited (a network run
            then leaves its rows so far in ``out``, marked ``interrupted``).
    """
    with _output_folder(out, "run") as folder:
        arguments = ["run", os.fspath(scenario), "--out", os.fspath(folder), *_common(seed, scale, threads, set)]
        result = _invoke(arguments, on_progress, binary)
    opened = cast(Union[Run, Rollout], open(folder))
    opened.text = result.stdout
    return opened


def sweep(
    scenario: PathLike,
    *,
    replications: int | None = None,
    seed: int | None = None,
    scale: float | None = None,
    set: Mapping[str, Any] | None = None,
    out: PathLike | None = None,
    threads: int | None = None,
    resume: bool = False,
    on_progress: ProgressCallback | None = None,
    binary: PathLike | None = None,
) -> Sweep:
    """Runs ``dccsim sweep SCENARIO``: every point of the scenario's ``[sweep]``,
    replicated, and returns the sweep's folder.

    Some runs failing (a panic in dccsim) is not an error here: the CLI still writes
    the folder, and the returned :class:`Sweep` lists them in ``.failed``.

    Args:
        scenario: the scenario file (TOML), with a ``[sweep]`` table.
        replications: replications per point, overriding the scenario's (default 5).
        seed, scale, set, threads, binary: as for :func:`run`.
        out: the output folder; by default a new ``<tmp>/dccsim-XXXX/sweep``.
        resume: carry on an interrupted sweep into ``out``: the runs it finished are
            not run again (same file, overrides, seed and replications).
        on_progress: called with each progress line as a dict: ``phase`` ``sweep``
            (``runs_done``, ``runs``, ``failed``), then ``write``, then ``done``.

    Raises:
        DccsimError: as for :func:`run`; an interrupted sweep writes no folder (its
            finished runs are kept beside ``out`` for ``resume=True``).
    """
    if resume and out is None:
        raise ValueError("resume=True carries on an interrupted sweep: give its folder as out")
    with _output_folder(out, "sweep") as folder:
        arguments = ["sweep", os.fspath(scenario), "--out", os.fspath(folder)]
        if replications is not None:
            arguments += ["--replications", str(replications)]
        if resume:
            arguments.append("--resume")
        arguments += _common(seed, scale, threads, set)
        result = _invoke(arguments, on_progress, binary, ok=(0, _SOME_RUNS_FAILED))
    opened = cast(Sweep, open(folder))
    opened.text = result.stdout
    return opened


@contextlib.contextmanager
def _output_folder(out: PathLike | None, name: str) -> Iterator[Path]:
    """Gives ``out``, or else the path ``<tmp>/dccsim-XXXX/NAME`` in a new temporary
    folder (the CLI creates ``NAME``); that temporary folder is removed again if the
    command fails without leaving anything in it."""
    if out is not None:
        yield Path(out)
        return
    parent = Path(tempfile.mkdtemp(prefix="dccsim-"))
    try:
        yield parent / name
    except BaseException:
        with contextlib.suppress(OSError):  # not empty: an interrupted run's rows
            parent.rmdir()
        raise


def _common(
    seed: int | None, scale: float | None, threads: int | None, overrides: Mapping[str, Any] | None
) -> list[str]:
    """The flags ``run`` and ``sweep`` share."""
    arguments: list[str] = []
    if seed is not None:
        arguments += ["--seed", str(seed)]
    if scale is not None:
        arguments += ["--scale", repr(float(scale))]
    if threads is not None:
        arguments += ["--threads", str(threads)]
    return arguments + set_arguments(overrides or {})


def _invoke(
    arguments: list[str],
    on_progress: ProgressCallback | None,
    binary: PathLike | None,
    ok: tuple[int, ...] = (0,),
) -> Completed:
    """Runs the CLI; raises :class:`DccsimError` unless it exits with a code in
    ``ok``, and passes on any other text it wrote on stderr as a warning."""
    result = invoke(find_binary(binary), arguments, on_progress)
    if result.exit_code not in ok:
        message = result.errors or f"dccsim exited with code {result.exit_code} and no message"
        raise DccsimError(message, result.exit_code, result.command)
    if result.errors:
        warnings.warn(f"dccsim: {result.errors}", stacklevel=3)
    return result
