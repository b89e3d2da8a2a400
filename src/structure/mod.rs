//! Structure: paragraphs, headings, canonical sections, narrative vs tables, sentences.
//!
//! Input is one report's normalized body ([`NormalizedText`]); output is a [`Structure`]: the
//! title, and sections of paragraphs, each paragraph knowing whether it is narrative (sentences
//! a reader wrote) or not (headings, statistics tables, stray labels), and mapping every byte
//! back to the normalized text.
//!
//! Why this is the hard part: crawled pages break lines at HTML span boundaries (`201\n8\n年`,
//! `一\n、概\n述`, `1\n、无专职人员`), some sites flatten the whole page onto one line with spaces
//! between paragraphs, PDFs wrap at the margin, and statistics tables arrive one cell per line,
//! in pipes, or with their digits run together. So paragraphs are *rebuilt*: the text is cut
//! into chunks at line breaks, spaces between Chinese characters, and pipes; then each
//! boundary is kept or glued by looking at both sides (does the left end a sentence? does the
//! right start a numbered heading such as `（二）`, even when that marker is itself broken over
//! three lines?). Blank lines and debris are hard breaks. Only then are headings recognised,
//! numbered top-level headings mapped to one of the canonical [`SectionKind`]s through the
//! phrase lists in `dictionaries/structure.toml`, and narrative paragraphs split into
//! sentences.
//!
//! What it does not do: it never changes characters (that was `normalize`), never segments
//! words, and never reads files.
//!
//! Files, in the order the work is done: `rules` (the TOML rules and the heading grammar),
//! `lines` (lines → chunks → rebuilt paragraphs), `sections` (title, signature, paragraph
//! roles, canonical sections, the implicit problems section), `sentences` (sentence cuts,
//! tables, numerals), this file (the types and [`StructureRules::analyze`]).

use std::ops::Range;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::normalize::{NormalizedText, OffsetMap};

mod lines;
mod rules;
mod sections;
mod sentences;

use sentences::{
    CLOSERS, CONTINUATION, MARKER_STARTS, OPENERS, SENTENCE_PUNCT, chinese_numeral, ends_sentence,
    is_bracketed_note,
};
pub use sentences::{is_small_numeral, looks_like_table, split_sentences};

/// The default rules (embedded).
pub const DEFAULT_RULES: &str = include_str!("../../dictionaries/structure.toml");

/// The canonical kind of a report section, the same for the 2008 template, the 2019/2021
/// template and free-form summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Text before the first heading (introduction, legal basis, contact details).
    Preamble,
    /// 概述 / 总体情况, and the work-done headings of free-form summaries.
    Overview,
    /// 主动公开政府信息情况.
    Proactive,
    /// 依申请公开 / 收到和处理政府信息公开申请情况.
    Requests,
    /// 收费及减免情况.
    Fees,
    /// 行政复议、行政诉讼情况.
    ReviewLitigation,
    /// 存在的主要问题及改进情况 (including improvement plans).
    Problems,
    /// 其他需要报告的事项.
    Other,
    /// 统计表 / 附表 / 附件.
    Tables,
}

impl SectionKind {
    /// The snake_case id used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Preamble => "preamble",
            SectionKind::Overview => "overview",
            SectionKind::Proactive => "proactive",
            SectionKind::Requests => "requests",
            SectionKind::Fees => "fees",
            SectionKind::ReviewLitigation => "review_litigation",
            SectionKind::Problems => "problems",
            SectionKind::Other => "other",
            SectionKind::Tables => "tables",
        }
    }
}

/// What a paragraph is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Running text: the only role later stages analyse.
    Narrative,
    /// A heading standing on its own.
    Heading,
    /// Part of a statistics table.
    Table,
    /// Anything else: labels, notes in brackets, addressee lines.
    Other,
}

/// A rebuilt paragraph.
#[derive(Clone, Debug)]
pub struct Paragraph {
    /// The paragraph's text: normalized, with crawler line breaks and spaces between Chinese
    /// characters removed.
    pub text: String,
    /// Maps offsets in `text` to offsets in the normalized body.
    pub map: OffsetMap,
    /// What the paragraph is.
    pub role: Role,
    /// For a heading (standing alone or run into its paragraph): its level (1 for `一、`, 2 for
    /// `（一）`, 3 for `1.`, 4 for `（1）`; 0 for an unnumbered heading such as `存在的问题`) and
    /// the heading text.
    pub heading: Option<(u8, String)>,
    /// Sentence byte ranges in `text` (narrative paragraphs and headings).
    pub sentences: Vec<Range<usize>>,
}

impl Paragraph {
    /// Whether later stages should analyse this paragraph.
    pub fn is_narrative(&self) -> bool {
        self.role == Role::Narrative
    }

    /// Normalized-body byte range of a byte range of `text`.
    pub fn to_normalized(&self, r: Range<usize>) -> Range<usize> {
        self.map.to_original(r)
    }
}

/// A top-level section.
#[derive(Clone, Debug)]
pub struct Section {
    /// Canonical kind.
    pub kind: SectionKind,
    /// The heading as written (normalized), `None` for the preamble and implicit sections.
    pub heading: Option<String>,
    /// Paragraphs, starting with the heading paragraph when there is one.
    pub paragraphs: Vec<Paragraph>,
}

/// A report's structure.
#[derive(Clone, Debug, Default)]
pub struct Structure {
    /// The title paragraph found in the body, if any.
    pub title: Option<Paragraph>,
    /// Sections in document order.
    pub sections: Vec<Section>,
}

#[derive(Deserialize)]
struct RulesFile {
    sections: Vec<SectionRule>,
    unnumbered: Unnumbered,
    heading_endings: Phrases,
    problems_cues: Phrases,
    title: TitleRules,
    debris: DebrisFile,
}

#[derive(Deserialize)]
struct SectionRule {
    kind: SectionKind,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
struct Unnumbered {
    max_chars: usize,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
struct Phrases {
    phrases: Vec<String>,
}

#[derive(Deserialize)]
struct TitleRules {
    endings: Vec<String>,
    max_chars: usize,
}

#[derive(Deserialize)]
struct DebrisFile {
    lines: Vec<String>,
    nav_prefixes: Vec<String>,
    nav_cut_markers: Vec<String>,
    nav_cut_window: usize,
    signature_max_chars: usize,
}

/// Compiled structure rules (from `dictionaries/structure.toml`). Built once, shared.
#[derive(Clone, Debug)]
pub struct StructureRules {
    sections: Vec<(SectionKind, Vec<String>)>,
    unnumbered_max: usize,
    unnumbered: Vec<String>,
    heading_endings: Vec<String>,
    problems_cues: Vec<String>,
    title: Regex,
    title_max: usize,
    debris_lines: regex::RegexSet,
    nav_prefixes: Vec<String>,
    nav_cut_markers: Vec<String>,
    nav_cut_window: usize,
    signature: Regex,
    marker: Regex,
}

const RULES_NAME: &str = "dictionaries/structure.toml";

fn rules_error(message: String) -> Error {
    Error::Dictionary {
        file: RULES_NAME.into(),
        line: 0,
        message,
    }
}

// Thresholds of the paragraph and heading heuristics, named so each can be found and tuned in
// one place. Lengths are in characters unless a name says bytes.

/// How far past a line break to look for a heading marker broken over several lines
/// (`（\n二\n）`), in bytes.
const MARKER_LOOKAHEAD_BYTES: usize = 48;
/// A paragraph this short without sentence punctuation is a heading, never split.
const SHORT_HEADING_CHARS: usize = 40;
/// How far into a paragraph a canonical heading's ending (`存在的主要问题及改进措施`) may end.
const CANONICAL_HEADING_MAX_CHARS: usize = 32;
/// Length of the text after a marker for a line to be a heading candidate.
const HEADING_CANDIDATE_CHARS: std::ops::RangeInclusive<usize> = 2..=30;
/// Length of a numbered heading's text for its paragraph to be a heading.
const NUMBERED_HEADING_CHARS: std::ops::RangeInclusive<usize> = 1..=40;
/// A numbered heading ending in `。` may be this long at most.
const HEADING_WITH_STOP_MAX_CHARS: usize = 20;
/// The title is looked for among this many first paragraphs.
const TITLE_SEARCH_PARAGRAPHS: usize = 8;
/// Page chrome after the signature (`翻译 搜索 复制`) is at most this long.
const PAGE_CHROME_MAX_CHARS: usize = 8;
/// An implicit problems section may start only after this share of the narrative
/// (numerator, denominator): problems come late in a report.
const IMPLICIT_PROBLEMS_AFTER: (usize, usize) = (2, 5);

impl StructureRules {
    /// The embedded default rules.
    pub fn new() -> Result<StructureRules> {
        StructureRules::from_toml(RULES_NAME, DEFAULT_RULES)
    }

    /// Analyses one normalized report body.
    pub fn analyze(&self, norm: &NormalizedText, known_title: Option<&str>) -> Structure {
        let chunks = self.chunks(&norm.text);
        let paragraphs = self.rebuild(&norm.text, &chunks);
        let mut paragraphs: Vec<Paragraph> = paragraphs
            .into_iter()
            .filter(|p| !p.text.trim().is_empty())
            .flat_map(|p| self.split_glued_heading(p))
            .collect();
        let title = self.take_title(&mut paragraphs, known_title);
        self.drop_signature(&mut paragraphs);
        for p in &mut paragraphs {
            self.assign_role(p);
        }
        let mut sections = self.sectionize(paragraphs);
        self.implicit_problems(&mut sections);
        for s in &mut sections {
            for p in &mut s.paragraphs {
                if s.kind == SectionKind::Tables && p.role == Role::Narrative {
                    p.role = Role::Table;
                }
                // Headings get sentences too: in a problems section a short numbered item
                // (`2、无专职人员`) is often the admission itself.
                if matches!(p.role, Role::Narrative | Role::Heading) {
                    p.sentences = split_sentences(&p.text);
                }
            }
        }
        Structure { title, sections }
    }

    // ---------------------------------------------------------------------------------------
    // Chunks: pieces of text between candidate paragraph boundaries.
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalizer;

    fn analyze(s: &str) -> (NormalizedText, Structure) {
        let norm = Normalizer::new().expect("tables").normalize(s);
        let st = StructureRules::new().expect("rules").analyze(&norm, None);
        (norm, st)
    }

    fn texts(st: &Structure) -> Vec<(SectionKind, Role, String)> {
        st.sections
            .iter()
            .flat_map(|s| {
                s.paragraphs
                    .iter()
                    .map(move |p| (s.kind, p.role, p.text.clone()))
            })
            .collect()
    }

    #[test]
    fn crawler_broken_lines_are_rebuilt() {
        let (_, st) = analyze(
            "某局2018年度政府信息公开工作年度报告\n本年报根据\n201\n8\n年\n要求编制。\n一\n、概\n述\n\
             201\n9\n年，\n我局\n坚持公开。\n（\n二\n）\n加强管理\n，\n规范\n内容\n1\n、强化组织领导。\n",
        );
        let t = texts(&st);
        let paras: Vec<&str> = t.iter().map(|(_, _, s)| s.as_str()).collect();
        assert_eq!(
            paras,
            [
                "本年报根据2018年要求编制。",
                "一、概述",
                "2019年，我局坚持公开。",
                "（二）加强管理，规范内容",
                "1、强化组织领导。"
            ]
        );
        assert_eq!(
            st.title.expect("title").text,
            "某局2018年度政府信息公开工作年度报告"
        );
        assert_eq!(t[1].0, SectionKind::Overview);
        assert_eq!(t[1].1, Role::Heading);
    }

    #[test]
    fn one_line_pages_split_at_spaces_between_paragraphs() {
        let (_, st) = analyze(
            "平潭县人民政府2011年政府信息公开工作年度报告 本报告根据条例编制。 一、 概述 推进政府信息公开工作是重要举措。 二、主动公开政府信息情况 （一）公开数量。全年公开100条。",
        );
        let t = texts(&st);
        let paras: Vec<&str> = t.iter().map(|(_, _, s)| s.as_str()).collect();
        assert_eq!(
            paras,
            [
                "本报告根据条例编制。",
                "一、概述",
                "推进政府信息公开工作是重要举措。",
                "二、主动公开政府信息情况",
                "（一）公开数量。全年公开100条。"
            ]
        );
        assert_eq!(
            st.title.expect("title").text,
            "平潭县人民政府2011年政府信息公开工作年度报告"
        );
        assert_eq!(t[4].0, SectionKind::Proactive);
    }

    #[test]
    fn run_together_paragraphs_and_split_headings() {
        let (_, st) = analyze(
            "本报告由七个部分组成。一、 概述2015年，我区不断深化公开内容。（一）加强组织领导。\n\
             二、政府信息公开工作\n存在的主要问题及改进措施\n人员不足。",
        );
        let t = texts(&st);
        let paras: Vec<&str> = t.iter().map(|(_, _, s)| s.as_str()).collect();
        assert_eq!(
            paras,
            [
                "本报告由七个部分组成。",
                "一、概述",
                "2015年，我区不断深化公开内容。",
                "（一）加强组织领导。",
                "二、政府信息公开工作存在的主要问题及改进措施",
                "人员不足。"
            ]
        );
        assert_eq!(
            st.sections.last().map(|s| s.kind),
            Some(SectionKind::Problems)
        );
    }

    #[test]
    fn long_headings_are_not_split() {
        let (_, st) = analyze(
            "一、主要工作开展情况及取得的成效\n（一）加强组织领导\n我局高度重视政务公开工作，成立了领导小组。",
        );
        assert_eq!(
            st.sections[0].heading.as_deref(),
            Some("一、主要工作开展情况及取得的成效")
        );
    }

    #[test]
    fn headings_map_to_canonical_kinds() {
        let rules = StructureRules::new().expect("rules");
        let cases = [
            ("概述", Some(SectionKind::Overview)),
            ("总体情况", Some(SectionKind::Overview)),
            ("主动公开政府信息情况", Some(SectionKind::Proactive)),
            ("依申请公开政府信息情况", Some(SectionKind::Requests)),
            (
                "收到和处理政府信息公开申请情况",
                Some(SectionKind::Requests),
            ),
            ("政府信息公开的收费及减免情况", Some(SectionKind::Fees)),
            (
                "因政府信息公开申请行政复议、提起行政诉讼情况",
                Some(SectionKind::ReviewLitigation),
            ),
            (
                "政府信息公开工作中存在的主要问题及改进措施",
                Some(SectionKind::Problems),
            ),
            ("存在的问题和今后的工作打算", Some(SectionKind::Problems)),
            ("主要问题", Some(SectionKind::Problems)),
            ("存在的困难和问题", Some(SectionKind::Problems)),
            ("工作中的差距和不足", Some(SectionKind::Problems)),
            ("其他需要报告的事项", Some(SectionKind::Other)),
            ("需要说明的其他事项与附表", Some(SectionKind::Other)),
            ("政府信息公开情况统计表", Some(SectionKind::Tables)),
            ("切实加强组织领导", None),
        ];
        for (h, want) in cases {
            assert_eq!(
                rules.kind_of_heading(h),
                want,
                "heading {h}: check dictionaries/structure.toml"
            );
        }
    }

    #[test]
    fn table_rows_do_not_start_sections() {
        let (_, st) = analyze(
            "一、总体情况\n我局公开信息。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n\
             一、本年度新收政府信息公开申请数量\n0\n三、 本年度办理结果\n（一）予以公开\n0\n\
             四、结转下年度继续办理\n0\n四、政府信息公开行政复议、行政诉讼情况\n行政复议\n0\n\
             五、存在的主要问题及改进情况\n人员不足。\n",
        );
        let kinds: Vec<SectionKind> = st.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::Overview,
                SectionKind::Proactive,
                SectionKind::Requests,
                SectionKind::ReviewLitigation,
                SectionKind::Problems
            ]
        );
        let requests = &st.sections[2];
        assert!(
            requests.paragraphs.iter().all(|p| !p.is_narrative()),
            "{requests:#?}"
        );
    }

    fn kinds(st: &Structure) -> Vec<SectionKind> {
        st.sections.iter().map(|s| s.kind).collect()
    }

    /// The narrative paragraphs of the problems section(s).
    fn problems_text(st: &Structure) -> Vec<String> {
        st.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Problems)
            .flat_map(|s| &s.paragraphs)
            .filter(|p| p.is_narrative())
            .map(|p| p.text.clone())
            .collect()
    }

    #[test]
    fn canonical_heading_out_of_sequence_starts_its_section() {
        let (_, st) = analyze(
            "一、概述\n我局坚持公开透明。\n二、主动公开政府信息情况\n全年公开信息20条。\n\
             六、其他需要报告的事项\n无。\n五、存在的主要问题及改进情况\n一是网站更新不及时。\n",
        );
        assert_eq!(
            kinds(&st),
            [
                SectionKind::Overview,
                SectionKind::Proactive,
                SectionKind::Other,
                SectionKind::Problems
            ],
            "{st:#?}"
        );
        assert_eq!(problems_text(&st), ["一是网站更新不及时。"]);
    }

    #[test]
    fn repeated_number_with_a_canonical_heading_starts_its_section() {
        let (_, st) = analyze(
            "一、概述\n我局坚持公开透明。\n二、主动公开政府信息情况\n全年公开信息20条。\n\
             三、依申请公开政府信息情况\n全年未收到申请。\n三、存在的主要问题及改进情况\n\
             人员少，更新不及时。\n四、其他需要报告的事项\n无。\n",
        );
        assert_eq!(
            kinds(&st),
            [
                SectionKind::Overview,
                SectionKind::Proactive,
                SectionKind::Requests,
                SectionKind::Problems,
                SectionKind::Other
            ],
            "{st:#?}"
        );
        assert_eq!(problems_text(&st), ["人员少，更新不及时。"]);
    }

    #[test]
    fn heading_split_across_lines_starts_its_section() {
        let (_, st) = analyze(
            "一、概述\n我局坚持公开透明。\n二、主动公开政府信息情况\n全年公开信息20条。\n\
             三、政府信息公开工作存在的主\n要问题及改进情况\n一是宣传不够，公众知晓率不高。\n",
        );
        assert_eq!(
            kinds(&st),
            [
                SectionKind::Overview,
                SectionKind::Proactive,
                SectionKind::Problems
            ],
            "{st:#?}"
        );
        assert_eq!(problems_text(&st), ["一是宣传不够，公众知晓率不高。"]);
    }

    #[test]
    fn table_rows_reusing_a_canonical_number_out_of_sequence_do_not_start_sections() {
        // After the problems section, a statistics row numbered like a section but naming
        // none stays where it is; so does a row that ends in a figure.
        let (_, st) = analyze(
            "一、概述\n我局坚持公开透明。\n二、存在的主要问题及改进情况\n人员少。\n\
             一、本年新收政府信息公开申请数量\n0\n二、上年结转政府信息公开申请数量\n0\n",
        );
        assert_eq!(
            kinds(&st),
            [SectionKind::Overview, SectionKind::Problems],
            "{st:#?}"
        );
        // In the appended tables, a caption naming an earlier section starts nothing.
        let (_, st) = analyze(
            "一、概述\n我局坚持公开透明。\n二、存在的主要问题及改进情况\n人员少。\n\
             三、附表\n行政复议数\n0\n二、政府信息依申请公开办理情况\n",
        );
        assert_eq!(
            kinds(&st),
            [
                SectionKind::Overview,
                SectionKind::Problems,
                SectionKind::Tables
            ],
            "{st:#?}"
        );
    }

    #[test]
    fn paragraph_offsets_map_back() {
        let src = "一\n、概\n述\n我局\n坚持公开透明的原则开展工作。";
        let (norm, st) = analyze(src);
        let p = &st.sections[0].paragraphs[1];
        assert_eq!(p.text, "我局坚持公开透明的原则开展工作。");
        let r = p.to_normalized(0..p.text.len());
        let orig = norm.map.to_original(r);
        assert_eq!(&src[orig], "我局\n坚持公开透明的原则开展工作。");
    }

    #[test]
    fn sentences() {
        let text = "一是人员不足；二是网站“滞后。”三是宣传不够";
        let s: Vec<&str> = split_sentences(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(s, ["一是人员不足；", "二是网站“滞后。”", "三是宣传不够"]);
    }

    #[test]
    fn numerals() {
        assert_eq!(chinese_numeral("十一"), Some(11));
        assert_eq!(chinese_numeral("二十"), Some(20));
        assert_eq!(chinese_numeral("七"), Some(7));
    }
}
