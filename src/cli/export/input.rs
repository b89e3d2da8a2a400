//! Where an export's reports come from: [`Setup`] (the analyzer and the user's metadata,
//! checked before any report is read), then either the report files, analysed in parallel
//! by the one run loop ([`analyses`]), or an index's report records ([`summaries`] with
//! `--index`). Year filtering and the user's metadata are applied here, once, for every table.

use std::path::Path;

use anyhow::{Result, bail};

use gongkai::export::docvars::Join;
use gongkai::pipeline::{Analysis, Analyzer, ReportSummary};

use super::args::CommonArgs;
use super::csv_out::write_table;
use crate::cli::run::{self, RunOptions};

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
        let analyzer = crate::cli::dicts::analyzer(&args.dicts)?;
        let join = crate::cli::dicts::join(&args.join, &analyzer)?;
        Ok(Setup {
            analyzer,
            join,
            years: args.year,
        })
    }

    pub(super) fn wanted(&self, year: Option<u16>) -> bool {
        match self.years {
            None => true,
            Some((from, to)) => year.is_some_and(|y| (from..=to).contains(&y)),
        }
    }

    /// Writes a whole table: `base` columns then, for per-report tables, the metadata CSV's
    /// columns, with each row's metadata values appended.
    pub(super) fn write(
        &self,
        args: &CommonArgs,
        base: &[&str],
        rows: Vec<Vec<String>>,
        per_report: bool,
    ) -> Result<()> {
        write_table(
            args,
            &self.header(base, per_report),
            self.with_extra(rows, per_report),
        )
    }

    /// A header with the metadata columns after `base` (per-report tables only).
    pub(super) fn header(&self, base: &[&str], per_report: bool) -> Vec<String> {
        let mut h: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        if per_report {
            h.extend(self.join.columns().iter().cloned());
        }
        h
    }

    /// Appends the metadata values to rows whose first cell is the report path.
    pub(super) fn with_extra(
        &self,
        mut rows: Vec<Vec<String>>,
        per_report: bool,
    ) -> Vec<Vec<String>> {
        if per_report && !self.join.columns().is_empty() {
            for row in &mut rows {
                let extra = self.join.extra(Path::new(&row[0]));
                row.extend(extra);
            }
        }
        rows
    }
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
        return Err(crate::cli::dicts::BadInput(format!(
            "`gongkai {command}` reads report files, not an index: give the reports' paths \
             (only `export reports`, `themes` and `boilerplate` take --index)"
        ))
        .into());
    }
    crate::cli::output::refuse_input(args.output.as_deref(), &args.paths)?;
    let opts = RunOptions {
        load: crate::cli::analyze::load_options(args.encoding.as_deref())?,
        threads: crate::cli::threads(args.threads),
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
