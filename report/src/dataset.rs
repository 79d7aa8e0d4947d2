//! A table streamed to disk as it is produced: one folder per table, holding
//! `part-00000.parquet`, `part-00001.parquet`, … which polars, pyarrow and DuckDB
//! read as one table.
//!
//! Rows arrive in batches of any size (a window's rows, say). They are cut into row
//! groups of a fixed number of rows, and parts of a fixed number of row groups, so
//! the files depend only on the sequence of rows, never on how it was batched: the
//! same rows give the same bytes whatever the thread count or window length. Memory
//! holds at most one row group being filled.
//!
//! [`TableWriter`] moves the writing to a thread of its own behind a bounded channel,
//! so the simulation goes on while rows are encoded and written, and waits only when
//! the writer falls a channel's length behind.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use polars::prelude::*;

use crate::ReportError;

/// How a dataset is cut into row groups and parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Rows in every row group but the last.
    pub rows_per_row_group: usize,
    /// Row groups in every part file but the last.
    pub row_groups_per_part: usize,
}

impl Layout {
    /// 128 Ki rows a group, 64 groups (8 Mi rows) a part: large enough for fast scans,
    /// small enough that a row group of a wide table stays within tens of MB.
    pub const DEFAULT: Layout = Layout { rows_per_row_group: 1 << 17, row_groups_per_part: 64 };

    /// Parts of about `rows_per_part` rows (`[output] rows_per_part`): whole row
    /// groups of at most [`Layout::DEFAULT`]'s size, as many as reach it.
    pub fn with_rows_per_part(rows_per_part: usize) -> Layout {
        let rows_per_row_group = Layout::DEFAULT.rows_per_row_group.min(rows_per_part.max(1));
        Layout { rows_per_row_group, row_groups_per_part: rows_per_part.max(1).div_ceil(rows_per_row_group) }
    }
}

/// The name of part `n` of a dataset.
pub fn part_name(n: u32) -> String {
    format!("part-{n:05}.parquet")
}

/// One table being written to its folder.
pub struct Dataset {
    dir: PathBuf,
    schema: Schema,
    layout: Layout,
    /// Rows not yet written: fewer than a row group.
    pending: Option<DataFrame>,
    writer: Option<BatchedWriter<File>>,
    part: u32,
    groups_in_part: usize,
    rows: u64,
}

fn io_err(path: &Path, source: std::io::Error) -> ReportError {
    ReportError::Io { path: path.display().to_string(), source }
}

impl Dataset {
    /// Creates folder `dir` (which must not exist) for a table of `schema`.
    pub fn create(dir: &Path, schema: Schema, layout: Layout) -> Result<Dataset, ReportError> {
        assert!(layout.rows_per_row_group > 0 && layout.row_groups_per_part > 0, "an empty layout");
        std::fs::create_dir(dir).map_err(|e| io_err(dir, e))?;
        Ok(Dataset {
            dir: dir.to_path_buf(),
            schema,
            layout,
            pending: None,
            writer: None,
            part: 0,
            groups_in_part: 0,
            rows: 0,
        })
    }

    /// Appends rows; full row groups are written now, the rest waits for more.
    pub fn push(&mut self, rows: DataFrame) -> Result<(), ReportError> {
        if rows.height() == 0 {
            return Ok(());
        }
        if rows.schema().as_ref() != &self.schema {
            return Err(ReportError::Schema(format!(
                "{}: rows of schema {:?} for a table of schema {:?}",
                self.dir.display(),
                rows.schema(),
                self.schema
            )));
        }
        self.rows += rows.height() as u64;
        let mut pending = match self.pending.take() {
            Some(mut p) => {
                p.vstack_mut_owned(rows)?;
                p
            }
            None => rows,
        };
        let size = self.layout.rows_per_row_group;
        while pending.height() >= size {
            let rest = pending.slice(size as i64, pending.height() - size);
            self.write_group(pending.slice(0, size))?;
            pending = rest;
        }
        self.pending = (pending.height() > 0).then_some(pending);
        Ok(())
    }

    /// Writes one row group, opening the next part first when the current one is full.
    fn write_group(&mut self, group: DataFrame) -> Result<(), ReportError> {
        if self.groups_in_part == self.layout.row_groups_per_part {
            self.close_part()?;
        }
        if self.writer.is_none() {
            let path = self.dir.join(part_name(self.part));
            let file = File::create(&path).map_err(|e| io_err(&path, e))?;
            self.writer = Some(
                ParquetWriter::new(file)
                    .with_compression(ParquetCompression::Zstd(None))
                    .set_parallel(false)
                    .batched(&self.schema)?,
            );
        }
        // One chunk, so the group is written as one row group whatever the batching.
        let mut group = group;
        group.rechunk_mut();
        self.writer.as_mut().expect("opened above").write_batch(&group)?;
        self.groups_in_part += 1;
        Ok(())
    }

    fn close_part(&mut self) -> Result<(), ReportError> {
        if let Some(writer) = self.writer.take() {
            writer.finish()?;
            self.part += 1;
            self.groups_in_part = 0;
        }
        Ok(())
    }

    /// Writes what is left and closes the last part. A table with no rows still gets
    /// one (empty) part, so readers see its columns.
    pub fn finish(mut self) -> Result<Summary, ReportError> {
        if let Some(rest) = self.pending.take() {
            self.write_group(rest)?;
        }
        if self.writer.is_none() && self.part == 0 {
            self.write_group(DataFrame::empty_with_schema(&self.schema))?;
        }
        self.close_part()?;
        Ok(Summary { rows: self.rows, parts: self.part })
    }
}

/// What a finished dataset holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Rows written.
    pub rows: u64,
    /// Part files written.
    pub parts: u32,
}

/// Rows to build, on the writer thread, into a frame for one of a [`TableWriter`]'s
/// tables.
pub type BuildRows = Box<dyn FnOnce() -> Result<DataFrame, ReportError> + Send>;

/// A batch of rows for one of a [`TableWriter`]'s tables.
struct Batch {
    table: usize,
    rows: BuildRows,
}

/// Writes several datasets on a thread of its own, fed through a bounded channel.
pub struct TableWriter {
    sender: Option<SyncSender<Batch>>,
    thread: Option<JoinHandle<Result<Vec<Summary>, ReportError>>>,
}

impl TableWriter {
    /// Starts the writer thread for `datasets` (indexed by position in
    /// [`TableWriter::send`]); at most `capacity` batches wait in the channel.
    pub fn start(datasets: Vec<Dataset>, capacity: usize) -> TableWriter {
        let (sender, receiver) = sync_channel(capacity);
        let thread = std::thread::Builder::new()
            .name("dccsim-writer".into())
            .spawn(move || write_all(datasets, receiver))
            .expect("the writer thread starts");
        TableWriter { sender: Some(sender), thread: Some(thread) }
    }

    /// Queues `rows` for table `table`, waiting while the channel is full. An error
    /// means the writer has stopped; [`TableWriter::finish`] says why.
    pub fn send(&self, table: usize, rows: DataFrame) -> Result<(), ReportError> {
        self.send_with(table, Box::new(move || Ok(rows)))
    }

    /// Queues rows that `build` makes into a frame on the writer thread, so the
    /// caller does not wait for the columns to be built.
    pub fn send_with(&self, table: usize, build: BuildRows) -> Result<(), ReportError> {
        let sender = self.sender.as_ref().expect("not finished");
        sender.send(Batch { table, rows: build }).map_err(|_| ReportError::WriterStopped)
    }

    /// Waits for everything queued to be written and every part closed.
    pub fn finish(mut self) -> Result<Vec<Summary>, ReportError> {
        drop(self.sender.take());
        let thread = self.thread.take().expect("not finished");
        thread.join().unwrap_or(Err(ReportError::WriterStopped))
    }
}

impl Drop for TableWriter {
    fn drop(&mut self) {
        // Abandoned (the run failed): let the thread see the closed channel and end.
        drop(self.sender.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn write_all(mut datasets: Vec<Dataset>, receiver: Receiver<Batch>) -> Result<Vec<Summary>, ReportError> {
    for batch in receiver {
        let dataset = datasets.get_mut(batch.table).ok_or(ReportError::WriterStopped)?;
        // On an error the receiver is dropped on return, so senders fail at once.
        dataset.push((batch.rows)()?)?;
    }
    datasets.into_iter().map(Dataset::finish).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(from: u32, n: u32) -> DataFrame {
        let ids: Vec<u32> = (from..from + n).collect();
        let values: Vec<f64> = ids.iter().map(|&i| f64::from(i) * 0.5).collect();
        df!("id" => ids, "value_s" => values).unwrap()
    }

    fn schema() -> Schema {
        rows(0, 1).schema().as_ref().clone()
    }

    const SMALL: Layout = Layout { rows_per_row_group: 10, row_groups_per_part: 3 };

    #[test]
    fn parts_of_a_chosen_size_are_whole_row_groups() {
        assert_eq!(Layout::with_rows_per_part(8_388_608), Layout::DEFAULT);
        assert_eq!(Layout::with_rows_per_part(10_000), Layout { rows_per_row_group: 10_000, row_groups_per_part: 1 });
        let large = Layout::with_rows_per_part(200_000);
        assert_eq!((large.rows_per_row_group, large.row_groups_per_part), (131_072, 2));
    }

    fn write(dir: &Path, batches: &[u32]) -> Summary {
        let mut d = Dataset::create(dir, schema(), SMALL).unwrap();
        let mut next = 0;
        for &n in batches {
            d.push(rows(next, n)).unwrap();
            next += n;
        }
        d.finish().unwrap()
    }

    fn read_all(dir: &Path) -> DataFrame {
        let mut parts: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        parts.sort();
        let mut all: Option<DataFrame> = None;
        for p in parts {
            let df = ParquetReader::new(File::open(p).unwrap()).finish().unwrap();
            all = Some(match all {
                Some(mut a) => {
                    a.vstack_mut_owned(df).unwrap();
                    a
                }
                None => df,
            });
        }
        all.unwrap()
    }

    #[test]
    fn parts_hold_fixed_row_groups_and_every_row_once() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("requests");
        // 75 rows: 8 row groups (7 of 10, one of 5), parts of 3 groups → 3 parts.
        let summary = write(&dir, &[7, 30, 1, 0, 37]);
        assert_eq!(summary, Summary { rows: 75, parts: 3 });
        let names: Vec<String> = {
            let mut n: Vec<_> =
                std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
            n.sort();
            n
        };
        assert_eq!(names, [part_name(0), part_name(1), part_name(2)]);
        let all = read_all(&dir);
        let ids: Vec<u32> = all.column("id").unwrap().u32().unwrap().into_no_null_iter().collect();
        assert_eq!(ids, (0..75).collect::<Vec<_>>());
    }

    #[test]
    fn the_bytes_do_not_depend_on_how_rows_were_batched() {
        let tmp = tempfile::tempdir().unwrap();
        write(&tmp.path().join("a"), &[75]);
        write(&tmp.path().join("b"), &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 9]);
        for n in 0..3 {
            let a = std::fs::read(tmp.path().join("a").join(part_name(n))).unwrap();
            let b = std::fs::read(tmp.path().join("b").join(part_name(n))).unwrap();
            assert!(a == b, "part {n} differs between batchings");
        }
    }

    #[test]
    fn an_empty_table_still_has_its_columns() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("alerts");
        assert_eq!(write(&dir, &[]), Summary { rows: 0, parts: 1 });
        let df = read_all(&dir);
        assert_eq!(df.height(), 0);
        assert_eq!(df.schema().as_ref(), &schema());
    }

    #[test]
    fn the_writer_thread_writes_what_was_sent_to_each_table() {
        let tmp = tempfile::tempdir().unwrap();
        let datasets = vec![
            Dataset::create(&tmp.path().join("t0"), schema(), SMALL).unwrap(),
            Dataset::create(&tmp.path().join("t1"), schema(), SMALL).unwrap(),
        ];
        let writer = TableWriter::start(datasets, 2);
        for w in 0..20 {
            writer.send(0, rows(w * 4, 4)).unwrap();
            writer.send(1, rows(w, 1)).unwrap();
        }
        let summaries = writer.finish().unwrap();
        assert_eq!(summaries, [Summary { rows: 80, parts: 3 }, Summary { rows: 20, parts: 1 }]);
        assert_eq!(read_all(&tmp.path().join("t1")).height(), 20);
    }

    #[test]
    fn rows_of_another_schema_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let mut d = Dataset::create(&tmp.path().join("x"), schema(), SMALL).unwrap();
        let other = df!("id" => [1i64]).unwrap();
        assert!(matches!(d.push(other), Err(ReportError::Schema(_))));
    }
}
