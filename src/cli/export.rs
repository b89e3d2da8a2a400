//! `gongkai export`: tidy CSV tables over a corpus.
//!
//! Every export takes the same corpus flags ([`CommonArgs`]): report paths or `--index DIR`,
//! `--year`, the run-time dictionaries (`--codebook`, `--formulas`, `--user-dict`), the user's
//! metadata and aliases (`--metadata`, `--aliases`), `-o`, `--bom`. Per-report rows end with
//! the metadata CSV's own columns. Headers are defined once, in `gongkai::export::*`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use gongkai::export::GroupBy;
use gongkai::export::boilerplate::BoilerplateTable;
use gongkai::export::chart::{Chart, Series, YearPoint};
use gongkai::export::docvars::Join;
use gongkai::export::terms::{TermTable, TermsBy as LibTermsBy};
use gongkai::export::themes::ThemeTable;
use gongkai::pipeline::{Analysis, Analyzer, ReportSummary};
use gongkai::reuse::SignatureStore;
use gongkai::search::doc::ReportData;
use gongkai::search::query::parse_years;

use super::analyze::TEMP_ADVICE;
use super::dicts::{BadInput, DictArgs, JoinArgs};
use super::output::Output;
use super::run::{self, RunOptions};

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
    #[arg(long, value_parser = super::encoding_label)]
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

/// What every export works with: the analyzer of the run-time dictionaries and the user's
/// metadata, both checked before any report is read.
pub struct Setup {
    /// The analyzer.
    pub analyzer: Analyzer,
    /// Metadata and aliases.
    pub join: Join,
    years: Option<(u16, u16)>,
}

impl Setup {
    /// Builds the analyzer and reads the metadata files of `args`.
    pub fn new(args: &CommonArgs) -> Result<Setup> {
        let analyzer = super::dicts::analyzer(&args.dicts)?;
        let join = super::dicts::join(&args.join, &analyzer)?;
        Ok(Setup {
            analyzer,
            join,
            years: args.year,
        })
    }

    fn wanted(&self, year: Option<u16>) -> bool {
        match self.years {
            None => true,
            Some((from, to)) => year.is_some_and(|y| (from..=to).contains(&y)),
        }
    }

    /// A header with the metadata columns after `base` (per-report tables only).
    fn header(&self, base: &[&str], per_report: bool) -> Vec<String> {
        let mut h: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        if per_report {
            h.extend(self.join.columns().iter().cloned());
        }
        h
    }

    /// Appends the metadata values to rows whose first cell is the report path.
    fn with_extra(&self, mut rows: Vec<Vec<String>>, per_report: bool) -> Vec<Vec<String>> {
        if per_report && !self.join.columns().is_empty() {
            for row in &mut rows {
                let extra = self.join.extra(Path::new(&row[0]));
                row.extend(extra);
            }
        }
        rows
    }
}

/// Checks a `--plot` flag: only with `--by year`, and only .svg or .png.
pub fn check_plot(plot: &Option<PathBuf>, by_year: bool) -> Result<()> {
    if let Some(p) = plot {
        if !by_year {
            return Err(BadInput("--plot draws shares per year: add --by year".into()).into());
        }
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !ext.eq_ignore_ascii_case("svg") && !ext.eq_ignore_ascii_case("png") {
            return Err(
                BadInput(format!("{}: --plot writes .svg or .png files", p.display())).into(),
            );
        }
    }
    Ok(())
}

/// Runs an export.
pub fn run(cmd: ExportCommand) -> Result<bool> {
    match cmd {
        ExportCommand::Reports(args) => reports(&args),
        ExportCommand::Sentences(args) => sentences(&args),
        ExportCommand::Terms(args) => terms(&args),
        ExportCommand::Boilerplate(args) => boilerplate(&args),
        ExportCommand::Themes(args) => themes(&args),
        ExportCommand::Kwic(args) => kwic(&args),
        ExportCommand::Reuse(args) => reuse(&args),
    }
}

/// `export boilerplate`: formula counts and shares per group, and the share per year as a chart.
fn boilerplate(args: &BoilerplateArgs) -> Result<bool> {
    check_plot(&args.plot, args.by == By::Year)?;
    let setup = Setup::new(&args.common)?;
    let by = GroupBy::from(args.by);
    let formulas = setup.analyzer.boilerplate().formulas().to_vec();
    let mut table = BoilerplateTable::new(&formulas, by);
    // Per year: boilerplate and narrative characters (for the chart).
    let mut per_year: Vec<(u16, u64, u64)> = Vec::new();
    let ok = summaries(&setup, &args.common, "export boilerplate", |s| {
        if let Some(y) = s.year {
            let i = match per_year.iter().position(|p| p.0 == y) {
                Some(i) => i,
                None => {
                    per_year.push((y, 0, 0));
                    per_year.len() - 1
                }
            };
            per_year[i].1 += s.share.boilerplate_chars as u64;
            per_year[i].2 += s.share.narrative_chars as u64;
        }
        table.add(&s)
    })?;
    let per_report = by == GroupBy::Report;
    write_table(
        &args.common,
        &setup.header(&BoilerplateTable::header(by), per_report),
        setup.with_extra(table.rows(), per_report),
    )?;
    if let Some(plot) = &args.plot {
        let chart = Chart {
            title: "套话占叙述文字的比例 Boilerplate share of the narrative".into(),
            y_label: "套话字数 / 叙述字数 boilerplate chars / narrative chars".into(),
            unit: "chars".into(),
            series: vec![Series {
                label: "boilerplate_share".into(),
                points: per_year
                    .iter()
                    .map(|&(year, b, n)| YearPoint {
                        year,
                        numerator: b,
                        denominator: n,
                    })
                    .collect(),
            }],
        };
        chart.render(plot)?;
        eprintln!(
            "gongkai export boilerplate: chart written to {}",
            plot.display()
        );
    }
    Ok(ok)
}

/// `export themes`: reports admitting each theme per group, and per year as a chart.
fn themes(args: &ThemesArgs) -> Result<bool> {
    check_plot(&args.plot, args.by == ThemesBy::Year)?;
    let setup = Setup::new(&args.common)?;
    let by = match args.by {
        ThemesBy::Report => GroupBy::Report,
        ThemesBy::Year => GroupBy::Year,
        ThemesBy::Agency => GroupBy::Agency,
        ThemesBy::Province => GroupBy::Province,
        ThemesBy::Level => GroupBy::Level,
    };
    let themes = setup.analyzer.themes().themes().to_vec();
    let mut table = ThemeTable::new(&themes, by);
    let mut per_year = ThemeYears::new(&themes);
    let ok = summaries(&setup, &args.common, "export themes", |s| {
        per_year.add(&s);
        table.add(&s)
    })?;
    let per_report = by == GroupBy::Report;
    write_table(
        &args.common,
        &setup.header(&ThemeTable::header(by), per_report),
        setup.with_extra(table.rows(), per_report),
    )?;
    if let Some(plot) = &args.plot {
        per_year.chart().render(plot)?;
        eprintln!("gongkai export themes: chart written to {}", plot.display());
    }
    Ok(ok)
}

/// `export kwic`: every narrative occurrence of a term in its context.
fn kwic(args: &KwicArgs) -> Result<bool> {
    let setup = Setup::new(&args.common)?;
    let term = gongkai::export::kwic::normalize_term(setup.analyzer.normalizer(), &args.term);
    if term.is_empty() {
        bail!("the search term is empty");
    }
    let mut rows = Vec::new();
    let ok = analyses(&setup, &args.common, "export kwic", |a| {
        rows.extend(gongkai::export::kwic::rows(a, &term, args.width));
    })?;
    write_table(
        &args.common,
        &setup.header(gongkai::export::kwic::HEADER, true),
        setup.with_extra(rows, true),
    )?;
    Ok(ok)
}

/// `export reuse`: per report, the paragraphs copied from the agency's earlier reports.
fn reuse(args: &CommonArgs) -> Result<bool> {
    if args.index.is_some() {
        bail!(
            "`export reuse` compares paragraph texts, which it reads from the report files: give their paths instead of --index"
        );
    }
    let setup = Setup::new(args)?;
    let mut all = Vec::new();
    let ok = analyses(&setup, args, "export reuse", |a| {
        all.push((
            a.source.path.display().to_string(),
            gongkai::pipeline::signatures(a),
        ))
    })?;
    let sigs: Vec<&gongkai::reuse::ReportSignatures> = all.iter().map(|(_, s)| s).collect();
    let links = gongkai::reuse::find_copies(&sigs);
    let rows = gongkai::export::reuse::rows(&all, &links);
    write_table(
        args,
        &setup.header(gongkai::export::reuse::HEADER, true),
        setup.with_extra(rows, true),
    )?;
    Ok(ok)
}

/// Reports per year and reports admitting each theme: the chart of `export themes --by year`.
pub struct ThemeYears {
    themes: Vec<gongkai::themes::Theme>,
    per_year: Vec<(u16, u64, Vec<u64>)>,
}

impl ThemeYears {
    /// Nothing counted yet.
    pub fn new(themes: &[gongkai::themes::Theme]) -> ThemeYears {
        ThemeYears {
            themes: themes.to_vec(),
            per_year: Vec::new(),
        }
    }

    /// Counts a report (reports without a year are not drawn).
    pub fn add(&mut self, s: &ReportSummary) {
        let Some(y) = s.year else { return };
        let n = self.themes.len();
        let i = match self.per_year.iter().position(|p| p.0 == y) {
            Some(i) => i,
            None => {
                self.per_year.push((y, 0, vec![0; n]));
                self.per_year.len() - 1
            }
        };
        let slot = &mut self.per_year[i];
        slot.1 += 1;
        for (t, (problem, _)) in s.theme_mentions.iter().enumerate().take(n) {
            slot.2[t] += u64::from(*problem > 0);
        }
    }

    /// The chart: one line per theme.
    pub fn chart(&self) -> Chart {
        Chart {
            title: "承认各类问题的报告比例 Reports admitting each theme".into(),
            y_label: "报告比例 share of the year's reports".into(),
            unit: "reports".into(),
            series: self
                .themes
                .iter()
                .enumerate()
                .map(|(i, t)| Series {
                    label: format!("{} {}", t.label_zh, t.id),
                    points: self
                        .per_year
                        .iter()
                        .map(|(year, n, with)| YearPoint {
                            year: *year,
                            numerator: with[i],
                            denominator: *n,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The chart of `search --by-year --plot`: the share of each year's reports that match.
pub fn year_chart(query: &str, years: &[gongkai::search::YearCount]) -> Chart {
    let what = if query.trim().is_empty() {
        "filters".to_string()
    } else {
        format!("“{}”", query.trim())
    };
    Chart {
        title: format!("含 {what} 的报告比例 Reports matching {what}"),
        y_label: "报告比例 share of the year's reports".into(),
        unit: "reports".into(),
        series: vec![Series {
            label: what,
            points: years
                .iter()
                .filter_map(|y| {
                    Some(YearPoint {
                        year: y.year?,
                        numerator: y.reports,
                        denominator: y.reports_indexed,
                    })
                })
                .collect(),
        }],
    }
}

/// `export reports`: from files (with copy shares among them) or from an index.
fn reports(args: &CommonArgs) -> Result<bool> {
    let setup = Setup::new(args)?;
    let header = setup.header(gongkai::export::reports::HEADER, true);
    if let Some(dir) = &args.index {
        let handle = gongkai::search::IndexHandle::open(dir, &setup.analyzer)?;
        let mut rows = Vec::new();
        for r in handle.reports()? {
            let mut data = r.data;
            apply_to_data(&setup.join, &mut data);
            if setup.wanted(data.year) {
                rows.push(gongkai::export::reports::row(&data, None));
            }
        }
        if rows.is_empty() {
            bail!(
                "{}: no report in the index matches; nothing written",
                dir.display()
            );
        }
        write_table(args, &header, setup.with_extra(rows, true))?;
        return Ok(true);
    }
    // Copy shares need every report's signatures: they wait on disk, not in memory.
    let mut data = Vec::new();
    let mut comparable = Vec::new();
    let mut store = SignatureStore::new().context(TEMP_ADVICE)?;
    let mut stored = Ok(());
    let ok = analyses(&setup, args, "export reports", |a| {
        data.push(ReportData::new(a));
        let sigs = gongkai::pipeline::signatures(a);
        comparable.push(sigs.paragraphs.iter().filter(|p| p.is_some()).count());
        if stored.is_ok() {
            stored = store.push(&sigs);
        }
    })?;
    stored.context(TEMP_ADVICE)?;
    let links = store.find_copies().context(TEMP_ADVICE)?;
    let rows = data
        .iter()
        .zip(&comparable)
        .zip(&links)
        .map(|((d, &comparable), l)| {
            let copied = l.iter().flatten().count();
            gongkai::export::reports::row(d, Some((copied, comparable)))
        })
        .collect();
    write_table(args, &header, setup.with_extra(rows, true))?;
    Ok(ok)
}

/// The user's metadata over an index's report record.
fn apply_to_data(join: &Join, d: &mut ReportData) {
    let mut m = gongkai::metadata::Metadata {
        title: d.title.clone(),
        agency: d.agency.clone(),
        year: d.year,
        province: d.province.clone(),
        level: d.level,
    };
    join.apply(Path::new(&d.path), &mut m);
    d.agency = m.agency;
    d.year = m.year;
    d.province = m.province;
    d.level = m.level;
}

/// `export sentences`: streamed, report by report; copy flags from a first, quiet pass.
fn sentences(args: &SentencesArgs) -> Result<bool> {
    let common = &args.common;
    if common.index.is_some() {
        bail!(
            "`gongkai export sentences` reads report files, not an index: give the reports' paths"
        );
    }
    let setup = Setup::new(common)?;
    let copies = if args.no_copies {
        None
    } else {
        Some(copy_flags(&setup, common)?)
    };
    let mut out = CsvOut::open(
        common,
        &setup.header(gongkai::export::sentences::HEADER, true),
    )?;
    let ok = analyses(&setup, common, "export sentences", |a| {
        let flags: Option<&[bool]> = copies
            .as_ref()
            .map(|c| c.get(&a.source.path).map_or(&[][..], Vec::as_slice));
        let rows = gongkai::export::sentences::rows(a, flags);
        out.rows(setup.with_extra(rows, true));
    })?;
    out.finish()?;
    Ok(ok)
}

/// Whether each narrative paragraph of each report was copied from an earlier one (a quiet
/// pass over every report; failures are named by the second pass).
fn copy_flags(
    setup: &Setup,
    args: &CommonArgs,
) -> Result<std::collections::HashMap<PathBuf, Vec<bool>>> {
    let mut paths = Vec::new();
    let mut store = SignatureStore::new().context(TEMP_ADVICE)?;
    let opts = RunOptions {
        load: super::analyze::load_options(args.encoding.as_deref())?,
        threads: super::threads(args.threads),
        command: "export sentences (copies)",
        quiet: true,
        summary: false,
    };
    run::run(&setup.analyzer, &args.paths, &opts, |mut a| {
        setup.join.apply(&a.source.path.clone(), &mut a.metadata);
        paths.push(a.source.path.clone());
        store
            .push(&gongkai::pipeline::signatures(&a))
            .context(TEMP_ADVICE)
    })?;
    let links = store.find_copies().context(TEMP_ADVICE)?;
    Ok(paths
        .into_iter()
        .zip(links)
        .map(|(p, l)| (p, l.iter().map(Option::is_some).collect()))
        .collect())
}

/// `export terms`: per report streamed; other groupings at the end.
fn terms(args: &TermsArgs) -> Result<bool> {
    let common = &args.common;
    let setup = Setup::new(common)?;
    let by = match args.by {
        TermsBy::Report => LibTermsBy::Report,
        TermsBy::Year => LibTermsBy::Year,
        TermsBy::Agency => LibTermsBy::Agency,
        TermsBy::Section => LibTermsBy::Section,
    };
    let per_report = by == LibTermsBy::Report;
    let mut out = CsvOut::open(common, &setup.header(&TermTable::header(by), per_report))?;
    let mut table = TermTable::new(by, !args.no_punct);
    let ok = analyses(&setup, common, "export terms", |a| {
        if per_report {
            let mut one = TermTable::new(by, !args.no_punct);
            one.add(a);
            out.rows(setup.with_extra(one.rows(args.min_count), true));
        } else {
            table.add(a);
        }
    })?;
    if !per_report {
        out.rows(table.rows(args.min_count));
    }
    out.finish()?;
    Ok(ok)
}

/// Analyses every report under the paths (in parallel, in input order) and hands each
/// summary to `each`; failures are reported and skipped. `Ok(false)` if any failed. With
/// `--index`, the summaries come from the index, in the order the reports were indexed.
pub fn summaries(
    setup: &Setup,
    args: &CommonArgs,
    command: &str,
    mut each: impl FnMut(ReportSummary),
) -> Result<bool> {
    if let Some(dir) = &args.index {
        let analyzer = &setup.analyzer;
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
        let mut any = false;
        for r in &reports {
            let mut s = r.data.to_summary(formulas, &theme_ids);
            setup.join.apply_summary(&mut s);
            if setup.wanted(s.year) {
                any = true;
                each(s);
            }
        }
        if !any {
            bail!(
                "{}: no report in the index matches; nothing written",
                dir.display()
            );
        }
        return Ok(true);
    }
    analyses(setup, args, command, |a| each(ReportSummary::new(a)))
}

/// Analyses every report under the paths and hands each analysis of the wanted years, with
/// the user's metadata applied, to `each`.
pub fn analyses(
    setup: &Setup,
    args: &CommonArgs,
    command: &str,
    mut each: impl FnMut(&Analysis),
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
    let summary = run::run(&setup.analyzer, &args.paths, &opts, |mut a| {
        let path = a.source.path.clone();
        setup.join.apply(&path, &mut a.metadata);
        if setup.wanted(a.metadata.year) {
            each(&a);
        }
        Ok(())
    })?;
    if summary.read == 0 {
        bail!("no report could be read; nothing written");
    }
    Ok(summary.ok())
}

/// A CSV output written row by row: BOM if asked, the header, rows, an explicit flush.
struct CsvOut {
    writer: csv::Writer<Output>,
    error: Option<csv::Error>,
}

impl CsvOut {
    fn open(args: &CommonArgs, header: &[String]) -> Result<CsvOut> {
        let mut out = Output::open(args.output.as_deref())?;
        if args.bom {
            out.write_all("\u{FEFF}".as_bytes())?;
        }
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(header)?;
        Ok(CsvOut {
            writer,
            error: None,
        })
    }

    /// Writes rows; the first error is kept for [`CsvOut::finish`].
    fn rows(&mut self, rows: Vec<Vec<String>>) {
        if self.error.is_some() {
            return;
        }
        for row in rows {
            if let Err(e) = self.writer.write_record(&row) {
                self.error = Some(e);
                return;
            }
        }
    }

    fn finish(mut self) -> Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e).context("cannot write CSV");
        }
        self.writer.flush().context("cannot write CSV")?;
        let out = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write CSV: {}", e.error()))?;
        out.finish()
    }
}

/// Writes a CSV table (header, rows), with a BOM if asked.
pub fn write_table(args: &CommonArgs, header: &[String], rows: Vec<Vec<String>>) -> Result<()> {
    let mut out = CsvOut::open(args, header)?;
    out.rows(rows);
    out.finish()
}
