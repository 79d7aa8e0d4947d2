//! # sim: a deterministic, parallel, conservative discrete-event engine
//!
//! `sim` runs models split into **partitions** (logical processes). Each partition
//! owns its entities' state and its own pending-event set; nothing outside a
//! partition touches its state. Partitions talk only by timestamped messages through
//! one narrow interface, [`Exchange`].
//!
//! ```text
//!   window [T, T+L)          barrier                 window [T', T'+L)
//!  ┌──────────────┐   outboxes ──► Exchange ──►   ┌──────────────┐
//!  │ partition 0  │── all-reduce min next time ──►│ partition 0  │
//!  │ partition 1  │   all-to-all messages         │ partition 1  │   ... in parallel
//!  │ partition …  │   T' = global next event      │ partition …  │
//!  └──────────────┘                               └──────────────┘
//! ```
//!
//! ## The ordering and determinism contract
//!
//! 1. **Time is an integer**: [`SimTime`] counts microseconds in a `u64`.
//! 2. **Events are totally ordered by data**: an [`EventKey`] is
//!    `(time, class, source entity, seq)`, where `seq` is issued by the partition
//!    that scheduled the event, strictly increasing for each source and unique in the
//!    run. Each partition handles its events in key order.
//! 3. **Partitions are fixed by the model**, never by the thread count.
//! 4. **Windows are conservative**: with lookahead `L` (the least delay of any message
//!    between partitions, enforced by [`Ctx::send`]), every partition runs
//!    `[T, T + L)` independently; `T` is the global next-event time, so idle time
//!    costs nothing.
//! 5. **Arrival order never matters**: messages delivered at a barrier are placed by
//!    their key, so the order an [`Exchange`] delivers them in cannot change results.
//! 6. **Randomness is keyed** ([`StreamKey`]) by seed, replication, entity and purpose,
//!    with a named algorithm ([`SplitMix64`]); no draw depends on which thread ran it.
//! 7. **Statistics merge exactly**, in partition order, with integer sums.
//!
//! Together these make a run's results a function of (model, scenario, seed) alone:
//! byte-identical whatever the thread count. Each clause has tests in `tests/`.
//!
//! ## Using it
//!
//! A model implements [`Partition`], builds an [`Engine`] with its partitions and a
//! lookahead, seeds first events with [`Engine::init`], and calls
//! [`Engine::run_until`] inside [`with_threads`]. Shared building blocks:
//! multi-server queues ([`FcfsStation`], which needs no event of its own;
//! [`PriorityStation`], which needs one only when a job waits; the textbook
//! [`Station`], one completion event per job), [`Delay`] distributions, and
//! [`stats`].
//!
//! ```
//! use sim::{CalendarShape, Ctx, EntityId, Engine, EventKey, Partition, PartitionId, SimDuration, SimTime};
//!
//! /// Each partition bounces a token to the next one, 1 s later.
//! struct Ring { partitions: u32, hops: u32 }
//!
//! impl Partition for Ring {
//!     type Payload = u32;
//!     fn handle(&mut self, _key: EventKey, hop: u32, ctx: &mut Ctx<'_, u32>) {
//!         self.hops += 1;
//!         let next = PartitionId((ctx.partition().0 + 1) % self.partitions);
//!         let at = ctx.now() + SimDuration::from_secs(1);
//!         ctx.send(next, at, 0, EntityId(u64::from(ctx.partition().0)), hop + 1);
//!     }
//! }
//!
//! let parts = (0..3).map(|_| Ring { partitions: 3, hops: 0 }).collect();
//! let mut engine = Engine::new(parts, SimDuration::from_secs(1), CalendarShape::default());
//! engine.init(PartitionId(0), SimTime::ZERO, |_, ctx| ctx.schedule(SimTime::ZERO, 0, EntityId(0), 0));
//! sim::with_threads(2, || engine.run_until(SimTime::from_secs(10)));
//! let hops: Vec<u32> = engine.partitions().map(|p| p.hops).collect();
//! assert_eq!(hops, vec![4, 3, 3]);
//! ```

pub mod confidence;
pub mod delay;
pub mod engine;
pub mod exchange;
pub mod key;
pub mod queue;
pub mod rng;
pub mod station;
pub mod stats;
pub mod time;
pub mod wire;

pub use confidence::{MeanCi, student_t_975};
pub use delay::Delay;
pub use engine::{Ctx, Engine, EngineStats, PARALLEL_FROM_EVENTS, Partition, PartitionId, with_threads};
pub use exchange::{Cluster, Envelope, Exchange, InProcess, Placement, block, weighted_edges};
pub use key::{EntityId, EventClass, EventKey};
pub use queue::{CalendarQueue, CalendarShape, Entry, HeapQueue, PendingSet};
pub use rng::{SplitMix64, StreamKey};
pub use station::{Arrival, FcfsStation, PriorityStation, Served, Station, StationStats, StationTally};
pub use time::{SimDuration, SimTime};
pub use wire::Wire;
