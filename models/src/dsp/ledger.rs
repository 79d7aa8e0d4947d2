//! Requests submitted but not yet answered: the DSP's in-flight records.

use std::collections::VecDeque;

use crate::service_request::ServiceRequestJob;

/// Requests submitted but not yet answered, in submission order.
///
/// Submissions are numbered densely per shard, so a ring indexed by that number is
/// O(1) per request and iterates in a fixed order at the end.
#[derive(Debug, Default)]
pub(super) struct InFlight {
    first: u64,
    slots: VecDeque<Option<ServiceRequestJob>>,
}

impl InFlight {
    pub(super) fn open(&mut self, n: u64, job: ServiceRequestJob) {
        debug_assert_eq!(n, self.first + self.slots.len() as u64);
        self.slots.push_back(Some(job));
    }

    pub(super) fn close(&mut self, n: u64) -> ServiceRequestJob {
        let slot = &mut self.slots[(n - self.first) as usize];
        let job = slot.take().expect("a request is answered once");
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.first += 1;
        }
        job
    }

    pub(super) fn drain(&mut self) -> impl Iterator<Item = ServiceRequestJob> + '_ {
        self.slots.drain(..).flatten()
    }
}
