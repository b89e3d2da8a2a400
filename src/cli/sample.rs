//! `gongkai sample`: the whole job on the five bundled sample reports.
//!
//! The reports are embedded in the binary, so this works from any folder on a fresh machine:
//! it is the first command a newcomer runs, and it explains what gongkai found.

use std::path::Path;

use anyhow::{Context, Result};
use clap::Args;

use gongkai::corpus;
use gongkai::pipeline::{Analysis, Analyzer};
use gongkai::structure::SectionKind;

/// The bundled sample: five real reports (`tests/fixtures/`).
pub const SAMPLES: &[(&str, &str)] = &[
    (
        "sample/000_c11f889daaeba26c.txt",
        include_str!("../../tests/fixtures/000_c11f889daaeba26c.txt"),
    ),
    (
        "sample/001_421a23df5bd24b83.txt",
        include_str!("../../tests/fixtures/001_421a23df5bd24b83.txt"),
    ),
    (
        "sample/002_4343e666c02018f6.txt",
        include_str!("../../tests/fixtures/002_4343e666c02018f6.txt"),
    ),
    (
        "sample/003_843d7a1260357fac.txt",
        include_str!("../../tests/fixtures/003_843d7a1260357fac.txt"),
    ),
    (
        "sample/004_937a84458300fa66.txt",
        include_str!("../../tests/fixtures/004_937a84458300fa66.txt"),
    ),
];

/// Arguments of `gongkai sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Also print each report's section table.
    #[arg(long)]
    pub verbose: bool,
}

/// Runs the sample job.
pub fn run(args: SampleArgs) -> Result<bool> {
    let analyzer = Analyzer::new().context("cannot load the dictionaries")?;
    let mut analyses = Vec::new();
    for (name, text) in SAMPLES {
        let source = corpus::from_bytes(Path::new(name), text.as_bytes(), Default::default())?;
        analyses.push(analyzer.analyze(source));
    }
    println!(
        "gongkai sample: {} real annual reports bundled with gongkai\n",
        analyses.len()
    );
    println!("Step 1 — reading: decode, strip web debris, rebuild paragraphs, find sections");
    println!(
        "  {:<4} {:<22} {:>5} {:<8} {:<10} {:<12} {:>5} {:>5} {:<8}",
        "file", "agency", "year", "province", "level", "script", "narr", "sents", "problems"
    );
    for (a, (name, _)) in analyses.iter().zip(SAMPLES) {
        println!("  {}", row(a, &name[7..10]));
    }
    println!();
    println!("Columns: narr = narrative paragraphs, sents = their sentences; problems = whether a");
    println!(
        "存在的问题 section was found (the one theme counts come from). Tables, headings and web"
    );
    println!("debris are kept out of the narrative. '-' means unknown: gongkai never guesses.");
    if args.verbose {
        println!();
        for a in &analyses {
            print!("{}", super::analyze::summary(a));
        }
    } else {
        println!("\nRun `gongkai sample --verbose` for each report's sections, or");
        println!("`gongkai analyze --format table FILE...` on your own reports.");
    }
    Ok(true)
}

fn row(a: &Analysis, id: &str) -> String {
    let m = &a.metadata;
    let narrative = a
        .structure
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .filter(|p| p.is_narrative());
    let (paras, sents) = narrative.fold((0, 0), |(p, s), para| (p + 1, s + para.sentences.len()));
    let problems = a
        .structure
        .sections
        .iter()
        .any(|s| s.kind == SectionKind::Problems);
    let agency: String = m.agency.clone().unwrap_or_else(|| "-".into());
    format!(
        "{:<4} {:<w$} {:>5} {:<w2$} {:<10} {:<12} {:>5} {:>5} {:<8}",
        id,
        agency,
        m.year.map_or("-".into(), |y| y.to_string()),
        m.province.clone().unwrap_or_else(|| "-".into()),
        m.level.map_or("-", |l| l.as_str()),
        format!("{}/{}", a.norm.script.as_str(), a.source.encoding),
        paras,
        sents,
        if problems { "yes" } else { "no" },
        w = pad(&agency, 22),
        w2 = pad(m.province.as_deref().unwrap_or("-"), 8),
    )
}

/// Width to pass to `{:<w$}` so that CJK text (two columns per character) lines up.
fn pad(s: &str, columns: usize) -> usize {
    let wide = s.chars().filter(|c| !c.is_ascii()).count();
    columns.saturating_sub(wide)
}
