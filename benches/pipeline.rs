//! Criterion benchmarks of the stages, on the bundled sample reports (`tests/fixtures/`).
//!
//! Build cost (dictionaries, automata) is kept out of the timed loops; every loop checks its
//! token count, so a broken path cannot look fast. `gongkai bench` measures the same stages on
//! any corpus; these are for comparing commits precisely.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai::corpus;
use gongkai::pipeline::Analyzer;
use gongkai::segment::ChineseSegmenter;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).expect("read")))
        .collect()
}

fn stages(c: &mut Criterion) {
    let analyzer = Analyzer::new().expect("analyzer");
    let raw = ChineseSegmenter::plain(analyzer.segmenter().hmm());
    let docs = fixtures();
    let analyses: Vec<_> = docs
        .iter()
        .map(|(p, b)| {
            analyzer
                .analyze(corpus::from_bytes(Path::new(p), b, Default::default()).expect("decode"))
        })
        .collect();
    let paragraphs: Vec<&str> = analyses
        .iter()
        .flat_map(|a| a.narrative().map(|(_, p, _)| p.text.as_str()))
        .collect();
    let narrative_bytes: usize = paragraphs.iter().map(|p| p.len()).sum();
    let words: usize = analyses.iter().map(|a| a.word_count()).sum();
    let raw_tokens: usize = paragraphs
        .iter()
        .map(|p| raw.jieba().cut(p, false).len())
        .sum();

    let mut g = c.benchmark_group("segmentation");
    g.throughput(Throughput::Bytes(narrative_bytes as u64));
    g.bench_function("raw_jieba_cut", |b| {
        b.iter(|| {
            let n: usize = paragraphs
                .iter()
                .map(|p| raw.jieba().cut(black_box(p), false).len())
                .sum();
            assert_eq!(n, raw_tokens);
        })
    });
    g.bench_function("jieba_cut_with_domain_dict", |b| {
        b.iter(|| {
            let n: usize = paragraphs
                .iter()
                .map(|p| analyzer.segmenter().jieba().cut(black_box(p), false).len())
                .sum();
            assert!(n >= words);
        })
    });
    g.bench_function("gongkai_segment", |b| {
        b.iter(|| {
            let n: usize = paragraphs
                .iter()
                .map(|p| analyzer.segmenter().words(black_box(p)).len())
                .sum();
            assert_eq!(n, words);
        })
    });
    g.finish();

    let input_bytes: usize = docs.iter().map(|(_, b)| b.len()).sum();
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(input_bytes as u64));
    g.bench_function("analyze", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|(p, bytes)| {
                    let s = corpus::from_bytes(Path::new(p), black_box(bytes), Default::default())
                        .expect("decode");
                    analyzer.analyze(s).word_count()
                })
                .sum();
            assert_eq!(n, words);
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
