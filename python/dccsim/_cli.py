"""Finding the ``dccsim`` binary and running it as a subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Callable, NamedTuple, Union

PathLike = Union[str, "os.PathLike[str]"]
"""A filesystem path: ``str`` or ``pathlib.Path``."""

ProgressCallback = Callable[[dict[str, Any]], None]
"""Called with each progress line of the CLI (``--progress json``) as a dict, e.g.
``{"phase": "simulate", "simulated_s": 143.3, "fraction": 0.02, "wall_s": 0.016, ...}``."""

_PACKAGE_NAME = re.compile(r'^\s*name\s*=\s*"dccsim"\s*$', re.MULTILINE)


class DccsimError(Exception):
    """The ``dccsim`` CLI failed, or could not be run.

    Attributes:
        message: what the CLI wrote on stderr (e.g. ``error: q.toml:3:7: ...``),
            or why it could not be run.
        exit_code: the CLI's exit code: 2 bad input, 3 will not fit in memory, 4
            cannot write the outputs, 130 interrupted, 101 a crash (a bug in
            dccsim); ``None`` if it did not run.
        command: the command line, as a tuple of arguments (empty if none ran).
    """

    def __init__(self, message: str, exit_code: int | None = None, command: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.command = tuple(command)

    def __str__(self) -> str:
        if self.exit_code is None:
            return self.message
        return f"{self.message}\n(dccsim exited with code {self.exit_code})"


class BinaryNotFoundError(DccsimError):
    """No ``dccsim`` binary was found (see :func:`find_binary`)."""


class Completed(NamedTuple):
    """A finished CLI process."""

    command: tuple[str, ...]
    exit_code: int
    stdout: str
    errors: str
    """Its stderr lines that were not progress JSON (error or warning text)."""


def find_binary(binary: PathLike | None = None) -> str:
    """Returns the path of the ``dccsim`` binary to run.

    In order: ``binary`` if given, the ``DCCSIM`` environment variable, ``dccsim``
    on the ``PATH``, then ``target/release/dccsim`` of the repository around the
    current directory (the nearest parent with a ``Cargo.toml`` of package
    ``dccsim``), ``$CARGO_TARGET_DIR/release/dccsim`` and
    ``~/.cache/dccsim/target/release/dccsim``. A ``binary`` or ``DCCSIM`` that is
    not an executable file is an error, not skipped.

    Raises:
        BinaryNotFoundError: none of them is an executable file.
    """
    for explicit, origin in ((binary, "binary"), (os.environ.get("DCCSIM") or None, "DCCSIM")):
        if explicit is not None:
            if _is_executable(Path(explicit)):
                return os.fspath(explicit)
            raise BinaryNotFoundError(f"{origin}={os.fspath(explicit)!r} is not an executable file. {_HOW_TO_BUILD}")
    on_path = shutil.which("dccsim")
    if on_path:
        return on_path
    candidates = list(_build_outputs())
    for candidate in candidates:
        if _is_executable(candidate):
            return os.fspath(candidate)
    looked = ", ".join(["dccsim on the PATH", *map(str, candidates)])
    raise BinaryNotFoundError(f"the dccsim binary was not found (looked for {looked}). {_HOW_TO_BUILD}")


_HOW_TO_BUILD = (
    "Build it with `cargo build --release` in the dccsim repository (it is then found from anywhere "
    "inside the repository, or through CARGO_TARGET_DIR), or set the DCCSIM environment variable "
    "to the binary's path, or pass binary=..."
)


def _build_outputs() -> Iterable[Path]:
    """The places ``cargo build --release`` may have put the binary."""
    repo = _repository(Path.cwd())
    if repo is not None:
        yield repo / "target" / "release" / "dccsim"
    if os.environ.get("CARGO_TARGET_DIR"):
        yield Path(os.environ["CARGO_TARGET_DIR"]) / "release" / "dccsim"
    yield Path.home() / ".cache" / "dccsim" / "target" / "release" / "dccsim"


def _repository(start: Path) -> Path | None:
    """The nearest folder from ``start`` up whose ``Cargo.toml`` is dccsim's."""
    for folder in (start, *start.parents):
        manifest = folder / "Cargo.toml"
        if manifest.is_file() and _PACKAGE_NAME.search(manifest.read_text(encoding="utf-8", errors="replace")):
            return folder
    return None


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def invoke(binary: str, arguments: Sequence[str], on_progress: ProgressCallback | None) -> Completed:
    """Runs ``binary ARGUMENTS --progress json|none`` and waits for it.

    Progress lines go to ``on_progress`` as they come (``--progress none`` without
    it); stderr's other lines are collected in ``Completed.errors``. The process
    runs in its own session, so that a Ctrl-C reaches it once, from here: on
    ``KeyboardInterrupt`` (or an exception from ``on_progress``) it gets SIGINT,
    stops at its next barrier (a network run then keeps its rows so far, its
    manifest marked ``interrupted``), and the exception is raised again once it has
    exited; a second Ctrl-C while waiting stops it at once.
    """
    command = (binary, *arguments, "--progress", "json" if on_progress else "none")
    errors: list[str] = []
    with tempfile.TemporaryFile() as stdout:
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=subprocess.PIPE,
                encoding="utf-8",
                errors="replace",
                start_new_session=True,
            )
        except OSError as error:
            raise DccsimError(f"cannot run {binary}: {error}", None, command) from error
        with process:
            try:
                _read_stderr(process.stderr, on_progress, errors)
                exit_code = process.wait()
            except BaseException:
                _stop(process)
                raise
        stdout.seek(0)
        text = stdout.read().decode("utf-8", errors="replace")
    return Completed(command, exit_code, text, "\n".join(errors))


def _read_stderr(stream: IO[str] | None, on_progress: ProgressCallback | None, errors: list[str]) -> None:
    """Passes each JSON object line of ``stream`` to ``on_progress`` and appends the
    other non-blank lines to ``errors``, until the stream ends."""
    assert stream is not None
    for line in stream:
        event = _json_object(line)
        if event is None:
            if line.strip():
                errors.append(line.rstrip("\n"))
        elif on_progress is not None:
            on_progress(event)


def _json_object(line: str) -> dict[str, Any] | None:
    if not line.startswith("{"):
        return None
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _stop(process: subprocess.Popen[str]) -> None:
    """Stops ``process`` as one Ctrl-C would and waits for it; a second
    ``KeyboardInterrupt`` meanwhile sends the second SIGINT, which ends it at once."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.communicate()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        process.wait()
        raise
