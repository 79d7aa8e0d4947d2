//! Failures as a user meets them: each kind has its exit code (2 bad input, 3 will
//! not fit, 4 cannot write output) and a message that says what, where and what is
//! allowed; nothing is left half-written.

use std::fs;

use super::{SMALL, SWEEP, Sandbox, stderr};

#[test]
fn a_missing_file_is_a_clear_error() {
    let sb = Sandbox::new();
    let o = sb.dccsim(&["run", "nope.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.toml: cannot read the scenario file"), "{}", stderr(&o));
}

#[test]
fn an_unrelated_output_folder_is_never_replaced() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    fs::create_dir(sb.path("mine")).unwrap();
    fs::write(sb.path("mine/notes.txt"), "keep me").unwrap();
    let o = sb.dccsim(&["run", scenario.to_str().unwrap(), "--quiet", "--out", "mine"]);
    assert_eq!(o.status.code(), Some(4), "cannot write output");
    assert!(stderr(&o).contains("is not a dccsim run folder"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(sb.path("mine/notes.txt")).unwrap(), "keep me");
    let names: Vec<_> = fs::read_dir(sb.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "no partial folder is left behind: {names:?}");
}

#[test]
fn a_study_too_big_for_memory_is_refused_with_its_estimate_and_nothing_written() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let run = ["run", scenario.to_str().unwrap(), "--quiet"];
    let o = sb.dccsim_with(&run, &[("DCCSIM_MEMORY_LIMIT_BYTES", "50000000")]);
    assert_eq!(o.status.code(), Some(3), "will not fit");
    let err = stderr(&o);
    assert!(err.contains("needs an estimated") && err.contains("GiB of rows waiting to be written"), "{err}");
    assert!(err.contains("more than 80% of the 0.05 GiB available"), "{err}");
    assert!(!sb.path("output").exists(), "nothing may be written");
    let o = sb.dccsim_with(&run, &[("DCCSIM_MEMORY_LIMIT_BYTES", "lots")]);
    assert_eq!(o.status.code(), Some(2), "a bad limit is bad input");
    let err = stderr(&o);
    assert!(err.contains("DCCSIM_MEMORY_LIMIT_BYTES: \"lots\" is not a whole number of bytes"), "{err}");
    // With room to spare the same study runs.
    let o = sb.dccsim_with(&run, &[("DCCSIM_MEMORY_LIMIT_BYTES", "50000000000")]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_sweep_too_big_for_memory_exits_3_before_running() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("sweep.toml", SWEEP);
    let o = sb.dccsim_with(
        &["sweep", scenario.to_str().unwrap(), "--quiet", "--threads", "4"],
        &[("DCCSIM_MEMORY_LIMIT_BYTES", "1000")],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("× 4 runs at once"), "{}", stderr(&o));
    assert!(!sb.path("output").exists(), "nothing may be written");
}

#[test]
fn an_output_folder_under_a_file_exits_4_and_names_the_path() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    fs::write(sb.path("taken"), "a file, not a folder").unwrap();
    let o = sb.dccsim(&["run", scenario.to_str().unwrap(), "--quiet", "--out", "taken/run"]);
    assert_eq!(o.status.code(), Some(4));
    let err = stderr(&o);
    assert!(err.contains("cannot write the outputs: taken: a file, where a folder is needed"), "{err}");
    assert!(err.contains("--out"), "{err}");
    assert_eq!(fs::read_to_string(sb.path("taken")).unwrap(), "a file, not a folder");
}

/// Runs dccsim with `args` in the sandbox (no memory limit), sends it `signal`
/// (`-INT`, `-TERM`) after 2 s, and waits for it.
fn signalled_after_2_s(sb: &Sandbox, args: &[&str], signal: &str) -> std::process::Output {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_dccsim"))
        .args(args)
        .env("DCCSIM_MEMORY_LIMIT_BYTES", u64::MAX.to_string())
        .current_dir(sb.path("."))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("dccsim starts");
    std::thread::sleep(std::time::Duration::from_secs(2));
    let sent = std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    child.wait_with_output().unwrap()
}

/// Ctrl-C or SIGTERM during a run: it stops at its next barrier, keeps the rows
/// that ended before it, marks the folder `interrupted` with how far it got, writes
/// no figures, and exits 130.
#[test]
fn an_interrupted_run_keeps_its_rows_marked_interrupted_and_exits_130() {
    let sb = Sandbox::new();
    // Three weeks of reads: far longer than the test waits.
    let file = sb.scenario("long.toml", &[("horizon_s = 3600.0", "horizon_s = 1814400.0")]);
    for signal in ["-INT", "-TERM"] {
        let o = signalled_after_2_s(&sb, &["run", file.to_str().unwrap(), "--out", "run", "--quiet"], signal);
        assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
        assert!(stderr(&o).contains("interrupted at") && stderr(&o).contains("\"interrupted\""), "{}", stderr(&o));
        let manifest: serde_json::Value =
            serde_json::from_slice(&fs::read(sb.path("run/manifest.json")).unwrap()).unwrap();
        assert_eq!(manifest["status"], "interrupted", "{signal}");
        let reached_s = manifest["simulated_end_s"].as_f64().unwrap();
        assert!(reached_s > 0.0 && reached_s < 1_814_400.0, "{reached_s}");
        assert!(!sb.path("run/summary.json").exists(), "no figures for a run cut short");
        let rows = super::read_parquet(&sb.path("run/service_requests"));
        assert!(rows.height() > 0, "the rows that ended before the stop were kept");
        let submitted = rows.column("submitted_s").unwrap().f64().unwrap().into_no_null_iter().fold(0.0, f64::max);
        assert!(submitted <= reached_s, "no row from after the stop");
        let listed = manifest["files"].as_array().unwrap().len();
        let parts = super::tables::part_files(&sb.path("run/service_requests")).len();
        assert_eq!(listed, parts + 1, "the part files and the resolved scenario");
        assert!(sb.path("run/scenario.resolved.toml").exists());
        let left: Vec<_> = fs::read_dir(sb.path(".")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "the scenario and the run folder, no staging or lock left: {left:?}");
    }
}

/// A path that is not a scenario file is refused before anything is read from it:
/// a device that never ends, a pipe that would block, a folder, a file too large.
#[test]
fn paths_that_are_not_scenario_files_are_refused_without_reading_them() {
    let sb = Sandbox::new();
    let fifo = sb.path("pipe.toml");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let huge = sb.path("huge.toml");
    fs::write(&huge, vec![b'#'; 5 << 20]).unwrap();
    for (path, why) in [
        ("/dev/zero".to_string(), "device, pipe or socket"),
        (fifo.display().to_string(), "device, pipe or socket"),
        (".".to_string(), "folder"),
        (huge.display().to_string(), "holds 5242880 bytes"),
    ] {
        for command in ["check", "run"] {
            let o = sb.dccsim(&[command, &path]);
            assert_eq!(o.status.code(), Some(2), "{command} {path}: {}", stderr(&o));
            let e = stderr(&o);
            assert!(
                e.contains("not a scenario file") && e.contains(why) && e.contains("allowed: a regular TOML file"),
                "{e}"
            );
        }
    }
}

/// A process id that no longer exists: a child that has exited.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// A second run aimed at a folder that a living dccsim is writing is refused before
/// it simulates anything, naming the holder; the holder's lock is left alone.
#[test]
fn a_folder_being_written_is_refused_to_a_second_run() {
    let sb = Sandbox::new();
    let file = sb.scenario("small.toml", SMALL);
    let me = std::process::id();
    fs::write(sb.path(".run.lock"), me.to_string()).unwrap();
    let o = sb.dccsim(&["-v", "run", file.to_str().unwrap(), "--out", "run", "--quiet"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains(&format!("another dccsim (process {me}) is writing")), "{e}");
    assert!(!e.contains("run starting"), "the folder is checked before the simulation: {e}");
    assert!(sb.path(".run.lock").is_file() && !sb.path("run").exists());
}

/// What a killed run left (its lock, its staging folder) is removed by the next
/// run, which says so; a folder that is not a run's is refused before simulating.
#[test]
fn leftovers_of_dead_runs_are_removed_and_unrelated_folders_refused_early() {
    let sb = Sandbox::new();
    let file = sb.scenario("small.toml", SMALL);
    let dead = dead_pid();
    fs::write(sb.path(".run.lock"), dead.to_string()).unwrap();
    fs::create_dir(sb.path(&format!(".run.partial-{dead}"))).unwrap();
    fs::write(sb.path(&format!(".run.partial-{dead}/service_requests.parquet")), "half").unwrap();
    let o = sb.dccsim(&["run", file.to_str().unwrap(), "--out", "run", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).matches("note: removing").count() == 2, "{}", stderr(&o));
    let mut left: Vec<String> =
        fs::read_dir(sb.path(".")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    left.sort();
    assert_eq!(left, ["run", "small.toml"]);

    fs::create_dir(sb.path("thesis")).unwrap();
    fs::write(sb.path("thesis/chapter1.tex"), "precious").unwrap();
    let o = sb.dccsim(&["-v", "run", file.to_str().unwrap(), "--out", "thesis", "--quiet"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(!stderr(&o).contains("run starting"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(sb.path("thesis/chapter1.tex")).unwrap(), "precious");
}

/// The memory guard checks every point of a sweep: a base scenario that fits says
/// nothing of a point with many more premises.
#[test]
fn a_sweep_point_too_big_for_memory_is_named_before_anything_runs() {
    let sb = Sandbox::new();
    let sweep = "on_demand_trt_s = 30.0\n\n[sweep]\nreplications = 1\n\n[sweep.parameters]\n\
                 \"population.premises\" = [5000, 40000000]\n";
    let edits = [
        ("premises = 100_000", "premises = 5_000"),
        ("horizon_s = 3600.0", "horizon_s = 120.0"),
        ("on_demand_trt_s = 30.0", sweep),
    ];
    let scenario = sb.scenario("sweep.toml", &edits);
    let limit = [("DCCSIM_MEMORY_LIMIT_BYTES", "200000000")];
    let o = sb.dccsim_with(&["run", scenario.to_str().unwrap(), "--quiet", "--out", "base"], &limit);
    assert!(o.status.success(), "the base scenario fits: {}", stderr(&o));
    let o = sb.dccsim_with(&["sweep", scenario.to_str().unwrap(), "--quiet", "--threads", "1", "--out", "s"], &limit);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("sweep point 1 (population.premises = 40000000)"), "{}", stderr(&o));
    assert!(!sb.path("s").exists(), "nothing may be written");
}

/// A disk that fills during the run: exit 4 naming the cause, and no folder, staging
/// folder or lock left that could pass for a result. Needs a small tmpfs, which only
/// root may mount: elsewhere the test says so and checks nothing.
#[test]
fn a_full_disk_exits_4_and_leaves_no_folder() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let disk = sb.path("disk");
    fs::create_dir(&disk).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=300k", "tmpfs", disk.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("a_full_disk_exits_4_and_leaves_no_folder: cannot mount a tmpfs here (not root); not checked");
        return;
    }
    let out = disk.join("run");
    let o = sb.dccsim(&["run", scenario.to_str().unwrap(), "--quiet", "--out", out.to_str().unwrap()]);
    let left: Vec<_> = fs::read_dir(&disk).unwrap().map(|e| e.unwrap().file_name()).collect();
    let _ = std::process::Command::new("umount").arg(&disk).status();
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("No space left on device"), "{}", stderr(&o));
    assert!(left.is_empty(), "nothing left on the full disk: {left:?}");
}

/// Ctrl-C during a sweep: every run stops at its next barrier, none starts, the
/// sweep exits 130 saying how far it got, and leaves no folder and no lock: only
/// the journal of the runs it finished, beside where the folder would be. The same
/// command with `--resume` runs only the rest; another sweep is refused the journal.
#[test]
fn an_interrupted_sweep_exits_130_leaves_no_folder_and_resumes_where_it_stopped() {
    let sb = Sandbox::new();
    // Point 0 runs two minutes; point 1 three weeks, far longer than the test waits.
    // On one thread the jobs run in order, so point 0's two runs finish first.
    let mut edits = SWEEP.to_vec();
    edits[2] = (
        "on_demand_trt_s = 30.0",
        "on_demand_trt_s = 30.0\n\n[sweep]\nreplications = 2\n\n[sweep.parameters]\n\"scenario.horizon_s\" = [120.0, 1814400.0]\n",
    );
    let file = sb.scenario("long_sweep.toml", &edits);
    let args = ["sweep", file.to_str().unwrap(), "--out", "sweep", "--quiet", "--threads", "1"];
    let o = signalled_after_2_s(&sb, &args, "-INT");
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(stderr(&o).contains("interrupted after 2 of 4 runs; no folder was written"), "{}", stderr(&o));
    let mut left: Vec<_> = fs::read_dir(sb.path(".")).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, [".sweep.sweep-journal", "long_sweep.toml"], "no folder, staging folder or lock");
    let journal = fs::read_to_string(sb.path(".sweep.sweep-journal")).unwrap();
    assert_eq!(journal.lines().count(), 3, "a header and the two finished runs: {journal}");

    let resumed = signalled_after_2_s(&sb, &[&args[..], &["--resume"]].concat(), "-INT");
    assert_eq!(resumed.status.code(), Some(130), "{}", stderr(&resumed));
    assert!(stderr(&resumed).contains("resuming: 2 of 4 runs were done; running the other 2"), "{}", stderr(&resumed));
    assert_eq!(fs::read_to_string(sb.path(".sweep.sweep-journal")).unwrap(), journal, "nothing run twice or lost");

    let other = sb.dccsim(&[&args[..], &["--resume", "--seed", "5"]].concat());
    assert_eq!(other.status.code(), Some(2), "{}", stderr(&other));
    assert!(stderr(&other).contains("the journal there is of another sweep"), "{}", stderr(&other));
    assert_eq!(fs::read_to_string(sb.path(".sweep.sweep-journal")).unwrap(), journal, "kept for its own sweep");
}
