//! Evaluation of the theme rules against a hand-labelled gold standard.
//!
//! The gold file (`tests/eval/themes_gold.tsv`) lists, per report, the themes a human reader
//! judged it to admit. Scoring is at report level, as researchers count: a report admits a
//! theme or not. Per theme and overall (micro-averaged) precision, recall and F1.
//!
//! What it does not do: it reads no reports itself; the caller analyses them.

use crate::error::{Error, Result};

/// One labelled report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldRow {
    /// `seed:NNN` or a path relative to the corpus folder.
    pub report: String,
    /// Theme ids the report admits.
    pub themes: Vec<String>,
    /// 1-based line in the gold file.
    pub line: usize,
}

/// Parses a gold file (`report agency year themes evidence`, tab-separated, `#` comments, a
/// header row starting with `report`).
pub fn parse_gold(name: &str, src: &str, known: &[&str]) -> Result<Vec<GoldRow>> {
    let mut rows = Vec::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("report\t") {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let bad = |message: String| Error::Dictionary {
            file: name.into(),
            line: i + 1,
            message,
        };
        if cols.len() < 4 {
            return Err(bad("expected report, agency, year, themes, evidence".into()));
        }
        let themes: Vec<String> = cols[3]
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect();
        if let Some(t) = themes.iter().find(|t| !known.contains(&t.as_str())) {
            return Err(bad(format!("unknown theme {t:?}")));
        }
        rows.push(GoldRow {
            report: cols[0].trim().into(),
            themes,
            line: i + 1,
        });
    }
    Ok(rows)
}

/// Counts of one theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted and in gold.
    pub tp: u32,
    /// Predicted, not in gold.
    pub fp: u32,
    /// In gold, not predicted.
    pub fn_: u32,
}

impl Counts {
    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall (1 when nothing was to find).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds one report's verdict.
    pub fn add(&mut self, predicted: bool, gold: bool) {
        match (predicted, gold) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    /// Sum of several counts (micro-average).
    pub fn sum<'a>(all: impl IntoIterator<Item = &'a Counts>) -> Counts {
        all.into_iter().fold(Counts::default(), |a, c| Counts {
            tp: a.tp + c.tp,
            fp: a.fp + c.fp,
            fn_: a.fn_ + c.fn_,
        })
    }
}

fn ratio(n: u32, d: u32) -> f64 {
    if d == 0 {
        1.0
    } else {
        f64::from(n) / f64::from(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_scores() {
        let src = "# c\nreport\tagency\tyear\tthemes\tevidence\nseed:000\ta\t2017\tstaffing,website\tx\nx.txt\tb\t2018\t\t\n";
        let rows = parse_gold("g.tsv", src, &["staffing", "website"]).expect("parses");
        assert_eq!(rows[0].themes, ["staffing", "website"]);
        assert!(rows[1].themes.is_empty());
        let err = parse_gold("g.tsv", "a\tb\tc\tmorale\t\n", &["staffing"]).expect_err("unknown");
        assert_eq!(err.to_string(), "g.tsv line 1: unknown theme \"morale\"");
        let mut c = Counts::default();
        c.add(true, true);
        c.add(true, false);
        c.add(false, true);
        c.add(false, false);
        assert_eq!((c.precision(), c.recall()), (0.5, 0.5));
    }
}
