//! How a network run is launched: in this process alone, or as one rank of an MPI
//! job (`dccsim run --mpi`, feature `mpi`), where rank 0 writes the outputs.

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

impl Launch {
    /// The launch the command line asks for; `--mpi` without MPI in the build is
    /// bad input.
    pub fn start(mpi: bool) -> Result<Launch, CliError> {
        if !mpi {
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
        Err(CliError::BadInput(
            "--mpi: this dccsim was built without MPI; allowed: a build with `--features mpi` (docs/mpi.md)".into(),
        ))
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
