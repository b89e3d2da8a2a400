//! `gongkai export`: tidy CSV tables over a corpus.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use gongkai::export::boilerplate::BoilerplateTable;
use gongkai::export::{GroupBy, ReportSummary};
use gongkai::pipeline::Analyzer;

use super::output::Output;
use super::run::{self, RunOptions};

/// What to export.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
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

/// Options every export takes.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Report files or directories.
    #[arg(required_unless_present = "index")]
    pub paths: Vec<PathBuf>,
    /// Read the reports' counts from this index (`gongkai index`) instead of analysing files
    /// (`export themes` and `export boilerplate`).
    #[arg(long, conflicts_with = "paths")]
    pub index: Option<PathBuf>,
    /// Write to this file instead of stdout (`-` for stdout).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Start the file with a UTF-8 byte-order mark, so Excel opens Chinese text correctly.
    #[arg(long)]
    pub bom: bool,
    /// Decode every text file with this encoding instead of detecting it.
    #[arg(long, value_parser = super::encoding_label)]
    pub encoding: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
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
}

/// Runs an export.
pub fn run(cmd: ExportCommand) -> Result<bool> {
    match cmd {
        ExportCommand::Boilerplate(args) => {
            let analyzer = Analyzer::new().context("cannot load the dictionaries")?;
            let by = GroupBy::from(args.by);
            let mut table = BoilerplateTable::new(analyzer.boilerplate().formulas(), by);
            let ok = summaries(&analyzer, &args.common, "export boilerplate", |s| {
                table.add(&s)
            })?;
            write_csv(&args.common, &BoilerplateTable::header(by), table.rows())?;
            Ok(ok)
        }
        ExportCommand::Themes(args) => {
            let analyzer = Analyzer::new().context("cannot load the dictionaries")?;
            let by = match args.by {
                ThemesBy::Report => GroupBy::Report,
                ThemesBy::Year => GroupBy::Year,
                ThemesBy::Agency => GroupBy::Agency,
                ThemesBy::Province => GroupBy::Province,
                ThemesBy::Level => GroupBy::Level,
            };
            let mut table =
                gongkai::export::themes::ThemeTable::new(analyzer.themes().themes(), by);
            let ok = summaries(&analyzer, &args.common, "export themes", |s| table.add(&s))?;
            write_csv(
                &args.common,
                &gongkai::export::themes::ThemeTable::header(by),
                table.rows(),
            )?;
            Ok(ok)
        }
        ExportCommand::Kwic(args) => {
            let analyzer = Analyzer::new().context("cannot load the dictionaries")?;
            let term = gongkai::export::kwic::normalize_term(analyzer.normalizer(), &args.term);
            if term.is_empty() {
                bail!("the search term is empty");
            }
            let mut rows = Vec::new();
            let ok = analyses(&analyzer, &args.common, "export kwic", |a| {
                rows.extend(gongkai::export::kwic::rows(a, &term, args.width));
            })?;
            write_csv(&args.common, gongkai::export::kwic::HEADER, rows)?;
            Ok(ok)
        }
        ExportCommand::Reuse(args) => {
            let analyzer = Analyzer::new().context("cannot load the dictionaries")?;
            let mut all = Vec::new();
            if args.index.is_some() {
                bail!(
                    "`export reuse` compares paragraph texts, which it reads from the report files: give their paths instead of --index"
                );
            }
            let ok = summaries(&analyzer, &args, "export reuse", |s| all.push(s))?;
            let links = gongkai::export::reuse::links(&all);
            let rows = gongkai::export::reuse::rows(&all, &links);
            write_csv(&args, gongkai::export::reuse::HEADER, rows)?;
            Ok(ok)
        }
    }
}

/// Analyses every report under the paths (in parallel, in input order) and hands each
/// summary to `each`; failures are reported and skipped. `Ok(false)` if any failed. With
/// `--index`, the summaries come from the index, in the order the reports were indexed.
pub fn summaries(
    analyzer: &Analyzer,
    args: &CommonArgs,
    command: &str,
    mut each: impl FnMut(ReportSummary),
) -> Result<bool> {
    if let Some(dir) = &args.index {
        let handle = gongkai::search::IndexHandle::open(dir, analyzer)?;
        let formulas = analyzer.boilerplate().formulas();
        let theme_ids: Vec<String> = analyzer
            .themes()
            .themes()
            .iter()
            .map(|t| t.id.clone())
            .collect();
        let reports = handle.reports()?;
        if reports.is_empty() {
            bail!(
                "{}: the index holds no reports; nothing written",
                dir.display()
            );
        }
        for r in &reports {
            each(r.data.to_summary(formulas, &theme_ids));
        }
        return Ok(true);
    }
    analyses(analyzer, args, command, |a| each(ReportSummary::new(a)))
}

/// Analyses every report under the paths and hands each analysis to `each`.
pub fn analyses(
    analyzer: &Analyzer,
    args: &CommonArgs,
    command: &str,
    mut each: impl FnMut(&gongkai::pipeline::Analysis),
) -> Result<bool> {
    if args.index.is_some() {
        bail!("`gongkai {command}` reads report files, not an index: give the reports' paths");
    }
    super::output::refuse_input(args.output.as_deref(), &args.paths)?;
    let opts = RunOptions {
        load: super::analyze::load_options(args.encoding.as_deref())?,
        threads: super::threads(args.threads),
        command,
        quiet: false,
        summary: true,
    };
    let summary = run::run(analyzer, &args.paths, &opts, |a| {
        each(&a);
        Ok(())
    })?;
    if summary.read == 0 {
        bail!("no report could be read; nothing written");
    }
    Ok(summary.ok())
}

/// Writes a CSV table (header, rows), with a BOM if asked.
pub fn write_csv(args: &CommonArgs, header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
    let mut out = Output::open(args.output.as_deref())?;
    if args.bom {
        out.write_all("\u{FEFF}".as_bytes())?;
    }
    let mut w = csv::Writer::from_writer(&mut out);
    w.write_record(header)?;
    for row in rows {
        w.write_record(&row)?;
    }
    w.flush().context("cannot write CSV")?;
    drop(w);
    out.finish()
}
