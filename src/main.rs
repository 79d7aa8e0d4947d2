//! `dccsim`: the command line. Arguments → scenario → run → outputs; the logic lives
//! in the `sim`, `models` and `report` crates.

/// Writes to stdout, ignoring a closed pipe (`dccsim run … | head` must not panic).
macro_rules! out {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// [`out!`] with a newline.
macro_rules! outln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod cli;
mod error;
mod interrupt;
mod memory_guard;
mod progress;
mod ranks;
mod reference;
mod run;
mod sweep;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
