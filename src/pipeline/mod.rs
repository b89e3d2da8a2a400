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
//! `boilerplate` → `themes` → [`Analysis`]. (`reuse` works across reports, from the
//! paragraphs of finished analyses, only when an export or `analyze` asks for it.)

mod analysis;
mod chars;
mod summary;

pub use analysis::{Analysis, ParagraphFacts, ParagraphView};
pub use chars::CharIndex;
pub use summary::{ReportSummary, Share};

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::boilerplate::BoilerplateLexicon;
use crate::corpus::{self, LoadOptions, Source};
use crate::error::Result;
use crate::metadata::Gazetteer;
use crate::normalize::Normalizer;
use crate::segment::ChineseSegmenter;
use crate::structure::StructureRules;
use crate::themes::{SubPart, ThemeRules};

/// The shared, read-only analyzer: build once, use from every thread.
#[derive(Clone, Debug)]
pub struct Analyzer {
    normalizer: Normalizer,
    structure: StructureRules,
    gazetteer: Gazetteer,
    segmenter: std::sync::Arc<ChineseSegmenter>,
    boilerplate: BoilerplateLexicon,
    themes: ThemeRules,
    formula_list: std::sync::Arc<[crate::boilerplate::Formula]>,
    theme_ids: std::sync::Arc<[String]>,
    fingerprint: String,
}

/// A dictionary or rule file: the name errors give it (its path) and its contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DictSource {
    /// How errors name it: a path, or `dictionaries/…` for the embedded defaults.
    pub name: String,
    /// The file's text.
    pub contents: String,
}

impl DictSource {
    /// A source from its name and contents.
    pub fn new(name: impl Into<String>, contents: impl Into<String>) -> DictSource {
        DictSource {
            name: name.into(),
            contents: contents.into(),
        }
    }
}

/// Builds an [`Analyzer`] from the embedded dictionaries, or with a researcher's own theme
/// codebook, formula lexicon and extra words in place of (or, for words, on top of) them.
///
/// Every source that goes into the analyzer also goes into its [`Analyzer::fingerprint`], so
/// an index built with one codebook is never silently searched or extended with another.
#[derive(Clone, Debug, Default)]
pub struct AnalyzerBuilder {
    codebook: Option<DictSource>,
    formulas: Option<DictSource>,
    user_dicts: Vec<DictSource>,
}

impl AnalyzerBuilder {
    /// Uses this codebook (the `dictionaries/themes.toml` schema) instead of the default one.
    pub fn codebook(mut self, source: DictSource) -> AnalyzerBuilder {
        self.codebook = Some(source);
        self
    }

    /// Uses this formula lexicon (the `dictionaries/boilerplate.tsv` schema) instead of the
    /// default one.
    pub fn formulas(mut self, source: DictSource) -> AnalyzerBuilder {
        self.formulas = Some(source);
        self
    }

    /// Adds the words of a jieba-format dictionary on top of the domain dictionary.
    pub fn user_dict(mut self, source: DictSource) -> AnalyzerBuilder {
        self.user_dicts.push(source);
        self
    }

    /// Loads every dictionary and builds the automata; a bad entry is an error naming its file
    /// and line.
    pub fn build(&self) -> Result<Analyzer> {
        let codebook = self
            .codebook
            .clone()
            .unwrap_or_else(|| DictSource::new("dictionaries/themes.toml", crate::themes::THEMES));
        let formulas = self.formulas.clone().unwrap_or_else(|| {
            DictSource::new(
                "dictionaries/boilerplate.tsv",
                crate::boilerplate::BOILERPLATE,
            )
        });
        // jieba's dictionary (half of start-up) loads on a thread of its own while the
        // automata are built: nothing of one depends on the other. Errors keep their order:
        // a bad codebook or formula list is reported before a bad user dictionary.
        let (segmenter, built) = std::thread::scope(|scope| {
            let segmenter = scope.spawn(|| -> Result<ChineseSegmenter> {
                let mut segmenter = ChineseSegmenter::new()?;
                for d in &self.user_dicts {
                    segmenter.add_user_dict(&d.name, &d.contents)?;
                }
                Ok(segmenter)
            });
            let built = (|| -> Result<_> {
                let normalizer = Normalizer::new()?;
                let boilerplate =
                    BoilerplateLexicon::from_tsv(&formulas.name, &formulas.contents, &normalizer)?;
                let themes =
                    ThemeRules::from_toml(&codebook.name, &codebook.contents, &normalizer)?;
                Ok((
                    normalizer,
                    boilerplate,
                    themes,
                    StructureRules::new()?,
                    Gazetteer::new()?,
                ))
            })();
            let segmenter = segmenter
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (segmenter, built)
        });
        let (normalizer, boilerplate, themes, structure, gazetteer) = built?;
        let segmenter = segmenter?;
        let formula_list = boilerplate.formulas().to_vec().into();
        let theme_ids = themes.themes().iter().map(|t| t.id.clone()).collect();
        // Everything the analysis depends on, in a fixed order. File names are left out: the
        // same words under another name analyse the same.
        let mut hasher = blake3::Hasher::new();
        let mut feed = |part: &str| {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        };
        feed(concat!("gongkai ", env!("CARGO_PKG_VERSION")));
        feed(crate::normalize::TS_CHARACTERS);
        feed(crate::normalize::TS_PHRASES);
        feed(crate::structure::DEFAULT_RULES);
        feed(crate::metadata::DIVISIONS);
        feed(crate::metadata::AGENCY_RULES);
        feed(crate::segment::USER_DICT);
        feed(&formulas.contents);
        feed(&codebook.contents);
        for d in &self.user_dicts {
            feed(&d.contents);
        }
        let fingerprint = hasher.finalize().to_hex()[..32].to_string();
        Ok(Analyzer {
            theme_ids,
            themes,
            formula_list,
            normalizer,
            structure,
            gazetteer,
            segmenter: std::sync::Arc::new(segmenter),
            boilerplate,
            fingerprint,
        })
    }
}

impl Analyzer {
    /// The analyzer with the embedded default dictionaries.
    pub fn new() -> Result<Analyzer> {
        AnalyzerBuilder::default().build()
    }

    /// A builder, for an analyzer with dictionaries of the user's own.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// A hash (32 hex digits) of every dictionary and rule file this analyzer was built from
    /// and of gongkai's version: two analyzers with the same fingerprint analyse every report
    /// the same way. The index stores it and refuses to mix analyses of another one.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The theme codebook.
    pub fn themes(&self) -> &ThemeRules {
        &self.themes
    }

    /// The boilerplate lexicon.
    pub fn boilerplate(&self) -> &BoilerplateLexicon {
        &self.boilerplate
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
        let facts = structure
            .sections
            .iter()
            .map(|s| {
                // Problems part, then measures part: the state runs through the section.
                let mut part = SubPart::default();
                s.paragraphs
                    .iter()
                    .map(|p| {
                        // Headings are classified too (`一是人员不足` as a heading admits), in
                        // order, so they switch the sub-part; only narrative is segmented and
                        // searched for formulas.
                        let narrative = p.is_narrative();
                        if !narrative && p.role != crate::structure::Role::Heading {
                            return ParagraphFacts::default();
                        }
                        let (tokens, formulas) = if narrative {
                            (
                                self.segmenter.words(&p.text),
                                self.boilerplate.find(&p.text),
                            )
                        } else {
                            Default::default()
                        };
                        ParagraphFacts {
                            tokens,
                            formulas,
                            themes: self.themes.classify_in(
                                &p.text,
                                &p.sentences,
                                s.kind,
                                &mut part,
                            ),
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
            facts,
            formulas: self.formula_list.clone(),
            theme_ids: self.theme_ids.clone(),
        }
    }

    /// Reads and analyses one file.
    pub fn analyze_file(&self, path: &Path, opts: LoadOptions) -> Result<Analysis> {
        Ok(self.analyze(corpus::load(path, opts)?))
    }

    /// Reads and analyses files in parallel (`threads == 1`: sequentially), calling `each` with
    /// every result in input order. Results are streamed in input-order batches, so memory
    /// holds a batch of reports, not the corpus.
    pub fn analyze_paths<F>(&self, paths: &[PathBuf], opts: LoadOptions, threads: usize, each: F)
    where
        F: FnMut(&Path, Result<Analysis>),
    {
        self.process_paths(
            paths,
            opts,
            threads,
            |source| Ok(self.analyze(source)),
            each,
        );
    }

    /// Reads files in parallel and runs `work` on each one's [`Source`] in the worker thread
    /// (`threads == 1`: sequentially), calling `each` with every result in input order.
    ///
    /// `work` is where a consumer does its share of the per-report work in parallel: analyse
    /// (usually with [`Analyzer::analyze`]), or pass over a report it already has, and turn
    /// the analysis into what it keeps (a summary, index documents), so that only small
    /// results cross back to the single thread that writes.
    pub fn process_paths<T, W, F>(
        &self,
        paths: &[PathBuf],
        opts: LoadOptions,
        threads: usize,
        work: W,
        mut each: F,
    ) where
        T: Send,
        W: Fn(Source) -> Result<T> + Sync,
        F: FnMut(&Path, Result<T>),
    {
        let one = |p: &PathBuf| corpus::load(p, opts).and_then(&work);
        if threads <= 1 {
            for p in paths {
                each(p, one(p));
            }
            return;
        }
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
        let run = |batch: &[PathBuf]| -> Vec<Result<T>> { batch.par_iter().map(one).collect() };
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
    fn build_errors_keep_their_order_though_the_dictionary_loads_alongside() {
        let bad_user_dict = DictSource::new("mine.txt", "词 notanumber\n");
        let err = Analyzer::builder()
            .user_dict(bad_user_dict.clone())
            .build()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("mine.txt") && err.contains("whole number"),
            "{err}"
        );
        // With a bad codebook as well, the codebook is named, as when they were built in turn.
        let err = Analyzer::builder()
            .user_dict(bad_user_dict)
            .codebook(DictSource::new("book.toml", "not toml ["))
            .build()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("book.toml"), "{err}");
    }

    #[test]
    fn analyzer_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Analyzer>();
        assert_send_sync::<Analysis>();
    }
}
