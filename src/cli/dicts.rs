//! Run-time data every analysing command takes: a researcher's own codebook, formula lexicon
//! and extra words ([`DictArgs`]), and metadata and agency aliases ([`JoinArgs`]).
//!
//! Each command flattens the args struct it needs and builds its analyzer with [`analyzer`],
//! so the flags read the same everywhere and the analyzer's fingerprint (stored in the index)
//! always covers them. Every file is read and checked in full before any report is: a bad one
//! is a [`BadInput`] naming the file and line, and the command exits with status 2.
//!
//! What it does not do: it holds no analysis logic; the library's builder does the checking.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use gongkai::export::docvars::{Aliases, Docvars, Join};
use gongkai::pipeline::{Analyzer, AnalyzerBuilder, DictSource};

/// Dictionary flags of every command that analyses reports.
#[derive(Clone, Debug, Default, Args)]
pub struct DictArgs {
    /// Theme codebook to use instead of the built-in one (the `dictionaries/themes.toml`
    /// schema).
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// Boilerplate formulae to use instead of the built-in ones (the
    /// `dictionaries/boilerplate.tsv` schema).
    #[arg(long, value_name = "FILE")]
    pub formulas: Option<PathBuf>,
    /// Extra words for the segmenter, jieba format (`word [freq] [tag]` per line); may be
    /// repeated.
    #[arg(long = "user-dict", value_name = "FILE")]
    pub user_dict: Vec<PathBuf>,
}

/// Metadata flags of the commands that write per-report data (exports, index).
#[derive(Clone, Debug, Default, Args)]
pub struct JoinArgs {
    /// Your metadata, joined by path: a CSV with a `path` column (relative to the CSV or
    /// absolute); its agency, year, province and level override gongkai's, other columns are
    /// carried into the per-report rows.
    #[arg(long, value_name = "FILE.csv")]
    pub metadata: Option<PathBuf>,
    /// Agencies that renamed themselves: `alias<TAB>agency` lines; aliases count as the agency.
    #[arg(long, value_name = "FILE.tsv")]
    pub aliases: Option<PathBuf>,
}

/// A usage error in a file the user gave (a bad codebook line, an unreadable metadata CSV):
/// the command exits with status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// Reads a file the user named, or fails with [`BadInput`].
fn read(path: &Path, what: &str) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| BadInput(format!("{}: cannot read {what}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|_| {
        BadInput(format!(
            "{}: {what} is not UTF-8 text; save it as UTF-8",
            path.display()
        ))
        .into()
    })
}

/// The analyzer for these flags: built-in dictionaries, replaced or extended by the user's.
pub fn analyzer(args: &DictArgs) -> Result<Analyzer> {
    build(&builder(args)?)
}

/// The builder of the analyzer the flags ask for (their files read and checked when built).
pub fn builder(args: &DictArgs) -> Result<AnalyzerBuilder> {
    let mut builder = Analyzer::builder();
    if let Some(p) = &args.codebook {
        builder = builder.codebook(DictSource::new(
            p.display().to_string(),
            read(p, "codebook")?,
        ));
    }
    if let Some(p) = &args.formulas {
        builder = builder.formulas(DictSource::new(
            p.display().to_string(),
            read(p, "formula list")?,
        ));
    }
    for p in &args.user_dict {
        builder = builder.user_dict(DictSource::new(
            p.display().to_string(),
            read(p, "user dictionary")?,
        ));
    }
    Ok(builder)
}

/// Builds an analyzer; a bad entry in a user's file is a usage error naming file and line.
pub fn build(builder: &AnalyzerBuilder) -> Result<Analyzer> {
    builder.build().map_err(|e| match e {
        gongkai::Error::Dictionary { .. } => BadInput(e.to_string()).into(),
        other => anyhow::Error::new(other).context("cannot load the dictionaries"),
    })
}

/// Warns that rows of a metadata CSV name files that do not exist: a mistyped path would
/// otherwise leave that report's metadata cells silently empty.
fn warn_missing(csv: &Path, missing: &[&Path]) {
    let Some(first) = missing.first() else {
        return;
    };
    eprintln!(
        "gongkai: warning: {}: {} naming no existing file (first: {}); their metadata applies to \
         no report: check the paths (relative to the CSV's folder)",
        csv.display(),
        super::count(missing.len() as u64, "row"),
        first.display()
    );
}

/// The metadata and aliases of these flags, checked whole.
pub fn join(args: &JoinArgs, analyzer: &Analyzer) -> Result<Join> {
    let bad = |e: gongkai::Error| -> anyhow::Error { BadInput(e.to_string()).into() };
    let docvars = match &args.metadata {
        None => None,
        Some(p) => {
            let base = p.parent().unwrap_or(Path::new(""));
            Some(
                Docvars::from_csv(
                    &p.display().to_string(),
                    base,
                    &read(p, "metadata")?,
                    analyzer.normalizer(),
                )
                .map_err(bad)?,
            )
        }
    };
    if let (Some(d), Some(p)) = (&docvars, &args.metadata) {
        warn_missing(p, &d.missing_files());
    }
    let aliases = match &args.aliases {
        None => None,
        Some(p) => Some(
            Aliases::from_tsv(
                &p.display().to_string(),
                &read(p, "alias list")?,
                analyzer.normalizer(),
            )
            .map_err(bad)?,
        ),
    };
    Ok(Join { docvars, aliases })
}
