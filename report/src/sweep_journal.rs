//! The journal of a sweep in progress, so that `dccsim sweep --resume` carries on
//! where an interrupted sweep stopped instead of starting again.
//!
//! It is a hidden file beside the output folder, `.NAME.sweep-journal`, of JSON
//! lines: first the sweep's fingerprint, then one line per finished job (its figures
//! as the bits of each `f64`, so a resumed sweep gives byte-identical tables). It
//! is removed when the sweep's folder is written. A line cut short by a crash is
//! ignored, and that job runs again.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use models::sweep_runner::{JobOutcome, ReplicationRow, Shard, SweepPlan};
use serde::{Deserialize, Serialize};

use crate::ReportError;
use crate::manifest::{COMMIT, sha256_hex};

/// One line of the journal.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Line {
    /// The first line: which sweep this is.
    Header { fingerprint: String },
    /// A finished job.
    Job {
        point: u32,
        replication: u32,
        values: Vec<String>,
        /// The figures' bits, hex; absent when the job failed.
        #[serde(default)]
        figures: Option<Vec<String>>,
        /// Why the job failed.
        #[serde(default)]
        error: Option<String>,
    },
}

/// An open journal.
pub struct SweepJournal {
    path: PathBuf,
    file: Mutex<File>,
}

/// What identifies a sweep: its file, overrides, seed, replications, shard and the
/// program. A journal of any other sweep is never resumed.
pub fn fingerprint(plan: &SweepPlan, shard: Shard) -> String {
    let sets: Vec<&str> = plan.sets.iter().map(|s| s.flag.as_str()).collect();
    let text = format!(
        "{}\n{:?}\nseed {}\nscale {:?}\nreplications {}\nwarmup {}\nshard {}/{}\n{} {COMMIT}",
        sha256_hex(plan.text.as_bytes()),
        sets,
        plan.base.seed,
        plan.scale,
        plan.spec.replications,
        plan.spec.warmup.0,
        shard.index,
        shard.count,
        env!("CARGO_PKG_VERSION"),
    );
    sha256_hex(text.as_bytes())
}

impl SweepJournal {
    /// Where the journal of a sweep written to `out` lives.
    pub fn path_for(out: &Path) -> PathBuf {
        crate::output_dir::beside(out, "sweep-journal")
    }

    /// Opens the journal of the sweep `fingerprint` writing to `out`. With `resume`,
    /// the jobs it records come back (none if there is no journal); a journal of
    /// another sweep is an error. Without, any journal there is started again.
    pub fn open(
        out: &Path,
        fingerprint: &str,
        resume: bool,
    ) -> Result<(SweepJournal, Vec<ReplicationRow>), ReportError> {
        let path = SweepJournal::path_for(out);
        let io = |e| crate::io_err(&path, e);
        let mut done = Vec::new();
        if resume && path.exists() {
            let mut lines = BufReader::new(File::open(&path).map_err(io)?).lines();
            let first = lines.next().transpose().map_err(io)?;
            match first.and_then(|l| serde_json::from_str::<Line>(&l).ok()) {
                Some(Line::Header { fingerprint: f }) if f == fingerprint => {}
                _ => return Err(ReportError::OtherSweep(path.display().to_string())),
            }
            // A line cut short (the last, after a crash) is left out: its job reruns.
            for line in lines.map_while(Result::ok) {
                if let Ok(Line::Job { point, replication, values, figures, error }) = serde_json::from_str(&line)
                    && let Some(outcome) = outcome(figures, error)
                {
                    done.push(ReplicationRow { point, replication, values, outcome });
                }
            }
        }
        // Written afresh: the header, then what was read, so that a line cut short
        // is not followed by more.
        let mut file = OpenOptions::new().create(true).append(true).open(&path).map_err(io)?;
        file.set_len(0).map_err(io)?;
        let mut text = serde_json::to_string(&Line::Header { fingerprint: fingerprint.to_string() })? + "\n";
        for row in &done {
            text += &(serde_json::to_string(&job_line(row))? + "\n");
        }
        file.write_all(text.as_bytes()).map_err(io)?;
        Ok((SweepJournal { path, file: Mutex::new(file) }, done))
    }

    /// Records a finished job: one line, written whole and flushed.
    pub fn record(&self, row: &ReplicationRow) -> Result<(), ReportError> {
        let line = format!("{}\n", serde_json::to_string(&job_line(row))?);
        let mut file = self.file.lock().expect("journal lock");
        file.write_all(line.as_bytes()).and_then(|()| file.flush()).map_err(|e| crate::io_err(&self.path, e))
    }

    /// Removes the journal: the sweep's folder is written.
    pub fn remove(self) -> Result<(), ReportError> {
        std::fs::remove_file(&self.path).map_err(|e| crate::io_err(&self.path, e))
    }
}

/// `rows` as bytes that [`decode_rows`] reads back exactly (figures by their
/// bits): how MPI ranks hand their finished jobs to rank 0.
pub fn encode_rows(rows: &[ReplicationRow]) -> Result<Vec<u8>, ReportError> {
    let mut out = Vec::new();
    for row in rows {
        serde_json::to_writer(&mut out, &job_line(row))?;
        out.push(b'\n');
    }
    Ok(out)
}

/// The rows of [`encode_rows`]' bytes.
pub fn decode_rows(bytes: &[u8]) -> Result<Vec<ReplicationRow>, ReportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ReportError::Combine(format!("rows from a rank: {e}")))?;
    text.lines()
        .map(|line| match serde_json::from_str(line)? {
            Line::Job { point, replication, values, figures, error } => outcome(figures, error)
                .map(|outcome| ReplicationRow { point, replication, values, outcome })
                .ok_or_else(|| ReportError::Combine(format!("a row from a rank has no outcome: {line}"))),
            Line::Header { .. } => Err(ReportError::Combine(format!("not a row: {line}"))),
        })
        .collect()
}

fn job_line(row: &ReplicationRow) -> Line {
    let figures = row.figures().map(|f| f.iter().map(|x| format!("{:016x}", x.to_bits())).collect());
    Line::Job {
        point: row.point,
        replication: row.replication,
        values: row.values.clone(),
        figures,
        error: row.failure().map(str::to_string),
    }
}

fn outcome(figures: Option<Vec<String>>, error: Option<String>) -> Option<JobOutcome> {
    match (figures, error) {
        (Some(bits), None) => {
            let parse = |b: &String| u64::from_str_radix(b, 16).ok().map(f64::from_bits);
            bits.iter().map(parse).collect::<Option<Vec<f64>>>().map(JobOutcome::Ok)
        }
        (None, Some(message)) => Some(JobOutcome::Failed { message }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(point: u32, replication: u32, outcome: JobOutcome) -> ReplicationRow {
        ReplicationRow { point, replication, values: vec![format!("{}", 8 * (point + 1))], outcome }
    }

    /// Rows as the journal writes them: bit for bit, NaN included.
    fn lines(rows: &[ReplicationRow]) -> Vec<String> {
        rows.iter().map(|r| serde_json::to_string(&job_line(r)).unwrap()).collect()
    }

    #[test]
    fn a_resumed_journal_gives_back_every_finished_job_bit_for_bit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sweep");
        let rows = [
            row(0, 0, JobOutcome::Ok(vec![0.1 + 0.2, f64::NAN, -0.0, f64::MAX, 1e-300])),
            row(1, 0, JobOutcome::Failed { message: "panicked at x.rs:1:2: \"quoted\"\nline".into() }),
        ];
        let (journal, done) = SweepJournal::open(&out, "f1", true).unwrap();
        assert!(done.is_empty(), "no journal yet");
        rows.iter().for_each(|r| journal.record(r).unwrap());
        drop(journal);
        let (_, done) = SweepJournal::open(&out, "f1", true).unwrap();
        assert_eq!(lines(&done), lines(&rows));
        // Reopened, it holds the same jobs, and can be reopened again.
        let (_, again) = SweepJournal::open(&out, "f1", true).unwrap();
        assert_eq!(lines(&again), lines(&rows));
    }

    #[test]
    fn rows_handed_between_ranks_come_back_bit_for_bit() {
        let rows = [
            row(2, 1, JobOutcome::Ok(vec![f64::NAN, 1.0 / 3.0, -0.0])),
            row(0, 0, JobOutcome::Failed { message: "panicked at a.rs:1:1: \"x\"".into() }),
        ];
        let back = decode_rows(&encode_rows(&rows).unwrap()).unwrap();
        assert_eq!(lines(&back), lines(&rows));
        assert!(decode_rows(b"{\"fingerprint\":\"f\"}").is_err(), "a header is not a row");
        assert!(decode_rows(b"").unwrap().is_empty());
    }

    #[test]
    fn a_line_cut_short_is_left_out_and_another_sweeps_journal_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sweep");
        let (journal, _) = SweepJournal::open(&out, "f1", false).unwrap();
        journal.record(&row(0, 0, JobOutcome::Ok(vec![1.0]))).unwrap();
        journal.record(&row(0, 1, JobOutcome::Ok(vec![2.0]))).unwrap();
        drop(journal);
        let path = SweepJournal::path_for(&out);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..text.len() - 10]).unwrap();
        let (_, done) = SweepJournal::open(&out, "f1", true).unwrap();
        assert_eq!(done.len(), 1, "the cut line's job runs again");
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 2, "rewritten without the cut line");
        assert!(matches!(SweepJournal::open(&out, "f2", true), Err(ReportError::OtherSweep(_))));
        let (journal, done) = SweepJournal::open(&out, "f2", false).unwrap();
        assert!(done.is_empty(), "without --resume it starts again");
        journal.remove().unwrap();
        assert!(!path.exists());
    }
}
