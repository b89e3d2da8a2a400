//! `export boilerplate`: formula counts and boilerplate share per group.
//!
//! Columns: the group keys, then `formula, category, reports, reports_with_formula, count,
//! narrative_chars, boilerplate_chars, boilerplate_share`. One row per group × formula, zero
//! counts included. `count` is the number of matches; `boilerplate_share` is the group's
//! characters inside any formula divided by its narrative characters (so it is the same on all
//! rows of a group).

use super::chart::{Chart, Series, YearPoint};
use super::{GroupBy, Groups, ratio};
use crate::boilerplate::Formula;
use crate::pipeline::ReportSummary;

/// Value columns after the group keys.
pub const COLUMNS: &[&str] = &[
    "formula",
    "category",
    "reports",
    "reports_with_formula",
    "count",
    "narrative_chars",
    "boilerplate_chars",
    "boilerplate_share",
];

#[derive(Default)]
struct Agg {
    reports: u64,
    narrative_chars: u64,
    boilerplate_chars: u64,
    counts: Vec<u64>,
    reports_with: Vec<u64>,
}

/// Accumulates report summaries into boilerplate rows.
pub struct BoilerplateTable {
    formulas: Vec<Formula>,
    groups: Groups<Agg>,
}

impl BoilerplateTable {
    /// An empty table over `formulas`.
    pub fn new(formulas: &[Formula], by: GroupBy) -> BoilerplateTable {
        BoilerplateTable {
            formulas: formulas.to_vec(),
            groups: Groups::new(by),
        }
    }

    /// The header row.
    pub fn header(by: GroupBy) -> Vec<&'static str> {
        by.columns().iter().chain(COLUMNS).copied().collect()
    }

    /// Adds one report.
    pub fn add(&mut self, r: &ReportSummary) {
        let n = self.formulas.len();
        let key = self.groups.by.key(r);
        let agg = self.groups.entry(key, || Agg {
            counts: vec![0; n],
            reports_with: vec![0; n],
            ..Agg::default()
        });
        agg.reports += 1;
        agg.narrative_chars += r.share.narrative_chars as u64;
        agg.boilerplate_chars += r.share.boilerplate_chars as u64;
        for (i, &c) in r.formula_counts.iter().enumerate().take(n) {
            agg.counts[i] += u64::from(c);
            agg.reports_with[i] += u64::from(c > 0);
        }
    }

    /// The chart of a table grouped by year: the boilerplate share of each year's narrative
    /// (reports without a year are not drawn).
    pub fn chart(&self) -> Chart {
        Chart {
            title: "套话占叙述文字的比例 Boilerplate share of the narrative".into(),
            y_label: "套话字数 / 叙述字数 boilerplate chars / narrative chars".into(),
            unit: "chars".into(),
            series: vec![Series {
                label: "boilerplate_share".into(),
                points: self
                    .groups
                    .years()
                    .map(|(year, agg)| YearPoint {
                        year,
                        numerator: agg.boilerplate_chars,
                        denominator: agg.narrative_chars,
                    })
                    .collect(),
            }],
        }
    }

    /// The rows, groups in order, formulae in lexicon order.
    pub fn rows(self) -> Vec<Vec<String>> {
        let formulas = self.formulas;
        let mut rows = Vec::new();
        for (key, agg) in self.groups.into_sorted() {
            for (i, f) in formulas.iter().enumerate() {
                let mut row = key.clone();
                row.extend([
                    f.id.clone(),
                    f.category.clone(),
                    agg.reports.to_string(),
                    agg.reports_with[i].to_string(),
                    agg.counts[i].to_string(),
                    agg.narrative_chars.to_string(),
                    agg.boilerplate_chars.to_string(),
                    ratio(agg.boilerplate_chars, agg.narrative_chars),
                ]);
                rows.push(row);
            }
        }
        rows
    }
}
