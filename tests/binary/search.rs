//! The index and search against a brute-force scan of the same reports: the completeness
//! contract (every paragraph whose normalized text contains a term is found, and nothing
//! else), exact per-year counts, offsets into the originals, and the index's life cycle
//! (incremental, replacement, fingerprint, lock, a writer killed mid-run).

use crate::common::{fixtures, gongkai, ok};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gongkai::pipeline::{Analysis, Analyzer, DictSource};
use gongkai::search::query::{Filters, ParsedQuery};
use gongkai::search::{IndexHandle, IndexWriter, Limit, SearchIndex};

/// Small reports written for these tests: other agencies and years than the fixtures, one in
/// Traditional script, so that sub-words, cross-word substrings and script folding all occur.
const EXTRA: &[(&str, &str)] = &[
    (
        "hr2011.txt",
        "某某县人力资源和社会保障局2011年政府信息公开工作年度报告\n\
         一、概述\n2011年，我局认真贯彻《中华人民共和国政府信息公开条例》，坚持以公开为原则、不公开为例外。\n\
         二、主动公开政府信息情况\n全年主动公开政府信息120条，通过门户网站公开98条。\n\
         三、存在的主要问题及改进措施\n（一）存在的问题。一是无专职人员，工作人员均为兼职；二是网站栏目设置不合理，信息更新不及时。\n\
         （二）改进措施。下一步，我局将加强政策解读，配备专职人员。\n",
    ),
    (
        "hr2013.txt",
        "某某县人力资源和社会保障局2013年政府信息公开工作年度报告\n\
         一、概述\n2013年，我局政府信息公开工作人员3名，其中专职人员1名。\n\
         二、存在的主要问题\n政策解读不够深入，公众知晓率不高；依申请公开答复不够及时。\n",
    ),
    (
        "tw2014.txt",
        "某某市統計局2014年政府信息公開工作年度報告\n\
         一、概述\n2014年，我局堅持「公開是原則，不公開是例外」，政府信息公開工作穩步推進。\n\
         二、存在的主要問題\n一是無專職人員，工作人員流動性大；二是網站互動功能缺少，政策解讀形式單一。\n",
    ),
];

/// Terms whose matches are compared with a scan: words, sub-words (公开 inside 政府信息公开),
/// substrings across word boundaries (职人, 息公), phrases with punctuation, Traditional and
/// full-width spellings, digits.
const TERMS: &[&str] = &[
    "公开",
    "信息公开",
    "政府信息公开",
    "息公",
    "无专职人员",
    "专职",
    "兼职",
    "职人",
    "人员",
    "工作人员",
    "政策解读",
    "政策解讀",
    "网站",
    "網站",
    "更新不及时",
    "不及时",
    "\"公开为原则\"",
    "\"公开是原则，不公开是例外\"",
    "公開是原則",
    "依申请",
    "申请公开",
    "业务能力",
    "新媒体",
    "2017年",
    "２０１７年",
    "有待",
    "主动公开",
    "门户网站",
    "一是",
    "知晓率",
];

/// The test corpus in a folder: the five fixtures and [`EXTRA`].
fn corpus(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(fixtures()).expect("fixtures") {
        let p = entry.expect("entry").path();
        let to = dir.join(p.file_name().expect("name"));
        std::fs::copy(&p, &to).expect("copy");
        paths.push(to);
    }
    for (name, text) in EXTRA {
        let to = dir.join(name);
        std::fs::write(&to, text).expect("write");
        paths.push(to);
    }
    paths.sort();
    paths
}

fn analyses(paths: &[PathBuf]) -> Vec<Analysis> {
    paths
        .iter()
        .map(|p| {
            crate::common::analyzer()
                .analyze_file(p, Default::default())
                .expect("analyses")
        })
        .collect()
}

fn build_index<'a>(
    dir: &Path,
    analyses: impl IntoIterator<Item = &'a Analysis>,
    analyzer: &Analyzer,
) {
    let handle = IndexHandle::open_or_create(dir, analyzer).expect("index");
    let mut writer = handle.writer(2).expect("writer");
    for a in analyses {
        writer
            .add(IndexWriter::documents(&handle.fields, a))
            .expect("add");
    }
    writer.commit().expect("commit");
    writer.finish().expect("finish");
}

/// What a scan of the normalized narrative finds: (path, paragraph) pairs and, per year, the
/// distinct reports.
fn scan(
    analyses: &[Analysis],
    matches: impl Fn(&str) -> bool,
) -> (BTreeSet<(String, u64)>, BTreeMap<u16, usize>) {
    let mut hits = BTreeSet::new();
    let mut years: BTreeMap<u16, usize> = BTreeMap::new();
    for a in analyses {
        let path = a.source.path.display().to_string();
        let mut found = false;
        for (i, v) in a.narrative().enumerate() {
            let p = v.paragraph;
            if matches(&p.text.to_ascii_lowercase()) {
                hits.insert((path.clone(), i as u64));
                found = true;
            }
        }
        if found {
            *years.entry(a.metadata.year.unwrap_or(0)).or_default() += 1;
        }
    }
    (hits, years)
}

fn normalized(term: &str) -> String {
    crate::common::analyzer()
        .normalizer()
        .normalize_str(term.trim_matches('"'))
        .to_ascii_lowercase()
}

/// The test corpus analysed (for the scan) and indexed (for the search), in a temporary
/// folder that lives as long as the first value.
fn scanned_and_indexed() -> (tempfile::TempDir, Vec<Analysis>, SearchIndex) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let reports = tmp.path().join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    let analyses = analyses(&corpus(&reports));
    let ix = tmp.path().join("ix");
    build_index(&ix, &analyses, crate::common::analyzer());
    let index = SearchIndex::open(&ix, crate::common::analyzer()).expect("open");
    (tmp, analyses, index)
}

#[test]
fn search_finds_exactly_the_paragraphs_a_scan_finds() {
    let (_tmp, analyses, index) = scanned_and_indexed();
    let analyzer = crate::common::analyzer();
    let mut nonempty = 0;
    for term in TERMS {
        let q = ParsedQuery::parse(term, analyzer).expect("parse");
        let got = index
            .search(&q, &Filters::default(), Limit::All, analyzer)
            .expect("search");
        let needle = normalized(term);
        let (want, want_years) = scan(&analyses, |t| t.contains(&needle));
        let found: BTreeSet<(String, u64)> = got
            .hits
            .iter()
            .map(|h| (h.path.clone(), h.paragraph))
            .collect();
        assert_eq!(found, want, "paragraphs matching {term}");
        let years: BTreeMap<u16, usize> = got
            .years
            .iter()
            .filter(|y| y.reports > 0)
            .map(|y| (y.year.unwrap_or(0), y.reports as usize))
            .collect();
        assert_eq!(years, want_years, "reports per year matching {term}");
        assert_eq!(got.total_paragraphs as usize, want.len(), "{term}");
        nonempty += usize::from(!want.is_empty());
        // Every match points at the original: its text, read at its offsets, normalizes to
        // the term.
        let by_path: BTreeMap<String, &Analysis> = analyses
            .iter()
            .map(|a| (a.source.path.display().to_string(), a))
            .collect();
        for h in &got.hits {
            assert!(!h.matches.is_empty(), "{term}: a hit without a match");
            let original: Vec<char> = by_path[&h.path].source.text.chars().collect();
            for m in &h.matches {
                let at: String = original[m.start..m.end].iter().collect();
                assert_eq!(at, m.text, "{term}: offsets of the match in {}", h.path);
                assert!(
                    normalized(&at).contains(&needle),
                    "{term}: {at:?} at {}..{} in {}",
                    m.start,
                    m.end,
                    h.path
                );
            }
        }
    }
    assert!(nonempty >= 25, "most terms occur in the test corpus");
}

#[test]
fn or_exclusion_and_filters_agree_with_a_scan() {
    let (_tmp, analyses, index) = scanned_and_indexed();
    let analyzer = crate::common::analyzer();
    let run = |q: &str, f: &Filters| -> BTreeSet<(String, u64)> {
        let q = ParsedQuery::parse(q, analyzer).expect("parse");
        index
            .search(&q, f, Limit::All, analyzer)
            .expect("search")
            .hits
            .iter()
            .map(|h| (h.path.clone(), h.paragraph))
            .collect()
    };
    let none = Filters::default();
    let (want, _) = scan(&analyses, |t| t.contains("网站") || t.contains("平台"));
    assert_eq!(run("网站 OR 平台", &none), want);
    let (want, _) = scan(&analyses, |t| t.contains("公开") && !t.contains("例外"));
    assert_eq!(run("公开 -例外", &none), want);
    let (want, _) = scan(&analyses, |t| t.contains("人员") && t.contains("兼职"));
    assert_eq!(run("人员 兼职", &none), want);

    // Year filter: only reports of 2011–2014.
    let years = Filters {
        years: Some((2011, 2014)),
        ..Filters::default()
    };
    let in_range: Vec<Analysis> = analyses
        .iter()
        .filter(|a| a.metadata.year.is_some_and(|y| (2011..=2014).contains(&y)))
        .cloned()
        .collect();
    let (want, _) = scan(&in_range, |t| t.contains("人员"));
    assert!(!want.is_empty());
    assert_eq!(run("人员", &years), want);

    // An empty query with a theme filter lists the paragraphs admitting it.
    let staffing = Filters {
        theme: Some("staffing".into()),
        ..Filters::default()
    };
    let mut want = BTreeSet::new();
    let staffing_ix = analyzer.themes().theme_index("staffing").expect("theme");
    for a in &analyses {
        for (i, v) in a.narrative().enumerate() {
            let f = v.facts;
            if f.themes
                .iter()
                .any(|h| h.theme == staffing_ix && h.polarity == gongkai::themes::Polarity::Problem)
            {
                want.insert((a.source.path.display().to_string(), i as u64));
            }
        }
    }
    assert!(want.len() >= 3, "staffing is admitted in the corpus");
    assert_eq!(run("", &staffing), want);

    // Section and agency filters.
    let problems = Filters {
        section: Some("problems".into()),
        agency: Some("人力资源".into()),
        ..Filters::default()
    };
    let found = run("人员", &problems);
    assert!(!found.is_empty());
    assert!(found.iter().all(|(p, _)| p.contains("hr201")), "{found:?}");
}

#[test]
fn an_index_of_other_dictionaries_is_refused_and_a_second_writer_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let ix = tmp.path().join("ix");
    build_index(&ix, [crate::common::seed("001")], crate::common::analyzer());
    let other = Analyzer::builder()
        .user_dict(DictSource::new("extra.txt", "信息公开工作 10\n"))
        .build()
        .expect("analyzer");
    assert_ne!(other.fingerprint(), crate::common::analyzer().fingerprint());
    for err in [
        SearchIndex::open(&ix, &other).err().map(|e| e.to_string()),
        IndexHandle::open_or_create(&ix, &other)
            .err()
            .map(|e| e.to_string()),
    ] {
        let err = err.expect("refused");
        assert!(err.contains("--rebuild"), "{err}");
        assert!(err.contains("other dictionaries"), "{err}");
    }
    // The same analyzer still opens it.
    let handle = IndexHandle::open(&ix, crate::common::analyzer()).expect("open");
    let first = handle.writer(1).expect("first writer");
    let second = IndexHandle::open(&ix, crate::common::analyzer())
        .expect("open")
        .writer(1);
    let err = second.err().expect("second writer refused").to_string();
    assert!(err.contains("another `gongkai index`"), "{err}");
    assert!(err.contains(&ix.display().to_string()), "{err}");
    drop(first);
}

/// A temporary folder holding the test corpus in `r/` and its index in `ix/`.
fn indexed_corpus() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(tmp.path().join("r")).expect("mkdir");
    corpus(&tmp.path().join("r"));
    let o = gongkai(&["index", "r", "--index", "ix"], tmp.path());
    ok(&o);
    tmp
}

/// A CSV on stdout: its header and its rows.
fn csv_table(o: &Output) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut rdr = csv::Reader::from_reader(o.stdout.as_slice());
    let header = rdr
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = rdr.records().map(|r| r.expect("row")).collect();
    (header, rows)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Fails unless the run's stderr contains `text`, showing what it said.
fn says(o: &Output, text: &str) {
    let err = stderr(o);
    assert!(err.contains(text), "{err}");
}

#[test]
fn reindexing_adds_nothing_and_a_changed_file_replaces_its_documents() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    std::fs::create_dir(dir.join("r")).expect("mkdir");
    corpus(&dir.join("r"));
    let first = gongkai(&["index", "r", "--index", "ix"], dir);
    ok(&first);
    says(&first, "8 new, 0 unchanged, 0 replaced");
    let again = gongkai(&["index", "r", "--index", "ix"], dir);
    ok(&again);
    says(&again, "0 new, 8 unchanged, 0 replaced");
    says(&again, "8 reports now in ix");

    // The same content under another name is a duplicate, not a new report.
    std::fs::copy(dir.join("r/hr2013.txt"), dir.join("r/hr2013-copy.txt")).expect("copy");
    let dup = gongkai(&["index", "r", "--index", "ix"], dir);
    says(&dup, "1 duplicate skipped");
    std::fs::remove_file(dir.join("r/hr2013-copy.txt")).expect("rm");

    let count = |q: &str| -> String {
        let o = gongkai(
            &["search", q, "--index", "ix", "--by-year", "--format", "csv"],
            dir,
        );
        ok(&o);
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(
        count("知晓率").contains("2013,1,1,1,1.000000"),
        "{}",
        count("知晓率")
    );
    // Change one report: its old paragraphs go, the new ones come.
    let changed = EXTRA[1].1.replace("知晓率", "满意度");
    std::fs::write(dir.join("r/hr2013.txt"), changed).expect("write");
    let third = gongkai(&["index", "r", "--index", "ix"], dir);
    says(&third, "0 new, 7 unchanged, 1 replaced");
    says(&third, "8 reports now in ix");
    assert!(
        count("知晓率").contains("2013,0,0,1,0.000000"),
        "{}",
        count("知晓率")
    );
    assert!(
        count("满意度").contains("2013,1,1,1,1.000000"),
        "{}",
        count("满意度")
    );
}

#[test]
fn search_csv_json_and_table() {
    let tmp = indexed_corpus();
    let dir = tmp.path();

    let o = gongkai(
        &[
            "search", "兼职", "--index", "ix", "--all", "--format", "csv",
        ],
        dir,
    );
    ok(&o);
    let (header, rows) = csv_table(&o);
    assert_eq!(
        &header[..9],
        &[
            "path",
            "agency",
            "year",
            "section",
            "paragraph",
            "start",
            "end",
            "match",
            "text"
        ]
    );
    assert!(rows.len() >= 3, "兼职 occurs in several paragraphs");
    for r in &rows {
        let path = dir.join(&r[0]);
        let text: Vec<char> = std::fs::read_to_string(&path)
            .expect("read")
            .chars()
            .collect();
        let (start, end): (usize, usize) =
            (r[5].parse().expect("start"), r[6].parse().expect("end"));
        let at: String = text[start..end].iter().collect();
        assert_eq!(at, &r[7], "original[start:end] is the match");
        assert!(
            r[8].contains("兼职"),
            "the sentence holds the match: {}",
            &r[8]
        );
        r[2].parse::<u16>().expect("year");
    }

    let o = gongkai(
        &[
            "search",
            "--theme",
            "staffing",
            "--year",
            "2011..2014",
            "--index",
            "ix",
            "--format",
            "json",
        ],
        dir,
    );
    ok(&o);
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let hits: Vec<&serde_json::Value> = records.iter().filter(|r| r["type"] == "hit").collect();
    assert!(!hits.is_empty());
    for h in &hits {
        let y = h["year"].as_u64().expect("year");
        assert!((2011..=2014).contains(&y), "{h}");
        assert!(
            h["themes"]
                .as_array()
                .expect("themes")
                .iter()
                .any(|t| t == "staffing")
        );
    }
    let years: Vec<&serde_json::Value> = records.iter().filter(|r| r["type"] == "year").collect();
    // Counts for the years asked about, every one of them, and no other.
    let listed: Vec<u64> = years
        .iter()
        .map(|y| y["year"].as_u64().expect("year"))
        .collect();
    assert_eq!(listed, vec![2011, 2012, 2013, 2014], "{years:?}");
    assert!(years.iter().all(|y| y["reports_indexed"] == 1), "{years:?}");
    assert_eq!(records.last().expect("summary")["type"], "summary");

    let o = gongkai(&["search", "公開是原則", "--index", "ix"], dir);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("【公开是原则】"), "{table}");
    assert!(
        table.contains("year  reports  paragraphs  indexed"),
        "{table}"
    );

    // Usage errors: nothing to search for, an unknown theme, a bad year.
    assert_eq!(
        gongkai(&["search", "--index", "ix"], dir).status.code(),
        Some(2)
    );
    let o = gongkai(&["search", "--theme", "nope", "--index", "ix"], dir);
    assert!(stderr(&o).contains("staffing"), "{}", stderr(&o));
    assert_eq!(
        gongkai(&["search", "x", "--year", "20x", "--index", "ix"], dir)
            .status
            .code(),
        Some(2)
    );
    let o = gongkai(&["search", "公开", "--index", "missing"], dir);
    assert!(stderr(&o).contains("gongkai index"), "{}", stderr(&o));
}

#[test]
fn export_from_the_index_equals_export_from_the_files() {
    let tmp = indexed_corpus();
    let dir = tmp.path();
    for args in [
        ["export", "themes", "--by", "report"],
        ["export", "themes", "--by", "year"],
        ["export", "boilerplate", "--by", "agency"],
        ["export", "boilerplate", "--by", "report"],
    ] {
        let files = gongkai(&[&args[..], &["r"]].concat(), dir);
        let index = gongkai(&[&args[..], &["--index", "ix"]].concat(), dir);
        assert!(
            files.status.success() && index.status.success(),
            "{}",
            stderr(&index)
        );
        assert!(!files.stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&files.stdout),
            String::from_utf8_lossy(&index.stdout),
            "{args:?}"
        );
    }
}

#[test]
fn a_writer_killed_mid_run_leaves_a_searchable_index_and_a_rerun_completes_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let reports = dir.join("many");
    std::fs::create_dir(&reports).expect("mkdir");
    // 400 distinct reports, small enough to index in seconds, many enough to kill mid-run.
    let n = 400;
    for i in 0..n {
        let year = 2008 + i % 18;
        let text = EXTRA[0]
            .1
            .replace("2011", &year.to_string())
            .replace("120条", &format!("{}条", 100 + i));
        std::fs::write(reports.join(format!("r{i:04}.txt")), text).expect("write");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "index",
            "many",
            "--index",
            "ix",
            "--commit-every",
            "5",
            "--threads",
            "1",
        ])
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill it once a commit with some reports but not all is on disk.
    let started = std::time::Instant::now();
    let mut killed_at = None;
    while started.elapsed() < std::time::Duration::from_secs(120) {
        if let Ok(meta) = std::fs::read_to_string(dir.join("ix/meta.json"))
            && let Some(n_ord) = committed_reports(&meta)
            && n_ord >= 10
        {
            killed_at = Some(n_ord);
            break;
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    let killed_at = killed_at.expect("a batch was committed before the kill");
    assert!(
        killed_at < n as u64,
        "killed mid-run ({killed_at} of {n} committed)"
    );

    let o = gongkai(
        &[
            "search",
            "无专职人员",
            "--index",
            "ix",
            "--format",
            "json",
            "--by-year",
        ],
        dir,
    );
    assert!(
        o.status.success(),
        "searchable after the kill: {}",
        stderr(&o)
    );
    let rerun = gongkai(&["index", "many", "--index", "ix"], dir);
    ok(&rerun);
    assert!(
        stderr(&rerun).contains(&format!("{n} reports now in ix")),
        "{}",
        stderr(&rerun)
    );
    let o = gongkai(
        &[
            "search",
            "无专职人员",
            "--index",
            "ix",
            "--format",
            "csv",
            "--by-year",
        ],
        dir,
    );
    let total: u64 = String::from_utf8_lossy(&o.stdout)
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(1)
                .expect("reports")
                .parse::<u64>()
                .expect("n")
        })
        .sum();
    assert_eq!(
        total, n as u64,
        "every report counted once after the re-run"
    );
}

/// The number of reports the last commit holds, from tantivy's meta.json payload.
fn committed_reports(meta: &str) -> Option<u64> {
    let meta: serde_json::Value = serde_json::from_str(meta).ok()?;
    let payload: serde_json::Value = serde_json::from_str(meta["payload"].as_str()?).ok()?;
    payload["next_report_ord"].as_u64()
}

#[test]
fn copies_are_linked_across_runs_whatever_the_order_reports_arrive_in() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("a")).expect("mkdir");
    std::fs::create_dir_all(dir.join("b")).expect("mkdir");
    // The 2012 report copies the 2011 one with its numbers changed; it is indexed first.
    std::fs::write(
        dir.join("a/hr2012.txt"),
        EXTRA[0].1.replace("2011", "2012").replace("120条", "130条"),
    )
    .expect("write");
    std::fs::write(dir.join("b/hr2011.txt"), EXTRA[0].1).expect("write");
    let csv = |dir: &Path| -> Vec<Vec<String>> {
        let o = gongkai(
            &[
                "search",
                "无专职人员",
                "--index",
                "ix",
                "--all",
                "--format",
                "csv",
            ],
            dir,
        );
        ok(&o);
        let (header, rows) = csv_table(&o);
        let col = header
            .iter()
            .position(|h| h == "copied_from")
            .expect("copied_from column");
        rows.iter()
            .map(|r| vec![r[0].to_string(), r[col].to_string()])
            .collect()
    };
    assert!(
        gongkai(&["index", "a", "--index", "ix"], dir)
            .status
            .success()
    );
    assert_eq!(
        csv(dir),
        vec![vec!["a/hr2012.txt".to_string(), String::new()]]
    );
    assert!(
        gongkai(&["index", "b", "--index", "ix"], dir)
            .status
            .success()
    );
    let rows = csv(dir);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.contains(&vec![
            "a/hr2012.txt".to_string(),
            "b/hr2011.txt".to_string()
        ]),
        "{rows:?}"
    );
    assert!(
        rows.contains(&vec!["b/hr2011.txt".to_string(), String::new()]),
        "{rows:?}"
    );
}

#[test]
fn rebuild_starts_from_nothing() {
    let tmp = indexed_corpus();
    let dir = tmp.path();
    let o = gongkai(
        &["index", "--rebuild", "r/hr2011.txt", "--index", "ix"],
        dir,
    );
    ok(&o);
    assert!(stderr(&o).contains("1 new, 0 unchanged"), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 report now in ix"), "{}", stderr(&o));
    let o = gongkai(
        &[
            "search", "公开", "--index", "ix", "--all", "--format", "csv",
        ],
        dir,
    );
    let rows = String::from_utf8_lossy(&o.stdout).lines().skip(1).count();
    assert!(rows >= 1);
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .skip(1)
            .all(|l| l.starts_with("r/hr2011.txt,")),
        "only the rebuilt report remains"
    );
}

#[test]
fn metadata_columns_are_filters_and_changed_metadata_reindexes_the_report() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    std::fs::create_dir(dir.join("r")).expect("mkdir");
    corpus(&dir.join("r"));
    std::fs::write(
        dir.join("meta.csv"),
        "path,batch\nr/hr2011.txt,A\nr/hr2013.txt,B\n",
    )
    .expect("write");
    let o = gongkai(
        &["index", "r", "--index", "ix", "--metadata", "meta.csv"],
        dir,
    );
    ok(&o);
    let paths = |pair: &str| -> BTreeSet<String> {
        let o = gongkai(
            &[
                "search", "人员", "--meta", pair, "--index", "ix", "--all", "--format", "csv",
            ],
            dir,
        );
        ok(&o);
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        paths("batch=A"),
        BTreeSet::from(["r/hr2011.txt".to_string()])
    );
    assert_eq!(
        paths("batch=B"),
        BTreeSet::from(["r/hr2013.txt".to_string()])
    );
    // New metadata for one report: it is indexed again, the others are unchanged.
    std::fs::write(
        dir.join("meta.csv"),
        "path,batch\nr/hr2011.txt,B\nr/hr2013.txt,B\n",
    )
    .expect("write");
    let o = gongkai(
        &["index", "r", "--index", "ix", "--metadata", "meta.csv"],
        dir,
    );
    says(&o, "0 new, 7 unchanged, 1 replaced");
    assert!(paths("batch=A").is_empty());
    assert_eq!(paths("batch=B").len(), 2);
    let o = gongkai(&["search", "x", "--meta", "batch", "--index", "ix"], dir);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_chinese_exclusion_on_the_command_line_is_a_query_word_not_a_flag() {
    let tmp = indexed_corpus();
    let dir = tmp.path();
    // Flags after the query words (or before them, when the words follow `--`).
    let count = |args: &[&str]| -> usize {
        let flags = ["--index", "ix", "--all", "--format", "csv"];
        let mut all = vec!["search"];
        if args.contains(&"--") {
            all.extend_from_slice(&flags);
            all.extend_from_slice(args);
        } else {
            all.extend_from_slice(args);
            all.extend_from_slice(&flags);
        }
        let o = gongkai(&all, dir);
        assert!(o.status.success(), "{:?}: {}", args, stderr(&o));
        csv::Reader::from_reader(o.stdout.as_slice())
            .records()
            .count()
    };
    let with = count(&["公开"]);
    let both = count(&["公开", "网站"]);
    // `-网站` before the flags must exclude, and the flags after it must still be flags.
    let without = count(&["公开", "-网站"]);
    assert!(both > 0 && without > 0, "the fixture has both kinds");
    assert_eq!(
        with,
        both + without,
        "-网站 removes exactly the paragraphs with 网站"
    );
    // After `--`, a hyphen word is a query word whatever its script.
    assert_eq!(count(&["公开", "--", "-网站"]), without);

    // Nothing to search for, or a query that cannot be parsed: usage errors, exit 2.
    let o = gongkai(&["search", "--index", "ix"], dir);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = gongkai(&["search", "\"兼职", "--index", "ix"], dir);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not closed"), "{}", stderr(&o));
}

#[test]
fn counts_a_person_reads_are_singular_for_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(tmp.path().join("r")).expect("mkdir");
    let all = corpus(&tmp.path().join("r"));
    for p in &all[1..] {
        std::fs::remove_file(p).expect("rm");
    }
    let o = gongkai(&["index", "r", "--index", "ix"], tmp.path());
    ok(&o);
    let err = stderr(&o);
    assert!(err.contains("1 report read"), "{err}");
    assert!(err.contains("1 report now in"), "{err}");
    assert!(!err.contains("1 reports"), "{err}");
}

#[test]
fn nothing_to_index_creates_nothing_and_a_rebuild_of_nothing_keeps_the_index() {
    let tmp = indexed_corpus();
    let dir = tmp.path();
    std::fs::write(dir.join("a.docx"), b"PK").expect("write");
    let o = gongkai(&["index", "a.docx", "--index", "new-ix"], dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!dir.join("new-ix").exists(), "no index folder for nothing");
    let before = gongkai(&["search", "公开", "--index", "ix", "--by-year"], dir);
    let o = gongkai(&["index", "--rebuild", "a.docx", "--index", "ix"], dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let after = gongkai(&["search", "公开", "--index", "ix", "--by-year"], dir);
    ok(&before);
    assert_eq!(before.stdout, after.stdout, "the index is as it was");
}

#[test]
fn ranked_hits_with_equal_scores_come_in_input_order_whatever_the_segments() {
    // Eight reports with the same problems paragraph score the same for any query; each is
    // committed on its own, so each sits in its own segment, and segments are numbered by
    // their random ids, not by when they were written.
    let tmp = tempfile::tempdir().expect("tempdir");
    let reports = tmp.path().join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    let paths: Vec<PathBuf> = (0..8)
        .map(|i| {
            let p = reports.join(format!("r{i}.txt"));
            let text = format!(
                "某某县第{i}局2015年政府信息公开工作年度报告\n一、概述\n2015年，我局推进政府信息公开。\n\
                 二、存在的主要问题\n工作人员均为兼职，网站栏目更新不及时。\n"
            );
            std::fs::write(&p, text).expect("write");
            p
        })
        .collect();
    let analyzer = crate::common::analyzer();
    let ix = tmp.path().join("ix");
    for a in analyses(&paths) {
        build_index(&ix, [&a], analyzer);
    }
    let index = SearchIndex::open(&ix, analyzer).expect("open");
    let q = ParsedQuery::parse("兼职", analyzer).expect("parse");
    let got = index
        .search(&q, &Filters::default(), Limit::Top(8), analyzer)
        .expect("search");
    let order: Vec<String> = got.hits.iter().map(|h| h.path.clone()).collect();
    let want: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(
        order, want,
        "tied hits in the order the reports were indexed"
    );
    assert!(
        got.hits.windows(2).all(|w| w[0].score == w[1].score),
        "the paragraphs score the same"
    );
    // A shorter limit keeps the first of the tied hits, not an arbitrary subset.
    let got = index
        .search(&q, &Filters::default(), Limit::Top(3), analyzer)
        .expect("search");
    let order: Vec<String> = got.hits.iter().map(|h| h.path.clone()).collect();
    assert_eq!(order, want[..3]);
}
