//! The one run loop that every corpus command shares.
//!
//! `analyze`, every `export`, and `index` do the same thing around their own output: walk the
//! inputs, analyse the reports in parallel (in input order, so any thread count gives the same
//! output), hand each finished analysis to a sink, name each report that could not be read and
//! go on, show a progress bar on a terminal, and end with one summary line on stderr. This
//! module is that loop, written once; a command only says what to do with an analysis.
//!
//! Nothing is dropped without a word and nothing is counted twice: every input that is not
//! analysed (unreadable, not a regular file, a format gongkai does not read, too large, a
//! symlink loop, no usable text, not a report, a duplicate) is named on stderr and counted by
//! reason in the summary line; the same content (BLAKE3 of the bytes) is analysed once per
//! run, whatever its names; a report decoded with replaced bytes is named with their number.
//!
//! What it does not do: it writes no results (the sink does), and it never decides what a bad
//! report means for the exit code beyond reporting it: [`Summary::ok`] tells the caller.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

use gongkai::corpus::{LoadOptions, Source};
use gongkai::error::SkipReason;
use gongkai::pipeline::{Analysis, Analyzer};

/// Inputs skipped, by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skips(BTreeMap<SkipReason, usize>);

impl Skips {
    /// Counts one skipped input.
    pub fn add(&mut self, reason: SkipReason) {
        *self.0.entry(reason).or_default() += 1;
    }

    /// Inputs skipped that make the run fail ([`SkipReason::is_failure`]).
    pub fn failures(&self) -> usize {
        self.0
            .iter()
            .filter(|(r, _)| r.is_failure())
            .map(|(_, n)| n)
            .sum()
    }

    /// Inputs skipped for this reason.
    pub fn get(&self, reason: SkipReason) -> usize {
        self.0.get(&reason).copied().unwrap_or(0)
    }

    /// Inputs skipped for any reason but duplication.
    pub fn not_duplicates(&self) -> usize {
        self.0
            .iter()
            .filter(|(r, _)| **r != SkipReason::Duplicate)
            .map(|(_, n)| n)
            .sum()
    }
}

/// What a run read and skipped.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Reports analysed and handed to the sink.
    pub read: usize,
    /// Inputs that should have been read but could not be (each named on stderr); any makes
    /// the run fail.
    pub failed: usize,
    /// Every input not analysed, by reason (each named on stderr), failures included.
    pub skipped: Skips,
    /// Reports read whose decoding replaced malformed bytes (each named on stderr).
    pub with_malformed: usize,
    /// Reports handed on whose year is unknown.
    pub without_year: usize,
    /// Reports handed on without a problems section.
    pub without_problems: usize,
    /// Reports the sink chose to pass over (for the index: already indexed, unchanged).
    pub passed_over: usize,
}

impl Summary {
    /// Counts a report the sink took.
    fn took(&mut self, taken: Taken) {
        self.read += 1;
        match taken {
            Taken::Report {
                has_year,
                has_problems,
            } => {
                self.without_year += usize::from(!has_year);
                self.without_problems += usize::from(!has_problems);
            }
            Taken::PassedOver => self.passed_over += 1,
        }
    }

    /// Counts a report that could not be read or was skipped, under its reason.
    fn refused(&mut self, e: &gongkai::Error) {
        let reason = e.skip_reason();
        self.skipped.add(reason);
        self.failed += usize::from(reason.is_failure());
    }

    /// Whether every input was read.
    pub fn ok(&self) -> bool {
        self.failed == 0
    }

    /// The one summary line a run ends with on stderr; `extra` is what the command adds after
    /// the number read.
    pub fn line(&self, command: &str, extra: &[String]) -> String {
        let mut parts = vec![format!("{} read", super::count(self.read as u64, "report"))];
        parts.extend(extra.iter().cloned());
        let skipped = self.skipped.not_duplicates();
        if skipped > 0 {
            let reasons: Vec<String> = self
                .skipped
                .0
                .iter()
                .filter(|(r, _)| **r != SkipReason::Duplicate)
                .map(|(r, n)| format!("{n} {}", r.label()))
                .collect();
            parts.push(format!(
                "{skipped} skipped ({}; named above)",
                reasons.join(", ")
            ));
        }
        let duplicates = self.skipped.get(SkipReason::Duplicate);
        if duplicates > 0 {
            parts.push(format!(
                "{duplicates} duplicate{} counted once",
                if duplicates == 1 { "" } else { "s" }
            ));
        }
        if self.with_malformed > 0 {
            parts.push(format!(
                "{} with malformed bytes replaced",
                self.with_malformed
            ));
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
    let (files, walk_skips) = walk_files(inputs, !opts.quiet)?;
    run_files(analyzer, &files, walk_skips, opts, &mut sink)
}

/// [`run`] over files already walked (`walk_skips`: what the walk skipped).
pub fn run_files(
    analyzer: &Analyzer,
    files: &[PathBuf],
    walk_skips: Skips,
    opts: &RunOptions<'_>,
    sink: &mut dyn FnMut(Analysis) -> Result<()>,
) -> Result<Summary> {
    let work = |source: Source| Ok(analyzer.analyze(source));
    run_files_with(
        analyzer,
        files,
        walk_skips,
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
/// on this thread. A report whose content was already handed on in this run is skipped as a
/// duplicate (so a worker may analyse it, but it is never counted twice).
pub fn run_files_with<T: Send>(
    analyzer: &Analyzer,
    files: &[PathBuf],
    walk_skips: Skips,
    opts: &RunOptions<'_>,
    work: &(dyn Fn(Source) -> gongkai::Result<T> + Sync),
    sink: &mut dyn FnMut(T) -> Result<Taken>,
) -> Result<Summary> {
    let mut summary = Summary {
        failed: walk_skips.failures(),
        skipped: walk_skips,
        ..Summary::default()
    };
    let bar = progress_bar(files.len() as u64, opts.command);
    let mut sink_error = None;
    // Content hash → the first file with that content.
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let with_identity = |source: Source| {
        let identity = Identity {
            hash: source.content_hash.clone(),
            malformed: source.malformed,
            encoding: source.encoding.clone(),
        };
        work(source).map(|t| (identity, t))
    };
    analyzer.process_paths(
        files,
        opts.load,
        opts.threads,
        with_identity,
        |path, result| {
            bar.inc(1);
            if sink_error.is_some() {
                return;
            }
            let result = result.and_then(|(id, t)| match seen.get(&id.hash) {
                Some(first) => Err(gongkai::Error::Duplicate {
                    path: path.to_path_buf(),
                    of: first.clone(),
                }),
                None => {
                    seen.insert(id.hash.clone(), path.to_path_buf());
                    Ok((id, t))
                }
            });
            let mut malformed = None;
            match result.map_err(Failure::Report).and_then(|(id, t)| {
                if id.malformed > 0 {
                    malformed = Some(id);
                }
                sink(t).map_err(Failure::Sink)
            }) {
                Ok(taken) => {
                    if let Some(id) = malformed {
                        summary.with_malformed += 1;
                        if !opts.quiet {
                            bar.suspend(|| warn_malformed(path, &id));
                        }
                    }
                    summary.took(taken);
                }
                Err(Failure::Report(e)) => {
                    if !opts.quiet {
                        bar.suspend(|| report_failure(&e));
                    }
                    summary.refused(&e);
                }
                Err(Failure::Sink(e)) => sink_error = Some(e),
            }
        },
    );
    bar.finish_and_clear();
    if let Some(e) = sink_error {
        return Err(e);
    }
    if !opts.quiet && opts.summary {
        eprintln!("{}", summary.line(opts.command, &[]));
    }
    Ok(summary)
}

/// Says that a report was read with replacement characters, and how many.
fn warn_malformed(path: &Path, id: &Identity) {
    eprintln!(
        "gongkai: warning: {}: {} malformed byte sequence{} replaced (read as {}); its counts may miss a few words",
        path.display(),
        id.malformed,
        if id.malformed == 1 { "" } else { "s" },
        id.encoding
    )
}

/// What the run loop keeps of a report besides the worker's result.
struct Identity {
    hash: String,
    malformed: usize,
    encoding: String,
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

/// The report files under `paths`, each input that is skipped named on stderr and counted by
/// reason. An error when there is nothing at all to work on.
pub fn report_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Skips)> {
    walk_files(paths, true)
}

/// [`report_files`], naming the skipped inputs only when `say` (a quiet first pass leaves that
/// to the pass after it, so each skipped file is named once).
fn walk_files(paths: &[PathBuf], say: bool) -> Result<(Vec<PathBuf>, Skips)> {
    let mut skips = Skips::default();
    let mut files = Vec::new();
    for found in gongkai::corpus::walk(paths) {
        match found {
            Ok(p) => files.push(p),
            Err(e) => {
                if say {
                    report_failure(&e);
                }
                skips.add(e.skip_reason());
            }
        }
    }
    if files.is_empty() {
        bail!("no report files found (looked for .txt .md .htm .html .pdf); nothing written");
    }
    Ok((files, skips))
}

/// Reports one failed input on stderr.
pub fn report_failure(err: &gongkai::Error) {
    eprintln!("gongkai: skipped {err}");
}
