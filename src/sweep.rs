//! `dccsim sweep`: every point of a study's `[sweep]`, replicated; in one process,
//! or spread over MPI ranks, each running every R-th job, rank 0 writing the same
//! folder one process writes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use models::scenario::sweep::SweepSpec;
use models::study::{Source, Study};
use models::sweep_runner::{ReplicationRow, Shard, SweepPlan};
use report::sweep_journal::{SweepJournal, decode_rows, encode_rows, fingerprint};

use crate::cli::{CommonArgs, load};
use crate::error::CliError;
use crate::memory_guard::check_sweep_memory;
use crate::progress::{Progress, ProgressMode};
use crate::ranks::Launch;

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
    /// `--mpi`: one rank of an MPI job (implied when a launcher started several).
    pub mpi: bool,
}

pub(crate) fn sweep(path: &Path, args: SweepArgs, common: &CommonArgs) -> Result<(), CliError> {
    let SweepArgs { replications, shard, out, resume, mpi } = args;
    let launch = Launch::start(mpi)?;
    let (rank, ranks) = launch.rank_of();
    if ranks > 1 && (shard.count > 1 || resume) {
        let flag = if resume { "--resume" } else { "--shard" };
        return Err(CliError::BadInput(format!(
            "{flag}: a sweep over {ranks} MPI ranks is split by the ranks and runs in one go; allowed: {flag} \
             without a launcher, or the ranks without {flag}"
        )));
    }
    // Under MPI, rank r runs every R-th job; rank 0 gathers them all.
    let split = if ranks > 1 { Shard { index: rank, count: ranks } } else { shard };
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
    // Every rank checks its own machine's memory, and all stop if one would not fit.
    launch.agree(check_sweep_memory(&spec, &source, common))?;
    let writes = launch.writes();
    let out = out.unwrap_or_else(|| {
        let name = if shard.count == 1 {
            format!("{}-sweep", base.folder_name())
        } else {
            format!("{}-sweep-shard-{}-of-{}", base.folder_name(), shard.index, shard.count)
        };
        Path::new("output").join(name)
    });
    // Every rank learns whether rank 0 could claim the folder, so none waits for it.
    let claim = writes.then(|| report::output_dir::Claim::take(&out)).transpose();
    let _claim = launch.agree(claim.map_err(CliError::from))?;
    let Source { file, text, sets } = source;
    let plan = SweepPlan { file, text, base, spec, scale: common.scale, sets };
    let fingerprint = fingerprint(&plan, shard);
    launch.check_same(&fingerprint)?;
    // One process keeps a journal for --resume; ranks run in one go.
    let (journal, done) = match ranks {
        1 => {
            let (journal, done) = SweepJournal::open(&out, &fingerprint, resume)?;
            (Some(journal), done)
        }
        _ => (None, Vec::new()),
    };
    let jobs = plan.jobs(split).len() as u64;
    if resume {
        eprintln!(
            "note: resuming: {} of {jobs} runs were done; running the other {}",
            done.len(),
            jobs - done.len() as u64
        );
    }
    let shown = if writes { common.progress() } else { ProgressMode::None };
    let progress = Progress::new(shown, jobs, "{bar:40} {pos}/{len} runs{msg} · eta {eta}");
    tracing::info!(
        scenario = %plan.base.name,
        points = plan.points().len(),
        replications = plan.spec.replications,
        jobs,
        resumed = done.len(),
        shard = %format!("{}/{}", split.index, split.count),
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
        if let Some(Err(e)) = journal.as_ref().map(|j| j.record(row)) {
            journal_error.lock().expect("journal error lock").get_or_insert(e);
        }
        let n = finished.fetch_add(1, Ordering::Relaxed) + 1;
        progress.run_done(n, jobs, failed.load(Ordering::Relaxed));
    };
    let stop = crate::interrupt::StopOnSignal::install();
    let rows = plan.run_until_stopped(split, common.threads(), &done, &on_done, stop.flag());
    drop(stop);
    if let Some(e) = journal_error.into_inner().expect("journal error lock") {
        progress.abandon();
        return Err(CliError::Output(e));
    }
    // A rank stopped by a signal stops them all: none writes.
    let rows = match (launch.any(rows.is_none()), rows) {
        (false, Some(rows)) => rows,
        _ => {
            progress.abandon();
            return Err(CliError::SweepInterrupted { done: finished.load(Ordering::Relaxed), of: jobs });
        }
    };
    let Some(rows) = gather_rows(&launch, &rows)? else {
        return Ok(()); // Another rank: rank 0 writes.
    };
    progress.writing("the sweep's tables");
    let parameters: Vec<String> = plan.spec.parameters.iter().map(|p| p.key.clone()).collect();
    let dir = report::sweep::write(&out, &plan, shard, rows.clone(), common.threads(), progress.wall_s())?;
    if let Some(journal) = journal {
        journal.remove()?;
    }
    progress.done(&dir);
    out!("{}", report::sweep::summary_text(&parameters, &rows));
    outln!("\n{} runs; outputs in {}", rows.len(), dir.display());
    match report::sweep::failures_text(&parameters, &rows) {
        Some(failures) => Err(CliError::RunsFailed(failures)),
        None => Ok(()),
    }
}

/// Every rank's rows, in job order, at rank 0 (this process's own when alone);
/// `None` at the other ranks.
fn gather_rows(launch: &Launch, rows: &[ReplicationRow]) -> Result<Option<Vec<ReplicationRow>>, CliError> {
    let Some(parts) = launch.gather(&encode_rows(rows)?) else { return Ok(None) };
    let mut all = Vec::new();
    for part in parts {
        all.extend(decode_rows(&part)?);
    }
    all.sort_by_key(|r| (r.point, r.replication));
    Ok(Some(all))
}
