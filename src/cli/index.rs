//! `gongkai index`: build or extend the full-text index.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use tantivy::TantivyDocument;

use gongkai::corpus::Source;
use gongkai::search::{IndexHandle, IndexWriter, Known, copies};

use super::run::{self, RunOptions, Taken};

/// Arguments of `gongkai index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Report files or directories (searched recursively for .txt .md .htm .html .pdf).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The index folder (created if missing).
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Worker threads (default: all cores). The index holds the same reports for any number.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Start again from an empty index: after changing dictionaries or upgrading gongkai. The
    /// old index stays searchable until the new one is committed.
    #[arg(long)]
    pub rebuild: bool,
    /// Decode every text file with this encoding instead of detecting it.
    #[arg(long, value_parser = super::encoding_label)]
    pub encoding: Option<String>,
    /// Commit after this many new reports (a crash loses at most one batch; re-running the
    /// command adds it).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub commit_every: u64,
    #[command(flatten)]
    pub dicts: super::dicts::DictArgs,
    #[command(flatten)]
    pub join: super::dicts::JoinArgs,
}

/// What the parallel stage hands the writer for one file.
enum Item {
    /// Analysed: its documents (report number still to add).
    New {
        docs: Vec<TantivyDocument>,
        path: String,
        hash: String,
        agency: Option<String>,
        taken: Taken,
    },
    /// The index already holds this content.
    Known { path: String, hash: String },
}

/// Runs `index`; `Ok(false)` when some input failed.
pub fn run(args: IndexArgs) -> Result<bool> {
    let analyzer = super::dicts::analyzer(&args.dicts)?;
    let join = super::dicts::join(&args.join, &analyzer)?;
    let threads = super::threads(args.threads);
    // Walk first: with nothing to index, no index folder is created and none is touched.
    let (files, walk_failures) = run::report_files(&args.paths)?;
    let handle = if args.rebuild {
        IndexHandle::create_for_rebuild(&args.index, &analyzer)?
    } else {
        IndexHandle::open_or_create(&args.index, &analyzer)?
    };
    let known = if args.rebuild {
        Known::default()
    } else {
        Known::of(&handle.reports()?)
    };
    let mut writer = handle.writer(threads)?;
    if args.rebuild {
        writer.delete_all()?;
    }
    let opts = RunOptions {
        load: super::analyze::load_options(args.encoding.as_deref())?,
        threads,
        command: "index",
        quiet: false,
        summary: false,
    };
    let fields = handle.fields.clone();
    let work = |source: Source| -> gongkai::Result<Item> {
        let path = source.path.display().to_string();
        let hash = source.content_hash.clone();
        let join_key = join.key(&source.path);
        if let Some(indexed_as) = known.by_hash.get(&hash) {
            // Unchanged unless the same file now comes with other metadata or aliases.
            let same_join = known.join_keys.get(&hash) == Some(&join_key);
            if indexed_as != &path || same_join {
                return Ok(Item::Known { path, hash });
            }
        }
        let mut a = analyzer.analyze(source);
        join.apply(&a.source.path, &mut a.metadata);
        let taken = Taken::of(&a);
        let metadata = join.pairs(&a.source.path);
        Ok(Item::New {
            docs: IndexWriter::documents_with_metadata(&fields, &a, &metadata, &join_key),
            path,
            hash,
            agency: a.metadata.agency.clone(),
            taken,
        })
    };
    let mut sink = Sink {
        writer: &mut writer,
        known: &known,
        counts: Counts::default(),
        added_now: HashSet::new(),
        agencies: BTreeSet::new(),
        batch: 0,
        // A rebuild commits once, at the end: until then the old index stays whole.
        commit_every: (!args.rebuild).then_some(args.commit_every),
    };
    let summary = run::run_files_with(
        &analyzer,
        &files,
        walk_failures,
        &opts,
        &work,
        &mut |item: Item| sink.take(item),
    )?;
    let Sink {
        counts, agencies, ..
    } = sink;
    writer.commit()?;
    // Copies depend on the other reports of an agency: relink every agency this run touched.
    if copies::link_copies(&handle, &mut writer, &agencies)? > 0 {
        writer.commit()?;
    }
    writer.finish()?;
    let extra = [
        format!(
            "{} new, {} unchanged, {} replaced, {} skipped",
            counts.new,
            counts.unchanged,
            counts.replaced,
            super::count(counts.duplicates as u64, "duplicate")
        ),
        format!(
            "{} now in {}",
            super::count(handle.report_count()? as u64, "report"),
            args.index.display()
        ),
    ];
    eprintln!("{}", summary.line("index", &extra));
    Ok(summary.ok())
}

/// The single-threaded end of `index`: takes each file's documents in input order, skips
/// what the index (or this run) already holds, replaces changed files, commits in batches.
struct Sink<'a> {
    writer: &'a mut IndexWriter,
    known: &'a Known,
    counts: Counts,
    /// Content hashes added by this run.
    added_now: HashSet<String>,
    /// Agencies whose copy links must be recomputed.
    agencies: BTreeSet<String>,
    /// Reports added since the last commit.
    batch: u64,
    /// Commit after this many reports (`None`: only at the end).
    commit_every: Option<u64>,
}

impl Sink<'_> {
    fn take(&mut self, item: Item) -> Result<Taken> {
        match item {
            Item::Known { path, hash } => {
                let indexed_as = self.known.by_hash.get(&hash);
                if indexed_as != Some(&path) {
                    self.counts.duplicates += 1;
                    eprintln!(
                        "gongkai: skipped {path}: same content as {}, already indexed",
                        indexed_as.map_or("", String::as_str)
                    );
                } else {
                    self.counts.unchanged += 1;
                }
                Ok(Taken::PassedOver)
            }
            Item::New {
                docs,
                path,
                hash,
                agency,
                taken,
            } => {
                if !self.added_now.insert(hash) {
                    self.counts.duplicates += 1;
                    eprintln!("gongkai: skipped {path}: same content as a file indexed above");
                    return Ok(Taken::PassedOver);
                }
                if self.known.by_path.contains_key(&path) {
                    self.writer.delete_path(&path);
                    self.counts.replaced += 1;
                } else {
                    self.counts.new += 1;
                }
                self.writer.add(docs)?;
                self.agencies.extend(agency);
                self.batch += 1;
                if self.commit_every.is_some_and(|n| self.batch >= n) {
                    self.writer.commit()?;
                    self.batch = 0;
                }
                Ok(taken)
            }
        }
    }
}

/// What a run did to the index.
#[derive(Debug, Default)]
struct Counts {
    new: usize,
    unchanged: usize,
    replaced: usize,
    duplicates: usize,
}
