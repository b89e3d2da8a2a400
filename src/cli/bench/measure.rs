//! Throughput and memory measurement of the pipeline, as `gongkai bench` reports it.
//!
//! Three stages are timed on the same reports in the same run, so their ratios mean something
//! on a shared, noisy machine where absolute numbers do not:
//!
//! * **raw jieba** — plain jieba-rs (`Jieba::new()`, default dictionary) `cut` over the
//!   normalized narrative paragraphs: the baseline;
//! * **segment** — gongkai's segmentation stage over the *same* paragraphs (domain dictionary,
//!   whitespace skipped, byte ranges returned);
//! * **pipeline** — the whole analysis from file bytes: decode, normalize, structure, metadata,
//!   segment.
//!
//! Each with N threads over all input and with one thread over a prefix (one thread over a
//! gigabyte takes too long to be useful). Reports are read and processed in batches, so memory
//! holds a batch, never the corpus: the peak RSS it reports is what a user's run needs.
//! Token counts are checked inside the timed work — the segment stage must produce exactly
//! the words the pipeline stored — so a broken fast path cannot look fast.
//!
//! Disk reads are not timed (they measure the disk, not gongkai); decoding is.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use anyhow::{Context, Result, anyhow, bail};
use gongkai::corpus::{self, LoadOptions};
use gongkai::pipeline::{Analysis, Analyzer};
use gongkai::segment::ChineseSegmenter;

/// Where benchmark input comes from.
pub enum BenchInput {
    /// Files on disk, read batch by batch.
    Files(Vec<PathBuf>),
    /// Reports held in memory (the bundled sample, repeated): `(name, bytes)`.
    Memory(Vec<(PathBuf, Vec<u8>)>),
}

impl BenchInput {
    /// Number of reports.
    pub fn len(&self) -> usize {
        match self {
            BenchInput::Files(f) => f.len(),
            BenchInput::Memory(m) => m.len(),
        }
    }

    /// The `i`-th report's name and bytes.
    pub fn load(&self, i: usize) -> Result<(PathBuf, Vec<u8>)> {
        match self {
            BenchInput::Files(f) => std::fs::read(&f[i])
                .map(|b| (f[i].clone(), b))
                .with_context(|| format!("{}: cannot read", f[i].display())),
            BenchInput::Memory(m) => Ok(m[i].clone()),
        }
    }
}

/// Benchmark settings.
#[derive(Clone, Copy, Debug)]
pub struct BenchOptions {
    /// Worker threads for the parallel measurements.
    pub threads: usize,
    /// Bytes of input measured with one thread (a prefix of the input).
    pub single_thread_bytes: u64,
    /// Reports per batch.
    pub batch: usize,
    /// Bytes of input (a prefix) indexed by gongkai and by plain tantivy + tantivy-jieba;
    /// 0 skips the index measurements.
    pub index_bytes: u64,
}

/// The measurements. Field names are a documented interface (README, "bench JSON").
#[derive(Clone, Debug, Default, Serialize)]
pub struct BenchReport {
    /// Bytes of report files processed by the N-thread run.
    pub input_bytes: u64,
    /// Reports processed by the N-thread run.
    pub reports: usize,
    /// Reports that failed to load (reported on stderr by the CLI).
    pub failed: usize,
    /// Bytes of normalized narrative paragraphs (the input of the two segmentation stages).
    pub narrative_bytes: u64,
    /// Words produced by the segment stage (N threads).
    pub words: u64,
    /// Threads of the parallel run.
    pub threads: usize,
    /// Time to build the shared analyzer (all dictionaries and automata), milliseconds.
    pub startup_ms: f64,
    /// Raw jieba-rs `cut`, MB/s of narrative, N threads.
    pub raw_jieba_mb_s: f64,
    /// gongkai's segmentation stage, MB/s of narrative, N threads.
    pub segment_mb_s: f64,
    /// Whole pipeline, MB/s of input files, N threads.
    pub pipeline_mb_s: f64,
    /// Bytes of input files in the one-thread prefix.
    pub input_bytes_1t: u64,
    /// Raw jieba-rs `cut`, one thread.
    pub raw_jieba_1t_mb_s: f64,
    /// Segmentation stage, one thread.
    pub segment_1t_mb_s: f64,
    /// Whole pipeline, one thread.
    pub pipeline_1t_mb_s: f64,
    /// segment_mb_s / raw_jieba_mb_s.
    pub segment_vs_raw: f64,
    /// segment_1t_mb_s / raw_jieba_1t_mb_s.
    pub segment_vs_raw_1t: f64,
    /// Pipeline throughput in narrative MB/s divided by raw jieba's (N threads): the share of
    /// raw segmentation speed the whole analysis keeps.
    pub pipeline_vs_raw: f64,
    /// pipeline_mb_s / pipeline_1t_mb_s.
    pub pipeline_speedup: f64,
    /// raw_jieba_mb_s / raw_jieba_1t_mb_s.
    pub raw_jieba_speedup: f64,
    /// Boilerplate stage (formula matching on the narrative), MB/s of narrative, N threads.
    pub boilerplate_mb_s: f64,
    /// Boilerplate stage time / whole pipeline time (N threads): what the stage adds.
    pub boilerplate_share_of_pipeline: f64,
    /// Theme stage (classifying every narrative sentence), MB/s of narrative, N threads.
    pub themes_mb_s: f64,
    /// Theme stage time / whole pipeline time (N threads).
    pub themes_share_of_pipeline: f64,
    /// Peak resident memory of the process, MB (Linux; 0 elsewhere).
    pub peak_rss_mb: f64,
    /// Bytes of input files indexed by the two index runs (a prefix of the input).
    pub index_input_bytes: u64,
    /// Bytes of narrative in that prefix.
    pub index_narrative_bytes: u64,
    /// Whole pipeline from file bytes to a committed gongkai index, MB/s of input, N threads.
    pub index_mb_s: f64,
    /// The same per byte of narrative, divided by raw jieba-rs `cut` (N threads): the share of
    /// raw segmentation speed that reading, analysing and indexing keep.
    pub index_vs_raw: f64,
    /// Plain tantivy + tantivy-jieba (its default tokenizer, one `IndexWriter` with the same
    /// threads and memory) indexing the same narrative paragraphs, MB/s of narrative.
    pub tantivy_jieba_mb_s: f64,
    /// gongkai's index throughput per narrative byte ÷ plain tantivy + tantivy-jieba's.
    pub index_vs_tantivy_jieba: f64,
    /// gongkai index size on disk per MB of input file.
    pub index_disk_mb_per_input_mb: f64,
    /// Bytes of the text file the `segment` command was timed on (the reports' text, one after
    /// another, up to the one-thread prefix). The command lives in the binary, so the binary's
    /// `bench` fills the `segment_cli_*` fields; they are 0 from [`run`].
    pub segment_cli_bytes: u64,
    /// `gongkai segment` end to end on that file, one thread (read, decode, normalize, cut,
    /// map back to the input, write a file), MB/s of file; start-up excluded.
    pub segment_cli_mb_s: f64,
    /// Raw jieba-rs `cut` (default dictionary) over the lines of the same text, one thread,
    /// MB/s.
    pub segment_cli_raw_mb_s: f64,
    /// segment_cli_mb_s / segment_cli_raw_mb_s.
    pub segment_cli_vs_raw: f64,
}

#[derive(Default)]
struct Timings {
    input_bytes: u64,
    reports: usize,
    failed: usize,
    narrative_bytes: u64,
    words: u64,
    raw: Duration,
    segment: Duration,
    pipeline: Duration,
    boilerplate: Duration,
    themes: Duration,
}

/// Runs the benchmark. `on_error` is told about reports that fail to load.
//
// Long because it assembles the report: each measurement is its own function, and this one
// fills the documented JSON fields from them, one line a field.
pub fn run(
    input: &BenchInput,
    opts: BenchOptions,
    builder: &gongkai::pipeline::AnalyzerBuilder,
    mut on_error: impl FnMut(&dyn std::fmt::Display),
) -> Result<BenchReport> {
    let t = Instant::now();
    let analyzer = builder.build()?;
    let startup = t.elapsed();
    let raw = ChineseSegmenter::plain(analyzer.segmenter().hmm());

    let contenders = Contenders {
        analyzer: &analyzer,
        raw: &raw,
    };
    let pass = |threads, limit_bytes, max_reports| Pass {
        threads,
        limit_bytes,
        max_reports,
        batch: opts.batch,
    };

    // Warm up caches and lazies on a few reports, untimed.
    let warm = input.len().min(4);
    measure(&contenders, input, pass(1, u64::MAX, warm), &mut |_| {})?;

    // Failures are reported once, from the run over all the input; the one-thread run
    // measures a prefix.
    let one_thread = pass(1, opts.single_thread_bytes, usize::MAX);
    let one = measure(&contenders, input, one_thread, &mut |_| {})?;
    let n = opts.threads;
    let many = measure(
        &contenders,
        input,
        pass(n, u64::MAX, usize::MAX),
        &mut on_error,
    )?;

    let mb_s = |bytes: u64, d: Duration| {
        let s = d.as_secs_f64();
        if s > 0.0 { bytes as f64 / 1e6 / s } else { 0.0 }
    };
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let mut r = BenchReport {
        input_bytes: many.input_bytes,
        reports: many.reports,
        failed: many.failed,
        narrative_bytes: many.narrative_bytes,
        words: many.words,
        threads: opts.threads,
        startup_ms: startup.as_secs_f64() * 1e3,
        raw_jieba_mb_s: mb_s(many.narrative_bytes, many.raw),
        segment_mb_s: mb_s(many.narrative_bytes, many.segment),
        pipeline_mb_s: mb_s(many.input_bytes, many.pipeline),
        input_bytes_1t: one.input_bytes,
        raw_jieba_1t_mb_s: mb_s(one.narrative_bytes, one.raw),
        segment_1t_mb_s: mb_s(one.narrative_bytes, one.segment),
        pipeline_1t_mb_s: mb_s(one.input_bytes, one.pipeline),
        peak_rss_mb: peak_rss_mb(),
        ..BenchReport::default()
    };
    r.boilerplate_mb_s = mb_s(many.narrative_bytes, many.boilerplate);
    r.boilerplate_share_of_pipeline =
        ratio(many.boilerplate.as_secs_f64(), many.pipeline.as_secs_f64());
    r.themes_mb_s = mb_s(many.narrative_bytes, many.themes);
    r.themes_share_of_pipeline = ratio(many.themes.as_secs_f64(), many.pipeline.as_secs_f64());
    r.segment_vs_raw = ratio(r.segment_mb_s, r.raw_jieba_mb_s);
    r.segment_vs_raw_1t = ratio(r.segment_1t_mb_s, r.raw_jieba_1t_mb_s);
    r.pipeline_vs_raw = ratio(mb_s(many.narrative_bytes, many.pipeline), r.raw_jieba_mb_s);
    r.pipeline_speedup = ratio(r.pipeline_mb_s, r.pipeline_1t_mb_s);
    r.raw_jieba_speedup = ratio(r.raw_jieba_mb_s, r.raw_jieba_1t_mb_s);

    if opts.index_bytes > 0 {
        let ix = measure_index(&analyzer, input, n, opts.index_bytes)?;
        let plain = measure_tantivy_jieba(&ix.paragraphs, n)?;
        r.index_input_bytes = ix.input_bytes;
        r.index_narrative_bytes = ix.narrative_bytes;
        r.index_mb_s = mb_s(ix.input_bytes, ix.time);
        r.index_vs_raw = ratio(mb_s(ix.narrative_bytes, ix.time), r.raw_jieba_mb_s);
        r.tantivy_jieba_mb_s = mb_s(ix.narrative_bytes, plain);
        r.index_vs_tantivy_jieba = ratio(plain.as_secs_f64(), ix.time.as_secs_f64());
        r.index_disk_mb_per_input_mb = ratio(ix.disk_bytes as f64, ix.input_bytes as f64);
        r.peak_rss_mb = peak_rss_mb();
    }
    Ok(r)
}

/// What the index run measured.
struct IndexRun {
    input_bytes: u64,
    narrative_bytes: u64,
    disk_bytes: u64,
    time: Duration,
    /// The narrative paragraphs, for the tantivy + tantivy-jieba baseline.
    paragraphs: Vec<String>,
}

/// File bytes to a committed gongkai index in a temporary folder, over the first `limit`
/// bytes of input, timed end to end (reading included: the index writer works in the
/// background, so nothing in the loop may go untimed).
fn measure_index(
    analyzer: &Analyzer,
    input: &BenchInput,
    threads: usize,
    limit: u64,
) -> Result<IndexRun> {
    let dir = tempfile::tempdir().context("cannot create a temporary folder (set TMPDIR)")?;
    let pool = thread_pool(threads)?;
    let start = Instant::now();
    let handle = gongkai::search::IndexHandle::open_or_create(dir.path(), analyzer)?;
    let mut writer = handle.writer(threads)?;
    let mut run = IndexRun {
        input_bytes: 0,
        narrative_bytes: 0,
        disk_bytes: 0,
        time: Duration::ZERO,
        paragraphs: Vec::new(),
    };
    let mut next = 0;
    let batch_size = (threads * 32).max(64);
    while next < input.len() && run.input_bytes < limit {
        let mut batch = Vec::with_capacity(batch_size);
        while next < input.len() && batch.len() < batch_size {
            if let Ok(doc) = input.load(next) {
                batch.push(doc);
            }
            next += 1;
        }
        run.input_bytes += batch.iter().map(|(_, b)| b.len() as u64).sum::<u64>();
        let fields = &handle.fields;
        let analysed: Vec<(Vec<tantivy::TantivyDocument>, Vec<String>)> = pool.install(|| {
            batch
                .par_iter()
                .filter_map(|(path, b)| corpus::from_bytes(path, b, LoadOptions::default()).ok())
                .map(|s| {
                    let a = analyzer.analyze(s);
                    let texts = a.narrative().map(|v| v.paragraph.text.clone()).collect();
                    (gongkai::search::IndexWriter::documents(fields, &a), texts)
                })
                .collect()
        });
        for (docs, texts) in analysed {
            writer.add(docs)?;
            run.narrative_bytes += texts.iter().map(|t| t.len() as u64).sum::<u64>();
            run.paragraphs.extend(texts);
        }
    }
    writer.commit()?;
    writer.finish()?;
    run.time = start.elapsed();
    run.disk_bytes = std::fs::read_dir(dir.path())
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    Ok(run)
}

/// The stack a Rust user would otherwise pick: tantivy with tantivy-jieba's default
/// tokenizer on a stored text field, one `IndexWriter` with the same threads and memory,
/// indexing the same paragraphs; timed from the first document to the committed index.
fn measure_tantivy_jieba(paragraphs: &[String], threads: usize) -> Result<Duration> {
    use tantivy::schema::{STORED, Schema, TEXT};
    let dir = tempfile::tempdir().context("cannot create a temporary folder (set TMPDIR)")?;
    let fail = |e: tantivy::TantivyError| anyhow!("plain tantivy baseline: {e}");
    let mut schema = Schema::builder();
    let body = schema.add_text_field(
        "body",
        (TEXT | STORED).set_indexing_options(
            tantivy::schema::TextFieldIndexing::default()
                .set_tokenizer("jieba")
                .set_index_option(tantivy::schema::IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let index = tantivy::Index::create_in_dir(dir.path(), schema.build()).map_err(fail)?;
    // Its dictionary loads lazily on first use: load it before the clock starts.
    let mut tokenizer = tantivy_jieba::JiebaTokenizer::new();
    {
        use tantivy::tokenizer::{TokenStream, Tokenizer};
        let mut warm = tokenizer.token_stream("政府信息公开工作年度报告");
        while warm.advance() {}
    }
    index.tokenizers().register("jieba", tokenizer);
    let threads = threads.clamp(1, 8);
    let start = Instant::now();
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(threads, threads * 40_000_000)
        .map_err(fail)?;
    for p in paragraphs {
        let mut doc = tantivy::TantivyDocument::new();
        doc.add_text(body, p);
        writer.add_document(doc).map_err(fail)?;
    }
    writer.commit().map_err(fail)?;
    writer.wait_merging_threads().map_err(fail)?;
    Ok(start.elapsed())
}

fn thread_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .context("cannot start the benchmark's threads")
}

/// What is compared in a measurement: the pipeline's analyzer and raw jieba-rs.
struct Contenders<'a> {
    analyzer: &'a Analyzer,
    raw: &'a ChineseSegmenter,
}

/// How much of the input one measurement covers, and with how many threads.
#[derive(Clone, Copy)]
struct Pass {
    threads: usize,
    /// Stop after the batch that reaches this many input bytes.
    limit_bytes: u64,
    /// Stop after this many reports (warm-up).
    max_reports: usize,
    /// Reports per batch.
    batch: usize,
}

/// Runs the stages over the input in batches, as far as `pass` says.
fn measure(
    c: &Contenders<'_>,
    input: &BenchInput,
    pass: Pass,
    on_error: &mut dyn FnMut(&dyn std::fmt::Display),
) -> Result<Timings> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(pass.threads.max(1))
        .build()
        .context("cannot start the benchmark's threads")?;
    let mut t = Timings::default();
    let mut next = 0;
    let mut batches = 0usize;
    let end = input.len().min(pass.max_reports);
    while next < end && t.input_bytes < pass.limit_bytes {
        // Read a batch (untimed).
        let mut batch = Vec::with_capacity(pass.batch);
        while next < end && batch.len() < pass.batch {
            match input.load(next) {
                Ok(doc) => batch.push(doc),
                Err(e) => {
                    on_error(&e);
                    t.failed += 1;
                }
            }
            next += 1;
        }
        let bytes: u64 = batch.iter().map(|(_, b)| b.len() as u64).sum();

        // Pipeline: bytes → analysis, segmentation included.
        let start = Instant::now();
        let results: Vec<gongkai::Result<Analysis>> = pool.install(|| {
            batch
                .par_iter()
                .map(|(path, b)| {
                    corpus::from_bytes(path, b, LoadOptions::default())
                        .map(|s| c.analyzer.analyze(s))
                })
                .collect()
        });
        t.pipeline += start.elapsed();
        let mut analyses = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(a) => analyses.push(a),
                Err(e) => {
                    on_error(&e);
                    t.failed += 1;
                }
            }
        }
        t.input_bytes += bytes;
        t.reports += analyses.len();
        drop(batch);

        batches += 1;
        time_segmenters(c, &pool, &analyses, batches.is_multiple_of(2), &mut t)?;
        time_boilerplate_and_themes(c, &pool, &analyses, &mut t)?;
    }
    Ok(t)
}

/// Times raw jieba-rs `cut` and the segment stage on the same narrative paragraphs, and checks
/// that the segment stage is what the pipeline ran. `raw_first` alternates which runs first,
/// so neither always gets the warmer cache.
fn time_segmenters(
    c: &Contenders<'_>,
    pool: &rayon::ThreadPool,
    analyses: &[Analysis],
    raw_first: bool,
    t: &mut Timings,
) -> Result<()> {
    let paragraphs: Vec<&str> = analyses
        .iter()
        .flat_map(|a| a.narrative().map(|v| v.paragraph.text.as_str()))
        .collect();
    let expected: usize = analyses.iter().map(Analysis::word_count).sum();
    t.narrative_bytes += paragraphs.iter().map(|p| p.len() as u64).sum::<u64>();
    let time_raw = || {
        let start = Instant::now();
        let n: usize = pool.install(|| {
            paragraphs
                .par_iter()
                .map(|p| c.raw.jieba().cut(p, c.raw.hmm()).len())
                .sum()
        });
        (n, start.elapsed())
    };
    let time_segment = || {
        let start = Instant::now();
        let n: usize = pool.install(|| {
            paragraphs
                .par_iter()
                .map(|p| c.analyzer.segmenter().words(p).len())
                .sum()
        });
        (n, start.elapsed())
    };
    let ((raw_tokens, raw_time), (words, segment_time)) = if raw_first {
        let r = time_raw();
        (r, time_segment())
    } else {
        let s = time_segment();
        (time_raw(), s)
    };
    t.raw += raw_time;
    t.segment += segment_time;
    if words != expected || (raw_tokens == 0 && !paragraphs.is_empty()) {
        bail!(
            "benchmark self-check failed: segment stage produced {words} words but the \
                 pipeline stored {expected}: the benchmark is not measuring the real path"
        );
    }
    t.words += words as u64;
    Ok(())
}

/// Times the boilerplate and theme stages alone on the narrative paragraphs, and checks that
/// the boilerplate stage finds what the pipeline stored.
fn time_boilerplate_and_themes(
    c: &Contenders<'_>,
    pool: &rayon::ThreadPool,
    analyses: &[Analysis],
    t: &mut Timings,
) -> Result<()> {
    let narrative: Vec<&gongkai::structure::Paragraph> = analyses
        .iter()
        .flat_map(|a| a.narrative().map(|v| v.paragraph))
        .collect();
    let start = Instant::now();
    let formulas: usize = pool.install(|| {
        narrative
            .par_iter()
            .map(|p| c.analyzer.boilerplate().find(&p.text).len())
            .sum()
    });
    t.boilerplate += start.elapsed();
    let stored: usize = analyses.iter().map(Analysis::formula_count).sum();
    let start = Instant::now();
    let hits: usize = pool.install(|| {
        narrative
            .par_iter()
            .map(|p| {
                c.analyzer
                    .themes()
                    .classify(
                        &p.text,
                        &p.sentences,
                        gongkai::structure::SectionKind::Problems,
                    )
                    .len()
            })
            .sum()
    });
    t.themes += start.elapsed();
    std::hint::black_box(hits);
    if formulas != stored {
        bail!(
            "benchmark self-check failed: boilerplate stage found {formulas} formulae, \
                 the pipeline {stored}"
        );
    }
    Ok(())
}

/// Peak resident set size of this process in MB, from `/proc/self/status` (0 if unknown).
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_on_a_tiny_input_and_counts_words() {
        let text = "某局2018年度政府信息公开工作年度报告\n一、概述\n我局认真贯彻落实政府信息公开条例，主动公开政府信息。\n";
        let input = BenchInput::Memory(vec![(PathBuf::from("a.txt"), text.as_bytes().to_vec()); 3]);
        let opts = BenchOptions {
            threads: 2,
            single_thread_bytes: u64::MAX,
            batch: 2,
            index_bytes: u64::MAX,
        };
        let r = run(&input, opts, &Default::default(), |e| panic!("{e}")).expect("bench runs");
        assert_eq!(r.reports, 3);
        assert_eq!(r.input_bytes, 3 * text.len() as u64);
        assert!(r.words >= 3 * 8, "{r:?}");
        assert!(r.narrative_bytes > 0);
        assert_eq!(r.index_input_bytes, r.input_bytes);
        assert_eq!(r.index_narrative_bytes, r.narrative_bytes);
        assert!(r.index_mb_s > 0.0 && r.tantivy_jieba_mb_s > 0.0, "{r:?}");
    }
}
