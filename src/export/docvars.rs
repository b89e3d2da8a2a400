//! Researcher metadata (quanteda's *docvars*) and agency aliases, joined to reports at run time.
//!
//! * [`Docvars`] reads a CSV with a `path` column and any others. `path` is the report file,
//!   relative to the CSV's folder or absolute. Its `agency`, `year`, `province` and `level`
//!   columns (all optional, an empty cell keeps gongkai's value) override what gongkai read from
//!   the title; every other column is carried, as text, into the exports' per-report rows.
//! * [`Aliases`] reads a TSV of `alias<TAB>agency` lines and merges agencies that renamed
//!   themselves (莆田市科技局 → 莆田市科学技术局) into one series.
//!
//! Both are checked whole when loaded: a bad line is an [`Error::Dictionary`] naming the file
//! and line, before any report is read.
//!
//! What it does not do: it reads no files itself (the caller passes the text) and it never
//! guesses a join: a report whose path is not in the CSV keeps gongkai's metadata and gets
//! empty extra columns.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::metadata::{Level, Metadata};
use crate::normalize::Normalizer;
use crate::pipeline::ReportSummary;
use crate::search::doc::ReportData;

/// The columns of a metadata CSV that override gongkai's own metadata.
pub const OVERRIDES: &[&str] = &["agency", "year", "province", "level"];

/// One report's row of a metadata CSV.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocvarRow {
    /// Agency, overriding the title's (normalized like gongkai's agency names).
    pub agency: Option<String>,
    /// Year reported on.
    pub year: Option<u16>,
    /// Province.
    pub province: Option<String>,
    /// Administrative level.
    pub level: Option<Level>,
    /// The other columns' values, in [`Docvars::columns`] order.
    pub extra: Vec<String>,
}

/// A metadata CSV, indexed by report path.
#[derive(Clone, Debug, Default)]
pub struct Docvars {
    columns: Vec<String>,
    rows: HashMap<PathBuf, DocvarRow>,
}

impl Docvars {
    /// Parses a metadata CSV named `name` in errors; relative paths are resolved against
    /// `base` (the CSV's folder).
    //
    // Long because it is the file's whole validation, row by row, each check with the error
    // that names the file, line and what to change; split, the checks would lose their order.
    pub fn from_csv(
        name: &str,
        base: &Path,
        contents: &str,
        normalizer: &Normalizer,
    ) -> Result<Docvars> {
        let bad = |line: usize, message: String| Error::Dictionary {
            file: name.into(),
            line,
            message,
        };
        let contents = contents.trim_start_matches('\u{FEFF}');
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(contents.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| bad(1, e.to_string()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let Some(path_col) = header.iter().position(|h| h == "path") else {
            return Err(bad(
                1,
                "no `path` column: the header must name one (path,agency,year,…)".into(),
            ));
        };
        let col = |n: &str| header.iter().position(|h| h == n);
        let (agency, year, province, level) =
            (col("agency"), col("year"), col("province"), col("level"));
        let extra_cols: Vec<usize> = (0..header.len())
            .filter(|&i| i != path_col && !OVERRIDES.contains(&header[i].as_str()))
            .collect();
        if let Some(dup) = header
            .iter()
            .enumerate()
            .find(|(i, h)| header[..*i].contains(h))
        {
            return Err(bad(1, format!("column {:?} named twice", dup.1)));
        }
        let mut rows = HashMap::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                bad(line, e.to_string())
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let cell = |i: Option<usize>| {
                i.and_then(|i| record.get(i))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            };
            let Some(path) = cell(Some(path_col)) else {
                return Err(bad(line, "empty path".into()));
            };
            let year = match cell(year) {
                None => None,
                Some(y) => match y.parse::<u16>() {
                    Ok(y) if (1900..=2100).contains(&y) => Some(y),
                    _ => return Err(bad(line, format!("year {y:?} is not a year such as 2014"))),
                },
            };
            let level = match cell(level) {
                None => None,
                Some(l) => Some(parse_level(l).ok_or_else(|| {
                    bad(
                        line,
                        format!(
                            "level {l:?}: use central, province, prefecture, county or township"
                        ),
                    )
                })?),
            };
            let row = DocvarRow {
                agency: cell(agency).map(|s| normalizer.normalize_str(s)),
                year,
                province: cell(province).map(|s| normalizer.normalize_str(s)),
                level,
                extra: extra_cols
                    .iter()
                    .map(|&i| record.get(i).unwrap_or_default().trim().to_string())
                    .collect(),
            };
            let key = resolve(base, Path::new(path));
            if rows.insert(key, row).is_some() {
                return Err(bad(line, format!("path {path:?} listed twice")));
            }
        }
        Ok(Docvars {
            columns: extra_cols.iter().map(|&i| header[i].clone()).collect(),
            rows,
        })
    }

    /// The carried columns (every column but `path` and the overrides), in CSV order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Number of reports listed.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no report is listed.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The listed paths that name no existing file (a typo, or a report moved since), sorted:
    /// their rows apply to nothing.
    pub fn missing_files(&self) -> Vec<&Path> {
        let mut v: Vec<&Path> = self
            .rows
            .keys()
            .map(PathBuf::as_path)
            .filter(|p| !p.exists())
            .collect();
        v.sort();
        v
    }

    /// The row of a report file (as the run loop names it), if listed.
    pub fn get(&self, path: &Path) -> Option<&DocvarRow> {
        self.rows.get(&resolve(Path::new(""), path))
    }

    /// The carried values of a report: its row's, or empty cells.
    pub fn extra(&self, path: &Path) -> Vec<String> {
        self.get(path)
            .map(|r| r.extra.clone())
            .unwrap_or_else(|| vec![String::new(); self.columns.len()])
    }
}

fn parse_level(s: &str) -> Option<Level> {
    Some(match s.to_ascii_lowercase().as_str() {
        "central" => Level::Central,
        "province" => Level::Province,
        "prefecture" => Level::Prefecture,
        "county" => Level::County,
        "township" => Level::Township,
        _ => return None,
    })
}

/// An absolute, lexically cleaned path (`.` and `..` resolved without touching the disk, so
/// a CSV may list files that are not there yet); symlinks are resolved when the file exists.
fn resolve(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let base = if base.is_absolute() {
            base.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(base)
        };
        base.join(path)
    };
    if let Ok(real) = joined.canonicalize() {
        return real;
    }
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Agency aliases: `alias<TAB>agency` lines (`#` comments and blank lines ignored).
#[derive(Clone, Debug, Default)]
pub struct Aliases {
    map: HashMap<String, String>,
}

impl Aliases {
    /// Parses an alias TSV named `name` in errors. Names are normalized like gongkai's agency
    /// names, so a Traditional or full-width alias matches.
    pub fn from_tsv(name: &str, contents: &str, normalizer: &Normalizer) -> Result<Aliases> {
        let mut map = HashMap::new();
        for (i, line) in contents.lines().enumerate() {
            let t = line.trim_start_matches('\u{FEFF}').trim_end_matches('\r');
            if t.trim().is_empty() || t.trim_start().starts_with('#') {
                continue;
            }
            let bad = |message: String| Error::Dictionary {
                file: name.into(),
                line: i + 1,
                message,
            };
            let cols: Vec<&str> = t.split('\t').map(str::trim).collect();
            if cols.len() != 2 || cols.iter().any(|c| c.is_empty()) {
                return Err(bad(
                    "expected `alias<TAB>agency` (two non-empty columns separated by a tab)".into(),
                ));
            }
            let (alias, agency) = (
                normalizer.normalize_str(cols[0]),
                normalizer.normalize_str(cols[1]),
            );
            if alias == agency {
                continue;
            }
            if let Some(old) = map.insert(alias.clone(), agency.clone())
                && old != agency
            {
                return Err(bad(format!("{alias:?} is already an alias of {old:?}")));
            }
        }
        // Follow chains (A → B, B → C) to their end, refusing cycles.
        let keys: Vec<String> = map.keys().cloned().collect();
        for k in keys {
            let mut seen = vec![k.clone()];
            let mut to = map[&k].clone();
            while let Some(next) = map.get(&to) {
                if seen.contains(next) || *next == k {
                    return Err(Error::Dictionary {
                        file: name.into(),
                        line: 0,
                        message: format!("aliases of {k:?} go round in a circle"),
                    });
                }
                seen.push(to.clone());
                to = next.clone();
            }
            map.insert(k, to);
        }
        Ok(Aliases { map })
    }

    /// The agency an alias stands for (the name itself when it is none).
    pub fn resolve<'a>(&'a self, agency: &'a str) -> &'a str {
        self.map.get(agency).map_or(agency, String::as_str)
    }

    /// Number of aliases.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Metadata and aliases together: what a run applies to every report before using it.
#[derive(Clone, Debug, Default)]
pub struct Join {
    /// The metadata CSV, if given.
    pub docvars: Option<Docvars>,
    /// The aliases, if given.
    pub aliases: Option<Aliases>,
}

impl Join {
    /// The carried metadata columns (none without a CSV).
    pub fn columns(&self) -> &[String] {
        self.docvars.as_ref().map_or(&[], |d| d.columns())
    }

    /// The carried values of a report, one per [`Join::columns`].
    pub fn extra(&self, path: &Path) -> Vec<String> {
        self.docvars
            .as_ref()
            .map_or_else(Vec::new, |d| d.extra(path))
    }

    /// The carried columns of a report with a value, as `(column, value)` pairs.
    pub fn pairs(&self, path: &Path) -> Vec<(String, String)> {
        self.columns()
            .iter()
            .cloned()
            .zip(self.extra(path))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    /// What the join gives a report, as a key that changes when its CSV row or the aliases
    /// change: the index re-indexes an unchanged file whose key changed. Empty without a join.
    pub fn key(&self, path: &Path) -> String {
        if self.docvars.is_none() && self.aliases.is_none() {
            return String::new();
        }
        let row = self.docvars.as_ref().and_then(|d| d.get(path));
        let mut aliases: Vec<(&String, &String)> = self
            .aliases
            .as_ref()
            .map(|a| a.map.iter().collect())
            .unwrap_or_default();
        aliases.sort();
        let text = format!("{row:?}|{:?}|{aliases:?}", self.columns());
        blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
    }

    /// Overrides a report's metadata with its CSV row, then merges its agency's alias.
    pub fn apply(&self, path: &Path, m: &mut Metadata) {
        if let Some(row) = self.docvars.as_ref().and_then(|d| d.get(path)) {
            if row.agency.is_some() {
                m.agency = row.agency.clone();
            }
            if row.year.is_some() {
                m.year = row.year;
            }
            if row.province.is_some() {
                m.province = row.province.clone();
            }
            if row.level.is_some() {
                m.level = row.level;
            }
        }
        if let (Some(aliases), Some(agency)) = (&self.aliases, &m.agency) {
            m.agency = Some(aliases.resolve(agency).to_string());
        }
    }

    /// The same for a summary read from an index.
    pub fn apply_summary(&self, s: &mut ReportSummary) {
        let fields = (&mut s.agency, &mut s.year, &mut s.province, &mut s.level);
        self.apply_fields(&s.path, fields);
    }

    /// The same for a report record read from an index.
    pub fn apply_record(&self, d: &mut ReportData) {
        let fields = (&mut d.agency, &mut d.year, &mut d.province, &mut d.level);
        self.apply_fields(&d.path, fields);
    }

    /// [`Join::apply`] to the metadata fields of a stored report (its title is never changed).
    fn apply_fields(&self, path: &str, fields: StoredFields<'_>) {
        let (agency, year, province, level) = fields;
        let mut m = Metadata {
            title: None,
            agency: agency.take(),
            year: *year,
            province: province.take(),
            level: *level,
        };
        self.apply(Path::new(path), &mut m);
        (*agency, *year, *province, *level) = (m.agency, m.year, m.province, m.level);
    }
}

/// The metadata fields a summary or an index record stores, to be overwritten in place.
type StoredFields<'a> = (
    &'a mut Option<String>,
    &'a mut Option<u16>,
    &'a mut Option<String>,
    &'a mut Option<Level>,
);

#[cfg(test)]
mod tests {
    use super::*;

    fn n() -> Normalizer {
        Normalizer::new().expect("normalizer")
    }

    #[test]
    fn docvars_join_by_path_relative_to_the_csv() {
        let base = Path::new("/data/meta");
        let d = Docvars::from_csv(
            "meta.csv",
            base,
            "path,year,party_secretary,level\n../reports/a.txt,2014,张三,county\n/abs/b.txt,,李四,\n",
            &n(),
        )
        .expect("parses");
        assert_eq!(d.columns(), ["party_secretary"]);
        let a = d.get(Path::new("/data/reports/a.txt")).expect("joined");
        assert_eq!(a.year, Some(2014));
        assert_eq!(a.level, Some(Level::County));
        assert_eq!(a.extra, ["张三"]);
        let b = d.get(Path::new("/abs/b.txt")).expect("joined");
        assert_eq!((b.year, b.level), (None, None));
        assert!(d.get(Path::new("/abs/c.txt")).is_none());
    }

    #[test]
    fn bad_docvars_name_the_line() {
        let e = Docvars::from_csv(
            "m.csv",
            Path::new("/"),
            "path,year\na.txt,2014\nb.txt,14x\n",
            &n(),
        )
        .expect_err("bad year");
        assert!(e.to_string().starts_with("m.csv line 3: year"), "{e}");
        let e = Docvars::from_csv("m.csv", Path::new("/"), "file,year\na.txt,2014\n", &n())
            .expect_err("no path");
        assert!(e.to_string().starts_with("m.csv line 1:"), "{e}");
    }

    #[test]
    fn aliases_follow_chains_and_refuse_cycles() {
        let a = Aliases::from_tsv("a.tsv", "# old\tnew\nA局\tB局\nB局\tC局\n", &n()).expect("ok");
        assert_eq!(a.resolve("A局"), "C局");
        assert_eq!(a.resolve("C局"), "C局");
        let e = Aliases::from_tsv("a.tsv", "A\tB\nB\tA\n", &n()).expect_err("cycle");
        assert!(e.to_string().contains("circle"), "{e}");
        let e = Aliases::from_tsv("a.tsv", "A B\n", &n()).expect_err("no tab");
        assert!(e.to_string().starts_with("a.tsv line 1:"), "{e}");
    }
}
