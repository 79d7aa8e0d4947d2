//! `dccsim run --mpi`: under `mpirun` it writes what one process writes (feature
//! `mpi`; CI installs Open MPI and runs it), and it refuses what it cannot split.

use super::*;

/// Every file of a run folder, by path, with the manifest's fields that describe
/// the machine rather than the results left out.
#[cfg(feature = "mpi")]
fn folder_contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = files_in(dir);
    for (name, bytes) in &mut files {
        if name == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            for key in ["wall_s", "threads", "dccsim_version", "scenario_file", "program", "commit", "created"] {
                m.as_object_mut().unwrap().remove(key);
            }
            *bytes = serde_json::to_vec(&m).unwrap();
        }
    }
    files
}

/// `mpirun -n RANKS dccsim ARGS…`, as root in a container without network
/// hardware (see .ci/run).
#[cfg(feature = "mpi")]
fn mpirun(sb: &Sandbox, ranks: &str, args: &[&str]) -> Output {
    Command::new("mpirun")
        .args(["-n", ranks, env!("CARGO_BIN_EXE_dccsim")])
        .args(args)
        .envs(sim_mpi::OPEN_MPI_IN_A_CONTAINER)
        .current_dir(sb.path(""))
        .output()
        .expect("mpirun runs (is Open MPI installed?)")
}

/// The quickstart (two DSP shards), the substation trip and supplier switching at
/// 0.2 % of GB (two shards; switches' updates and devices' refusals cross ranks),
/// on 1 to 4 ranks: every file as one process writes it. Under a launcher, `--mpi`
/// may be left out.
#[cfg(feature = "mpi")]
#[test]
fn a_run_over_mpi_ranks_writes_what_one_process_writes() {
    let sb = Sandbox::new();
    let quickstart = sb.scenario("small.toml", SMALL);
    let trip = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/substation_trip.toml");
    let switching = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/supplier_switching.toml");
    let small: &[&str] = &["--scale", "0.002", "--set", "dsp.shards=2"];
    let studies =
        [(quickstart.to_str().unwrap(), &[][..]), (trip.to_str().unwrap(), &[]), (switching.to_str().unwrap(), small)];
    for (scenario, extra) in studies {
        let one = sb.path("one");
        let _ = fs::remove_dir_all(&one);
        let mut args = vec!["run", scenario, "--threads", "1", "--quiet", "--out", one.to_str().unwrap()];
        args.extend(extra);
        let o = sb.dccsim(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let expected = folder_contents(&one);
        assert!(expected.len() > 8, "a real run folder: {:?}", expected.iter().map(|f| &f.0).collect::<Vec<_>>());
        for ranks in ["1", "2", "3", "4"] {
            let out = sb.path(&format!("ranks{ranks}"));
            let _ = fs::remove_dir_all(&out);
            let mut args = vec!["run", scenario, "--threads", "1", "--quiet", "--out", out.to_str().unwrap()];
            args.extend(extra);
            if ranks == "1" {
                args.push("--mpi");
            }
            let o = mpirun(&sb, ranks, &args);
            assert!(o.status.success(), "{scenario}, {ranks} ranks: {}", stderr(&o));
            let got = folder_contents(&out);
            let names = |f: &[(String, Vec<u8>)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
            assert_eq!(names(&got), names(&expected), "{scenario}, {ranks} ranks");
            for ((name, a), (_, b)) in got.iter().zip(&expected) {
                assert!(a == b, "{scenario}, {ranks} ranks: {name} differs");
            }
        }
    }
}

/// Ranks given different studies stop, all of them, saying so; nothing is written.
#[cfg(feature = "mpi")]
#[test]
fn ranks_given_different_studies_all_stop() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let out = sb.path("mixed");
    // Open MPI's rank variable lets each rank pick a seed of its own.
    let script = format!(
        "exec {} run {} --seed $((OMPI_COMM_WORLD_RANK + 1)) --quiet --out {}",
        env!("CARGO_BIN_EXE_dccsim"),
        scenario.display(),
        out.display()
    );
    let o = Command::new("mpirun")
        .args(["-n", "2", "sh", "-c", &script])
        .envs(sim_mpi::OPEN_MPI_IN_A_CONTAINER)
        .output()
        .expect("mpirun runs");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("the MPI ranks were given different studies"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing may be written");
}

/// `mpirun -n N dccsim sweep`: the ranks share the jobs, and rank 0 writes the
/// folder one process writes, for 1 to 3 ranks (3 ranks with 6 jobs: two each).
#[cfg(feature = "mpi")]
#[test]
fn a_sweep_over_mpi_ranks_writes_what_one_process_writes() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("sweep.toml", SWEEP);
    let file = scenario.to_str().unwrap();
    let one = sb.path("one");
    let o = sb.dccsim(&["sweep", file, "--threads", "1", "--quiet", "--out", one.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = folder_contents(&one);
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert!(names(&expected).contains(&"sweep.parquet".to_string()), "{:?}", names(&expected));
    for ranks in ["1", "2", "3"] {
        let out = sb.path(&format!("ranks{ranks}"));
        let mut args = vec!["sweep", file, "--threads", "1", "--quiet", "--out", out.to_str().unwrap()];
        if ranks == "1" {
            args.push("--mpi");
        }
        let o = mpirun(&sb, ranks, &args);
        assert!(o.status.success(), "{ranks} ranks: {}", stderr(&o));
        assert_eq!(stdout(&o).matches("6 runs; outputs in").count(), 1, "rank 0 alone reports: {}", stdout(&o));
        let got = folder_contents(&out);
        assert_eq!(names(&got), names(&expected), "{ranks} ranks");
        for ((name, a), (_, b)) in got.iter().zip(&expected) {
            assert!(a == b, "{ranks} ranks: {name} differs");
        }
    }
    // Splitting twice, or resuming, is for one process.
    let o = mpirun(&sb, "2", &["sweep", file, "--quiet", "--shard", "0/2", "--out", "x"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--shard: a sweep over 2 MPI ranks is split by the ranks"), "{}", stderr(&o));
}

/// When rank 0 cannot write its folder (here an unrelated folder is in the way),
/// every rank stops, the run and the sweep alike: none is left waiting for it.
/// Rank 0 says why, once, and the job exits with its code.
#[cfg(feature = "mpi")]
#[test]
fn ranks_stop_together_when_rank_0_cannot_write() {
    let sb = Sandbox::new();
    let small = sb.scenario("small.toml", SMALL);
    let sweep = sb.scenario("sweep.toml", SWEEP);
    fs::create_dir(sb.path("mine")).unwrap();
    fs::write(sb.path("mine/notes.txt"), "not a run").unwrap();
    for (command, file) in [("run", &small), ("sweep", &sweep)] {
        let o = mpirun(&sb, "2", &[command, file.to_str().unwrap(), "--quiet", "--out", "mine"]);
        assert_eq!(o.status.code(), Some(4), "{command}: {}", stderr(&o));
        assert_eq!(stderr(&o).matches("is not a dccsim run folder").count(), 1, "{command}: {}", stderr(&o));
        assert_eq!(fs::read_dir(sb.path("mine")).unwrap().count(), 1, "{command}: the folder is untouched");
    }
}

/// When one rank alone finds too little memory (its machine has less), every rank
/// stops before anything runs: that rank says why, with exit 3.
#[cfg(feature = "mpi")]
#[test]
fn ranks_stop_together_when_one_rank_would_not_fit() {
    let sb = Sandbox::new();
    let small = sb.scenario("small.toml", SMALL);
    for command in ["run", "sweep"] {
        let args = [command, small.to_str().unwrap(), "--quiet", "--out", "out"];
        let o = Command::new("mpirun")
            .args(["-n", "1", env!("CARGO_BIN_EXE_dccsim")])
            .args(args)
            .args([":", "-n", "1", "-x", "DCCSIM_MEMORY_LIMIT_BYTES=1000", env!("CARGO_BIN_EXE_dccsim")])
            .args(args)
            .envs(sim_mpi::OPEN_MPI_IN_A_CONTAINER)
            .current_dir(sb.path(""))
            .output()
            .expect("mpirun runs");
        assert_eq!(o.status.code(), Some(3), "{command}: {}", stderr(&o));
        assert_eq!(stderr(&o).matches("needs an estimated").count(), 1, "{command}: {}", stderr(&o));
        assert!(!sb.path("out").exists(), "{command}: nothing is written");
    }
}

/// A build without MPI started as several ranks refuses a sweep too: each rank
/// would run all of it into the same folder.
#[cfg(not(feature = "mpi"))]
#[test]
fn a_sweep_under_several_ranks_without_mpi_in_the_build_is_refused() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let o = sb.dccsim_with(&["sweep", scenario.to_str().unwrap()], &[("OMPI_COMM_WORLD_SIZE", "2")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("started as 2 MPI ranks: this dccsim was built without MPI"), "{}", stderr(&o));
    assert!(!sb.path("output").exists(), "nothing may be written");
}

#[test]
fn a_rollout_study_is_not_split() {
    let sb = Sandbox::new();
    let rollout = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/rollout_to_2030.toml");
    let o = sb.dccsim(&["run", rollout, "--mpi"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("a rollout study runs in one process"), "{}", stderr(&o));
}

/// A build without MPI, asked for it by `--mpi` or started as several ranks, says
/// how to build one; nothing is written.
#[cfg(not(feature = "mpi"))]
#[test]
fn mpi_without_mpi_in_the_build_is_bad_input_and_writes_nothing() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let o = sb.dccsim(&["run", scenario.to_str().unwrap(), "--mpi"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("built without MPI; allowed: a build with `--features mpi`"), "{}", stderr(&o));
    let o = sb.dccsim_with(&["run", scenario.to_str().unwrap()], &[("OMPI_COMM_WORLD_SIZE", "3")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("started as 3 MPI ranks: this dccsim was built without MPI"), "{}", stderr(&o));
    assert!(stderr(&o).contains("cargo build --release --features mpi"), "{}", stderr(&o));
    assert!(!sb.path("output").exists(), "nothing may be written");
}
