//! One clause: which themes it admits or promises to address, and with what evidence.
//!
//! A sentence is cut into clauses (at ，；：。 and before `一是`-style enumerators), a clause into
//! items (at 、). In an item, a theme's problem term, or its topic with a free shortcoming cue,
//! admits the theme; an item without a cue borrows one from a neighbouring item
//! (时效性、便捷性有待提高). A remedy (解决, 针对) cancels what follows it. An enumerated clause of
//! the problems part admits its topic without a cue unless it opens with a measure verb. A topic
//! with a measure verb in a clause that admits nothing is an improvement promise.
//!
//! What it does not do: it knows nothing about the section, the sub-part or the sentence; the
//! caller ([`super::ThemeRules::classify_in`]) decides whether admissions count.

use std::ops::Range;

use super::codebook::Meaning;
use super::{Evidence, EvidenceKind, ThemeRules};
use crate::structure::is_small_numeral;

/// A matched term of a clause: what it means and its byte range in the paragraph text.
pub(super) type Term = (Meaning, Range<usize>);

/// Themes that fired, each with its evidence, in the order they first fired.
pub(super) type Fired = Vec<(usize, Vec<Evidence>)>;

impl ThemeRules {
    /// Adds the admissions of one clause to `problems` and its promises to `measures`;
    /// whether it admitted anything. `admit`: whether an enumerated item may admit its topic
    /// without a cue (the clause is in the problems part of a problems section).
    pub(super) fn classify_clause(
        &self,
        text: &str,
        clause: Range<usize>,
        mut terms: Vec<Term>,
        admit: bool,
        problems: &mut Fired,
        measures: &mut Fired,
    ) -> bool {
        // Nothing to find without a theme's term (most clauses), nor in a denied clause.
        if terms.iter().any(|(m, _)| *m == Meaning::Negation) || !terms.iter().any(is_theme_term) {
            return false;
        }
        cut_at_remedy(&self.aimed_remedies, text, clause.end, &mut terms);
        let has_measure = terms.iter().any(|(m, _)| *m == Meaning::Measure);
        let mut clause_fired = self.admit_items(text, clause.clone(), &terms, problems);
        // An enumerated item of the problems part admits its topic even without a cue
        // (`三是政策解读工作，…`), unless its first clause has a measure verb (`一是加强培训`,
        // `（二）继续完善…`): then it is a promise listed in the wrong place.
        let enumerator = enumerator_len(&text[clause.clone()]);
        if admit && !clause_fired && enumerator > 0 && !has_measure {
            let item = clause.start..clause.start + enumerator;
            clause_fired |= self.admit_enumerated(item, &terms, problems);
        }
        // A measure: topics with a measure verb in a clause that admits nothing.
        if has_measure && !clause_fired {
            self.promise(&terms, measures);
        }
        clause_fired
    }

    /// Whether a clause admits anything by its problem terms or topics with cues (nothing is
    /// recorded).
    pub(super) fn admits_by_words(&self, text: &str, clause: Range<usize>, terms: &[Term]) -> bool {
        let mut scratch: Fired = Vec::new();
        self.admit_items(text, clause, terms, &mut scratch)
    }

    /// Admissions by problem terms and by topics with a cue, item by item; whether any fired.
    fn admit_items(
        &self,
        text: &str,
        clause: Range<usize>,
        terms: &[Term],
        problems: &mut Fired,
    ) -> bool {
        // A problem term admits alone and a topic only with a cue: without either, nothing
        // (a clause of topics and measure verbs, most of a measures part).
        if !terms
            .iter()
            .any(|(m, _)| matches!(m, Meaning::Problem(_) | Meaning::Cue))
        {
            return false;
        }
        let items = items(text, clause);
        // Cues of each item; an item without one borrows the cue of the next item that has
        // one (时效性、便捷性有待提高), else of the one before (未能全面、及时公开).
        let item_cues: Vec<Vec<Range<usize>>> = items
            .iter()
            .map(|r| {
                terms
                    .iter()
                    .filter(|(m, t)| *m == Meaning::Cue && t.start >= r.start && t.end <= r.end)
                    .map(|(_, t)| t.clone())
                    .collect()
            })
            .collect();
        let mut clause_fired = false;
        for (ii, item) in items.iter().enumerate() {
            let in_item = |t: &Range<usize>| t.start >= item.start && t.end <= item.end;
            let cues: &[Range<usize>] = if item_cues[ii].is_empty() {
                item_cues[ii + 1..]
                    .iter()
                    .find(|c| !c.is_empty())
                    .or_else(|| item_cues[..ii].iter().rev().find(|c| !c.is_empty()))
                    .map_or(&[], Vec::as_slice)
            } else {
                &item_cues[ii]
            };
            let mut fired: Fired = Vec::new();
            for (meaning, r) in terms.iter().filter(|(_, r)| in_item(r)) {
                match meaning {
                    Meaning::Problem(t) => {
                        push_evidence(&mut fired, *t, EvidenceKind::ProblemTerm, r.clone());
                    }
                    Meaning::Topic(t) => {
                        // A cue inside the topic term itself does not count.
                        let free = cues.iter().filter(|c| c.end <= r.start || c.start >= r.end);
                        if free.clone().next().is_none() {
                            continue;
                        }
                        push_evidence(&mut fired, *t, EvidenceKind::Topic, r.clone());
                        for c in free {
                            push_evidence(&mut fired, *t, EvidenceKind::Cue, c.clone());
                        }
                    }
                    _ => {}
                }
            }
            self.drop_yielding(&mut fired);
            clause_fired |= !fired.is_empty();
            merge(problems, fired);
        }
        clause_fired
    }

    /// The topics of an enumerated item admitted without a cue, the enumerator (`item`) as
    /// evidence; whether any fired.
    fn admit_enumerated(&self, item: Range<usize>, terms: &[Term], problems: &mut Fired) -> bool {
        let mut fired = topics(terms);
        self.drop_yielding(&mut fired);
        let themes: Vec<usize> = fired.iter().map(|(t, _)| *t).collect();
        merge(problems, fired);
        for &t in &themes {
            push_evidence(problems, t, EvidenceKind::Item, item.clone());
        }
        !themes.is_empty()
    }

    /// The clause's topics as improvement promises, its measure verbs as evidence.
    fn promise(&self, terms: &[Term], measures: &mut Fired) {
        let mut measured = topics(terms);
        self.drop_yielding(&mut measured);
        for (_, ev) in &mut measured {
            ev.extend(
                terms
                    .iter()
                    .filter(|(m, _)| *m == Meaning::Measure)
                    .map(|(_, r)| Evidence {
                        kind: EvidenceKind::Measure,
                        range: r.clone(),
                    }),
            );
        }
        merge(measures, measured);
    }

    /// Drops the themes that yield to another theme that fired in the same item.
    fn drop_yielding(&self, fired: &mut Fired) {
        let ids: Vec<usize> = fired.iter().map(|(t, _)| *t).collect();
        fired.retain(|(t, _)| !self.yields_to[*t].iter().any(|y| ids.contains(y)));
    }
}

/// Whether a term is a theme's (problem term or topic), not a cue.
pub(super) fn is_theme_term((meaning, _): &Term) -> bool {
    matches!(meaning, Meaning::Problem(_) | Meaning::Topic(_))
}

/// A remedy cancels what follows it: `解决…薄弱环节` admits nothing, `…有待今后加以解决` still
/// admits what came before. A remedy word inside a theme's term is no remedy (针对 in 针对性:
/// `回应关切的针对性还需增强` admits), nor is 针对 meaning "aimed at" (`针对社会热点的解读仍需
/// 提高`): it is a remedy when the rest of its clause names what is remedied (问题, 不足 …) or
/// is a fronted adverbial ending in a comma (`针对网站栏目单一，增设专栏`).
fn cut_at_remedy(aimed: &AimedRemedies, text: &str, clause_end: usize, terms: &mut Vec<Term>) {
    let in_theme_term = |m: &Range<usize>| {
        terms.iter().any(|term| {
            let t = &term.1;
            is_theme_term(term) && t.start <= m.start && m.end <= t.end && t.len() > m.len()
        })
    };
    let aimed_at = |m: &Range<usize>| {
        let rest = text[m.end..clause_end].trim_end();
        aimed.words.iter().any(|w| text[m.clone()] == *w)
            && !aimed.remedied.iter().any(|w| rest.contains(w.as_str()))
            && !rest.ends_with(['，', ','])
    };
    if let Some(cut) = terms
        .iter()
        .filter(|(m, r)| *m == Meaning::Remedy && !in_theme_term(r) && !aimed_at(r))
        .map(|(_, r)| r.start)
        .min()
    {
        terms.retain(|(_, r)| r.end <= cut);
    }
}

/// Remedy words that may instead mean "aimed at" (针对), and what the rest of the clause names
/// when such a word means "to remedy" (针对…的问题, 针对上述不足): `[cues]` `aimed_remedy` and
/// `remedied` of the codebook.
#[derive(Clone, Debug, Default)]
pub(super) struct AimedRemedies {
    pub(super) words: Vec<String>,
    pub(super) remedied: Vec<String>,
}

/// Every topic of the clause, as evidence of its theme.
fn topics(terms: &[Term]) -> Fired {
    let mut fired: Fired = Vec::new();
    for (meaning, r) in terms {
        if let Meaning::Topic(t) = meaning {
            push_evidence(&mut fired, *t, EvidenceKind::Topic, r.clone());
        }
    }
    fired
}

/// Adds every theme and piece of evidence of `from` to `to`.
fn merge(to: &mut Fired, from: Fired) {
    for (t, ev) in from {
        match to.iter_mut().find(|(x, _)| *x == t) {
            Some((_, v)) => v.extend(ev),
            None => to.push((t, ev)),
        }
    }
}

fn push_evidence(fired: &mut Fired, theme: usize, kind: EvidenceKind, range: Range<usize>) {
    push(fired, theme, Evidence { kind, range });
}

/// Ordinal words that open an item by themselves (`首先，`).
const ORDINAL_WORDS: [&str; 3] = ["首先", "其次", "再次"];
/// Characters that open an ordinal with a numeral after them (`第二，`, `其三、`).
const ORDINAL_PREFIXES: [char; 2] = ['第', '其'];

/// Byte length of the enumerator an item opens with (`一是`, `2、`, `（三）`, `(1)`, `二、`,
/// `1.`, `①`, `第一，`, `其二，`, `首先，`), 0 when there is none.
pub(super) fn enumerator_len(s: &str) -> usize {
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let mut chars = t.char_indices();
    let Some((_, c)) = chars.next() else {
        return 0;
    };
    let numeral = |c: char| is_small_numeral(c) || c == '十';
    if ('①'..='⑳').contains(&c) {
        return lead + c.len_utf8();
    }
    // Every other enumerator opens with one of these (most clauses open with none).
    let may_open = ORDINAL_WORDS.iter().any(|w| w.starts_with(c))
        || ORDINAL_PREFIXES.contains(&c)
        || matches!(c, '（' | '(')
        || numeral(c)
        || c.is_ascii_digit();
    if !may_open {
        return 0;
    }
    // Ordinals: 第一，/ 其二、/ 首先，/ 其次， (the punctuation or 是 after them is part of it).
    let ordinal = ORDINAL_WORDS
        .iter()
        .find(|w| t.starts_with(**w))
        .map(|w| w.len())
        .or_else(|| {
            let rest = ORDINAL_PREFIXES.iter().find_map(|p| t.strip_prefix(*p))?;
            let n: usize = rest
                .chars()
                .take_while(|d| numeral(*d))
                .map(char::len_utf8)
                .sum();
            (n > 0).then(|| t.len() - rest.len() + n)
        });
    if let Some(n) = ordinal {
        return match t[n..].chars().next() {
            Some(d @ ('，' | ',' | '、' | '是')) => lead + n + d.len_utf8(),
            _ => 0,
        };
    }
    if matches!(c, '（' | '(') {
        let mut end = None;
        for (i, d) in chars.by_ref() {
            if matches!(d, '）' | ')') {
                end = Some(i + d.len_utf8());
                break;
            }
            if !(numeral(d) || d.is_ascii_digit()) || i > 8 {
                break;
            }
        }
        return end
            .filter(|e| *e > c.len_utf8() + 1)
            .map_or(0, |e| lead + e);
    }
    if !(numeral(c) || c.is_ascii_digit()) {
        return 0;
    }
    for (i, d) in chars {
        if numeral(d) || d.is_ascii_digit() {
            continue;
        }
        let digits = c.is_ascii_digit();
        let next_is_digit = t[i + d.len_utf8()..].starts_with(|n: char| n.is_ascii_digit());
        return match d {
            '是' if !digits => lead + i + d.len_utf8(),
            '、' => lead + i + d.len_utf8(),
            '.' | '．' if digits && !next_is_digit => lead + i + d.len_utf8(),
            _ => 0,
        };
    }
    0
}

/// Items of a clause: cut at 、.
fn items(text: &str, clause: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = clause.start;
    for (i, c) in text[clause.clone()].char_indices() {
        if c == '、' {
            out.push(start..clause.start + i);
            start = clause.start + i + c.len_utf8();
        }
    }
    out.push(start..clause.end);
    out
}

fn push(fired: &mut Fired, theme: usize, e: Evidence) {
    match fired.iter_mut().find(|(t, _)| *t == theme) {
        Some((_, v)) => v.push(e),
        None => fired.push((theme, vec![e])),
    }
}

pub(super) fn dedup(mut v: Vec<Evidence>) -> Vec<Evidence> {
    v.sort_by_key(|e| (e.range.start, e.range.end));
    v.dedup_by(|a, b| a.range == b.range);
    v
}

/// Clauses of a sentence: cut after ，；：。！？ and before enumerators (一是, 二是 …).
pub(super) fn clauses(text: &str, sentence: Range<usize>) -> Vec<Range<usize>> {
    let mut out = ClauseMerger::default();
    let mut start = 0;
    let at = sentence.start;
    for_each_boundary(&text[sentence.clone()], |b| {
        match b {
            Boundary::After(end) => {
                out.add(text, at + start..at + end);
                start = end;
            }
            Boundary::Before(i) if i > start => {
                out.add(text, at + start..at + i);
                start = i;
            }
            Boundary::Before(_) => {}
        }
        true
    });
    if at + start < sentence.end {
        out.add(text, at + start..sentence.end);
    }
    out.finish(sentence.end)
}

/// Where a sentence's clause cut acts, as a byte offset in the sentence.
#[derive(Clone, Copy)]
enum Boundary {
    /// Just after a cut character (，；：。！？ , ;).
    After(usize),
    /// At a numeral followed by 是 (`二是`): an enumerator opens here.
    Before(usize),
}

/// The clause-cut characters.
const CUT_CHARS: [char; 8] = ['，', '；', '：', '。', '！', '？', ',', ';'];

/// Calls `visit` with every [`Boundary`] of `s`, in order, until it returns false.
//
// It runs over every sentence that holds a theme's term, so it reads bytes: every cut
// character is three bytes long or ASCII, and only a three-byte character followed by 是 can be
// an enumerator's numeral. A test checks [`clauses`] against the character-by-character reading.
fn for_each_boundary(s: &str, mut visit: impl FnMut(Boundary) -> bool) {
    const SHI: &[u8] = "是".as_bytes();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        let len = utf8_len(x);
        let boundary = if x < 0x80 {
            CUT_CHARS
                .contains(&char::from(x))
                .then_some(Boundary::After(i + 1))
        } else if len == 3 && i + 3 <= b.len() && may_cut(x, &b[i + 3..]) {
            match char3(&b[i..i + 3]) {
                Some(c) if CUT_CHARS.contains(&c) => Some(Boundary::After(i + 3)),
                Some(c) if is_small_numeral(c) && b[i + 3..].starts_with(SHI) => {
                    Some(Boundary::Before(i))
                }
                _ => None,
            }
        } else {
            None
        };
        if let Some(boundary) = boundary
            && !visit(boundary)
        {
            return;
        }
        i += len;
    }
}

/// Collects the clauses cut from a sentence, in order: drops blank ones, and joins an
/// enumerator cut off by its own comma (`第二，`, `首先，`) to the clause after it.
#[derive(Default)]
struct ClauseMerger {
    merged: Vec<Range<usize>>,
    /// Start of an enumerator-only clause waiting for the clause after it.
    open: Option<usize>,
}

impl ClauseMerger {
    fn add(&mut self, text: &str, r: Range<usize>) {
        let t = text[r.clone()].trim_end();
        if t.trim_start().is_empty() {
            return;
        }
        let start = self.open.take().unwrap_or(r.start);
        if enumerator_len(t) == t.len() {
            self.open = Some(start);
        } else {
            self.merged.push(start..r.end);
        }
    }

    fn finish(mut self, sentence_end: usize) -> Vec<Range<usize>> {
        if let Some(start) = self.open {
            self.merged.push(start..sentence_end);
        }
        self.merged
    }
}

/// Whether some clause of the sentence opens with an enumerator: `clauses(text, sentence)` has
/// one for which [`enumerator_len`] is not 0, found without building the clauses. A numeral
/// before 是 always opens a clause; otherwise clauses open at the sentence start and after a cut
/// character, and an enumerator never reaches past the cut character that ends its clause.
pub(super) fn has_enumerated_clause(text: &str, sentence: Range<usize>) -> bool {
    let s = &text[sentence];
    let mut found = enumerator_len(s) > 0;
    if !found {
        for_each_boundary(s, |b| {
            found = match b {
                Boundary::Before(_) => true,
                Boundary::After(end) => enumerator_len(&s[end..]) > 0,
            };
            !found
        });
    }
    found
}

/// Whether the three-byte character with lead byte `lead`, followed by `rest`, may be a cut
/// character (，；：！？ open with 0xEF, 。 with 0xE3) or a numeral before 是 (一 … 十 open with
/// 0xE4 or 0xE5): a cheap test that spares decoding most characters.
fn may_cut(lead: u8, rest: &[u8]) -> bool {
    lead == 0xEF
        || lead == 0xE3
        || (matches!(lead, 0xE4 | 0xE5) && rest.starts_with("是".as_bytes()))
}

/// The character of three UTF-8 bytes (a lead byte and two continuation bytes, as in a `str`).
fn char3(b: &[u8]) -> Option<char> {
    char::from_u32(
        (u32::from(b[0] & 0x0F) << 12) | (u32::from(b[1] & 0x3F) << 6) | u32::from(b[2] & 0x3F),
    )
}

/// Byte length of the UTF-8 character a lead byte opens.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The clause cut read character by character: what [`clauses`] must equal.
    fn clauses_by_chars(text: &str, sentence: Range<usize>) -> Vec<Range<usize>> {
        let s = &text[sentence.clone()];
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in s.char_indices() {
            let cut_after = matches!(c, '，' | '；' | '：' | '。' | '！' | '？' | ',' | ';');
            let enumerator =
                is_small_numeral(c) && s[i + c.len_utf8()..].starts_with('是') && i > start;
            if enumerator {
                out.push(sentence.start + start..sentence.start + i);
                start = i;
            }
            if cut_after {
                let end = i + c.len_utf8();
                out.push(sentence.start + start..sentence.start + end);
                start = end;
            }
        }
        if start < s.len() {
            out.push(sentence.start + start..sentence.end);
        }
        // Blank clauses dropped, then an enumerator-only clause joined to the next one.
        out.retain(|r| !text[r.clone()].trim().is_empty());
        let mut merged: Vec<Range<usize>> = Vec::new();
        let mut open: Option<usize> = None;
        for r in out {
            let start = open.take().unwrap_or(r.start);
            let t = text[r.clone()].trim_end();
            if enumerator_len(t) == t.len() {
                open = Some(start);
            } else {
                merged.push(start..r.end);
            }
        }
        if let Some(start) = open {
            merged.push(start..sentence.end);
        }
        merged
    }

    #[test]
    fn the_lead_byte_test_lets_every_cut_and_numeral_through() {
        let shi = "是".as_bytes();
        for c in CUT_CHARS
            .into_iter()
            .filter(|c| !c.is_ascii())
            .chain(('\u{4e00}'..='\u{9fff}').filter(|c| is_small_numeral(*c)))
        {
            let mut buf = [0u8; 4];
            let lead = c.encode_utf8(&mut buf).as_bytes()[0];
            assert!(may_cut(lead, shi), "{c}");
        }
        assert!(!may_cut("网".as_bytes()[0], shi));
        assert!(!may_cut("公".as_bytes()[0], "开".as_bytes()));
    }

    #[test]
    fn enumerated_clause_found_without_cutting() {
        for (t, want) in [
            ("网站内容不够丰富，更新不够及时", false),
            ("存在的问题：一是人员少", true),
            ("统一是关键", true),
            ("首先，人员少", true),
            ("人员少；（二）网站", true),
            ("人员少；(2)网站", true),
            ("人员少,2、网站", true),
            ("2019年人员少", false),
            ("人员少，第三方评估", false),
            ("人员少，其他方面", false),
            ("①人员少", true),
        ] {
            assert_eq!(has_enumerated_clause(t, 0..t.len()), want, "{t}");
        }
    }

    #[test]
    fn byte_clause_cut_equals_the_character_reading() {
        let mut texts: Vec<String> = [
            "一是人员少，二是网站困难；三是宣传不够",
            "首先，人员少；第二，网站",
            "，，一是。二是",
            "十是，九是a,b;c；d：e！f？g。",
            "前言一是二是三是",
            "有些是对的，四是五，六是",
            "𠀀一是😀，二是",
            "  一是  ，  ",
            "是",
            "",
            "人员少；（二）网站，(3)栏目；第十二，其三、首先是",
            "a,1.b;2．c，3.5万条；①②，⑳x",
            "（一二三四五六七八九十一）x，( 1)y",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for f in ["000_c11f889daaeba26c.txt", "003_843d7a1260357fac.txt"] {
            let path = format!("{}/tests/fixtures/{f}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).expect("fixture");
            texts.extend(text.split_inclusive(['。', '\n']).map(str::to_string));
        }
        assert!(texts.len() > 50, "the fixtures give sentences");
        for t in &texts {
            for start in [0, t.char_indices().nth(1).map_or(0, |(i, _)| i)] {
                let range = start..t.len();
                assert_eq!(
                    clauses(t, range.clone()),
                    clauses_by_chars(t, range.clone()),
                    "{t:?}"
                );
                let enumerated = clauses(t, range.clone())
                    .into_iter()
                    .any(|c| enumerator_len(&t[c]) > 0);
                assert_eq!(has_enumerated_clause(t, range), enumerated, "{t:?}");
            }
        }
    }
}
