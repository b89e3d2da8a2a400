//! What a corpus-level consumer keeps of one analysed report: [`ReportSummary`] (metadata,
//! formula counts, theme mentions, boilerplate [`Share`]). Copy-linking signatures are the
//! reuse stage's (`crate::reuse::ReportSignatures::of`).
//!
//! Exports and the index both reduce each report to these as soon as it is analysed, in the
//! worker thread, so a large corpus is held as summaries, not analyses. It lives with the
//! pipeline, not with either consumer, because both read it and neither may depend on the
//! other's internals.

use serde::Serialize;

use crate::metadata::Level;

use super::Analysis;

/// Narrative and boilerplate character counts of some paragraphs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Share {
    /// Non-space characters of narrative text.
    pub narrative_chars: usize,
    /// Of those, characters inside boilerplate formulae.
    pub boilerplate_chars: usize,
    /// boilerplate_chars / narrative_chars (0 when there is no narrative).
    pub boilerplate_share: f64,
}

impl Share {
    /// Adds a paragraph.
    pub fn add(&mut self, text: &str, formulas: &[crate::boilerplate::FormulaMatch]) {
        self.narrative_chars += text.chars().filter(|c| !c.is_whitespace()).count();
        self.boilerplate_chars += crate::boilerplate::covered_chars(text, formulas);
        self.boilerplate_share = if self.narrative_chars == 0 {
            0.0
        } else {
            self.boilerplate_chars as f64 / self.narrative_chars as f64
        };
    }

    /// The share of one analysis.
    pub fn of(a: &Analysis) -> Share {
        let mut share = Share::default();
        for v in a.narrative() {
            share.add(&v.paragraph.text, &v.facts.formulas);
        }
        share
    }
}

/// What the exports keep of one analysed report.
#[derive(Clone, Debug)]
pub struct ReportSummary {
    /// The file.
    pub path: String,
    /// Agency.
    pub agency: Option<String>,
    /// Year reported on.
    pub year: Option<u16>,
    /// Province.
    pub province: Option<String>,
    /// Level.
    pub level: Option<Level>,
    /// Narrative and boilerplate characters.
    pub share: Share,
    /// Matches per formula (index as in the lexicon).
    pub formula_counts: Vec<u32>,
    /// (problem, measure) sentence counts per theme, in codebook order.
    pub theme_mentions: Vec<(u32, u32)>,
}

impl ReportSummary {
    /// Summarises an analysis.
    pub fn new(a: &Analysis) -> ReportSummary {
        let mut formula_counts = vec![0u32; a.boilerplate_formulas().len()];
        let mut share = Share::default();
        for v in a.narrative() {
            share.add(&v.paragraph.text, &v.facts.formulas);
            for m in &v.facts.formulas {
                formula_counts[m.formula] += 1;
            }
        }
        ReportSummary {
            path: a.source.path.display().to_string(),
            agency: a.metadata.agency.clone(),
            year: a.metadata.year,
            province: a.metadata.province.clone(),
            level: a.metadata.level,
            share,
            formula_counts,
            theme_mentions: a.theme_mentions(a.theme_ids.len()),
        }
    }
}
