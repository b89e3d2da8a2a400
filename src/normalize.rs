//! Normalization: one canonical text per report, with a map back to the original.
//!
//! Reports reach users in Simplified and Traditional script (a site's "繁體版" toggle), with
//! full-width and half-width digits, and with Chinese and ASCII punctuation used at random.
//! Every later stage — headings, boilerplate, themes, segmentation — wants to see one form, so
//! this stage folds:
//!
//! * Traditional → Simplified with OpenCC's plain `TSCharacters` / `TSPhrases` tables
//!   (`dictionaries/opencc/`, Apache-2.0). This is character/phrase conversion only, never
//!   Taiwan-vocabulary conversion: 檔案館 becomes 档案馆, not 文件馆.
//! * full-width ASCII letters and digits (`２０１８`, `ＡＢＣ`) → ASCII, the ideographic space → a
//!   space, `\r` dropped;
//! * punctuation variants → one form: ASCII `, : ; ( ) ! ?` become their Chinese full-width
//!   forms (except inside numbers, times and URLs, where they are ASCII on purpose), `「」『』` →
//!   `“”‘’`, `﹑` → `、`, `．` → `.`.
//!
//! What it does not do: it never deletes or rebuilds lines (that is `structure`'s job, which
//! needs to see the line breaks), and it never segments words.
//!
//! Every character of the output knows where it came from: [`OffsetMap`] translates normalized
//! byte offsets back to byte offsets of the original text, so a span found in the canonical
//! text can be shown exactly as the user's file has it.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use serde::Serialize;

use crate::error::{Error, Result};

/// Default OpenCC Traditional→Simplified character table (embedded).
pub const TS_CHARACTERS: &str = include_str!("../dictionaries/opencc/TSCharacters.txt");
/// Default OpenCC Traditional→Simplified phrase table (embedded).
pub const TS_PHRASES: &str = include_str!("../dictionaries/opencc/TSPhrases.txt");

/// The script a report was written in, judged by how much of it t2s conversion changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Fewer than 1% of the Han characters are Traditional forms.
    Simplified,
    /// More than 5% of the Han characters are Traditional forms.
    Traditional,
    /// In between: a Simplified report with pasted Traditional passages, or the reverse.
    Mixed,
    /// No Han characters at all.
    #[default]
    Unknown,
}

impl Script {
    /// The lowercase name used in JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
            Script::Mixed => "mixed",
            Script::Unknown => "unknown",
        }
    }
}

/// One piece of the normalized→original correspondence.
///
/// A segment whose two lengths are equal maps byte for byte (the common case: copied text, and
/// t2s conversions, which keep UTF-8 lengths). Otherwise the normalized bytes map to the whole
/// original range as a unit (a folded `,` → `，`, or a dropped `\r`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    norm: usize,
    orig: usize,
    norm_len: usize,
    orig_len: usize,
}

/// Maps byte offsets of a normalized text back to byte offsets of the text it came from.
///
/// Stored as runs, not one entry per byte, so a 200 MB report costs a few bytes per folded
/// character rather than eight per byte.
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    segments: Vec<Segment>,
    norm_len: usize,
    orig_len: usize,
}

impl OffsetMap {
    /// The identity map of a text of `len` bytes.
    pub fn identity(len: usize) -> OffsetMap {
        let mut map = OffsetMap::default();
        map.push(len, len);
        map
    }

    /// Appends `norm_len` normalized bytes made from the next `orig_len` original bytes.
    pub fn push(&mut self, orig_len: usize, norm_len: usize) {
        let seg = Segment {
            norm: self.norm_len,
            orig: self.orig_len,
            norm_len,
            orig_len,
        };
        self.norm_len += norm_len;
        self.orig_len += orig_len;
        if let Some(last) = self.segments.last_mut() {
            let linear = |s: &Segment| s.norm_len == s.orig_len;
            if linear(last) && linear(&seg) {
                last.norm_len += norm_len;
                last.orig_len += orig_len;
                return;
            }
        }
        if norm_len == 0 && orig_len == 0 {
            return;
        }
        self.segments.push(seg);
    }

    /// Empties the map, keeping its allocation.
    pub fn clear(&mut self) {
        self.segments.clear();
        self.norm_len = 0;
        self.orig_len = 0;
    }

    /// Whether every normalized offset is the same original offset (nothing was changed or
    /// skipped): callers may then use normalized ranges on the original as they are.
    pub fn is_identity(&self) -> bool {
        self.norm_len == self.orig_len
            && self.segments.iter().all(|s| {
                s.norm_len == 0 && s.orig_len == 0 || s.norm == s.orig && s.norm_len == s.orig_len
            })
    }

    /// Length of the normalized text this map describes.
    pub fn normalized_len(&self) -> usize {
        self.norm_len
    }

    /// Length of the original text covered so far.
    pub fn original_len(&self) -> usize {
        self.orig_len
    }

    /// The non-empty runs of the map as `(normalized range, original range)` pairs, in order.
    pub fn pieces(&self) -> impl Iterator<Item = (Range<usize>, Range<usize>)> + '_ {
        self.segments
            .iter()
            .filter(|s| s.norm_len > 0)
            .map(|s| (s.norm..s.norm + s.norm_len, s.orig..s.orig + s.orig_len))
    }

    fn segment_at(&self, pos: usize) -> Option<&Segment> {
        // Last segment starting at or before `pos` that is not empty on the normalized side
        // (dropped bytes have norm_len 0 and must not capture the position).
        let idx = self.segments.partition_point(|s| s.norm <= pos);
        self.segments[..idx].iter().rev().find(|s| s.norm_len > 0)
    }

    /// Original offset of a normalized *start* offset.
    pub fn to_original_start(&self, pos: usize) -> usize {
        if pos >= self.norm_len {
            return self.orig_len;
        }
        start_in(self.segment_at(pos), pos)
    }

    /// Original offset of a normalized *end* offset (exclusive).
    pub fn to_original_end(&self, pos: usize) -> usize {
        if pos == 0 {
            return 0;
        }
        // The end belongs to the segment holding byte pos-1.
        end_in(self.segment_at(pos - 1), pos)
    }

    /// Original byte range of a normalized byte range.
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        self.to_original_start(range.start)..self.to_original_end(range.end)
    }

    /// A cursor answering [`OffsetMap::to_original_start`] and [`OffsetMap::to_original_end`]
    /// for offsets that mostly grow: each answer walks on from the previous one instead of
    /// searching the whole map, so mapping every character of a paragraph in order costs
    /// linear time rather than a binary search per character. Answers are the map's own.
    pub fn cursor(&self) -> OffsetCursor<'_> {
        OffsetCursor {
            map: self,
            next: 0,
            found: None,
        }
    }

    /// A cursor placed, by one binary search, for offsets from `pos` on: the cursor to walk
    /// one paragraph of a long report without first walking every run before it. Asked for
    /// an offset before `pos`, it starts again from the beginning (answers stay the map's).
    pub fn cursor_from(&self, pos: usize) -> OffsetCursor<'_> {
        let next = self.segments.partition_point(|s| s.norm <= pos);
        let found = self.segments[..next].iter().rposition(|s| s.norm_len > 0);
        OffsetCursor {
            map: self,
            next,
            found,
        }
    }
}

/// Walks an [`OffsetMap`] forwards; see [`OffsetMap::cursor`].
#[derive(Clone, Debug)]
pub struct OffsetCursor<'a> {
    map: &'a OffsetMap,
    /// Segments before this index start at or before the last position asked for.
    next: usize,
    /// The last of those segments that is not empty on the normalized side.
    found: Option<usize>,
}

impl OffsetCursor<'_> {
    /// The segment [`OffsetMap::segment_at`] finds for `pos`.
    fn segment_at(&mut self, pos: usize) -> Option<&Segment> {
        let segments = &self.map.segments;
        // Going backwards (rare): start again from the beginning.
        if self.next > 0 && segments[self.next - 1].norm > pos {
            self.next = 0;
            self.found = None;
        }
        while let Some(s) = segments.get(self.next) {
            if s.norm > pos {
                break;
            }
            if s.norm_len > 0 {
                self.found = Some(self.next);
            }
            self.next += 1;
        }
        self.found.map(|i| &segments[i])
    }

    /// As [`OffsetMap::to_original_start`].
    pub fn to_original_start(&mut self, pos: usize) -> usize {
        let (norm_len, orig_len) = (self.map.norm_len, self.map.orig_len);
        if pos >= norm_len {
            return orig_len;
        }
        start_in(self.segment_at(pos), pos)
    }

    /// When `pos` lies inside a run copied byte for byte (equal lengths on both sides), the
    /// end of that run (normalized offset, exclusive): every offset from `pos` up to it maps
    /// to the original by the same shift, as a start and, past `pos`, as an end.
    pub fn linear_run_end(&mut self, pos: usize) -> Option<usize> {
        if pos >= self.map.norm_len {
            return None;
        }
        let s = *self.segment_at(pos)?;
        let end = s.norm + s.norm_len;
        (s.norm_len == s.orig_len && pos < end).then_some(end)
    }

    /// As [`OffsetMap::to_original_end`].
    pub fn to_original_end(&mut self, pos: usize) -> usize {
        if pos == 0 {
            return 0;
        }
        end_in(self.segment_at(pos - 1), pos)
    }
}

/// The original offset of normalized start offset `pos` inside segment `s` (the one holding
/// `pos`): shifted inside a run copied byte for byte, else the start of the segment's original
/// when `pos` is its first byte and its end otherwise.
fn start_in(s: Option<&Segment>, pos: usize) -> usize {
    match s {
        None => 0,
        Some(s) if s.norm_len == s.orig_len => s.orig + (pos - s.norm),
        Some(s) if pos == s.norm => s.orig,
        Some(s) => s.orig + s.orig_len,
    }
}

/// The original offset of normalized end offset `pos` (exclusive), `s` being the segment that
/// holds byte `pos - 1`.
fn end_in(s: Option<&Segment>, pos: usize) -> usize {
    match s {
        None => 0,
        Some(s) if s.norm_len == s.orig_len => s.orig + (pos - s.norm),
        Some(s) => s.orig + s.orig_len,
    }
}

/// A normalized text with its map back to the original and the script it was detected in.
#[derive(Clone, Debug, Default)]
pub struct NormalizedText {
    /// The canonical text: Simplified, half-width digits, Chinese punctuation.
    pub text: String,
    /// Normalized byte offset → original byte offset.
    pub map: OffsetMap,
    /// Script of the original.
    pub script: Script,
}

/// Folds script, width and punctuation. Built once; cheap to share between threads.
#[derive(Clone, Debug)]
pub struct Normalizer {
    /// The t2s patterns, searched only *anchored* at a character that starts one of them.
    t2s: AhoCorasick,
    t2s_to: Vec<String>,
    /// One bit per Basic Multilingual Plane character: set when some t2s pattern starts with
    /// it. Most characters of a Simplified report have it clear, so the scan skips them with
    /// one bit test instead of stepping an automaton through every byte. Characters beyond
    /// the BMP (rare) are always tried.
    starts: Box<[u64; 1024]>,
    /// The characters the scan must stop at, as one bitset over the BMP: t2s starts plus
    /// every character width or punctuation folding may change ([`may_fold`]).
    special: Box<[u64; 1024]>,
}

impl Normalizer {
    /// The normalizer with the embedded OpenCC tables.
    pub fn new() -> Result<Normalizer> {
        Normalizer::from_tables(
            ("dictionaries/opencc/TSCharacters.txt", TS_CHARACTERS),
            ("dictionaries/opencc/TSPhrases.txt", TS_PHRASES),
        )
    }

    /// A normalizer from OpenCC-format tables (`from<TAB>to[ alternative…]` per line), each
    /// given as `(name for error messages, contents)`.
    pub fn from_tables(chars: (&str, &str), phrases: (&str, &str)) -> Result<Normalizer> {
        let mut from = Vec::new();
        let mut to = Vec::new();
        let mut starts = Box::new([0u64; 1024]);
        for (name, contents) in [chars, phrases] {
            for (i, line) in contents.lines().enumerate() {
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let mut cols = line.split('\t');
                let (Some(f), Some(t)) = (cols.next(), cols.next()) else {
                    return Err(Error::Dictionary {
                        file: name.to_string(),
                        line: i + 1,
                        message: "expected `traditional<TAB>simplified`".into(),
                    });
                };
                // OpenCC lists alternatives after the preferred form; take the preferred one.
                let t = t.split(' ').next().unwrap_or(t);
                if f.is_empty() || t.is_empty() {
                    return Err(Error::Dictionary {
                        file: name.to_string(),
                        line: i + 1,
                        message: "empty entry".into(),
                    });
                }
                if f != t {
                    if let Some(c) = f.chars().next().map(u32::from).filter(|&c| c <= 0xFFFF) {
                        starts[c as usize / 64] |= 1 << (c % 64);
                    }
                    from.push(f.to_string());
                    to.push(t.to_string());
                }
            }
        }
        // A DFA: it runs at every candidate character of every report, and its patterns are
        // short, so the larger table buys speed. Anchored only: the scan finds where a match
        // may start (see `starts`).
        let t2s = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .start_kind(StartKind::Anchored)
            .build(&from)
            .map_err(|e| Error::Dictionary {
                file: "dictionaries/opencc".into(),
                line: 0,
                message: e.to_string(),
            })?;
        let mut special = starts.clone();
        for c in FOLDED.iter().flat_map(|r| r.clone()) {
            let c = u32::from(c);
            special[c as usize / 64] |= 1 << (c % 64);
        }
        Ok(Normalizer {
            t2s,
            t2s_to: to,
            starts,
            special,
        })
    }

    /// Whether a t2s pattern may start with the character `c` (always true beyond the BMP).
    #[inline]
    fn may_start(&self, c: u32) -> bool {
        c > 0xFFFF || self.starts[c as usize / 64] & (1 << (c % 64)) != 0
    }

    /// Normalizes `original`, keeping a map back to it.
    pub fn normalize(&self, original: &str) -> NormalizedText {
        self.normalize_from(original, 0)
    }

    /// Normalizes `original[start..]` (a report body after its header block); the map still
    /// answers with offsets into the whole `original`.
    pub fn normalize_from(&self, original: &str, start: usize) -> NormalizedText {
        let mut out = NormalizedText {
            text: String::with_capacity(original.len() - start),
            map: OffsetMap::default(),
            script: Script::Unknown,
        };
        self.normalize_into(original, start, &mut out);
        out
    }

    /// As [`Normalizer::normalize_from`], into `out`, whose buffers are reused: a caller
    /// normalizing many small pieces (the `segment` command, line by line) allocates once.
    pub fn normalize_into(&self, original: &str, start: usize, out: &mut NormalizedText) {
        out.text.clear();
        out.map.clear();
        out.map.push(start, 0);
        let counts = self.fold(original, start, out);
        out.script = counts.script();
    }

    /// The single pass over `full[start..]`: t2s conversion where a pattern matches, width
    /// and punctuation folding elsewhere, unchanged stretches copied as runs (one copy and
    /// one map entry per run, not per character: most of a report is unchanged).
    //
    // Long because it is the hot loop of the whole pipeline, kept in one piece so the
    // per-character fast path stays a tight loop with its state in registers.
    fn fold(&self, full: &str, start: usize, out: &mut NormalizedText) -> HanCounts {
        let bytes = full.as_bytes();
        let mut counts = HanCounts::default();
        let mut copy_from = start;
        let mut next = start;
        while next < bytes.len() {
            // Fast paths: decode a BMP character by hand and test one bit; most characters
            // (Simplified Han, ASCII letters and digits, Chinese punctuation) are not
            // special and pass unchanged, counted as Han or not.
            let b = bytes[next];
            match b {
                0x00..=0x7F if self.special[usize::from(b) / 64] & (1 << (b % 64)) == 0 => {
                    next += 1;
                    continue;
                }
                0x00..=0x7F => {}
                // U+5000..U+9FFF: all Han, and never folded; only a t2s start is special.
                0xE5..=0xE9 => {
                    let c = (u32::from(b & 0x0F) << 12)
                        | (u32::from(bytes[next + 1] & 0x3F) << 6)
                        | u32::from(bytes[next + 2] & 0x3F);
                    if self.special[c as usize / 64] & (1 << (c % 64)) == 0 {
                        counts.han += 1;
                        next += 3;
                        continue;
                    }
                }
                0xC0..=0xEF => {
                    let (c, width) = if b < 0xE0 {
                        (
                            (u32::from(b & 0x1F) << 6) | u32::from(bytes[next + 1] & 0x3F),
                            2,
                        )
                    } else {
                        (
                            (u32::from(b & 0x0F) << 12)
                                | (u32::from(bytes[next + 1] & 0x3F) << 6)
                                | u32::from(bytes[next + 2] & 0x3F),
                            3,
                        )
                    };
                    if self.special[c as usize / 64] & (1 << (c % 64)) == 0 {
                        if matches!(c, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF) {
                            counts.han += 1;
                        }
                        next += width;
                        continue;
                    }
                }
                // Beyond the BMP: the slow path.
                _ => {}
            }
            let i = next;
            let Some(c) = full[i..].chars().next() else {
                break;
            };
            if self.may_start(u32::from(c))
                && let Some(m) = self
                    .t2s
                    .find(Input::new(full).range(i..).anchored(Anchored::Yes))
            {
                copy(out, &full[copy_from..i]);
                self.convert(&full[i..m.end()], m.pattern().as_usize(), out, &mut counts);
                next = m.end();
                copy_from = next;
                continue;
            }
            next += c.len_utf8();
            if is_han(c) {
                counts.han += 1;
                continue;
            }
            let folded = match c {
                '\r' => None,
                '\u{3000}' => Some(' '),
                // Full-width ASCII block: letters and digits to ASCII; punctuation there is
                // handled below through its ASCII form.
                '\u{FF01}'..='\u{FF5E}' => {
                    let ascii = char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c);
                    if ascii.is_ascii_alphanumeric() || ascii == '.' || ascii == '%' {
                        Some(ascii)
                    } else {
                        Some(fold_punct(ascii, full, i, c.len_utf8()).unwrap_or(c))
                    }
                }
                ',' | ':' | ';' | '(' | ')' | '!' | '?' => match fold_punct(c, full, i, 1) {
                    Some(f) => Some(f),
                    None => continue,
                },
                '「' => Some('“'),
                '」' => Some('”'),
                '『' => Some('‘'),
                '』' => Some('’'),
                '﹑' => Some('、'),
                _ => continue,
            };
            copy(out, &full[copy_from..i]);
            copy_from = next;
            match folded {
                Some(f) => push_char(out, f, c.len_utf8()),
                None => out.map.push(c.len_utf8(), 0),
            }
        }
        copy(out, &full[copy_from..]);
        counts
    }

    /// Writes the t2s conversion of `from` (a match of pattern `pattern`) to `out`.
    fn convert(
        &self,
        from: &str,
        pattern: usize,
        out: &mut NormalizedText,
        counts: &mut HanCounts,
    ) {
        let to = &self.t2s_to[pattern];
        let from_chars = from.chars().count();
        counts.han += from_chars;
        counts.converted += from
            .chars()
            .zip(to.chars())
            .filter(|(a, b)| a != b)
            .count()
            .max(1);
        if from_chars == to.chars().count() {
            // Character for character: keep per-character offsets exact.
            for (a, b) in from.chars().zip(to.chars()) {
                push_char(out, b, a.len_utf8());
            }
        } else {
            out.text.push_str(to);
            out.map.push(from.len(), to.len());
        }
    }

    /// Normalizes a short string (a query, a dictionary entry) without keeping the map.
    pub fn normalize_str(&self, s: &str) -> String {
        self.normalize(s).text
    }
}

/// Han characters seen and t2s-converted: what [`Script`] is judged by.
#[derive(Clone, Copy, Debug, Default)]
struct HanCounts {
    han: usize,
    converted: usize,
}

impl HanCounts {
    fn script(self) -> Script {
        if self.han == 0 {
            return Script::Unknown;
        }
        let ratio = self.converted as f64 / self.han as f64;
        if ratio < 0.01 {
            Script::Simplified
        } else if ratio > 0.05 {
            Script::Traditional
        } else {
            Script::Mixed
        }
    }
}

fn push_char(out: &mut NormalizedText, c: char, orig_len: usize) {
    out.text.push(c);
    out.map.push(orig_len, c.len_utf8());
}

fn copy(out: &mut NormalizedText, s: &str) {
    if !s.is_empty() {
        out.text.push_str(s);
        out.map.push(s.len(), s.len());
    }
}

/// The characters width or punctuation folding may change (depending on their neighbours):
/// those [`Normalizer`]'s scan leaves its fast path for. Must list every character the folding
/// `match` in the scan may change. Full-width punctuation other than `．` and `％` is not here:
/// the folding always gives it back as it is (`，` is already the canonical comma).
const FOLDED: &[std::ops::RangeInclusive<char>] = &[
    '\r'..='\r',
    '!'..='!',
    '('..=')',
    ','..=',',
    ':'..=';',
    '?'..='?',
    '\u{3000}'..='\u{3000}',
    '「'..='』',
    '﹑'..='﹑',
    '％'..='％',
    '．'..='．',
    '０'..='９',
    'Ａ'..='Ｚ',
    'ａ'..='ｚ',
];

/// Whether `c` is in [`FOLDED`].
#[cfg(test)]
fn may_fold(c: char) -> bool {
    FOLDED.iter().any(|r| r.contains(&c))
}

/// The canonical form of a punctuation mark at `at` in `full`, or `None` to keep it.
///
/// ASCII punctuation stays ASCII between ASCII letters/digits (`1,000`, `10:49`, `http://`),
/// which is where it is not Chinese punctuation at all.
fn fold_punct(ascii: char, full: &str, at: usize, len: usize) -> Option<char> {
    let prev = full[..at].chars().next_back();
    let next = full[at + len..].chars().next();
    let asciiish = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let full_width = match ascii {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '(' => '（',
        ')' => '）',
        '!' => '！',
        '?' => '？',
        _ => return None,
    };
    let inside_ascii = match ascii {
        ',' | ';' => asciiish(prev) && asciiish(next),
        ':' => asciiish(prev) && (asciiish(next) || next == Some('/')),
        _ => false,
    };
    if inside_ascii { None } else { Some(full_width) }
}

/// Whether `c` is a CJK unified ideograph (the characters whose script we count).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2A6DF}' | '\u{F900}'..='\u{FAFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> NormalizedText {
        Normalizer::new()
            .expect("embedded tables load")
            .normalize(s)
    }

    #[test]
    fn cursor_answers_as_the_map_does() {
        // Folded punctuation, dropped CRs, t2s phrases, full-width digits: every kind of run.
        let n = norm("  遵循“公開是原則,不公開是例外”\r\n２０１８年(一)\r\r\n\n資訊公開 APP");
        let len = n.map.normalized_len();
        // One cursor for starts and one for ends answer every position as the map does.
        let check = |starts: &mut OffsetCursor<'_>, ends: &mut OffsetCursor<'_>, pos, at: &str| {
            assert_eq!(
                starts.to_original_start(pos),
                n.map.to_original_start(pos),
                "{at}start {pos}"
            );
            assert_eq!(
                ends.to_original_end(pos),
                n.map.to_original_end(pos),
                "{at}end {pos}"
            );
        };
        let (mut starts, mut ends) = (n.map.cursor(), n.map.cursor());
        for pos in 0..=len + 1 {
            check(&mut starts, &mut ends, pos, "");
        }
        // Placed anywhere, a cursor answers as the map does, before and after its place.
        for from in 0..=len + 1 {
            let (mut starts, mut ends) = (n.map.cursor_from(from), n.map.cursor_from(from));
            for pos in (from.saturating_sub(2)..=len + 1).chain([0, from]) {
                check(&mut starts, &mut ends, pos, &format!("from {from} "));
            }
        }
        // Backwards and jumping about still answer as the map does.
        let mut c = n.map.cursor();
        for pos in (0..=len).rev().chain([3, 0, len, 7, 5]) {
            assert_eq!(
                c.to_original_start(pos),
                n.map.to_original_start(pos),
                "start {pos}"
            );
            assert_eq!(
                c.to_original_end(pos),
                n.map.to_original_end(pos),
                "end {pos}"
            );
        }
    }

    #[test]
    fn traditional_to_simplified_plain_not_taiwan() {
        let n = norm("遵循“公開是原則，不公開是例外”，省檔案館");
        assert_eq!(n.text, "遵循“公开是原则，不公开是例外”，省档案馆");
    }

    #[test]
    fn width_and_punctuation_folding() {
        let cases = [
            ("２０１８年", "2018年"),
            ("公开为原则,不公开为例外", "公开为原则，不公开为例外"),
            ("(一)基本情况", "（一）基本情况"),
            ("1,000条", "1,000条"),
            ("10:49", "10:49"),
            ("http://www.gov.cn", "http://www.gov.cn"),
            ("主要表现在:一是", "主要表现在：一是"),
            ("「原则」", "“原则”"),
            ("a\r\nb", "a\nb"),
        ];
        for (input, want) in cases {
            assert_eq!(norm(input).text, want, "input {input:?}");
        }
    }

    #[test]
    fn offsets_point_into_original() {
        let orig = "前言\r\n公開為原則,不公開為例外。";
        let n = norm(orig);
        let start = n.text.find("公开").expect("converted");
        let end = n.text.find("例外").expect("converted") + "例外".len();
        let r = n.map.to_original(start..end);
        assert_eq!(&orig[r], "公開為原則,不公開為例外");
    }

    #[test]
    fn every_char_boundary_maps_to_a_char_boundary() {
        let orig = "Ａ（一）２０１８年,公開:http://x.cn\r\n「好」";
        let n = norm(orig);
        for (i, _) in n.text.char_indices() {
            let o = n.map.to_original_start(i);
            assert!(orig.is_char_boundary(o), "start {i} -> {o}");
            let e = n.map.to_original_end(i);
            assert!(orig.is_char_boundary(e), "end {i} -> {e}");
        }
        assert_eq!(n.map.to_original_end(n.text.len()), orig.len());
    }

    #[test]
    fn normalization_is_idempotent() {
        let once = norm("福建省商務廳２０１７年(一)公開是原則,不公開是例外").text;
        assert_eq!(norm(&once).text, once);
    }

    #[test]
    fn characters_off_the_fast_path_list_is_complete() {
        // The scan copies every character that is neither a t2s start nor `may_fold`
        // without looking at it: check that folding really leaves all of them alone.
        let n = Normalizer::new().expect("embedded tables load");
        let mut text = String::new();
        for c in (0..=0xFFFFu32).filter_map(char::from_u32) {
            if !may_fold(c) && !n.may_start(u32::from(c)) {
                text.push('a');
                text.push(c);
                text.push('1');
            }
        }
        assert_eq!(n.normalize(&text).text, text);
    }

    #[test]
    fn script_detection() {
        assert_eq!(norm("政府信息公开工作年度报告").script, Script::Simplified);
        assert_eq!(norm("政府信息公開工作年度報告").script, Script::Traditional);
        assert_eq!(norm("2018").script, Script::Unknown);
    }
}
