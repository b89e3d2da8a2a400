//! A deterministic corpus scaler: many plausible reports made from a few real ones.
//!
//! Throughput and memory must be measured at 100 MB–1 GB, but the project cannot ship that
//! much data. The scaler analyses real reports once, pools their paragraphs by canonical
//! section, and writes new reports that keep the genre's shape: a title with another agency
//! (a real division from the gazetteer plus a real department name) and another year, the
//! section headings of a real report, and paragraphs sampled from the same section kind of
//! any source — narrative, tables and all, as the originals have them (crawler line breaks
//! included). The same seed gives byte-identical output on every machine (SplitMix64, no
//! platform randomness).
//!
//! The output is for benchmarks, not for research: it mixes agencies' sentences. It is part
//! of the binary (`gongkai scale`), not of the library.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use gongkai::pipeline::{Analysis, Analyzer};
use gongkai::structure::SectionKind;

/// SplitMix64: tiny, fast, and the same everywhere.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Pools of real material to draw from.
struct Pools {
    /// Per source report: its sections' (kind, heading original text).
    skeletons: Vec<Vec<(SectionKind, Option<String>)>>,
    /// Paragraph original texts by section kind.
    paragraphs: Vec<(SectionKind, Vec<String>)>,
    /// Department names (agency minus its leading division): 商务局, 审计局, …
    departments: Vec<String>,
}

fn pools(analyses: &[Analysis], analyzer: &Analyzer) -> Pools {
    let mut skeletons = Vec::new();
    let mut paragraphs: Vec<(SectionKind, Vec<String>)> = Vec::new();
    let mut departments = Vec::new();
    for a in analyses {
        let original = |p: &gongkai::structure::Paragraph| {
            let r = a.original(p, 0..p.text.len());
            a.source.text[r].to_string()
        };
        let mut skeleton = Vec::new();
        for s in &a.structure.sections {
            let mut paras = s.paragraphs.iter();
            let heading = if s.heading.is_some() {
                paras.next().map(original)
            } else {
                None
            };
            skeleton.push((s.kind, heading));
            let pool = match paragraphs.iter_mut().find(|(k, _)| *k == s.kind) {
                Some((_, v)) => v,
                None => {
                    paragraphs.push((s.kind, Vec::new()));
                    &mut paragraphs.last_mut().expect("just pushed").1
                }
            };
            pool.extend(paras.map(original));
        }
        skeletons.push(skeleton);
        if let Some(agency) = &a.metadata.agency {
            let dept = analyzer.gazetteer().strip_divisions(agency);
            if dept.chars().count() >= 2 && !departments.iter().any(|d| d == dept) {
                departments.push(dept.to_string());
            }
        }
    }
    if departments.is_empty() {
        departments.push("人民政府".into());
    }
    Pools {
        skeletons,
        paragraphs,
        departments,
    }
}

/// Writes scaled reports into `out_dir` until `target_bytes` are written; returns the number
/// of files and bytes. Files go in sub-folders of 1000 (`000/000000.txt`).
pub fn scale(
    analyzer: &Analyzer,
    sources: &[Analysis],
    target_bytes: u64,
    seed: u64,
    out_dir: &Path,
) -> Result<(usize, u64)> {
    if sources.is_empty() {
        bail!(
            "{}: no source reports to scale from: give real reports to sample paragraphs from",
            out_dir.display()
        );
    }
    let pools = pools(sources, analyzer);
    let divisions = analyzer.gazetteer().division_names();
    let mut rng = SplitMix64::new(seed);
    let mut written = 0u64;
    let mut files = 0usize;
    while written < target_bytes {
        let text = one_report(&pools, &divisions, &mut rng);
        let dir = out_dir.join(format!("{:03}", files / 1000));
        if files.is_multiple_of(1000) {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("{}: cannot create folder", dir.display()))?;
        }
        let path: PathBuf = dir.join(format!("{files:06}.txt"));
        let mut f = std::fs::File::create(&path)
            .with_context(|| format!("{}: cannot create file", path.display()))?;
        f.write_all(text.as_bytes())
            .with_context(|| format!("{}: cannot write", path.display()))?;
        written += text.len() as u64;
        files += 1;
    }
    Ok((files, written))
}

fn one_report(pools: &Pools, divisions: &[&str], rng: &mut SplitMix64) -> String {
    let agency = format!(
        "{}{}",
        divisions[rng.below(divisions.len())],
        pools.departments[rng.below(pools.departments.len())]
    );
    let year = 2008 + rng.below(18);
    let mut out = format!("{agency}{year}年政府信息公开工作年度报告\n\n");
    let skeleton = &pools.skeletons[rng.below(pools.skeletons.len())];
    for (kind, heading) in skeleton {
        if let Some(h) = heading {
            out.push_str(h);
            out.push_str("\n\n");
        }
        let Some((_, pool)) = pools.paragraphs.iter().find(|(k, _)| k == kind) else {
            continue;
        };
        if pool.is_empty() {
            continue;
        }
        for _ in 0..1 + rng.below(6) {
            out.push_str(&pool[rng.below(pool.len())]);
            out.push_str("\n\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai::corpus;

    #[test]
    fn deterministic_and_analysable() {
        let analyzer = Analyzer::new().expect("analyzer");
        let text = "咸阳市商务局2017年信息公开工作情况报告\n一、概述\n我局认真贯彻落实条例。\n\
                    二、存在的主要问题及改进措施\n网站管理专业性人才缺失。\n";
        let src = corpus::from_bytes(Path::new("a.txt"), text.as_bytes(), Default::default())
            .expect("source");
        let sources = vec![analyzer.analyze(src)];
        let run = |dir: &Path| scale(&analyzer, &sources, 4000, 7, dir).expect("scale");
        let (a, b) = (
            tempfile::tempdir().expect("tmp"),
            tempfile::tempdir().expect("tmp"),
        );
        let (files, bytes) = run(a.path());
        assert_eq!(run(b.path()), (files, bytes));
        assert!(bytes >= 4000 && files > 1);
        let first = std::fs::read(a.path().join("000/000000.txt")).expect("file");
        assert_eq!(
            first,
            std::fs::read(b.path().join("000/000000.txt")).expect("file")
        );
        let out = analyzer.analyze(
            corpus::from_bytes(Path::new("x.txt"), &first, Default::default()).expect("decodes"),
        );
        assert!(
            out.metadata
                .year
                .is_some_and(|y| (2008..=2025).contains(&y))
        );
        assert!(
            out.metadata
                .agency
                .as_deref()
                .is_some_and(|a| a.ends_with("商务局"))
        );
        assert!(
            out.structure
                .sections
                .iter()
                .any(|s| s.kind == SectionKind::Problems)
        );
    }
}
