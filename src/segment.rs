//! Segmentation: normalized narrative → words, with jieba-rs and a domain dictionary.
//!
//! jieba's default dictionary lacks the genre's vocabulary (政府信息公开 comes out as 政府 / 信息
//! / 公开, 依申请 as 依 / 申请), so [`ChineseSegmenter`] loads `dictionaries/user_dict.txt` on top
//! of it once, at build time; afterwards it is immutable and shared by every thread (jieba-rs
//! keeps its HMM scratch in a thread-local, not behind a lock).
//!
//! It segments one paragraph or sentence at a time — never a whole report as one string — and
//! returns byte ranges into the text it was given, so callers map words back through the
//! paragraph and normalization maps to the user's original text.
//!
//! HMM (new-word discovery) is **off** by default: on this genre it glues function words onto
//! names and numbers (`我局`, `共计23件`) differently from one report to the next, which breaks
//! phrase search and counts, while the domain dictionary already covers the genre's vocabulary.
//! The evidence is in the README ("HMM on or off").
//!
//! What it does not do: no normalization (its input is already normalized), no stop-word
//! removal (the index and the theme rules decide what to ignore).

use std::io::BufReader;
use std::ops::Range;

use jieba_rs::Jieba;

use crate::error::{Error, Result};

/// The default domain dictionary (embedded).
pub const USER_DICT: &str = include_str!("../dictionaries/user_dict.txt");
const USER_DICT_NAME: &str = "dictionaries/user_dict.txt";

/// Segments normalized Chinese text into words.
#[derive(Clone, Debug)]
pub struct ChineseSegmenter {
    jieba: Jieba,
    hmm: bool,
}

impl ChineseSegmenter {
    /// jieba's default dictionary plus the embedded domain dictionary, HMM off.
    pub fn new() -> Result<ChineseSegmenter> {
        ChineseSegmenter::with_user_dict(USER_DICT_NAME, USER_DICT, false)
    }

    /// jieba's default dictionary plus a user dictionary in jieba's format (`word [freq] [tag]`
    /// per line; `#` comment lines allowed), named `name` in errors.
    pub fn with_user_dict(name: &str, dict: &str, hmm: bool) -> Result<ChineseSegmenter> {
        let mut segmenter = ChineseSegmenter {
            jieba: Jieba::new(),
            hmm,
        };
        segmenter.add_user_dict(name, dict)?;
        Ok(segmenter)
    }

    /// Adds the words of another user dictionary (jieba's format, as for
    /// [`ChineseSegmenter::with_user_dict`]) on top of those already loaded: how a researcher's
    /// `--user-dict` joins the domain dictionary. Only before the segmenter is shared.
    pub fn add_user_dict(&mut self, name: &str, dict: &str) -> Result<()> {
        // Check each line ourselves so an error names the line; jieba's own error does not.
        let mut clean = String::with_capacity(dict.len());
        for (i, line) in dict.lines().enumerate() {
            let t = line.trim().trim_start_matches('\u{FEFF}');
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let mut cols = t.split_whitespace();
            let word = cols.next().unwrap_or_default();
            let freq = cols.next();
            if freq.is_some_and(|f| f.parse::<usize>().is_err()) {
                return Err(Error::Dictionary {
                    file: name.into(),
                    line: i + 1,
                    message: format!("frequency of {word:?} is not a whole number"),
                });
            }
            if cols.count() > 1 {
                return Err(Error::Dictionary {
                    file: name.into(),
                    line: i + 1,
                    message: "expected `word [freq] [tag]`".into(),
                });
            }
            clean.push_str(t);
            clean.push('\n');
        }
        self.jieba
            .load_dict(&mut BufReader::new(clean.as_bytes()))
            .map_err(|e| Error::Dictionary {
                file: name.into(),
                line: 0,
                message: e.to_string(),
            })
    }

    /// Plain jieba-rs with its default dictionary only: the benchmark baseline.
    pub fn plain(hmm: bool) -> ChineseSegmenter {
        ChineseSegmenter {
            jieba: Jieba::new(),
            hmm,
        }
    }

    /// Whether HMM new-word discovery is on.
    pub fn hmm(&self) -> bool {
        self.hmm
    }

    /// The underlying jieba instance.
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    /// Calls `f` with the byte range of every word of `text` (whitespace skipped), in order.
    pub fn for_each_word(&self, text: &str, mut f: impl FnMut(Range<usize>)) {
        for t in self.jieba.cut(text, self.hmm) {
            if is_word(t.word) {
                f(t.byte_start..t.byte_end);
            }
        }
    }

    /// Byte ranges of the words of `text`.
    pub fn words(&self, text: &str) -> Vec<Range<usize>> {
        // One pass, collected in place into jieba's own token buffer (a range is smaller than
        // a token), so the hot path allocates once, as raw `cut` does.
        self.jieba
            .cut(text, self.hmm)
            .into_iter()
            .filter(|t| is_word(t.word))
            .map(|t| t.byte_start..t.byte_end)
            .collect()
    }
}

/// jieba returns runs of whitespace as tokens of their own; everything else is a word.
#[inline]
fn is_word(token: &str) -> bool {
    match token.as_bytes().first() {
        None => false,
        Some(b) if b.is_ascii() => !b.is_ascii_whitespace(),
        // Every non-ASCII whitespace character (U+0085, U+00A0, U+1680, U+2000..U+205F,
        // U+3000) starts with one of these lead bytes; a Han character never does, so most
        // words are told without decoding.
        Some(0xC2 | 0xE1 | 0xE2 | 0xE3) => !token.starts_with(char::is_whitespace),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg() -> &'static ChineseSegmenter {
        static S: std::sync::OnceLock<ChineseSegmenter> = std::sync::OnceLock::new();
        S.get_or_init(|| ChineseSegmenter::new().expect("embedded dictionary"))
    }

    fn seg_hmm() -> &'static ChineseSegmenter {
        static S: std::sync::OnceLock<ChineseSegmenter> = std::sync::OnceLock::new();
        S.get_or_init(|| {
            ChineseSegmenter::with_user_dict(USER_DICT_NAME, USER_DICT, true).expect("dictionary")
        })
    }

    fn cut(s: &str) -> Vec<&str> {
        seg().words(s).into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn every_user_dict_term_survives_whole() {
        let mut broken = Vec::new();
        let mut n = 0;
        for line in USER_DICT
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let term = line.split_whitespace().next().expect("term");
            n += 1;
            for s in [seg(), seg_hmm()] {
                let hmm = s.hmm();
                let words: Vec<&str> = s.words(term).into_iter().map(|r| &term[r]).collect();
                if words != [term] {
                    broken.push(format!("{term} (hmm {hmm}) -> {}", words.join("/")));
                }
            }
        }
        assert!(
            n >= 300,
            "user_dict.txt has {n} terms; the genre needs at least 300"
        );
        assert!(
            broken.is_empty(),
            "terms of dictionaries/user_dict.txt split (raise their frequency):\n{}",
            broken.join("\n")
        );
    }

    #[test]
    fn domain_terms_in_context() {
        assert_eq!(
            cut("政府信息公开工作年度报告"),
            ["政府信息公开", "工作", "年度报告"]
        );
        let words = cut("依申请公开政府信息办理情况");
        assert!(words.contains(&"依申请公开"), "{words:?}");
        let words = cut("新媒体运用有待加强，政务微博没有充分发挥作用");
        assert!(
            words.contains(&"新媒体") && words.contains(&"政务微博"),
            "{words:?}"
        );
    }

    #[test]
    fn ranges_skip_whitespace_and_cover_words() {
        let text = "公开 透明，2018年";
        let words = cut(text);
        assert_eq!(words, ["公开", "透明", "，", "2018", "年"]);
    }

    #[test]
    fn whitespace_lead_bytes_cover_every_whitespace_character() {
        // Non-ASCII only: ASCII is judged by `u8::is_ascii_whitespace`, as it always was.
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(is_word(&s), !c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn bad_user_dictionary_names_the_line() {
        let err =
            ChineseSegmenter::with_user_dict("my.txt", "# c\n政务公开 10\n坏词 many n\n", false)
                .expect_err("bad frequency");
        assert_eq!(
            err.to_string(),
            "my.txt line 3: frequency of \"坏词\" is not a whole number"
        );
    }
}
