//! Reports answer first: the first thing each report shows answers its study's
//! question, in a sentence and a table.

use std::fs;
use std::path::Path;

use super::{Sandbox, read_parquet, stderr, stdout};

fn shipped(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name).display().to_string()
}

/// The HTML between the title and the first headline section of another kind.
fn before(html: &str, marker: &str) -> String {
    html[..html.find(marker).unwrap_or_else(|| panic!("no {marker:?}"))].to_string()
}

/// 1234567 → "1,234,567", as the report writes counts.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> =
        digits.as_bytes().rchunks(3).rev().map(|c| std::str::from_utf8(c).expect("digits")).collect();
    groups.join(",")
}

#[test]
fn a_storm_report_opens_with_what_reached_the_dnos_fault_by_fault_in_clock_time() {
    let sb = Sandbox::new();
    let o = sb.dccsim(&["run", &shipped("substation_trip.toml"), "--quiet", "--out", "trip"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(sb.path("trip/report.html")).unwrap();
    let first = before(&html, "<h2>Headline figures</h2>");
    assert!(first.contains("<h2>What reached the DNOs</h2>"), "the storm answer comes first");
    assert!(first.contains("2 faults cut supply to "), "{first}");
    let outages = read_parquet(&sb.path("trip/outages.parquet"));
    let u64s = |c: &str| outages.column(c).unwrap().u64().unwrap().into_no_null_iter().collect::<Vec<u64>>();
    let (raised, at_dno) = (u64s("ad1_raised"), u64s("ad1_at_dno"));
    // The first fault: its start at 18:00 on the scenario's start date, and its counts.
    let row = "<tr><td>0</td><td>primary</td><td>london</td><td>2026-01-15 18:00:00</td>";
    let at = first.find(row).unwrap_or_else(|| panic!("fault 0's row in\n{first}"));
    let line = &first[at..at + first[at..].find("</tr>").unwrap()];
    let counts = format!("<td>{}</td><td>{}</td>", thousands(raised[0]), thousands(at_dno[0]));
    assert!(raised[0] > 1000 && line.contains(&counts), "{counts} in {line}");
    assert!(line.contains("<td>2026-01-15 18:0"), "the first AD1's clock time: {line}");
}

#[test]
fn a_sweep_writes_a_report_of_each_measure_against_the_swept_value_and_one_replication_says_n_a() {
    let sb = Sandbox::new();
    let file = sb.scenario(
        "s.toml",
        &[
            ("premises = 100_000", "premises = 5_000"),
            ("horizon_s = 3600.0", "horizon_s = 120.0"),
            (
                "on_demand_trt_s = 30.0",
                "on_demand_trt_s = 30.0\n\n[sweep]\nreplications = 1\n\n[sweep.parameters]\n\"dsp.servers\" = [8, 64]\n",
            ),
        ],
    );
    let o = sb.dccsim(&["sweep", file.to_str().unwrap(), "--quiet", "--out", "sweep"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("NaN") && stdout(&o).contains("± n/a"), "{}", stdout(&o));
    let html = fs::read_to_string(sb.path("sweep/report.html")).unwrap();
    // The page's text: after the head, whose bundled font's base64 may spell anything.
    assert!(!html[html.find("<body>").unwrap()..].contains("NaN"));
    let first = before(&html, "<h2>Figures</h2>");
    assert!(first.contains("2 points of dsp.servers, 1 replication(s) each. From 8 to 64, the mean TRT"), "{first}");
    assert_eq!(first.matches("<tr><td>").count(), 2, "a row per point");
    assert!(first.contains(" (n/a)</td>"), "one replication has no interval");
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(sb.path("sweep/manifest.json")).unwrap()).unwrap();
    let files: Vec<&str> = manifest["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    let plots: Vec<&&str> = files.iter().filter(|f| f.starts_with("plots/")).collect();
    assert_eq!(plots.len(), 4, "{files:?}");
    for p in plots {
        let size = fs::metadata(sb.path("sweep").join(p)).unwrap().len();
        assert!(size <= 100_000, "{p}: {size} bytes");
        assert!(html.contains(&format!("(Also <code>{p}</code>.)")), "{p} is in the report");
    }
    assert!(files.contains(&"report.html"));
}

#[test]
fn a_rollout_report_opens_with_its_milestones_as_a_table() {
    let sb = Sandbox::new();
    let o = sb.dccsim(&["run", &shipped("rollout_history.toml"), "--quiet", "--out", "r", "--scale", "0.002"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(sb.path("r/report.html")).unwrap();
    assert!(!html.contains("<pre>"), "no text dump");
    let first = before(&html, "<h2>Year by year</h2>");
    assert!(first.contains("smart meter coverage reaches"), "the answer in a sentence");
    assert!(first.contains("<h2>Milestones</h2>") && first.contains("<td>half of premises</td>"), "{first}");
    assert!(html.contains("<h2>Calibration</h2>"), "the published figures beside the simulated ones");
}

#[test]
fn a_network_report_opens_with_its_answer_in_a_sentence() {
    let sb = Sandbox::new();
    let o = sb.dccsim(&["run", &shipped("quickstart.toml"), "--quiet", "--out", "q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(sb.path("q/report.html")).unwrap();
    let first = before(&html, "<h2>Headline figures</h2>");
    let answer = "98.60 % of the 71,953 Service Requests submitted were answered within their target (30 s On \
                  Demand). CPM1 over the run: 98.60 %, below its Target but above its Minimum Service Level (99 / 96 \
                  %). CPM2 and CPM3 had nothing to judge (n/a). The busiest stage is dsp, 57.9 % utilised";
    assert!(first.contains(answer), "{first}");
}

/// #17's counting rule: a run whose requests were all rejected judged nothing, and
/// says "n/a", never "100 % within target".
#[test]
fn a_run_that_judged_nothing_says_n_a() {
    let sb = Sandbox::new();
    // Other Users may not send SRV 4.1.1: the DSP rejects every request.
    let file = sb.scenario(
        "rejected.toml",
        &[("horizon_s = 3600.0", "horizon_s = 60.0"), ("user_role = \"IS\"", "user_role = \"OU\"")],
    );
    let o = sb.dccsim(&["run", file.to_str().unwrap(), "--quiet", "--out", "r"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let overall = text.lines().find(|l| l.starts_with("overall")).unwrap();
    assert!(overall.ends_with("n/a      n/a      n/a      n/a      n/a       n/a"), "{overall}");
    assert!(!text.contains("100.00"), "{text}");
    assert!(text.contains("CPM1, CPM2 and CPM3: nothing to judge over the run (n/a)"), "{text}");
    let summary: serde_json::Value = serde_json::from_slice(&fs::read(sb.path("r/summary.json")).unwrap()).unwrap();
    assert!(summary["trt"][0]["within_target_pct"].is_null() && summary["trt"][0]["p95_s"].is_null());
    let html = fs::read_to_string(sb.path("r/report.html")).unwrap();
    assert!(html.contains("could be judged against its target"), "the answer says so");
}

/// The User Gateway down (`dcc_downtime.toml`, at a tenth of its scale): the report
/// opens with what the closed gateway did, window by window in clock time; the
/// figures are those of the tables, and every refused request is a row.
#[test]
fn a_downtime_report_opens_with_the_closed_gateway_window_by_window() {
    let sb = Sandbox::new();
    let args = ["run", &shipped("dcc_downtime.toml"), "--scale", "0.001", "--quiet", "--out", "down"];
    let o = sb.dccsim(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(sb.path("down/report.html")).unwrap();
    let first = before(&html, "<h2>Headline figures</h2>");
    assert!(first.contains("<h2>The User Gateway down</h2>"), "the downtime answer comes first");
    assert!(first.contains("closed 2 time(s), 6.0 h planned and 2.0 h unplanned"), "{first}");
    assert!(first.contains("<td>0</td><td>unplanned</td><td>retry</td><td>2026-11-17 10:00:00</td>"), "{first}");
    assert!(first.contains("<td>1</td><td>planned</td><td>hold</td><td>2026-11-17 20:00:00</td>"), "{first}");
    assert!(first.contains("<td>2026-11</td><td>1680</td><td>120.0</td><td>92.857 %</td>"), "{first}");
    let windows = read_parquet(&sb.path("down/downtime.parquet"));
    assert_eq!(windows.height(), 2);
    let rows = read_parquet(&sb.path("down/service_requests"));
    let outcome = rows.column("outcome").unwrap().str().unwrap();
    let refused = (0..rows.height()).filter(|&i| outcome.get(i) == Some("refused")).count() as u64;
    let per_window: u64 = windows.column("refused").unwrap().u64().unwrap().into_no_null_iter().sum();
    assert!(refused > 10, "{refused} refused");
    assert_eq!(per_window, refused, "every refused request was first sent in a window");
    let summary: serde_json::Value = serde_json::from_slice(&fs::read(sb.path("down/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["trt"][0]["refused"].as_u64(), Some(refused));
    assert_eq!(summary["downtime"]["refused"].as_u64(), Some(refused));
    // A refused request has no receipt; every other waited 0 s or more for the gateway.
    let wait = rows.column("wait_for_gateway_s").unwrap().f64().unwrap();
    for i in 0..rows.height() {
        let (o, w) = (outcome.get(i), wait.get(i));
        assert_eq!(o == Some("refused"), w.is_none(), "{o:?} {w:?}");
    }
}

/// A CSP region off the air (`csp_outage.toml`, at a tenth of its scale): the
/// report opens with what became of the region's requests, outage by outage in
/// clock time, with the figures of `summary.json`.
#[test]
fn a_csp_outage_report_opens_with_the_region_off_the_air() {
    let sb = Sandbox::new();
    let o = sb.dccsim(&["run", &shipped("csp_outage.toml"), "--scale", "0.001", "--quiet", "--out", "csp"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(sb.path("csp/report.html")).unwrap();
    let first = before(&html, "<h2>Headline figures</h2>");
    assert!(first.contains("<h2>A CSP region off the air</h2>"), "the outage answer comes first");
    assert!(first.contains("100% of central&#39;s cells were off the air for 3.0 h"), "{first}");
    let summary: serde_json::Value = serde_json::from_slice(&fs::read(sb.path("csp/summary.json")).unwrap()).unwrap();
    let central = &summary["wan_outages"]["outages"][0];
    let (sent, failed) =
        (central["in_region"]["sent"].as_u64().unwrap(), central["in_region"]["failed"].as_u64().unwrap());
    assert!(failed > 0 && sent > failed, "{central}");
    let row = format!(
        "<td>0</td><td>central</td><td>100 %</td><td>2026-11-18 10:00:00</td><td>2026-11-18 13:00:00</td><td>{}</td><td>{}</td>",
        thousands(sent),
        thousands(failed)
    );
    assert!(first.contains(&row), "{row} in\n{first}");
}

/// A DCC User suspended (`user_suspension.toml`, at a tenth of its scale): the report
/// opens with what the suspension refused and what its customers did instead.
#[test]
fn a_suspension_report_opens_with_the_users_refused_requests_and_customers_at_risk() {
    let sb = Sandbox::new();
    let o = sb.dccsim(&["run", &shipped("user_suspension.toml"), "--scale", "0.001", "--quiet", "--out", "sus"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(sb.path("sus/report.html")).unwrap();
    let first = before(&html, "<h2>Headline figures</h2>");
    assert!(first.contains("<h2>A DCC User suspended</h2>"), "the suspension answer comes first");
    let summary: serde_json::Value = serde_json::from_slice(&fs::read(sb.path("sus/summary.json")).unwrap()).unwrap();
    let row = &summary["suspensions"][0];
    let refused = row["refused"].as_u64().unwrap();
    assert!(refused > 0, "{row}");
    let sentence = format!("supplier_2 was suspended for 12.0 h: {} of its requests were refused", thousands(refused));
    assert!(first.contains(&sentence), "{sentence} in\n{first}");
    let rows = read_parquet(&sb.path("sus/service_requests"));
    let why = rows.column("refused_by").unwrap().str().unwrap();
    let suspended = (0..rows.height()).filter(|&i| why.get(i) == Some("user_suspended")).count() as u64;
    assert_eq!(suspended, refused);
}
