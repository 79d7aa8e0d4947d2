//! `dccsim sweep`: every point of a study's `[sweep]`, replicated.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use models::scenario::sweep::SweepSpec;
use models::study::{Source, Study};
use models::sweep_runner::{ReplicationRow, Shard, SweepPlan};
use report::sweep_journal::{SweepJournal, fingerprint};

use crate::cli::{CommonArgs, load};
use crate::error::CliError;
use crate::memory_guard::check_sweep_memory;
use crate::progress::Progress;

/// What `dccsim sweep` was asked to do, besides the options shared with `run`.
pub(crate) struct SweepArgs {
    /// `--replications`.
    pub replications: Option<u32>,
    /// `--shard`.
    pub shard: Shard,
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--resume`: skip the jobs an interrupted run of the same sweep finished.
    pub resume: bool,
}

pub(crate) fn sweep(path: &Path, args: SweepArgs, common: &CommonArgs) -> Result<(), CliError> {
    let SweepArgs { replications, shard, out, resume } = args;
    // Sweeps spread over machines by --shard and `dccsim combine`, not over ranks.
    crate::ranks::alone("`dccsim sweep` (spread a sweep over machines with --shard and `dccsim combine`)")?;
    // A network file without [sweep] is swept as written: replications only.
    let (base, mut spec, source) = match load(path, &common.overrides())? {
        Study::Sweep { base, spec, source } => (base, spec, source),
        Study::Network { scenario, source } => {
            let spec = SweepSpec { replications: 5, warmup: sim::SimDuration::ZERO, parameters: Vec::new() };
            (scenario, spec, source)
        }
        Study::Rollout { .. } => {
            return Err(CliError::BadInput(format!(
                "{}: a rollout study has no [sweep]; run it with `dccsim run`",
                path.display()
            )));
        }
    };
    let base = *base;
    if let Some(r) = replications {
        spec.replications = r;
    }
    check_sweep_memory(&spec, &source, common)?;
    let out = out.unwrap_or_else(|| {
        let name = if shard.count == 1 {
            format!("{}-sweep", base.folder_name())
        } else {
            format!("{}-sweep-shard-{}-of-{}", base.folder_name(), shard.index, shard.count)
        };
        Path::new("output").join(name)
    });
    let _claim = report::output_dir::Claim::take(&out)?;
    let Source { file, text, sets } = source;
    let plan = SweepPlan { file, text, base, spec, scale: common.scale, sets };
    let (journal, done) = SweepJournal::open(&out, &fingerprint(&plan, shard), resume)?;
    let jobs = plan.jobs(shard).len() as u64;
    if resume {
        eprintln!(
            "note: resuming: {} of {jobs} runs were done; running the other {}",
            done.len(),
            jobs - done.len() as u64
        );
    }
    let progress = Progress::new(common.progress(), jobs, "{bar:40} {pos}/{len} runs{msg} · eta {eta}");
    tracing::info!(
        scenario = %plan.base.name,
        points = plan.points().len(),
        replications = plan.spec.replications,
        jobs,
        resumed = done.len(),
        shard = %format!("{}/{}", shard.index, shard.count),
        threads = common.threads(),
        "sweep starting"
    );
    let failed = AtomicUsize::new(done.iter().filter(|r| r.failure().is_some()).count());
    let finished = AtomicU64::new(done.len() as u64);
    let journal_error = Mutex::new(None);
    progress.run_done(finished.load(Ordering::Relaxed), jobs, failed.load(Ordering::Relaxed));
    let on_done = |row: &ReplicationRow| {
        if let Some(message) = row.failure() {
            failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(point = row.point, replication = row.replication, error = message, "sweep run failed");
        }
        if let Err(e) = journal.record(row) {
            journal_error.lock().expect("journal error lock").get_or_insert(e);
        }
        let n = finished.fetch_add(1, Ordering::Relaxed) + 1;
        progress.run_done(n, jobs, failed.load(Ordering::Relaxed));
    };
    let stop = crate::interrupt::StopOnSignal::install();
    let rows = plan.run_until_stopped(shard, common.threads(), &done, &on_done, stop.flag());
    drop(stop);
    if let Some(e) = journal_error.into_inner().expect("journal error lock") {
        progress.abandon();
        return Err(CliError::Output(e));
    }
    let Some(rows) = rows else {
        progress.abandon();
        return Err(CliError::SweepInterrupted { done: finished.load(Ordering::Relaxed), of: jobs });
    };
    progress.writing("the sweep's tables");
    let parameters: Vec<String> = plan.spec.parameters.iter().map(|p| p.key.clone()).collect();
    let dir = report::sweep::write(&out, &plan, shard, rows.clone(), common.threads(), progress.wall_s())?;
    journal.remove()?;
    progress.done(&dir);
    out!("{}", report::sweep::summary_text(&parameters, &rows));
    outln!("\n{} runs; outputs in {}", rows.len(), dir.display());
    match report::sweep::failures_text(&parameters, &rows) {
        Some(failures) => Err(CliError::RunsFailed(failures)),
        None => Ok(()),
    }
}
