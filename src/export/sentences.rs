//! `export sentences`: one row per sentence of every narrative paragraph and heading — the
//! unit researchers quote (tidytext's one row per unit).
//!
//! Columns: `path, agency, year, section, paragraph, sentence, start, end, text,
//! text_normalized, themes_admitted, themes_measured, formulas, copied, role`.
//!
//! * `paragraph` is the paragraph's position among all the report's paragraphs in document
//!   order (0-based, as `analyze` lists them section after section); `sentence` is the
//!   sentence's position in its paragraph.
//! * `start`, `end` are character offsets into the original text (as `analyze` gives them);
//!   `text` is the original's own characters there (its script and punctuation),
//!   `text_normalized` the Simplified, folded text gongkai analysed.
//! * `themes_admitted` / `themes_measured`: space-separated theme ids the sentence admits /
//!   promises to address; `formulas`: space-separated ids of the boilerplate formulae that
//!   start in it (once each).
//! * `copied`: whether the paragraph was copied from an earlier report of the same agency
//!   among the reports of the run (`true`/`false`; empty for headings and when not computed);
//!   `role`: `narrative` or `heading`.
//!
//! The sentences of a report are exactly those of `analyze` (every sentence of every
//! paragraph). What it does not do: tables and web debris have no sentences, so no rows.

use super::reports::bool_cell;
use crate::pipeline::Analysis;
use crate::pipeline::CharIndex;
use crate::structure::Role;
use crate::themes::Polarity;

/// The header row (before any metadata columns).
pub const HEADER: &[&str] = &[
    "path",
    "agency",
    "year",
    "section",
    "paragraph",
    "sentence",
    "start",
    "end",
    "text",
    "text_normalized",
    "themes_admitted",
    "themes_measured",
    "formulas",
    "copied",
    "role",
];

/// The rows of one analysis; `copied` holds one flag per narrative paragraph in document
/// order (as [`crate::reuse::find_copies`] links them), when computed.
pub fn rows(a: &Analysis, copied: Option<&[bool]>) -> Vec<Vec<String>> {
    let idx = CharIndex::new(&a.source.text);
    let path = a.source.path.display().to_string();
    let agency = a.metadata.agency.clone().unwrap_or_default();
    let year = a.metadata.year.map(|y| y.to_string()).unwrap_or_default();
    let mut out = Vec::new();
    for view in a.paragraphs() {
        let (section, p, f) = (view.section, view.paragraph, view.facts);
        let copied_cell = view
            .narrative_index
            .and_then(|n| copied.and_then(|c| c.get(n)))
            .map(|&b| bool_cell(b))
            .unwrap_or_default();
        for (si, r) in p.sentences.iter().enumerate() {
            let orig = view.original(r.clone());
            let ids = |polarity| {
                f.themes_of(polarity, Some(si))
                    .iter()
                    .map(|&t| a.theme_ids[t].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let mut formulas: Vec<&str> = Vec::new();
            for m in f
                .formulas
                .iter()
                .filter(|m| m.range.start >= r.start && m.range.start < r.end)
            {
                let id = a.formulas[m.formula].id.as_str();
                if !formulas.contains(&id) {
                    formulas.push(id);
                }
            }
            out.push(vec![
                path.clone(),
                agency.clone(),
                year.clone(),
                section.kind.as_str().to_string(),
                view.index.to_string(),
                si.to_string(),
                idx.char_offset(orig.start).to_string(),
                idx.char_offset(orig.end).to_string(),
                a.source
                    .text
                    .get(orig.clone())
                    .unwrap_or_default()
                    .to_string(),
                p.text[r.clone()].to_string(),
                ids(Polarity::Problem),
                ids(Polarity::Measure),
                formulas.join(" "),
                copied_cell.clone(),
                role(p.role).to_string(),
            ]);
        }
    }
    out
}

/// The role id, as `analyze` writes it.
fn role(r: Role) -> &'static str {
    match r {
        Role::Narrative => "narrative",
        Role::Heading => "heading",
        Role::Table => "table",
        Role::Other => "other",
    }
}
