"""dccsim's output folders (a network run, a rollout, a sweep) and their tables as
polars frames. ``docs/outputs.md`` in the repository describes every file and column."""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Literal, NamedTuple, overload

import polars as pl

from ._cli import PathLike

try:
    import tomllib as _tomllib  # Python 3.11+
except ModuleNotFoundError:
    try:
        import tomli as _tomllib  # type: ignore[no-redef]
    except ModuleNotFoundError:
        _tomllib = None  # type: ignore[assignment]


class _Table(NamedTuple):
    folder: bool
    """A folder of part files (a row table), rather than one file."""
    files: list[str]
    """Its files, relative to the output folder, in part order."""


class Folder:
    """A complete dccsim output folder: its manifest, summary, resolved scenario and
    tables. Open one with :func:`dccsim.open`; :func:`dccsim.run` and
    :func:`dccsim.sweep` return one.

    Each table is also an attribute: ``run.service_requests`` is
    ``run.table("service_requests")``.

    Attributes:
        path: the folder.
        manifest: ``manifest.json``: what was run, how, and the folder's ``files``.
        text: the human summary the CLI printed on stdout, when this object comes
            from :func:`dccsim.run` or :func:`dccsim.sweep`; else ``None``.
    """

    kind: ClassVar[str]
    """The manifest's ``kind`` this class reads."""

    def __init__(self, path: Path, manifest: dict[str, Any], text: str | None = None) -> None:
        self.path = path
        self.manifest = manifest
        self.text = text
        self._tables = _tables(manifest.get("files", []))

    @property
    def name(self) -> str:
        """The scenario's name (``scenario.name``)."""
        return str(self.manifest["scenario"])

    @property
    def seed(self) -> int:
        """The seed of every random stream (a sweep's replication r uses its own
        streams derived from it)."""
        return int(self.manifest["seed"])

    @cached_property
    def summary(self) -> dict[str, Any] | None:
        """``summary.json`` (the figures the CLI prints), or ``None`` if the folder
        has none (a sweep). Times in s, shares in %."""
        file = self.path / "summary.json"
        return json.loads(file.read_text(encoding="utf-8")) if file.is_file() else None

    @cached_property
    def scenario(self) -> dict[str, Any] | None:
        """The scenario as it ran, every default filled in and every override applied
        (``scenario.resolved.toml``), e.g. ``run.scenario["dsp"]["servers"]``.
        ``None`` for a folder without one (a sweep), or on Python before 3.11
        without the ``tomli`` package."""
        resolved = self.manifest.get("resolved_scenario")
        if resolved is None or _tomllib is None:
            return None
        return _tomllib.loads((self.path / resolved).read_text(encoding="utf-8"))

    @property
    def report(self) -> Path | None:
        """``report.html`` (the summary with its figures, self-contained), if the
        folder has one."""
        report = self.path / "report.html"
        return report if report.is_file() else None

    @property
    def tables(self) -> list[str]:
        """The names of the folder's tables, in the manifest's order: ``X`` for a
        file ``X.parquet`` or a folder ``X/`` of part files."""
        return list(self._tables)

    @overload
    def table(self, name: str, lazy: Literal[True]) -> pl.LazyFrame: ...

    @overload
    def table(self, name: str, lazy: Literal[False]) -> pl.DataFrame: ...

    @overload
    def table(self, name: str, lazy: None = None) -> pl.DataFrame | pl.LazyFrame: ...

    def table(self, name: str, lazy: bool | None = None) -> pl.DataFrame | pl.LazyFrame:
        """Returns table ``name`` (one of :attr:`tables`).

        A folder of part files (``service_requests``, ``alerts``: one row per
        request or alert copy, possibly billions) is a ``LazyFrame`` over all its
        parts by default, a single file a ``DataFrame``; ``lazy=True`` or
        ``lazy=False`` asks for one or the other.

        Raises:
            KeyError: the folder has no such table; the message lists those it has.
        """
        table = self._tables.get(name)
        if table is None:
            raise KeyError(f"{self.path} has no table {name!r}; it has: {', '.join(self._tables) or 'none'}")
        files = [self.path / file for file in table.files]
        source: Path | list[Path] = files if table.folder else files[0]
        if lazy is None:
            lazy = table.folder
        if lazy:
            return pl.scan_parquet(source)
        return pl.read_parquet(source)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not attributes: the tables. Typed as Any
        # for convenience; table(name, lazy=...) has the precise types.
        if name.startswith("_") or name not in self.__dict__.get("_tables", {}):
            tables = ", ".join(self.__dict__.get("_tables", {})) or "none"
            raise AttributeError(f"{type(self).__name__} has no attribute or table {name!r}; its tables: {tables}")
        return self.table(name)

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._tables]

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.name!r} seed={self.seed} at {self.path}; "
            f"tables: {', '.join(self._tables) or 'none'}>"
        )


class Run(Folder):
    """A network run's folder (``dccsim run`` on a network scenario): tables
    ``service_requests`` (folder of parts), ``stages``, ``performance``,
    ``performance_detail``, ``cells``, and with ``[outages]`` also ``alerts``
    (folder of parts), ``outages`` and ``interruptions``."""

    kind = "network"


class Rollout(Folder):
    """A rollout study's folder (``dccsim run`` on a scenario with ``[rollout]``):
    table ``rollout``, one row per month, supplier and DNO area."""

    kind = "rollout"


class Sweep(Folder):
    """A sweep's folder (``dccsim sweep``): tables ``replications`` (one row per
    point and replication) and ``sweep`` (one row per point, with 95% confidence
    intervals; absent in a single shard's folder). It has no summary and no
    resolved scenario."""

    kind = "sweep"

    @property
    def replications(self) -> pl.DataFrame:
        """``replications.parquet``: one row per (point, replication), a failed
        run's too (``status`` ``failed``, its figures null)."""
        return self.table("replications", lazy=False)

    @property
    def points(self) -> pl.DataFrame:
        """``sweep.parquet``: one row per point, each figure's mean over the
        finished replications and its 95% interval (``<figure>_mean``,
        ``<figure>_ci95_low``, ``<figure>_ci95_high``)."""
        return self.table("sweep", lazy=False)

    @property
    def failed(self) -> list[dict[str, Any]]:
        """The runs that failed (panicked), each with ``point``, ``replication``
        and ``message``; empty when every run finished."""
        return list(self.manifest.get("failed", []))


_KINDS = {cls.kind: cls for cls in (Run, Rollout, Sweep)}


def open(path: PathLike) -> Run | Sweep | Rollout:
    """Opens the complete output folder at ``path`` as a :class:`Run`,
    :class:`Sweep` or :class:`Rollout`, by its manifest's ``kind``.

    Raises:
        FileNotFoundError: ``path`` has no ``manifest.json`` (not a dccsim output
            folder, or one still being written under its hidden staging name).
        ValueError: the folder is not complete: a run stopped by Ctrl-C or
            SIGTERM (``interrupted``), or of a kind this package does not know.
    """
    folder = Path(path)
    manifest_file = folder / "manifest.json"
    if not manifest_file.is_file():
        why = "it has no manifest.json" if folder.is_dir() else "it does not exist"
        raise FileNotFoundError(f"{folder} is not a dccsim output folder: {why}")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    # Folders written before schema version 5 have no status: they were complete.
    status = manifest.get("status", "complete")
    if status == "interrupted":
        raise ValueError(
            f"{folder} holds an interrupted run, stopped at {manifest.get('simulated_end_s')} s of simulated "
            "time: it has the rows that ended before the stop but no figures. Run it again to the end to open it."
        )
    if status != "complete":
        raise ValueError(f"{folder} is not complete: its manifest's status is {status!r}")
    kind = manifest.get("kind")
    if kind not in _KINDS:
        raise ValueError(f"{folder} is of kind {kind!r}, not one of: {', '.join(_KINDS)}")
    return _KINDS[kind](folder, manifest)


def _tables(files: list[str]) -> dict[str, _Table]:
    """The tables among a manifest's ``files``: each top-level ``X.parquet``, and
    each folder ``X/`` of ``.parquet`` part files."""
    tables: dict[str, _Table] = {}
    for file in files:
        parts = file.split("/")
        if not file.endswith(".parquet") or len(parts) > 2:
            continue
        if len(parts) == 1:
            tables[file[: -len(".parquet")]] = _Table(False, [file])
        else:
            tables.setdefault(parts[0], _Table(True, [])).files.append(file)
    for table in tables.values():
        table.files.sort()
    return tables
