//! Integration tests of the `gongkai` binary: real process, temp dirs, exit codes, and output
//! read back structurally.

use std::path::Path;
use std::process::Output;

use crate::common::{fixture_path, fixtures, gongkai, ok};

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each stdout line is JSON"))
        .collect()
}

#[test]
fn bad_files_are_reported_and_the_rest_still_processed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    std::fs::copy(fixture_path("001"), reports.join("a_good.txt")).expect("copy");
    std::fs::write(reports.join("b_binary.txt"), b"\x00\x01\x02PK\x03\x04").expect("write");
    std::fs::write(reports.join("c_empty.txt"), b"").expect("write");
    std::fs::write(reports.join("d_scan.pdf"), b"%PDF-1.4 not really").expect("write");
    let out = gongkai(&["analyze", "reports", "missing_dir"], dir.path());
    assert_eq!(out.status.code(), Some(1), "exit 1 when an input failed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["b_binary.txt", "c_empty.txt", "d_scan.pdf", "missing_dir"] {
        assert!(stderr.contains(name), "stderr names {name}: {stderr}");
    }
    assert!(stderr.contains("binary file"), "{stderr}");
    assert!(stderr.contains("empty file"), "{stderr}");
    let reports = json_lines(&out);
    assert_eq!(reports.len(), 1, "the good file is still analysed");
    assert_eq!(reports[0]["agency"], "瑞安市商务局");
}

#[test]
fn several_texts_are_each_headed_by_their_path_and_one_is_bare() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (fixture_path("000"), fixture_path("001"));
    let (a, b) = (a.to_str().expect("utf-8"), b.to_str().expect("utf-8"));
    let two = gongkai(&["analyze", "--format", "text", a, b], dir.path());
    assert!(two.status.success());
    let text = String::from_utf8(two.stdout).expect("utf-8");
    let heads: Vec<&str> = text.lines().filter(|l| l.starts_with("==> ")).collect();
    assert_eq!(heads, [format!("==> {a} <=="), format!("==> {b} <==")]);
    // One report alone is its text, byte for byte, so offsets index it directly.
    let one = gongkai(&["analyze", "--format", "text", a], dir.path());
    let original = std::fs::read_to_string(a).expect("read");
    assert_eq!(String::from_utf8(one.stdout).expect("utf-8"), original);
}

#[test]
fn one_and_many_threads_give_identical_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = fixtures();
    let f = f.to_str().expect("utf-8 path");
    let one = gongkai(&["analyze", f, "--threads", "1"], dir.path());
    let many = gongkai(&["analyze", f, "--threads", "4"], dir.path());
    assert!(one.status.success() && many.status.success());
    assert_eq!(json_lines(&one).len(), 5);
    assert_eq!(one.stdout, many.stdout, "output must not depend on threads");
}

#[test]
fn output_file_table_format_and_usage_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = fixture_path("003");
    let seed = seed.to_str().expect("utf-8 path");
    let out = gongkai(&["analyze", seed, "-o", "out.jsonl"], dir.path());
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "nothing on stdout with -o");
    let written = std::fs::read_to_string(dir.path().join("out.jsonl")).expect("output file");
    let r: serde_json::Value = serde_json::from_str(written.trim()).expect("json");
    assert_eq!(r["script"], "traditional");

    let table = gongkai(&["analyze", "--format", "table", seed], dir.path());
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("福建省商务厅") && text.contains("problems"),
        "{text}"
    );

    let usage = gongkai(&["analyze", "--format", "yaml", seed], dir.path());
    assert_eq!(usage.status.code(), Some(2));
    let bad_enc = gongkai(&["analyze", "--encoding", "klingon", seed], dir.path());
    assert_eq!(
        bad_enc.status.code(),
        Some(2),
        "a bad --encoding is a usage error"
    );
    assert!(String::from_utf8_lossy(&bad_enc.stderr).contains("unknown encoding"));
}

#[test]
fn sample_runs_anywhere_and_explains_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The chart `sample` keeps for the user goes to the temporary folder: this test's own, so
    // test runs leave nothing behind in the machine's /tmp.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("sample")
        .current_dir(dir.path())
        .env("TMPDIR", dir.path())
        .output()
        .expect("run gongkai");
    ok(&out);
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read tempdir")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("gongkai-sample-")
        })
        .collect();
    assert_eq!(kept.len(), 1, "one folder for the chart");
    assert!(
        kept[0].path().join("themes.svg").is_file(),
        "the chart it names"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for agency in [
        "咸阳市商务局",
        "瑞安市商务局",
        "市商务局",
        "福建省商务厅",
        "青岛西海岸新区商务局",
    ] {
        assert!(text.contains(agency), "sample lists {agency}: {text}");
    }
}

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = String::from_utf8(bytes.to_vec()).expect("utf-8 CSV");
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("record").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn export_themes_is_tidy_with_zero_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = fixtures();
    let out = gongkai(
        &[
            "export",
            "themes",
            f.to_str().expect("utf-8"),
            "--by",
            "year",
        ],
        dir.path(),
    );
    ok(&out);
    let (header, rows) = csv_rows(&out.stdout);
    assert_eq!(
        header,
        [
            "year",
            "theme",
            "theme_label",
            "theme_label_zh",
            "reports",
            "reports_with_theme",
            "share",
            "mentions",
            "measure_mentions"
        ]
    );
    // The fixtures' years, as their titles state them (000 2017, 001 2018, 002 2012, 003 2017,
    // 004 2018), each with a row for every one of the 12 themes, zero counts included.
    let years = ["2012", "2017", "2018"];
    let mut got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    got.sort_unstable();
    let mut want: Vec<(&str, &str)> = years
        .iter()
        .flat_map(|y| gongkai::themes::THEME_IDS.iter().map(move |t| (*y, *t)))
        .collect();
    want.sort_unstable();
    assert_eq!(gongkai::themes::THEME_IDS.len(), 12);
    assert_eq!(got, want, "one row per fixture year and theme");
    let row = |year: &str, theme: &str| {
        rows.iter()
            .find(|r| r[0] == year && r[1] == theme)
            .unwrap_or_else(|| panic!("row {year} {theme}"))
            .clone()
    };
    // 2018: seeds 001 and 004; both admit timeliness, only 004 staffing.
    assert_eq!(row("2018", "timeliness")[5], "2");
    assert_eq!(row("2018", "staffing")[5], "1");
    assert_eq!(row("2018", "staffing")[6], "0.500000");
    assert_eq!(row("2018", "funding")[5], "0");
    let reports = |year: &str| row(year, "staffing")[4].clone();
    assert_eq!(
        (reports("2012"), reports("2017"), reports("2018")),
        ("1".into(), "2".into(), "2".into()),
        "reports per year"
    );

    let by_report = gongkai(
        &[
            "export",
            "themes",
            f.to_str().expect("utf-8"),
            "--by",
            "report",
            "--bom",
        ],
        dir.path(),
    );
    assert!(
        by_report.stdout.starts_with("\u{FEFF}".as_bytes()),
        "--bom writes a BOM"
    );
    let (header, rows) = csv_rows(&by_report.stdout);
    assert_eq!(&header[..4], ["path", "agency", "year", "theme"]);
    assert_eq!(rows.len(), 5 * 12);
}

#[test]
fn export_boilerplate_reuse_and_kwic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = fixtures();
    let f = f.to_str().expect("utf-8");
    let out = gongkai(
        &["export", "boilerplate", f, "--by", "agency", "-o", "bp.csv"],
        dir.path(),
    );
    ok(&out);
    let (header, rows) = csv_rows(&std::fs::read(dir.path().join("bp.csv")).expect("written"));
    assert_eq!(header[..3], ["agency", "formula", "category"]);
    assert!(header.contains(&"boilerplate_share".to_string()));
    let open = rows
        .iter()
        .find(|r| r[0] == "福建省商务厅" && r[1] == "open_by_default")
        .expect("row");
    assert_eq!(
        open[4], "1",
        "福建省商务厅 has one report with open_by_default: {open:?}"
    );

    let out = gongkai(&["export", "reuse", f], dir.path());
    let (header, rows) = csv_rows(&out.stdout);
    assert_eq!(
        header,
        [
            "path",
            "agency",
            "year",
            "paragraphs",
            "copied_paragraphs",
            "copied_share",
            "source_path",
            "source_year",
            "exact_paragraphs"
        ]
    );
    assert_eq!(rows.len(), 5);
    assert!(
        rows.iter().all(|r| r[4] == "0"),
        "five different agencies copy nothing from each other"
    );

    let out = gongkai(&["export", "kwic", "兼職", f], dir.path());
    let (header, rows) = csv_rows(&out.stdout);
    assert_eq!(
        header,
        [
            "path", "agency", "year", "section", "left", "match", "right", "start", "end"
        ]
    );
    // Traditional query, Simplified reports and the Traditional seed 003 alike.
    let from_003: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == "福建省商务厅").collect();
    assert!(!from_003.is_empty());
    assert!(
        from_003.iter().all(|r| r[5] == "兼職"),
        "match is the original text"
    );
    let out = gongkai(
        &["export", "kwic", "信息公開", f, "--width", "5"],
        dir.path(),
    );
    let (_, rows) = csv_rows(&out.stdout);
    let agencies: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        agencies.len(),
        5,
        "a Traditional query finds every seed: {agencies:?}"
    );
    assert!(
        rows.iter()
            .all(|r| r[4].chars().count() <= 5 && r[6].chars().count() <= 5)
    );
}

#[test]
fn reuse_links_a_copied_report_to_its_earlier_year() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = std::fs::read_to_string(fixture_path("000")).expect("seed");
    std::fs::write(dir.path().join("a2017.txt"), &seed).expect("write");
    std::fs::write(
        dir.path().join("b2018.txt"),
        seed.replace("2017年", "2018年"),
    )
    .expect("write");
    let out = gongkai(&["export", "reuse", "a2017.txt", "b2018.txt"], dir.path());
    let (_, rows) = csv_rows(&out.stdout);
    assert_eq!(rows[0][4], "0", "nothing earlier than 2017");
    assert_eq!(rows[1][2], "2018");
    assert_eq!(
        rows[1][4], rows[1][3],
        "every paragraph of the 2018 copy is copied: {:?}",
        rows[1]
    );
    assert_eq!(rows[1][6], "a2017.txt");
    assert_eq!(rows[1][7], "2017");

    let out = gongkai(&["analyze", "a2017.txt", "b2018.txt"], dir.path());
    let reports = json_lines(&out);
    let linked = reports[1]["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["paragraphs"].as_array().cloned().unwrap_or_default())
        .filter(|p| p["copied_from"].is_object())
        .count();
    assert!(linked > 0);
    assert_eq!(reports[1]["copied_paragraphs"], linked);
    let copied = reports[1]["sections"][0]["paragraphs"][0]["copied_from"].clone();
    assert_eq!(copied["path"], "a2017.txt", "{copied}");
    assert_eq!(copied["year"], 2017);
}

#[test]
fn eval_scores_the_seeds_of_the_gold_set() {
    // What the seeds admit is pinned once, in tests/pipeline/themes.rs, and what `explain`
    // prints in tests/binary/snapshots/; here, that `eval` reads the gold set and prints one
    // scored line per theme and a micro line, each with counts and three ratios.
    let dir = tempfile::tempdir().expect("tempdir");
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/themes_gold.tsv");
    let out = gongkai(
        &["eval", "themes", gold.to_str().expect("utf-8")],
        dir.path(),
    );
    ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("5 reports scored"),
        "without --corpus only the seeds: {text}"
    );
    let scored: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("theme "))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    let names: Vec<&str> = scored
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut want: Vec<&str> = gongkai::themes::THEME_IDS.to_vec();
    want.push("micro");
    assert_eq!(names, want, "{text}");
    for line in scored {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols.len(), 8, "{line}");
        let [tp, fp, fn_, support]: [u32; 4] =
            std::array::from_fn(|i| cols[1 + i].parse().expect("count"));
        assert_eq!(tp + fn_, support, "{line}");
        // Undefined scores print as `-` (nothing predicted: no precision; nothing to find: no
        // recall), never as a perfect 1.000.
        if tp + fp > 0 {
            let precision: f64 = cols[5].parse().expect("ratio");
            let want = f64::from(tp) / f64::from(tp + fp);
            assert!((precision - want).abs() < 5e-4, "{line}");
        } else {
            assert_eq!(cols[5], "-", "{line}");
        }
        if tp + fn_ == 0 {
            assert_eq!(cols[6], "-", "{line}");
        }
    }
    // The corpus rows it could not score are said on stderr, not only in the count line.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("112 of 117 gold reports were not scored (no --corpus given)"),
        "{err}"
    );
    // A --corpus that is not a folder is a usage error, not a perfect score on the seeds.
    let out = gongkai(
        &[
            "eval",
            "themes",
            gold.to_str().expect("utf-8"),
            "--corpus",
            "no-such-corpus",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no-such-corpus: --corpus is not a folder"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no table is printed");
}

#[test]
fn eval_clauses_by_source_counts_a_report_once_per_theme() {
    // Two sources: the first admits staffing in two clauses (one report-level admission,
    // found); the second is labelled website on a clause with no word of any theme (a miss)
    // and promises training.
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = [
        "id\turl\tprovince\tyear\tpart\ttext\tadmits\tmeasures",
        "a1\thttp://a\t浙江\t2015\tproblems\t一是工作人员均为兼职。\tstaffing\t-",
        "a2\thttp://a\t浙江\t2015\tproblems\t二是无专职人员。\tstaffing\t-",
        "b1\thttp://b\t江苏\t2016\tproblems\t详见附件。\twebsite\t-",
        "b2\thttp://b\t江苏\t2016\tmeasures\t加强业务培训。\t-\tcapacity",
    ];
    std::fs::write(dir.path().join("c.tsv"), rows.join("\n") + "\n").expect("write");
    let out = gongkai(&["eval", "clauses", "c.tsv", "--by-source"], dir.path());
    ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let (clauses, sources) = stdout
        .split_once("2 sources")
        .unwrap_or_else(|| panic!("a per-source table: {stdout}"));
    let row = |table: &str, id: &str| -> Vec<String> {
        table
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("no {id} row in {table}"))
            .split_whitespace()
            .skip(1)
            .take(3)
            .map(str::to_string)
            .collect()
    };
    // tp fp fn: two staffing clauses, but one report.
    assert_eq!(row(clauses, "staffing"), ["2", "0", "0"]);
    assert_eq!(row(sources, "staffing"), ["1", "0", "0"]);
    assert_eq!(row(sources, "website"), ["0", "0", "1"]);
    assert_eq!(row(sources, "micro"), ["1", "0", "1"]);
    // Without the flag, no second table.
    let out = gongkai(&["eval", "clauses", "c.tsv"], dir.path());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("sources"));
}

#[test]
fn segment_prints_words_as_the_input_has_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("t.txt"),
        "福建省商務廳２０１７年政府信息公開工作年度報告\n第二行\n",
    )
    .expect("write");
    let out = gongkai(&["segment", "t.txt"], dir.path());
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "福建省 商務廳 ２０１７ 年 政府信息公開 工作 年度報告\n第二行\n"
    );
    let out = gongkai(&["segment", "--normalized", "t.txt"], dir.path());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("福建省 商务厅 2017 年 政府信息公开 工作 年度报告\n")
    );
    // GBK input is detected.
    let (gbk, _, _) = encoding_rs::GBK.encode("政府信息公开工作年度报告\n");
    std::fs::write(dir.path().join("g.txt"), gbk).expect("write");
    let out = gongkai(&["segment", "g.txt"], dir.path());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "政府信息公开 工作 年度报告\n"
    );
    // Binary input is refused with the file's name.
    std::fs::write(dir.path().join("b.bin"), b"PK\x03\x04\x00\x00").expect("write");
    let out = gongkai(&["segment", "b.bin"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("b.bin: binary file"));
}

#[test]
fn a_failed_export_leaves_the_previous_file_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("out.csv"), "keep").expect("write");
    std::fs::write(dir.path().join("bad.txt"), b"\x00\x01binary").expect("write");
    for args in [
        &["export", "themes", "missing_dir", "-o", "out.csv"][..],
        &["export", "themes", "bad.txt", "-o", "out.csv"][..],
        &["analyze", "missing_dir", "-o", "out.csv"][..],
    ] {
        let out = gongkai(args, dir.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("out.csv")).expect("kept"),
            "keep",
            "{args:?}"
        );
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("gongkai-tmp")),
        "no temporary file left: {names:?}"
    );
}

#[cfg(unix)]
#[test]
fn output_to_a_symlink_or_device_writes_through_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("real.csv"), "old").expect("write");
    std::os::unix::fs::symlink("real.csv", dir.path().join("link.csv")).expect("symlink");
    let seed = fixture_path("000");
    let out = gongkai(
        &[
            "export",
            "reuse",
            seed.to_str().expect("utf-8"),
            "-o",
            "link.csv",
        ],
        dir.path(),
    );
    ok(&out);
    let link = std::fs::symlink_metadata(dir.path().join("link.csv")).expect("link");
    assert!(
        link.file_type().is_symlink(),
        "the symlink is kept, not replaced by a file"
    );
    let written = std::fs::read_to_string(dir.path().join("real.csv")).expect("target");
    assert!(written.starts_with("path,agency,year"), "{written}");
    // A FIFO (as /dev/null, a device) is written through, not replaced: a rename over
    // /dev/null once turned it into a regular file. A FIFO in the temp folder tests the same
    // without touching the machine's /dev/null.
    let fifo = dir.path().join("out.fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::read_to_string(&reader));
    });
    let out = gongkai(
        &[
            "export",
            "reuse",
            seed.to_str().expect("utf-8"),
            "-o",
            "out.fifo",
        ],
        dir.path(),
    );
    ok(&out);
    // If gongkai never opened the FIFO, the reader still waits: open it without blocking so
    // the reader sees the end (this fails harmlessly when the reader is already done).
    {
        use std::os::unix::fs::OpenOptionsExt;
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&fifo);
    }
    let read = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the reader of the FIFO finishes")
        .expect("read the FIFO");
    assert!(read.starts_with("path,agency,year"), "{read:?}");
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(&fifo).expect("fifo").file_type();
    assert!(kind.is_fifo(), "the FIFO must remain a FIFO: {kind:?}");
}
