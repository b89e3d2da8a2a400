//! `gongkai eval themes`: score the theme rules against a labelled gold file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use gongkai::corpus;
use gongkai::eval::{Counts, parse_gold};
use gongkai::themes::{Polarity, THEME_IDS};

use super::sample::SAMPLES;

/// What to evaluate.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Report-level precision, recall and F1 of admitted themes per theme.
    Themes(EvalThemesArgs),
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
    #[command(flatten)]
    pub dicts: super::dicts::DictArgs,
}

/// Runs `eval`.
pub fn run(cmd: EvalCommand) -> Result<bool> {
    let EvalCommand::Themes(args) = cmd;
    let analyzer = super::dicts::analyzer(&args.dicts)?;
    let rules = analyzer.themes();
    // The codebook's themes are scored; gold labels of the default themes it lacks are
    // accepted and ignored, so a codebook of one's own can be scored on the shared gold.
    let ids: Vec<&str> = rules.themes().iter().map(|t| t.id.as_str()).collect();
    let known: Vec<&str> = THEME_IDS.iter().chain(&ids).copied().collect();
    let src = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("{}: cannot read gold file", args.gold.display()))?;
    let rows = parse_gold(&args.gold.display().to_string(), &src, &known)?;
    let mut counts = vec![Counts::default(); ids.len()];
    let (mut scored, mut missing) = (0, 0);
    for row in &rows {
        let analysis = if let Some(seed) = row.report.strip_prefix("seed:") {
            let Some((name, text)) = SAMPLES.iter().find(|(n, _)| n[7..].starts_with(seed)) else {
                bail!(
                    "{} line {}: no bundled sample {seed}",
                    args.gold.display(),
                    row.line
                );
            };
            analyzer.analyze(corpus::from_bytes(
                Path::new(name),
                text.as_bytes(),
                Default::default(),
            )?)
        } else {
            let Some(dir) = &args.corpus else {
                missing += 1;
                continue;
            };
            let path = dir.join(&row.report);
            if !path.exists() {
                missing += 1;
                continue;
            }
            analyzer.analyze_file(&path, Default::default())?
        };
        scored += 1;
        let mentions = analysis.theme_mentions(rules.themes().len());
        // `ids` is the codebook's order, so a theme's index is its position.
        for (t, id) in ids.iter().enumerate() {
            let predicted = mentions[t].0 > 0;
            let gold = row.themes.iter().any(|g| g == id);
            counts[t].add(predicted, gold);
            if args.errors && predicted != gold {
                let why: Vec<String> = analysis
                    .narrative()
                    .flat_map(|(_, p, f)| {
                        f.themes
                            .iter()
                            .filter(move |h| h.theme == t && h.polarity == Polarity::Problem)
                            .map(move |h| p.text[p.sentences[h.sentence].clone()].to_string())
                    })
                    .collect();
                println!(
                    "{} {id:<12} {}  {}",
                    if predicted { "FP" } else { "FN" },
                    row.report,
                    why.first()
                        .map(|s| s.chars().take(60).collect::<String>())
                        .unwrap_or_default()
                );
            }
        }
    }
    println!(
        "{} reports scored ({} skipped: file not found or no --corpus)\n",
        scored, missing
    );
    println!(
        "{:<12} {:>4} {:>4} {:>4} {:>9} {:>7} {:>6}",
        "theme", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    for (id, c) in ids.iter().zip(&counts) {
        println!(
            "{id:<12} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>6.3}",
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    let all = Counts::sum(&counts);
    println!(
        "{:<12} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>6.3}",
        "micro",
        all.tp,
        all.fp,
        all.fn_,
        all.precision(),
        all.recall(),
        all.f1()
    );
    Ok(true)
}
