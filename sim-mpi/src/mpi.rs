//! The transport over MPI (feature `mpi`).
//!
//! The communicator is looked up on each call rather than stored: with Open MPI
//! it is a pointer, not `Send`, and the engine runs its loop on a worker thread.
//! MPI must therefore be initialised with at least `Threading::Serialized`
//! ([`init`]): one thread at a time calls it, but not always the main one.

use mpi::Count;
use mpi::collective::SystemOperation;
use mpi::datatype::{Partition, PartitionMut};
pub use mpi::environment::Universe;
use mpi::topology::SimpleCommunicator;
use mpi::traits::{Communicator, CommunicatorCollectives, Root};

use crate::Collectives;

/// Initialises MPI for a run; keep the universe until the end (dropping it
/// finalises MPI). `None` if MPI cannot give serialised threading.
pub fn init() -> Option<Universe> {
    let (universe, level) = mpi::initialize_with_threading(mpi::Threading::Serialized)?;
    matches!(level, mpi::Threading::Serialized | mpi::Threading::Multiple).then_some(universe)
}

/// This process's rank in `MPI_COMM_WORLD`.
pub struct Mpi {
    rank: u32,
    ranks: u32,
    counts: Vec<Count>,
    displs: Vec<Count>,
    recv_counts: Vec<Count>,
    recv_displs: Vec<Count>,
}

impl Mpi {
    /// The world communicator's view of this process. MPI must be initialised.
    pub fn world() -> Mpi {
        let world = SimpleCommunicator::world();
        let (rank, ranks) = (world.rank() as u32, world.size() as u32);
        Mpi { rank, ranks, counts: Vec::new(), displs: Vec::new(), recv_counts: Vec::new(), recv_displs: Vec::new() }
    }
}

/// A byte count as MPI takes it; a segment of 2 GiB or more is refused.
fn count(n: usize) -> Count {
    Count::try_from(n).expect("a message segment of 2 GiB or more")
}

/// Offsets of consecutive segments of the lengths in `counts`.
fn offsets(counts: &[Count], out: &mut Vec<Count>) {
    out.clear();
    let mut at = 0;
    for &c in counts {
        out.push(at);
        at += c;
    }
}

impl Collectives for Mpi {
    fn rank(&self) -> u32 {
        self.rank
    }

    fn ranks(&self) -> u32 {
        self.ranks
    }

    fn all_reduce_min(&mut self, value: u64) -> u64 {
        let mut least = u64::MAX;
        SimpleCommunicator::world().all_reduce_into(&value, &mut least, SystemOperation::min());
        least
    }

    fn all_to_all(&mut self, send: &[u8], send_counts: &[usize], recv: &mut Vec<u8>, recv_counts: &mut Vec<usize>) {
        let world = SimpleCommunicator::world();
        self.counts.clear();
        self.counts.extend(send_counts.iter().map(|&n| count(n)));
        offsets(&self.counts, &mut self.displs);
        self.recv_counts.clear();
        self.recv_counts.resize(self.ranks as usize, 0);
        world.all_to_all_into(&self.counts[..], &mut self.recv_counts[..]);
        offsets(&self.recv_counts, &mut self.recv_displs);
        let total: usize = self.recv_counts.iter().map(|&c| c as usize).sum();
        recv.clear();
        // Empty buffers would share one dangling address, which MPI refuses as the
        // same buffer sent and received: give each a place of its own.
        recv.reserve(1);
        recv.resize(total, 0);
        let placeholder = [0u8; 1];
        let send = if send.is_empty() { &placeholder[..] } else { send };
        let outgoing = Partition::new(send, &self.counts[..], &self.displs[..]);
        let mut incoming = PartitionMut::new(&mut recv[..], &self.recv_counts[..], &self.recv_displs[..]);
        world.all_to_all_varcount_into(&outgoing, &mut incoming);
        recv_counts.clear();
        recv_counts.extend(self.recv_counts.iter().map(|&c| c as usize));
    }

    fn all_reduce_sum(&mut self, value: u64) -> u64 {
        let mut sum = 0u64;
        SimpleCommunicator::world().all_reduce_into(&value, &mut sum, SystemOperation::sum());
        sum
    }

    fn gather(&mut self, bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
        let world = SimpleCommunicator::world();
        let root = world.process_at_rank(0);
        let n = count(bytes.len());
        let placeholder = [0u8; 1];
        let bytes = if bytes.is_empty() { &placeholder[..0] } else { bytes };
        if self.rank != 0 {
            root.gather_into(&n);
            root.gather_varcount_into(bytes);
            return None;
        }
        let mut counts = vec![0 as Count; self.ranks as usize];
        root.gather_into_root(&n, &mut counts[..]);
        let mut displs = Vec::new();
        offsets(&counts, &mut displs);
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        let mut all = Vec::with_capacity(total.max(1));
        all.resize(total, 0u8);
        let mut parts = PartitionMut::new(&mut all[..], &counts[..], &displs[..]);
        root.gather_varcount_into_root(bytes, &mut parts);
        Some(counts.iter().zip(&displs).map(|(&c, &d)| all[d as usize..(d + c) as usize].to_vec()).collect())
    }
}
