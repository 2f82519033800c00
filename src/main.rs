//! The `spanmark` binary: parse the command line, run a subcommand or open
//! the window, and turn any error into one plain line on stderr.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = spanmark::cli::parse_args();
    spanmark::cli::run(args)
}
