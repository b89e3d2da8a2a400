//! Evaluation of the theme rules against a hand-labelled gold standard.
//!
//! The gold file (`tests/eval/themes_gold.tsv`) lists, per report, the themes a human reader
//! judged it to admit and the agency series the report belongs to. Scoring is at report level,
//! as researchers count: a report admits a theme or not. Per theme and overall
//! (micro-averaged) precision, recall and F1; [`series_folds`] groups rows for
//! leave-one-series-out cross-validation. Clause files (`tests/eval/clauses_*.tsv`) label
//! short quoted clauses instead of reports; [`parse_clauses`] reads them.
//!
//! What it does not do: it reads no reports itself and runs no classifier; the caller
//! analyses and classifies.

use crate::error::{Error, Result};

/// One labelled report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldRow {
    /// `seed:NNN` or a path relative to the corpus folder.
    pub report: String,
    /// Theme ids the report admits.
    pub themes: Vec<String>,
    /// The agency series (one body's reports over the years): the unit cross-validation holds
    /// out. The `series` column, or the agency when the column is absent.
    pub series: String,
    /// 1-based line in the gold file.
    pub line: usize,
}

/// Parses a gold file (`report agency year themes evidence [series]`, tab-separated, `#`
/// comments, a header row starting with `report`).
pub fn parse_gold(name: &str, src: &str, known: &[&str]) -> Result<Vec<GoldRow>> {
    let mut rows = Vec::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("report\t") {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let bad = |message: String| Error::Gold {
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
        let series = cols
            .get(5)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .unwrap_or(cols[1].trim());
        rows.push(GoldRow {
            report: cols[0].trim().into(),
            themes,
            series: series.into(),
            line: i + 1,
        });
    }
    Ok(rows)
}

/// The folds of leave-one-series-out cross-validation: for each series, in order of first
/// appearance, its name and the indices of its rows.
pub fn series_folds(rows: &[GoldRow]) -> Vec<(String, Vec<usize>)> {
    let mut folds: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        match folds.iter_mut().find(|(s, _)| *s == r.series) {
            Some((_, v)) => v.push(i),
            None => folds.push((r.series.clone(), vec![i])),
        }
    }
    folds
}

/// Where in a report a labelled clause sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClausePart {
    /// The problems passage (存在的主要问题 …).
    Problems,
    /// The improvement measures (改进措施, 下一步 …).
    Measures,
    /// The overview or any other part.
    Overview,
}

/// One labelled clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClauseRow {
    /// The clause id (`c0001`).
    pub id: String,
    /// Where it was read (URL or repository path).
    pub source: String,
    /// Where in its report it sits.
    pub part: ClausePart,
    /// The quoted clause.
    pub text: String,
    /// Theme ids it admits.
    pub admits: Vec<String>,
    /// 1-based line in the file.
    pub line: usize,
}

/// Parses a clause file (`id url province year part text admits measures`, tab-separated, one
/// header row starting with `id`, `#` comments; `-` for no theme).
pub fn parse_clauses(name: &str, src: &str, known: &[&str]) -> Result<Vec<ClauseRow>> {
    let mut rows = Vec::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("id\t") {
            continue;
        }
        let bad = |message: String| Error::Gold {
            file: name.into(),
            line: i + 1,
            message,
        };
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 8 {
            return Err(bad(
                "expected id, url, province, year, part, text, admits, measures".into(),
            ));
        }
        let part = match cols[4].trim() {
            "problems" => ClausePart::Problems,
            "measures" => ClausePart::Measures,
            "overview" => ClausePart::Overview,
            other => return Err(bad(format!("unknown part {other:?}"))),
        };
        let ids = |col: &str| -> Result<Vec<String>> {
            let v: Vec<String> = col
                .split_whitespace()
                .filter(|t| *t != "-")
                .map(String::from)
                .collect();
            match v.iter().find(|t| !known.contains(&t.as_str())) {
                Some(t) => Err(bad(format!("unknown theme {t:?}"))),
                None => Ok(v),
            }
        };
        ids(cols[7])?;
        rows.push(ClauseRow {
            id: cols[0].trim().into(),
            source: cols[1].trim().into(),
            part,
            text: cols[5].trim().into(),
            admits: ids(cols[6])?,
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
    fn a_bad_row_is_named_by_file_and_line() {
        let src = "report\tagency\tyear\tthemes\tevidence\nx.txt\ta\t2017\tstafing\tx\n";
        match parse_gold("gold.tsv", src, &["staffing"]) {
            Err(Error::Gold {
                file,
                line,
                message,
            }) => {
                assert_eq!((file.as_str(), line), ("gold.tsv", 2));
                assert!(message.contains("stafing"), "{message}");
            }
            other => panic!("expected a gold error, got {other:?}"),
        }
        let clauses = "id\turl\tprovince\tyear\tpart\ttext\tadmits\n";
        let e = parse_clauses("c.tsv", &format!("{clauses}1\tu\tp\t2017\tproblems\n"), &[]);
        assert!(matches!(e, Err(Error::Gold { line: 2, .. })), "{e:?}");
    }

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

    #[test]
    fn series_column_groups_folds() {
        let src = "a.txt\tX局\t2017\t\t\tx\nb.txt\tX局2\t2018\t\t\tx\nc.txt\tY局\t2018\t\t\n";
        let rows = parse_gold("g.tsv", src, &[]).expect("parses");
        let folds = series_folds(&rows);
        assert_eq!(
            folds,
            [("x".to_string(), vec![0, 1]), ("Y局".to_string(), vec![2])]
        );
    }

    #[test]
    fn clause_files_parse() {
        let src = "id\turl\tprovince\tyear\tpart\ttext\tadmits\tmeasures\nc1\thttp://a\t\t\tproblems\t人员少\tstaffing\t-\n";
        let rows = parse_clauses("c.tsv", src, &["staffing"]).expect("parses");
        assert_eq!(rows[0].admits, ["staffing"]);
        assert_eq!(rows[0].part, ClausePart::Problems);
        let bad = src.replace("problems", "middle");
        let err = parse_clauses("c.tsv", &bad, &["staffing"]).expect_err("bad part");
        assert_eq!(err.to_string(), "c.tsv line 2: unknown part \"middle\"");
    }
}
