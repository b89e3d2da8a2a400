//! Sentences, tables and numerals: the small text tests every other part of the stage uses.
//!
//! What it does not do: it knows no rules file; everything here is fixed by the script.

use super::*;

/// First characters of every heading marker (`一、` `第一部分` `（一）` `1.` `(1)`).
pub(super) const MARKER_STARTS: &[char] = &[
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '第', '（', '(', '0', '1', '2',
    '3', '4', '5', '6', '7', '8', '9',
];

/// Characters that cannot start a paragraph: the line break before them was a crawler's.
pub(super) const CONTINUATION: &[char] = &[
    '，', '、', '。', '：', '；', '！', '？', '）', '》', '”', '’', '％', '%', '〉', '】', '〕',
    '.', ',',
];

/// Characters that cannot end a paragraph: the line break after them was a crawler's.
pub(super) const OPENERS: &[char] = &['，', '、', '（', '《', '“', '‘', '〈', '【', '〔', '—'];

/// Punctuation that shows a paragraph is running text.
pub(super) const SENTENCE_PUNCT: &[char] = &['。', '！', '？', '；', '，'];

/// Closing marks that stay with the sentence before them.
pub(super) const CLOSERS: &[char] = &['”', '’', '）', '》', '」', '』', '〕', '】'];

/// Whether `s` ends a sentence (ignoring closing quotes and brackets).
pub(super) fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(CLOSERS)
        .ends_with(['。', '！', '？', '；', '!', '?'])
}

/// Whether a paragraph is (a piece of) a statistics table: digits and labels, little or no
/// sentence punctuation.
pub fn looks_like_table(s: &str) -> bool {
    // One pass over the characters, no buffer: this runs on every paragraph.
    let (mut chars, mut strong) = (0usize, 0usize);
    // Digit runs, and "bare" ones: not a date, count or ordinal in a sentence (`2018年`,
    // `394条`, `第711号`) but numbers standing next to labels or other numbers, as table cells do.
    let (mut runs, mut bare) = (0, 0);
    // Inside a run of digits (and dots): whether `第` came just before it.
    let mut run: Option<bool> = None;
    let mut previous = None;
    for c in s.chars() {
        chars += 1;
        if SENTENCE_PUNCT.contains(&c) {
            strong += 1;
        }
        if let Some(ordinal) = run {
            if c.is_ascii_digit() || c == '.' {
                previous = Some(c);
                continue;
            }
            run = None;
            if !NUMBER_UNITS.contains(c) && !ordinal {
                bare += 1;
            }
        }
        if c.is_ascii_digit() {
            runs += 1;
            run = Some(previous == Some('第'));
        }
        previous = Some(c);
    }
    // A run at the very end has no unit after it.
    if run == Some(false) {
        bare += 1;
    }
    (strong == 0 && (runs >= 1 || chars > 40)) || (bare >= 4 && bare > strong)
}

/// Characters that make a preceding number part of a sentence rather than a table cell.
pub(super) const NUMBER_UNITS: &str = "年月日号条件个份人次篇期项家万元亿%％批名位户所台种类天余多届场栏期号时分秒岁倍、，。；）)》〕]-—~至年度";

pub(super) fn is_bracketed_note(s: &str) -> bool {
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

pub(super) fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
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
pub(super) fn chinese_numeral(s: &str) -> Option<u32> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rule as first written (a character buffer and indices), kept to check the one-pass
    /// version against.
    fn looks_like_table_by_index(s: &str) -> bool {
        let strong = s.chars().filter(|c| SENTENCE_PUNCT.contains(c)).count();
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

    proptest! {
        #[test]
        fn one_pass_table_test_agrees(s in "[0-9.第年条件公开，。；a ]{0,60}") {
            prop_assert_eq!(looks_like_table(&s), looks_like_table_by_index(&s));
        }
    }

    #[test]
    fn tables_and_sentences() {
        for s in [
            "2018 394 12 7 8",
            "第1号 2 3 4 5",
            "公开12件，办理3件。",
            "1.5 2.5 3 4 5",
        ] {
            assert_eq!(looks_like_table(s), looks_like_table_by_index(s), "{s}");
        }
        assert!(looks_like_table("主动公开 394 12 7 8"));
        assert!(!looks_like_table("全年主动公开信息394条，同比增长12%。"));
    }
}
