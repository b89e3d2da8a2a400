//! `gongkai search`: phrases across years, with the sentence, offsets into the original, and
//! exact per-year counts.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;

use gongkai::pipeline::Analyzer;
use gongkai::search::query::{Filters, ParsedQuery, parse_years};
use gongkai::search::{Hit, Limit, SearchIndex, SearchResults, YearCount};

use super::output::Output;

/// Output formats of `search`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Hits with the match marked, then counts per year.
    Table,
    /// JSON Lines: one `hit` record per hit, one `year` record per year, one `summary`.
    Json,
    /// CSV: one row per hit (or per year with `--by-year`).
    Csv,
}

/// Arguments of `gongkai search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: terms (all required), "quoted phrases", `OR`, `-excluded`. May be empty when
    /// a filter is given. `-词` excludes a word (`gongkai search 政策解读 -新闻发布会`); an
    /// excluded word in Latin letters goes after `--` (`gongkai search 网站 -- -APP`).
    pub query: Vec<String>,
    /// The index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Years reported on: `2014`, `2010..2014`, `2010..`, `..2014`.
    #[arg(long, value_parser = parse_years)]
    pub year: Option<(u16, u16)>,
    /// Agency name contains this.
    #[arg(long)]
    pub agency: Option<String>,
    /// Province name contains this (福建 or 福建省).
    #[arg(long)]
    pub province: Option<String>,
    /// Administrative level: central, province, prefecture, county, township.
    #[arg(long, value_parser = ["central", "province", "prefecture", "county", "township"])]
    pub level: Option<String>,
    /// Section: preamble, overview, proactive, requests, fees, review_litigation, problems,
    /// other.
    #[arg(long, value_parser = ["preamble", "overview", "proactive", "requests", "fees", "review_litigation", "problems", "other"])]
    pub section: Option<String>,
    /// Paragraphs admitting this theme (an id such as staffing).
    #[arg(long)]
    pub theme: Option<String>,
    /// Paragraphs promising to address this theme.
    #[arg(long)]
    pub measure: Option<String>,
    /// Paragraphs using this boilerplate formula (an id such as open_by_default).
    #[arg(long)]
    pub formula: Option<String>,
    /// Reports whose metadata column (from `index --metadata FILE.csv`) has this value:
    /// `--meta batch=A`; repeat for several.
    #[arg(long, value_parser = meta_pair)]
    pub meta: Vec<String>,
    /// Number of hits to show (best first).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Every hit, in the order the reports were indexed (for CSV exports).
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    /// Only the counts per year.
    #[arg(long)]
    pub by_year: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
    pub format: SearchFormat,
    /// Write to this file instead of stdout (`-` for stdout).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Start CSV output with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    pub bom: bool,
    /// Also draw the share of each year's reports that match (FILE.svg or FILE.png).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub dicts: super::dicts::DictArgs,
}

/// Columns of the hits CSV.
pub const HIT_COLUMNS: &[&str] = &[
    "path",
    "agency",
    "year",
    "section",
    "paragraph",
    "start",
    "end",
    "match",
    "text",
    "province",
    "level",
    "sentence_start",
    "sentence_end",
    "matches",
    "themes",
    "report_id",
    "copied_from",
];

/// Columns of the per-year CSV.
pub const YEAR_COLUMNS: &[&str] = &["year", "reports", "paragraphs", "reports_indexed", "share"];

/// The query as typed (shown in outputs), parsed, and the filters of `args`, checked against
/// the analyzer's codebook and formulae: what `search` runs, and what `bench --search` times.
pub fn query_and_filters(
    args: &SearchArgs,
    analyzer: &Analyzer,
) -> Result<(String, ParsedQuery, Filters)> {
    // Shown and parsed as typed: the `－` the command line put in for `-词` reads back as `-`.
    let text = args
        .query
        .iter()
        .map(|w| {
            w.strip_prefix('－')
                .map_or(w.clone(), |rest| format!("-{rest}"))
        })
        .collect::<Vec<_>>()
        .join(" ");
    // A malformed query is the user's typing, like a bad flag: exit 2 with the reason.
    let query =
        ParsedQuery::parse(&text, analyzer).map_err(|e| super::dicts::BadInput(e.to_string()))?;
    let check = |id: &Option<String>, known: Vec<&str>, what: &str| -> Result<()> {
        match id {
            Some(id) if !known.contains(&id.as_str()) => Err(super::dicts::BadInput(format!(
                "unknown {what} {id:?}; the {what}s are: {} (a {what} of your own needs the \
                 --codebook or --formulas file the index was built with)",
                known.join(", ")
            ))
            .into()),
            _ => Ok(()),
        }
    };
    let theme_ids: Vec<&str> = analyzer
        .themes()
        .themes()
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    let formula_ids: Vec<&str> = analyzer
        .boilerplate()
        .formulas()
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    check(&args.theme, theme_ids.clone(), "theme")?;
    check(&args.measure, theme_ids, "theme")?;
    check(&args.formula, formula_ids, "formula")?;
    let norm = |s: &Option<String>| {
        s.as_ref()
            .map(|s| analyzer.normalizer().normalize_str(s.trim()))
    };
    let filters = Filters {
        years: args.year,
        agency: norm(&args.agency),
        province: norm(&args.province),
        level: args.level.clone(),
        section: args.section.clone(),
        theme: args.theme.clone(),
        measure: args.measure.clone(),
        formula: args.formula.clone(),
        meta: args.meta.clone(),
    };
    Ok((text, query, filters))
}

/// Runs `search`.
pub fn run(args: SearchArgs) -> Result<bool> {
    super::export::check_plot(&args.plot, true)?;
    let analyzer = super::dicts::analyzer(&args.dicts)?;
    let (text, query, filters) = query_and_filters(&args, &analyzer)?;
    if query.is_empty() && filters == Filters::default() {
        return Err(super::dicts::BadInput(
            "nothing to search for: give a query (e.g. 无专职人员) or a filter (e.g. --theme staffing)"
                .into(),
        )
        .into());
    }
    let index = SearchIndex::open(&args.index, &analyzer)?;
    let limit = if args.all {
        Limit::All
    } else if args.by_year {
        Limit::Top(0)
    } else {
        Limit::Top(args.limit)
    };
    let results = index.search(&query, &filters, limit, &analyzer)?;
    let mut out = Output::open(args.output.as_deref())?;
    match args.format {
        SearchFormat::Table => {
            let colour = args.output.is_none() && std::io::stdout().is_terminal();
            write!(out, "{}", table(&text, &results, args.by_year, colour))?;
        }
        SearchFormat::Json => write_json(&mut out, &text, &results, args.by_year)?,
        SearchFormat::Csv => {
            if args.bom {
                out.write_all("\u{FEFF}".as_bytes())?;
            }
            let mut w = csv::Writer::from_writer(&mut out);
            if args.by_year {
                w.write_record(YEAR_COLUMNS)?;
                for y in &results.years {
                    w.write_record(year_row(y))?;
                }
            } else {
                w.write_record(HIT_COLUMNS)?;
                for h in &results.hits {
                    w.write_record(hit_row(h))?;
                }
            }
            w.flush().context("cannot write CSV")?;
        }
    }
    out.finish()?;
    if let Some(plot) = &args.plot {
        let chart = super::export::year_chart(&text, &results.years);
        super::export::write_chart(&chart, plot, "search")?;
    }
    Ok(true)
}

/// Checks `--meta column=value`.
fn meta_pair(s: &str) -> std::result::Result<String, String> {
    match s.split_once('=') {
        Some((c, v)) if !c.trim().is_empty() && !v.is_empty() => Ok(s.to_string()),
        _ => Err(format!("{s:?}: use column=value, e.g. --meta batch=A")),
    }
}

fn year_row(y: &YearCount) -> Vec<String> {
    vec![
        y.year.map(|y| y.to_string()).unwrap_or_default(),
        y.reports.to_string(),
        y.paragraphs.to_string(),
        y.reports_indexed.to_string(),
        format!("{:.6}", y.share),
    ]
}

fn hit_row(h: &Hit) -> Vec<String> {
    let first = h.matches.first();
    vec![
        h.path.clone(),
        h.agency.clone().unwrap_or_default(),
        h.year.map(|y| y.to_string()).unwrap_or_default(),
        h.section.clone(),
        h.paragraph.to_string(),
        first.map_or(h.sentence_start, |m| m.start).to_string(),
        first.map_or(h.sentence_end, |m| m.end).to_string(),
        first.map(|m| m.text.clone()).unwrap_or_default(),
        h.sentence.clone(),
        h.province.clone().unwrap_or_default(),
        h.level.clone().unwrap_or_default(),
        h.sentence_start.to_string(),
        h.sentence_end.to_string(),
        h.matches.len().to_string(),
        h.themes.join(" "),
        h.report_id.clone(),
        h.copied_from
            .as_ref()
            .map(|c| c.from_path.clone())
            .unwrap_or_default(),
    ]
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Record<'a> {
    Hit(&'a Hit),
    Year(&'a YearCount),
    Summary {
        query: &'a str,
        paragraphs: u64,
        reports: u64,
        hits: usize,
    },
}

fn write_json(out: &mut Output, query: &str, r: &SearchResults, by_year: bool) -> Result<()> {
    if !by_year {
        for h in &r.hits {
            serde_json::to_writer(&mut *out, &Record::Hit(h))?;
            writeln!(out)?;
        }
    }
    for y in &r.years {
        serde_json::to_writer(&mut *out, &Record::Year(y))?;
        writeln!(out)?;
    }
    serde_json::to_writer(
        &mut *out,
        &Record::Summary {
            query,
            paragraphs: r.total_paragraphs,
            reports: r.total_reports,
            hits: r.hits.len(),
        },
    )?;
    writeln!(out)?;
    Ok(())
}

/// The sentence with its matches marked: bold red on a terminal, 【】 elsewhere.
pub fn marked_sentence(h: &Hit, colour: bool) -> String {
    let (open, close) = if colour {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("【", "】")
    };
    let s = &h.sentence_range;
    let mut out = String::new();
    let mut at = s.start;
    for m in &h.matches {
        let r = m.normalized.start.max(s.start)..m.normalized.end.min(s.end);
        if r.start >= r.end || r.start < at {
            continue;
        }
        out.push_str(h.text.get(at..r.start).unwrap_or_default());
        out.push_str(open);
        out.push_str(h.text.get(r.clone()).unwrap_or_default());
        out.push_str(close);
        at = r.end;
    }
    out.push_str(h.text.get(at..s.end).unwrap_or_default());
    out
}

/// The readable form: hits, then the per-year table.
pub fn table(query: &str, r: &SearchResults, by_year: bool, colour: bool) -> String {
    let mut s = String::new();
    let what = if query.trim().is_empty() {
        "filters".to_string()
    } else {
        query.to_string()
    };
    s.push_str(&format!(
        "{what}: {} in {}\n",
        super::count(r.total_paragraphs, "paragraph"),
        super::count(r.total_reports, "report")
    ));
    if !by_year {
        for h in &r.hits {
            let first = h.matches.first();
            s.push_str(&format!(
                "\n{}  {} {}  {} ¶{}  [{}..{}]{}\n  {}\n",
                h.path,
                h.agency.as_deref().unwrap_or("-"),
                h.year.map_or("-".to_string(), |y| y.to_string()),
                h.section,
                h.paragraph,
                first.map_or(h.sentence_start, |m| m.start),
                first.map_or(h.sentence_end, |m| m.end),
                h.copied_from.as_ref().map_or(String::new(), |c| format!(
                    "  (copied from {})",
                    c.from_year
                )),
                marked_sentence(h, colour)
            ));
        }
        if r.hits.len() < r.total_paragraphs as usize {
            s.push_str(&format!(
                "\n({} of {} paragraphs shown; --limit N or --all for more)\n",
                r.hits.len(),
                r.total_paragraphs
            ));
        }
    }
    s.push_str("\nyear  reports  paragraphs  indexed   share\n");
    for y in &r.years {
        s.push_str(&format!(
            "{:<4}  {:>7}  {:>10}  {:>7}  {:>5.1}%\n",
            y.year.map_or("?".to_string(), |y| y.to_string()),
            y.reports,
            y.paragraphs,
            y.reports_indexed,
            y.share * 100.0
        ));
    }
    s
}
