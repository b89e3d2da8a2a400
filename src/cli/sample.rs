//! `gongkai sample`: the whole job on the five bundled sample reports.
//!
//! The reports are embedded in the binary, so this works from any folder on a fresh machine:
//! it is the first command a newcomer runs, and it explains what gongkai found.

use std::path::Path;

use anyhow::{Context, Result};
use clap::Args;
use gongkai::search::query::ParsedQuery;
use gongkai::search::{IndexHandle, IndexWriter, Limit, SearchIndex};

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

/// Runs the sample job: one short step per pipeline stage, each printing what it found.
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
    step_reading(&analyses);
    step_words(&analyses);
    step_boilerplate(&analyses);
    step_themes(&analyses);
    step_search(&analyzer, &analyses)?;
    println!("\nStep 6 — tables and charts for R, pandas and Excel");
    sample_exports(&analyzer, &analyses);

    if args.verbose {
        println!();
        for a in &analyses {
            print!("{}", super::analyze::summary(a));
        }
    } else {
        println!(
            "\nNext: `gongkai sample --verbose` for each report's sections; on your own reports"
        );
        println!("`gongkai index DIR` then `gongkai search 无专职人员 --year 2010..2014`,");
        println!("`gongkai export themes DIR --by year`.");
    }
    Ok(true)
}

/// Short id of a sample report (`000`).
fn short(name: &str) -> &str {
    &name[7..10]
}

/// Step 1: metadata and structure per report.
fn step_reading(analyses: &[Analysis]) {
    println!("Step 1 — reading: decode, strip web debris, rebuild paragraphs, find sections");
    println!(
        "  {:<4} {:<22} {:>5} {:<8} {:<10} {:<12} {:>5} {:>5} problems",
        "file", "agency", "year", "province", "level", "script", "narr", "sents"
    );
    for (a, (name, _)) in analyses.iter().zip(SAMPLES) {
        println!("  {}", row(a, short(name)));
    }
    println!();
    println!("Columns: narr = narrative paragraphs, sents = their sentences; problems = whether a");
    println!(
        "存在的问题 section was found (the one theme counts come from). Tables, headings and web"
    );
    println!("debris are kept out of the narrative. '-' means unknown: gongkai never guesses.");
}

/// Step 2: the word count and a segmented excerpt.
fn step_words(analyses: &[Analysis]) {
    println!("\nStep 2 — words: jieba-rs with the domain dictionary (HMM off)");
    let words: usize = analyses.iter().map(|a| a.word_count()).sum();
    println!("  {words} words in the narrative, e.g.");
    if let Some(view) = analyses[3]
        .narrative()
        .find(|v| v.paragraph.text.contains("公开是原则"))
    {
        let (p, f) = (view.paragraph, view.facts);
        let at = p.text.find("遵循").unwrap_or(0);
        let shown: Vec<&str> = f
            .tokens
            .iter()
            .filter(|r| r.start >= at)
            .take(14)
            .map(|r| &p.text[r.clone()])
            .collect();
        println!("  {}", shown.join(" "));
    }
}

/// Step 3: formulae per report.
fn step_boilerplate(analyses: &[Analysis]) {
    println!("\nStep 3 — boilerplate: stock formulae, whatever the script or punctuation");
    println!(
        "  {:<4} {:>8} {:>6}  most used formulae",
        "file", "formulae", "share"
    );
    for (a, (name, _)) in analyses.iter().zip(SAMPLES) {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for view in a.narrative() {
            for m in &view.facts.formulas {
                match counts.iter_mut().find(|c| c.0 == m.formula) {
                    Some(c) => c.1 += 1,
                    None => counts.push((m.formula, 1)),
                }
            }
        }
        counts.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let total: usize = counts.iter().map(|c| c.1).sum();
        let share = gongkai::pipeline::Share::of(a).boilerplate_share;
        let top: Vec<&str> = counts
            .iter()
            .take(3)
            .map(|c| a.boilerplate_formulas()[c.0].id.as_str())
            .collect();
        println!(
            "  {:<4} {:>8} {:>5.1}%  {}",
            short(name),
            total,
            100.0 * share,
            top.join(", ")
        );
    }
}

/// Step 4: the themes each report admits.
fn step_themes(analyses: &[Analysis]) {
    println!("\nStep 4 — themes: shortcomings each report admits in its problems section");
    for (a, (name, _)) in analyses.iter().zip(SAMPLES) {
        let mentions = a.theme_mentions(a.theme_ids.len());
        let admitted: Vec<&str> = a
            .theme_ids
            .iter()
            .zip(&mentions)
            .filter(|(_, m)| m.0 > 0)
            .map(|(id, _)| id.as_str())
            .collect();
        println!("  {:<4} {}", short(name), admitted.join(", "));
    }
    println!("  (`gongkai explain FILE` shows which words made each rule fire.)");
}

/// Step 5: an index of the five reports in a temporary folder, and one search.
fn step_search(analyzer: &Analyzer, analyses: &[Analysis]) -> Result<()> {
    println!("\nStep 5 — search: a full-text index of every narrative paragraph, across years");
    let dir = tempfile::tempdir().context("cannot create a temporary folder for the index")?;
    let handle = IndexHandle::open_or_create(dir.path(), analyzer)?;
    let mut writer = handle.writer(1)?;
    for a in analyses {
        writer.add(IndexWriter::documents(&handle.fields, a))?;
    }
    writer.commit()?;
    writer.finish()?;
    let index = SearchIndex::open(dir.path(), analyzer)?;
    let query = "兼职 OR 专职";
    let parsed = ParsedQuery::parse(query, analyzer)?;
    let results = index.search(&parsed, &Default::default(), Limit::Top(3), analyzer)?;
    println!(
        "  $ gongkai search '{query}'   (on an index of the five reports, in a temporary folder)"
    );
    for line in super::search::table(query, &results, false, false).lines() {
        if line.is_empty() {
            println!();
        } else {
            println!("  {line}");
        }
    }

    Ok(())
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
        "{:<4} {:<w$} {:>5} {:<w2$} {:<10} {:<12} {:>5} {:>5} {}",
        id,
        agency,
        m.year.map_or("-".into(), |y| y.to_string()),
        m.province.clone().unwrap_or_else(|| "-".into()),
        m.level.map_or("-", |l| l.as_str()),
        format!("{}/{}", a.norm.script.as_str(), a.source.encoding),
        paras,
        sents,
        if problems { "yes" } else { "no" },
        w = super::pad(&agency, 22),
        w2 = super::pad(m.province.as_deref().unwrap_or("-"), 8),
    )
}

/// Step 6: an excerpt of the sentence table, and the theme chart of the sample, written to the
/// temporary folder.
fn sample_exports(analyzer: &Analyzer, analyses: &[Analysis]) {
    println!("  $ gongkai export sentences DIR -o sentences.csv   (one row per sentence; excerpt)");
    let header = gongkai::export::sentences::HEADER;
    let show = [
        "year",
        "section",
        "paragraph",
        "sentence",
        "start",
        "end",
        "text",
        "themes_admitted",
    ];
    let col = |name: &str| header.iter().position(|h| *h == name);
    let cols: Vec<usize> = show.iter().filter_map(|c| col(c)).collect();
    let (section, admitted) = (col("section"), col("themes_admitted"));
    println!("  {}", show.join(","));
    let rows = analyses.iter().flat_map(|a| {
        gongkai::export::sentences::rows(a, None)
            .into_iter()
            .filter(|r| {
                section.is_some_and(|i| r[i] == "problems")
                    && admitted.is_some_and(|i| !r[i].is_empty())
            })
            .take(1)
    });
    for row in rows.take(3) {
        let cells: Vec<String> = cols
            .iter()
            .map(|&i| {
                // Only the sentence is shortened.
                let width = if Some(i) == col("text") {
                    24
                } else {
                    usize::MAX
                };
                let mut cell: String = row[i].chars().take(width).collect();
                if row[i].chars().count() > width {
                    cell.push('…');
                }
                if cell.contains(',') {
                    format!("\"{cell}\"")
                } else {
                    cell
                }
            })
            .collect();
        println!("  {}", cells.join(","));
    }
    let mut per_year = gongkai::export::themes::ThemeTable::new(
        analyzer.themes().themes(),
        gongkai::export::GroupBy::Year,
    );
    for a in analyses {
        per_year.add(&gongkai::pipeline::ReportSummary::new(a));
    }
    // A folder of its own that outlives the run (the user is told to open the chart), so
    // two runs on a shared machine never overwrite each other's.
    let path = match tempfile::Builder::new().prefix("gongkai-sample-").tempdir() {
        Ok(dir) => dir.keep().join("themes.svg"),
        Err(e) => {
            println!("  (no chart: cannot create a temporary folder: {e})");
            return;
        }
    };
    println!("\n  $ gongkai export themes DIR --by year --plot themes.svg");
    match per_year.chart().render(&path) {
        Ok(()) => println!(
            "  chart of the share of reports admitting each theme per year: {}",
            path.display()
        ),
        Err(e) => println!("  (no chart: {e})"),
    }
}
