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
    /// An input that is not a regular file (a FIFO, socket or device): never opened, since
    /// reading a FIFO blocks until someone writes to it.
    #[error("{path}: not a regular file ({kind}): gongkai reads only regular files")]
    NotRegularFile {
        /// The input.
        path: PathBuf,
        /// What it is instead (`FIFO`, `socket`, `device`, …).
        kind: &'static str,
    },
    /// A file in a format gongkai does not read (`.doc`, `.docx`, `.wps`, `.xls`, …).
    #[error("{path}: {advice}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What it is and what to do (convert it to text or PDF).
        advice: String,
    },
    /// A file larger than [`crate::corpus::MAX_REPORT_BYTES`]: skipped unread, so that one
    /// odd file cannot take the machine's memory.
    #[error(
        "{path}: {bytes} bytes, more than the {limit} bytes a report may have: not a report? (split it, or extract its text first)"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A directory symlink that leads back to one of its own ancestors: followed once, never
    /// round the loop.
    #[error("{path}: symlink loop back to {ancestor}: not followed")]
    SymlinkLoop {
        /// The link.
        path: PathBuf,
        /// The directory it leads back to.
        ancestor: PathBuf,
    },
    /// The same file, or a file with the same content, was already read in this run: counted
    /// once.
    #[error("{path}: the same file or content as {of}: counted once")]
    Duplicate {
        /// The later file, skipped.
        path: PathBuf,
        /// The file read first.
        of: PathBuf,
    },
    /// A file that is not a report: a README or manifest, or text without Chinese.
    #[error("{path}: not a report ({reason})")]
    NotAReport {
        /// The file.
        path: PathBuf,
        /// Why.
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
    /// A labelled gold file for `eval` (reports or clauses) has a bad row.
    #[error("{file} line {line}: {message}")]
    Gold {
        /// The gold file as given.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the row.
        message: String,
    },
    /// The full-text index cannot be opened, written or searched as asked.
    #[error("{dir} (the index folder): {message}")]
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

/// Why an input was skipped, for the one summary line a run ends with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Could not be opened or read (missing, permission, path too long, …).
    Unreadable,
    /// A FIFO, socket or device.
    NotRegularFile,
    /// A format gongkai does not read.
    Unsupported,
    /// Over the size limit.
    TooLarge,
    /// A symlink loop.
    SymlinkLoop,
    /// Read, but no usable text (empty, binary, undecodable, wrong encoding, scanned PDF, …).
    NoText,
    /// Same content as a file read before.
    Duplicate,
    /// Not a report (README, manifest, no Chinese text).
    NotAReport,
}

impl SkipReason {
    /// How the summary line calls it.
    pub fn label(self) -> &'static str {
        match self {
            SkipReason::Unreadable => "unreadable",
            SkipReason::NotRegularFile => "not a regular file",
            SkipReason::Unsupported => "unsupported format",
            SkipReason::TooLarge => "too large",
            SkipReason::SymlinkLoop => "symlink loop",
            SkipReason::NoText => "no usable text",
            SkipReason::Duplicate => "duplicate",
            SkipReason::NotAReport => "not a report",
        }
    }

    /// Whether a skip of this kind makes the run fail (exit 1): an input that should have been
    /// read was not. Duplicates, unsupported formats and non-reports are counted and named,
    /// but the reports that were read are complete.
    pub fn is_failure(self) -> bool {
        !matches!(
            self,
            SkipReason::Duplicate
                | SkipReason::Unsupported
                | SkipReason::NotAReport
                | SkipReason::SymlinkLoop
        )
    }
}

impl Error {
    /// Why an input with this error was skipped.
    pub fn skip_reason(&self) -> SkipReason {
        match self {
            Error::Io { .. } => SkipReason::Unreadable,
            Error::NotRegularFile { .. } => SkipReason::NotRegularFile,
            Error::Unsupported { .. } => SkipReason::Unsupported,
            Error::TooLarge { .. } => SkipReason::TooLarge,
            Error::SymlinkLoop { .. } => SkipReason::SymlinkLoop,
            Error::Duplicate { .. } => SkipReason::Duplicate,
            Error::NotAReport { .. } => SkipReason::NotAReport,
            _ => SkipReason::NoText,
        }
    }
}
