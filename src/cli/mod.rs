//! Command-line interface: argument parsing, output files, error reporting, exit codes.
//!
//! Conventions: results go to stdout (or `-o FILE`), progress and warnings to
//! stderr; exit 0 on success, 1 when any input failed (the others are still processed and
//! written), 2 on a usage error. A bad report is reported with its path and reason and the
//! run goes on. Output files are written to a temporary name and renamed at the end, so a
//! failed run never leaves a half-written file over a good one.

mod analyze;
mod bench;
mod dicts;
mod eval;
mod explain;
mod export;
mod index;
mod output;
mod run;
mod sample;
mod scale;
mod search;
mod segment;

use clap::{Parser, Subcommand};

/// Turn Chinese government information-disclosure annual reports into searchable, countable
/// data.
#[derive(Debug, Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the whole job on the bundled sample reports (five real reports) and explain it.
    Sample(sample::SampleArgs),
    /// Build or extend the full-text index of reports (default folder `index/`).
    Index(index::IndexArgs),
    /// Search the index: phrases across years, the sentences, exact counts per year.
    Search(search::SearchArgs),
    /// Analyse reports: metadata, sections, paragraphs and sentences (JSON Lines or a table).
    Analyze(analyze::AnalyzeArgs),
    /// Segment text into words separated by spaces, one output line per input line.
    Segment(segment::SegmentArgs),
    /// Export tidy CSV tables: one row per report, sentence, term, theme count, formula or copy.
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Show, sentence by sentence, which theme rule fired and why.
    Explain(explain::ExplainArgs),
    /// Score the theme rules against a labelled gold file.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Measure segmentation and pipeline throughput (MB/s, ratios to raw jieba-rs), start-up
    /// time and peak memory.
    Bench(bench::BenchArgs),
    /// Write a large synthetic corpus from real reports, for benchmarks.
    Scale(bench::ScaleArgs),
}

/// Runs the command line and returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse_from(search_exclusions(std::env::args_os())) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Sample(args) => sample::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Segment(args) => segment::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Export(cmd) => export::run(cmd),
        Command::Eval(cmd) => eval::run(cmd),
        Command::Explain(args) => explain::run(args),
        Command::Scale(args) => bench::scale(args),
    };
    match result {
        Ok(true) => 0,
        Ok(false) => 1,
        // A closed pipe (`gongkai … | head`) is the reader's choice, not an error.
        Err(e) if is_broken_pipe(&e) => 0,
        // A bad codebook, metadata file … the user gave: a usage error.
        Err(e) if e.chain().any(|c| c.is::<dicts::BadInput>()) => {
            eprintln!("gongkai: error: {e:#}");
            2
        }
        Err(e) => {
            eprintln!("gongkai: error: {e:#}");
            1
        }
    }
}

/// Lets `gongkai search 政策解读 -新闻发布会` mean what it says. clap reads any word that starts
/// with `-` as a flag, and letting the query take hyphen values would swallow the flags after
/// it. A `-` followed by a non-ASCII character can never be a flag, so in `search` it becomes
/// the full-width `－` (U+FF0D), which the query language already reads as "exclude" (Chinese
/// input methods type it). Other commands and every other word are passed through untouched.
fn search_exclusions(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "search") {
        for a in args.iter_mut().skip(2) {
            if a == "--" {
                break;
            }
            let rewritten = a.to_str().and_then(|s| {
                let rest = s.strip_prefix('-')?;
                (!rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii()))
                    .then(|| format!("－{rest}"))
            });
            if let Some(r) = rewritten {
                *a = r.into();
            }
        }
    }
    args
}

/// Whether an error is a closed pipe, however it is wrapped: a bare `io::Error`, or one inside
/// a serde_json or csv error (their `source()` does not always expose it).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
            || c.downcast_ref::<csv::Error>().is_some_and(
                |c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
            || c.downcast_ref::<std::io::IntoInnerError<std::io::BufWriter<std::fs::File>>>()
                .is_some_and(|i| i.error().kind() == BrokenPipe)
    })
}

/// Number of worker threads: the flag, else all cores.
/// `n` and the noun, singular for one: "1 report", "2 reports". Every count a person reads
/// goes through here, so no message says "1 reports".
pub(crate) fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Width to pass to `{:<w$}` so that CJK text (two columns per character) lines up in a
/// terminal table.
pub(crate) fn pad(s: &str, columns: usize) -> usize {
    let wide = s.chars().filter(|c| !c.is_ascii()).count();
    columns.saturating_sub(wide)
}

fn threads(flag: Option<usize>) -> usize {
    flag.filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Checks an `--encoding` label while parsing arguments, so a bad one is a usage error (exit 2).
fn encoding_label(label: &str) -> Result<String, String> {
    match gongkai::corpus::decode::encoding_for_label(label) {
        Some(_) => Ok(label.to_string()),
        None => Err(format!(
            "unknown encoding {label:?}: use a label such as utf-8, gbk, gb18030 or big5"
        )),
    }
}
