//! `gongkai eval themes`: score the theme rules against a labelled gold file, in sample and
//! leave-one-agency-series-out; `gongkai eval clauses`: score them on labelled clauses.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use gongkai::corpus;
use gongkai::eval::{ClausePart, Counts, parse_clauses, parse_gold, series_folds};
use gongkai::structure::{SectionKind, split_sentences};
use gongkai::themes::{Polarity, THEME_IDS};

use super::sample::SAMPLES;

/// What to evaluate.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Report-level precision, recall and F1 of admitted themes per theme.
    Themes(EvalThemesArgs),
    /// Clause-level precision, recall and F1 on labelled clauses (tests/eval/clauses_*.tsv).
    Clauses(EvalClausesArgs),
}

/// How to split the gold rows for cross-validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Folds {
    /// Leave one agency series (the gold file's `series` column) out at a time.
    Agency,
}

/// Arguments of `eval themes`.
#[derive(Debug, Args)]
pub struct EvalThemesArgs {
    /// The gold file (tests/eval/themes_gold.tsv).
    pub gold: PathBuf,
    /// Folder the gold file's report paths are relative to (rows `seed:NNN` use the bundled
    /// sample); rows whose file is missing are skipped and counted.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Also list every false positive and false negative with its evidence.
    #[arg(long)]
    pub errors: bool,
    /// Also cross-validate: fit whatever is fitted without one fold, score that fold, and
    /// report the pooled out-of-fold figures per theme and per fold.
    #[arg(long, value_enum)]
    pub folds: Option<Folds>,
    #[command(flatten)]
    pub dicts: super::dicts::DictArgs,
}

/// Arguments of `eval clauses`.
#[derive(Debug, Args)]
pub struct EvalClausesArgs {
    /// Clause files (id url province year part text admits measures).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Also list every false positive and false negative.
    #[arg(long)]
    pub errors: bool,
    /// Also score per source (the `url` column: one report): a source admits a theme when
    /// any of its clauses does, as a researcher counts reports.
    #[arg(long)]
    pub by_source: bool,
    #[command(flatten)]
    pub dicts: super::dicts::DictArgs,
}

/// Runs `eval`.
pub fn run(cmd: EvalCommand) -> Result<bool> {
    match cmd {
        EvalCommand::Themes(args) => themes(args),
        EvalCommand::Clauses(args) => clauses(args),
    }
}

fn themes(args: EvalThemesArgs) -> Result<bool> {
    let src = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("{}: cannot read gold file", args.gold.display()))?;
    // A mistyped --corpus would otherwise score only the bundled samples, which the rules get
    // right, and print a perfect table.
    if let Some(dir) = &args.corpus
        && !dir.is_dir()
    {
        return Err(super::dicts::BadInput(format!(
            "{}: --corpus is not a folder; give the folder the gold file's report paths are \
             relative to (for tests/eval/themes_gold.tsv: the folder of the 112 reports of the \
             corpus, kept outside the repository as ../shared/corpus)",
            dir.display()
        ))
        .into());
    }
    let analyzer = super::dicts::analyzer(&args.dicts)?;
    let rules = analyzer.themes();
    // The codebook's themes are scored; gold labels of the default themes it lacks are
    // accepted and ignored, so a codebook of one's own can be scored on the shared gold.
    let ids: Vec<&str> = rules.themes().iter().map(|t| t.id.as_str()).collect();
    let known: Vec<&str> = THEME_IDS.iter().chain(&ids).copied().collect();
    let rows = parse_gold(&args.gold.display().to_string(), &src, &known)
        .map_err(|e| super::dicts::BadInput(e.to_string()))?;
    let unlabelled: Vec<&str> = ids
        .iter()
        .filter(|id| {
            !THEME_IDS.contains(id) && !rows.iter().any(|r| r.themes.iter().any(|t| t == *id))
        })
        .copied()
        .collect();
    if !unlabelled.is_empty() {
        eprintln!(
            "gongkai eval: {} labels no report with {}: every report that admits {} counts as a \
             false positive until the gold file codes {}",
            args.gold.display(),
            unlabelled.join(", "),
            if unlabelled.len() == 1 { "it" } else { "them" },
            if unlabelled.len() == 1 { "it" } else { "them" },
        );
    }
    let mut scored: Vec<Scored> = Vec::new();
    let mut missing = 0;
    for (ri, row) in rows.iter().enumerate() {
        match gold_analysis(&args, &analyzer, row)? {
            Some(analysis) => scored.push(score(&args, &ids, ri, row, &analysis)),
            None => missing += 1,
        }
    }
    println!(
        "{} reports scored ({} skipped: file not found or no --corpus)\n",
        scored.len(),
        missing
    );
    if missing > 0 {
        eprintln!(
            "gongkai eval: warning: {} of {} gold reports were not scored ({}); the figures \
             below are for the {} that were",
            missing,
            rows.len(),
            match &args.corpus {
                Some(dir) => format!("not found under {}", dir.display()),
                None => "no --corpus given".to_string(),
            },
            scored.len()
        );
    }
    let mut counts = vec![Counts::default(); ids.len()];
    for (_, p, g) in &scored {
        for i in 0..ids.len() {
            counts[i].add(p[i], g[i]);
        }
    }
    println!("in sample (the rules were written looking at these reports):");
    print_table(&ids, &counts);
    if args.folds == Some(Folds::Agency) {
        print_folds(&ids, &rows, &scored);
    }
    Ok(true)
}

/// One scored gold row: (row index, predicted per theme, gold per theme), codebook order.
type Scored = (usize, Vec<bool>, Vec<bool>);

/// The analysis of a gold row's report: a bundled sample (`seed:000`) or a file under
/// `--corpus`; `None` when the file is not there.
fn gold_analysis(
    args: &EvalThemesArgs,
    analyzer: &gongkai::pipeline::Analyzer,
    row: &gongkai::eval::GoldRow,
) -> Result<Option<gongkai::pipeline::Analysis>> {
    if let Some(seed) = row.report.strip_prefix("seed:") {
        let Some((name, text)) = SAMPLES.iter().find(|(n, _)| n[7..].starts_with(seed)) else {
            bail!(
                "{} line {}: no bundled sample {seed}",
                args.gold.display(),
                row.line
            );
        };
        let source = corpus::from_bytes(Path::new(name), text.as_bytes(), Default::default())?;
        return Ok(Some(analyzer.analyze(source)));
    }
    let Some(dir) = &args.corpus else {
        return Ok(None);
    };
    let path = dir.join(&row.report);
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(analyzer.analyze_file(&path, Default::default())?))
}

/// Predicted and gold labels of one row; with `--errors`, prints each disagreement with the
/// first sentence that admitted the theme.
fn score(
    args: &EvalThemesArgs,
    ids: &[&str],
    ri: usize,
    row: &gongkai::eval::GoldRow,
    analysis: &gongkai::pipeline::Analysis,
) -> Scored {
    let mentions = analysis.theme_mentions(ids.len());
    let mut predicted = Vec::new();
    let mut gold = Vec::new();
    // `ids` is the codebook's order, so a theme's index is its position.
    for (t, id) in ids.iter().enumerate() {
        let p = mentions[t].0 > 0;
        let g = row.themes.iter().any(|x| x == id);
        predicted.push(p);
        gold.push(g);
        if args.errors && p != g {
            let why: Vec<String> = analysis
                .narrative()
                .flat_map(|v| {
                    let para = v.paragraph;
                    v.facts
                        .themes
                        .iter()
                        .filter(move |h| h.theme == t && h.polarity == Polarity::Problem)
                        .map(move |h| para.text[para.sentences[h.sentence].clone()].to_string())
                })
                .collect();
            println!(
                "{} {id:<12} {}  {}",
                if p { "FP" } else { "FN" },
                row.report,
                why.first()
                    .map(|s| s.chars().take(60).collect::<String>())
                    .unwrap_or_default()
            );
        }
    }
    (ri, predicted, gold)
}

/// Leave one series out. The theme classifier has no fitted part: every phrase list in
/// dictionaries/themes.toml is hand-written, so fitting on the other series is a no-op and the
/// held-out predictions are the in-sample ones. This is where a fitted part (learned weights,
/// data-derived term lists) would be refitted without the fold.
fn print_folds(ids: &[&str], rows: &[gongkai::eval::GoldRow], scored: &[Scored]) {
    let folds = series_folds(rows);
    let mut pooled = vec![Counts::default(); ids.len()];
    println!(
        "\nleave one agency series out ({} folds; fitted part: none, so hand-written rules \
         are scored unchanged on each held-out series):",
        folds.len()
    );
    println!(
        "{:<26} {:>7} {:>4} {:>4} {:>4} {:>9} {:>7} {:>6}",
        "series", "reports", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    for (series, members) in &folds {
        let mut fold = vec![Counts::default(); ids.len()];
        let mut n = 0;
        for (_, p, g) in scored.iter().filter(|(ri, _, _)| members.contains(ri)) {
            n += 1;
            for i in 0..ids.len() {
                fold[i].add(p[i], g[i]);
                pooled[i].add(p[i], g[i]);
            }
        }
        if n == 0 {
            continue;
        }
        let c = Counts::sum(&fold);
        let [p, r, f] = scores(&c);
        println!(
            "{series:<26} {n:>7} {:>4} {:>4} {:>4} {p:>9} {r:>7} {f:>6}",
            c.tp, c.fp, c.fn_
        );
    }
    println!("\npooled out-of-fold:");
    print_table(ids, &pooled);
}

fn clauses(args: EvalClausesArgs) -> Result<bool> {
    let analyzer = super::dicts::analyzer(&args.dicts)?;
    let ids: Vec<&str> = analyzer
        .themes()
        .themes()
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    let known: Vec<&str> = THEME_IDS.iter().chain(&ids).copied().collect();
    let rules = analyzer.themes();
    let mut counts = vec![Counts::default(); ids.len()];
    // Per source, in order of first appearance.
    let mut sources: Vec<SourceAdmits> = Vec::new();
    let mut n = 0;
    for file in &args.files {
        let src = std::fs::read_to_string(file)
            .with_context(|| format!("{}: cannot read clause file", file.display()))?;
        let rows = parse_clauses(&file.display().to_string(), &src, &known)
            .map_err(|e| super::dicts::BadInput(e.to_string()))?;
        for row in rows {
            n += 1;
            // A measures clause is scored as if it sat in the problems part (the worst case:
            // the rules must not take a promise for an admission even when the sub-part was
            // not recognised); an overview clause as overview text.
            let text = analyzer.normalizer().normalize_str(&row.text);
            let section = match row.part {
                ClausePart::Problems | ClausePart::Measures => SectionKind::Problems,
                ClausePart::Overview => SectionKind::Overview,
            };
            let hits = rules.classify(&text, &split_sentences(&text), section);
            let at = match sources.iter().position(|s| s.source == row.source) {
                Some(at) => at,
                None => {
                    sources.push(SourceAdmits {
                        source: row.source.clone(),
                        gold: vec![false; ids.len()],
                        predicted: vec![false; ids.len()],
                    });
                    sources.len() - 1
                }
            };
            for (i, id) in ids.iter().enumerate() {
                let p = hits
                    .iter()
                    .any(|h| h.theme == i && h.polarity == Polarity::Problem);
                let g = row.admits.iter().any(|x| x == id);
                counts[i].add(p, g);
                sources[at].gold[i] |= g;
                sources[at].predicted[i] |= p;
                if args.errors && p != g {
                    println!(
                        "{} {id:<12} {} {}",
                        if p { "FP" } else { "FN" },
                        row.id,
                        row.text
                    );
                }
            }
        }
    }
    println!("{n} clauses scored\n");
    print_table(&ids, &counts);
    if args.by_source {
        let mut per_source = vec![Counts::default(); ids.len()];
        for s in &sources {
            for (i, c) in per_source.iter_mut().enumerate() {
                c.add(s.predicted[i], s.gold[i]);
            }
        }
        println!(
            "\n{} sources (a source admits a theme when any of its clauses does)\n",
            sources.len()
        );
        print_table(&ids, &per_source);
    }
    Ok(true)
}

/// Which themes one source's clauses admit, by the gold labels and by the rules (indexed like
/// the codebook's themes): a source admits a theme when any of its clauses does.
struct SourceAdmits {
    source: String,
    gold: Vec<bool>,
    predicted: Vec<bool>,
}

fn print_table(ids: &[&str], counts: &[Counts]) {
    println!(
        "{:<12} {:>4} {:>4} {:>4} {:>7} {:>9} {:>7} {:>6}",
        "theme", "tp", "fp", "fn", "support", "precision", "recall", "f1"
    );
    for (id, c) in ids.iter().zip(counts) {
        let [p, r, f] = scores(c);
        println!(
            "{id:<12} {:>4} {:>4} {:>4} {:>7} {p:>9} {r:>7} {f:>6}",
            c.tp,
            c.fp,
            c.fn_,
            c.tp + c.fn_
        );
    }
    let all = Counts::sum(counts);
    let [p, r, f] = scores(&all);
    println!(
        "{:<12} {:>4} {:>4} {:>4} {:>7} {p:>9} {r:>7} {f:>6}",
        "micro",
        all.tp,
        all.fp,
        all.fn_,
        all.tp + all.fn_
    );
}

/// Precision, recall and F1 to three places, `-` where undefined (nothing predicted, nothing
/// to find): a theme the gold never has is not "perfect", it is untested.
fn scores(c: &Counts) -> [String; 3] {
    let cell = |defined: bool, v: f64| {
        if defined {
            format!("{v:.3}")
        } else {
            "-".to_string()
        }
    };
    let (p, r) = (c.tp + c.fp > 0, c.tp + c.fn_ > 0);
    [
        cell(p, c.precision()),
        cell(r, c.recall()),
        cell(p && r, c.f1()),
    ]
}
