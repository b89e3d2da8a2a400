//! The library's error type.
//!
//! Errors name the file (and line, where there is one) and the offending entry, and say what to
//! do, because the person reading them is usually a researcher with a folder of reports and a
//! dictionary they just edited, not the author of this crate. The binary adds its own context
//! with `anyhow` on top.

use std::path::PathBuf;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A report file could not be read from disk.
    #[error("{path}: cannot read file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A report file was read but holds no usable text (empty, binary, undecodable, a PDF
    /// without a text layer, …).
    #[error("{path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why, and what to do about it.
        reason: String,
    },
    /// A dictionary or lexicon file has a bad entry.
    #[error("{file} line {line}: {message}")]
    Dictionary {
        /// The dictionary's name (its path under `dictionaries/` for the embedded ones).
        file: String,
        /// 1-based line number (0 when the problem is not on one line).
        line: usize,
        /// What is wrong with the entry.
        message: String,
    },
    /// The full-text index cannot be opened, written or searched as asked.
    #[error("index {dir}: {message}")]
    Index {
        /// The index folder.
        dir: PathBuf,
        /// What is wrong, and what to do about it.
        message: String,
    },
    /// A search query cannot be understood.
    #[error("query {query:?}: {message}")]
    Query {
        /// The query as typed.
        query: String,
        /// What is wrong with it.
        message: String,
    },
}
