//! `service_requests/`: one row per Service Request, streamed as the run goes
//! ([`crate::rows`]).
//!
//! Its columns are declared in [`SERVICE_REQUESTS`] (and listed in docs/outputs.md).
//! Times are exact microsecond counts shown in seconds. Rows are in the order the
//! requests ended, drain by drain and partition by partition: fixed by the scenario
//! and seed, not by `sr_id`.

use models::calendar::Date;
use models::service_request::ServiceRequestRecord;
use polars::prelude::*;

use crate::ReportError;
use crate::schema::tables::SERVICE_REQUESTS;

fn secs(us: u64) -> f64 {
    us as f64 / 1e6
}

/// The rows of `records`, as [`SERVICE_REQUESTS`] declares them; `users` names the
/// run's Users by index, `streams` its traffic streams, and `start` is the
/// calendar day of time zero.
pub fn frame(
    records: &[ServiceRequestRecord],
    users: &[String],
    streams: &[String],
    start: Date,
) -> Result<DataFrame, ReportError> {
    let col_str = |name: &str, f: &dyn Fn(&ServiceRequestRecord) -> &'static str| {
        Column::new(name.into(), records.iter().map(f).collect::<Vec<&str>>())
    };
    let trt = |r: &ServiceRequestRecord| r.trt().map(|t| secs(t.0));
    let columns = vec![
        Column::new("sr_id".into(), records.iter().map(|r| r.sr_id).collect::<Vec<u64>>()),
        col_str("srv", &|r| r.srv),
        col_str("user_role", &|r| r.user_role.code()),
        Column::new("user".into(), records.iter().map(|r| users[usize::from(r.user)].as_str()).collect::<Vec<&str>>()),
        Column::new(
            "stream".into(),
            records.iter().map(|r| streams[usize::from(r.stream)].as_str()).collect::<Vec<&str>>(),
        ),
        col_str("mode", &|r| r.mode.as_str()),
        Column::new("critical".into(), records.iter().map(|r| r.critical).collect::<Vec<bool>>()),
        Column::new("premises_id".into(), records.iter().map(|r| r.premises).collect::<Vec<u32>>()),
        col_str("csp_region", &|r| r.region.key()),
        Column::new("smets1".into(), records.iter().map(|r| r.smets1).collect::<Vec<bool>>()),
        Column::new("submitted_s".into(), records.iter().map(|r| secs(r.submitted.0)).collect::<Vec<f64>>()),
        Column::new(
            "wait_for_gateway_s".into(),
            records.iter().map(|r| r.received.map(|t| secs(t.since(r.submitted).0))).collect::<Vec<Option<f64>>>(),
        ),
        Column::new("refusals".into(), records.iter().map(|r| u32::from(r.refusals)).collect::<Vec<u32>>()),
        Column::new(
            "refused_by".into(),
            records.iter().map(|r| r.refused_by.map(|why| why.as_str())).collect::<Vec<Option<&str>>>(),
        ),
        Column::new("quarantined".into(), records.iter().map(|r| r.quarantined).collect::<Vec<bool>>()),
        Column::new(
            "responded_s".into(),
            records.iter().map(|r| r.responded.map(|t| secs(t.0))).collect::<Vec<Option<f64>>>(),
        ),
        Column::new("user_signing_s".into(), records.iter().map(|r| secs(r.user_signing.0)).collect::<Vec<f64>>()),
        Column::new(
            "execution_s".into(),
            records.iter().map(|r| r.execution.map(|t| secs(t.0))).collect::<Vec<Option<f64>>>(),
        ),
        Column::new("trt_s".into(), records.iter().map(trt).collect::<Vec<Option<f64>>>()),
        Column::new("target_s".into(), records.iter().map(|r| r.target.as_secs_f64()).collect::<Vec<f64>>()),
        Column::new(
            "within_target".into(),
            records.iter().map(ServiceRequestRecord::within_target).collect::<Vec<bool>>(),
        ),
        col_str("outcome", &|r| r.outcome.as_str()),
    ];
    SERVICE_REQUESTS.frame_at(start, records.len(), columns)
}
