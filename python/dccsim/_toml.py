"""Python values as TOML values, for the CLI's ``--set KEY=VALUE`` overrides.

The CLI parses each ``VALUE`` as a TOML value and validates it like the scenario
file, so a Python ``int`` must stay an integer (``dsp.servers=48``: ``48.0`` is
refused) and a ``str`` must become a quoted TOML string.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

# The escapes TOML's basic strings define; other control characters use \uXXXX.
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_value(value: Any) -> str:
    """Returns ``value`` written as a TOML value.

    ``bool`` becomes ``true``/``false`` (checked before ``int``, of which it is a
    subclass), any integral number an integer, any other real number a float
    (``inf`` and ``nan`` are refused: the scenario keys take finite numbers), ``str``
    a basic string with TOML's escapes, ``list``/``tuple`` an array and a mapping
    with ``str`` keys an inline table. Anything else (``None``, dates, bytes, ...)
    raises ``TypeError``: TOML has no null, and the scenario's dates are strings.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{number!r} cannot be a scenario value: use a finite number")
        return repr(number)
    if isinstance(value, str):
        return _basic_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        entries = ", ".join(f"{_key(key)} = {toml_value(item)}" for key, item in value.items())
        return "{ " + entries + " }" if entries else "{}"
    raise TypeError(f"{type(value).__name__} {value!r} has no TOML form: use bool, int, float, str, list or dict")


def set_arguments(overrides: Mapping[str, Any]) -> list[str]:
    """Returns the CLI arguments ``--set KEY=VALUE`` for each dotted key of
    ``overrides`` (e.g. ``{"dsp.servers": 48}``), in the mapping's order."""
    arguments: list[str] = []
    for key, value in overrides.items():
        if not isinstance(key, str) or not key or "=" in key:
            raise TypeError(f"a scenario key is a dotted name such as 'dsp.servers', not {key!r}")
        arguments += ["--set", f"{key}={toml_value(value)}"]
    return arguments


def _basic_string(text: str) -> str:
    """``text`` as a TOML basic string: quoted, with quotes, backslashes and control
    characters escaped."""
    escaped = "".join(
        _ESCAPES.get(char) or (f"\\u{ord(char):04X}" if char < " " or char == "\x7f" else char) for char in text
    )
    return f'"{escaped}"'


def _key(key: Any) -> str:
    """An inline table's key: bare when TOML allows it, else quoted."""
    if not isinstance(key, str):
        raise TypeError(f"a TOML table's keys are strings, not {type(key).__name__} {key!r}")
    return key if _BARE_KEY.fullmatch(key) else _basic_string(key)
