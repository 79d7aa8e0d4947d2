//! How a network run or a sweep is launched: in this process alone, or as one rank
//! of an MPI job (`--mpi`, feature `mpi`), where rank 0 writes the outputs.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use models::measures::RowSink;
use models::network::{Progress, RunOptions, Stopped, run_world};
use models::world::World;

use crate::error::CliError;

/// This process's part in a run.
pub enum Launch {
    /// The whole run.
    Alone,
    /// One rank of an MPI job; MPI stays initialised while this lives.
    #[cfg(feature = "mpi")]
    Mpi { _universe: sim_mpi::mpi::Universe, rank: u32 },
}

/// How many ranks the MPI launcher (`mpirun`, `mpiexec`, `srun`) started, from
/// the environment it gives each process; 1 when none did.
pub fn launched_ranks() -> u32 {
    ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"]
        .iter()
        .find_map(|name| std::env::var(name).ok()?.parse().ok())
        .unwrap_or(1)
}

/// Refuses a command that cannot be split when an MPI launcher started several
/// ranks: each would do the whole of it, into the same folder.
pub fn alone(what: &str) -> Result<(), CliError> {
    match launched_ranks() {
        1 => Ok(()),
        ranks => Err(CliError::BadInput(format!(
            "started as {ranks} MPI ranks, but {what} runs in one process; allowed: `mpirun -n 1`, or no launcher"
        ))),
    }
}

impl Launch {
    /// The launch the command line and the MPI launcher ask for: one rank of an MPI
    /// job with `--mpi`, or when a launcher started several ranks. In a build
    /// without MPI that is bad input, saying how to build one.
    pub fn start(mpi: bool) -> Result<Launch, CliError> {
        let ranks = launched_ranks();
        if !mpi && ranks == 1 {
            return Ok(Launch::Alone);
        }
        #[cfg(feature = "mpi")]
        {
            let universe = sim_mpi::mpi::init()
                .ok_or_else(|| CliError::BadInput("--mpi: MPI could not start with serialised threads".into()))?;
            let rank = sim_mpi::Collectives::rank(&sim_mpi::mpi::Mpi::world());
            Ok(Launch::Mpi { _universe: universe, rank })
        }
        #[cfg(not(feature = "mpi"))]
        Err(CliError::BadInput(format!(
            "{}: this dccsim was built without MPI; allowed: a build with `--features mpi`, \
             `cargo build --release --features mpi` (docs/cluster.md)",
            if mpi { "--mpi".to_string() } else { format!("started as {ranks} MPI ranks") }
        )))
    }

    /// Checks that every rank runs the same study (file, `--set`s, seed and scale,
    /// as validated): ranks given different ones would mix two runs. Every rank
    /// gets the same answer.
    pub fn check_same_study(&self, scenario: &models::Scenario) -> Result<(), CliError> {
        // The validated scenario as the same build prints it.
        self.check_same(&format!("{scenario:?}"))
    }

    /// Checks that every rank was given the same `study` (any text that describes
    /// it whole); every rank gets the same answer.
    pub fn check_same(&self, study: &str) -> Result<(), CliError> {
        // FNV-1a: equal texts give equal hashes on every rank.
        let hash =
            study.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        if self.all_min(hash) == u64::MAX - self.all_min(u64::MAX - hash) {
            return Ok(());
        }
        Err(CliError::BadInput(
            "the MPI ranks were given different studies (scenario file, --set, --seed, --scale or \
             --replications); allowed: the same command line and file on every rank"
                .into(),
        ))
    }

    /// The least of every rank's `value`.
    fn all_min(&self, value: u64) -> u64 {
        match self {
            Launch::Alone => value,
            #[cfg(feature = "mpi")]
            Launch::Mpi { .. } => sim_mpi::Collectives::all_reduce_min(&mut sim_mpi::mpi::Mpi::world(), value),
        }
    }

    /// Whether `flag` holds on any rank; every rank gets the same answer.
    pub fn any(&self, flag: bool) -> bool {
        self.all_min(u64::from(!flag)) == 0
    }

    /// Agrees on a step every rank takes (or only rank 0, as `Ok(None)` elsewhere),
    /// so that no rank waits in a collective for a rank that has stopped (MPI's
    /// finalisation waits for every rank, so a rank that stops alone would hang the
    /// job). A rank whose step failed gets its own error; when only others failed,
    /// [`CliError::AnotherRankFailed`].
    pub fn agree<T>(&self, mine: Result<T, CliError>) -> Result<T, CliError> {
        if self.any(mine.is_err()) { mine.and_then(|_| Err(CliError::AnotherRankFailed)) } else { mine }
    }

    /// This process's rank, and how many ranks there are.
    pub fn rank_of(&self) -> (u32, u32) {
        match self {
            Launch::Alone => (0, 1),
            #[cfg(feature = "mpi")]
            Launch::Mpi { rank, .. } => (*rank, sim_mpi::Collectives::ranks(&sim_mpi::mpi::Mpi::world())),
        }
    }

    /// Every rank's `bytes`, in rank order, at rank 0; `None` at the others.
    pub fn gather(&self, bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
        match self {
            Launch::Alone => Some(vec![bytes.to_vec()]),
            #[cfg(feature = "mpi")]
            Launch::Mpi { .. } => sim_mpi::Collectives::gather(&mut sim_mpi::mpi::Mpi::world(), bytes),
        }
    }

    /// Whether this process writes the outputs.
    pub fn writes(&self) -> bool {
        match self {
            Launch::Alone => true,
            #[cfg(feature = "mpi")]
            Launch::Mpi { rank, .. } => *rank == 0,
        }
    }

    /// Runs this process's part of the run of `world`.
    pub fn run(
        &self,
        world: Arc<World>,
        options: RunOptions,
        progress: &mut (dyn FnMut(Progress) + Send),
        stop: &AtomicBool,
        sink: &mut dyn RowSink,
    ) -> Result<models::RunOutput, Stopped> {
        match self {
            Launch::Alone => run_world(world, options, progress, stop, sink),
            #[cfg(feature = "mpi")]
            Launch::Mpi { .. } => {
                let partitions = world.layout.partitions();
                let exchange = sim_mpi::RankExchange::new(sim_mpi::mpi::Mpi::world(), partitions);
                models::network::run_world_on(world, options, progress, stop, sink, exchange)
            }
        }
    }
}
