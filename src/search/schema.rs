//! The index schema, in one place: every field, what it holds and how it is indexed.
//!
//! Two kinds of document share one index, told apart by [`Fields::kind`]:
//!
//! * a **paragraph** document per narrative paragraph of a report: what `search` finds;
//! * a **report** document per report: its metadata and the per-report counts that exports and
//!   the per-year denominators need, so neither has to re-read a file.
//!
//! Text is indexed twice (and stored once, in [`Fields::text`]). [`Fields::words`] holds the
//! pipeline's own words, with frequencies but no positions (nothing asks for a phrase of
//! words, and recording positions was a tenth of indexing), and drives ranking. [`Fields::bigrams`] holds every pair of
//! adjacent characters at its character position, so a phrase query over it is an exact
//! substring match whatever jieba made of the text: that is what makes counts complete.
//!
//! Changing anything here changes what an index holds: bump [`SCHEMA_VERSION`], and existing
//! indexes are refused with a message to rebuild them.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Version of the index layout; stored in every commit and checked on open.
///
/// 2: the word field keeps frequencies but no positions (nothing queries words as phrases;
/// exact phrases are bigram phrases), which made indexing cheaper and the index smaller.
pub const SCHEMA_VERSION: u32 = 2;

/// Name of the tokenizer registered for [`Fields::words`].
pub const WORDS_TOKENIZER: &str = "gongkai_words";
/// Name of the tokenizer registered for [`Fields::bigrams`].
pub const BIGRAMS_TOKENIZER: &str = "gongkai_bigrams";

/// `kind` of a paragraph document.
pub const KIND_PARAGRAPH: &str = "paragraph";
/// `kind` of a report document.
pub const KIND_REPORT: &str = "report";

/// Every field of the index.
#[derive(Clone, Debug)]
pub struct Fields {
    /// `paragraph` or `report`.
    pub kind: Field,
    /// The report's content hash (its identity).
    pub report_id: Field,
    /// Dense number of the report in the index (order of indexing), for exact distinct counts.
    pub report_ord: Field,
    /// The file as given to `gongkai index`.
    pub path: Field,
    /// Agency as the title names it.
    pub agency: Field,
    /// Year reported on (0 when unknown).
    pub year: Field,
    /// Province (empty when unknown).
    pub province: Field,
    /// Administrative level id (empty when unknown).
    pub level: Field,
    /// Section kind id of the paragraph.
    pub section: Field,
    /// Ordinal of the paragraph among the report's narrative paragraphs (as `analyze` orders
    /// them, and as `copied_from.paragraph` counts).
    pub paragraph: Field,
    /// The paragraph's words (indexed from [`super::tokens::joined_words`], not stored).
    pub words: Field,
    /// Normalized paragraph text (stored, not indexed).
    pub text: Field,
    /// The same text as character bigrams (not stored).
    pub bigrams: Field,
    /// The paragraph as the original file has it (its own script and punctuation).
    pub original: Field,
    /// Original character offsets of the paragraph: start.
    pub start: Field,
    /// Original character offsets of the paragraph: end.
    pub end: Field,
    /// Theme ids the paragraph admits (multi-valued).
    pub themes: Field,
    /// Theme ids the paragraph promises to address (multi-valued).
    pub measures: Field,
    /// Boilerplate formula ids found in the paragraph (multi-valued).
    pub formulas: Field,
    /// What the hit view needs that is not a filter: sentence ranges, offset anchors, theme
    /// evidence, formula spans (JSON, see [`crate::search::doc::ParagraphData`]).
    pub data: Field,
    /// The user's metadata columns, `column=value` (multi-valued).
    pub meta: Field,
    /// Report documents: the per-report summary (JSON, see
    /// [`crate::search::doc::ReportData`]).
    pub report: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        // Words rank hits (BM25 term queries) and find one-character terms; phrases are
        // matched over bigrams, so the word field needs frequencies, not positions.
        let words_indexing = TextFieldIndexing::default()
            .set_tokenizer(WORDS_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let bigram_indexing = TextFieldIndexing::default()
            .set_tokenizer(BIGRAMS_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            .set_fieldnorms(false);
        let fields = Fields {
            kind: b.add_text_field("kind", STRING),
            report_id: b.add_text_field("report_id", STRING | STORED),
            report_ord: b.add_u64_field("report_ord", FAST | STORED),
            path: b.add_text_field("path", STRING | STORED),
            agency: b.add_text_field("agency", STRING | STORED),
            year: b.add_u64_field("year", INDEXED | FAST | STORED),
            province: b.add_text_field("province", STRING | STORED),
            level: b.add_text_field("level", STRING | STORED),
            section: b.add_text_field("section", STRING | STORED),
            paragraph: b.add_u64_field("paragraph", FAST | STORED),
            words: b.add_text_field(
                "words",
                TextOptions::default().set_indexing_options(words_indexing),
            ),
            text: b.add_text_field("text", STORED),
            bigrams: b.add_text_field(
                "bigrams",
                TextOptions::default().set_indexing_options(bigram_indexing),
            ),
            original: b.add_text_field("original", STORED),
            start: b.add_u64_field("start", STORED),
            end: b.add_u64_field("end", STORED),
            themes: b.add_text_field("themes", STRING | STORED),
            measures: b.add_text_field("measures", STRING | STORED),
            formulas: b.add_text_field("formulas", STRING | STORED),
            data: b.add_text_field("data", STORED),
            report: b.add_text_field("report", STORED),
            meta: b.add_text_field("meta", STRING | STORED),
        };
        (b.build(), fields)
    }
}
