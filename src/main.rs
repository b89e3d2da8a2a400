//! The `gongkai` command line. See `gongkai --help` and the README.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
