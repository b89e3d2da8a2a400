//! Boilerplate: the genre's stock formulae, found with one Aho-Corasick automaton.
//!
//! Reports are full of formulae (公开为原则，不公开为例外; 谁公开、谁审查、谁负责; 在市委、市政府的
//! 坚强领导下 …) that say nothing about the agency. Researchers want to see which ones a report
//! uses and what share of its narrative they make up. The formulae are data
//! (`dictionaries/boilerplate.tsv`: id, category, canonical wording, variants).
//!
//! Matching must not care about script or punctuation: 公開是原則,不公開是例外 (Traditional,
//! ASCII comma), 公开为原则、不公开为例外 and 公开为原则不公开为例外 are one formula. Script and
//! width are already folded by `normalize`; here both the patterns and the text are projected
//! onto a *key* without the soft punctuation and spaces that vary inside formulae (`，、,；：“”
//! ‘’·`), and the automaton (leftmost-longest, built once) runs over the key. Sentence ends
//! (`。！？`) stay in the key, so no match spans two sentences, and matching runs one narrative
//! paragraph at a time, so none spans two paragraphs or touches a table. Every match is mapped
//! back from the key to the paragraph text (and from there, by the caller, to the original).
//!
//! What it does not do: it does not decide what is content (themes do) and does not compare
//! reports with each other (`reuse` does).

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::normalize::Normalizer;

/// The default formula lexicon (embedded).
pub const BOILERPLATE: &str = include_str!("../dictionaries/boilerplate.tsv");
const BOILERPLATE_NAME: &str = "dictionaries/boilerplate.tsv";

/// Characters left out of the matching key: punctuation and spacing that vary inside formulae
/// (`，、,；：“”‘’·•"'` and white space).
fn is_soft(c: char) -> bool {
    matches!(
        c,
        '，' | '、' | ',' | '；' | '：' | '“' | '”' | '‘' | '’' | '·' | '•' | '"' | '\''
    ) || c.is_whitespace()
}

/// One formula of the lexicon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Formula {
    /// Stable id (`open_by_default`).
    pub id: String,
    /// Category (`principle`, `leadership`, …).
    pub category: String,
    /// Canonical wording.
    pub canonical: String,
}

/// A formula found in a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormulaMatch {
    /// Index into [`BoilerplateLexicon::formulas`].
    pub formula: usize,
    /// Byte range in the paragraph text.
    pub range: Range<usize>,
}

/// The compiled formula lexicon. Built once; shared by all threads.
#[derive(Clone, Debug)]
pub struct BoilerplateLexicon {
    formulas: Vec<Formula>,
    automaton: AhoCorasick,
    /// Pattern index → formula index.
    pattern_formula: Vec<usize>,
}

impl BoilerplateLexicon {
    /// The embedded lexicon.
    pub fn new(normalizer: &Normalizer) -> Result<BoilerplateLexicon> {
        BoilerplateLexicon::from_tsv(BOILERPLATE_NAME, BOILERPLATE, normalizer)
    }

    /// A lexicon from TSV (`id category canonical variants`, variants separated by `|`; `#`
    /// comments; a header row starting with `id`), named `name` in errors.
    //
    // Long because it is the file's whole validation, line by line, each check with its error.
    pub fn from_tsv(name: &str, src: &str, normalizer: &Normalizer) -> Result<BoilerplateLexicon> {
        let mut formulas: Vec<Formula> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_formula = Vec::new();
        let mut seen: std::collections::HashMap<String, (usize, usize)> = Default::default();
        for (i, line) in src.lines().enumerate() {
            let line_no = i + 1;
            if line.trim().is_empty() || line.starts_with('#') || line.starts_with("id\t") {
                continue;
            }
            let bad = |message: String| Error::Dictionary {
                file: name.into(),
                line: line_no,
                message,
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 {
                return Err(bad(
                    "expected id, category, canonical, variants (tab-separated)".into(),
                ));
            }
            let (id, category, canonical) = (cols[0].trim(), cols[1].trim(), cols[2].trim());
            if id.is_empty()
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(bad(format!("id {id:?} must be snake_case ASCII")));
            }
            if formulas.iter().any(|f| f.id == id) {
                return Err(bad(format!("duplicate id {id:?}")));
            }
            if canonical.is_empty() {
                return Err(bad("empty canonical wording".into()));
            }
            let index = formulas.len();
            let variants = cols.get(3).map_or("", |v| v.trim());
            for wording in std::iter::once(canonical).chain(variants.split('|')) {
                let wording = wording.trim();
                if wording.is_empty() {
                    continue;
                }
                let key = Key::of(&normalizer.normalize_str(wording))
                    .text
                    .into_owned();
                if key.chars().count() < 2 {
                    return Err(bad(format!(
                        "wording {wording:?} is too short to match safely"
                    )));
                }
                if let Some(&(other, other_line)) = seen.get(&key) {
                    if other != index {
                        return Err(bad(format!(
                            "wording {wording:?} is the same formula as line {other_line} once punctuation is ignored"
                        )));
                    }
                    continue;
                }
                seen.insert(key.clone(), (index, line_no));
                patterns.push(key);
                pattern_formula.push(index);
            }
            formulas.push(Formula {
                id: id.into(),
                category: category.into(),
                canonical: canonical.into(),
            });
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| Error::Dictionary {
                file: name.into(),
                line: 0,
                message: e.to_string(),
            })?;
        Ok(BoilerplateLexicon {
            formulas,
            automaton,
            pattern_formula,
        })
    }

    /// The formulae, in file order.
    pub fn formulas(&self) -> &[Formula] {
        &self.formulas
    }

    /// Index of the formula with this id.
    pub fn formula_index(&self, id: &str) -> Option<usize> {
        self.formulas.iter().position(|f| f.id == id)
    }

    /// Formulae in one normalized paragraph, leftmost-longest, non-overlapping.
    pub fn find(&self, text: &str) -> Vec<FormulaMatch> {
        let key = Key::of(text);
        self.automaton
            .find_iter(key.text.as_ref())
            .map(|m| {
                let start = key.to_text(m.start());
                // The last key character of the match, found in the text, ends the span.
                let mut last = m.end() - 1;
                while !key.text.is_char_boundary(last) {
                    last -= 1;
                }
                let last = key.to_text(last);
                let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
                FormulaMatch {
                    formula: self.pattern_formula[m.pattern().as_usize()],
                    range: start..end,
                }
            })
            .collect()
    }
}

/// The matching key of a text: the text without its soft punctuation, and where the removed
/// characters were, so that a key offset can be turned back into a text offset.
struct Key<'a> {
    /// The key; the text itself when it has no soft punctuation.
    text: std::borrow::Cow<'a, str>,
    /// One entry per removed character, in order: `(key offset where it was removed, text
    /// bytes removed up to and including it)`.
    gaps: Vec<(usize, usize)>,
}

impl Key<'_> {
    fn of(text: &str) -> Key<'_> {
        let mut key = String::new();
        let mut gaps = Vec::new();
        let mut run = 0;
        let mut removed = 0;
        for (i, c) in text.char_indices() {
            if is_soft(c) {
                key.push_str(&text[run..i]);
                removed += c.len_utf8();
                gaps.push((key.len(), removed));
                run = i + c.len_utf8();
            }
        }
        if gaps.is_empty() {
            return Key {
                text: std::borrow::Cow::Borrowed(text),
                gaps,
            };
        }
        key.push_str(&text[run..]);
        Key {
            text: std::borrow::Cow::Owned(key),
            gaps,
        }
    }

    /// The text offset of the character starting at key offset `k`: `k` plus the bytes
    /// removed before it. (Only matches are mapped, so a search per match is cheap.)
    fn to_text(&self, k: usize) -> usize {
        let before = self.gaps.partition_point(|g| g.0 <= k);
        k + before.checked_sub(1).map_or(0, |i| self.gaps[i].1)
    }
}

/// Characters of `text` covered by `matches` (for the boilerplate share).
pub fn covered_chars(text: &str, matches: &[FormulaMatch]) -> usize {
    matches
        .iter()
        .map(|m| {
            text[m.range.clone()]
                .chars()
                .filter(|c| !c.is_whitespace())
                .count()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_offsets_map_back_to_the_text() {
        for text in [
            "",
            "公开为原则，不公开为例外",
            "，“公开为原则，不公开为例外”，",
            "a,b'c\"d·e•f、g；h：i‘j’k",
            "坚持以“公开为原则、不公开为例外”",
            "无标点的一段文字",
        ] {
            let key = Key::of(text);
            // As first written: the text offset of every key byte's character.
            let mut expected_key = String::new();
            let mut at = Vec::new();
            for (i, c) in text.char_indices().filter(|(_, c)| !is_soft(*c)) {
                expected_key.push(c);
                at.extend(std::iter::repeat_n(i, c.len_utf8()));
            }
            assert_eq!(key.text, expected_key, "{text}");
            for (k, _) in expected_key.char_indices() {
                assert_eq!(key.to_text(k), at[k], "{text} at key byte {k}");
            }
        }
    }

    fn lexicon() -> (Normalizer, BoilerplateLexicon) {
        let n = Normalizer::new().expect("normalizer");
        let l = BoilerplateLexicon::new(&n).expect("embedded lexicon");
        (n, l)
    }

    #[test]
    fn required_ids_exist_and_lexicon_is_large_enough() {
        let (_, l) = lexicon();
        for id in [
            "open_by_default",
            "review_responsibility",
            "review_before_release",
            "five_publics",
            "interpret_by_default",
        ] {
            assert!(
                l.formula_index(id).is_some(),
                "dictionaries/boilerplate.tsv lacks {id}"
            );
        }
        assert!(l.formulas().len() >= 60, "{} formulae", l.formulas().len());
    }

    #[test]
    fn variants_of_script_and_punctuation_match_the_same_formula() {
        let (n, l) = lexicon();
        let open = l.formula_index("open_by_default").expect("id");
        for text in [
            "遵循“公开为原则，不公开为例外”的要求",
            "按照公开为原则、不公开为例外的要求",
            "按照公开为原则不公开为例外的要求",
            "遵循“公開是原則,不公開是例外”的要求",
            "坚持以公开为常态、不公开为例外",
            "坚持 公开为原则 ， 不公开为例外",
        ] {
            let norm = n.normalize_str(text);
            let found = l.find(&norm);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].formula, open, "{text}");
            let cut = &norm[found[0].range.clone()];
            assert!(
                cut.starts_with("以公开") || cut.starts_with("公开"),
                "{cut}"
            );
            assert!(cut.ends_with("例外"), "{cut}");
        }
    }

    #[test]
    fn no_match_across_a_sentence_end() {
        let (n, l) = lexicon();
        let norm = n.normalize_str("信息公开为原则。不公开为例外的情况很少");
        assert!(
            l.find(&norm)
                .iter()
                .all(|m| !norm[m.range.clone()].contains('。'))
        );
    }

    #[test]
    fn bad_lexicon_entries_name_the_line() {
        let n = Normalizer::new().expect("normalizer");
        let cases = [
            (
                "id\tcategory\tcanonical\tvariants\nBad Id\tx\t公开为原则\t\n",
                "line 2: id \"Bad Id\"",
            ),
            (
                "a\tx\t公开为原则\t\na\tx\t其他公开\t\n",
                "line 2: duplicate id",
            ),
            (
                "a\tx\t公开为原则，不公开为例外\t\nb\tx\t公开为原则不公开为例外\t\n",
                "same formula as line 1",
            ),
            ("a\tx\n", "line 1: expected id"),
        ];
        for (src, want) in cases {
            let err = BoilerplateLexicon::from_tsv("my.tsv", src, &n)
                .expect_err(src)
                .to_string();
            assert!(err.contains(want), "{err} should contain {want}");
        }
    }
}
