//! # gongkai (公开)
//!
//! gongkai turns Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告, 政务公开工作总结) into searchable, countable data: it reads reports
//! as they really come (scraped web text, GBK or Big5, Traditional-script copies, crawler line
//! breaks, flattened statistics tables), finds each one's agency, year, sections and narrative
//! paragraphs, and maps everything it finds back to the user's original text.
//!
//! ## Pipeline
//!
//! One module per stage, in the order data flows through them:
//!
//! 1. [`corpus`] — walk files, read `.txt`/`.html`/`.pdf`, decode (UTF-8, GBK/GB18030, Big5),
//!    crawler header blocks;
//! 2. [`normalize`] — Traditional → Simplified, width and punctuation folding, with an
//!    [`normalize::OffsetMap`] back to the original;
//! 3. [`structure`] — web debris, rebuilt paragraphs, headings → canonical sections, narrative
//!    vs tables, sentences;
//! 4. [`metadata`] — agency, year, province and level from the title and a gazetteer;
//! 5. [`segment`] — words of the narrative with jieba-rs and the domain dictionary;
//! 6. [`boilerplate`] — stock formulae with one Aho-Corasick automaton, whatever the script or
//!    punctuation; [`reuse`] links paragraphs copied from an agency's earlier reports;
//! 7. [`themes`] — the 12-theme codebook as rules: admitted shortcomings and promised measures;
//! 8. [`search`] — a tantivy index of every narrative paragraph (words and character
//!    bigrams), searched with exact per-year counts and offsets into the originals;
//! 9. [`export`] — tidy CSV tables over a corpus (or over an index).
//!
//! [`pipeline::Analyzer`] holds every dictionary, built once and shared read-only by all
//! threads; [`export::json::ReportJson`] is the `analyze` wire format. The binary's `gongkai bench` measures the
//! stages' throughput and `gongkai scale` makes large benchmark corpora from a few real reports.
//!
//! ## Example
//!
//! ```
//! use gongkai::{corpus, pipeline::Analyzer, structure::SectionKind};
//!
//! let text = "福建省商務廳2017年政府信息公開工作年度報告\n\
//!             一、概述\n2017年，我廳全面貫徹《條例》。\n\
//!             二、存在的主要問題及改進措施\n\
//!             遵循“公開是原則，不公開是例外”的要求。各處室工作人員多為兼職。\n";
//! let source = corpus::from_bytes("seed.txt".as_ref(), text.as_bytes(), Default::default())?;
//! let analysis = Analyzer::new()?.analyze(source);
//!
//! assert_eq!(analysis.metadata.agency.as_deref(), Some("福建省商务厅"));
//! assert_eq!(analysis.metadata.year, Some(2017));
//! assert_eq!(analysis.metadata.province.as_deref(), Some("福建省"));
//! // The running-text paragraphs, each with its section and what the stages found in it.
//! let view = analysis.narrative()
//!     .find(|v| v.section.kind == SectionKind::Problems).expect("problems section");
//! let p = view.paragraph;
//! assert_eq!(p.text, "遵循“公开是原则，不公开是例外”的要求。各处室工作人员多为兼职。");
//! assert!(!view.facts.formulas.is_empty(), "a stock formula");
//! // Offsets lead back to the Traditional original.
//! let orig = view.original(0..p.text.len());
//! assert!(analysis.source.text[orig].starts_with("遵循“公開是原則"));
//! # Ok::<(), gongkai::Error>(())
//! ```

#![warn(missing_docs)]

pub mod boilerplate;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod export;
pub mod metadata;
pub mod normalize;
pub mod pipeline;
pub mod reuse;
pub mod search;
pub mod segment;
pub mod structure;
pub mod themes;

pub use error::{Error, Result};
