//! The `spanmark` binary: parse the command line, run a subcommand or open
//! the window, and turn any error into one plain line on stderr.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = spanmark::cli::Args::parse();
    spanmark::cli::run(args)
}
