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

use std::ops::Range;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::normalize::{NormalizedText, OffsetMap};

/// The default rules (embedded).
pub const DEFAULT_RULES: &str = include_str!("../dictionaries/structure.toml");

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
    /// For a numbered heading (standing alone or run into its paragraph): its level (1 for
    /// `一、`, 2 for `（一）`, 3 for `1.`, 4 for `（1）`) and the heading text.
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

impl StructureRules {
    /// The embedded default rules.
    pub fn new() -> Result<StructureRules> {
        StructureRules::from_toml(RULES_NAME, DEFAULT_RULES)
    }

    /// Rules from a TOML document in the format of `dictionaries/structure.toml`.
    pub fn from_toml(name: &str, src: &str) -> Result<StructureRules> {
        let file: RulesFile = toml::from_str(src).map_err(|e| {
            let line = e
                .span()
                .map_or(0, |s| src[..s.start].matches('\n').count() + 1);
            Error::Dictionary {
                file: name.into(),
                line,
                message: e.message().to_string(),
            }
        })?;
        let compile = |p: &str| {
            Regex::new(p).map_err(|e| rules_error(format!("bad regular expression {p:?}: {e}")))
        };
        let endings = file
            .title
            .endings
            .iter()
            .map(|e| regex::escape(e))
            .collect::<Vec<_>>()
            .join("|");
        let title = compile(&format!(
            r"^[^。，；：！？]{{0,40}}?(?:19|20)\d{{2}}\s*年\s*度?[^。，；：！？]{{0,40}}?(?:{endings})"
        ))?;
        Ok(StructureRules {
            sections: file
                .sections
                .into_iter()
                .map(|r| (r.kind, r.phrases))
                .collect(),
            unnumbered_max: file.unnumbered.max_chars,
            unnumbered: file.unnumbered.phrases,
            heading_endings: file.heading_endings.phrases,
            problems_cues: file.problems_cues.phrases,
            title,
            title_max: file.title.max_chars,
            debris_lines: regex::RegexSet::new(&file.debris.lines).map_err(|e| {
                rules_error(format!("bad regular expression in [debris] lines: {e}"))
            })?,
            nav_prefixes: file.debris.nav_prefixes,
            nav_cut_markers: file.debris.nav_cut_markers,
            nav_cut_window: file.debris.nav_cut_window,
            signature: compile(&format!(
                r"^[^。，；]{{0,{}}}?(?:(?:19|20)\d{{2}}|[〇零○一二三四五六七八九]{{4}})年[0-9一二三四五六七八九十元]{{1,3}}月[0-9一二三四五六七八九十]{{1,3}}日[^。，；]{{0,40}}$",
                file.debris.signature_max_chars
            ))?,
            marker: compile(
                r"^(?:(?P<l1>[一二三四五六七八九十]{1,3})\s*[、.．]|第(?P<part>[一二三四五六七八九十]{1,3})(?:部分|章)|[（(]\s*(?P<l2>[一二三四五六七八九十]{1,3})\s*[）)]|(?P<l3>\d{1,2})\s*(?:[、．]|\.(?:[^\d]|$))|[（(]\s*(?P<l4>\d{1,2})\s*[）)])",
            )?,
        })
    }

    /// The canonical kind a heading's text names, if any.
    pub fn kind_of_heading(&self, heading: &str) -> Option<SectionKind> {
        self.sections
            .iter()
            .find(|(_, phrases)| phrases.iter().any(|p| heading.contains(p.as_str())))
            .map(|(k, _)| *k)
    }

    /// Parses a heading marker at the start of `s`: (level, number, marker byte length).
    fn marker(&self, s: &str) -> Option<(u8, u32, usize)> {
        // Most text starts with no marker at all: decide that without the regex engine.
        if !s.starts_with(MARKER_STARTS) {
            return None;
        }
        let c = self.marker.captures(s)?;
        let whole = c.get(0)?;
        let (level, num) = if let Some(m) = c.name("l1").or_else(|| c.name("part")) {
            (1, chinese_numeral(m.as_str())?)
        } else if let Some(m) = c.name("l2") {
            (2, chinese_numeral(m.as_str())?)
        } else if let Some(m) = c.name("l3") {
            (3, m.as_str().parse().ok()?)
        } else {
            (4, c.name("l4")?.as_str().parse().ok()?)
        };
        // `1.x` matched one character past the dot; do not swallow it.
        let mut len = whole.end();
        if c.name("l3").is_some() && whole.as_str().contains('.') && !whole.as_str().ends_with('.')
        {
            len = whole.as_str().find('.').map_or(len, |i| i + 1);
        }
        Some((level, num, len))
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
            self.classify(p);
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

    fn chunks(&self, text: &str) -> Vec<Chunk> {
        let mut out = Vec::new();
        let mut pending = Sep::Hard;
        let mut offset = 0;
        for raw in text.split_inclusive('\n') {
            let line_start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches('\n');
            let trimmed = line.trim();
            if trimmed.is_empty() || self.is_debris_line(trimmed) {
                pending = Sep::Hard;
                continue;
            }
            let mut start = line_start + (line.len() - line.trim_start().len());
            let end = line_start + line.trim_end().len();
            if let Some(cut) = self.nav_cut(trimmed) {
                start += cut;
                pending = Sep::Hard;
            }
            split_line(
                text,
                start..end,
                &mut pending,
                &mut out,
                &|s, after_stop| {
                    if after_stop {
                        self.marker(s).is_some()
                    } else {
                        self.starts_canonical_l1(s)
                    }
                },
            );
            if pending != Sep::Hard {
                pending = Sep::Newline;
            }
        }
        out
    }

    fn is_debris_line(&self, line: &str) -> bool {
        // One pass of one automaton per line; only lines with runs of spaces need squeezing.
        if line.contains("  ") || line.contains(['\t', '\u{3000}']) {
            let squeezed: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
            self.debris_lines.is_match(&squeezed)
        } else {
            self.debris_lines.is_match(line)
        }
    }

    /// For a line that starts with navigation (`当前位置：首页 > …`) and goes on into the report,
    /// the byte length of the navigation part.
    fn nav_cut(&self, line: &str) -> Option<usize> {
        if !self
            .nav_prefixes
            .iter()
            .any(|p| line.starts_with(p.as_str()))
        {
            return None;
        }
        let window_end = line
            .char_indices()
            .nth(self.nav_cut_window)
            .map_or(line.len(), |(i, _)| i);
        let window = &line[..window_end];
        self.nav_cut_markers
            .iter()
            .filter_map(|m| window.rfind(m.as_str()).map(|i| i + m.len()))
            .max()
    }

    // ---------------------------------------------------------------------------------------
    // Rebuilding paragraphs from chunks.

    fn rebuild(&self, text: &str, chunks: &[Chunk]) -> Vec<Paragraph> {
        let mut out = Vec::new();
        let mut cur = ParagraphBuilder::default();
        for (i, chunk) in chunks.iter().enumerate() {
            let next = &text[chunk.range.clone()];
            if !cur.text.is_empty() && self.is_break(&cur.text, next, text, &chunks[i..]) {
                out.push(std::mem::take(&mut cur).finish());
            }
            cur.push(&text[chunk.range.clone()], chunk.range.clone());
        }
        if !cur.text.is_empty() {
            out.push(cur.finish());
        }
        out
    }

    /// Whether the boundary before `chunks[0]` (whose text is `next`) ends the paragraph `cur`.
    fn is_break(&self, cur: &str, next: &str, text: &str, chunks: &[Chunk]) -> bool {
        let sep = chunks[0].sep;
        if sep == Sep::Hard {
            return true;
        }
        if next.starts_with(CONTINUATION) {
            return false;
        }
        if ends_sentence(cur) {
            return true;
        }
        // What follows, glued back together, so that a marker broken over lines is seen whole.
        let mut ahead = String::new();
        let may_be_marker = next.starts_with(MARKER_STARTS);
        for c in chunks
            .iter()
            .take(if may_be_marker { usize::MAX } else { 1 })
        {
            if c.sep == Sep::Hard && !ahead.is_empty() {
                break;
            }
            ahead.push_str(&text[c.range.clone()]);
            if ahead.len() >= 48 {
                break;
            }
        }
        if self.marker(&ahead).is_some() {
            return !(self.is_marker_only(cur) || cur.ends_with(OPENERS));
        }
        if sep == Sep::Newline && self.is_canonical_l1(cur) {
            return true;
        }
        // `六、政府信息公开工作` / `存在的主要问题及改进措施`: one heading over two lines.
        if matches!(self.marker(cur), Some((1, _, _)))
            && !next.contains(['。', '，', '；'])
            && self.is_canonical_l1(&format!("{cur}{next}"))
        {
            return false;
        }
        if self.is_heading_candidate(cur) {
            let substantial = next.chars().count() >= 10
                || ends_sentence(next)
                || (next.starts_with(|c: char| c.is_ascii_digit())
                    && ahead.chars().take(6).any(|c| c == '年'));
            if substantial {
                return true;
            }
        }
        if sep == Sep::Newline && self.is_unnumbered_heading(cur) {
            return true;
        }
        false
    }

    /// `一、概述2015年，我区…` → `一、概述` + `2015年，我区…`: a canonical top-level heading
    /// glued to its first sentence, where the page had no break to keep.
    fn split_glued_heading(&self, p: Paragraph) -> Vec<Paragraph> {
        let Some((1, _, len)) = self.marker(&p.text) else {
            return vec![p];
        };
        let body_start = len + (p.text[len..].len() - p.text[len..].trim_start().len());
        let body = &p.text[body_start..];
        // A whole heading (`一、主要工作开展情况及取得的成效`) is not glued to anything, unless
        // a heading ending repeats (`其他需要报告的事项无其他需要报告的事项`).
        let repeats = self
            .heading_endings
            .iter()
            .any(|e| body.matches(e.as_str()).count() > 1);
        if body.chars().count() <= 40
            && !body.contains(['。', '，', '；', '：', '！', '？'])
            && !repeats
        {
            return vec![p];
        }
        let cut = self
            .canonical_heading_len(body)
            .filter(|&n| n < body.len())
            .map(|n| body_start + n);
        match cut {
            Some(at) => {
                let (a, b) = p.split_at(at);
                vec![a, b]
            }
            None => vec![p],
        }
    }

    /// Byte length of the longest canonical section heading (`收到和处理政府信息公开申请情况`)
    /// at the start of `body`, before any punctuation, when it is followed by more text.
    fn canonical_heading_len(&self, body: &str) -> Option<usize> {
        let mut cut = None;
        // `存在的主要问题及改进措施` may end at 问题 or 措施: take the longest, but an ending seen
        // twice (`其他需要报告的事项无其他需要报告的事项`) means the text went on.
        let mut used: Vec<&str> = Vec::new();
        for (i, c) in body.char_indices().take(32) {
            if matches!(c, '。' | '，' | '；' | '：') {
                break;
            }
            let head = &body[..i + c.len_utf8()];
            let rest = &body[head.len()..];
            let Some(ending) = self
                .heading_endings
                .iter()
                .find(|e| head.ends_with(e.as_str()))
            else {
                continue;
            };
            if used.contains(&ending.as_str()) {
                break;
            }
            if !rest.starts_with(CONTINUATION)
                && !rest.starts_with(' ')
                && self.kind_of_heading(head).is_some()
            {
                used.push(ending);
                cut = Some(head.len());
            }
        }
        cut
    }

    /// Whether `s` starts with a top-level marker and a canonical heading: such a heading
    /// starts a paragraph even in the middle of a run-together line (`…收费18651.06三、收到和
    /// 处理政府信息公开申请情况…`).
    fn starts_canonical_l1(&self, s: &str) -> bool {
        match self.marker(s) {
            Some((1, _, len)) => self.canonical_heading_len(s[len..].trim_start()).is_some(),
            _ => false,
        }
    }

    fn is_marker_only(&self, s: &str) -> bool {
        self.marker(s)
            .is_some_and(|(_, _, len)| s[len..].trim().is_empty())
    }

    /// A numbered heading as it looks before its paragraph started: marker, a short text, no
    /// sentence punctuation, not ending in a digit (table rows do).
    fn is_heading_candidate(&self, s: &str) -> bool {
        let Some((_, _, len)) = self.marker(s) else {
            return false;
        };
        let body = s[len..].trim();
        let n = body.chars().count();
        (2..=30).contains(&n)
            && !body.contains(['。', '，', '；', '：', '！', '？'])
            && !body.ends_with(|c: char| c.is_ascii_digit() || OPENERS.contains(&c))
    }

    /// `五、存在的主要问题及改进情况`: a complete top-level heading of a canonical section.
    fn is_canonical_l1(&self, s: &str) -> bool {
        match self.marker(s) {
            Some((1, _, len)) if self.is_heading_candidate(s) => {
                let body = s[len..].trim();
                self.kind_of_heading(body).is_some()
                    && self
                        .heading_endings
                        .iter()
                        .any(|e| body.ends_with(e.as_str()))
            }
            _ => false,
        }
    }

    fn is_unnumbered_heading(&self, s: &str) -> bool {
        let s = s.trim();
        s.chars().count() <= self.unnumbered_max
            && !s.contains(['。', '，', '；', '！', '？'])
            && self.unnumbered.iter().any(|p| s.contains(p.as_str()))
    }

    // ---------------------------------------------------------------------------------------
    // Title and signature.

    /// Finds the title among the first paragraphs, splits it off a paragraph it was glued to,
    /// and removes it (and a preceding agency line, for titles that start with the year).
    fn take_title(&self, paras: &mut Vec<Paragraph>, known: Option<&str>) -> Option<Paragraph> {
        let known: Option<String> =
            known.map(|t| t.chars().filter(|c| !c.is_whitespace()).collect());
        let limit = paras.len().min(8);
        for i in 0..limit {
            if self.marker(&paras[i].text).is_some() {
                break;
            }
            let text = paras[i].text.clone();
            let end = match &known {
                Some(k) if text.starts_with(k.as_str()) => Some(k.len()),
                Some(_) => None,
                None => self
                    .title
                    .find(&text)
                    .filter(|m| m.as_str().chars().count() <= self.title_max)
                    .map(|m| m.end()),
            };
            let Some(end) = end else { continue };
            let mut title = if end < text.len() {
                let (head, tail) = paras[i].split_at(end);
                paras[i] = tail;
                head
            } else {
                paras.remove(i)
            };
            // `2018年度政务公开工作总结` under a separate agency line: join them.
            let starts_with_year = title.text.starts_with(|c: char| c.is_ascii_digit());
            if starts_with_year && i > 0 {
                let prev = &paras[i - 1];
                if prev.text.chars().count() <= 30 && !prev.text.contains(['。', '，']) {
                    let prev = paras.remove(i - 1);
                    title = prev.concat(&title);
                }
            }
            title.role = Role::Other;
            // Drop repeats of the agency line or title above it (seed 004 prints it twice).
            let stem = title.text.clone();
            paras.retain(|p| !(p.text.chars().count() <= 30 && stem.starts_with(p.text.as_str())));
            return Some(title);
        }
        None
    }

    /// Drops a closing signature and date (`莆田市审计局 2019年1月8日`) from the end.
    fn drop_signature(&self, paras: &mut Vec<Paragraph>) {
        for _ in 0..3 {
            let Some(last) = paras.last() else { return };
            if self.signature.is_match(last.text.trim()) {
                paras.pop();
                while paras.last().is_some_and(|p| {
                    p.text.chars().count() <= 20
                        && !p.text.contains(['。', '，', '；'])
                        && self.marker(&p.text).is_none()
                }) {
                    paras.pop();
                }
                return;
            }
            // Page chrome after the signature (`翻译 搜索 复制`) is short and has no punctuation.
            if last.text.chars().count() <= 8 && !last.text.contains(['。', '，']) {
                paras.pop();
                continue;
            }
            return;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Classifying paragraphs.

    fn classify(&self, p: &mut Paragraph) {
        let text = p.text.trim();
        if let Some((level, _, len)) = self.marker(text) {
            let body = text[len..].trim();
            let n = body.chars().count();
            let no_stop = !body.contains(['。', '！', '？', '；']);
            let short_with_stop = n <= 20
                && body.ends_with('。')
                && !body
                    .trim_end_matches('。')
                    .contains(['。', '！', '？', '；', '，', '：']);
            let table_row = body.ends_with(|c: char| c.is_ascii_digit());
            if (1..=40).contains(&n) && (no_stop || short_with_stop) && !table_row {
                p.role = Role::Heading;
                p.heading = Some((level, body.trim_end_matches('。').to_string()));
                return;
            }
            // A heading run into its paragraph: `（一）加强平台建设。充分发挥…`.
            if let Some(end) = body.find('。') {
                let head = &body[..end];
                if head.chars().count() <= 30 && !head.contains(['，', '；']) {
                    p.heading = Some((level, head.to_string()));
                }
            }
        } else if self.is_unnumbered_heading(text) {
            p.role = Role::Heading;
            p.heading = Some((0, text.to_string()));
            return;
        }
        p.role = if looks_like_table(text) {
            Role::Table
        } else if text.contains(SENTENCE_PUNCT) && !is_bracketed_note(text) {
            Role::Narrative
        } else {
            Role::Other
        };
    }

    // ---------------------------------------------------------------------------------------
    // Sections.

    fn sectionize(&self, paras: Vec<Paragraph>) -> Vec<Section> {
        let mut sections = vec![Section {
            kind: SectionKind::Preamble,
            heading: None,
            paragraphs: Vec::new(),
        }];
        let mut last_l1 = 0u32;
        let mut seen_problems = false;
        // Numbers used by a top-level heading that names a canonical section: a table row
        // with the same number (`四、结转下年度继续办理` before `四、政府信息公开行政复议…`) is
        // not a section.
        let named: Vec<u32> = paras
            .iter()
            .filter_map(|p| match &p.heading {
                Some((1, head)) if self.kind_of_heading(head).is_some() => {
                    self.marker(p.text.trim()).map(|(_, n, _)| n)
                }
                _ => None,
            })
            .collect();
        for p in paras {
            let top = match &p.heading {
                Some((1, head)) => {
                    let num = self.marker(p.text.trim()).map_or(0, |(_, n, _)| n);
                    let kind = self.kind_of_heading(head);
                    if kind.is_none() && named.contains(&num) {
                        if let Some(s) = sections.last_mut() {
                            s.paragraphs.push(p);
                        }
                        continue;
                    }
                    let in_sequence = num == last_l1 + 1
                        || (num > last_l1 && num <= last_l1 + 2 && kind.is_some());
                    // A complete heading naming another canonical section starts it whatever
                    // its number: `五、存在的主要问题…` after `六、其他需要报告的事项`, or a
                    // number used twice. Table rows name no section or do not end like a
                    // heading (`…申请数量`); inside the appended tables, such a line is a
                    // table's caption.
                    let current = sections.last().map(|s| s.kind);
                    let named_heading = kind.is_some()
                        && kind != current
                        && current != Some(SectionKind::Tables)
                        && self
                            .heading_endings
                            .iter()
                            .any(|e| head.ends_with(e.as_str()));
                    if (in_sequence || named_heading) && !looks_like_table(&p.text) {
                        last_l1 = last_l1.max(num);
                        let kind = kind.unwrap_or(if seen_problems {
                            SectionKind::Other
                        } else {
                            SectionKind::Overview
                        });
                        Some(kind)
                    } else {
                        None
                    }
                }
                Some((0, head)) if p.role == Role::Heading => self.kind_of_heading(head),
                _ => None,
            };
            match top {
                Some(kind) => {
                    seen_problems |= kind == SectionKind::Problems;
                    sections.push(Section {
                        kind,
                        heading: Some(p.text.trim().to_string()),
                        paragraphs: vec![p],
                    });
                }
                None => {
                    if let Some(s) = sections.last_mut() {
                        s.paragraphs.push(p);
                    }
                }
            }
        }
        if sections[0].paragraphs.is_empty() {
            sections.remove(0);
        }
        sections
    }

    /// Splits off a `problems` section where a report admits its problems without a heading.
    fn implicit_problems(&self, sections: &mut Vec<Section>) {
        if sections.iter().any(|s| s.kind == SectionKind::Problems) {
            return;
        }
        let narrative: usize = sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .filter(|p| p.is_narrative())
            .count();
        let mut seen = 0;
        for si in 0..sections.len() {
            let kind = sections[si].kind;
            for pi in 0..sections[si].paragraphs.len() {
                let p = &sections[si].paragraphs[pi];
                if !p.is_narrative() {
                    continue;
                }
                seen += 1;
                let late = seen * 5 >= narrative * 2;
                let eligible = matches!(kind, SectionKind::Overview | SectionKind::Preamble);
                if late
                    && eligible
                    && self
                        .problems_cues
                        .iter()
                        .any(|c| p.text.contains(c.as_str()))
                {
                    let rest = sections[si].paragraphs.split_off(pi);
                    sections.insert(
                        si + 1,
                        Section {
                            kind: SectionKind::Problems,
                            heading: None,
                            paragraphs: rest,
                        },
                    );
                    if sections[si].paragraphs.is_empty() {
                        sections.remove(si);
                    }
                    return;
                }
            }
        }
    }
}

/// First characters of every heading marker (`一、` `第一部分` `（一）` `1.` `(1)`).
const MARKER_STARTS: &[char] = &[
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '第', '（', '(', '0', '1', '2',
    '3', '4', '5', '6', '7', '8', '9',
];

/// Characters that cannot start a paragraph: the line break before them was a crawler's.
const CONTINUATION: &[char] = &[
    '，', '、', '。', '：', '；', '！', '？', '）', '》', '”', '’', '％', '%', '〉', '】', '〕',
    '.', ',',
];
/// Characters that cannot end a paragraph: the line break after them was a crawler's.
const OPENERS: &[char] = &['，', '、', '（', '《', '“', '‘', '〈', '【', '〔', '—'];
/// Punctuation that shows a paragraph is running text.
const SENTENCE_PUNCT: &[char] = &['。', '！', '？', '；', '，'];
/// Closing marks that stay with the sentence before them.
const CLOSERS: &[char] = &['”', '’', '）', '》', '」', '』', '〕', '】'];

/// Whether `s` ends a sentence (ignoring closing quotes and brackets).
fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(CLOSERS)
        .ends_with(['。', '！', '？', '；', '!', '?'])
}

/// Whether a paragraph is (a piece of) a statistics table: digits and labels, little or no
/// sentence punctuation.
pub fn looks_like_table(s: &str) -> bool {
    let strong = s.chars().filter(|c| SENTENCE_PUNCT.contains(c)).count();
    // Digit runs, and "bare" ones: not a date, count or ordinal in a sentence (`2018年`,
    // `394条`, `第711号`) but numbers standing next to labels or other numbers, as table cells do.
    let (mut runs, mut bare) = (0, 0);
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        runs += 1;
        let unit = chars.get(i).is_some_and(|c| NUMBER_UNITS.contains(*c));
        let ordinal = start > 0 && chars[start - 1] == '第';
        if !unit && !ordinal {
            bare += 1;
        }
    }
    (strong == 0 && (runs >= 1 || chars.len() > 40)) || (bare >= 4 && bare > strong)
}

/// Characters that make a preceding number part of a sentence rather than a table cell.
const NUMBER_UNITS: &str = "年月日号条件个份人次篇期项家万元亿%％批名位户所台种类天余多届场栏期号时分秒岁倍、，。；）)》〕]-—~至年度";

fn is_bracketed_note(s: &str) -> bool {
    (s.starts_with('（') && s.ends_with('）')) || (s.starts_with('(') && s.ends_with(')'))
}

/// Splits a narrative paragraph into sentences at 。！？； (keeping closing quotes).
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?') {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if CLOSERS.contains(&n) {
                    end = j + n.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            push_trimmed(text, start..end, &mut out);
            start = end;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

/// Whether `c` is one of 一 … 十 (cheaper than searching a string of them).
pub fn is_small_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Value of a Chinese numeral from 一 to 九十九.
fn chinese_numeral(s: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    /// Blank line, debris, pipe: always a paragraph break.
    Hard,
    /// A single line break.
    Newline,
    /// Spaces between Chinese characters within a line.
    Space,
}

#[derive(Clone, Debug)]
struct Chunk {
    /// The boundary before this chunk.
    sep: Sep,
    range: Range<usize>,
}

/// Cuts one line into chunks at pipes (hard), at spaces that do not sit between two ASCII
/// letters or digits (soft), and right after a sentence end followed by a heading marker
/// (`…成效。一、概述…`, how one-line pages run paragraphs together) or before a canonical
/// top-level heading anywhere. `starts_paragraph(rest, after_stop)` tells whether `rest` begins
/// a paragraph, after a sentence end or anywhere else.
fn split_line(
    text: &str,
    range: Range<usize>,
    pending: &mut Sep,
    out: &mut Vec<Chunk>,
    starts_paragraph: &dyn Fn(&str, bool) -> bool,
) {
    let line = &text[range.clone()];
    let mut chunk_start: Option<usize> = None;
    let mut iter = line.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = iter.next() {
        let pipe = c == '|' || c == '｜';
        let space = c.is_whitespace();
        if pipe || space {
            // Extent of the run of separators.
            let mut j = i + c.len_utf8();
            let mut saw_pipe = pipe;
            while let Some(&(k, d)) = iter.peek() {
                if d == '|' || d == '｜' || d.is_whitespace() {
                    saw_pipe |= d == '|' || d == '｜';
                    j = k + d.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            let next = line[j..].chars().next();
            let keep_inside = !saw_pipe
                && prev.is_some_and(|p| p.is_ascii_alphanumeric())
                && next.is_some_and(|n| n.is_ascii_alphanumeric());
            if keep_inside {
                prev = Some(c);
                continue;
            }
            if let Some(s) = chunk_start.take() {
                out.push(Chunk {
                    sep: *pending,
                    range: range.start + s..range.start + i,
                });
                *pending = Sep::Space;
            }
            if saw_pipe {
                *pending = Sep::Hard;
            }
            prev = None;
            continue;
        }
        if let Some(s) = chunk_start.filter(|&s| {
            s < i
                && is_small_numeral(c)
                && line[i + c.len_utf8()..].starts_with([
                    '、', '.', '．', '十', '一', '二', '三', '四', '五', '六', '七', '八', '九',
                ])
                && !prev
                    .is_some_and(|p| OPENERS.contains(&p) || "一二三四五六七八九十第".contains(p))
                && starts_paragraph(&line[i..], false)
        }) {
            out.push(Chunk {
                sep: *pending,
                range: range.start + s..range.start + i,
            });
            *pending = Sep::Space;
            chunk_start = None;
        }
        if chunk_start.is_none() {
            chunk_start = Some(i);
        }
        prev = Some(c);
        if matches!(c, '。' | '！' | '？' | '；') {
            let mut j = i + c.len_utf8();
            while let Some(&(k, d)) = iter.peek() {
                if !CLOSERS.contains(&d) {
                    break;
                }
                j = k + d.len_utf8();
                iter.next();
            }
            if let Some(s) =
                chunk_start.filter(|_| j < line.len() && starts_paragraph(&line[j..], true))
            {
                out.push(Chunk {
                    sep: *pending,
                    range: range.start + s..range.start + j,
                });
                *pending = Sep::Space;
                chunk_start = None;
            }
        }
    }
    if let Some(s) = chunk_start {
        out.push(Chunk {
            sep: *pending,
            range: range.start + s..range.end,
        });
        *pending = Sep::Newline;
    }
}

#[derive(Default)]
struct ParagraphBuilder {
    text: String,
    map: OffsetMap,
}

impl ParagraphBuilder {
    /// Appends `s`, which is the normalized body's `range` (pieces come in body order).
    fn push(&mut self, s: &str, range: Range<usize>) {
        let skipped = range.start.saturating_sub(self.map.original_len());
        self.map.push(skipped, 0);
        self.text.push_str(s);
        self.map.push(range.len(), range.len());
    }

    fn finish(self) -> Paragraph {
        Paragraph {
            text: self.text,
            map: self.map,
            role: Role::Other,
            heading: None,
            sentences: Vec::new(),
        }
    }
}

impl Paragraph {
    /// The sub-paragraph of `text[r]`, with its map.
    fn slice(&self, r: Range<usize>) -> Paragraph {
        let mut b = ParagraphBuilder::default();
        for (rt, rn) in self.map.pieces() {
            let (s, e) = (rt.start.max(r.start), rt.end.min(r.end));
            if s < e {
                // Paragraph maps are linear within a piece.
                let n = rn.start + (s - rt.start)..rn.start + (e - rt.start);
                b.push(&self.text[s..e], n);
            }
        }
        b.finish()
    }

    /// Splits at byte `at` of `text` into two paragraphs, trimming the spaces around the cut.
    fn split_at(&self, at: usize) -> (Paragraph, Paragraph) {
        let trim = |r: Range<usize>| {
            let s = &self.text[r.clone()];
            r.start + (s.len() - s.trim_start().len())..r.end - (s.len() - s.trim_end().len())
        };
        (
            self.slice(trim(0..at)),
            self.slice(trim(at..self.text.len())),
        )
    }

    /// Concatenates two paragraphs (the second after the first in the body).
    fn concat(&self, other: &Paragraph) -> Paragraph {
        let mut b = ParagraphBuilder::default();
        for p in [self, other] {
            for (rt, rn) in p.map.pieces() {
                b.push(&p.text[rt], rn);
            }
        }
        b.finish()
    }
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
