//! `interruptions.parquet`: one row per premises per sustained interruption of
//! supply (3 minutes or more), from the fault plan.
//!
//! Its columns are declared in [`INTERRUPTIONS`] (and listed in docs/outputs.md).
//! The rows are [`models::measures::interruptions::sustained`]: merged power cuts,
//! by premises then time, each with its planned restoration even when that falls
//! after the horizon. They are written in row groups of [`ROW_GROUP_ROWS`], so a
//! national storm (a million premises cut and more) takes bounded memory. Which
//! premises are written follows `[output] rows`; the summary's figures do not.

use std::fs::File;
use std::path::Path;

use models::measures::interruptions::{InterruptionSummary, TailRow, sustained};
use models::outage::PowerCut;
use models::topology::DNO_AREAS;
use models::world::World;
use polars::prelude::*;
use sim::SimTime;

use crate::ReportError;
use crate::schema::tables::INTERRUPTIONS;

/// Rows per Parquet row group (and per batch held in memory while writing).
pub const ROW_GROUP_ROWS: usize = 1 << 20;

fn secs(t: SimTime) -> f64 {
    t.0 as f64 / 1e6
}

fn batch(cuts: &[PowerCut], world: &World) -> Result<DataFrame, ReportError> {
    let faults = &world.outages.faults;
    let horizon = world.scenario.horizon;
    let pop = &world.population;
    let columns = vec![
        Column::new("premises_id".into(), cuts.iter().map(|c| c.premises).collect::<Vec<u32>>()),
        Column::new("dno".into(), cuts.iter().map(|c| DNO_AREAS[pop.area_of(c.premises)].key).collect::<Vec<&str>>()),
        Column::new("fault_id".into(), cuts.iter().map(|c| c.fault).collect::<Vec<u32>>()),
        Column::new(
            "cause".into(),
            cuts.iter().map(|c| faults[c.fault as usize].cause.as_str()).collect::<Vec<&str>>(),
        ),
        Column::new("off_s".into(), cuts.iter().map(|c| secs(c.off)).collect::<Vec<f64>>()),
        Column::new("restored_s".into(), cuts.iter().map(|c| secs(c.on)).collect::<Vec<f64>>()),
        Column::new("off_h".into(), cuts.iter().map(|c| c.duration().as_secs_f64() / 3600.0).collect::<Vec<f64>>()),
        Column::new("restored_within_horizon".into(), cuts.iter().map(|c| c.on <= horizon).collect::<Vec<bool>>()),
    ];
    INTERRUPTIONS.frame_at(world.scenario.measurement.start_date, cuts.len(), columns)
}

/// Writes `interruptions.parquet`: the sustained interruptions of the premises
/// `[output] rows` keeps.
pub fn write(path: &Path, world: &World) -> Result<(), ReportError> {
    let file = File::create(path).map_err(|source| ReportError::Io { path: path.display().to_string(), source })?;
    let schema = batch(&[], world)?.schema().as_ref().clone();
    let mut writer = ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .with_row_group_size(Some(ROW_GROUP_ROWS))
        .batched(&schema)?;
    let output = world.scenario.output;
    let mut kept = Vec::with_capacity(ROW_GROUP_ROWS.min(world.outages.cuts().len()));
    for cut in sustained(&world.outages).filter(|c| output.keeps(c.premises)) {
        kept.push(*cut);
        if kept.len() == ROW_GROUP_ROWS {
            writer.write_batch(&batch(&kept, world)?)?;
            kept.clear();
        }
    }
    if !kept.is_empty() {
        writer.write_batch(&batch(&kept, world)?)?;
    }
    writer.finish()?;
    Ok(())
}

/// The tail of [`InterruptionSummary`] in words, counts formatted by `count`:
/// "more than 1 day: 12 (1.20 %), 3 days: …, 1 week: …".
pub fn tail_text(s: &InterruptionSummary, count: fn(u64) -> String) -> String {
    let band = |t: &TailRow| {
        let unit = match t.longer_than_days {
            1 => "1 day".to_string(),
            7 => "1 week".to_string(),
            d => format!("{d} days"),
        };
        let share = t.share_pct.map_or("-".to_string(), |p| format!("{p:.2} %"));
        format!("{unit}: {} ({share})", count(t.customers))
    };
    let bands: Vec<String> = s.longer_than.iter().map(band).collect();
    format!("more than {}", bands.join(", "))
}
