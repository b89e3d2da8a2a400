//! `gongkai analyze`: one report → metadata, sections, paragraphs, sentences.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};

use gongkai::corpus::{self, LoadOptions};
use gongkai::export::ReportSummary;
use gongkai::pipeline::{Analysis, Analyzer};
use gongkai::report::{CopyJson, ReportJson};
use gongkai::structure::Role;

use super::output::Output;
use super::run::{self, RunOptions};

/// Output formats of `analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnalyzeFormat {
    /// One JSON object per report per line (JSON Lines); the scripting interface.
    Json,
    /// A readable summary per report.
    Table,
    /// The original text all offsets refer to (extracted text for HTML/PDF).
    Text,
}

/// Arguments of `gongkai analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Report files or directories (searched recursively for .txt .md .htm .html .pdf).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Json)]
    pub format: AnalyzeFormat,
    /// Decode every text file with this encoding (gbk, gb18030, big5, utf-8, …) instead of
    /// detecting it.
    #[arg(long, value_parser = super::encoding_label)]
    pub encoding: Option<String>,
    /// Worker threads (default: all cores). Output is identical for any number.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Write to this file instead of stdout (`-` for stdout).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Skip finding paragraphs copied from earlier reports of the same agency (that needs a
    /// first pass over all the reports given; `copied_from` is then null).
    #[arg(long)]
    pub no_copies: bool,
    #[command(flatten)]
    pub dicts: super::dicts::DictArgs,
}

/// Parses `--encoding`.
pub fn load_options(encoding: Option<&str>) -> Result<LoadOptions> {
    let encoding = match encoding {
        None => None,
        Some(label) => match corpus::decode::encoding_for_label(label) {
            Some(e) => Some(e),
            None => {
                bail!("unknown encoding {label:?}: use a label such as utf-8, gbk, gb18030 or big5")
            }
        },
    };
    Ok(LoadOptions { encoding })
}

/// Runs `analyze`; `Ok(false)` when some input failed.
pub fn run(args: AnalyzeArgs) -> Result<bool> {
    let load = load_options(args.encoding.as_deref())?;
    let analyzer = super::dicts::analyzer(&args.dicts)?;
    let mut out = Output::open(args.output.as_deref())?;
    let (paths, walk_failures) = run::report_files(&args.paths)?;
    let threads = super::threads(args.threads);
    let opts = RunOptions {
        load,
        threads,
        command: "analyze",
        quiet: false,
        summary: true,
    };
    // Copy links need every report's paragraphs first: a cheap pass that keeps signatures.
    let copies = if args.format == AnalyzeFormat::Json && !args.no_copies && paths.len() > 1 {
        Some(copy_links(&analyzer, &paths, &opts)?)
    } else {
        None
    };
    let summary = run::run_files(&analyzer, &paths, walk_failures, &opts, &mut |a| {
        let links = copies
            .as_ref()
            .and_then(|c| c.get(&a.source.path))
            .map(|v| v.as_slice());
        write_analysis(&mut out, &a, args.format, links)
    })?;
    out.finish()?;
    Ok(summary.ok())
}

/// The copy links of every readable report, by path: a first, quiet pass over all of them.
fn copy_links(
    analyzer: &Analyzer,
    paths: &[PathBuf],
    opts: &RunOptions<'_>,
) -> Result<HashMap<PathBuf, Vec<Option<CopyJson>>>> {
    let mut present: Vec<ReportSummary> = Vec::with_capacity(paths.len());
    let mut sources = Vec::with_capacity(paths.len());
    let quiet = RunOptions {
        quiet: true,
        command: "analyze (copies)",
        ..opts.clone()
    };
    // Failures are named once, by the second pass.
    let mut silent = |a: Analysis| {
        sources.push(a.source.path.clone());
        present.push(ReportSummary::new(&a));
        Ok(())
    };
    run::run_files(analyzer, paths, 0, &quiet, &mut silent)?;
    let links = gongkai::export::reuse::links(&present);
    Ok(sources
        .into_iter()
        .zip(links)
        .map(|(path, row)| {
            let row = row
                .iter()
                .map(|l| {
                    l.map(|l| CopyJson {
                        path: present[l.report].path.clone(),
                        year: l.year,
                        paragraph: l.paragraph,
                        similarity: l.similarity,
                        exact: l.exact,
                    })
                })
                .collect();
            (path, row)
        })
        .collect())
}

fn write_analysis(
    out: &mut Output,
    a: &Analysis,
    format: AnalyzeFormat,
    copies: Option<&[Option<CopyJson>]>,
) -> Result<()> {
    match format {
        AnalyzeFormat::Json => {
            let mut json = ReportJson::new(a);
            if let Some(links) = copies {
                json = json.with_copies(links);
            }
            serde_json::to_writer(&mut *out, &json)?;
            writeln!(out)?;
        }
        AnalyzeFormat::Table => write!(out, "{}", summary(a))?,
        AnalyzeFormat::Text => write!(out, "{}", a.source.text)?,
    }
    Ok(())
}

/// A readable summary of one analysis.
pub fn summary(a: &Analysis) -> String {
    let m = &a.metadata;
    let or_unknown = |s: Option<String>| s.unwrap_or_else(|| "-".into());
    let mut s = String::new();
    s.push_str(&format!("{}\n", a.source.path.display()));
    s.push_str(&format!("  title     {}\n", or_unknown(m.title.clone())));
    s.push_str(&format!(
        "  agency    {}   year {}   province {}   level {}\n",
        or_unknown(m.agency.clone()),
        or_unknown(m.year.map(|y| y.to_string())),
        or_unknown(m.province.clone()),
        or_unknown(m.level.map(|l| l.as_str().to_string())),
    ));
    s.push_str(&format!(
        "  file      {} {}, {} script, {} chars{}\n",
        format!("{:?}", a.source.format).to_lowercase(),
        a.source.encoding,
        a.norm.script.as_str(),
        a.source.text.chars().count(),
        if a.source.malformed > 0 {
            format!(", {} malformed bytes", a.source.malformed)
        } else {
            String::new()
        }
    ));
    s.push_str("  sections  kind               paras narr  tables sents  heading\n");
    for sec in &a.structure.sections {
        let count = |r: Role| sec.paragraphs.iter().filter(|p| p.role == r).count();
        let sents: usize = sec.paragraphs.iter().map(|p| p.sentences.len()).sum();
        let heading: String = sec
            .heading
            .as_deref()
            .unwrap_or("(no heading)")
            .chars()
            .take(30)
            .collect();
        s.push_str(&format!(
            "            {:<18} {:>5} {:>5} {:>6} {:>5}  {}\n",
            sec.kind.as_str(),
            sec.paragraphs.len(),
            count(Role::Narrative),
            count(Role::Table),
            sents,
            heading
        ));
    }
    s.push('\n');
    s
}
