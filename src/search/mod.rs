//! The index stage: a tantivy full-text index of every narrative paragraph, for search across
//! years with exact per-year counts.
//!
//! It consumes finished [`Analysis`](crate::pipeline::Analysis) values and never reaches back
//! into the stages before it: the words it indexes are the words `segment` found, the themes
//! and formulae are the ones `themes` and `boilerplate` found, and every offset it returns
//! points into the user's original file, as `analyze` gives them.
//!
//! * [`schema`] — every field, in one place, and the schema version;
//! * [`tokens`] — the words and character-bigram token streams (and the matching tantivy
//!   tokenizers);
//! * [`doc`] — an analysis as index documents, and back;
//! * [`writer`] — creating and opening an index, adding and replacing reports, commits that
//!   carry the analyzer fingerprint;
//! * [`query`] — the query language (`词 "短语" OR -排除`) and filters, as tantivy queries;
//! * [`copies`] — paragraphs an agency copied from its earlier reports, over the whole index;
//! * [`counts`] — exact per-year counts of matching reports and paragraphs;
//! * [`reader`] — running a search: hits with marked matches and original offsets, counts.
//!
//! What it does not do: it reads no report files and analyses nothing (the CLI's run loop
//! hands it analyses), and it never approximates a count.

pub mod copies;
pub mod counts;
pub mod doc;
pub mod query;
pub mod reader;
pub mod schema;
pub mod tokens;
pub mod writer;

pub use reader::{Hit, Limit, Match, SearchIndex, SearchResults, YearCount};
pub use writer::{IndexHandle, IndexWriter, Known, Payload};
