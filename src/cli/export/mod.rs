//! `gongkai export`: tidy CSV tables over a corpus.
//!
//! Every export takes the same corpus flags ([`args::CommonArgs`]): report paths or `--index DIR`,
//! `--year`, the run-time dictionaries (`--codebook`, `--formulas`, `--user-dict`), the user's
//! metadata and aliases (`--metadata`, `--aliases`), `-o`, `--bom`. Per-report rows end with
//! the metadata CSV's own columns. Headers are defined once, in `gongkai::export::*`.
//!
//! One file per concern: `args` (the command line), `input` (where reports come from: files
//! or an index, years and metadata applied), `counts` (grouped count tables), `rows` (row
//! tables), `charts` (what the per-year charts draw), `csv_out` (writing a table).

mod args;
mod charts;
mod counts;
mod csv_out;
mod input;
mod rows;

pub use args::ExportCommand;
pub use charts::{check_plot, write_chart, year_chart};

use anyhow::Result;

/// Runs an export.
pub fn run(cmd: ExportCommand) -> Result<bool> {
    match cmd {
        ExportCommand::Reports(args) => rows::reports(&args),
        ExportCommand::Sentences(args) => rows::sentences(&args),
        ExportCommand::Terms(args) => rows::terms(&args),
        ExportCommand::Boilerplate(args) => counts::boilerplate(&args),
        ExportCommand::Themes(args) => counts::themes(&args),
        ExportCommand::Kwic(args) => rows::kwic(&args),
        ExportCommand::Reuse(args) => rows::reuse(&args),
    }
}
