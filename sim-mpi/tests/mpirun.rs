//! PHOLD under `mpirun` handles every event as one process does (feature `mpi`;
//! CI installs Open MPI and runs these).
#![cfg(feature = "mpi")]

use std::process::Command;

const PHOLD: &str = env!("CARGO_BIN_EXE_phold-mpi");

fn phold(launcher: Option<u32>) -> String {
    let mut command = match launcher {
        Some(ranks) => {
            let mut c = Command::new("mpirun");
            c.args(["-n", &ranks.to_string(), PHOLD]);
            c
        }
        None => Command::new(PHOLD),
    };
    command.args(["7", "300"]);
    if launcher.is_none() {
        command.arg("--in-process");
    }
    // Open MPI in a container, as root, without network hardware (see .ci/run).
    command.envs(sim_mpi::OPEN_MPI_IN_A_CONTAINER);
    let out = command.output().expect("running phold-mpi (is Open MPI installed?)");
    assert!(out.status.success(), "{launcher:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("text")
}

#[test]
fn phold_under_mpirun_handles_every_event_as_one_process_does() {
    let one = phold(None);
    assert_eq!(one.lines().count(), 7, "{one}");
    let events: u64 = one.lines().map(|l| l.split(' ').nth(1).unwrap().parse::<u64>().unwrap()).sum();
    assert!(events > 10_000, "the test needs real traffic: {one}");
    for ranks in [1, 2, 3] {
        assert_eq!(phold(Some(ranks)), one, "{ranks} ranks");
    }
}
