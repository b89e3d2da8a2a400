//! Creating, opening and writing an index.
//!
//! An index is a folder (by default `index/`) holding a tantivy index whose every commit
//! carries a [`Payload`]: the schema version and the [`Analyzer::fingerprint`] of the
//! dictionaries it was built with. An index built with other dictionaries, another codebook or
//! another schema is refused, with the advice to rebuild it, never silently mixed.
//!
//! Reports are identified by their content hash. Adding a report whose hash the index holds
//! does nothing; a file whose content changed has its old documents deleted in the same
//! commit that adds the new ones. Commits come in batches, and tantivy replaces its metadata
//! atomically, so a process killed at any moment leaves the last commit searchable; running
//! the same command again adds what is missing. tantivy's writer lock (an OS file lock, gone
//! with the process) keeps a second writer out.
//!
//! What it does not do: it does not walk or read files, and does not decide batch sizes (the
//! caller commits).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::doc::{ReportData, documents, report_document};
use super::schema::{Fields, KIND_REPORT, SCHEMA_VERSION};
use super::tokens;
use crate::error::{Error, Result};
use crate::pipeline::{Analysis, Analyzer};

/// What every commit records about how the index was built.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Payload {
    /// [`SCHEMA_VERSION`] of the build.
    pub schema_version: u32,
    /// [`Analyzer::fingerprint`] of the build.
    pub fingerprint: String,
    /// gongkai's version.
    pub gongkai: String,
    /// The next free report number.
    pub next_report_ord: u64,
}

/// Files a folder may hold besides an index and still count as empty (the repository's own
/// `index/` placeholder).
const PLACEHOLDERS: &[&str] = &["README.md", ".gitkeep", ".gitignore"];

/// An opened index: the tantivy index, its fields, and its folder.
pub struct IndexHandle {
    /// The tantivy index, with gongkai's tokenizers registered.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// Its folder.
    pub dir: PathBuf,
    /// The payload of its last commit.
    pub payload: Payload,
}

impl IndexHandle {
    /// Opens the index in `dir` for searching with `analyzer`. Fails, saying what to do, when
    /// there is none or it was built with other dictionaries or another schema.
    pub fn open(dir: &Path, analyzer: &Analyzer) -> Result<IndexHandle> {
        if !dir.join("meta.json").is_file() {
            return Err(index_error(
                dir,
                "no index here; build one with `gongkai index REPORTS… --index DIR`",
            ));
        }
        let index = Index::open_in_dir(dir).map_err(|e| tantivy_error(dir, e))?;
        let handle = IndexHandle::from_index(dir, index, analyzer)?;
        Ok(handle)
    }

    /// Opens the index in `dir`, or creates an empty one (committed at once, so the folder is
    /// a searchable index from the first moment). Refuses a folder that holds other files.
    pub fn open_or_create(dir: &Path, analyzer: &Analyzer) -> Result<IndexHandle> {
        if dir.join("meta.json").is_file() {
            return IndexHandle::open(dir, analyzer);
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| index_error(dir, format!("cannot create: {e}")))?;
        let foreign = std::fs::read_dir(dir)
            .map_err(|e| index_error(dir, format!("cannot read: {e}")))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|name| !PLACEHOLDERS.contains(&name.as_str()) && !name.starts_with(".tantivy"));
        if let Some(name) = foreign {
            return Err(index_error(
                dir,
                format!(
                    "the folder holds other files ({name}) but no index; choose a new or empty \
                     folder with --index"
                ),
            ));
        }
        let (schema, _) = Fields::build();
        let directory = MmapDirectory::open(dir).map_err(|e| index_error(dir, e.to_string()))?;
        let index = Index::create(directory, schema, Default::default())
            .map_err(|e| tantivy_error(dir, e))?;
        let payload = Payload {
            schema_version: SCHEMA_VERSION,
            fingerprint: analyzer.fingerprint().to_string(),
            gongkai: env!("CARGO_PKG_VERSION").to_string(),
            next_report_ord: 0,
        };
        tokens::register(&index);
        let (_, fields) = Fields::build();
        let handle = IndexHandle {
            index,
            fields,
            dir: dir.to_path_buf(),
            payload,
        };
        let mut w = handle.writer(1)?;
        w.commit()?;
        Ok(handle)
    }

    /// Opens the index in `dir` to be rebuilt from nothing with `analyzer`: whatever
    /// dictionaries it was built with. When its fields are this gongkai's, its documents stay
    /// searchable until the rebuild commits (call [`IndexWriter::delete_all`] first, and commit
    /// once at the end); an index of another schema is removed at once.
    pub fn create_for_rebuild(dir: &Path, analyzer: &Analyzer) -> Result<IndexHandle> {
        if !dir.join("meta.json").is_file() {
            return IndexHandle::open_or_create(dir, analyzer);
        }
        let (schema, fields) = Fields::build();
        if let Ok(index) = Index::open_in_dir(dir)
            && index.schema() == schema
        {
            tokens::register(&index);
            return Ok(IndexHandle {
                index,
                fields,
                dir: dir.to_path_buf(),
                payload: Payload {
                    schema_version: SCHEMA_VERSION,
                    fingerprint: analyzer.fingerprint().to_string(),
                    gongkai: env!("CARGO_PKG_VERSION").to_string(),
                    next_report_ord: 0,
                },
            });
        }
        // Another layout: nothing in it can be kept.
        let entries =
            std::fs::read_dir(dir).map_err(|e| index_error(dir, format!("cannot read: {e}")))?;
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if PLACEHOLDERS.contains(&name.as_str()) || !entry.path().is_file() {
                continue;
            }
            std::fs::remove_file(entry.path())
                .map_err(|e| index_error(dir, format!("cannot remove {name}: {e}")))?;
        }
        IndexHandle::open_or_create(dir, analyzer)
    }

    fn from_index(dir: &Path, index: Index, analyzer: &Analyzer) -> Result<IndexHandle> {
        let metas = index.load_metas().map_err(|e| tantivy_error(dir, e))?;
        let rebuild = "run `gongkai index --rebuild REPORTS… --index DIR` to build it again";
        let payload: Payload = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(|| {
                index_error(
                    dir,
                    format!("not a gongkai index (no build record); {rebuild}"),
                )
            })?;
        if payload.schema_version != SCHEMA_VERSION {
            return Err(index_error(
                dir,
                format!(
                    "built with index schema {} but this gongkai uses schema {SCHEMA_VERSION}; \
                     {rebuild}",
                    payload.schema_version
                ),
            ));
        }
        if payload.fingerprint != analyzer.fingerprint() {
            return Err(index_error(
                dir,
                format!(
                    "built with other dictionaries or rules (fingerprint {}, now {}: a changed \
                     dictionary, codebook, formula list or user dictionary, or another gongkai \
                     version); searching or adding to it would mix two analyses. If you built \
                     it with --codebook, --formulas or --user-dict, give the same flags again; \
                     otherwise {rebuild}",
                    payload.fingerprint,
                    analyzer.fingerprint()
                ),
            ));
        }
        let (schema, fields) = Fields::build();
        if index.schema() != schema {
            return Err(index_error(
                dir,
                format!("its fields differ from this gongkai's; {rebuild}"),
            ));
        }
        tokens::register(&index);
        Ok(IndexHandle {
            index,
            fields,
            dir: dir.to_path_buf(),
            payload,
        })
    }

    /// A reader that sees the last commit.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| tantivy_error(&self.dir, e))
    }

    /// How many reports the index holds.
    pub fn report_count(&self) -> Result<usize> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_REPORT),
            IndexRecordOption::Basic,
        );
        self.reader()?
            .searcher()
            .search(&query, &tantivy::collector::Count)
            .map_err(|e| tantivy_error(&self.dir, e))
    }

    /// Every report the index holds, in the order they were added.
    pub fn reports(&self) -> Result<Vec<IndexedReport>> {
        let searcher = self.reader()?.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_REPORT),
            IndexRecordOption::Basic,
        );
        self.report_records(&searcher, &query)
    }

    /// The report records matching `query` (a query on report documents), in index order.
    pub(crate) fn report_records(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> Result<Vec<IndexedReport>> {
        let mut out = Vec::new();
        for doc in self.documents(searcher, query)? {
            let ord = doc
                .get_first(self.fields.report_ord)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let data: ReportData = doc
                .get_first(self.fields.report)
                .and_then(|v| v.as_str())
                .and_then(|s| serde_json::from_str(s).ok())
                .ok_or_else(|| index_error(&self.dir, "a report record is damaged; rebuild"))?;
            out.push(IndexedReport { ord, data });
        }
        out.sort_by_key(|r| r.ord);
        Ok(out)
    }

    /// Every stored document matching `query`.
    pub(crate) fn documents(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> Result<Vec<TantivyDocument>> {
        let addresses = searcher
            .search(query, &tantivy::collector::DocSetCollector)
            .map_err(|e| tantivy_error(&self.dir, e))?;
        addresses
            .into_iter()
            .map(|a| searcher.doc(a).map_err(|e| tantivy_error(&self.dir, e)))
            .collect()
    }

    /// A writer with `threads` indexing threads. Fails with a clear message when another
    /// process is writing to the same index.
    pub fn writer(&self, threads: usize) -> Result<IndexWriter> {
        let threads = threads.clamp(1, 8);
        // tantivy needs at least 15 MB a thread; 40 MB keeps segments large and memory small.
        let budget = threads * 40_000_000;
        let writer = self
            .index
            .writer_with_num_threads(threads, budget)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => index_error(
                    &self.dir,
                    "another `gongkai index` is writing to this index; wait for it to finish \
                     (nothing was changed)",
                ),
                e => tantivy_error(&self.dir, e),
            })?;
        Ok(IndexWriter {
            writer,
            fields: self.fields.clone(),
            dir: self.dir.clone(),
            payload: self.payload.clone(),
        })
    }
}

/// A report record read back from the index.
#[derive(Clone, Debug)]
pub struct IndexedReport {
    /// Its number in the index (order of indexing).
    pub ord: u64,
    /// What was stored about it.
    pub data: ReportData,
}

/// Adds, replaces and commits reports.
pub struct IndexWriter {
    writer: tantivy::IndexWriter<TantivyDocument>,
    fields: Fields,
    dir: PathBuf,
    payload: Payload,
}

impl IndexWriter {
    /// The documents of an analysis (call from any thread; then [`IndexWriter::add`] them in
    /// order).
    pub fn documents(fields: &Fields, a: &Analysis) -> Vec<TantivyDocument> {
        documents(a, fields, &[], "")
    }

    /// The documents of an analysis with the user's metadata columns and join key (see
    /// [`super::doc::documents`]).
    pub fn documents_with_metadata(
        fields: &Fields,
        a: &Analysis,
        metadata: &[(String, String)],
        join_key: &str,
    ) -> Vec<TantivyDocument> {
        documents(a, fields, metadata, join_key)
    }

    /// Deletes every document of the report stored under `path` (before adding its new
    /// content, in the same commit).
    pub fn delete_path(&mut self, path: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, path));
    }

    /// Adds the documents of one report ([`IndexWriter::documents`]), numbered as the next
    /// report.
    pub fn add(&mut self, docs: Vec<TantivyDocument>) -> Result<()> {
        let ord = self.payload.next_report_ord;
        for mut doc in docs {
            doc.add_u64(self.fields.report_ord, ord);
            self.writer
                .add_document(doc)
                .map_err(|e| tantivy_error(&self.dir, e))?;
        }
        self.payload.next_report_ord += 1;
        Ok(())
    }

    /// Replaces the report document of report number `ord` (same content hash) with `data`,
    /// keeping its number.
    pub fn replace_report(&mut self, data: &ReportData, ord: u64) -> Result<()> {
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.kind, KIND_REPORT),
                    IndexRecordOption::Basic,
                )) as Box<dyn tantivy::query::Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.report_id, &data.content_hash),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        self.writer
            .delete_query(Box::new(query))
            .map_err(|e| tantivy_error(&self.dir, e))?;
        let mut doc = report_document(&self.fields, data);
        doc.add_u64(self.fields.report_ord, ord);
        self.writer
            .add_document(doc)
            .map_err(|e| tantivy_error(&self.dir, e))?;
        Ok(())
    }

    /// Deletes every document (of earlier commits too): the first step of a rebuild, visible
    /// only when the rebuild commits.
    pub fn delete_all(&mut self) -> Result<()> {
        self.writer
            .delete_all_documents()
            .map(|_| ())
            .map_err(|e| tantivy_error(&self.dir, e))
    }

    /// Commits everything added so far, with the build record; after it returns, the reports
    /// are searchable and survive a crash.
    pub fn commit(&mut self) -> Result<()> {
        let payload = serde_json::to_string(&self.payload).unwrap_or_default();
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|e| tantivy_error(&self.dir, e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| tantivy_error(&self.dir, e))?;
        Ok(())
    }

    /// Waits for background merges, so the folder is left tidy.
    pub fn finish(self) -> Result<()> {
        let dir = self.dir.clone();
        self.writer
            .wait_merging_threads()
            .map_err(|e| tantivy_error(&dir, e))
    }
}

/// Content hashes and paths already indexed, for deciding what a run must add.
#[derive(Clone, Debug, Default)]
pub struct Known {
    /// Content hash → path it was indexed under.
    pub by_hash: HashMap<String, String>,
    /// Path → content hash.
    pub by_path: HashMap<String, String>,
    /// Content hash → the join key it was indexed with.
    pub join_keys: HashMap<String, String>,
}

impl Known {
    /// What the reports of an index say.
    pub fn of(reports: &[IndexedReport]) -> Known {
        let mut known = Known::default();
        for r in reports {
            known
                .by_hash
                .insert(r.data.content_hash.clone(), r.data.path.clone());
            known
                .by_path
                .insert(r.data.path.clone(), r.data.content_hash.clone());
            known
                .join_keys
                .insert(r.data.content_hash.clone(), r.data.join_key.clone());
        }
        known
    }
}

fn index_error(dir: &Path, message: impl Into<String>) -> Error {
    Error::Index {
        dir: dir.to_path_buf(),
        message: message.into(),
    }
}

fn tantivy_error(dir: &Path, e: tantivy::TantivyError) -> Error {
    index_error(dir, e.to_string())
}

/// An index error from elsewhere in this stage.
pub(crate) fn error(dir: &Path, message: impl Into<String>) -> Error {
    index_error(dir, message)
}
