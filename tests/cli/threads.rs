//! Results do not depend on the thread count.

use super::tables::part_files;
use super::*;

/// 1, 2 and 4 threads write the same bytes, the table cut into parts of 1,000 rows.
#[test]
fn outputs_are_byte_identical_with_1_2_and_4_threads() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let scenario = scenario.to_str().unwrap();
    let mut runs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = sb.path(&format!("t{threads}"));
        let args = ["run", scenario, "--threads", threads, "--set", "output.rows_per_part=1000", "--quiet", "--out"];
        let o = sb.dccsim(&[&args[..], &[out.to_str().unwrap()]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        let table = out.join("service_requests");
        runs.push((part_files(&table).len(), table_bytes(&table), fs::read(out.join("summary.json")).unwrap()));
    }
    assert!(runs[0].1.len() > 10_000 && runs[0].0 > 1, "a real table of {} parts was written", runs[0].0);
    assert!(runs.iter().all(|r| *r == runs[0]), "outputs differ between thread counts");
}
