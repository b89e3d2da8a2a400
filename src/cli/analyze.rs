//! `gongkai analyze`: one report → metadata, sections, paragraphs, sentences.
//!
//! Every input is read once per run. Copy links (`copied_from`) need every report's paragraphs
//! before the first report can be written, so with links the JSON of each report is written,
//! as it is finished, to an anonymous temporary file (deleted by the system however the run
//! ends), with `copied_from: null` in place, and its paragraphs' reuse signatures go to a
//! second temporary file ([`SignatureStore`]); only each report's path, agency and year stay in
//! memory. When all are read, the links are computed one agency at a time and each line is
//! copied to the output with its links spliced in. Memory is one agency's signatures plus the
//! reports in flight; disk is the size of the output, once more, plus ~300 bytes a paragraph.

use std::io::{BufRead, Seek, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use gongkai::corpus::{self, LoadOptions};
use gongkai::export::json::{CopyJson, ReportJson};
use gongkai::pipeline::Analysis;
use gongkai::reuse::SignatureStore;
use gongkai::structure::Role;

use super::output::Output;
use super::run::{self, RunOptions};

/// Output formats of `analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnalyzeFormat {
    /// One JSON object per report per line (JSON Lines); the scripting interface.
    Json,
    /// A readable summary per report.
    Table,
    /// The original text all offsets refer to (extracted text for HTML/PDF).
    Text,
}

/// Arguments of `gongkai analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Report files or directories (searched recursively for .txt .md .htm .html .pdf).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Json)]
    pub format: AnalyzeFormat,
    /// Decode every text file with this encoding (gbk, gb18030, big5, utf-8, …) instead of
    /// detecting it.
    #[arg(long, value_parser = super::encoding_label)]
    pub encoding: Option<String>,
    /// Worker threads (default: all cores). Output is identical for any number.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Write to this file instead of stdout (`-` for stdout).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Skip finding paragraphs copied from earlier reports of the same agency (that needs a
    /// first pass over all the reports given; `copied_from` is then null).
    #[arg(long)]
    pub no_copies: bool,
    #[command(flatten)]
    pub dicts: super::dicts::DictArgs,
}

/// Parses `--encoding`.
pub fn load_options(encoding: Option<&str>) -> Result<LoadOptions> {
    let encoding = match encoding {
        None => None,
        Some(label) => match corpus::decode::encoding_for_label(label) {
            Some(e) => Some(e),
            None => {
                bail!("unknown encoding {label:?}: use a label such as utf-8, gbk, gb18030 or big5")
            }
        },
    };
    Ok(LoadOptions { encoding })
}

/// Runs `analyze`; `Ok(false)` when some input failed.
pub fn run(args: AnalyzeArgs) -> Result<bool> {
    let load = load_options(args.encoding.as_deref())?;
    let analyzer = super::dicts::analyzer(&args.dicts)?;
    super::output::refuse_input(args.output.as_deref(), &args.paths)?;
    let (paths, walk_skips) = run::report_files(&args.paths)?;
    let mut out = Output::open(args.output.as_deref())?;
    let threads = super::threads(args.threads);
    let opts = RunOptions {
        load,
        threads,
        command: "analyze",
        quiet: false,
        summary: true,
    };
    let copies = args.format == AnalyzeFormat::Json && !args.no_copies && paths.len() > 1;
    if !copies {
        // Several texts in one stream: each after a `==> path <==` line, as `head` does, so
        // one report's text never runs into the next one's title. One text stays bare, so
        // offsets index it directly.
        let headers = args.format == AnalyzeFormat::Text && paths.len() > 1;
        let mut first = true;
        let summary = run::run_files(&analyzer, &paths, walk_skips, &opts, &mut |a| {
            if headers {
                let gap = if std::mem::take(&mut first) { "" } else { "\n" };
                writeln!(out, "{gap}==> {} <==", a.source.path.display())?;
            }
            write_analysis(&mut out, &a, args.format, None)
        })?;
        out.finish()?;
        return Ok(summary.ok());
    }
    let mut spill = Spill::new()?;
    let mut signatures = SignatureStore::new().context(TEMP_ADVICE)?;
    let mut present: Vec<String> = Vec::with_capacity(paths.len());
    let summary = run::run_files(&analyzer, &paths, walk_skips, &opts, &mut |a| {
        present.push(a.source.path.display().to_string());
        signatures
            .push(&gongkai::reuse::ReportSignatures::of(&a))
            .context(TEMP_ADVICE)?;
        spill.push(&a)
    })?;
    let links = signatures.find_copies().context(TEMP_ADVICE)?;
    spill.write_with_links(&mut out, &links, |l| CopyJson {
        path: present[l.report].clone(),
        year: l.year,
        paragraph: l.paragraph,
        similarity: l.similarity,
        exact: l.exact,
    })?;
    out.finish()?;
    Ok(summary.ok())
}

/// What to do when the temporary files of copy linking cannot be written.
pub(super) const TEMP_ADVICE: &str = "cannot write a temporary file for copy links (set TMPDIR to a folder with space, or use --no-copies)";

/// Where a key's `null` or `0` stands in compact serde_json output. Inside a JSON string every
/// `"` is escaped, so `"copied_from":null` can only be the key itself.
const COPIED_FROM: &[u8] = b"\"copied_from\":null";
const COPIED_PARAGRAPHS: &[u8] = b"\"copied_paragraphs\":0";

/// Finished reports' JSON lines, waiting for their copy links.
struct Spill {
    file: std::io::BufWriter<std::fs::File>,
    /// Per report, whether each paragraph (document order) is narrative.
    narrative: Vec<Vec<bool>>,
}

impl Spill {
    fn new() -> Result<Spill> {
        let file = tempfile::tempfile().context(TEMP_ADVICE)?;
        Ok(Spill {
            file: std::io::BufWriter::new(file),
            narrative: Vec::new(),
        })
    }

    /// Writes one report's JSON without links.
    fn push(&mut self, a: &Analysis) -> Result<()> {
        let json = ReportJson::new(a).with_copies(&[]);
        self.narrative.push(
            json.sections
                .iter()
                .flat_map(|s| &s.paragraphs)
                .map(|p| p.narrative)
                .collect(),
        );
        serde_json::to_writer(&mut self.file, &json).context("cannot write the temporary file")?;
        self.file
            .write_all(b"\n")
            .context("cannot write the temporary file")?;
        Ok(())
    }

    /// Copies every line to `out` with its links (one per narrative paragraph) spliced in.
    fn write_with_links<L>(
        self,
        out: &mut Output,
        links: &[Vec<Option<L>>],
        to_json: impl Fn(&L) -> CopyJson,
    ) -> Result<()> {
        let mut file = self
            .file
            .into_inner()
            .map_err(|e| e.into_error())
            .context("cannot write the temporary file")?;
        file.rewind().context("cannot read the temporary file")?;
        let mut lines = std::io::BufReader::new(file);
        let mut line = Vec::new();
        for (report, narrative) in self.narrative.iter().enumerate() {
            line.clear();
            lines
                .read_until(b'\n', &mut line)
                .context("cannot read the temporary file")?;
            let row = links.get(report).map(Vec::as_slice).unwrap_or(&[]);
            splice_links(&line, narrative, row, &to_json, &mut *out)?;
        }
        Ok(())
    }
}

/// Writes `line` with the `copied_from` of each narrative paragraph set from `row` and
/// `copied_paragraphs` set to the number of links, as [`ReportJson::with_copies`] would.
fn splice_links<L>(
    line: &[u8],
    narrative: &[bool],
    row: &[Option<L>],
    to_json: &impl Fn(&L) -> CopyJson,
    out: &mut impl Write,
) -> Result<()> {
    let copied = row.iter().flatten().count();
    let mut rest = line;
    let mut paragraph = 0;
    let mut narrative_index = 0;
    while let Some(at) = find(rest, COPIED_FROM, COPIED_PARAGRAPHS) {
        let (before, after) = rest.split_at(at);
        out.write_all(before)?;
        if after.starts_with(COPIED_PARAGRAPHS) {
            write!(out, "\"copied_paragraphs\":{copied}")?;
            rest = &after[COPIED_PARAGRAPHS.len()..];
            continue;
        }
        let link = if narrative.get(paragraph).copied().unwrap_or(false) {
            narrative_index += 1;
            row.get(narrative_index - 1).and_then(Option::as_ref)
        } else {
            None
        };
        paragraph += 1;
        match link {
            Some(l) => {
                out.write_all(b"\"copied_from\":")?;
                serde_json::to_writer(&mut *out, &to_json(l))?;
            }
            None => out.write_all(COPIED_FROM)?,
        }
        rest = &after[COPIED_FROM.len()..];
    }
    out.write_all(rest)?;
    Ok(())
}

/// The first position of `a` or `b` in `hay`.
fn find(hay: &[u8], a: &[u8], b: &[u8]) -> Option<usize> {
    let fa = memchr::memmem::find(hay, a);
    let fb = memchr::memmem::find(hay, b);
    match (fa, fb) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn write_analysis(
    out: &mut Output,
    a: &Analysis,
    format: AnalyzeFormat,
    copies: Option<&[Option<CopyJson>]>,
) -> Result<()> {
    match format {
        AnalyzeFormat::Json => {
            let mut json = ReportJson::new(a);
            if let Some(links) = copies {
                json = json.with_copies(links);
            }
            serde_json::to_writer(&mut *out, &json)?;
            writeln!(out)?;
        }
        AnalyzeFormat::Table => write!(out, "{}", summary(a))?,
        AnalyzeFormat::Text => write!(out, "{}", a.source.text)?,
    }
    Ok(())
}

/// A readable summary of one analysis.
pub fn summary(a: &Analysis) -> String {
    let m = &a.metadata;
    let or_unknown = |s: Option<String>| s.unwrap_or_else(|| "-".into());
    let mut s = String::new();
    s.push_str(&format!("{}\n", a.source.path.display()));
    s.push_str(&format!("  title     {}\n", or_unknown(m.title.clone())));
    s.push_str(&format!(
        "  agency    {}   year {}   province {}   level {}\n",
        or_unknown(m.agency.clone()),
        or_unknown(m.year.map(|y| y.to_string())),
        or_unknown(m.province.clone()),
        or_unknown(m.level.map(|l| l.as_str().to_string())),
    ));
    s.push_str(&format!(
        "  file      {} {}, {} script, {} chars{}\n",
        format!("{:?}", a.source.format).to_lowercase(),
        a.source.encoding,
        a.norm.script.as_str(),
        a.source.text.chars().count(),
        if a.source.malformed > 0 {
            format!(", {} malformed bytes", a.source.malformed)
        } else {
            String::new()
        }
    ));
    s.push_str("  sections  kind               paras narr  tables sents  heading\n");
    for sec in &a.structure.sections {
        let count = |r: Role| sec.paragraphs.iter().filter(|p| p.role == r).count();
        let sents: usize = sec.paragraphs.iter().map(|p| p.sentences.len()).sum();
        let heading: String = sec
            .heading
            .as_deref()
            .unwrap_or("(no heading)")
            .chars()
            .take(30)
            .collect();
        s.push_str(&format!(
            "            {:<18} {:>5} {:>5} {:>6} {:>5}  {}\n",
            sec.kind.as_str(),
            sec.paragraphs.len(),
            count(Role::Narrative),
            count(Role::Table),
            sents,
            heading
        ));
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai::pipeline::Analyzer;

    /// Two reports of one agency, the second copying a paragraph of the first.
    fn analyses() -> Vec<Analysis> {
        let analyzer = Analyzer::new().expect("analyzer");
        let para = "我局严格按照条例要求，认真做好政府信息公开工作，主动公开各类信息一百二十条，及时更新网站栏目内容。";
        [
            ("a.txt", format!("咸阳市商务局2016年信息公开工作情况报告\n一、概述\n{para}\n二、存在的主要问题及改进措施\n网站管理专业性人才缺失，更新不够及时。\n")),
            ("b.txt", format!("咸阳市商务局2017年信息公开工作情况报告\n一、概述\n{para}\n二、存在的主要问题及改进措施\n人员编制少，兼职人员多。\n")),
        ]
        .iter()
        .map(|(name, text)| {
            analyzer.analyze(
                corpus::from_bytes(std::path::Path::new(name), text.as_bytes(), LoadOptions::default())
                    .expect("decodes"),
            )
        })
        .collect()
    }

    #[test]
    fn spliced_links_equal_the_json_with_copies() {
        // One pass (each file read once): the spliced lines must be byte for byte what
        // `ReportJson::with_copies` gives.
        let all = analyses();
        let sigs: Vec<_> = all
            .iter()
            .map(gongkai::reuse::ReportSignatures::of)
            .collect();
        let links = gongkai::reuse::find_copies(&sigs);
        let paths: Vec<String> = all
            .iter()
            .map(|a| a.source.path.display().to_string())
            .collect();
        assert!(links[1].iter().flatten().count() > 0, "the copy is found");
        let to_json = |l: &gongkai::reuse::CopyLink| CopyJson {
            path: paths[l.report].clone(),
            year: l.year,
            paragraph: l.paragraph,
            similarity: l.similarity,
            exact: l.exact,
        };
        for (a, row) in all.iter().zip(&links) {
            let json_links: Vec<Option<CopyJson>> =
                row.iter().map(|l| l.as_ref().map(to_json)).collect();
            let want =
                serde_json::to_vec(&ReportJson::new(a).with_copies(&json_links)).expect("json");
            let plain = ReportJson::new(a).with_copies(&[]);
            let narrative: Vec<bool> = plain
                .sections
                .iter()
                .flat_map(|s| &s.paragraphs)
                .map(|p| p.narrative)
                .collect();
            let line = serde_json::to_vec(&plain).expect("json");
            let mut got = Vec::new();
            splice_links(&line, &narrative, row, &to_json, &mut got).expect("splice");
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want)
            );
        }
    }
}
