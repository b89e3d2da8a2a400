//! Criterion benchmarks of the stages, on the bundled sample reports (`tests/fixtures/`).
//!
//! Build cost (dictionaries, automata) is kept out of the timed loops; every loop checks its
//! token, match or document count, so a broken path cannot look fast. `gongkai bench`
//! measures the same stages on any corpus; these are for comparing commits precisely.
//!
//! The `stage` group times each stage alone on the input the pipeline hands it (decode,
//! normalize, structure, metadata, segment, boilerplate, themes, index documents, tantivy
//! indexing), every one per byte of input file, so a regression names the stage that slowed
//! and the per-stage times add up to (about) the whole `pipeline/analyze` time.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai::corpus;
use gongkai::pipeline::Analyzer;
use gongkai::search::IndexWriter;
use gongkai::search::schema::Fields;
use gongkai::segment::ChineseSegmenter;
use gongkai::structure::{Role, StructureRules};
use gongkai::themes::SubPart;

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
        .flat_map(|a| a.narrative().map(|v| v.paragraph.text.as_str()))
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

/// Each stage alone, on what the stage before it produced.
fn per_stage(c: &mut Criterion) {
    let analyzer = Analyzer::new().expect("analyzer");
    let rules = StructureRules::new().expect("structure rules");
    let docs = fixtures();
    let input_bytes: u64 = docs.iter().map(|(_, b)| b.len() as u64).sum();
    let sources: Vec<_> = docs
        .iter()
        .map(|(p, b)| corpus::from_bytes(Path::new(p), b, Default::default()).expect("decode"))
        .collect();
    let norms: Vec<_> = sources
        .iter()
        .map(|s| analyzer.normalizer().normalize_from(&s.text, s.body_start))
        .collect();
    let structures: Vec<_> = norms.iter().map(|n| rules.analyze(n, None)).collect();
    let analyses: Vec<_> = sources
        .iter()
        .cloned()
        .map(|s| analyzer.analyze(s))
        .collect();
    let paragraph_count: usize = structures
        .iter()
        .map(|s| s.sections.iter().map(|x| x.paragraphs.len()).sum::<usize>())
        .sum();
    let words: usize = analyses.iter().map(|a| a.word_count()).sum();
    let formulas: usize = analyses
        .iter()
        .map(gongkai::pipeline::Analysis::formula_count)
        .sum();
    let theme_hits: usize = analyses
        .iter()
        .map(|a| {
            a.facts
                .iter()
                .flatten()
                .map(|f| f.themes.len())
                .sum::<usize>()
        })
        .sum();
    let (_, fields) = Fields::build();
    let doc_count: usize = analyses
        .iter()
        .map(|a| IndexWriter::documents(&fields, a).len())
        .sum();

    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(input_bytes));
    g.bench_function("decode", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|(p, bytes)| {
                    corpus::from_bytes(Path::new(p), black_box(bytes), Default::default())
                        .expect("decode")
                        .text
                        .len()
                })
                .sum();
            assert!(n > 0);
        })
    });
    g.bench_function("normalize", |b| {
        b.iter(|| {
            let n: usize = sources
                .iter()
                .map(|s| {
                    analyzer
                        .normalizer()
                        .normalize_from(black_box(&s.text), s.body_start)
                        .text
                        .len()
                })
                .sum();
            assert!(n > 0);
        })
    });
    g.bench_function("structure", |b| {
        b.iter(|| {
            let n: usize = norms
                .iter()
                .map(|n| {
                    let s = rules.analyze(black_box(n), None);
                    s.sections.iter().map(|x| x.paragraphs.len()).sum::<usize>()
                })
                .sum();
            assert_eq!(n, paragraph_count);
        })
    });
    g.bench_function("metadata", |b| {
        b.iter(|| {
            let n = structures
                .iter()
                .filter_map(|s| s.title.as_ref())
                .map(|t| analyzer.gazetteer().metadata([black_box(t.text.as_str())]))
                .filter(|m| m.year.is_some())
                .count();
            black_box(n);
        })
    });
    g.bench_function("segment", |b| {
        b.iter(|| {
            let n: usize = analyses
                .iter()
                .flat_map(|a| a.narrative())
                .map(|v| {
                    analyzer
                        .segmenter()
                        .words(black_box(&v.paragraph.text))
                        .len()
                })
                .sum();
            assert_eq!(n, words);
        })
    });
    g.bench_function("boilerplate", |b| {
        b.iter(|| {
            let n: usize = analyses
                .iter()
                .flat_map(|a| a.narrative())
                .map(|v| {
                    analyzer
                        .boilerplate()
                        .find(black_box(&v.paragraph.text))
                        .len()
                })
                .sum();
            assert_eq!(n, formulas);
        })
    });
    g.bench_function("themes", |b| {
        b.iter(|| {
            let mut n = 0;
            for a in &analyses {
                for s in &a.structure.sections {
                    let mut part = SubPart::default();
                    for p in &s.paragraphs {
                        if p.is_narrative() || p.role == Role::Heading {
                            n += analyzer
                                .themes()
                                .classify_in(black_box(&p.text), &p.sentences, s.kind, &mut part)
                                .len();
                        }
                    }
                }
            }
            assert_eq!(n, theme_hits);
        })
    });
    g.bench_function("index_documents", |b| {
        b.iter(|| {
            let n: usize = analyses
                .iter()
                .map(|a| IndexWriter::documents(&fields, black_box(a)).len())
                .sum();
            assert_eq!(n, doc_count);
        })
    });
    g.sample_size(10);
    g.bench_function("index_commit", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let handle =
                gongkai::search::IndexHandle::open_or_create(dir.path(), &analyzer).expect("index");
            let mut w = handle.writer(1).expect("writer");
            for a in &analyses {
                w.add(IndexWriter::documents(&fields, a)).expect("add");
            }
            w.commit().expect("commit");
            w.finish().expect("finish");
            assert_eq!(handle.report_count().expect("count"), analyses.len());
        })
    });
    g.finish();
}

criterion_group!(benches, stages, per_stage);
criterion_main!(benches);
