//! `cells.parquet`: one row per radio cell.
//!
//! Its columns are declared in [`CELLS`] (and listed in docs/outputs.md).

use std::path::Path;

use models::RunOutput;
use models::measures::cells::{premises_per_cell, region_of_cell};
use polars::prelude::*;

use crate::ReportError;
use crate::schema::tables::CELLS;

/// Writes `cells.parquet`.
pub fn write(path: &Path, r: &RunOutput) -> Result<(), ReportError> {
    let span_s = r.measures.run.end.as_secs_f64();
    let premises = premises_per_cell(r);
    let c = &r.measures.cells;
    let columns = vec![
        Column::new("cell_id".into(), c.iter().map(|x| x.cell).collect::<Vec<u32>>()),
        Column::new("csp_region".into(), c.iter().map(|x| region_of_cell(r, x.cell)).collect::<Vec<&str>>()),
        Column::new(
            "network".into(),
            c.iter().map(|x| r.world.population.cell_network(x.cell).key()).collect::<Vec<&str>>(),
        ),
        Column::new("premises".into(), c.iter().map(|x| premises[x.cell as usize]).collect::<Vec<u32>>()),
        Column::new("channels".into(), c.iter().map(|x| x.channels).collect::<Vec<u32>>()),
        Column::new("arrivals".into(), c.iter().map(|x| x.tally.arrivals).collect::<Vec<u64>>()),
        Column::new("utilisation_pct".into(), c.iter().map(|x| x.utilisation_pct(span_s)).collect::<Vec<f64>>()),
        Column::new("mean_wait_s".into(), c.iter().map(|x| x.mean_wait_s()).collect::<Vec<f64>>()),
        Column::new("max_wait_s".into(), c.iter().map(|x| x.tally.wait_max_us as f64 / 1e6).collect::<Vec<f64>>()),
        Column::new("queue_max".into(), c.iter().map(|x| x.tally.queue_max).collect::<Vec<u32>>()),
    ];
    let mut df = CELLS.frame(c.len(), columns)?;
    crate::write_parquet(path, &mut df)
}
