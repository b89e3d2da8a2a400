//! The command line of `gongkai export`: one subcommand per table, the corpus flags every
//! table shares ([`CommonArgs`]) and each table's own groupings. Parsing only; nothing here
//! reads a file.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use gongkai::export::GroupBy;
use gongkai::search::query::parse_years;

use crate::cli::dicts::{DictArgs, JoinArgs};

/// What to export.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// One row per report: metadata, file facts, narrative size, themes admitted, shares.
    Reports(CommonArgs),
    /// One row per sentence of every narrative paragraph and heading, with offsets, themes,
    /// formulae and whether it was copied.
    Sentences(SentencesArgs),
    /// Word counts per report, year, agency or section (the document-term table).
    Terms(TermsArgs),
    /// Boilerplate formula counts and boilerplate share per report, year or agency.
    Boilerplate(BoilerplateArgs),
    /// Per report, the share of narrative paragraphs copied from the agency's earlier reports.
    Reuse(CommonArgs),
    /// How many reports admit each theme, per report, year, agency, province or level.
    Themes(ThemesArgs),
    /// Keyword in context: every narrative occurrence of a term with its surroundings.
    Kwic(KwicArgs),
}

/// Grouping of `export themes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ThemesBy {
    /// One group per report (keys path, agency, year).
    Report,
    /// Per year reported on.
    Year,
    /// Per agency.
    Agency,
    /// Per province.
    Province,
    /// Per administrative level.
    Level,
}

/// Arguments of `export themes`.
#[derive(Debug, Args)]
pub struct ThemesArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Grouping.
    #[arg(long, value_enum, default_value_t = ThemesBy::Report)]
    pub by: ThemesBy,
    /// With `--by year`: also draw the share of reports admitting each theme per year
    /// (FILE.svg or FILE.png).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

/// Arguments of `export kwic`.
#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The term (any script; it is normalized like the reports).
    pub term: String,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Characters of context on each side.
    #[arg(long, default_value_t = 20)]
    pub width: usize,
}

/// Arguments of `export sentences`.
#[derive(Debug, Args)]
pub struct SentencesArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Skip finding paragraphs copied from earlier reports (that needs a first pass over all
    /// the reports; `copied` is then empty).
    #[arg(long)]
    pub no_copies: bool,
}

/// Grouping of `export terms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TermsBy {
    /// One group per report (keys path, agency, year).
    Report,
    /// Per year reported on.
    Year,
    /// Per agency.
    Agency,
    /// Per section kind (overview, problems, …).
    Section,
}

/// Arguments of `export terms`.
#[derive(Debug, Args)]
pub struct TermsArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Grouping.
    #[arg(long, value_enum, default_value_t = TermsBy::Report)]
    pub by: TermsBy,
    /// Leave out terms counted fewer times than this in their group.
    #[arg(long, default_value_t = 1)]
    pub min_count: u64,
    /// Leave out terms made only of punctuation and symbols (，。、%).
    #[arg(long)]
    pub no_punct: bool,
}

/// Options every export takes.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Report files or directories.
    #[arg(required_unless_present = "index")]
    pub paths: Vec<PathBuf>,
    /// Read the reports' counts from this index (`gongkai index`) instead of analysing files
    /// (`export reports`, `export themes` and `export boilerplate`).
    #[arg(long, conflicts_with = "paths")]
    pub index: Option<PathBuf>,
    /// Only reports of these years: `2014`, `2010..2014`, `2010..`, `..2014`.
    #[arg(long, value_parser = parse_years)]
    pub year: Option<(u16, u16)>,
    /// Write to this file instead of stdout (`-` for stdout).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Start the file with a UTF-8 byte-order mark, so Excel opens Chinese text correctly.
    #[arg(long)]
    pub bom: bool,
    /// Decode every text file with this encoding instead of detecting it.
    #[arg(long, value_parser = crate::cli::encoding_label)]
    pub encoding: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub dicts: DictArgs,
    #[command(flatten)]
    pub join: JoinArgs,
}

/// Grouping of `export boilerplate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// One group per report (keys path, agency, year).
    Report,
    /// Per year reported on.
    Year,
    /// Per agency.
    Agency,
}

impl From<By> for GroupBy {
    fn from(b: By) -> GroupBy {
        match b {
            By::Report => GroupBy::Report,
            By::Year => GroupBy::Year,
            By::Agency => GroupBy::Agency,
        }
    }
}

/// Arguments of `export boilerplate`.
#[derive(Debug, Args)]
pub struct BoilerplateArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Grouping.
    #[arg(long, value_enum, default_value_t = By::Report)]
    pub by: By,
    /// With `--by year`: also draw the boilerplate share of the narrative per year (FILE.svg
    /// or FILE.png).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}
