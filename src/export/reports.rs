//! `export reports`: one row per report — the corpus table (quanteda's `docvars`) every other
//! table joins to by `path`.
//!
//! Columns: `path, agency, year, province, level, script, encoding, format, chars,
//! narrative_chars, has_problems_section, themes_admitted, boilerplate_share, copied_share,
//! content_hash, title, paragraphs, boilerplate_chars`, then the user's metadata columns.
//! `themes_admitted` is the space-separated ids of the themes the report admits (codebook
//! order); `copied_share` is the share of comparable narrative paragraphs copied from the
//! agency's earlier reports among the reports of the run (empty when read from an index, which
//! keeps no paragraph signatures); booleans are `true`/`false`.
//!
//! What it does not do: it computes nothing itself; a row is a [`ReportData`], the same record
//! the index stores, so a table from files and one from their index agree.

use super::ratio;
use crate::search::doc::ReportData;

/// The header row (before any metadata columns).
pub const HEADER: &[&str] = &[
    "path",
    "agency",
    "year",
    "province",
    "level",
    "script",
    "encoding",
    "format",
    "chars",
    "narrative_chars",
    "has_problems_section",
    "themes_admitted",
    "boilerplate_share",
    "copied_share",
    "content_hash",
    "title",
    "paragraphs",
    "boilerplate_chars",
];

/// A CSV boolean.
pub fn bool_cell(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

/// The row of one report; `copied` is `(copied, comparable)` narrative paragraphs, when known.
pub fn row(d: &ReportData, copied: Option<(usize, usize)>) -> Vec<String> {
    let admitted: Vec<&str> = d
        .theme_mentions
        .iter()
        .filter(|(_, problem, _)| *problem > 0)
        .map(|(id, _, _)| id.as_str())
        .collect();
    vec![
        d.path.clone(),
        d.agency.clone().unwrap_or_default(),
        d.year.map(|y| y.to_string()).unwrap_or_default(),
        d.province.clone().unwrap_or_default(),
        d.level.map(|l| l.as_str().to_string()).unwrap_or_default(),
        d.script.clone(),
        d.encoding.clone(),
        d.format.clone(),
        d.chars.to_string(),
        d.narrative_chars.to_string(),
        bool_cell(d.has_problems_section),
        admitted.join(" "),
        ratio(d.boilerplate_chars as u64, d.narrative_chars as u64),
        copied
            .map(|(c, n)| ratio(c as u64, n as u64))
            .unwrap_or_default(),
        d.content_hash.clone(),
        d.title.clone().unwrap_or_default(),
        d.paragraphs.to_string(),
        d.boilerplate_chars.to_string(),
    ]
}
