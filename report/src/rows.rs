//! The run's row tables, written while it runs: `service_requests/` and, with
//! outages, `alerts/`, each a folder of `part-NNNNN.parquet` files
//! ([`crate::dataset`]).
//!
//! [`RowWriter`] is the run's [`RowSink`]: each batch is moved to the writer thread,
//! which builds its columns and appends it, so encoding and writing overlap the
//! simulation. The run waits only when the writer falls [`CHANNEL_BATCHES`] batches
//! behind, which bounds the memory rows take.

use std::path::Path;
use std::sync::Arc;

use models::alert::AlertRecord;
use models::measures::{RowSink, SinkStopped};
use models::scenario::RowChoice;
use models::service_request::ServiceRequestRecord;
use models::world::World;

use crate::ReportError;
use crate::dataset::{Dataset, Layout, Summary, TableWriter, part_name};

/// Batches (a drain's rows of one table) that may wait for the writer: the
/// bound the memory estimate assumes.
pub const CHANNEL_BATCHES: usize = models::measures::rows::WRITER_CHANNEL_BATCHES;

/// The folder of the Service Request rows.
pub const SERVICE_REQUESTS_DIR: &str = "service_requests";
/// The folder of the alert copy rows.
pub const ALERTS_DIR: &str = "alerts";

/// Writes a run's rows to folders of part files as they come.
pub struct RowWriter {
    writer: TableWriter,
    world: Arc<World>,
    users: Arc<Vec<String>>,
    /// Traffic streams' names, by index.
    streams: Arc<Vec<String>>,
    /// Table names, by the writer's table index.
    tables: Vec<&'static str>,
}

impl RowWriter {
    /// Starts writing the row tables `world`'s scenario asks for (`[output] rows`)
    /// into `dir`: none, or Service Requests and, with outages, alerts.
    pub fn start(dir: &Path, world: Arc<World>) -> Result<RowWriter, ReportError> {
        let users = Arc::new(world.users.names());
        let streams = Arc::new(world.scenario.traffic.iter().map(|t| t.name.clone()).collect::<Vec<_>>());
        let start = world.scenario.measurement.start_date;
        let mut datasets = Vec::new();
        let mut tables = Vec::new();
        let layout = Layout::with_rows_per_part(world.scenario.output.rows_per_part as usize);
        if world.scenario.output.rows != RowChoice::None {
            let schema = crate::service_requests::frame(&[], &users, &streams, start)?.schema().as_ref().clone();
            datasets.push(Dataset::create(&dir.join(SERVICE_REQUESTS_DIR), schema, layout)?);
            tables.push(SERVICE_REQUESTS_DIR);
            if !world.outages.is_empty() {
                let schema = crate::alerts::alert_frame(&[], &world)?.schema().as_ref().clone();
                datasets.push(Dataset::create(&dir.join(ALERTS_DIR), schema, layout)?);
                tables.push(ALERTS_DIR);
            }
        }
        Ok(RowWriter { writer: TableWriter::start(datasets, CHANNEL_BATCHES), world, users, streams, tables })
    }

    fn table(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| *t == name)
    }

    /// Waits for every row to be written and returns the files written, relative to
    /// the run folder, in table then part order; or why writing failed.
    pub fn finish(self) -> Result<Vec<String>, ReportError> {
        let summaries: Vec<Summary> = self.writer.finish()?;
        Ok(self
            .tables
            .iter()
            .zip(summaries)
            .flat_map(|(table, s)| (0..s.parts).map(move |n| format!("{table}/{}", part_name(n))))
            .collect())
    }
}

impl RowSink for RowWriter {
    fn requests(&mut self, batch: Vec<ServiceRequestRecord>) -> Result<(), SinkStopped> {
        let Some(table) = self.table(SERVICE_REQUESTS_DIR) else { return Ok(()) };
        let (users, streams) = (self.users.clone(), self.streams.clone());
        let start = self.world.scenario.measurement.start_date;
        self.writer
            .send_with(table, Box::new(move || crate::service_requests::frame(&batch, &users, &streams, start)))
            .map_err(|_| SinkStopped)
    }

    fn alerts(&mut self, batch: Vec<AlertRecord>) -> Result<(), SinkStopped> {
        let Some(table) = self.table(ALERTS_DIR) else { return Ok(()) };
        let world = self.world.clone();
        self.writer
            .send_with(table, Box::new(move || crate::alerts::alert_frame(&batch, &world)))
            .map_err(|_| SinkStopped)
    }
}
