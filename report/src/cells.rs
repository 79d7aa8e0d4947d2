//! `cells.parquet`: one row per radio cell, and the busiest cells of the summary.
//!
//! | column | type | unit | meaning |
//! |---|---|---|---|
//! | `cell_id` | u32 | | the cell, numbered region by region, network by network |
//! | `csp_region` | string | | `north`, `central` or `south` |
//! | `network` | string | | `north`, `central`, `south` (the region's own network), `mesh` or `lte` |
//! | `premises` | u32 | count | hubs the cell serves |
//! | `channels` | u32 | count | messages it carries at once |
//! | `arrivals` | u64 | count | messages (commands, responses, payloads, alerts) queued for its channels |
//! | `utilisation_pct` | f64 | % | busy channel time over channel time of the run |
//! | `mean_wait_s` | f64 | s | mean wait for a channel |
//! | `max_wait_s` | f64 | s | longest wait |
//! | `queue_max` | u32 | count | most messages waiting at once |

use std::path::Path;

use models::network::RunResult;
use polars::prelude::*;
use serde::Serialize;

use crate::ReportError;

/// Premises per cell.
fn premises_per_cell(r: &RunResult) -> Vec<u32> {
    let mut n = vec![0u32; r.population.cells() as usize];
    for p in 0..r.population.premises() {
        n[r.population.cell_of(p) as usize] += 1;
    }
    n
}

fn region_of_cell(r: &RunResult, cell: u32) -> &'static str {
    models::region::CspRegion::ALL
        .into_iter()
        .find(|&g| r.population.region_cells(g).contains(&cell))
        .map_or("", |g| g.key())
}

/// Writes `cells.parquet`.
pub fn write(path: &Path, r: &RunResult) -> Result<(), ReportError> {
    let span_s = r.end.as_secs_f64();
    let premises = premises_per_cell(r);
    let c = &r.cells;
    let columns = vec![
        Column::new("cell_id".into(), c.iter().map(|x| x.cell).collect::<Vec<u32>>()),
        Column::new("csp_region".into(), c.iter().map(|x| region_of_cell(r, x.cell)).collect::<Vec<&str>>()),
        Column::new("network".into(), c.iter().map(|x| r.population.cell_network(x.cell).key()).collect::<Vec<&str>>()),
        Column::new("premises".into(), c.iter().map(|x| premises[x.cell as usize]).collect::<Vec<u32>>()),
        Column::new("channels".into(), c.iter().map(|x| x.channels).collect::<Vec<u32>>()),
        Column::new("arrivals".into(), c.iter().map(|x| x.tally.arrivals).collect::<Vec<u64>>()),
        Column::new("utilisation_pct".into(), c.iter().map(|x| x.utilisation_pct(span_s)).collect::<Vec<f64>>()),
        Column::new("mean_wait_s".into(), c.iter().map(|x| x.mean_wait_s()).collect::<Vec<f64>>()),
        Column::new("max_wait_s".into(), c.iter().map(|x| x.tally.wait_max_us as f64 / 1e6).collect::<Vec<f64>>()),
        Column::new("queue_max".into(), c.iter().map(|x| x.tally.queue_max).collect::<Vec<u32>>()),
    ];
    let mut df = DataFrame::new(c.len(), columns)?;
    crate::write_parquet(path, &mut df)
}

/// One of the busiest cells.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CellRow {
    /// The cell.
    pub cell_id: u32,
    /// Its network.
    pub network: String,
    /// Busy channel time over channel time, %.
    pub utilisation_pct: f64,
    /// Mean wait for a channel, s.
    pub mean_wait_s: f64,
    /// Longest wait, s.
    pub max_wait_s: f64,
}

/// The `n` cells with the longest waits for a channel (ties: the busier first).
pub fn busiest(r: &RunResult, n: usize) -> Vec<CellRow> {
    let span_s = r.end.as_secs_f64();
    let mut order: Vec<&models::csp::CellFigures> = r.cells.iter().collect();
    order.sort_by(|a, b| {
        b.tally
            .wait_max_us
            .cmp(&a.tally.wait_max_us)
            .then(b.utilisation_pct(span_s).total_cmp(&a.utilisation_pct(span_s)))
            .then(a.cell.cmp(&b.cell))
    });
    order
        .into_iter()
        .take(n)
        .map(|c| CellRow {
            cell_id: c.cell,
            network: r.population.cell_network(c.cell).key().to_string(),
            utilisation_pct: c.utilisation_pct(span_s),
            mean_wait_s: c.mean_wait_s(),
            max_wait_s: c.tally.wait_max_us as f64 / 1e6,
        })
        .collect()
}
