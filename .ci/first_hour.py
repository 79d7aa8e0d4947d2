"""Runs the commands of docs/first-hour.md and checks that they print what the page
shows, so the walkthrough holds as dccsim changes.

Usage: first_hour.py DCCSIM_BINARY PYTHON [--bless]

The page's fenced blocks are read in order, in a scratch copy of `scenarios/`:
- a ```sh block is run line by line, with `cargo run --release --locked --` standing
  for DCCSIM_BINARY and `.venv/bin/python` for PYTHON; a ```text block right after
  it is what its last command prints (stdout, then stderr);
- `<!-- check: skip -->` before a block leaves it out (install lines, which CI does
  its own way);
- `<!-- check: file NAME -->` before a block writes it to NAME;
- `<!-- check: edit FILE -->` before a ```toml block sets each of its `key = value`
  lines in FILE (in the block's `[table]`, if it names one), as a reader would.
Wall times differ from run to run: the digits of a `Wall time` line are not compared.
With --bless, the ```text blocks are rewritten with what the commands print.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "first-hour.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
DIRECTIVE = re.compile(r"<!-- check: (\w+) ?(.*?) -->\s*$")


def blocks(text):
    """(info, body, directive, start, end) of each fenced block, in order."""
    for m in FENCE.finditer(text):
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        d = DIRECTIVE.search(before)
        yield m.group(1), m.group(2), (d.group(1), d.group(2)) if d else None, m.start(2), m.end(2)


def normalise(output):
    lines = [line.rstrip() for line in output.strip("\n").split("\n")]
    return "\n".join(re.sub(r"\d", "#", line) if line.startswith("Wall time") else line for line in lines)


def edit(path, toml):
    """Sets each `key = value` of `toml` in the file at `path`, in its table."""
    table, lines = None, path.read_text().split("\n")
    for line in toml.strip().split("\n"):
        if line.startswith("["):
            table = line.strip()
            continue
        key = line.split("=", 1)[0].strip()
        current, done = None, False
        for i, old in enumerate(lines):
            if old.startswith("["):
                current = old.split("#", 1)[0].strip()
            elif (table is None or current == table) and old.split("=", 1)[0].strip() == key and "=" in old:
                lines[i], done = line, True
                break
        if not done:
            sys.exit(f"first_hour: no `{key}` under {table or 'any table'} in {path.name} to edit")
    path.write_text("\n".join(lines))


def run(command, work, dccsim, python):
    command = command.replace("cargo run --release --locked --", dccsim).replace(".venv/bin/python", python)
    done = subprocess.run(command, shell=True, cwd=work, capture_output=True, text=True, timeout=1800)
    return done.stdout + done.stderr


def main(dccsim, python, bless):
    text = PAGE.read_text()
    work = Path(tempfile.mkdtemp(prefix="dccsim-first-hour."))
    shutil.copytree(ROOT / "scenarios", work / "scenarios")
    (work / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "requirements.txt", work / "notebooks")
    last_output, checked, failures, replacements = None, 0, [], []
    for info, body, directive, start, end in blocks(text):
        kind, arg = directive or (None, None)
        if kind == "skip":
            last_output = None
        elif kind == "file":
            (work / arg).write_text(body)
        elif kind == "edit":
            edit(work / arg, body)
        elif info == "sh":
            for command in body.strip().split("\n"):
                last_output = run(command, work, dccsim, python)
        elif info == "text" and last_output is not None:
            checked += 1
            if bless:
                replacements.append((start, end, last_output.strip("\n") + "\n"))
            elif normalise(body) != normalise(last_output):
                failures.append(f"--- the page shows:\n{body}--- the command printed:\n{last_output}")
            last_output = None
    if bless:
        for start, end, new in reversed(replacements):
            text = text[:start] + new + text[end:]
        PAGE.write_text(text)
    shutil.rmtree(work)
    if failures:
        sys.exit(f"first_hour: {len(failures)} of {checked} outputs differ from docs/first-hour.md:\n\n"
                 + "\n".join(failures))
    print(f"first_hour: the {checked} outputs shown in docs/first-hour.md are what its commands print"
          + (" (blessed)" if bless else ""))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--bless"]
    if len(args) != 2:
        sys.exit(__doc__)
    main(str(Path(args[0]).resolve()), str(Path(args[1]).absolute()), "--bless" in sys.argv)
