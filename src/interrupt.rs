//! Ctrl-C (SIGINT) and SIGTERM during a run: the run stops at its next barrier
//! between windows, nothing is written, and the process exits with 130. A second
//! signal ends the process at once, for a user who does not want to wait for the
//! barrier.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use signal_hook::SigId;
use signal_hook::consts::{SIGINT, SIGTERM};

/// Signal handlers that raise a stop flag, removed when dropped so that the rest of
/// the command keeps the usual behaviour of the signals.
pub struct StopOnSignal {
    flag: Arc<AtomicBool>,
    handlers: Vec<SigId>,
}

impl StopOnSignal {
    /// Installs the handlers. Without them (a platform that refuses), the run
    /// simply cannot be stopped early and the signals act as usual.
    pub fn install() -> StopOnSignal {
        let flag = Arc::new(AtomicBool::new(false));
        let mut handlers = Vec::new();
        for signal in [SIGINT, SIGTERM] {
            // The shutdown is registered first so that it sees the flag as it was
            // before this signal: the first signal only raises the flag.
            let second = signal_hook::flag::register_conditional_shutdown(signal, 130, flag.clone());
            let first = signal_hook::flag::register(signal, flag.clone());
            handlers.extend(second.into_iter().chain(first));
        }
        StopOnSignal { flag, handlers }
    }

    /// Set once a signal has arrived.
    pub fn flag(&self) -> &AtomicBool {
        &self.flag
    }
}

impl Drop for StopOnSignal {
    fn drop(&mut self) {
        for id in self.handlers.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}
