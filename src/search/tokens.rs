//! The index's two token streams, as tantivy tokenizers.
//!
//! * **Words**: the pipeline's own words (segment once: the words analytics count are the
//!   words the index holds), at ordinal positions 0, 1, 2 … (the schema keeps their
//!   frequencies only: words rank hits, bigrams match phrases).
//!   The index is handed the words already cut, joined by [`WORD_SEPARATOR`]
//!   ([`joined_words`]); [`WordsTokenizer`] only splits them again. (tantivy's
//!   `PreTokenizedString` would carry the same tokens, but tantivy 0.27 stores it in the
//!   document as JSON and parses it back, which cost more than indexing itself.)
//! * **Bigrams**: every pair of adjacent characters at the position of its first character
//!   ([`BigramTokenizer`]). A query for a string of two or more characters becomes bigrams at
//!   fixed distances (a cover of the string, [`bigram_cover`]); a document matches exactly
//!   when it contains the string. This is the completeness contract: 公开 inside 政府信息公开,
//!   信息公开 across a word boundary, found whatever jieba made of the text.
//!
//! Both fold ASCII letters to lowercase, so `APP` finds `app`; nothing else changes, so byte
//! offsets in folded text are offsets in the text. Both streams reuse one token and fill it in
//! place, as tantivy's own tokenizers do: no allocation per token.
//!
//! What it does not do: no stop words and no stemming (counts must be of what was written).

use std::ops::Range;

use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::schema::{BIGRAMS_TOKENIZER, WORDS_TOKENIZER};

/// Separates the words handed to the word field. A control character no report text keeps
/// (the normalizer turns control characters into spaces), so a word never contains it.
pub const WORD_SEPARATOR: char = '\u{1F}';
const _: () = assert!(
    WORD_SEPARATOR.is_ascii(),
    "the word stream searches for it as one byte"
);

/// The words of `text` (byte ranges), joined by [`WORD_SEPARATOR`] for the word field.
pub fn joined_words(text: &str, words: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + words.len());
    for (i, r) in words.iter().enumerate() {
        if i > 0 {
            out.push(WORD_SEPARATOR);
        }
        out.push_str(&text[r.clone()]);
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
            s.push(chars[i].to_ascii_lowercase());
            s.push(chars[i + 1].to_ascii_lowercase());
            (i, s)
        })
        .collect()
}

/// The form a token is indexed and searched under: ASCII letters lowercased.
pub fn fold(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// Registers the two tokenizers on an opened index (tantivy does not persist them).
pub fn register(index: &Index) {
    index
        .tokenizers()
        .register(WORDS_TOKENIZER, TextAnalyzer::from(WordsTokenizer));
    index
        .tokenizers()
        .register(BIGRAMS_TOKENIZER, TextAnalyzer::from(BigramTokenizer));
}

/// Splits words joined by [`WORD_SEPARATOR`] ([`joined_words`]) at ordinal positions.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordsTokenizer;

/// Every pair of adjacent characters at its first character's index; a one-character text
/// gives that character.
#[derive(Clone, Copy, Debug, Default)]
pub struct BigramTokenizer;

/// The token stream of [`WordsTokenizer`].
pub struct WordStream<'a> {
    text: &'a str,
    next: usize,
    token: Token,
}

/// The token stream of [`BigramTokenizer`].
pub struct BigramStream<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    previous: Option<(usize, char)>,
    token: Token,
}

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        let token = Token {
            position: usize::MAX,
            ..Token::default()
        };
        WordStream {
            text,
            next: 0,
            token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        while self.next < self.text.len() {
            let start = self.next;
            // The separator is one ASCII byte: a byte search, not a char pattern.
            let end = memchr::memchr(WORD_SEPARATOR as u8, &self.text.as_bytes()[start..])
                .map_or(self.text.len(), |i| start + i);
            self.next = end + WORD_SEPARATOR.len_utf8();
            if end == start {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = self.token.position.wrapping_add(1);
            self.token.text.clear();
            self.token.text.push_str(&self.text[start..end]);
            self.token.text.make_ascii_lowercase();
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        let mut chars = text.char_indices();
        let previous = chars.next();
        let token = Token {
            position: usize::MAX,
            ..Token::default()
        };
        BigramStream {
            text,
            chars,
            previous,
            token,
        }
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, a)) = self.previous else {
            return false;
        };
        let next = self.chars.next();
        let end = match next {
            Some((i, b)) => i + b.len_utf8(),
            // The last character stands alone only when it is the whole text.
            None if self.token.position == usize::MAX => start + a.len_utf8(),
            None => return false,
        };
        let ascii = a.is_ascii() || next.is_some_and(|(_, b)| b.is_ascii());
        self.previous = next;
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        // Almost every bigram is two Chinese characters: nothing to fold.
        if ascii {
            self.token.text.make_ascii_lowercase();
        }
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut t: impl Tokenizer, text: &str) -> Vec<(usize, String, usize, usize)> {
        let mut stream = t.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let k = stream.token();
            out.push((k.position, k.text.clone(), k.offset_from, k.offset_to));
        }
        out
    }

    #[test]
    fn bigrams_are_at_character_positions() {
        let got = tokens(BigramTokenizer, "信息公开");
        assert_eq!(
            got,
            vec![
                (0, "信息".to_string(), 0, 6),
                (1, "息公".to_string(), 3, 9),
                (2, "公开".to_string(), 6, 12)
            ]
        );
        assert_eq!(
            tokens(BigramTokenizer, "公"),
            vec![(0, "公".to_string(), 0, 3)]
        );
        assert_eq!(tokens(BigramTokenizer, ""), vec![]);
        assert_eq!(tokens(BigramTokenizer, "APP下")[0].1, "ap");
    }

    #[test]
    fn words_come_back_as_they_were_cut() {
        let text = "政府信息公开APP工作";
        let joined = joined_words(text, &[0..18, 18..21, 21..27]);
        let got = tokens(WordsTokenizer, &joined);
        let words: Vec<(usize, &str)> = got.iter().map(|t| (t.0, t.1.as_str())).collect();
        assert_eq!(words, vec![(0, "政府信息公开"), (1, "app"), (2, "工作")]);
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
