//! Copies across years, over the whole index: which paragraphs an agency copied from its own
//! earlier reports.
//!
//! Whether a paragraph is a copy depends on the *other* reports of its agency: indexing the
//! 2012 report later can make a 2013 paragraph a copy. So links are not fixed when a report
//! is added; after each `index` run they are recomputed, for every agency the run touched,
//! from the paragraph texts the index stores (the same signatures `reuse` computes from an
//! analysis), and kept on the report documents ([`ReportData::copied`]). Only the report
//! documents whose links changed are rewritten; paragraph documents never are.
//!
//! What it does not do: it does not compare agencies with each other (see [`crate::reuse`]).

use std::collections::{BTreeMap, BTreeSet};

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};

use super::doc::{CopiedParagraph, ReportData};
use super::schema::{KIND_PARAGRAPH, KIND_REPORT};
use super::writer::{IndexHandle, IndexWriter};
use crate::error::Result;
use crate::reuse::{ParagraphSignature, ReportSignatures, find_copies};

/// Recomputes the copy links of every report of `agencies` from what the index has committed,
/// rewrites the report documents whose links changed (commit afterwards), and returns how
/// many changed.
//
// Long because it is one transaction: read the committed signatures, link, compare with the
// stored links, rewrite; the reading half already lives in `IndexHandle`.
pub fn link_copies(
    handle: &IndexHandle,
    writer: &mut IndexWriter,
    agencies: &BTreeSet<String>,
) -> Result<usize> {
    let f = &handle.fields;
    let reader = handle.reader()?;
    let searcher = reader.searcher();
    let term = |field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    let mut changed = 0;
    for agency in agencies.iter().filter(|a| !a.is_empty()) {
        // The agency's reports, in index order.
        let q = BooleanQuery::new(vec![
            (Occur::Must, term(f.kind, KIND_REPORT)),
            (Occur::Must, term(f.agency, agency)),
        ]);
        let reports: Vec<(u64, ReportData)> = handle
            .report_records(&searcher, &q)?
            .into_iter()
            .map(|r| (r.ord, r.data))
            .collect();
        if reports.len() < 2 {
            continue;
        }
        // Their paragraphs' signatures, from the stored normalized texts.
        let q = BooleanQuery::new(vec![
            (Occur::Must, term(f.kind, KIND_PARAGRAPH)),
            (Occur::Must, term(f.agency, agency)),
        ]);
        let mut paragraphs: BTreeMap<u64, BTreeMap<u64, Option<ParagraphSignature>>> =
            BTreeMap::new();
        for doc in handle.documents(&searcher, &q)? {
            let num = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            let text = doc
                .get_first(f.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            paragraphs
                .entry(num(f.report_ord))
                .or_default()
                .insert(num(f.paragraph), ParagraphSignature::of(text));
        }
        let signatures: Vec<ReportSignatures> = reports
            .iter()
            .map(|(ord, data)| ReportSignatures {
                agency: data.agency.clone(),
                year: data.year,
                paragraphs: paragraphs
                    .remove(ord)
                    .map(|p| p.into_values().collect())
                    .unwrap_or_default(),
            })
            .collect();
        let links = find_copies(&signatures);
        for ((ord, data), links) in reports.iter().zip(links) {
            let copied: Vec<CopiedParagraph> = links
                .iter()
                .enumerate()
                .filter_map(|(p, l)| {
                    let l = l.as_ref()?;
                    Some(CopiedParagraph {
                        paragraph: p as u32,
                        from_path: reports[l.report].1.path.clone(),
                        from_year: l.year,
                        from_paragraph: l.paragraph as u32,
                        similarity: l.similarity,
                        exact: l.exact,
                    })
                })
                .collect();
            if copied != data.copied {
                let mut data = data.clone();
                data.copied = copied;
                writer.replace_report(&data, *ord)?;
                changed += 1;
            }
        }
    }
    Ok(changed)
}
