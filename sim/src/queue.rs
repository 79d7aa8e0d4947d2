//! Pending-event sets.
//!
//! [`CalendarQueue`] is the engine's: a ring of time buckets (a calendar) with a heap
//! for the far future. Push is O(1) for events inside the calendar's year; each
//! bucket is sorted once, when time reaches it. With millions of events pending it
//! touches one small bucket at a time instead of sifting through a heap of millions.
//! [`HeapQueue`] is the textbook binary heap, kept as the baseline the benchmarks
//! compare against.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::key::EventKey;
use crate::time::SimTime;

/// An event waiting to happen: its key and what the model attached to it.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    /// Where the event sits in the total order.
    pub key: EventKey,
    /// The model's data.
    pub payload: T,
}

/// Orders entries by key alone (payloads need not be comparable).
struct ByKey<T>(Entry<T>);

impl<T> PartialEq for ByKey<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.key == other.0.key
    }
}
impl<T> Eq for ByKey<T> {}
impl<T> PartialOrd for ByKey<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for ByKey<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.key.cmp(&other.0.key)
    }
}

/// A set of pending events that yields them in key order.
pub trait PendingSet<T> {
    /// Adds an event.
    fn push(&mut self, entry: Entry<T>);
    /// Removes and returns the least event if its time is before `end`.
    fn pop_before(&mut self, end: SimTime) -> Option<Entry<T>>;
    /// The time of the least event, if any.
    fn next_time(&mut self) -> Option<SimTime>;
    /// How many events are pending.
    fn len(&self) -> usize;
    /// Whether no event is pending.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A binary heap of events: the baseline.
pub struct HeapQueue<T> {
    heap: BinaryHeap<Reverse<ByKey<T>>>,
}

impl<T> Default for HeapQueue<T> {
    fn default() -> Self {
        HeapQueue { heap: BinaryHeap::new() }
    }
}

impl<T> PendingSet<T> for HeapQueue<T> {
    fn push(&mut self, entry: Entry<T>) {
        self.heap.push(Reverse(ByKey(entry)));
    }
    fn pop_before(&mut self, end: SimTime) -> Option<Entry<T>> {
        if self.heap.peek()?.0.0.key.time >= end {
            return None;
        }
        self.heap.pop().map(|r| r.0.0)
    }
    fn next_time(&mut self) -> Option<SimTime> {
        self.heap.peek().map(|r| r.0.0.key.time)
    }
    fn len(&self) -> usize {
        self.heap.len()
    }
}

/// Shape of a [`CalendarQueue`]: bucket width and count, both powers of two.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CalendarShape {
    /// log2 of the bucket width in microseconds.
    pub bucket_width_log2_us: u32,
    /// log2 of the number of buckets; the calendar's "year" is width × count.
    pub buckets_log2: u32,
}

impl Default for CalendarShape {
    /// 1.024 ms buckets, 65,536 of them: a 67 s year. Suits events that are
    /// milliseconds to tens of seconds apart.
    fn default() -> Self {
        CalendarShape { bucket_width_log2_us: 10, buckets_log2: 16 }
    }
}

impl CalendarShape {
    /// A shape whose buckets hold about `per_bucket` events when `pending` events are
    /// spread evenly over `span_us` microseconds, with a year of about twice the span.
    pub fn for_density(pending: usize, span_us: u64, per_bucket: usize) -> CalendarShape {
        let pending = pending.max(1) as u64;
        let width = (span_us.max(1) * per_bucket.max(1) as u64 / pending).max(1);
        let width_log2 = 63 - width.leading_zeros();
        let buckets = ((2 * span_us.max(1)) >> width_log2).clamp(16, 1 << 24);
        CalendarShape { bucket_width_log2_us: width_log2, buckets_log2: 64 - (buckets - 1).leading_zeros() }
    }
}

/// A calendar queue: events within a year of the current bucket sit unsorted in
/// their bucket; later ones wait in a heap. A bucket is sorted when time reaches it.
pub struct CalendarQueue<T> {
    shift: u32,
    mask: u64,
    buckets: Vec<Vec<Entry<T>>>,
    /// Epoch (time >> shift) of the bucket now being drained.
    current_epoch: u64,
    /// The drained bucket, sorted descending so the least key pops from the end.
    current: Vec<Entry<T>>,
    /// Events at or before the current epoch that arrived after it was sorted.
    late: BinaryHeap<Reverse<ByKey<T>>>,
    /// Events a year or more ahead of the current epoch.
    far: BinaryHeap<Reverse<ByKey<T>>>,
    /// One bit per bucket, set while it holds events: time skips empty buckets
    /// without touching them.
    occupied: Vec<u64>,
    in_buckets: usize,
    len: usize,
}

impl<T> Default for CalendarQueue<T> {
    fn default() -> Self {
        CalendarQueue::new(CalendarShape::default())
    }
}

impl<T> CalendarQueue<T> {
    /// An empty queue of the given shape.
    pub fn new(shape: CalendarShape) -> CalendarQueue<T> {
        let n = 1usize << shape.buckets_log2;
        CalendarQueue {
            shift: shape.bucket_width_log2_us,
            mask: n as u64 - 1,
            buckets: (0..n).map(|_| Vec::new()).collect(),
            current_epoch: 0,
            current: Vec::new(),
            late: BinaryHeap::new(),
            far: BinaryHeap::new(),
            occupied: vec![0; n.div_ceil(64)],
            in_buckets: 0,
            len: 0,
        }
    }

    fn put_in_bucket(&mut self, ep: u64, entry: Entry<T>) {
        let slot = (ep & self.mask) as usize;
        self.buckets[slot].push(entry);
        self.occupied[slot / 64] |= 1 << (slot % 64);
        self.in_buckets += 1;
    }

    /// The epoch of the first occupied bucket after the current one (some bucket is
    /// occupied).
    fn next_occupied_epoch(&self) -> u64 {
        let n = self.occupied.len();
        let start = ((self.current_epoch + 1) & self.mask) as usize;
        let (mut word, bit) = (start / 64, start % 64);
        let mut bits = self.occupied[word] & (u64::MAX << bit);
        for _ in 0..=n {
            if bits != 0 {
                let slot = (word * 64 + bits.trailing_zeros() as usize) as u64;
                let ahead = slot.wrapping_sub(start as u64) & self.mask;
                return self.current_epoch + 1 + ahead;
            }
            word = (word + 1) % n;
            bits = self.occupied[word];
        }
        unreachable!("an occupied bucket exists when in_buckets > 0")
    }

    fn epoch(&self, t: SimTime) -> u64 {
        t.0 >> self.shift
    }

    fn year(&self) -> u64 {
        self.mask + 1
    }

    /// Makes `current` or `late` hold the least event, if there is one.
    fn settle(&mut self) {
        while self.current.is_empty() && self.late.is_empty() {
            if self.in_buckets == 0 {
                let Some(first) = self.far.peek() else { return };
                // Jump straight to the far future: idle time costs nothing.
                self.current_epoch = self.epoch(first.0.0.key.time);
            } else {
                // Far events all lie beyond the occupied buckets, so jumping to the
                // next occupied one skips nothing.
                self.current_epoch = self.next_occupied_epoch();
            }
            let horizon = self.current_epoch + self.year();
            while let Some(first) = self.far.peek() {
                let ep = self.epoch(first.0.0.key.time);
                if ep >= horizon {
                    break;
                }
                let entry = self.far.pop().expect("peeked").0.0;
                self.put_in_bucket(ep, entry);
            }
            let slot = (self.current_epoch & self.mask) as usize;
            if !self.buckets[slot].is_empty() {
                std::mem::swap(&mut self.current, &mut self.buckets[slot]);
                self.occupied[slot / 64] &= !(1 << (slot % 64));
                self.in_buckets -= self.current.len();
                self.current.sort_unstable_by_key(|e| std::cmp::Reverse(e.key));
            }
        }
    }

    fn least_key(&self) -> Option<&EventKey> {
        match (self.current.last(), self.late.peek()) {
            (Some(c), Some(l)) => Some(if c.key <= l.0.0.key { &c.key } else { &l.0.0.key }),
            (Some(c), None) => Some(&c.key),
            (None, Some(l)) => Some(&l.0.0.key),
            (None, None) => None,
        }
    }
}

impl<T> PendingSet<T> for CalendarQueue<T> {
    fn push(&mut self, entry: Entry<T>) {
        self.len += 1;
        let ep = self.epoch(entry.key.time);
        if ep <= self.current_epoch {
            self.late.push(Reverse(ByKey(entry)));
        } else if ep - self.current_epoch < self.year() {
            self.put_in_bucket(ep, entry);
        } else {
            self.far.push(Reverse(ByKey(entry)));
        }
    }

    fn pop_before(&mut self, end: SimTime) -> Option<Entry<T>> {
        self.settle();
        let least = *self.least_key()?;
        if least.time >= end {
            return None;
        }
        self.len -= 1;
        match self.current.last() {
            Some(c) if c.key == least => self.current.pop(),
            _ => self.late.pop().map(|r| r.0.0),
        }
    }

    fn next_time(&mut self) -> Option<SimTime> {
        self.settle();
        self.least_key().map(|k| k.time)
    }

    fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::EntityId;
    use proptest::prelude::*;

    fn entry(t: u64, src: u64, seq: u64) -> Entry<u64> {
        Entry { key: EventKey::new(SimTime(t), 0, EntityId(src), seq), payload: seq }
    }

    fn drain<Q: PendingSet<u64>>(q: &mut Q) -> Vec<EventKey> {
        std::iter::from_fn(|| q.pop_before(SimTime::MAX).map(|e| e.key)).collect()
    }

    #[test]
    fn far_future_and_late_events_come_out_in_order() {
        let shape = CalendarShape { bucket_width_log2_us: 2, buckets_log2: 3 };
        let mut q = CalendarQueue::new(shape);
        for (i, t) in [1_000_000, 5, 31, 32, 7, 5, 400].into_iter().enumerate() {
            q.push(entry(t, 3, i as u64));
        }
        assert_eq!(q.next_time(), Some(SimTime(5)));
        // After the queue has settled on t=5, an event before it must still come first.
        q.push(entry(2, 1, 99));
        let times: Vec<u64> = drain(&mut q).iter().map(|k| k.time.0).collect();
        assert_eq!(times, vec![2, 5, 5, 7, 31, 32, 400, 1_000_000]);
        assert!(q.is_empty());
    }

    #[test]
    fn pop_before_respects_the_window_end() {
        let mut q = CalendarQueue::<u64>::default();
        q.push(entry(10, 0, 0));
        q.push(entry(20, 0, 1));
        assert_eq!(q.pop_before(SimTime(20)).map(|e| e.payload), Some(0));
        assert!(q.pop_before(SimTime(20)).is_none());
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn shape_for_density_gives_a_few_events_per_bucket() {
        let s = CalendarShape::for_density(100_000, 1_000_000, 4);
        let width = 1u64 << s.bucket_width_log2_us;
        assert!((20..=40).contains(&width), "width {width}");
        assert!((1u64 << s.buckets_log2) * width >= 2_000_000);
    }

    proptest! {
        /// Interleaved pushes and pops (a hold model) give exactly the heap's order.
        #[test]
        fn calendar_matches_heap(
            initial in proptest::collection::vec(0u64..5_000, 1..200),
            steps in proptest::collection::vec((0u64..20_000, any::<bool>()), 0..400),
            width in 0u32..8,
            buckets in 1u32..6,
        ) {
            let mut cal = CalendarQueue::new(CalendarShape { bucket_width_log2_us: width, buckets_log2: buckets });
            let mut heap = HeapQueue::default();
            let mut seq = 0;
            for t in initial {
                cal.push(entry(t, t % 7, seq));
                heap.push(entry(t, t % 7, seq));
                seq += 1;
            }
            for (delta, pop) in steps {
                if pop {
                    let a = cal.pop_before(SimTime::MAX).map(|e| e.key);
                    let b = heap.pop_before(SimTime::MAX).map(|e| e.key);
                    prop_assert_eq!(a, b);
                    if let Some(k) = a {
                        cal.push(entry(k.time.0 + delta, delta % 5, seq));
                        heap.push(entry(k.time.0 + delta, delta % 5, seq));
                        seq += 1;
                    }
                }
                prop_assert_eq!(cal.next_time(), heap.next_time());
                prop_assert_eq!(cal.len(), heap.len());
            }
            prop_assert_eq!(drain(&mut cal), drain(&mut heap));
        }
    }
}
