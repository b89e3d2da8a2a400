//! The one run loop that every corpus command shares.
//!
//! `analyze`, every `export`, and `index` do the same thing around their own output: walk the
//! inputs, analyse the reports in parallel (in input order, so any thread count gives the same
//! output), hand each finished analysis to a sink, name each report that could not be read and
//! go on, show a progress bar on a terminal, and end with one summary line on stderr. This
//! module is that loop, written once; a command only says what to do with an analysis.
//!
//! What it does not do: it writes no results (the sink does), and it never decides what a bad
//! report means for the exit code beyond reporting it: [`Summary::ok`] tells the caller.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

use gongkai::corpus::{LoadOptions, Source};
use gongkai::pipeline::{Analysis, Analyzer};

/// What a run read and skipped.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Reports analysed and handed to the sink.
    pub read: usize,
    /// Inputs that could not be walked or read (each named on stderr).
    pub failed: usize,
    /// Reports handed on whose year is unknown.
    pub without_year: usize,
    /// Reports handed on without a problems section.
    pub without_problems: usize,
    /// Reports the sink chose to pass over (for the index: already indexed, unchanged).
    pub passed_over: usize,
}

impl Summary {
    /// Whether every input was read.
    pub fn ok(&self) -> bool {
        self.failed == 0
    }

    /// The one summary line a run ends with on stderr; `extra` is what the command adds after
    /// the number read.
    pub fn line(&self, command: &str, extra: &[String]) -> String {
        let mut parts = vec![format!("{} reports read", self.read)];
        parts.extend(extra.iter().cloned());
        if self.failed > 0 {
            parts.push(format!("{} skipped (named above)", self.failed));
        }
        if self.without_year > 0 {
            parts.push(format!("{} without a year", self.without_year));
        }
        if self.without_problems > 0 {
            parts.push(format!(
                "{} without a problems section",
                self.without_problems
            ));
        }
        format!("gongkai {command}: {}", parts.join(", "))
    }
}

/// What a sink did with a report it was handed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Taken {
    /// Used; whether its year and a problems section are known (for the summary line).
    Report {
        /// The year reported on is known.
        has_year: bool,
        /// A problems section was found.
        has_problems: bool,
    },
    /// Deliberately passed over (counted in [`Summary::passed_over`]).
    PassedOver,
}

impl Taken {
    /// An analysed report, used.
    pub fn of(a: &Analysis) -> Taken {
        Taken::Report {
            has_year: a.metadata.year.is_some(),
            has_problems: a
                .structure
                .sections
                .iter()
                .any(|s| s.kind == gongkai::structure::SectionKind::Problems),
        }
    }
}

/// Options of one run.
#[derive(Clone, Debug)]
pub struct RunOptions<'a> {
    /// How to read files.
    pub load: LoadOptions,
    /// Worker threads.
    pub threads: usize,
    /// Used in the summary line and progress bar (`analyze`, `export themes`, `index`).
    pub command: &'a str,
    /// A pass that says nothing on stderr (no failures, no summary): the first of two passes
    /// over the same files, whose second pass names what failed.
    pub quiet: bool,
    /// Whether the loop prints the summary line itself (a command with more to say prints
    /// its own, from [`Summary::line`]).
    pub summary: bool,
}

/// Walks `inputs`, analyses every report (in parallel, results in input order) and hands each
/// analysis to `sink`. Unreadable inputs are named on stderr and counted; a sink error stops the
/// run and is returned. Fails when there is nothing to read at all.
pub fn run(
    analyzer: &Analyzer,
    inputs: &[PathBuf],
    opts: &RunOptions<'_>,
    mut sink: impl FnMut(Analysis) -> Result<()>,
) -> Result<Summary> {
    let (files, walk_failures) = report_files(inputs)?;
    run_files(analyzer, &files, walk_failures, opts, &mut sink)
}

/// [`run`] over files already walked (`walk_failures` of them could not be).
pub fn run_files(
    analyzer: &Analyzer,
    files: &[PathBuf],
    walk_failures: usize,
    opts: &RunOptions<'_>,
    sink: &mut dyn FnMut(Analysis) -> Result<()>,
) -> Result<Summary> {
    let work = |source: Source| Ok(analyzer.analyze(source));
    run_files_with(
        analyzer,
        files,
        walk_failures,
        opts,
        &work,
        &mut |a: Analysis| {
            let taken = Taken::of(&a);
            sink(a)?;
            Ok(taken)
        },
    )
}

/// The general loop: `work` runs on each loaded report in a worker thread (analyse it, or
/// pass over it, and reduce it to what the sink needs); `sink` gets the results in input order
/// on this thread.
pub fn run_files_with<T: Send>(
    analyzer: &Analyzer,
    files: &[PathBuf],
    walk_failures: usize,
    opts: &RunOptions<'_>,
    work: &(dyn Fn(Source) -> gongkai::Result<T> + Sync),
    sink: &mut dyn FnMut(T) -> Result<Taken>,
) -> Result<Summary> {
    let mut summary = Summary {
        failed: walk_failures,
        ..Summary::default()
    };
    let bar = progress_bar(files.len() as u64, opts.command);
    let mut sink_error = None;
    analyzer.process_paths(files, opts.load, opts.threads, work, |_, result| {
        bar.inc(1);
        if sink_error.is_some() {
            return;
        }
        match result
            .map_err(Failure::Report)
            .and_then(|t| sink(t).map_err(Failure::Sink))
        {
            Ok(Taken::Report {
                has_year,
                has_problems,
            }) => {
                summary.read += 1;
                summary.without_year += usize::from(!has_year);
                summary.without_problems += usize::from(!has_problems);
            }
            Ok(Taken::PassedOver) => {
                summary.read += 1;
                summary.passed_over += 1;
            }
            Err(Failure::Report(e)) => {
                if !opts.quiet {
                    bar.suspend(|| report_failure(&e));
                }
                summary.failed += 1;
            }
            Err(Failure::Sink(e)) => sink_error = Some(e),
        }
    });
    bar.finish_and_clear();
    if let Some(e) = sink_error {
        return Err(e);
    }
    if !opts.quiet && opts.summary {
        eprintln!("{}", summary.line(opts.command, &[]));
    }
    Ok(summary)
}

/// Why a report did not reach the summary as read.
enum Failure {
    /// It could not be read or analysed: named, counted, and the run goes on.
    Report(gongkai::Error),
    /// The sink failed (an output could not be written): the run stops.
    Sink(anyhow::Error),
}

/// A progress bar on stderr when it is a terminal; hidden otherwise (logs and pipes get only
/// the summary line).
pub fn progress_bar(len: u64, command: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(
        "{prefix} [{bar:30}] {pos}/{len} reports, {rate} reports/s, {eta} left",
    )
    .map(|s| {
        s.progress_chars("=> ").with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}", state.per_sec());
            },
        )
    })
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(format!("gongkai {command}"));
    bar
}

/// The report files under `paths`, each path that cannot be walked named on stderr and
/// counted. An error when there is nothing at all to work on.
pub fn report_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, usize)> {
    let mut failed = 0;
    let mut files = Vec::new();
    for found in gongkai::corpus::walk(paths) {
        match found {
            Ok(p) => files.push(p),
            Err(e) => {
                report_failure(&e);
                failed += 1;
            }
        }
    }
    if files.is_empty() {
        bail!("no report files found (looked for .txt .md .htm .html .pdf); nothing written");
    }
    Ok((files, failed))
}

/// Reports one failed input on stderr.
pub fn report_failure(err: &gongkai::Error) {
    eprintln!("gongkai: skipped {err}");
}
