//! The per-year charts of `export themes --plot`, `export boilerplate --plot` (drawn in
//! `counts`) and `search --by-year --plot`: which numbers go on which line. Drawing is the
//! library's (`gongkai::export::chart`).

use std::path::PathBuf;

use anyhow::Result;

use gongkai::export::chart::{Chart, Series, YearPoint};
use gongkai::pipeline::ReportSummary;

use crate::cli::dicts::BadInput;

/// Checks a `--plot` flag: only with `--by year`, and only .svg or .png.
pub fn check_plot(plot: &Option<PathBuf>, by_year: bool) -> Result<()> {
    if let Some(p) = plot {
        if !by_year {
            return Err(BadInput("--plot draws shares per year: add --by year".into()).into());
        }
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !ext.eq_ignore_ascii_case("svg") && !ext.eq_ignore_ascii_case("png") {
            return Err(
                BadInput(format!("{}: --plot writes .svg or .png files", p.display())).into(),
            );
        }
    }
    Ok(())
}

/// Reports per year and reports admitting each theme: the chart of `export themes --by year`.
pub struct ThemeYears {
    themes: Vec<gongkai::themes::Theme>,
    per_year: Vec<(u16, u64, Vec<u64>)>,
}

impl ThemeYears {
    /// Nothing counted yet.
    pub fn new(themes: &[gongkai::themes::Theme]) -> ThemeYears {
        ThemeYears {
            themes: themes.to_vec(),
            per_year: Vec::new(),
        }
    }

    /// Counts a report (reports without a year are not drawn).
    pub fn add(&mut self, s: &ReportSummary) {
        let Some(y) = s.year else { return };
        let n = self.themes.len();
        let i = match self.per_year.iter().position(|p| p.0 == y) {
            Some(i) => i,
            None => {
                self.per_year.push((y, 0, vec![0; n]));
                self.per_year.len() - 1
            }
        };
        let slot = &mut self.per_year[i];
        slot.1 += 1;
        for (t, (problem, _)) in s.theme_mentions.iter().enumerate().take(n) {
            slot.2[t] += u64::from(*problem > 0);
        }
    }

    /// The chart: one line per theme.
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
                        .per_year
                        .iter()
                        .map(|(year, n, with)| YearPoint {
                            year: *year,
                            numerator: with[i],
                            denominator: *n,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The chart of `search --by-year --plot`: the share of each year's reports that match.
pub fn year_chart(query: &str, years: &[gongkai::search::YearCount]) -> Chart {
    let what = if query.trim().is_empty() {
        "filters".to_string()
    } else {
        format!("“{}”", query.trim())
    };
    Chart {
        title: format!("含 {what} 的报告比例 Reports matching {what}"),
        y_label: "报告比例 share of the year's reports".into(),
        unit: "reports".into(),
        series: vec![Series {
            label: what,
            points: years
                .iter()
                .filter_map(|y| {
                    Some(YearPoint {
                        year: y.year?,
                        numerator: y.reports,
                        denominator: y.reports_indexed,
                    })
                })
                .collect(),
        }],
    }
}
