//! Export: corpus-level tables as tidy CSV, for R, pandas and Excel.
//!
//! Every table is *tidy*: one row per group × item (formula, theme), with the group's keys in
//! the first columns and a header row, so a pivot in any tool has no holes. Reports are
//! reduced to a small [`ReportSummary`] as soon as they are analysed, so exporting a large
//! corpus holds summaries, not reports. The column lists are defined here, once, and
//! documented in the README; columns are only ever added.
//!
//! What it does not do: it reads no files and writes no bytes itself (the CLI streams rows to
//! its output), and it computes nothing the earlier stages did not find.

pub mod boilerplate;
pub mod chart;
pub mod docvars;
pub mod json;
pub mod kwic;
pub mod reports;
pub mod reuse;
pub mod sentences;
pub mod terms;
pub mod themes;

use std::collections::HashMap;

use crate::pipeline::ReportSummary;

/// How rows are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupBy {
    /// One group per report: keys `path, agency, year`.
    Report,
    /// Per year reported on: key `year`.
    Year,
    /// Per agency as titles name it: key `agency`.
    Agency,
    /// Per province: key `province`.
    Province,
    /// Per administrative level: key `level`.
    Level,
}

impl GroupBy {
    /// The key column names.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            GroupBy::Report => &["path", "agency", "year"],
            GroupBy::Year => &["year"],
            GroupBy::Agency => &["agency"],
            GroupBy::Province => &["province"],
            GroupBy::Level => &["level"],
        }
    }

    /// The key values of a report (empty string for unknown).
    pub fn key(self, r: &ReportSummary) -> Vec<String> {
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let year = r.year.map(|y| y.to_string()).unwrap_or_default();
        match self {
            GroupBy::Report => vec![r.path.clone(), opt(&r.agency), year],
            GroupBy::Year => vec![year],
            GroupBy::Agency => vec![opt(&r.agency)],
            GroupBy::Province => vec![opt(&r.province)],
            GroupBy::Level => vec![r.level.map(|l| l.as_str().to_string()).unwrap_or_default()],
        }
    }
}

/// Groups in a stable order: reports in input order, other keys sorted (unknown last).
pub(crate) struct Groups<T> {
    by: GroupBy,
    order: Vec<(Vec<String>, T)>,
    index: HashMap<Vec<String>, usize>,
}

impl<T> Groups<T> {
    pub(crate) fn new(by: GroupBy) -> Groups<T> {
        Groups {
            by,
            order: Vec::new(),
            index: HashMap::new(),
        }
    }

    pub(crate) fn entry(&mut self, key: Vec<String>, init: impl FnOnce() -> T) -> &mut T {
        let i = *self.index.entry(key.clone()).or_insert_with(|| {
            self.order.push((key, init()));
            self.order.len() - 1
        });
        &mut self.order[i].1
    }

    /// The groups of a per-year grouping that have a year, in insertion order (the order the
    /// charts have always drawn them in).
    pub(crate) fn years(&self) -> impl Iterator<Item = (u16, &T)> {
        self.order
            .iter()
            .filter_map(|(k, v)| Some((k.first()?.parse().ok()?, v)))
    }

    pub(crate) fn into_sorted(mut self) -> Vec<(Vec<String>, T)> {
        if self.by != GroupBy::Report {
            // Unknown ("") after everything else.
            self.order.sort_by(|a, b| {
                (a.0.iter().all(String::is_empty), &a.0)
                    .cmp(&(b.0.iter().all(String::is_empty), &b.0))
            });
        }
        self.order
    }
}

/// Formats a share for CSV: six decimals, no exponent.
pub fn ratio(n: u64, d: u64) -> String {
    if d == 0 {
        "0".into()
    } else {
        format!("{:.6}", n as f64 / d as f64)
    }
}
