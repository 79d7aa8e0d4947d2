//! The total order of events.
//!
//! Events compare by **time**, then a deliberately chosen **class**, then the **source
//! entity** that scheduled them, then a **sequence number** issued to that source. The
//! order is a function of the data alone: it never depends on which thread ran a
//! partition, nor on the order in which messages from other partitions arrived.

use crate::time::SimTime;

/// Bits of [`EntityId`] that are usable; the top eight carry the event class.
pub const ENTITY_BITS: u32 = 56;

/// A simulated entity's global identity, unique across all partitions of a run.
///
/// Models choose the numbering; it must fit in 56 bits.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u64);

/// Orders events that share a timestamp before the source is considered.
///
/// Lower classes run first. A model uses it where the real world has an order, e.g.
/// "a server that frees at *t* is free for a job arriving at *t*".
pub type EventClass = u8;

/// The key of an event: `(time, class, source, seq)`, compared in that order.
///
/// `seq` is issued by the partition that scheduled the event. It is strictly
/// increasing for each source and distinct between partitions (it is
/// `counter * partitions + partition`), so no two events of a run share a key.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventKey {
    /// When the event happens.
    pub time: SimTime,
    /// `class << 56 | source`: one word so the key packs into 24 bytes.
    tie: u64,
    /// The sequence number issued to the source.
    pub seq: u64,
}

impl EventKey {
    /// Builds a key. Panics if `source` does not fit in [`ENTITY_BITS`] bits.
    pub fn new(time: SimTime, class: EventClass, source: EntityId, seq: u64) -> EventKey {
        assert!(source.0 < 1 << ENTITY_BITS, "entity id {} does not fit in {ENTITY_BITS} bits", source.0);
        EventKey { time, tie: (u64::from(class) << ENTITY_BITS) | source.0, seq }
    }

    /// The event's class.
    pub fn class(&self) -> EventClass {
        (self.tie >> ENTITY_BITS) as EventClass
    }

    /// The entity that scheduled the event.
    pub fn source(&self) -> EntityId {
        EntityId(self.tie & ((1 << ENTITY_BITS) - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tuple(k: &EventKey) -> (SimTime, EventClass, EntityId, u64) {
        (k.time, k.class(), k.source(), k.seq)
    }

    proptest! {
        /// The packed key orders exactly like the tuple (time, class, source, seq).
        #[test]
        fn packed_order_equals_tuple_order(
            a in (0u64..50, 0u8..4, 0u64..(1 << 56), 0u64..50),
            b in (0u64..50, 0u8..4, 0u64..(1 << 56), 0u64..50),
        ) {
            let ka = EventKey::new(SimTime(a.0), a.1, EntityId(a.2), a.3);
            let kb = EventKey::new(SimTime(b.0), b.1, EntityId(b.2), b.3);
            prop_assert_eq!(ka.cmp(&kb), tuple(&ka).cmp(&tuple(&kb)));
            prop_assert_eq!(tuple(&ka), (SimTime(a.0), a.1, EntityId(a.2), a.3));
        }
    }

    #[test]
    fn class_orders_before_source() {
        let early_class = EventKey::new(SimTime(5), 0, EntityId(900), 9);
        let late_class = EventKey::new(SimTime(5), 1, EntityId(1), 1);
        assert!(early_class < late_class);
        assert!(EventKey::new(SimTime(4), 9, EntityId(9), 9) < early_class);
    }

    #[test]
    #[should_panic(expected = "does not fit")]
    fn oversized_entity_is_a_bug() {
        EventKey::new(SimTime(0), 0, EntityId(1 << 56), 0);
    }
}
