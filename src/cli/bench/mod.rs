//! `gongkai bench` and `gongkai scale`: throughput, memory, and corpora to measure them on.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

mod measure;

use gongkai::corpus;
use gongkai::pipeline::Analyzer;
use measure::{self as bench, BenchInput, BenchOptions, BenchReport};

use super::output::Output;
use super::sample::SAMPLES;

/// Output formats of `bench`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BenchFormat {
    /// A readable table with ratios.
    Table,
    /// One JSON object (fields documented in the README).
    Json,
}

/// Arguments of `gongkai bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Reports or directories to measure on (default: the bundled sample repeated to
    /// --min-mb).
    pub paths: Vec<PathBuf>,
    /// Threads of the parallel measurement (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BenchFormat::Table)]
    pub format: BenchFormat,
    /// Size the bundled sample is repeated to, in MB.
    #[arg(long, default_value_t = 20)]
    pub min_mb: u64,
    /// MB of input measured with one thread (a prefix of the input).
    #[arg(long, default_value_t = 20)]
    pub single_thread_mb: u64,
    /// MB of input (a prefix) indexed by gongkai and by plain tantivy + tantivy-jieba, in
    /// temporary folders; 0 skips the index measurements.
    #[arg(long, default_value_t = 20)]
    pub index_mb: u64,
    /// Measure search latency on an existing index (--index) with a fixed query mix instead.
    #[arg(long, requires = "index")]
    pub search: bool,
    /// The index --search measures.
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// Times each query of the mix is run (after one untimed warm-up run).
    #[arg(long, default_value_t = 20)]
    pub repeat: usize,
    #[command(flatten)]
    pub dicts: super::dicts::DictArgs,
}

/// Runs `bench`.
pub fn run(args: BenchArgs) -> Result<bool> {
    if args.search {
        return search_latency(&args);
    }
    let threads = super::threads(args.threads);
    let mut ok = true;
    let input = if args.paths.is_empty() {
        let target = args.min_mb * 1_000_000;
        let mut docs = Vec::new();
        let mut bytes = 0u64;
        'fill: loop {
            for (name, text) in SAMPLES {
                if bytes >= target {
                    break 'fill;
                }
                docs.push((PathBuf::from(name), text.as_bytes().to_vec()));
                bytes += text.len() as u64;
            }
        }
        BenchInput::Memory(docs)
    } else {
        let (files, walk_failures) = super::run::report_files(&args.paths)?;
        ok &= walk_failures.failures() == 0;
        BenchInput::Files(files)
    };
    let opts = BenchOptions {
        threads,
        single_thread_bytes: args.single_thread_mb * 1_000_000,
        batch: (threads * 32).max(64),
        index_bytes: args.index_mb * 1_000_000,
    };
    if threads == 1 {
        eprintln!("gongkai bench: measuring with 1 thread …");
    } else {
        eprintln!("gongkai bench: measuring with 1 and {threads} threads …");
    }
    let builder = super::dicts::builder(&args.dicts)?;
    // A bad file is refused before anything is measured.
    super::dicts::build(&builder)?;
    // The same wording as every other command's skipped report.
    let mut report = bench::run(&input, opts, &builder, |e| {
        eprintln!("gongkai: skipped {e}")
    })?;
    segment_cli(&input, opts.single_thread_bytes, &mut report)?;
    ok &= report.failed == 0;
    let mut out = Output::open(None)?;
    match args.format {
        BenchFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        BenchFormat::Table => write!(out, "{}", table(&report))?,
    }
    out.finish()?;
    Ok(ok)
}

/// Times the `segment` command's own loop ([`super::segment::stream`]) on one large file
/// against raw jieba-rs `cut` on the lines of the same text, one thread each, and fills the
/// report's `segment_cli_*` fields. The file holds the text of the input reports, one after
/// another, up to `limit` bytes; writing it is not timed, and neither is building the
/// dictionaries (start-up is measured on its own). Each side runs three times, alternating,
/// and keeps its fastest run: on a shared machine the fastest is the least disturbed.
fn segment_cli(input: &BenchInput, limit: u64, report: &mut BenchReport) -> Result<()> {
    use std::time::Instant;

    use gongkai::normalize::Normalizer;
    use gongkai::segment::ChineseSegmenter;

    let dir = tempfile::tempdir().context("cannot create a temporary folder")?;
    let file = dir.path().join("segment-input.txt");
    let mut text = String::new();
    for i in 0..input.len() {
        if text.len() as u64 >= limit.max(1) {
            break;
        }
        // Reports that fail to load were reported by the main run.
        let Ok((path, bytes)) = input.load(i) else {
            continue;
        };
        if let Ok(source) = corpus::from_bytes(&path, &bytes, Default::default()) {
            text.push_str(&source.text);
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
    }
    std::fs::write(&file, &text).with_context(|| format!("{}: cannot write", file.display()))?;
    let normalizer = Normalizer::new()?;
    let segmenter = ChineseSegmenter::new()?;
    let raw = ChineseSegmenter::plain(false);
    let out_path = dir.path().join("segment-output.txt");
    let mut best_cli = f64::INFINITY;
    let mut best_raw = f64::INFINITY;
    let mut raw_words = 0usize;
    for _ in 0..3 {
        let start = Instant::now();
        let reader = std::fs::File::open(&file)
            .with_context(|| format!("{}: cannot open", file.display()))?;
        let out = std::fs::File::create(&out_path)
            .with_context(|| format!("{}: cannot create", out_path.display()))?;
        let mut out = std::io::BufWriter::new(out);
        super::segment::stream(
            reader,
            "bench input",
            &normalizer,
            &segmenter,
            Default::default(),
            &mut out,
        )?;
        out.flush().context("cannot write the segment output")?;
        best_cli = best_cli.min(start.elapsed().as_secs_f64());

        let start = Instant::now();
        raw_words = text
            .lines()
            .map(|line| raw.jieba().cut(line, false).len())
            .sum();
        best_raw = best_raw.min(start.elapsed().as_secs_f64());
    }
    std::hint::black_box(raw_words);
    let mb = text.len() as f64 / 1e6;
    report.segment_cli_bytes = text.len() as u64;
    if best_cli > 0.0 && best_raw > 0.0 {
        report.segment_cli_mb_s = mb / best_cli;
        report.segment_cli_raw_mb_s = mb / best_raw;
        report.segment_cli_vs_raw = report.segment_cli_mb_s / report.segment_cli_raw_mb_s;
    }
    Ok(())
}

/// The human-readable form of a bench report.
//
// Long because it is a layout: one line per printed row.
fn table(r: &BenchReport) -> String {
    let mb = |b: u64| b as f64 / 1e6;
    let mut s = String::new();
    s.push_str(&format!(
        "input: {} reports, {:.1} MB ({:.1} MB narrative, {} words); one-thread runs on the first {:.1} MB\n",
        r.reports,
        mb(r.input_bytes),
        mb(r.narrative_bytes),
        r.words,
        mb(r.input_bytes_1t)
    ));
    s.push_str(&format!(
        "analyzer start-up: {:.0} ms   peak memory: {:.0} MB\n\n",
        r.startup_ms, r.peak_rss_mb
    ));
    s.push_str(&format!(
        "{:<34} {:>12} {:>12} {:>9}\n",
        "stage (MB/s)",
        "1 thread",
        format!("{} threads", r.threads),
        "speedup"
    ));
    let row = |name: &str, one: f64, many: f64| {
        let speed = if one > 0.0 { many / one } else { 0.0 };
        format!("{name:<34} {one:>12.2} {many:>12.2} {speed:>8.2}x\n")
    };
    s.push_str(&row(
        "raw jieba-rs cut (narrative)",
        r.raw_jieba_1t_mb_s,
        r.raw_jieba_mb_s,
    ));
    s.push_str(&row(
        "gongkai segment (narrative)",
        r.segment_1t_mb_s,
        r.segment_mb_s,
    ));
    s.push_str(&row(
        "whole pipeline (input files)",
        r.pipeline_1t_mb_s,
        r.pipeline_mb_s,
    ));
    s.push_str(&format!(
        "\nsegment / raw jieba: {:.1}% ({} thread(s)), {:.1}% (1 thread)\n",
        100.0 * r.segment_vs_raw,
        r.threads,
        100.0 * r.segment_vs_raw_1t
    ));
    s.push_str(&format!(
        "pipeline / raw jieba, per narrative byte: {:.1}%\n",
        100.0 * r.pipeline_vs_raw
    ));
    s.push_str(&format!(
        "boilerplate stage: {:.1} MB/s, {:.1}% of pipeline time; theme stage: {:.1} MB/s, {:.1}%\n",
        r.boilerplate_mb_s,
        100.0 * r.boilerplate_share_of_pipeline,
        r.themes_mb_s,
        100.0 * r.themes_share_of_pipeline
    ));
    if r.segment_cli_bytes > 0 {
        s.push_str(&format!(
            "`gongkai segment` end to end, 1 thread, {:.1} MB file: {:.2} MB/s; raw jieba-rs cut on the same lines {:.2} MB/s; ratio {:.1}%\n",
            mb(r.segment_cli_bytes),
            r.segment_cli_mb_s,
            r.segment_cli_raw_mb_s,
            100.0 * r.segment_cli_vs_raw
        ));
    }
    if r.index_input_bytes > 0 {
        s.push_str(&format!(
            "\nindex ({:.1} MB of input, {} threads, to a committed index):\n",
            mb(r.index_input_bytes),
            r.threads
        ));
        s.push_str(&format!(
            "  gongkai, file bytes to committed index     {:>8.2} MB/s input, {:>8.2} MB/s narrative\n",
            r.index_mb_s,
            if r.index_input_bytes > 0 {
                r.index_mb_s * r.index_narrative_bytes as f64 / r.index_input_bytes as f64
            } else {
                0.0
            }
        ));
        s.push_str(&format!(
            "  plain tantivy + tantivy-jieba, paragraphs  {:>8.2} MB/s narrative\n",
            r.tantivy_jieba_mb_s
        ));
        s.push_str(&format!(
            "  index / raw jieba, per narrative byte: {:.1}%;  index / tantivy+tantivy-jieba: {:.2}x;  on disk: {:.2} MB per MB of input\n",
            100.0 * r.index_vs_raw,
            r.index_vs_tantivy_jieba,
            r.index_disk_mb_per_input_mb
        ));
    }
    s
}

/// The fixed query mix of `bench --search` (data, `benches/search_mix.tsv`): one query and
/// its search flags per line.
const SEARCH_MIX: &str = include_str!("../../../benches/search_mix.tsv");

/// The lines of [`SEARCH_MIX`]: `(query, flags)`.
fn search_mix() -> Vec<(&'static str, Vec<&'static str>)> {
    SEARCH_MIX
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (q, flags) = l.split_once('\t').unwrap_or((l, ""));
            (q, flags.split_whitespace().collect())
        })
        .collect()
}

#[derive(serde::Serialize)]
struct SearchBench {
    search_paragraphs: u64,
    search_reports: u64,
    search_queries: usize,
    search_runs: usize,
    search_p50_ms: f64,
    search_p99_ms: f64,
    search_max_ms: f64,
    per_query: Vec<QueryTiming>,
}

#[derive(serde::Serialize)]
struct QueryTiming {
    query: String,
    filters: String,
    paragraphs: u64,
    reports: u64,
    p50_ms: f64,
}

/// Runs the query mix on an existing index and reports latency percentiles.
//
// Long because it is a script: read the mix, check each query, time the repeats, print the
// table; each step is a few lines and used once.
fn search_latency(args: &BenchArgs) -> Result<bool> {
    use clap::Parser;
    use gongkai::search::query::ParsedQuery;
    use gongkai::search::{Limit, SearchIndex};
    let dir = args
        .index
        .as_deref()
        .context("--search needs --index DIR")?;
    let analyzer = Analyzer::new().context("cannot load the dictionaries")?;
    let index = SearchIndex::open(dir, &analyzer)?;
    #[derive(Parser)]
    struct F {
        #[command(flatten)]
        s: super::search::SearchArgs,
    }
    let mut all = Vec::new();
    let mut per_query = Vec::new();
    let mix = search_mix();
    for (q, flags) in &mix {
        // Flags first, then the query after `--`, so `公开 -例外` stays one query.
        let argv = std::iter::once("search")
            .chain(flags.iter().copied())
            .chain(["--", q].into_iter().filter(|_| !q.is_empty()));
        let parsed = F::try_parse_from(argv).context("the query mix")?.s;
        // The same checks and filters as `gongkai search`.
        let (_, _, filters) = super::search::query_and_filters(&parsed, &analyzer)?;
        let mut times = Vec::with_capacity(args.repeat);
        let mut found = (0, 0);
        for i in 0..=args.repeat {
            let start = std::time::Instant::now();
            let query = ParsedQuery::parse(q, &analyzer)?;
            let r = index.search(&query, &filters, Limit::Top(20), &analyzer)?;
            let ms = start.elapsed().as_secs_f64() * 1e3;
            found = (r.total_paragraphs, r.total_reports);
            if i > 0 {
                times.push(ms);
            }
        }
        times.sort_by(f64::total_cmp);
        per_query.push(QueryTiming {
            query: q.to_string(),
            filters: flags.join(" "),
            paragraphs: found.0,
            reports: found.1,
            p50_ms: percentile(&times, 0.5),
        });
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    let counts = index.handle().reports()?.len() as u64;
    let searcher = index.handle().reader()?.searcher();
    let paragraphs = searcher.num_docs() - counts;
    let report = SearchBench {
        search_paragraphs: paragraphs,
        search_reports: counts,
        search_queries: mix.len(),
        search_runs: all.len(),
        search_p50_ms: percentile(&all, 0.5),
        search_p99_ms: percentile(&all, 0.99),
        search_max_ms: all.last().copied().unwrap_or(0.0),
        per_query,
    };
    let mut out = Output::open(None)?;
    match args.format {
        BenchFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        BenchFormat::Table => {
            writeln!(
                out,
                "index: {} paragraphs of {} reports; {} queries x {} runs",
                report.search_paragraphs, report.search_reports, report.search_queries, args.repeat
            )?;
            writeln!(
                out,
                "{:<34} {:<34} {:>10} {:>8} {:>9}",
                "query", "filters", "paragraphs", "reports", "p50 ms"
            )?;
            for q in &report.per_query {
                writeln!(
                    out,
                    "{:<w$} {:<34} {:>10} {:>8} {:>9.2}",
                    q.query,
                    q.filters,
                    q.paragraphs,
                    q.reports,
                    q.p50_ms,
                    w = super::pad(&q.query, 34)
                )?;
            }
            writeln!(
                out,
                "\nall queries: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                report.search_p50_ms, report.search_p99_ms, report.search_max_ms
            )?;
        }
    }
    out.finish()?;
    Ok(true)
}

/// The `q` quantile of sorted values (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Arguments of `gongkai scale`.
#[derive(Debug, Args)]
pub struct ScaleArgs {
    /// Real reports to draw from (default: the bundled sample).
    pub paths: Vec<PathBuf>,
    /// Directory to write the scaled corpus to (created; must be empty or absent).
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// Total size to write, e.g. 100MB or 1GB.
    #[arg(long, default_value = "100MB")]
    pub size: String,
    /// Random seed: the same seed writes the same corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Runs `scale`.
pub fn scale(args: ScaleArgs) -> Result<bool> {
    let target = parse_size(&args.size)?;
    if args.out.exists()
        && std::fs::read_dir(&args.out)
            .with_context(|| format!("{}: cannot read", args.out.display()))?
            .next()
            .is_some()
    {
        bail!("{}: not empty; choose a new directory", args.out.display());
    }
    let analyzer = Analyzer::new().context("cannot load the dictionaries")?;
    let mut ok = true;
    let mut sources = Vec::new();
    if args.paths.is_empty() {
        for (name, text) in SAMPLES {
            sources.push(analyzer.analyze(corpus::from_bytes(
                Path::new(name),
                text.as_bytes(),
                Default::default(),
            )?));
        }
    } else {
        for found in corpus::walk(&args.paths) {
            match found.and_then(|p| analyzer.analyze_file(&p, Default::default())) {
                Ok(a) => sources.push(a),
                Err(e) => {
                    super::run::report_failure(&e);
                    ok = false;
                }
            }
        }
    }
    let (files, bytes) = super::scale::scale(&analyzer, &sources, target, args.seed, &args.out)?;
    eprintln!(
        "gongkai scale: wrote {files} reports, {:.1} MB, to {} (from {} real reports, seed {})",
        bytes as f64 / 1e6,
        args.out.display(),
        sources.len(),
        args.seed
    );
    Ok(ok)
}

/// Parses `100MB`, `1GB`, `500kB`, `12345` (bytes; decimal units).
fn parse_size(s: &str) -> Result<u64> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = t.strip_suffix("GB") {
        (n, 1_000_000_000)
    } else if let Some(n) = t.strip_suffix("MB") {
        (n, 1_000_000)
    } else if let Some(n) = t.strip_suffix("KB") {
        (n, 1_000)
    } else {
        (t.strip_suffix('B').unwrap_or(&t), 1)
    };
    let n: f64 = num
        .trim()
        .parse()
        .with_context(|| format!("size {s:?}: use a number with KB, MB or GB, e.g. 1GB"))?;
    Ok((n * mult as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1GB").expect("size"), 1_000_000_000);
        assert_eq!(parse_size("100mb").expect("size"), 100_000_000);
        assert_eq!(parse_size("2.5MB").expect("size"), 2_500_000);
        assert!(parse_size("lots").is_err());
    }
}
