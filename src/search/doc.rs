//! An analysis as index documents, and what a hit needs to point back into the original.
//!
//! Each narrative paragraph becomes a paragraph document: its text (normalized) for words and
//! bigrams, its filters (year, agency, section, themes, formulae …), and a small JSON
//! [`ParagraphData`] with its sentence ranges, the theme evidence and formula spans, and
//! *offset anchors* that turn any byte offset of the normalized paragraph into character
//! offsets of the original file. Each report also gets one report document holding a
//! [`ReportData`]: the per-report numbers the exports and per-year denominators need.
//!
//! What it does not do: it does not decide what is searchable (the schema does) and it keeps
//! no token positions (the words are re-derived by the segmenter when needed).

use std::ops::Range;

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use super::schema::{Fields, KIND_PARAGRAPH, KIND_REPORT};
use super::tokens::joined_words;
use crate::boilerplate::Formula;
use crate::metadata::Level;
use crate::pipeline::Analysis;
use crate::pipeline::ReportSummary;
use crate::pipeline::{CharIndex, Share};
use crate::structure::{Paragraph, SectionKind};
use crate::themes::Polarity;

/// A theme hit as a paragraph document stores it: `(theme id, is a problem, sentence,
/// evidence byte ranges)`.
pub type StoredThemeHit = (String, bool, u32, Vec<(u32, u32)>);

/// What a paragraph document stores beyond its filters.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ParagraphData {
    /// Sentence byte ranges in the normalized paragraph text.
    #[serde(rename = "s")]
    pub sentences: Vec<(u32, u32)>,
    /// Offset anchors `(byte, original char start, original char end)`: between two anchors,
    /// each character of the normalized text is one character of the original.
    #[serde(rename = "a")]
    pub anchors: Vec<(u32, u32, u32)>,
    /// Theme hits: `(theme id, is a problem, sentence, evidence byte ranges)`.
    #[serde(rename = "t")]
    pub themes: Vec<StoredThemeHit>,
    /// Formula spans: `(formula id, byte start, byte end)`.
    #[serde(rename = "f")]
    pub formulas: Vec<(String, u32, u32)>,
}

impl ParagraphData {
    /// Original character range of a byte range of the normalized paragraph text.
    pub fn to_original(&self, text: &str, r: Range<usize>) -> Range<usize> {
        let start = self.map(text, r.start, true);
        let end = self.map(text, r.end, false).max(start);
        start..end
    }

    fn map(&self, text: &str, byte: usize, start: bool) -> usize {
        let i = self
            .anchors
            .partition_point(|a| a.0 as usize <= byte)
            .saturating_sub(1);
        let Some(&(at, s, e)) = self.anchors.get(i) else {
            return 0;
        };
        let at = (at as usize).min(byte);
        let chars = text
            .get(at..byte)
            .map_or(0, |between| between.chars().count());
        (if start { s } else { e }) as usize + chars
    }
}

/// What a report document stores: enough to rebuild an export's [`ReportSummary`] and a
/// report table row, without the file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ReportData {
    /// The file as given.
    pub path: String,
    /// Content hash.
    pub content_hash: String,
    /// Title.
    pub title: Option<String>,
    /// Agency.
    pub agency: Option<String>,
    /// Year reported on.
    pub year: Option<u16>,
    /// Province.
    pub province: Option<String>,
    /// Level.
    pub level: Option<Level>,
    /// `text`, `html` or `pdf`.
    pub format: String,
    /// Encoding name.
    pub encoding: String,
    /// Script id.
    pub script: String,
    /// Characters in the original text.
    pub chars: usize,
    /// Narrative paragraphs.
    pub paragraphs: usize,
    /// Non-space narrative characters.
    pub narrative_chars: usize,
    /// Of those, inside formulae.
    pub boilerplate_chars: usize,
    /// Whether a problems section was found.
    pub has_problems_section: bool,
    /// Matches per formula id (formulae found at least once).
    pub formula_counts: Vec<(String, u32)>,
    /// `(theme id, problem sentences, measure sentences)` for themes mentioned at all.
    pub theme_mentions: Vec<(String, u32, u32)>,
    /// Narrative paragraphs copied from an earlier report of the same agency *in the index*
    /// (kept up to date for every agency an `index` run touches).
    #[serde(default)]
    pub copied: Vec<CopiedParagraph>,
    /// The user's metadata columns with a value (`--metadata`), as `(column, value)`.
    #[serde(default)]
    pub metadata: Vec<(String, String)>,
    /// What the user's metadata and aliases gave this report (a hash; empty without them):
    /// a report indexed again with other metadata is replaced.
    #[serde(default)]
    pub join_key: String,
}

/// A paragraph copied from an earlier year's report of the same agency.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CopiedParagraph {
    /// Ordinal of the paragraph among this report's narrative paragraphs.
    pub paragraph: u32,
    /// The earlier report's path.
    pub from_path: String,
    /// Its year.
    pub from_year: u16,
    /// Ordinal of the source paragraph among its narrative paragraphs.
    pub from_paragraph: u32,
    /// Estimated similarity (1 for an exact copy).
    pub similarity: f32,
    /// Identical after normalization, punctuation ignored.
    pub exact: bool,
}

impl ReportData {
    /// The report data of an analysis.
    pub fn new(a: &Analysis) -> ReportData {
        let formulas = a.boilerplate_formulas();
        let summary = ReportSummary::new(a);
        let (share, formula_counts, theme_mentions) = (
            summary.share,
            summary.formula_counts,
            summary.theme_mentions,
        );
        let paragraphs = a.narrative().count();
        ReportData {
            path: a.source.path.display().to_string(),
            content_hash: a.source.content_hash.clone(),
            title: a.metadata.title.clone(),
            agency: a.metadata.agency.clone(),
            year: a.metadata.year,
            province: a.metadata.province.clone(),
            level: a.metadata.level,
            format: format!("{:?}", a.source.format).to_lowercase(),
            encoding: a.source.encoding.clone(),
            script: a.norm.script.as_str().to_string(),
            chars: a.source.text.chars().count(),
            paragraphs,
            narrative_chars: share.narrative_chars,
            boilerplate_chars: share.boilerplate_chars,
            has_problems_section: a
                .structure
                .sections
                .iter()
                .any(|s| s.kind == SectionKind::Problems),
            formula_counts: formula_counts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (formulas[i].id.clone(), *n))
                .collect(),
            theme_mentions: theme_mentions
                .iter()
                .enumerate()
                .filter(|(_, (p, m))| *p > 0 || *m > 0)
                .map(|(i, (p, m))| (a.theme_ids[i].clone(), *p, *m))
                .collect(),
            copied: Vec::new(),
            metadata: Vec::new(),
            join_key: String::new(),
        }
    }

    /// The export summary of this report under a lexicon and codebook (the index's
    /// fingerprint guarantees they are the ones it was built with).
    pub fn to_summary(&self, formulas: &[Formula], theme_ids: &[String]) -> ReportSummary {
        let mut formula_counts = vec![0u32; formulas.len()];
        for (id, n) in &self.formula_counts {
            if let Some(i) = formulas.iter().position(|f| &f.id == id) {
                formula_counts[i] = *n;
            }
        }
        let mut theme_mentions = vec![(0u32, 0u32); theme_ids.len()];
        for (id, p, m) in &self.theme_mentions {
            if let Some(i) = theme_ids.iter().position(|t| t == id) {
                theme_mentions[i] = (*p, *m);
            }
        }
        let mut share = Share {
            narrative_chars: self.narrative_chars,
            boilerplate_chars: self.boilerplate_chars,
            boilerplate_share: 0.0,
        };
        if share.narrative_chars > 0 {
            share.boilerplate_share = share.boilerplate_chars as f64 / share.narrative_chars as f64;
        }
        ReportSummary {
            path: self.path.clone(),
            agency: self.agency.clone(),
            year: self.year,
            province: self.province.clone(),
            level: self.level,
            share,
            formula_counts,
            theme_mentions,
        }
    }
}

/// The documents of one analysed report: its paragraph documents, then its report document.
/// They get their report number when they are added ([`super::IndexWriter::add`]).
/// `metadata` (the user's columns, `(column, value)`) and `join_key` are stored with the
/// report, and each pair is a `meta` filter term `column=value` on every document.
//
// Long because it is a list: one or two lines per schema field, in the order of `schema.rs`.
pub fn documents(
    a: &Analysis,
    fields: &Fields,
    metadata: &[(String, String)],
    join_key: &str,
) -> Vec<TantivyDocument> {
    let idx = CharIndex::new(&a.source.text);
    let mut report = ReportData::new(a);
    report.metadata = metadata.to_vec();
    report.join_key = join_key.to_string();
    let year = u64::from(a.metadata.year.unwrap_or(0));
    let common = |doc: &mut TantivyDocument, kind: &str| {
        doc.add_text(fields.kind, kind);
        doc.add_text(fields.report_id, &report.content_hash);
        doc.add_text(fields.path, &report.path);
        doc.add_text(fields.agency, report.agency.as_deref().unwrap_or(""));
        doc.add_u64(fields.year, year);
        doc.add_text(fields.province, report.province.as_deref().unwrap_or(""));
        doc.add_text(fields.level, report.level.map_or("", |l| l.as_str()));
        for (column, value) in &report.metadata {
            doc.add_text(fields.meta, format!("{column}={value}"));
        }
    };
    let formulas = a.boilerplate_formulas();
    let mut docs = Vec::new();
    for (ordinal, view) in a.narrative().enumerate() {
        let (p, facts) = (view.paragraph, view.facts);
        let mut doc = TantivyDocument::new();
        common(&mut doc, KIND_PARAGRAPH);
        doc.add_text(fields.section, view.section.kind.as_str());
        doc.add_u64(fields.paragraph, ordinal as u64);
        doc.add_text(fields.words, joined_words(&p.text, &facts.tokens));
        doc.add_text(fields.bigrams, &p.text);
        doc.add_text(fields.text, &p.text);
        let orig = view.original(0..p.text.len());
        doc.add_text(fields.original, &a.source.text[orig.clone()]);
        doc.add_u64(fields.start, idx.char_offset(orig.start) as u64);
        doc.add_u64(fields.end, idx.char_offset(orig.end) as u64);
        for (polarity, field) in [
            (Polarity::Problem, fields.themes),
            (Polarity::Measure, fields.measures),
        ] {
            for t in facts.themes_of(polarity, None) {
                doc.add_text(field, a.theme_ids[t].as_str());
            }
        }
        let mut formula_ids: Vec<&str> = Vec::new();
        for m in &facts.formulas {
            let id = formulas[m.formula].id.as_str();
            if !formula_ids.contains(&id) {
                formula_ids.push(id);
                doc.add_text(fields.formulas, id);
            }
        }
        let data = ParagraphData {
            sentences: p
                .sentences
                .iter()
                .map(|r| (r.start as u32, r.end as u32))
                .collect(),
            anchors: anchors(a, p, &idx),
            themes: facts
                .themes
                .iter()
                .map(|h| {
                    (
                        a.theme_ids[h.theme].clone(),
                        h.polarity == Polarity::Problem,
                        h.sentence as u32,
                        h.evidence
                            .iter()
                            .map(|e| (e.range.start as u32, e.range.end as u32))
                            .collect(),
                    )
                })
                .collect(),
            formulas: facts
                .formulas
                .iter()
                .map(|m| {
                    (
                        formulas[m.formula].id.clone(),
                        m.range.start as u32,
                        m.range.end as u32,
                    )
                })
                .collect(),
        };
        // Serializing plain data into a String cannot fail.
        doc.add_text(
            fields.data,
            serde_json::to_string(&data).unwrap_or_default(),
        );
        docs.push(doc);
    }
    docs.push(report_document(fields, &report));
    docs
}

/// The report document of a report (without its report number).
pub fn report_document(fields: &Fields, report: &ReportData) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(fields.kind, KIND_REPORT);
    doc.add_text(fields.report_id, &report.content_hash);
    doc.add_text(fields.path, &report.path);
    doc.add_text(fields.agency, report.agency.as_deref().unwrap_or(""));
    doc.add_u64(fields.year, u64::from(report.year.unwrap_or(0)));
    doc.add_text(fields.province, report.province.as_deref().unwrap_or(""));
    doc.add_text(fields.level, report.level.map_or("", |l| l.as_str()));
    for (column, value) in &report.metadata {
        doc.add_text(fields.meta, format!("{column}={value}"));
    }
    // Serializing plain data into a String cannot fail.
    doc.add_text(
        fields.report,
        serde_json::to_string(report).unwrap_or_default(),
    );
    doc
}

/// Offset anchors of a paragraph: at each character boundary the original character offsets a
/// range starting or ending there maps to, kept only where they stop advancing one by one.
fn anchors(a: &Analysis, p: &Paragraph, idx: &CharIndex<'_>) -> Vec<(u32, u32, u32)> {
    let mut out: Vec<(u32, u32, u32)> = Vec::new();
    let mut last: Option<(u32, u32)> = None;
    let original = a.source.text.as_bytes();
    let text = p.text.as_bytes();
    // Original offsets only grow along the paragraph, so character offsets are counted on
    // from the previous boundary instead of looked up afresh.
    let mut starts = CharCursor::new(&a.source.text, idx);
    let mut ends = CharCursor::new(&a.source.text, idx);
    // Both maps are monotone, so walking the boundaries in order walks each map forwards:
    // cursors instead of four binary searches per character.
    let (mut p_start, mut p_end) = (p.map.cursor(), p.map.cursor());
    // The report's map is long; place its cursors at the paragraph by one search each.
    let body_start = p.map.to_original_start(0);
    let (mut n_start, mut n_end) = (
        a.norm.map.cursor_from(body_start),
        a.norm.map.cursor_from(body_start),
    );
    let mut push = |b: usize, s: u32, e: u32, last: &mut Option<(u32, u32)>| {
        let linear = last.is_some_and(|(ls, le)| s == ls + 1 && e == le + 1);
        if !linear {
            out.push((b as u32, s, e));
        }
        *last = Some((s, e));
    };
    let mut b = 0;
    loop {
        let in_body = p_start.to_original_start(b);
        let at = n_start.to_original_start(in_body);
        let s = starts.at(at) as u32;
        let e = ends.at(n_end.to_original_end(p_end.to_original_end(b))) as u32;
        push(b, s, e, &mut last);
        if b >= text.len() {
            break;
        }
        let next = b + utf8_width(text[b]);
        // A stretch copied byte for byte through both maps: every boundary inside it maps
        // to the next original character, as a start and as an end, so none of them but the
        // first can be an anchor. Step over the rest instead of mapping each one.
        let run_end = match (p_start.linear_run_end(b), n_start.linear_run_end(in_body)) {
            (Some(pe), Some(ne)) => pe.min(b + (ne - in_body)).min(text.len()),
            _ => 0,
        };
        if next >= run_end || original.get(at..at + (run_end - b)) != Some(&text[b..run_end]) {
            b = next;
            continue;
        }
        // The first boundary after `b` is one character on, start and end alike.
        push(next, s + 1, s + 1, &mut last);
        // The last boundary before the run ends, and how many characters on it is.
        let mut tail = run_end - 1;
        while tail > next && (text[tail] & 0xC0) == 0x80 {
            tail -= 1;
        }
        if tail > next {
            let chars = text[b..tail]
                .iter()
                .filter(|c| (**c & 0xC0) != 0x80)
                .count() as u32;
            last = Some((s + chars, s + chars));
        }
        b = tail.max(next);
        b += utf8_width(text[b]);
    }
    out
}

/// Bytes of the UTF-8 character starting with byte `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Byte → character offsets of one text for a run of mostly increasing byte offsets.
struct CharCursor<'a, 'i> {
    text: &'a str,
    index: &'i CharIndex<'a>,
    byte: usize,
    chars: usize,
}

impl<'a, 'i> CharCursor<'a, 'i> {
    fn new(text: &'a str, index: &'i CharIndex<'a>) -> Self {
        CharCursor {
            text,
            index,
            byte: usize::MAX,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if self.byte == usize::MAX || byte < self.byte || byte - self.byte > 4096 {
            self.chars = self.index.char_offset(byte);
        } else {
            // Count UTF-8 lead bytes between the two offsets.
            self.chars += self.text.as_bytes()[self.byte..byte]
                .iter()
                .filter(|b| (**b & 0xC0) != 0x80)
                .count();
        }
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The anchors as first written: every boundary mapped through both maps by search.
    fn anchors_by_search(a: &Analysis, p: &Paragraph) -> Vec<(u32, u32, u32)> {
        let idx = CharIndex::new(&a.source.text);
        let mut out = Vec::new();
        let mut last: Option<(u32, u32)> = None;
        let boundaries = p.text.char_indices().map(|(b, _)| b);
        for b in boundaries.chain(std::iter::once(p.text.len())) {
            let s = idx.char_offset(a.norm.map.to_original_start(p.map.to_original_start(b)));
            let e = idx.char_offset(a.norm.map.to_original_end(p.map.to_original_end(b)));
            let (s, e) = (s as u32, e as u32);
            if !last.is_some_and(|(ls, le)| s == ls + 1 && e == le + 1) {
                out.push((b as u32, s, e));
            }
            last = Some((s, e));
        }
        out
    }

    #[test]
    fn anchors_step_over_copied_runs_exactly() {
        let analyzer = crate::pipeline::Analyzer::new().expect("analyzer");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut texts: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .expect("fixtures")
            .filter_map(|e| e.ok())
            .map(|e| {
                (
                    e.path().display().to_string(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect();
        // Line breaks inside sentences, CRLF, full-width digits and punctuation, Traditional
        // script, a tab-separated table row: every kind of map run.
        let mixed = "某某局2018年度政府信息公開工作年度報告\r\n一、概述\r\n本局認真貫徹落實《條例》,\r\n主動公開\n政府信息２０１８條(一)。 \t 網站 \u{3000}更新\r\n二、存在的主要問題\n\n工作人員不足,兼職人員多;信息\n公開不及時。\n";
        texts.push(("mixed.txt".into(), mixed.as_bytes().to_vec()));
        let mut checked = 0;
        for (name, bytes) in &texts {
            let source =
                crate::corpus::from_bytes(std::path::Path::new(name), bytes, Default::default())
                    .expect("decode");
            let a = analyzer.analyze(source);
            let idx = CharIndex::new(&a.source.text);
            for p in a.narrative().map(|v| v.paragraph) {
                assert_eq!(
                    anchors(&a, p, &idx),
                    anchors_by_search(&a, p),
                    "{name}: {}",
                    p.text
                );
                checked += 1;
            }
        }
        assert!(checked > 20, "only {checked} paragraphs");
    }

    #[test]
    fn anchors_map_between_themselves() {
        // "信息\n公开" at original character 10, normalized to "信息公开": the line break is
        // dropped, so starts jump at 公 and ends at the end of 公.
        let data = ParagraphData {
            anchors: vec![(0, 10, 0), (3, 11, 11), (6, 13, 12), (9, 14, 14)],
            ..Default::default()
        };
        let text = "信息公开";
        assert_eq!(data.to_original(text, 0..6), 10..12);
        assert_eq!(data.to_original(text, 6..12), 13..15);
        assert_eq!(data.to_original(text, 3..9), 11..14);
    }
}
