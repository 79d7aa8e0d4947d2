//! What a run folder says of itself (the resolved scenario, the manifest, a folder
//! name per seed), and the command line's conveniences: completions, the manual
//! page and machine-readable progress.

use std::fs;
use std::path::Path;

use super::{Sandbox, files_in, stderr, stdout};

/// Every file of `dir` but the two that name where the run came from (the manifest,
/// and the resolved scenario's header), by relative path, with its bytes.
fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = files_in(dir);
    files.retain(|(name, _)| name != "manifest.json" && name != "scenario.resolved.toml");
    files
}

/// The resolved scenario without its two header lines (which name the file read).
fn body(resolved: &Path) -> String {
    fs::read_to_string(resolved).unwrap().lines().skip(2).collect::<Vec<_>>().join("\n")
}

/// Runs `args`, then runs the folder's `scenario.resolved.toml` from another
/// folder, and checks both give the same outputs and the same resolved study.
fn reruns_identically(sb: &Sandbox, args: &[&str], out: &str) {
    let o = sb.dccsim(&[args, &["--quiet", "--out", out]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let resolved = sb.path(out).join("scenario.resolved.toml");
    // Elsewhere: a resolved study depends on no file beside it.
    let elsewhere = sb.path("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let copy = elsewhere.join(format!("{out}.toml"));
    fs::copy(&resolved, &copy).unwrap();
    let again = format!("{out}-again");
    let o = sb.dccsim(&["run", copy.to_str().unwrap(), "--quiet", "--out", &again]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (first, second) = (outputs(&sb.path(out)), outputs(&sb.path(&again)));
    assert_eq!(first.len(), second.len(), "{out}");
    for ((name, a), (name_again, b)) in first.iter().zip(&second) {
        assert_eq!(name, name_again);
        assert!(a == b, "{out}: {name} differs when the resolved scenario runs again");
    }
    assert_eq!(body(&resolved), body(&sb.path(&again).join("scenario.resolved.toml")), "{out}");
}

#[test]
fn the_resolved_scenario_runs_again_to_identical_outputs_with_every_override() {
    let sb = Sandbox::new();
    let quickstart = sb.scenario("q.toml", &[("horizon_s = 3600.0", "horizon_s = 300.0")]);
    let q = quickstart.to_str().unwrap();
    reruns_identically(&sb, &["run", q, "--seed", "7", "--scale", "0.001", "--set", "dsp.servers=12"], "q");
    let resolved = fs::read_to_string(sb.path("q/scenario.resolved.toml")).unwrap();
    for line in ["seed = 7", "premises = 29900", "servers = 12", "[csp.north.round_trip]"] {
        assert!(resolved.contains(line), "{line:?} in\n{resolved}");
    }
    assert!(!resolved.contains("scale ="), "the count replaces the scale");

    let storm = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/substation_trip.toml");
    reruns_identically(&sb, &["run", storm.to_str().unwrap()], "storm");

    let rollout = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/rollout_history.toml");
    reruns_identically(&sb, &["run", rollout.to_str().unwrap(), "--scale", "0.002", "--seed", "3"], "rollout");
}

/// A network study whose fleet comes from a rollout study beside it: the resolved
/// scenario holds the fleet itself, so it runs without the rollout file.
#[test]
fn a_fleet_from_a_rollout_is_written_out_in_the_resolved_scenario() {
    let sb = Sandbox::new();
    let rollout = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/rollout_history.toml");
    fs::copy(rollout, sb.path("history.toml")).unwrap();
    let fleet = sb.scenario(
        "fleet.toml",
        &[
            ("horizon_s = 3600.0", "horizon_s = 120.0"),
            (
                "premises = 100_000",
                "from_rollout = { scenario = \"history.toml\", month = \"2022-06\", fraction = 0.0005 }",
            ),
        ],
    );
    reruns_identically(&sb, &["run", fleet.to_str().unwrap()], "fleet");
    let resolved = fs::read_to_string(sb.path("fleet/scenario.resolved.toml")).unwrap();
    assert!(!resolved.contains("from_rollout") && resolved.contains("premises = "), "{resolved}");
}

#[test]
fn the_manifest_says_when_what_and_from_which_build() {
    let sb = Sandbox::new();
    let file = sb.scenario("q.toml", &[("horizon_s = 3600.0", "horizon_s = 60.0")]);
    let o = sb.dccsim(&["run", file.to_str().unwrap(), "--quiet", "--out", "run", "--seed", "9"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(sb.path("run/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["start"], "2026-01-01");
    assert_eq!(manifest["seed"], 9);
    assert_eq!(manifest["replication"], 0);
    assert_eq!(manifest["resolved_scenario"], "scenario.resolved.toml");
    let commit = manifest["commit"].as_str().unwrap();
    assert!(commit == "unknown" || (commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit())), "{commit}");
    let files: Vec<&str> = manifest["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(files.contains(&"scenario.resolved.toml"), "{files:?}");
}

/// A second seed gets its own default folder; the file's own seed keeps the name.
#[test]
fn default_folders_name_a_seed_that_is_not_the_scenarios_own() {
    let sb = Sandbox::new();
    let file = sb.scenario("q.toml", &[("horizon_s = 3600.0", "horizon_s = 60.0")]);
    let f = file.to_str().unwrap();
    for seed in ["1", "7"] {
        let o = sb.dccsim(&["run", f, "--quiet", "--seed", seed]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(sb.path("output/quickstart/manifest.json").exists(), "seed 1 is the file's own");
    assert!(sb.path("output/quickstart-seed7/manifest.json").exists(), "seed 7 has its own folder");
}

#[test]
fn json_progress_is_one_object_per_line_through_the_run_and_the_writing() {
    let sb = Sandbox::new();
    let file = sb.scenario("q.toml", &[("horizon_s = 3600.0", "horizon_s = 600.0")]);
    let o = sb.dccsim(&["run", file.to_str().unwrap(), "--out", "run", "--progress", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> =
        stderr(&o).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect();
    let phases: Vec<&str> = lines.iter().map(|l| l["phase"].as_str().unwrap()).collect();
    let first_write = phases.iter().position(|p| *p == "write").expect("the writing is shown");
    assert!(phases[..first_write].iter().all(|p| *p == "simulate"), "{phases:?}");
    assert!(phases[first_write..phases.len() - 1].iter().all(|p| *p == "write"), "{phases:?}");
    assert_eq!(phases.last(), Some(&"done"));
    assert!(phases.contains(&"simulate"), "at least the first simulation line: {phases:?}");
    let steps: Vec<&str> = lines.iter().filter_map(|l| l["step"].as_str()).collect();
    assert!(steps.contains(&"report.html") && steps.last() == Some(&"manifest.json"), "{steps:?}");
    let walls: Vec<f64> = lines.iter().map(|l| l["wall_s"].as_f64().unwrap()).collect();
    assert!(walls.windows(2).all(|w| w[0] <= w[1]), "wall time only grows: {walls:?}");
    assert!(stdout(&o).contains("Outputs in run"), "the summary stays on stdout");
}

#[test]
fn completions_and_the_manual_page_come_from_the_command_line_definition() {
    let sb = Sandbox::new();
    for (shell, needle) in [("bash", "complete -F"), ("zsh", "#compdef dccsim"), ("fish", "complete -c dccsim")] {
        let o = sb.dccsim(&["completions", shell]);
        assert!(o.status.success(), "{}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(needle), "{shell}: {needle:?}");
        for command in ["run", "sweep", "combine", "explain", "resume", "progress"] {
            assert!(script.contains(command), "{shell} completes {command}");
        }
    }
    let o = sb.dccsim(&["man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH dccsim 1"), "{}", &page[..200.min(page.len())]);
    assert!(page.contains("Deterministic, parallel discrete\\-event simulator"), "the about text");
    let o = sb.dccsim(&["man", "--out", "man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for page in ["dccsim.1", "dccsim-run.1", "dccsim-sweep.1"] {
        assert!(sb.path("man").join(page).exists(), "{page}");
    }
    let bad = sb.dccsim(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

/// Seeds go up to 2^64 − 1 (#14), past TOML's integers: the resolved scenario
/// writes such a seed as a string of digits, which the seed key reads.
#[test]
fn a_seed_beyond_tomls_integers_is_resolved_as_digits_and_runs_again() {
    let sb = Sandbox::new();
    let file = sb.scenario("q.toml", &[("horizon_s = 3600.0", "horizon_s = 60.0")]);
    reruns_identically(&sb, &["run", file.to_str().unwrap(), "--seed", "18446744073709551615"], "big");
    let resolved = fs::read_to_string(sb.path("big/scenario.resolved.toml")).unwrap();
    assert!(resolved.contains("seed = \"18446744073709551615\""), "{resolved}");
    let bad = sb.scenario("bad.toml", &[("seed = 1", "seed = \"one\"")]);
    let o = sb.dccsim(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("allowed: 0 to 2^64−1"), "{}", stderr(&o));
}
