//! `dccsim`: the command line. Arguments → scenario → run → outputs; the logic lives
//! in the `sim`, `models` and `report` crates.

mod cli;
mod error;
mod interrupt;
mod ranks;
mod reference;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
