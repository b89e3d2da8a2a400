//! What the pipeline produces for one report: [`Analysis`], and the one view of a paragraph,
//! [`ParagraphView`], that every output reads.
//!
//! The facts of a paragraph (words, formulae, themes) are byte ranges into its normalized text;
//! [`ParagraphView::original`] maps a range back to the original file in one call, so no
//! consumer composes the paragraph map and the body map itself. It does not compute anything:
//! [`crate::pipeline::Analyzer`] fills it.

use std::ops::Range;

use crate::boilerplate::FormulaMatch;
use crate::corpus::Source;
use crate::metadata::Metadata;
use crate::normalize::NormalizedText;
use crate::structure::Structure;
use crate::themes::{Polarity, ThemeHit};

/// Everything gongkai knows about one report, with maps back to its original text.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The file and its original text.
    pub source: Source,
    /// The normalized body (after any crawler header) and its map to the original.
    pub norm: NormalizedText,
    /// Title, sections, paragraphs, sentences (offsets into `norm`).
    pub structure: Structure,
    /// Agency, year, province, level.
    pub metadata: Metadata,
    /// What later stages found in each paragraph: `facts[s][p]` belongs to
    /// `structure.sections[s].paragraphs[p]` (empty for non-narrative paragraphs).
    pub facts: Vec<Vec<ParagraphFacts>>,
    /// The lexicon's formulae (shared), so the analysis can name what it found.
    pub formulas: std::sync::Arc<[crate::boilerplate::Formula]>,
    /// The codebook's theme ids (shared), which `facts[..].themes[..].theme` index into.
    pub theme_ids: std::sync::Arc<[String]>,
}

/// One paragraph of an analysis, as [`Analysis::paragraphs`] yields it.
#[derive(Clone, Copy, Debug)]
pub struct ParagraphView<'a> {
    /// Position of its section in `structure.sections`.
    pub section_index: usize,
    /// Its section (kind, heading).
    pub section: &'a crate::structure::Section,
    /// Position among all the report's paragraphs, in document order.
    pub index: usize,
    /// Position among the narrative paragraphs (the numbering of copy links and search hits);
    /// `None` for headings, tables and other paragraphs.
    pub narrative_index: Option<usize>,
    /// The paragraph: normalized text, role, sentences, map to the normalized body.
    pub paragraph: &'a crate::structure::Paragraph,
    /// Its words, formulae and themes.
    pub facts: &'a ParagraphFacts,
    /// The analysis it belongs to (for its maps to the original).
    analysis: &'a Analysis,
}

impl ParagraphView<'_> {
    /// The byte range of the original text that byte range `r` of this paragraph's
    /// normalized text came from (see [`Analysis::original`]).
    pub fn original(&self, r: Range<usize>) -> Range<usize> {
        self.analysis.original(self.paragraph, r)
    }

    /// Whether the paragraph is running text: the paragraphs analytics count, numbered by
    /// [`ParagraphView::narrative_index`].
    pub fn is_narrative(&self) -> bool {
        self.narrative_index.is_some()
    }
}

/// What the stages after `structure` found in one paragraph. Ranges are byte ranges into the
/// paragraph's (normalized) text.
#[derive(Clone, Debug, Default)]
pub struct ParagraphFacts {
    /// Words.
    pub tokens: Vec<Range<usize>>,
    /// Boilerplate formulae.
    pub formulas: Vec<FormulaMatch>,
    /// Themes of its sentences.
    pub themes: Vec<ThemeHit>,
}

impl ParagraphFacts {
    /// The themes of `polarity` found in sentence `sentence` (every sentence when `None`), as
    /// codebook indices, sorted and once each: codebook order, the same in every output,
    /// whatever order the rules matched in.
    pub fn themes_of(&self, polarity: Polarity, sentence: Option<usize>) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .themes
            .iter()
            .filter(|h| h.polarity == polarity && sentence.is_none_or(|s| h.sentence == s))
            .map(|h| h.theme)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

impl Analysis {
    /// Number of words in the narrative.
    pub fn word_count(&self) -> usize {
        self.facts.iter().flatten().map(|f| f.tokens.len()).sum()
    }

    /// Number of boilerplate formula matches in the narrative.
    pub fn formula_count(&self) -> usize {
        self.narrative().map(|v| v.facts.formulas.len()).sum()
    }

    /// Problem and measure sentence counts per theme (codebook order): `(problem, measure)`,
    /// over narrative paragraphs and headings.
    pub fn theme_mentions(&self, themes: usize) -> Vec<(u32, u32)> {
        let mut v = vec![(0u32, 0u32); themes];
        for f in self.facts.iter().flatten() {
            for h in &f.themes {
                if let Some(slot) = v.get_mut(h.theme) {
                    match h.polarity {
                        Polarity::Problem => slot.0 += 1,
                        Polarity::Measure => slot.1 += 1,
                    }
                }
            }
        }
        v
    }

    /// The boilerplate formulae `facts[..].formulas[..].formula` index into.
    pub fn boilerplate_formulas(&self) -> &[crate::boilerplate::Formula] {
        &self.formulas
    }

    /// The byte range of the *original* text that range `r` of paragraph `p`'s normalized
    /// text came from: the paragraph's map to the normalized body, then the body's map to the
    /// original, in one call, so no consumer composes the two maps itself.
    pub fn original(
        &self,
        p: &crate::structure::Paragraph,
        r: std::ops::Range<usize>,
    ) -> std::ops::Range<usize> {
        self.norm.map.to_original(p.to_normalized(r))
    }

    /// Every paragraph in document order, with its section and what the stages found in it:
    /// the one view of a paragraph that outputs read, so none of them walks the parallel
    /// `structure` and `facts` arrays or counts paragraphs itself.
    pub fn paragraphs(&self) -> impl Iterator<Item = ParagraphView<'_>> {
        let mut index = 0;
        let mut narrative = 0;
        self.structure
            .sections
            .iter()
            .zip(&self.facts)
            .enumerate()
            .flat_map(|(si, (s, f))| s.paragraphs.iter().zip(f).map(move |(p, f)| (si, s, p, f)))
            .map(move |(section_index, section, paragraph, facts)| {
                let narrative_index = paragraph.is_narrative().then(|| {
                    narrative += 1;
                    narrative - 1
                });
                index += 1;
                ParagraphView {
                    analysis: self,
                    section_index,
                    section,
                    index: index - 1,
                    narrative_index,
                    paragraph,
                    facts,
                }
            })
    }

    /// The narrative paragraphs (running text, what analytics count), in document order.
    pub fn narrative(&self) -> impl Iterator<Item = ParagraphView<'_>> {
        self.paragraphs().filter(ParagraphView::is_narrative)
    }
}
