//! The one narrow interface through which partitions talk.
//!
//! At each window barrier the engine asks an [`Exchange`] two things:
//! 1. **all-reduce**: the global least next-event time, from each partition's own;
//! 2. **all-to-all**: deliver every outbox message to its destination partition.
//!
//! Nothing else crosses partitions. [`InProcess`] does both in memory. An exchange
//! over processes (the `sim-mpi` crate) does an `MPI_Allreduce(MIN)` and an
//! `MPI_Alltoallv` over the same data and, because the destination orders messages
//! by their [`EventKey`] and never by arrival, it gives byte-identical results.

use std::ops::Range;

use crate::engine::PartitionId;
use crate::key::EventKey;
use crate::time::SimTime;

/// A message between partitions: its destination, its full event key and its payload.
#[derive(Debug, Clone)]
pub struct Envelope<T> {
    /// The partition that will handle it.
    pub to: PartitionId,
    /// Its place in the total event order, fixed by the sender.
    pub key: EventKey,
    /// The model's data.
    pub payload: T,
}

/// Which partitions live in this process: `local` of them, numbered from `first`,
/// out of `total` in the run. Event keys use the global numbers, so a run split
/// over processes orders its events exactly as one process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// The global number of the first local partition.
    pub first: u32,
    /// Partitions in the whole run, over every process.
    pub total: u32,
}

/// How partitions exchange messages and agree on time at a barrier.
///
/// Contract:
/// - `next_time` returns the minimum over all partitions (of every process) of the
///   given local next-event times, or `None` if every partition is idle.
/// - `deliver` moves every message out of the outboxes (leaving them empty) and
///   appends it to the inbox of its destination, indexed by local partition (its
///   global number less [`Placement::first`]), from any partition of any process.
///   The order within an inbox is unspecified: the engine must not, and does not,
///   depend on it.
/// - Every process calls both, once per barrier, in the same sequence: an exchange
///   over processes may use them as collective operations.
///
/// The engine owns both sets of buffers and keeps them between barriers, so an
/// exchange that only moves messages allocates nothing once they have grown.
pub trait Exchange<T> {
    /// All-reduce: the global next-event time.
    fn next_time(&mut self, local: &[Option<SimTime>]) -> Option<SimTime>;
    /// All-to-all: `outboxes[i]` is what partition `i` sent; `inboxes[j]` (empty on
    /// entry) receives what is addressed to partition `j`.
    fn deliver(&mut self, outboxes: &mut [Vec<Envelope<T>>], inboxes: &mut [Vec<Envelope<T>>]);
    /// Where the `local` partitions of this process sit in the run; by default they
    /// are the whole run.
    fn placement(&self, local: usize) -> Placement {
        Placement { first: 0, total: local as u32 }
    }
}

/// The partitions of rank `rank` of `ranks`: a contiguous block, the blocks in rank
/// order, their sizes differing by at most one. Rank order is partition order, so
/// gathering results by rank keeps them in partition order.
pub fn block(total: u32, ranks: u32, rank: u32) -> Range<u32> {
    assert!(rank < ranks && ranks <= total, "{ranks} ranks cannot share {total} partitions");
    let edge = |r: u32| (u64::from(total) * u64::from(r) / u64::from(ranks)) as u32;
    edge(rank)..edge(rank + 1)
}

/// The first partition of each of `ranks` contiguous blocks, and the partition
/// count last, cut so that each block's share of `weights` (one per partition, the
/// work expected of it) is as near an equal share as whole partitions allow. Every
/// rank gets at least one partition. Speed only: a run's results do not depend on
/// where the cuts fall.
pub fn weighted_edges(weights: &[u64], ranks: u32) -> Vec<u32> {
    let n = weights.len();
    assert!(ranks >= 1 && ranks as usize <= n, "{ranks} ranks cannot share {n} partitions");
    let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut prefix = vec![0u128; n + 1];
    for (i, &w) in weights.iter().enumerate() {
        prefix[i + 1] = prefix[i] + u128::from(w);
    }
    let mut edges = vec![0u32];
    for r in 1..ranks as usize {
        let target = total * r as u128 / u128::from(ranks);
        // The cut nearest the target, leaving room for one partition a rank.
        let (lo, hi) = (edges[r - 1] as usize + 1, n - (ranks as usize - r));
        let cut = (lo..=hi).min_by_key(|&i| prefix[i].abs_diff(target)).expect("lo <= hi");
        edges.push(cut as u32);
    }
    edges.push(n as u32);
    edges
}

/// The processes of a run, for what the run itself agrees on and gathers between
/// windows: a stop, its figures, the rows that rank 0 writes. Every process calls
/// each method in the same sequence (they may be collective operations).
pub trait Cluster {
    /// This process's rank, from 0.
    fn rank(&self) -> u32;
    /// How many processes run.
    fn ranks(&self) -> u32;
    /// Every rank's `bytes`, in rank order, at rank 0; `None` at the others.
    fn gather(&mut self, bytes: &[u8]) -> Option<Vec<Vec<u8>>>;
    /// The sum of every rank's `value`.
    fn all_sum(&mut self, value: u64) -> u64;
    /// The greatest of every rank's `value`.
    fn all_max(&mut self, value: u64) -> u64;

    /// The partitions of this rank in a run of `total`: its [`block`].
    fn partitions(&self, total: u32) -> Range<u32> {
        block(total, self.ranks(), self.rank())
    }
}

/// Every partition in this process.
#[derive(Debug, Default, Clone, Copy)]
pub struct InProcess;

impl<T> Exchange<T> for InProcess {
    fn next_time(&mut self, local: &[Option<SimTime>]) -> Option<SimTime> {
        local.iter().flatten().min().copied()
    }

    fn deliver(&mut self, outboxes: &mut [Vec<Envelope<T>>], inboxes: &mut [Vec<Envelope<T>>]) {
        for outbox in outboxes {
            for env in outbox.drain(..) {
                inboxes[env.to.0 as usize].push(env);
            }
        }
    }
}

/// One process: rank 0 of 1.
impl Cluster for InProcess {
    fn rank(&self) -> u32 {
        0
    }

    fn ranks(&self) -> u32 {
        1
    }

    fn gather(&mut self, bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
        Some(vec![bytes.to_vec()])
    }

    fn all_sum(&mut self, value: u64) -> u64 {
        value
    }

    fn all_max(&mut self, value: u64) -> u64 {
        value
    }
}
