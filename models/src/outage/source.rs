//! The outage source of one CSP block: it replays, at their instants, the alerts the
//! power cuts make the block's hubs raise.
//!
//! Which alerts a hub raises follows from the power cuts alone, so they are planned
//! before the run ([`crate::alert::plan`]); the source only puts each on its cell's
//! queue at the planned time, one event at a time so the queue holds one per block.

use sim::SimTime;

use crate::context::{ARRIVAL, Context};
use crate::layout::premises_entity;

/// One alert a hub of the block raises.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DueAlert {
    /// When the hub raises it.
    pub at: SimTime,
    /// The hub's premises.
    pub premises: u32,
    /// The alert's id in the run.
    pub id: u32,
}

/// The source's events.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum OutageEvent {
    /// A hub raises the block's next due alert (its position in the block's list).
    AlertRaised(u32),
}

/// The alerts due in one CSP block, in raise order.
pub struct OutageSource {
    due: Vec<DueAlert>,
}

impl OutageSource {
    /// A source replaying `due`, which must be in raise order.
    pub fn new(due: Vec<DueAlert>) -> OutageSource {
        debug_assert!(due.windows(2).all(|w| w[0].at <= w[1].at), "due alerts out of order");
        OutageSource { due }
    }

    /// Schedules the first alert, if any.
    pub fn start<P: From<OutageEvent>>(&self, cx: &mut Context<'_, '_, P>) {
        self.schedule(0, cx);
    }

    fn schedule<P: From<OutageEvent>>(&self, i: u32, cx: &mut Context<'_, '_, P>) {
        if let Some(a) = self.due.get(i as usize) {
            cx.schedule(a.at, ARRIVAL, premises_entity(a.premises), OutageEvent::AlertRaised(i));
        }
    }

    /// Handles one event: the id of the alert raised now (the next is scheduled).
    pub fn handle<P: From<OutageEvent>>(&mut self, event: OutageEvent, cx: &mut Context<'_, '_, P>) -> u32 {
        let OutageEvent::AlertRaised(i) = event;
        self.schedule(i + 1, cx);
        self.due[i as usize].id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::Streams;
    use crate::testkit;

    #[test]
    fn the_source_raises_each_due_alert_at_its_instant_in_order() {
        let s = SimTime::from_secs;
        let due = vec![
            DueAlert { at: s(180), premises: 4, id: 10 },
            DueAlert { at: s(180), premises: 2, id: 11 },
            DueAlert { at: s(900), premises: 4, id: 15 },
        ];
        type Bench = (OutageSource, Vec<(SimTime, u32)>);
        let start = |b: &mut Bench, cx: &mut Context<'_, '_, OutageEvent>| b.0.start(cx);
        let handle = |b: &mut Bench, e: OutageEvent, cx: &mut Context<'_, '_, OutageEvent>| {
            let id = b.0.handle(e, cx);
            b.1.push((cx.now(), id));
        };
        let (_, raised) =
            testkit::host((OutageSource::new(due), Vec::new()), Streams::new(1, 0), start, handle, s(3_600));
        assert_eq!(raised, [(s(180), 10), (s(180), 11), (s(900), 15)]);
    }
}
