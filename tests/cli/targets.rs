//! What each request is judged against: the targets a run applies.

use super::{SMALL, Sandbox, read_parquet, stderr};

/// A per-SRV target set on the command line (an inline table) is every request's
/// `target_s`, and the share within target is judged against it.
#[test]
fn a_per_srv_target_from_the_command_line_judges_every_request() {
    let sb = Sandbox::new();
    let file = sb.scenario("small.toml", SMALL);
    let set = r#"measurement.trt_s_by_srv={"4.1.1"=5}"#;
    let o = sb.dccsim(&["run", file.to_str().unwrap(), "--quiet", "--out", "r", "--set", set]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_parquet(&sb.path("r/service_requests"));
    let targets = rows.column("target_s").unwrap().f64().unwrap();
    assert!(targets.into_no_null_iter().all(|t| t == 5.0), "every request is judged against 5 s");
    let within = rows.column("within_target").unwrap().bool().unwrap();
    let trt = rows.column("trt_s").unwrap().f64().unwrap();
    for (w, t) in within.iter().zip(trt.iter()) {
        assert_eq!(w, Some(t.is_some_and(|t| t <= 5.0)), "{t:?}");
    }
}
