//! The engine's window barrier across processes.
//!
//! [`sim::Exchange`] is the only place partitions meet: at each barrier, an
//! all-reduce of the next event time and an all-to-all of messages. This crate
//! runs that exchange between *ranks*, each holding a contiguous block of the run's
//! partitions ([`block`]):
//!
//! - [`RankExchange`] does the engine's part: it keeps messages between local
//!   partitions in memory, encodes the rest as bytes ([`Wire`]), and decodes what
//!   arrives in rank order. It is generic over the transport ([`Collectives`]).
//! - [`threads::ThreadRanks`] is a transport whose ranks are threads of one
//!   process: the exchange and its placement are tested without MPI.
//! - `mpi::Mpi` (feature `mpi`) is the transport over MPI: `MPI_Allreduce(MIN)`,
//!   `MPI_Alltoall` of byte counts and `MPI_Alltoallv` of the bytes.
//!
//! Results do not depend on the split. Event keys carry global partition numbers
//! ([`sim::Placement`]), every rank runs the same windows (the all-reduce gives them
//! the same start), and a partition orders what it receives by event key, never by
//! arrival. So a run over any number of ranks handles every event exactly as one
//! process does; the tests compare the two event by event.

#[cfg(feature = "mpi")]
pub mod mpi;
pub mod phold;
pub mod threads;
pub use sim::{Wire, block};

use std::ops::Range;

use sim::{Cluster, EntityId, Envelope, EventKey, Exchange, PartitionId, Placement, SimTime};

/// Open MPI's settings for running as root in a container on one machine with no
/// network hardware, as CI does: allow root, allow more ranks than cores, share
/// memory without cross-memory attach, and use only the shared-memory transport.
pub const OPEN_MPI_IN_A_CONTAINER: [(&str, &str); 6] = [
    ("OMPI_ALLOW_RUN_AS_ROOT", "1"),
    ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"),
    ("OMPI_MCA_rmaps_base_oversubscribe", "1"),
    ("OMPI_MCA_btl_vader_single_copy_mechanism", "none"),
    ("OMPI_MCA_pml", "ob1"),
    ("OMPI_MCA_btl", "self,vader"),
];

/// The collective operations a transport between ranks offers. Every rank calls
/// them in the same order.
pub trait Collectives {
    /// This rank's number, from 0.
    fn rank(&self) -> u32;
    /// How many ranks there are.
    fn ranks(&self) -> u32;
    /// The least of every rank's `value`.
    fn all_reduce_min(&mut self, value: u64) -> u64;
    /// All-to-all of bytes: `send` holds one segment per destination rank, of the
    /// lengths in `send_counts`; on return `recv` holds one segment per source
    /// rank, in rank order, of the lengths in `recv_counts`.
    fn all_to_all(&mut self, send: &[u8], send_counts: &[usize], recv: &mut Vec<u8>, recv_counts: &mut Vec<usize>);
    /// The sum of every rank's `value`.
    fn all_reduce_sum(&mut self, value: u64) -> u64;
    /// Every rank's `bytes`, in rank order, at rank 0; `None` at the others.
    fn gather(&mut self, bytes: &[u8]) -> Option<Vec<Vec<u8>>>;
}

/// The exchange of one rank: its partitions are `block(total, ranks, rank)`.
pub struct RankExchange<C> {
    transport: C,
    total: u32,
    mine: Range<u32>,
    /// First partition of each rank, and `total` last: whose partition is which.
    edges: Vec<u32>,
    send: Vec<u8>,
    send_counts: Vec<usize>,
    /// Each rank's segment while it is being built.
    segments: Vec<Vec<u8>>,
    recv: Vec<u8>,
    recv_counts: Vec<usize>,
}

impl<C: Collectives> RankExchange<C> {
    /// The exchange of `transport`'s rank in a run of `total` partitions, in
    /// blocks equal in count ([`block`]).
    pub fn new(transport: C, total: u32) -> RankExchange<C> {
        let ranks = transport.ranks();
        let edges = (0..ranks).map(|r| block(total, ranks, r).start).chain([total]).collect();
        RankExchange::with_edges(transport, edges)
    }

    /// The exchange of `transport`'s rank, the partitions cut into blocks by the
    /// work expected of each ([`sim::weighted_edges`]).
    pub fn weighted(transport: C, weights: &[u64]) -> RankExchange<C> {
        let edges = sim::weighted_edges(weights, transport.ranks());
        RankExchange::with_edges(transport, edges)
    }

    /// `edges`: the first partition of each rank's block, and the total last.
    fn with_edges(transport: C, edges: Vec<u32>) -> RankExchange<C> {
        let ranks = transport.ranks();
        assert_eq!(edges.len(), ranks as usize + 1, "one block a rank");
        let rank = transport.rank() as usize;
        let (mine, total) = (edges[rank]..edges[rank + 1], edges[ranks as usize]);
        let segments = (0..ranks).map(|_| Vec::new()).collect();
        RankExchange {
            transport,
            total,
            mine,
            edges,
            send: Vec::new(),
            send_counts: Vec::new(),
            segments,
            recv: Vec::new(),
            recv_counts: Vec::new(),
        }
    }

    /// The partitions this rank holds.
    pub fn partitions(&self) -> Range<u32> {
        self.mine.clone()
    }

    /// The transport, for the run's own collectives (sums of figures, say).
    pub fn transport(&mut self) -> &mut C {
        &mut self.transport
    }

    fn rank_of(&self, partition: u32) -> usize {
        self.edges.partition_point(|&first| first <= partition) - 1
    }
}

impl<T: Wire, C: Collectives> Exchange<T> for RankExchange<C> {
    fn next_time(&mut self, local: &[Option<SimTime>]) -> Option<SimTime> {
        let mine = local.iter().flatten().min().map_or(u64::MAX, |t| t.0);
        Some(self.transport.all_reduce_min(mine)).filter(|t| *t != u64::MAX).map(SimTime)
    }

    fn deliver(&mut self, outboxes: &mut [Vec<Envelope<T>>], inboxes: &mut [Vec<Envelope<T>>]) {
        let first = self.mine.start;
        for outbox in outboxes.iter_mut() {
            for env in outbox.drain(..) {
                if self.mine.contains(&env.to.0) {
                    inboxes[(env.to.0 - first) as usize].push(env);
                    continue;
                }
                let rank = self.rank_of(env.to.0);
                let segment = &mut self.segments[rank];
                segment.extend_from_slice(&env.to.0.to_le_bytes());
                segment.extend_from_slice(&env.key.time.0.to_le_bytes());
                segment.push(env.key.class());
                segment.extend_from_slice(&env.key.source().0.to_le_bytes());
                segment.extend_from_slice(&env.key.seq.to_le_bytes());
                env.payload.encode(segment);
            }
        }
        self.send.clear();
        self.send_counts.clear();
        for segment in &mut self.segments {
            self.send_counts.push(segment.len());
            self.send.extend_from_slice(segment);
            segment.clear();
        }
        self.transport.all_to_all(&self.send, &self.send_counts, &mut self.recv, &mut self.recv_counts);
        let mut input = &self.recv[..];
        while !input.is_empty() {
            let to = u32::from_le_bytes(take(&mut input));
            let time = SimTime(u64::from_le_bytes(take(&mut input)));
            let [class] = take::<1>(&mut input);
            let source = EntityId(u64::from_le_bytes(take(&mut input)));
            let seq = u64::from_le_bytes(take(&mut input));
            let payload = T::decode(&mut input);
            assert!(self.mine.contains(&to), "partition {to} is not on this rank");
            let key = EventKey::new(time, class, source, seq);
            inboxes[(to - first) as usize].push(Envelope { to: PartitionId(to), key, payload });
        }
    }

    fn placement(&self, local: usize) -> Placement {
        assert_eq!(local, self.mine.len(), "the engine holds this rank's partitions, {:?}", self.mine);
        Placement { first: self.mine.start, total: self.total }
    }
}

use sim::wire::take;

impl<C: Collectives> Cluster for RankExchange<C> {
    fn rank(&self) -> u32 {
        self.transport.rank()
    }

    fn ranks(&self) -> u32 {
        self.transport.ranks()
    }

    fn gather(&mut self, bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
        self.transport.gather(bytes)
    }

    fn all_sum(&mut self, value: u64) -> u64 {
        self.transport.all_reduce_sum(value)
    }

    fn all_max(&mut self, value: u64) -> u64 {
        u64::MAX - self.transport.all_reduce_min(u64::MAX - value)
    }

    fn partitions(&self, total: u32) -> Range<u32> {
        assert_eq!(total, self.total, "the exchange was made for a run of {} partitions", self.total);
        self.mine.clone()
    }
}
