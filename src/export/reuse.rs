//! `export reuse`: per report, how much of its narrative was copied from earlier reports of
//! the same agency.
//!
//! Columns: `path, agency, year, paragraphs, copied_paragraphs, copied_share, source_path,
//! source_year, exact_paragraphs`. `paragraphs` counts the narrative paragraphs long enough to
//! compare (at least [`crate::reuse::MIN_CHARS`] characters); `source_path`/`source_year` name
//! the earlier report most of the copied paragraphs come from (empty when none).

use super::ratio;
use crate::reuse::{CopyLink, ReportSignatures};

/// The header row.
pub const HEADER: &[&str] = &[
    "path",
    "agency",
    "year",
    "paragraphs",
    "copied_paragraphs",
    "copied_share",
    "source_path",
    "source_year",
    "exact_paragraphs",
];

/// One row per report, in input order: each report's path and signatures (agency and year as
/// the run resolved them), and its links as [`crate::reuse::find_copies`] gives them.
pub fn rows(
    reports: &[(String, ReportSignatures)],
    links: &[Vec<Option<CopyLink>>],
) -> Vec<Vec<String>> {
    reports
        .iter()
        .zip(links)
        .map(|((path, r), l)| {
            let comparable = r.paragraphs.iter().filter(|s| s.is_some()).count();
            let copied: Vec<&CopyLink> = l.iter().flatten().collect();
            let exact = copied.iter().filter(|c| c.exact).count();
            // The source most copied paragraphs come from; ties to the most recent year.
            let mut tally: Vec<(usize, u16, usize)> = Vec::new();
            for c in &copied {
                match tally.iter_mut().find(|t| t.0 == c.report) {
                    Some(t) => t.2 += 1,
                    None => tally.push((c.report, c.year, 1)),
                }
            }
            let source = tally.iter().max_by_key(|t| (t.2, t.1));
            vec![
                path.clone(),
                r.agency.clone().unwrap_or_default(),
                r.year.map(|y| y.to_string()).unwrap_or_default(),
                comparable.to_string(),
                copied.len().to_string(),
                ratio(copied.len() as u64, comparable as u64),
                source.map(|s| reports[s.0].0.clone()).unwrap_or_default(),
                source.map(|s| s.1.to_string()).unwrap_or_default(),
                exact.to_string(),
            ]
        })
        .collect()
}
