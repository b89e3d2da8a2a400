//! The researcher-shaped exports, run as the real binary on the fixtures and read back
//! structurally: `export reports`, `export sentences`, `export terms`, `--year`, a codebook of
//! one's own, metadata and aliases, charts.

use crate::common::{fixtures, gongkai, ok};

use std::collections::HashMap;
use std::path::Path;
use std::process::Output;

/// A CSV read back: header and rows as maps.
struct Table {
    header: Vec<String>,
    rows: Vec<HashMap<String, String>>,
}

fn table(bytes: &[u8]) -> Table {
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.expect("a well-formed CSV row");
            assert_eq!(rec.len(), header.len(), "every row has every column");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    Table { header, rows }
}

fn int(s: &str) -> u64 {
    s.parse()
        .unwrap_or_else(|_| panic!("{s:?} is a whole number"))
}

const ONE_THEME: &str = r#"
[cues]
shortcoming = ["不足", "有待"]
negation = ["未发生"]
measure = ["加强"]
remedy = ["解决"]

[[themes]]
id = "part_time"
label_zh = "兼职"
label_en = "Part-time staff"
problem_terms = ["兼职"]
"#;

#[test]
fn reports_table_has_one_typed_row_per_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = gongkai(
        &["export", "reports", fixtures().to_str().expect("utf-8")],
        dir.path(),
    );
    ok(&out);
    let t = table(&out.stdout);
    assert_eq!(t.header, gongkai::export::reports::HEADER);
    assert_eq!(t.rows.len(), 5);
    for r in &t.rows {
        assert!(r["year"].is_empty() || (2000..2030).contains(&int(&r["year"])));
        assert!(int(&r["chars"]) >= int(&r["narrative_chars"]));
        assert!(["true", "false"].contains(&r["has_problems_section"].as_str()));
        let share: f64 = r["boilerplate_share"].parse().expect("a number");
        assert!((0.0..=1.0).contains(&share));
        let copied: f64 = r["copied_share"].parse().expect("a number");
        assert!((0.0..=1.0).contains(&copied));
        assert_eq!(r["content_hash"].len(), 32);
        for id in r["themes_admitted"].split_whitespace() {
            assert!(
                gongkai::themes::THEME_IDS.contains(&id),
                "theme ids, not labels: {id}"
            );
        }
    }
    let xianyang = t
        .rows
        .iter()
        .find(|r| r["agency"] == "咸阳市商务局")
        .expect("seed 000");
    assert_eq!(xianyang["year"], "2017");
    assert_eq!(xianyang["themes_admitted"], "staffing website timeliness");
}

#[test]
fn sentences_are_those_of_analyze() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = fixtures();
    let root = root.to_str().expect("utf-8");
    let json = gongkai(&["analyze", root, "--no-copies"], dir.path());
    ok(&json);
    let mut expected: HashMap<String, Vec<(String, u64, u64)>> = HashMap::new();
    for line in String::from_utf8_lossy(&json.stdout).lines() {
        let r: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let list = expected
            .entry(r["path"].as_str().expect("path").to_string())
            .or_default();
        for s in r["sections"].as_array().expect("sections") {
            for p in s["paragraphs"].as_array().expect("paragraphs") {
                for x in p["sentences"].as_array().expect("sentences") {
                    list.push((
                        x["text"].as_str().expect("text").to_string(),
                        x["start"].as_u64().expect("start"),
                        x["end"].as_u64().expect("end"),
                    ));
                }
            }
        }
    }
    let out = gongkai(&["export", "sentences", root], dir.path());
    ok(&out);
    let t = table(&out.stdout);
    assert_eq!(t.header, gongkai::export::sentences::HEADER);
    let mut got: HashMap<String, Vec<(String, u64, u64)>> = HashMap::new();
    for r in &t.rows {
        let (start, end) = (int(&r["start"]), int(&r["end"]));
        assert!(start <= end);
        assert!(["true", "false", ""].contains(&r["copied"].as_str()));
        assert!(!r["text"].is_empty());
        got.entry(r["path"].clone())
            .or_default()
            .push((r["text_normalized"].clone(), start, end));
    }
    assert_eq!(got.len(), 5);
    for (path, sentences) in &expected {
        assert_eq!(
            got.get(path).map(Vec::len),
            Some(sentences.len()),
            "{path}: sentence count"
        );
        assert_eq!(got[path], *sentences, "{path}: same sentences and offsets");
    }
    // The Traditional seed keeps its own script in `text`.
    assert!(
        t.rows
            .iter()
            .any(|r| r["text"].contains("公開") && r["text_normalized"].contains("公开"))
    );
    // A sentence admitting staffing in seed 004's problems section.
    assert!(t.rows.iter().any(|r| r["section"] == "problems"
        && r["themes_admitted"].split(' ').any(|x| x == "staffing")
        && r["text_normalized"].contains("无专人专职")));
}

#[test]
fn terms_of_a_group_sum_to_its_word_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = fixtures();
    let root = root.to_str().expect("utf-8");
    let out = gongkai(&["export", "terms", root, "--by", "report"], dir.path());
    ok(&out);
    let t = table(&out.stdout);
    assert_eq!(
        t.header,
        [
            "path",
            "agency",
            "year",
            "term",
            "count",
            "reports_with_term",
            "words"
        ]
    );
    let mut sums: HashMap<String, (u64, u64)> = HashMap::new();
    for r in &t.rows {
        let s = sums.entry(r["path"].clone()).or_default();
        s.0 += int(&r["count"]);
        s.1 = int(&r["words"]);
        assert_eq!(r["reports_with_term"], "1");
    }
    assert_eq!(sums.len(), 5);
    let mut total = 0;
    for (path, (sum, words)) in &sums {
        assert_eq!(sum, words, "{path}: the terms sum to the word count");
        let name = Path::new(path).file_name().expect("file name");
        let prefix = &name.to_string_lossy()[..3];
        assert_eq!(
            *words as usize,
            crate::common::seed(prefix).word_count(),
            "{path}: the words of the analysis (and of the index)"
        );
        total += words;
    }
    let out = gongkai(
        &["export", "terms", root, "--by", "year", "--no-punct"],
        dir.path(),
    );
    ok(&out);
    let t = table(&out.stdout);
    let by_year: u64 = t.rows.iter().map(|r| int(&r["count"])).sum();
    assert!(by_year > 0 && by_year < total, "punctuation left out");
    assert!(t.rows.iter().all(|r| r["term"] != "，"));
    let out = gongkai(
        &[
            "export",
            "terms",
            root,
            "--by",
            "section",
            "--min-count",
            "20",
        ],
        dir.path(),
    );
    ok(&out);
    let t = table(&out.stdout);
    assert!(t.rows.iter().all(|r| int(&r["count"]) >= 20));
    assert!(t.rows.iter().any(|r| r["section"] == "problems"));
}

#[test]
fn year_filter_applies_to_every_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = fixtures();
    let root = root.to_str().expect("utf-8");
    for export in ["reports", "sentences", "themes", "boilerplate", "reuse"] {
        let out = gongkai(
            &["export", export, root, "--year", "2017..2018"],
            dir.path(),
        );
        ok(&out);
        let t = table(&out.stdout);
        assert!(!t.rows.is_empty(), "{export}");
        assert!(
            t.rows
                .iter()
                .all(|r| r["year"] == "2017" || r["year"] == "2018"),
            "{export}: only 2017 and 2018"
        );
    }
    let out = gongkai(&["export", "reports", root, "--year", "2017"], dir.path());
    ok(&out);
    assert_eq!(table(&out.stdout).rows.len(), 2);
}

#[test]
fn a_codebook_of_ones_own_changes_themes_explain_and_the_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cb = dir.path().join("cb.toml");
    std::fs::write(&cb, ONE_THEME).expect("write");
    let root = fixtures();
    let root = root.to_str().expect("utf-8");
    let out = gongkai(
        &["export", "themes", root, "--codebook", "cb.toml"],
        dir.path(),
    );
    ok(&out);
    let t = table(&out.stdout);
    assert_eq!(t.rows.len(), 5, "one theme × five reports");
    assert!(t.rows.iter().all(|r| r["theme"] == "part_time"));
    let admitted: Vec<&str> = t
        .rows
        .iter()
        .filter(|r| r["reports_with_theme"] == "1")
        .map(|r| r["path"].as_str())
        .collect();
    assert!(!admitted.is_empty(), "some problems section mentions 兼职");
    // `explain` uses it too.
    let out = gongkai(
        &["explain", admitted[0], "--codebook", "cb.toml"],
        dir.path(),
    );
    ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ADMITS  part_time"), "{text}");
    assert!(text.contains("admitted themes: part_time"), "{text}");
    // The index records which codebook built it.
    ok(&gongkai(&["index", root, "--index", "idx"], dir.path()));
    let out = gongkai(
        &["index", root, "--index", "idx", "--codebook", "cb.toml"],
        dir.path(),
    );
    assert!(
        !out.status.success(),
        "another codebook cannot extend the index"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("fingerprint"));
    let out = gongkai(
        &["search", "兼职", "--index", "idx", "--codebook", "cb.toml"],
        dir.path(),
    );
    assert!(!out.status.success(), "nor search it");
    ok(&gongkai(
        &["index", root, "--index", "own", "--codebook", "cb.toml"],
        dir.path(),
    ));
    let out = gongkai(
        &[
            "search",
            "--index",
            "own",
            "--codebook",
            "cb.toml",
            "--theme",
            "part_time",
            "--format",
            "csv",
        ],
        dir.path(),
    );
    ok(&out);
    assert!(!table(&out.stdout).rows.is_empty());
    // With --index, export themes reads the same counts.
    let out = gongkai(
        &[
            "export",
            "themes",
            "--index",
            "own",
            "--codebook",
            "cb.toml",
        ],
        dir.path(),
    );
    ok(&out);
    let from_index = table(&out.stdout);
    let with: usize = from_index
        .rows
        .iter()
        .filter(|r| r["reports_with_theme"] == "1")
        .count();
    assert_eq!(with, admitted.len());
}

#[test]
fn bad_run_time_files_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = fixtures();
    let root = root.to_str().expect("utf-8");
    std::fs::write(
        dir.path().join("bad.toml"),
        ONE_THEME.replace("id = \"part_time\"", "id = \"Part time\""),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("broken.toml"),
        "[cues]\nshortcoming = [\"不足\"\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("words.txt"), "专职人员 many\n").expect("write");
    std::fs::write(
        dir.path().join("meta.csv"),
        "path,year\na.txt,2014\nb.txt,later\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("aliases.tsv"), "# a\tb\nonly one column\n").expect("write");
    let cases: [(&[&str], &str); 6] = [
        (
            &["export", "themes", root, "--codebook", "bad.toml"],
            "bad.toml line 9",
        ),
        (
            &["explain", "x.txt", "--codebook", "broken.toml"],
            "broken.toml line",
        ),
        (
            &["analyze", root, "--user-dict", "words.txt"],
            "words.txt line 1",
        ),
        (
            &["export", "reports", root, "--metadata", "meta.csv"],
            "meta.csv line 3",
        ),
        (
            &["export", "reports", root, "--aliases", "aliases.tsv"],
            "aliases.tsv line 2",
        ),
        (
            &["export", "themes", root, "--formulas", "missing.tsv"],
            "missing.tsv",
        ),
    ];
    for (args, says) in cases {
        let out = gongkai(args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?} names {says}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing written");
        assert!(
            !stderr.contains("reports read"),
            "refused before reading reports"
        );
    }
}

#[test]
fn metadata_overrides_and_carries_columns_and_aliases_merge_agencies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    for f in ["000_c11f889daaeba26c.txt", "001_421a23df5bd24b83.txt"] {
        std::fs::copy(fixtures().join(f), reports.join(f)).expect("copy");
    }
    let meta = dir.path().join("meta");
    std::fs::create_dir(&meta).expect("mkdir");
    std::fs::write(
        meta.join("docvars.csv"),
        "path,year,coder,level\n../reports/000_c11f889daaeba26c.txt,2016,王,\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("aliases.tsv"),
        "瑞安市商务局\t咸阳市商务局\n",
    )
    .expect("write");
    let export_reports = || {
        gongkai(
            &[
                "export",
                "reports",
                "reports",
                "--metadata",
                "meta/docvars.csv",
            ],
            dir.path(),
        )
    };
    let out = export_reports();
    ok(&out);
    let t = table(&out.stdout);
    assert_eq!(t.header.last().map(String::as_str), Some("coder"));
    let x = t
        .rows
        .iter()
        .find(|r| r["path"].contains("000_"))
        .expect("row");
    assert_eq!((x["year"].as_str(), x["coder"].as_str()), ("2016", "王"));
    assert_eq!(
        x["level"], "prefecture",
        "an empty cell keeps gongkai's value"
    );
    let y = t
        .rows
        .iter()
        .find(|r| r["path"].contains("001_"))
        .expect("row");
    assert_eq!((y["year"].as_str(), y["coder"].as_str()), ("2018", ""));
    let out = gongkai(
        &[
            "export",
            "themes",
            "reports",
            "--by",
            "agency",
            "--aliases",
            "aliases.tsv",
        ],
        dir.path(),
    );
    ok(&out);
    let t = table(&out.stdout);
    assert!(t.rows.iter().all(|r| r["agency"] == "咸阳市商务局"));
    assert!(t.rows.iter().all(|r| r["reports"] == "2"), "one series");

    // A row whose path names no file is said, not silently dropped; the others still apply.
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!stderr(&out).contains("naming no existing file"));
    std::fs::write(
        meta.join("docvars.csv"),
        "path,year,coder,level\n../reports/000_c11f889daaeba26c.txt,2016,王,\n\
         ../reports/00O_typo.txt,2017,李,\n",
    )
    .expect("write");
    let out = export_reports();
    ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("meta/docvars.csv: 1 row naming no existing file")
            && err.contains("00O_typo.txt"),
        "{err}"
    );
    let t = table(&out.stdout);
    assert!(t.rows.iter().any(|r| r["coder"] == "王"));
}

#[test]
fn charts_are_drawn_per_year_with_chinese_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = fixtures();
    let root = root.to_str().expect("utf-8");
    let out = gongkai(
        &["export", "themes", root, "--by", "year", "--plot", "t.svg"],
        dir.path(),
    );
    // SVG keeps its labels as text: it needs no font on this machine.
    ok(&out);
    let svg = std::fs::read_to_string(dir.path().join("t.svg")).expect("chart written");
    assert!(svg.starts_with("<svg"));
    assert!(
        svg.contains("人员不足 staffing"),
        "legend in Chinese and ids"
    );
    for year in ["2012", "2015", "2017", "2018"] {
        assert!(svg.contains(year), "a label per year, {year} too");
    }
    assert!(svg.contains("n=2"), "the counts behind the shares");
    let out = gongkai(
        &[
            "export",
            "boilerplate",
            root,
            "--by",
            "year",
            "--plot",
            "b.png",
        ],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("no font with Chinese characters") {
        // A machine without a CJK font (a fresh one, before the README's font install): the
        // PNG is refused, naming the file and what to install, and nothing is written.
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("b.png") && err.contains("fonts-wqy-microhei"),
            "{err}"
        );
        assert!(!dir.path().join("b.png").exists());
    } else {
        ok(&out);
        let png = std::fs::read(dir.path().join("b.png")).expect("chart written");
        assert!(png.starts_with(b"\x89PNG"));
    }
    let out = gongkai(&["export", "themes", root, "--plot", "t.svg"], dir.path());
    assert_eq!(out.status.code(), Some(2), "--plot needs --by year");
}

#[test]
fn exports_that_read_files_refuse_an_index_as_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    for table in ["sentences", "terms", "reuse"] {
        let out = gongkai(&["export", table, "--index", "ix"], dir.path());
        assert_eq!(out.status.code(), Some(2), "export {table}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("reads report files, not an index") && err.contains("take --index"),
            "{err}"
        );
    }
}
