//! The pipeline: one frozen, shared [`Analyzer`] and the per-report flow through the stages.
//!
//! Every dictionary and automaton is loaded once by [`Analyzer::new`] (fallible: a bad
//! dictionary is an error naming its file and line) and the result is immutable and
//! `Send + Sync`, so rayon workers borrow it. Reports are independent, so a corpus is a
//! `par_iter` over files; [`Analyzer::analyze_paths`] keeps the input order, and with
//! `threads == 1` it runs a plain sequential loop, so 1 and N threads give byte-identical
//! output.
//!
//! Data flows one way: `corpus` → `normalize` → `structure` → `metadata` → `segment` →
//! [`Analysis`].

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::corpus::{self, LoadOptions, Source};
use crate::error::Result;
use crate::metadata::{Gazetteer, Metadata};
use crate::normalize::{NormalizedText, Normalizer};
use crate::segment::ChineseSegmenter;
use crate::structure::{Structure, StructureRules};

/// Everything gongkai knows about one report, with maps back to its original text.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The file and its original text.
    pub source: Source,
    /// The normalized body (after any crawler header) and its map to the original.
    pub norm: NormalizedText,
    /// Title, sections, paragraphs, sentences (offsets into `norm`).
    pub structure: Structure,
    /// Agency, year, province, level.
    pub metadata: Metadata,
    /// Words of the narrative paragraphs: `tokens[s][p]` holds byte ranges into
    /// `structure.sections[s].paragraphs[p].text` (empty for non-narrative paragraphs).
    pub tokens: Vec<Vec<Vec<Range<usize>>>>,
}

impl Analysis {
    /// Number of words in the narrative.
    pub fn word_count(&self) -> usize {
        self.tokens.iter().flatten().map(Vec::len).sum()
    }
}

/// The shared, read-only analyzer: build once, use from every thread.
#[derive(Clone, Debug)]
pub struct Analyzer {
    normalizer: Normalizer,
    structure: StructureRules,
    gazetteer: Gazetteer,
    segmenter: ChineseSegmenter,
}

impl Analyzer {
    /// The analyzer with the embedded default dictionaries.
    pub fn new() -> Result<Analyzer> {
        Ok(Analyzer {
            normalizer: Normalizer::new()?,
            structure: StructureRules::new()?,
            gazetteer: Gazetteer::new()?,
            segmenter: ChineseSegmenter::new()?,
        })
    }

    /// The word segmenter.
    pub fn segmenter(&self) -> &ChineseSegmenter {
        &self.segmenter
    }

    /// The normalizer, for queries and dictionary entries that must match normalized text.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// The gazetteer of administrative divisions.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Analyses a report already read.
    pub fn analyze(&self, source: Source) -> Analysis {
        let norm = self
            .normalizer
            .normalize_from(&source.text, source.body_start);
        let header_title = source
            .header
            .as_ref()
            .and_then(|h| h.title.as_deref())
            .map(|t| self.normalizer.normalize_str(t));
        let structure = self.structure.analyze(&norm, header_title.as_deref());
        let body_title = structure.title.as_ref().map(|p| p.text.clone());
        let html_title = source
            .html_title
            .as_deref()
            .map(|t| self.normalizer.normalize_str(t));
        let stem = source
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(|s| self.normalizer.normalize_str(s));
        let metadata = self.gazetteer.metadata(
            [header_title, body_title, html_title, stem]
                .iter()
                .flatten()
                .map(|s| s.as_str()),
        );
        let tokens = structure
            .sections
            .iter()
            .map(|s| {
                s.paragraphs
                    .iter()
                    .map(|p| {
                        if p.is_narrative() {
                            self.segmenter.words(&p.text)
                        } else {
                            Vec::new()
                        }
                    })
                    .collect()
            })
            .collect();
        Analysis {
            source,
            norm,
            structure,
            metadata,
            tokens,
        }
    }

    /// Reads and analyses one file.
    pub fn analyze_file(&self, path: &Path, opts: LoadOptions) -> Result<Analysis> {
        Ok(self.analyze(corpus::load(path, opts)?))
    }

    /// Reads and analyses files in parallel (`threads == 1`: sequentially), calling `each` with
    /// every result in input order. Results are streamed in input-order batches, so memory
    /// holds a batch of reports, not the corpus.
    pub fn analyze_paths<F>(
        &self,
        paths: &[PathBuf],
        opts: LoadOptions,
        threads: usize,
        mut each: F,
    ) where
        F: FnMut(&Path, Result<Analysis>),
    {
        if threads <= 1 {
            for p in paths {
                each(p, self.analyze_file(p, opts));
            }
            return;
        }
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
        let run = |batch: &[PathBuf]| -> Vec<Result<Analysis>> {
            batch
                .par_iter()
                .map(|p| self.analyze_file(p, opts))
                .collect()
        };
        for batch in paths.chunks(threads * 16) {
            let results = match &pool {
                Ok(pool) => pool.install(|| run(batch)),
                Err(_) => run(batch),
            };
            for (p, r) in batch.iter().zip(results) {
                each(p, r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyzer_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Analyzer>();
        assert_send_sync::<Analysis>();
    }
}
