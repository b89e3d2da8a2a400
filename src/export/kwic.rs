//! `export kwic`: keyword in context, so a researcher can read the sentences behind a count.
//!
//! Columns: `path, agency, year, section, left, match, right, start, end`. The term is
//! normalized like the reports (a Traditional or full-width query finds Simplified text) and
//! searched in narrative paragraphs; `match` and the offsets are the original's, `left` and
//! `right` are up to `width` characters of normalized context within the paragraph.

use crate::normalize::Normalizer;
use crate::pipeline::Analysis;
use crate::pipeline::CharIndex;

/// The header row.
pub const HEADER: &[&str] = &[
    "path", "agency", "year", "section", "left", "match", "right", "start", "end",
];

/// KWIC rows of one analysis for a normalized term.
pub fn rows(a: &Analysis, term: &str, width: usize) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    if term.is_empty() {
        return out;
    }
    let idx = CharIndex::new(&a.source.text);
    for view in a.narrative() {
        let p = view.paragraph;
        for (at, m) in p.text.match_indices(term) {
            let left: String = {
                let before: Vec<char> = p.text[..at].chars().collect();
                before[before.len().saturating_sub(width)..]
                    .iter()
                    .collect()
            };
            let right: String = p.text[at + m.len()..].chars().take(width).collect();
            let orig = view.original(at..at + m.len());
            out.push(vec![
                a.source.path.display().to_string(),
                a.metadata.agency.clone().unwrap_or_default(),
                a.metadata.year.map(|y| y.to_string()).unwrap_or_default(),
                view.section.kind.as_str().to_string(),
                left,
                a.source.text[orig.clone()].to_string(),
                right,
                idx.char_offset(orig.start).to_string(),
                idx.char_offset(orig.end).to_string(),
            ]);
        }
    }
    out
}

/// The normalized form of a query term.
pub fn normalize_term(normalizer: &Normalizer, term: &str) -> String {
    normalizer.normalize_str(term.trim())
}
