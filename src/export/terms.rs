//! `export terms`: tidy word counts per group — the document-term table a topic model or
//! quanteda's `dfm` starts from (`textstat_frequency` with groups).
//!
//! Columns: the group keys, then `term, count, reports_with_term, words`. The terms are the
//! words the index holds: the segmenter's words of narrative paragraphs
//! ([`crate::pipeline::ParagraphFacts::tokens`]), ASCII letters lowercased as the index folds
//! them. `count` is the term's occurrences in the group, `reports_with_term` the reports of
//! the group using it, `words` the group's total words, so `count` summed over a group's rows
//! is `words` (unless `--min-count` dropped rare terms). Within a group, terms run from the
//! most to the least frequent, ties in code-point order.
//!
//! What it does not do: no stop-word list, no stemming; `punctuation: false` drops terms made
//! only of punctuation and symbols (quanteda's `remove_punct`).

use std::collections::HashMap;

use super::{GroupBy, Groups};
use crate::pipeline::Analysis;
use crate::search::tokens::fold;

/// Value columns after the group keys.
pub const COLUMNS: &[&str] = &["term", "count", "reports_with_term", "words"];

/// How `export terms` groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermsBy {
    /// Keys `path, agency, year`.
    Report,
    /// Key `year`.
    Year,
    /// Key `agency`.
    Agency,
    /// Key `section` (the canonical section id).
    Section,
}

impl TermsBy {
    /// The key column names.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            TermsBy::Report => GroupBy::Report.columns(),
            TermsBy::Year => GroupBy::Year.columns(),
            TermsBy::Agency => GroupBy::Agency.columns(),
            TermsBy::Section => &["section"],
        }
    }
}

#[derive(Default)]
struct Agg {
    words: u64,
    /// term → (count, reports with it, last report counted).
    terms: HashMap<String, (u64, u64, usize)>,
}

/// Accumulates analyses into term rows.
pub struct TermTable {
    by: TermsBy,
    punctuation: bool,
    groups: Groups<Agg>,
    reports: usize,
}

impl TermTable {
    /// An empty table; `punctuation: false` leaves out punctuation-only terms.
    pub fn new(by: TermsBy, punctuation: bool) -> TermTable {
        let order = match by {
            TermsBy::Report => GroupBy::Report,
            // Any other grouping sorts its keys.
            _ => GroupBy::Year,
        };
        TermTable {
            by,
            punctuation,
            groups: Groups::new(order),
            reports: 0,
        }
    }

    /// The header row.
    pub fn header(by: TermsBy) -> Vec<&'static str> {
        by.columns().iter().chain(COLUMNS).copied().collect()
    }

    /// Adds one report.
    pub fn add(&mut self, a: &Analysis) {
        self.reports += 1;
        let report = self.reports;
        let agency = a.metadata.agency.clone().unwrap_or_default();
        let year = a.metadata.year.map(|y| y.to_string()).unwrap_or_default();
        let fixed_key = match self.by {
            TermsBy::Report => vec![a.source.path.display().to_string(), agency, year],
            TermsBy::Year => vec![year],
            TermsBy::Agency => vec![agency],
            TermsBy::Section => Vec::new(),
        };
        for view in a.narrative() {
            let (p, f) = (view.paragraph, view.facts);
            let key = if self.by == TermsBy::Section {
                vec![view.section.kind.as_str().to_string()]
            } else {
                fixed_key.clone()
            };
            let agg = self.groups.entry(key, Agg::default);
            for r in &f.tokens {
                let word = &p.text[r.clone()];
                if !self.punctuation && is_punctuation(word) {
                    continue;
                }
                agg.words += 1;
                let slot = agg.terms.entry(fold(word)).or_insert((0, 0, 0));
                slot.0 += 1;
                if slot.2 != report {
                    slot.1 += 1;
                    slot.2 = report;
                }
            }
        }
    }

    /// The rows: groups in order (reports in input order, other keys sorted, unknown last),
    /// terms by falling count; terms counted fewer than `min_count` times are left out.
    pub fn rows(self, min_count: u64) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for (key, agg) in self.groups.into_sorted() {
            let mut terms: Vec<(String, (u64, u64, usize))> = agg.terms.into_iter().collect();
            terms.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(&b.0)));
            for (term, (count, reports, _)) in terms {
                if count < min_count {
                    continue;
                }
                let mut row = key.clone();
                row.extend([
                    term,
                    count.to_string(),
                    reports.to_string(),
                    agg.words.to_string(),
                ]);
                rows.push(row);
            }
        }
        rows
    }
}

/// Whether a word is only punctuation and symbols (，。、“” …, -, %).
pub fn is_punctuation(word: &str) -> bool {
    word.chars()
        .all(|c| !c.is_alphanumeric() && !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_is_only_symbols() {
        assert!(is_punctuation("，"));
        assert!(is_punctuation("“"));
        assert!(is_punctuation("%"));
        assert!(!is_punctuation("公开"));
        assert!(!is_punctuation("2014"));
        assert!(!is_punctuation("A4"));
    }
}
