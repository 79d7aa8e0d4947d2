//! Customers' time off supply: `interruptions.parquet` and the summary's tail.

use report::schema::ColumnType;
use report::schema::tables::INTERRUPTIONS;

use super::*;

fn polars_type(ty: ColumnType) -> DataType {
    match ty {
        ColumnType::U32 => DataType::UInt32,
        ColumnType::U64 => DataType::UInt64,
        ColumnType::F64 => DataType::Float64,
        ColumnType::Bool => DataType::Boolean,
        ColumnType::Str => DataType::String,
        ColumnType::Utc => DataType::Datetime(TimeUnit::Microseconds, Some(TimeZone::UTC)),
    }
}

fn substation_trip(sb: &Sandbox, out: &str, sets: &[&str]) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/substation_trip.toml");
    let mut args = vec!["run", path.to_str().unwrap(), "--quiet", "--out", out, "--scale", "0.002"];
    for set in sets {
        args.extend(["--set", set]);
    }
    let o = sb.dccsim(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Customers off supply 3 minutes or more: "), "{}", stdout(&o));
    serde_json::from_slice(&fs::read(sb.path(out).join("summary.json")).unwrap()).unwrap()
}

/// The substation trip's table holds one row per premises of the primary that
/// locked out, off from the end of its reclose shots to its repair, in the declared
/// schema; the transient feeder fault has none; a sample keeps exactly the sampled
/// premises and leaves the summary alone.
#[test]
fn an_outage_run_writes_each_premises_interruption_in_the_declared_schema() {
    let sb = Sandbox::new();
    let summary = substation_trip(&sb, "all", &[]);
    let df = read_parquet(&sb.path("all/interruptions.parquet"));
    let declared: Vec<(&str, DataType)> = INTERRUPTIONS.columns.iter().map(|c| (c.name, polars_type(c.ty))).collect();
    let written: Vec<(&str, DataType)> = df.columns().iter().map(|c| (c.name().as_str(), c.dtype().clone())).collect();
    assert_eq!(written, declared);

    let outages = read_parquet(&sb.path("all/outages.parquet"));
    let affected = outages.column("premises_affected").unwrap().u32().unwrap().get(0).unwrap();
    let start = outages.column("start_s").unwrap().f64().unwrap().get(0).unwrap();
    let restore = outages.column("restore_s").unwrap().f64().unwrap().get(0).unwrap();
    assert_eq!(df.height(), affected as usize, "one row per premises of the primary");
    let premises: Vec<u32> = df.column("premises_id").unwrap().u32().unwrap().into_no_null_iter().collect();
    assert!(premises.windows(2).all(|w| w[0] < w[1]), "each premises once, in order");
    assert!(df.column("fault_id").unwrap().u32().unwrap().into_no_null_iter().all(|f| f == 0));
    let cause = df.column("cause").unwrap().str().unwrap();
    let dno = df.column("dno").unwrap().str().unwrap();
    let within = df.column("restored_within_horizon").unwrap().bool().unwrap();
    let off = df.column("off_s").unwrap().f64().unwrap();
    let on = df.column("restored_s").unwrap().f64().unwrap();
    let hours = df.column("off_h").unwrap().f64().unwrap();
    for i in 0..df.height() {
        assert_eq!((cause.get(i), dno.get(i), within.get(i)), (Some("fault"), Some("london"), Some(true)));
        // Two reclose shots of 20 s off and 30 s on, then 90 minutes off.
        assert_eq!((off.get(i), on.get(i)), (Some(start + 100.0), Some(restore)));
        assert!((hours.get(i).unwrap() - 1.5).abs() < 1e-9);
    }

    let tail = &summary["alerts"]["interruptions"];
    assert_eq!(tail["customers_off"], u64::from(affected));
    assert_eq!(tail["interruptions"], u64::from(affected));
    assert_eq!(tail["still_off_at_horizon"], 0);
    let days: Vec<u64> =
        tail["longer_than"].as_array().unwrap().iter().map(|t| t["longer_than_days"].as_u64().unwrap()).collect();
    assert_eq!(days, [1, 3, 7]);
    assert!(tail["longer_than"].as_array().unwrap().iter().all(|t| t["customers"] == 0 && t["share_pct"] == 0.0));

    let sampled = substation_trip(&sb, "sample", &["output.rows=sample", "output.sample_one_in=5"]);
    assert_eq!(sampled, summary, "the summary does not depend on the rows written");
    let kept = read_parquet(&sb.path("sample/interruptions.parquet"));
    let kept: Vec<u32> = kept.column("premises_id").unwrap().u32().unwrap().into_no_null_iter().collect();
    let expected: Vec<u32> = premises.iter().copied().filter(|p| p % 5 == 0).collect();
    assert!(!expected.is_empty());
    assert_eq!(kept, expected);
    substation_trip(&sb, "none", &["output.rows=none"]);
    assert!(!sb.path("none/interruptions.parquet").exists());
}
