//! The index's two token streams, and the tantivy tokenizers that produce the same ones.
//!
//! * **Words**: the pipeline's own words (segment once: the words analytics count are the
//!   words the index holds), at ordinal positions 0, 1, 2 … so a phrase of words is a phrase.
//! * **Bigrams**: every pair of adjacent characters at the position of its first character.
//!   A query for a string of two or more characters becomes bigrams at fixed distances (a
//!   cover of the string, [`bigram_cover`]); a document matches exactly when it contains the
//!   string. This is the completeness contract: 公开 inside 政府信息公开, 信息公开 across a word
//!   boundary, found whatever jieba made of the text.
//!
//! Both lowercase letters, so `APP` finds `app`. The tokenizers are registered under the
//! schema's tokenizer names because tantivy needs one for every text field, even when every
//! value arrives pre-tokenized; they call the same functions, so they cannot drift.
//!
//! What it does not do: no stop words and no stemming (counts must be of what was written).

use std::ops::Range;
use std::sync::Arc;

use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::schema::{BIGRAMS_TOKENIZER, WORDS_TOKENIZER};
use crate::segment::ChineseSegmenter;

/// Word tokens of `text` from its word ranges, at ordinal positions.
pub fn word_tokens(text: &str, words: &[Range<usize>]) -> Vec<Token> {
    words
        .iter()
        .enumerate()
        .map(|(position, r)| Token {
            offset_from: r.start,
            offset_to: r.end,
            position,
            text: fold(&text[r.clone()]),
            position_length: 1,
        })
        .collect()
}

/// Character-bigram tokens of `text`: one per pair of adjacent characters, at the first
/// character's index; a one-character text gives that character.
pub fn bigram_tokens(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::with_capacity(chars.len());
    if chars.len() == 1 {
        out.push(Token {
            offset_from: 0,
            offset_to: text.len(),
            position: 0,
            text: fold(text),
            position_length: 1,
        });
        return out;
    }
    let mut pair = String::with_capacity(8);
    for (position, w) in chars.windows(2).enumerate() {
        let (start, a) = w[0];
        let (second, b) = w[1];
        pair.clear();
        push_folded(&mut pair, a);
        push_folded(&mut pair, b);
        out.push(Token {
            offset_from: start,
            offset_to: second + b.len_utf8(),
            position,
            text: pair.clone(),
            position_length: 1,
        });
    }
    out
}

/// The bigrams that find `term` as a substring, with their offsets from the term's start:
/// non-overlapping pairs, plus one overlapping pair at the end for an odd length. Fewer terms
/// than every bigram, and just as exact: the pairs cover every character at fixed distances.
/// Empty for a term shorter than two characters.
pub fn bigram_cover(term: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = term.chars().collect();
    if chars.len() < 2 {
        return Vec::new();
    }
    let mut starts: Vec<usize> = (0..chars.len() - 1).step_by(2).collect();
    if chars.len() % 2 == 1 {
        starts.push(chars.len() - 2);
    }
    starts
        .into_iter()
        .map(|i| {
            let mut s = String::with_capacity(8);
            push_folded(&mut s, chars[i]);
            push_folded(&mut s, chars[i + 1]);
            (i, s)
        })
        .collect()
}

/// The form a token is indexed and searched under: ASCII letters lowercased.
pub fn fold(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// Only ASCII letters fold: byte offsets stay the same, so a match found in folded text is at
/// the same place in the text (the normalizer already folded full-width forms).
fn push_folded(out: &mut String, c: char) {
    out.push(c.to_ascii_lowercase());
}

/// Registers the two tokenizers on an opened index (tantivy does not persist them).
pub fn register(index: &Index, segmenter: Arc<ChineseSegmenter>) {
    index.tokenizers().register(
        WORDS_TOKENIZER,
        TextAnalyzer::from(WordsTokenizer { segmenter }),
    );
    index
        .tokenizers()
        .register(BIGRAMS_TOKENIZER, TextAnalyzer::from(BigramTokenizer));
}

/// The words tokenizer: gongkai's segmenter, as [`word_tokens`] indexes it.
#[derive(Clone)]
pub struct WordsTokenizer {
    segmenter: Arc<ChineseSegmenter>,
}

/// The bigram tokenizer, as [`bigram_tokens`].
#[derive(Clone, Copy, Debug, Default)]
pub struct BigramTokenizer;

/// A token stream over tokens computed up front.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let words = self.segmenter.words(text);
        VecTokenStream {
            tokens: word_tokens(text, &words),
            next: 0,
        }
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: bigram_tokens(text),
            next: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_are_at_character_positions() {
        let t = bigram_tokens("信息公开");
        let got: Vec<(usize, &str)> = t.iter().map(|t| (t.position, t.text.as_str())).collect();
        assert_eq!(got, vec![(0, "信息"), (1, "息公"), (2, "公开")]);
        assert_eq!(&"信息公开"[t[1].offset_from..t[1].offset_to], "息公");
    }

    #[test]
    fn cover_spans_every_character() {
        assert_eq!(bigram_cover("公"), vec![]);
        assert_eq!(bigram_cover("公开"), vec![(0, "公开".to_string())]);
        assert_eq!(
            bigram_cover("无专职人员"),
            vec![
                (0, "无专".to_string()),
                (2, "职人".to_string()),
                (3, "人员".to_string())
            ]
        );
        assert_eq!(bigram_cover("APP下载")[0], (0, "ap".to_string()));
    }
}
