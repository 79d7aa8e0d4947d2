//! `dccsim run --mpi`: under `mpirun` it writes what one process writes (feature
//! `mpi`; CI installs Open MPI and runs it), and it refuses what it cannot split.

use super::*;

/// Every file of a run folder, by path, with the manifest's fields that describe
/// the machine rather than the results left out.
#[cfg(feature = "mpi")]
fn folder_contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            let mut bytes = fs::read(&path).unwrap();
            if name == "manifest.json" {
                let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                for key in ["wall_s", "threads", "dccsim_version", "scenario_file", "program", "commit", "created"] {
                    m.as_object_mut().unwrap().remove(key);
                }
                bytes = serde_json::to_vec(&m).unwrap();
            }
            files.push((name, bytes));
        }
    }
    files.sort();
    files
}

#[cfg(feature = "mpi")]
#[test]
fn a_run_over_mpi_ranks_writes_what_one_process_writes() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let scenario = scenario.to_str().unwrap();
    let one = sb.path("one");
    let o = sb.dccsim(&["run", scenario, "--threads", "1", "--quiet", "--out", one.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = folder_contents(&one);
    assert!(expected.len() > 8, "a real run folder: {:?}", expected.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ranks in ["1", "2", "3"] {
        let out = sb.path(&format!("ranks{ranks}"));
        let o = Command::new("mpirun")
            .args(["-n", ranks, env!("CARGO_BIN_EXE_dccsim"), "run", scenario, "--mpi", "--threads", "1", "--quiet"])
            .args(["--out", out.to_str().unwrap()])
            .envs([
                ("OMPI_ALLOW_RUN_AS_ROOT", "1"),
                ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"),
                ("OMPI_MCA_rmaps_base_oversubscribe", "1"),
                ("OMPI_MCA_btl_vader_single_copy_mechanism", "none"),
                ("OMPI_MCA_pml", "ob1"),
                ("OMPI_MCA_btl", "self,vader"),
            ])
            .current_dir(sb.path(""))
            .output()
            .expect("mpirun runs (is Open MPI installed?)");
        assert!(o.status.success(), "{ranks} ranks: {}", stderr(&o));
        let got = folder_contents(&out);
        let names = |f: &[(String, Vec<u8>)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&got), names(&expected), "{ranks} ranks");
        for ((name, a), (_, b)) in got.iter().zip(&expected) {
            assert!(a == b, "{ranks} ranks: {name} differs");
        }
    }
}

#[test]
fn a_rollout_study_is_not_split() {
    let sb = Sandbox::new();
    let rollout = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/rollout_to_2030.toml");
    let o = sb.dccsim(&["run", rollout, "--mpi"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("a rollout study runs in one process"), "{}", stderr(&o));
}

#[cfg(not(feature = "mpi"))]
#[test]
fn mpi_without_mpi_in_the_build_is_bad_input_and_writes_nothing() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let o = sb.dccsim(&["run", scenario.to_str().unwrap(), "--mpi"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("built without MPI; allowed: a build with `--features mpi`"), "{}", stderr(&o));
    assert!(!sb.path("output").exists(), "nothing may be written");
}
