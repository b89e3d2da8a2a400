//! The `analyze` wire format: one JSON object per report (JSON Lines).
//!
//! This is an interface people script against, so its fields only ever get added, never
//! renamed. Offsets (`start`, `end`) are **character** offsets (Unicode scalar values, as
//! Python's `str` indexes) into the report's original text: the decoded file for text files,
//! the extracted text for HTML and PDF (`gongkai analyze --format text` prints it). So
//! `original[start:end]` shows exactly what the user's file says, in its own script, while
//! `text` is the normalized (Simplified, punctuation-folded, line-rebuilt) form.
//!
//! ```text
//! {"path": "...", "format": "text", "encoding": "UTF-8", "bom": false, "malformed_bytes": 0,
//!  "script": "simplified", "chars": 2699, "title": "...", "agency": "...", "year": 2008,
//!  "province": "福建省", "level": "prefecture", "published": "2009-01-28 10:49",
//!  "sections": [{"kind": "problems", "heading": "五、存在的主要问题及改进情况",
//!                "start": 10, "end": 90,
//!                "paragraphs": [{"text": "...", "start": 12, "end": 40, "role": "narrative",
//!                                "narrative": true,
//!                                "sentences": [{"text": "...", "start": 12, "end": 25,
//!                                               "tokens": ["我局", "高度重视", "…"]}]}]}]}
//! ```

use serde::Serialize;

use crate::corpus::Format;
use crate::metadata::Level;
use crate::normalize::Script;
use crate::pipeline::{Analysis, CharIndex, ParagraphView, Share};
use crate::structure::{Role, Section, SectionKind};

/// One analysed report, as `analyze --format json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct ReportJson {
    /// The file.
    pub path: String,
    /// `text`, `html` or `pdf`.
    pub format: Format,
    /// Detected (or forced) encoding.
    pub encoding: String,
    /// Whether the file had a byte-order mark.
    pub bom: bool,
    /// Malformed byte sequences replaced while decoding.
    pub malformed_bytes: usize,
    /// `simplified`, `traditional`, `mixed` or `unknown`.
    pub script: Script,
    /// Characters in the original text.
    pub chars: usize,
    /// The report title (normalized).
    pub title: Option<String>,
    /// Issuing agency (normalized, as the title names it).
    pub agency: Option<String>,
    /// Year reported on.
    pub year: Option<u16>,
    /// Province-level division, when the agency name determines one.
    pub province: Option<String>,
    /// `central`, `province`, `prefecture`, `county`, `township`, or null.
    pub level: Option<Level>,
    /// Publication date from a crawler header, when there is one.
    pub published: Option<String>,
    /// Narrative characters and the share covered by boilerplate.
    #[serde(flatten)]
    pub share: Share,
    /// Narrative paragraphs copied from earlier reports of the same agency among the reports
    /// of the run (null when not computed).
    pub copied_paragraphs: Option<usize>,
    /// Themes the report admits (at least one problem sentence), in codebook order.
    pub themes_admitted: Vec<String>,
    /// Sections in document order.
    pub sections: Vec<SectionJson>,
}

/// A section of [`ReportJson`].
#[derive(Clone, Debug, Serialize)]
pub struct SectionJson {
    /// Canonical kind.
    pub kind: SectionKind,
    /// Heading as written (normalized), null for the preamble and implicit sections.
    pub heading: Option<String>,
    /// Character offset where the section starts in the original.
    pub start: usize,
    /// Character offset where it ends.
    pub end: usize,
    /// Narrative characters and the share covered by boilerplate.
    #[serde(flatten)]
    pub share: Share,
    /// Paragraphs.
    pub paragraphs: Vec<ParagraphJson>,
}

/// A paragraph of [`SectionJson`].
#[derive(Clone, Debug, Serialize)]
pub struct ParagraphJson {
    /// Normalized, rebuilt text.
    pub text: String,
    /// Character offset in the original.
    pub start: usize,
    /// Character offset in the original (exclusive).
    pub end: usize,
    /// `narrative`, `heading`, `table` or `other`.
    pub role: Role,
    /// Whether the paragraph is running text (the only paragraphs analytics count).
    pub narrative: bool,
    /// Sentences of narrative paragraphs.
    pub sentences: Vec<SentenceJson>,
    /// Boilerplate formulae in the paragraph.
    pub boilerplate: Vec<FormulaJson>,
    /// The earlier report of the same agency this paragraph was copied from, if any (only
    /// computed among the reports of one run; null otherwise).
    pub copied_from: Option<CopyJson>,
}

/// A sentence of [`ParagraphJson`].
#[derive(Clone, Debug, Serialize)]
pub struct SentenceJson {
    /// Normalized text.
    pub text: String,
    /// Character offset in the original.
    pub start: usize,
    /// Character offset in the original (exclusive).
    pub end: usize,
    /// Its words (normalized), as segmented for search and counts.
    pub tokens: Vec<String>,
    /// Themes the sentence admits or promises to address.
    pub themes: Vec<ThemeJson>,
}

/// A formula found in a paragraph.
#[derive(Clone, Debug, Serialize)]
pub struct FormulaJson {
    /// Formula id from `dictionaries/boilerplate.tsv`.
    pub id: String,
    /// Its category.
    pub category: String,
    /// The matched text as the original has it.
    pub text: String,
    /// Character offset in the original.
    pub start: usize,
    /// Character offset in the original (exclusive).
    pub end: usize,
}

/// A theme found in a sentence.
#[derive(Clone, Debug, Serialize)]
pub struct ThemeJson {
    /// Theme id (`staffing`, …).
    pub theme: String,
    /// `problem` (an admitted shortcoming) or `measure` (an improvement promise).
    pub polarity: crate::themes::Polarity,
    /// The terms that made the rule fire, as the original has them.
    pub evidence: Vec<EvidenceJson>,
}

/// One term of a theme's evidence.
#[derive(Clone, Debug, Serialize)]
pub struct EvidenceJson {
    /// `problem_term`, `topic`, `cue`, `measure` or `item`.
    pub kind: crate::themes::EvidenceKind,
    /// The term as the original has it.
    pub text: String,
    /// Character offset in the original.
    pub start: usize,
    /// Character offset in the original (exclusive).
    pub end: usize,
}

/// Where a paragraph was copied from (an earlier report of the same agency).
#[derive(Clone, Debug, Serialize)]
pub struct CopyJson {
    /// The earlier report.
    pub path: String,
    /// Its year.
    pub year: u16,
    /// Index of the source paragraph among that report's narrative paragraphs.
    pub paragraph: usize,
    /// Estimated similarity (1 for an exact copy).
    pub similarity: f32,
    /// Identical after normalization, punctuation ignored.
    pub exact: bool,
}

impl ReportJson {
    /// Builds the wire form of an analysis.
    pub fn new(a: &Analysis) -> ReportJson {
        let at = Locate {
            a,
            idx: CharIndex::new(&a.source.text),
        };
        // The views come in section order: each section takes as many as it has paragraphs.
        let views: Vec<ParagraphView<'_>> = a.paragraphs().collect();
        let mut rest = &views[..];
        let sections = a
            .structure
            .sections
            .iter()
            .map(|s| {
                let (mine, later) = rest.split_at(s.paragraphs.len().min(rest.len()));
                rest = later;
                at.section(s, mine)
            })
            .collect();
        ReportJson {
            path: a.source.path.display().to_string(),
            format: a.source.format,
            encoding: a.source.encoding.clone(),
            bom: a.source.bom,
            malformed_bytes: a.source.malformed,
            script: a.norm.script,
            chars: at.idx.char_offset(a.source.text.len()),
            title: a.metadata.title.clone(),
            agency: a.metadata.agency.clone(),
            year: a.metadata.year,
            province: a.metadata.province.clone(),
            level: a.metadata.level,
            published: a.source.header.as_ref().and_then(|h| h.published.clone()),
            share: Share::of(a),
            copied_paragraphs: None,
            themes_admitted: a
                .theme_mentions(a.theme_ids.len())
                .iter()
                .zip(a.theme_ids.iter())
                .filter(|((problem, _), _)| *problem > 0)
                .map(|(_, id)| id.clone())
                .collect(),
            sections,
        }
    }

    /// Fills in copy links, one per narrative paragraph in document order (as
    /// [`crate::reuse::find_copies`] returns them).
    pub fn with_copies(mut self, links: &[Option<CopyJson>]) -> ReportJson {
        let mut links = links.iter();
        let mut copied = 0;
        for p in self
            .sections
            .iter_mut()
            .flat_map(|s| s.paragraphs.iter_mut())
            .filter(|p| p.narrative)
        {
            p.copied_from = links.next().cloned().flatten();
            copied += usize::from(p.copied_from.is_some());
        }
        self.copied_paragraphs = Some(copied);
        self
    }
}

/// Builds the JSON parts of one analysis, each range located in the original text (character
/// offsets, and the original's own characters).
struct Locate<'a> {
    a: &'a Analysis,
    idx: CharIndex<'a>,
}

impl Locate<'_> {
    /// Character offsets in the original of range `r` of a paragraph.
    fn span(&self, v: &ParagraphView<'_>, r: std::ops::Range<usize>) -> (usize, usize) {
        let o = v.original(r);
        (self.idx.char_offset(o.start), self.idx.char_offset(o.end))
    }

    /// The original's text of range `r` of a paragraph, and its character offsets.
    fn text(&self, v: &ParagraphView<'_>, r: std::ops::Range<usize>) -> (String, usize, usize) {
        let o = v.original(r);
        (
            self.a.source.text[o.clone()].to_string(),
            self.idx.char_offset(o.start),
            self.idx.char_offset(o.end),
        )
    }

    fn section(&self, s: &Section, views: &[ParagraphView<'_>]) -> SectionJson {
        let paragraphs: Vec<ParagraphJson> = views.iter().map(|v| self.paragraph(v)).collect();
        let mut share = Share::default();
        for v in views.iter().filter(|v| v.is_narrative()) {
            share.add(&v.paragraph.text, &v.facts.formulas);
        }
        SectionJson {
            kind: s.kind,
            heading: s.heading.clone(),
            start: paragraphs.first().map_or(0, |p| p.start),
            end: paragraphs.last().map_or(0, |p| p.end),
            share,
            paragraphs,
        }
    }

    fn paragraph(&self, v: &ParagraphView<'_>) -> ParagraphJson {
        let (p, facts) = (v.paragraph, v.facts);
        let (start, end) = self.span(v, 0..p.text.len());
        let formulas = self.a.boilerplate_formulas();
        ParagraphJson {
            text: p.text.clone(),
            start,
            end,
            role: p.role,
            narrative: p.is_narrative(),
            sentences: p
                .sentences
                .iter()
                .enumerate()
                .map(|(si, r)| self.sentence(v, si, r.clone()))
                .collect(),
            boilerplate: facts
                .formulas
                .iter()
                .map(|m| {
                    let (text, start, end) = self.text(v, m.range.clone());
                    let f = &formulas[m.formula];
                    FormulaJson {
                        id: f.id.clone(),
                        category: f.category.clone(),
                        text,
                        start,
                        end,
                    }
                })
                .collect(),
            copied_from: None,
        }
    }

    fn sentence(
        &self,
        v: &ParagraphView<'_>,
        si: usize,
        r: std::ops::Range<usize>,
    ) -> SentenceJson {
        let (p, facts) = (v.paragraph, v.facts);
        let (start, end) = self.span(v, r.clone());
        SentenceJson {
            themes: facts
                .themes
                .iter()
                .filter(|h| h.sentence == si)
                .map(|h| ThemeJson {
                    theme: self.a.theme_ids[h.theme].clone(),
                    polarity: h.polarity,
                    evidence: h
                        .evidence
                        .iter()
                        .map(|e| {
                            let (text, start, end) = self.text(v, e.range.clone());
                            EvidenceJson {
                                kind: e.kind,
                                text,
                                start,
                                end,
                            }
                        })
                        .collect(),
                })
                .collect(),
            text: p.text[r.clone()].to_string(),
            start,
            end,
            tokens: facts
                .tokens
                .iter()
                .filter(|w| w.start >= r.start && w.end <= r.end)
                .map(|w| p.text[w.clone()].to_string())
                .collect(),
        }
    }
}
