//! `export themes`: how many reports admit each theme, per group.
//!
//! Columns: the group keys, then `theme, theme_label, theme_label_zh, reports,
//! reports_with_theme, share, mentions, measure_mentions`. One row per group × theme, zero
//! counts included (a pivot has no holes). `share` = reports_with_theme / reports;
//! `mentions` counts problem sentences, `measure_mentions` improvement-promise sentences.

use super::chart::{Chart, Series, YearPoint};
use super::{GroupBy, Groups, ratio};
use crate::pipeline::ReportSummary;
use crate::themes::Theme;

/// Value columns after the group keys.
pub const COLUMNS: &[&str] = &[
    "theme",
    "theme_label",
    "theme_label_zh",
    "reports",
    "reports_with_theme",
    "share",
    "mentions",
    "measure_mentions",
];

#[derive(Default)]
struct Agg {
    reports: u64,
    with: Vec<u64>,
    mentions: Vec<u64>,
    measures: Vec<u64>,
}

/// Accumulates report summaries into theme rows.
pub struct ThemeTable {
    themes: Vec<Theme>,
    groups: Groups<Agg>,
}

impl ThemeTable {
    /// An empty table over the codebook's themes.
    pub fn new(themes: &[Theme], by: GroupBy) -> ThemeTable {
        ThemeTable {
            themes: themes.to_vec(),
            groups: Groups::new(by),
        }
    }

    /// The header row.
    pub fn header(by: GroupBy) -> Vec<&'static str> {
        by.columns().iter().chain(COLUMNS).copied().collect()
    }

    /// Adds one report.
    pub fn add(&mut self, r: &ReportSummary) {
        let n = self.themes.len();
        let key = self.groups.by.key(r);
        let agg = self.groups.entry(key, || Agg {
            with: vec![0; n],
            mentions: vec![0; n],
            measures: vec![0; n],
            ..Agg::default()
        });
        agg.reports += 1;
        for (i, &(problem, measure)) in r.theme_mentions.iter().enumerate().take(n) {
            agg.with[i] += u64::from(problem > 0);
            agg.mentions[i] += u64::from(problem);
            agg.measures[i] += u64::from(measure);
        }
    }

    /// The chart of a table grouped by year: one line per theme, the share of each year's
    /// reports that admit it (reports without a year are not drawn).
    pub fn chart(&self) -> Chart {
        Chart {
            title: "承认各类问题的报告比例 Reports admitting each theme".into(),
            y_label: "报告比例 share of the year's reports".into(),
            unit: "reports".into(),
            series: self
                .themes
                .iter()
                .enumerate()
                .map(|(i, t)| Series {
                    label: format!("{} {}", t.label_zh, t.id),
                    points: self
                        .groups
                        .years()
                        .map(|(year, agg)| YearPoint {
                            year,
                            numerator: agg.with[i],
                            denominator: agg.reports,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// The rows, groups in order, themes in codebook order.
    pub fn rows(self) -> Vec<Vec<String>> {
        let themes = self.themes;
        let mut rows = Vec::new();
        for (key, agg) in self.groups.into_sorted() {
            for (i, t) in themes.iter().enumerate() {
                let mut row = key.clone();
                row.extend([
                    t.id.clone(),
                    t.label_en.clone(),
                    t.label_zh.clone(),
                    agg.reports.to_string(),
                    agg.with[i].to_string(),
                    ratio(agg.with[i], agg.reports),
                    agg.mentions[i].to_string(),
                    agg.measures[i].to_string(),
                ]);
                rows.push(row);
            }
        }
        rows
    }
}
