//! Lines to paragraphs: cut the text into chunks at line breaks, spaces between Chinese
//! characters and pipes, then keep or glue each boundary by looking at both sides, and split a
//! canonical heading glued to its paragraph.
//!
//! Why: crawled pages break lines at HTML span boundaries (`201\n8\n年`), one-line pages put
//! spaces between paragraphs, PDFs wrap at the margin. Every paragraph keeps a map from its
//! bytes to the normalized text.
//!
//! What it does not do: no roles, no sections (that is `sections`).

use super::*;

impl StructureRules {
    pub(super) fn chunks(&self, text: &str) -> Vec<Chunk> {
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
            split_line(text, start..end, &mut pending, &mut out, &|s, at| {
                if at == Cut::AfterStop {
                    self.marker(s).is_some()
                } else {
                    self.starts_canonical_l1(s)
                }
            });
            if pending != Sep::Hard {
                pending = Sep::Newline;
            }
        }
        out
    }

    pub(super) fn is_debris_line(&self, line: &str) -> bool {
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
    pub(super) fn nav_cut(&self, line: &str) -> Option<usize> {
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

    pub(super) fn rebuild(&self, text: &str, chunks: &[Chunk]) -> Vec<Paragraph> {
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
    pub(super) fn is_break(&self, cur: &str, next: &str, text: &str, chunks: &[Chunk]) -> bool {
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
            if ahead.len() >= MARKER_LOOKAHEAD_BYTES {
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
    pub(super) fn split_glued_heading(&self, p: Paragraph) -> Vec<Paragraph> {
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
        if body.chars().count() <= SHORT_HEADING_CHARS
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
}

/// What separates two chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sep {
    /// Blank line, debris, pipe: always a paragraph break.
    Hard,
    /// A single line break.
    Newline,
    /// Spaces between Chinese characters within a line.
    Space,
}

/// Where a line might be cut into two paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cut {
    /// Right after a sentence end: any heading marker may start a paragraph here.
    AfterStop,
    /// Anywhere else: only a canonical top-level heading may.
    Anywhere,
}

/// A piece of a line between two boundaries, and the kind of boundary before it.
#[derive(Clone, Debug)]
pub(super) struct Chunk {
    /// The boundary before this chunk.
    sep: Sep,
    range: Range<usize>,
}

/// Cuts one line into chunks at pipes (hard), at spaces that do not sit between two ASCII
/// letters or digits (soft), and right after a sentence end followed by a heading marker
/// (`…成效。一、概述…`, how one-line pages run paragraphs together) or before a canonical
/// top-level heading anywhere. `starts_paragraph(rest, cut)` tells whether `rest` begins
/// a paragraph, after a sentence end or anywhere else.
//
// Long because it is one scan with its cut rules side by side (hard, soft, heading, canonical
// heading); the rules are easier to check against each other in one place.
pub(super) fn split_line(
    text: &str,
    range: Range<usize>,
    pending: &mut Sep,
    out: &mut Vec<Chunk>,
    starts_paragraph: &dyn Fn(&str, Cut) -> bool,
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
                && starts_paragraph(&line[i..], Cut::Anywhere)
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
            if let Some(s) = chunk_start
                .filter(|_| j < line.len() && starts_paragraph(&line[j..], Cut::AfterStop))
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
pub(super) struct ParagraphBuilder {
    text: String,
    map: OffsetMap,
}

impl ParagraphBuilder {
    /// Appends `s`, which is the normalized body's `range` (pieces come in body order).
    pub(super) fn push(&mut self, s: &str, range: Range<usize>) {
        let skipped = range.start.saturating_sub(self.map.original_len());
        self.map.push(skipped, 0);
        self.text.push_str(s);
        self.map.push(range.len(), range.len());
    }

    pub(super) fn finish(self) -> Paragraph {
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
    pub(super) fn slice(&self, r: Range<usize>) -> Paragraph {
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
    pub(super) fn split_at(&self, at: usize) -> (Paragraph, Paragraph) {
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
    pub(super) fn concat(&self, other: &Paragraph) -> Paragraph {
        let mut b = ParagraphBuilder::default();
        for p in [self, other] {
            for (rt, rn) in p.map.pieces() {
                b.push(&p.text[rt], rn);
            }
        }
        b.finish()
    }
}
