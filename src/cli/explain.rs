//! `gongkai explain`: why each sentence got its themes — the way a researcher audits the
//! classifier.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use gongkai::pipeline::ParagraphView;
use gongkai::structure::SectionKind;
use gongkai::themes::{EvidenceKind, Polarity, ThemeRules};

use super::output::Output;

/// Arguments of `gongkai explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The report.
    pub file: PathBuf,
    /// Explain every narrative sentence, not only those of the problems section.
    #[arg(long)]
    pub all: bool,
    /// Decode with this encoding instead of detecting one.
    #[arg(long, value_parser = super::encoding_label)]
    pub encoding: Option<String>,
    #[command(flatten)]
    pub dicts: super::dicts::DictArgs,
}

/// Runs `explain`.
pub fn run(args: ExplainArgs) -> Result<bool> {
    let analyzer = super::dicts::analyzer(&args.dicts)?;
    let opts = super::analyze::load_options(args.encoding.as_deref())?;
    let a = analyzer.analyze_file(&args.file, opts)?;
    let rules = analyzer.themes();
    let mut out = Output::open(None)?;
    let m = &a.metadata;
    writeln!(
        out,
        "{}  {} {}",
        args.file.display(),
        m.agency.as_deref().unwrap_or("-"),
        m.year.map_or("-".into(), |y| y.to_string())
    )?;
    let mut admitted: Vec<&str> = Vec::new();
    let views: Vec<ParagraphView<'_>> = a.paragraphs().collect();
    for (si, section) in a.structure.sections.iter().enumerate() {
        if !args.all && section.kind != SectionKind::Problems {
            continue;
        }
        writeln!(
            out,
            "\n== section {si}: {} {}",
            section.kind.as_str(),
            section.heading.as_deref().unwrap_or("(no heading)")
        )?;
        for view in views.iter().filter(|v| v.section_index == si) {
            for i in 0..view.paragraph.sentences.len() {
                admitted.extend(explain_sentence(&mut out, rules, view, i)?);
            }
        }
    }
    admitted.sort_unstable();
    admitted.dedup();
    writeln!(
        out,
        "\nadmitted themes: {}",
        if admitted.is_empty() {
            "(none)".into()
        } else {
            admitted.join(", ")
        }
    )?;
    out.finish()?;
    Ok(true)
}

/// Prints one sentence and, for each theme found in it, the verdict and the words that made
/// the rule fire; returns the themes it admits.
fn explain_sentence<'r>(
    out: &mut Output,
    rules: &'r ThemeRules,
    view: &ParagraphView<'_>,
    sentence: usize,
) -> Result<Vec<&'r str>> {
    let p = view.paragraph;
    let mut admitted = Vec::new();
    writeln!(out, "\n  {}", &p.text[p.sentences[sentence].clone()])?;
    let hits: Vec<_> = view
        .facts
        .themes
        .iter()
        .filter(|h| h.sentence == sentence)
        .collect();
    if hits.is_empty() {
        writeln!(out, "    (no theme)")?;
    }
    for h in hits {
        let theme = &rules.themes()[h.theme];
        let terms: Vec<String> = h
            .evidence
            .iter()
            .map(|e| {
                let kind = match e.kind {
                    EvidenceKind::ProblemTerm => "problem term",
                    EvidenceKind::Topic => "topic",
                    EvidenceKind::Cue => "cue",
                    EvidenceKind::Measure => "measure",
                    EvidenceKind::Item => "item of the problems part",
                };
                format!("{kind} {}", &p.text[e.range.clone()])
            })
            .collect();
        let verdict = match h.polarity {
            Polarity::Problem => {
                admitted.push(theme.id.as_str());
                "ADMITS"
            }
            Polarity::Measure => "measure",
        };
        writeln!(
            out,
            "    {verdict:<7} {:<12} because {}",
            theme.id,
            terms.join(" + ")
        )?;
    }
    Ok(admitted)
}
