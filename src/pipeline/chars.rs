//! Byte offsets to character offsets of one text, fast for many lookups.
//!
//! The pipeline works in byte ranges; every output prints character offsets into the original
//! text, because that is what Python's `str` slicing, R's `substr` and a text editor count.
//! [`CharIndex`] makes that conversion cheap when a report has thousands of ranges. It knows
//! nothing of normalization: map a range to the original first ([`super::ParagraphView::original`]).

/// Converts byte offsets of a text to character offsets, fast for many lookups.
#[derive(Clone, Debug)]
pub struct CharIndex<'a> {
    text: &'a str,
    /// Character count before each 256-byte block.
    blocks: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    const BLOCK: usize = 256;

    /// Indexes `text`.
    pub fn new(text: &'a str) -> CharIndex<'a> {
        let mut blocks = Vec::with_capacity(text.len() / Self::BLOCK + 1);
        let mut count = 0;
        for (i, b) in text.as_bytes().iter().enumerate() {
            if i % Self::BLOCK == 0 {
                blocks.push(count);
            }
            // Count UTF-8 lead bytes: one per character.
            if (b & 0xC0) != 0x80 {
                count += 1;
            }
        }
        CharIndex { text, blocks }
    }

    /// Character offset of byte offset `byte` (clamped to the text).
    pub fn char_offset(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        // The block holding `byte`; the end of a text whose length is a multiple of the block
        // size lies past the last block, so count on from the last one.
        let block = (byte / Self::BLOCK).min(self.blocks.len().saturating_sub(1));
        let base = self.blocks.get(block).copied().unwrap_or(0);
        let from = block * Self::BLOCK;
        base + self.text.as_bytes()[from..byte]
            .iter()
            .filter(|b| (*b & 0xC0) != 0x80)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_matches_naive_count() {
        // 32 bytes a repeat: 8 repeats end exactly on a block boundary.
        let text = "政府信息公开ab年度报告".repeat(8);
        assert_eq!(text.len() % CharIndex::BLOCK, 0);
        let idx = CharIndex::new(&text);
        for (b, _) in text.char_indices() {
            assert_eq!(idx.char_offset(b), text[..b].chars().count());
        }
        assert_eq!(idx.char_offset(text.len()), text.chars().count());
    }
}
