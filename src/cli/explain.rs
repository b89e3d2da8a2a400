//! `gongkai explain`: why each sentence got its themes — the way a researcher audits the
//! classifier.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use gongkai::structure::SectionKind;
use gongkai::themes::{EvidenceKind, Polarity};

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
    for (si, (section, facts)) in a.structure.sections.iter().zip(&a.facts).enumerate() {
        if !args.all && section.kind != SectionKind::Problems {
            continue;
        }
        writeln!(
            out,
            "\n== section {si}: {} {}",
            section.kind.as_str(),
            section.heading.as_deref().unwrap_or("(no heading)")
        )?;
        for (p, f) in section.paragraphs.iter().zip(facts) {
            for (i, s) in p.sentences.iter().enumerate() {
                writeln!(out, "\n  {}", &p.text[s.clone()])?;
                let hits: Vec<_> = f.themes.iter().filter(|h| h.sentence == i).collect();
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
                            admitted.push(&theme.id);
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
