"""Tests of the dccsim Python package against the real binary (found as
``dccsim.find_binary`` finds it: set ``DCCSIM`` to the binary to be sure which one).

Run from the repository root, with the package installed:
``python -m unittest discover -s python/tests -v``. The runs are small (five
simulated minutes of the quickstart) so that the whole file takes seconds."""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

import polars as pl

import dccsim
from dccsim._toml import set_arguments, toml_value

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
QUICKSTART = REPO / "scenarios" / "quickstart.toml"
SWEEP = REPO / "scenarios" / "dsp_capacity_sweep.toml"
ROLLOUT = REPO / "scenarios" / "rollout_history.toml"
SHORT = {"scenario.horizon_s": 300.0}
"""Five simulated minutes of submissions: about 6,000 requests."""


def remove_later(case: type[unittest.TestCase] | unittest.TestCase, folder: dccsim.Folder) -> None:
    """Removes the temporary folder that ``dccsim.run`` or ``dccsim.sweep`` made
    for ``folder`` once the test (or the test class) is done."""
    add = case.addClassCleanup if isinstance(case, type) else case.addCleanup
    add(shutil.rmtree, folder.path.parent)


def parts(run: dccsim.Folder, table: str) -> dict[str, bytes]:
    """The bytes of each part file of a row table, by file name."""
    return {part.name: part.read_bytes() for part in sorted((run.path / table).glob("*.parquet"))}


class TomlValueTest(unittest.TestCase):
    """Python values become TOML values that TOML reads back as the same values."""

    def assertRoundTrips(self, value: Any) -> None:
        self.assertEqual(tomllib.loads(f"x = {toml_value(value)}")["x"], value)

    def test_scalars(self) -> None:
        self.assertEqual(toml_value(True), "true")  # bool is an int subclass: not "1"
        self.assertEqual(toml_value(False), "false")
        self.assertEqual(toml_value(48), "48")  # an int stays an integer: dsp.servers refuses 48.0
        self.assertEqual(toml_value(300.0), "300.0")
        self.assertEqual(toml_value(1e20), "1e+20")
        for value in (0, -7, 2**63 - 1, 0.1, -2.5e-07, 1e300, True):
            self.assertRoundTrips(value)

    def test_strings_are_escaped(self) -> None:
        self.assertEqual(toml_value('a "b" c:\\d'), '"a \\"b\\" c:\\\\d"')
        self.assertEqual(toml_value("line\nnext\ttab"), '"line\\nnext\\ttab"')
        for value in ('quote " and \\ backslash', "new\nline\r\n", "bell\x07 del\x7f nul\x00", "Ynys Môn ✓", ""):
            self.assertRoundTrips(value)

    def test_nested_arrays_and_tables(self) -> None:
        value = {"kind": "lognormal", "median_s": 0.8, "list": [1, [2, "x"], {"y z": False}], "empty": {}}
        self.assertEqual(
            toml_value(value),
            '{ kind = "lognormal", median_s = 0.8, list = [1, [2, "x"], { "y z" = false }], empty = {} }',
        )
        self.assertRoundTrips(value)
        self.assertEqual(toml_value(("AD1", "8F36")), '["AD1", "8F36"]')

    def test_non_finite_and_untyped_values_are_refused(self) -> None:
        for value in (math.nan, math.inf, -math.inf):
            with self.assertRaises(ValueError):
                toml_value(value)
        for value in (None, b"bytes", {1: "non-string key"}, {"a": None}):
            with self.assertRaises(TypeError):
                toml_value(value)

    def test_set_arguments(self) -> None:
        self.assertEqual(
            set_arguments({"dsp.servers": 48, "scenario.name": "q"}),
            ["--set", "dsp.servers=48", "--set", 'scenario.name="q"'],
        )
        for key in ("", "a=b", 3):
            with self.assertRaises(TypeError):
                set_arguments({key: 1})


class BinaryTest(unittest.TestCase):
    def test_a_missing_binary_says_how_to_build_it(self) -> None:
        with self.assertRaises(dccsim.BinaryNotFoundError) as caught:
            dccsim.run(QUICKSTART, binary="/nonexistent")
        self.assertIsInstance(caught.exception, dccsim.DccsimError)
        self.assertIsNone(caught.exception.exit_code)
        self.assertIn("/nonexistent", str(caught.exception))
        self.assertIn("cargo build --release", str(caught.exception))
        self.assertIn("DCCSIM", str(caught.exception))

    def test_the_environment_variable_is_not_skipped_when_wrong(self) -> None:
        with mock.patch.dict(os.environ, {"DCCSIM": "/nonexistent/dccsim"}):  # noqa: SIM117 (Python 3.9)
            with self.assertRaisesRegex(dccsim.BinaryNotFoundError, "DCCSIM='/nonexistent/dccsim'"):
                dccsim.find_binary()


class CommandLineTest(unittest.TestCase):
    """The arguments given to the binary, and its exit codes, with a stand-in
    binary that records its arguments in the sweep folder it writes and exits 1,
    as ``dccsim sweep`` does when some of its runs failed."""

    FAILED: ClassVar[list[dict[str, Any]]] = [
        {"point": 1, "replication": 0, "message": "panicked at src/x.rs:1:2: boom"},
    ]

    def setUp(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="dccsim-test-"))
        self.addCleanup(shutil.rmtree, folder)
        self.binary = folder / "dccsim"
        self.binary.write_text(
            f"#!{sys.executable}\n"
            "import json, pathlib, sys\n"
            "out = pathlib.Path(sys.argv[sys.argv.index('--out') + 1])\n"
            "out.mkdir(parents=True)\n"
            "manifest = {'kind': 'sweep', 'status': 'complete', 'scenario': 'stand_in', 'seed': 3,\n"
            f"            'failed': {self.FAILED!r}, 'files': [], 'argv': sys.argv[1:]}}\n"
            "(out / 'manifest.json').write_text(json.dumps(manifest))\n"
            "print('error: 1 of 4 runs failed', file=sys.stderr)\n"
            "sys.exit(1)\n",
            encoding="utf-8",
        )
        self.binary.chmod(0o755)
        self.out = folder / "sweep"

    def test_a_sweep_with_failed_runs_is_returned_with_them(self) -> None:
        with self.assertWarnsRegex(UserWarning, "1 of 4 runs failed"):
            sweep = dccsim.sweep(
                "s.toml",
                replications=2,
                seed=3,
                scale=0.5,
                threads=1,
                resume=True,
                set={"dsp.servers": 8, "scenario.name": "x y"},
                out=self.out,
                binary=self.binary,
            )
        self.assertEqual(sweep.failed, self.FAILED)
        self.assertEqual(
            sweep.manifest["argv"],
            [
                "sweep",
                "s.toml",
                "--out",
                str(self.out),
                "--replications",
                "2",
                "--resume",
                "--seed",
                "3",
                "--scale",
                "0.5",
                "--threads",
                "1",
                "--set",
                "dsp.servers=8",
                "--set",
                'scenario.name="x y"',
                "--progress",
                "none",
            ],
        )

    def test_exit_code_1_is_an_error_for_a_run(self) -> None:
        with self.assertRaises(dccsim.DccsimError) as caught:
            dccsim.run("s.toml", out=self.out, binary=self.binary, on_progress=lambda line: None)
        self.assertEqual(caught.exception.exit_code, 1)
        self.assertEqual(caught.exception.message, "error: 1 of 4 runs failed")
        self.assertEqual(caught.exception.command[-2:], ("--progress", "json"))


class RunTest(unittest.TestCase):
    """One small quickstart run, seed and DSP servers overridden, watched through
    its progress lines."""

    quick: dccsim.Run
    progress: list[dict[str, Any]]

    @classmethod
    def setUpClass(cls) -> None:
        cls.progress = []
        run = dccsim.run(QUICKSTART, seed=7, set={"dsp.servers": 48, **SHORT}, on_progress=cls.progress.append)
        assert isinstance(run, dccsim.Run), run
        remove_later(cls, run)
        cls.quick = run

    def test_service_requests_has_one_row_per_submitted_request(self) -> None:
        requests = self.quick.service_requests
        self.assertIsInstance(requests, pl.LazyFrame)
        overall = self.quick.summary["trt"][0]
        self.assertEqual(overall["group"], "overall")
        # Every submitted request has one row, whatever its outcome.
        outcomes = requests.group_by("outcome").len().collect()
        self.assertEqual(dict(outcomes.iter_rows()).get("responded"), overall["responded"])
        self.assertEqual(outcomes["len"].sum(), overall["submitted"])
        self.assertEqual(
            overall["submitted"],
            overall["responded"] + overall["unfinished"] + overall["rejected"] + overall["failed"],
        )
        self.assertGreater(overall["submitted"], 1000)

    def test_single_file_tables_are_data_frames(self) -> None:
        self.assertIsInstance(self.quick.stages, pl.DataFrame)
        self.assertEqual(self.quick.stages["stage"].unique(maintain_order=True).to_list()[:2], ["user_gateway", "dsp"])
        self.assertIsInstance(self.quick.table("service_requests", lazy=False), pl.DataFrame)
        self.assertIsInstance(self.quick.table("stages", lazy=True), pl.LazyFrame)
        self.assertEqual(self.quick.tables[0], "service_requests")
        self.assertIn("performance", self.quick.tables)

    def test_unknown_tables_list_the_known_ones(self) -> None:
        with self.assertRaisesRegex(AttributeError, "no attribute or table 'nope'.*service_requests"):
            _ = self.quick.nope
        with self.assertRaisesRegex(KeyError, "no table 'nope'.*stages"):
            self.quick.table("nope")

    def test_seed_and_overrides_reach_the_run(self) -> None:
        self.assertEqual(self.quick.seed, 7)
        self.assertEqual(self.quick.manifest["seed"], 7)
        self.assertEqual(self.quick.scenario["scenario"]["seed"], 7)
        self.assertEqual(self.quick.scenario["dsp"]["servers"], 48)
        self.assertEqual(self.quick.scenario["scenario"]["horizon_s"], 300.0)
        dsp = next(stage for stage in self.quick.summary["stages"] if stage["stage"] == "dsp")
        self.assertEqual(dsp["servers"], 48)

    def test_scale_reaches_the_run(self) -> None:
        scaled = dccsim.run(QUICKSTART, scale=0.0005, set=SHORT)
        remove_later(self, scaled)
        # The resolved scenario records the scale as premises: 0.0005 of GB's 29.9 M.
        self.assertEqual(scaled.scenario["population"]["premises"], 14_950)
        self.assertEqual(self.quick.scenario["population"]["premises"], 100_000)
        self.assertNotEqual(scaled.path, self.quick.path)

    def test_the_default_folder_is_new_and_temporary(self) -> None:
        path = self.quick.path
        self.assertEqual(path.name, "run")
        self.assertTrue(path.parent.name.startswith("dccsim-"))
        self.assertEqual(path.parent.parent, Path(tempfile.gettempdir()))
        self.assertEqual(self.quick.manifest["status"], "complete")
        self.assertIsNotNone(self.quick.report)
        self.assertIn(f"Outputs in {path}", self.quick.text)
        self.assertIn("<Run 'quickstart' seed=7 at", repr(self.quick))

    def test_the_same_call_writes_the_same_bytes(self) -> None:
        again = dccsim.run(QUICKSTART, seed=7, set={"dsp.servers": 48, **SHORT})
        remove_later(self, again)
        self.assertNotEqual(again.path, self.quick.path)
        first = parts(self.quick, "service_requests")
        self.assertTrue(first)
        self.assertEqual(parts(again, "service_requests"), first)
        self.assertEqual(again.summary, self.quick.summary)

    def test_progress_goes_simulate_write_done(self) -> None:
        phases = " ".join(line["phase"] for line in self.progress)
        self.assertRegex(phases, r"^(simulate )*(write )+done$")
        self.assertEqual(self.progress[-1]["out"], str(self.quick.path))
        self.assertTrue(all(line["wall_s"] >= 0 for line in self.progress))


class ErrorTest(unittest.TestCase):
    def test_an_out_of_range_value_is_bad_input(self) -> None:
        with self.assertRaises(dccsim.DccsimError) as caught:
            dccsim.run(QUICKSTART, set={"dsp.servers": -1})
        self.assertEqual(caught.exception.exit_code, 2)
        self.assertIn("dsp.servers", caught.exception.message)
        self.assertTrue(caught.exception.message.startswith("error: "))
        self.assertIn("dsp.servers=-1", caught.exception.command)

    def test_a_failed_run_leaves_no_temporary_folder(self) -> None:
        with tempfile.TemporaryDirectory() as private, mock.patch.object(tempfile, "tempdir", private):
            with self.assertRaises(dccsim.DccsimError):
                dccsim.run(QUICKSTART, set={"dsp.servers": 0})
            self.assertEqual(os.listdir(private), [])

    def test_resume_needs_the_folder(self) -> None:
        with self.assertRaisesRegex(ValueError, "give its folder as out"):
            dccsim.sweep(SWEEP, resume=True)

    def test_a_missing_scenario_is_bad_input(self) -> None:
        with self.assertRaises(dccsim.DccsimError) as caught:
            dccsim.run(REPO / "scenarios" / "no_such_scenario.toml")
        self.assertEqual(caught.exception.exit_code, 2)
        self.assertIn("no_such_scenario.toml", caught.exception.message)

    def test_an_unwritable_folder_is_an_output_error(self) -> None:
        with self.assertRaises(dccsim.DccsimError) as caught:
            dccsim.run(QUICKSTART, set=SHORT, out="/proc/dccsim-run")
        self.assertEqual(caught.exception.exit_code, 4)


class SweepTest(unittest.TestCase):
    def test_a_small_sweep(self) -> None:
        progress: list[dict[str, Any]] = []
        sweep = dccsim.sweep(SWEEP, replications=2, set={"scenario.horizon_s": 600.0}, on_progress=progress.append)
        remove_later(self, sweep)
        values = tomllib.loads(SWEEP.read_text(encoding="utf-8"))["sweep"]["parameters"]["dsp.servers"]
        self.assertIsInstance(sweep, dccsim.Sweep)
        self.assertEqual(sweep.points.height, len(values))
        self.assertEqual(sweep.points["dsp.servers"].to_list(), [str(v) for v in values])
        self.assertEqual(sweep.replications.height, 2 * len(values))
        self.assertEqual(sweep.replications["status"].unique().to_list(), ["ok"])
        self.assertEqual(sweep.failed, [])
        self.assertEqual(sweep.tables, ["replications", "sweep"])
        self.assertIsNone(sweep.summary)
        self.assertIn("6 runs", sweep.text)
        sweeping = [line for line in progress if line["phase"] == "sweep"]
        self.assertEqual((sweeping[-1]["runs_done"], sweeping[-1]["runs"]), (6, 6))
        self.assertEqual(progress[-1]["phase"], "done")
        self.assertIsInstance(dccsim.open(sweep.path), dccsim.Sweep)


class OpenTest(unittest.TestCase):
    def test_each_kind_opens_as_its_class(self) -> None:
        run = dccsim.run(QUICKSTART, set=SHORT)
        rollout = dccsim.run(ROLLOUT)
        remove_later(self, run)
        remove_later(self, rollout)
        self.assertIsInstance(rollout, dccsim.Rollout)
        self.assertIsInstance(rollout.rollout, pl.DataFrame)
        self.assertEqual(rollout.rollout["month"].n_unique(), rollout.manifest["months"])
        for folder, kind in ((run, dccsim.Run), (rollout, dccsim.Rollout)):
            opened = dccsim.open(folder.path)
            self.assertIs(type(opened), kind)
            self.assertEqual(opened.manifest, folder.manifest)
            self.assertIsNone(opened.text)

    def test_a_folder_without_manifest_is_refused(self) -> None:
        with tempfile.TemporaryDirectory() as empty:
            with self.assertRaisesRegex(FileNotFoundError, "no manifest.json"):
                dccsim.open(empty)
            with self.assertRaisesRegex(FileNotFoundError, "does not exist"):
                dccsim.open(Path(empty) / "missing")

    def test_an_interrupted_run_is_refused(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="dccsim-test-"))
        self.addCleanup(shutil.rmtree, folder)
        out = folder / "run"

        def interrupt(line: dict[str, Any]) -> None:
            if line["phase"] == "simulate":
                raise KeyboardInterrupt

        # A simulated day, stopped as Ctrl-C would at its first progress line: the
        # CLI stops at its next barrier and keeps the rows so far.
        with self.assertRaises(KeyboardInterrupt):
            dccsim.run(QUICKSTART, set={"scenario.horizon_s": 86400.0}, out=out, on_progress=interrupt)
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        self.assertEqual(manifest["status"], "interrupted")
        self.assertLess(manifest["simulated_end_s"], 86400.0)
        self.assertTrue(any((out / "service_requests").glob("*.parquet")))
        with self.assertRaisesRegex(ValueError, "interrupted"):
            dccsim.open(out)


if __name__ == "__main__":
    unittest.main()
