//! The row tables: `export reports`, `sentences`, `terms`, `kwic` and `reuse`, one row per
//! report, sentence, term or occurrence. Tables that can be long are streamed report by
//! report; copy links (which need every report first) come from a quiet first pass or from
//! signatures kept on disk.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use gongkai::export::terms::{TermTable, TermsBy as LibTermsBy};
use gongkai::reuse::SignatureStore;
use gongkai::search::doc::ReportData;

use super::args::{CommonArgs, KwicArgs, SentencesArgs, TermsArgs, TermsBy};
use super::csv_out::CsvOut;
use super::input::{Setup, analyses};
use crate::cli::analyze::TEMP_ADVICE;
use crate::cli::run::{self, RunOptions};

/// `export reports`: from files (with copy shares among them) or from an index.
pub(super) fn reports(args: &CommonArgs) -> Result<bool> {
    let setup = Setup::new(args)?;
    if let Some(dir) = &args.index {
        let handle = gongkai::search::IndexHandle::open(dir, &setup.analyzer)?;
        let mut rows = Vec::new();
        for r in handle.reports()? {
            let mut data = r.data;
            setup.join.apply_record(&mut data);
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
        setup.write(args, gongkai::export::reports::HEADER, rows, true)?;
        return Ok(true);
    }
    // Copy shares need every report's signatures: they wait on disk, not in memory.
    let mut data = Vec::new();
    let mut comparable = Vec::new();
    let mut store = SignatureStore::new().context(TEMP_ADVICE)?;
    let mut stored = Ok(());
    let ok = analyses(&setup, args, "export reports", |a| {
        data.push(ReportData::new(a));
        let sigs = gongkai::reuse::ReportSignatures::of(a);
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
    setup.write(args, gongkai::export::reports::HEADER, rows, true)?;
    Ok(ok)
}

/// `export sentences`: streamed, report by report; copy flags from a first, quiet pass.
pub(super) fn sentences(args: &SentencesArgs) -> Result<bool> {
    let common = &args.common;
    if common.index.is_some() {
        return Err(crate::cli::dicts::BadInput(
            "`gongkai export sentences` reads report files, not an index: give the reports' \
             paths (only `export reports`, `themes` and `boilerplate` take --index)"
                .into(),
        )
        .into());
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
fn copy_flags(setup: &Setup, args: &CommonArgs) -> Result<HashMap<PathBuf, Vec<bool>>> {
    let mut paths = Vec::new();
    let mut store = SignatureStore::new().context(TEMP_ADVICE)?;
    let opts = RunOptions {
        load: crate::cli::analyze::load_options(args.encoding.as_deref())?,
        threads: crate::cli::threads(args.threads),
        command: "export sentences (copies)",
        quiet: true,
        summary: false,
    };
    run::run(&setup.analyzer, &args.paths, &opts, |mut a| {
        setup.join.apply(&a.source.path.clone(), &mut a.metadata);
        paths.push(a.source.path.clone());
        store
            .push(&gongkai::reuse::ReportSignatures::of(&a))
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
pub(super) fn terms(args: &TermsArgs) -> Result<bool> {
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

/// `export kwic`: every narrative occurrence of a term in its context.
pub(super) fn kwic(args: &KwicArgs) -> Result<bool> {
    let setup = Setup::new(&args.common)?;
    let term = gongkai::export::kwic::normalize_term(setup.analyzer.normalizer(), &args.term);
    if term.is_empty() {
        bail!("the search term is empty");
    }
    let mut rows = Vec::new();
    let ok = analyses(&setup, &args.common, "export kwic", |a| {
        rows.extend(gongkai::export::kwic::rows(a, &term, args.width));
    })?;
    setup.write(&args.common, gongkai::export::kwic::HEADER, rows, true)?;
    Ok(ok)
}

/// `export reuse`: per report, the paragraphs copied from the agency's earlier reports.
pub(super) fn reuse(args: &CommonArgs) -> Result<bool> {
    if args.index.is_some() {
        return Err(crate::cli::dicts::BadInput(
            "`gongkai export reuse` compares paragraph texts, so it reads report files, not an \
             index: give the reports' paths (only `export reports`, `themes` and `boilerplate` \
             take --index)"
                .into(),
        )
        .into());
    }
    let setup = Setup::new(args)?;
    let mut all = Vec::new();
    let ok = analyses(&setup, args, "export reuse", |a| {
        all.push((
            a.source.path.display().to_string(),
            gongkai::reuse::ReportSignatures::of(a),
        ))
    })?;
    let sigs: Vec<&gongkai::reuse::ReportSignatures> = all.iter().map(|(_, s)| s).collect();
    let links = gongkai::reuse::find_copies(&sigs);
    let rows = gongkai::export::reuse::rows(&all, &links);
    setup.write(args, gongkai::export::reuse::HEADER, rows, true)?;
    Ok(ok)
}
