//! Radio cells: who each serves, and the cells with the longest waits for a
//! channel.

use serde::Serialize;

use super::RunOutput;
use crate::csp::CellFigures;
use crate::region::CspRegion;

/// Premises per cell, by cell id.
pub fn premises_per_cell(r: &RunOutput) -> Vec<u32> {
    let population = &r.world.population;
    let mut n = vec![0u32; population.cells() as usize];
    for p in 0..population.premises() {
        n[population.cell_of(p) as usize] += 1;
    }
    n
}

/// The CSP region key of `cell` ("north", "central" or "south").
pub fn region_of_cell(r: &RunOutput, cell: u32) -> &'static str {
    CspRegion::ALL.into_iter().find(|&g| r.world.population.region_cells(g).contains(&cell)).map_or("", |g| g.key())
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
pub fn busiest(r: &RunOutput, n: usize) -> Vec<CellRow> {
    let span_s = r.measures.run.end.as_secs_f64();
    let mut order: Vec<&CellFigures> = r.measures.cells.iter().collect();
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
            network: r.world.population.cell_network(c.cell).key().to_string(),
            utilisation_pct: c.utilisation_pct(span_s),
            mean_wait_s: c.mean_wait_s(),
            max_wait_s: c.tally.wait_max_us as f64 / 1e6,
        })
        .collect()
}
