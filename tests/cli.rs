//! Integration tests of the `gongkai` binary: real process, temp dirs, exit codes, and output
//! read back structurally.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gongkai(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run gongkai")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each stdout line is JSON"))
        .collect()
}

#[test]
fn analyze_json_has_the_documented_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = fixtures().join("000_c11f889daaeba26c.txt");
    let out = gongkai(&["analyze", seed.to_str().expect("utf-8 path")], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports = json_lines(&out);
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    for field in [
        "path", "encoding", "script", "title", "agency", "year", "province", "level", "sections",
    ] {
        assert!(r.get(field).is_some(), "missing field {field}");
    }
    assert_eq!(r["agency"], "咸阳市商务局");
    assert_eq!(r["year"], 2017);
    assert_eq!(r["level"], "prefecture");
    let p = &r["sections"][0]["paragraphs"][0];
    for field in ["text", "start", "end", "narrative", "sentences"] {
        assert!(p.get(field).is_some(), "missing paragraph field {field}");
    }
}

#[test]
fn bad_files_are_reported_and_the_rest_still_processed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    std::fs::copy(
        fixtures().join("001_421a23df5bd24b83.txt"),
        reports.join("a_good.txt"),
    )
    .expect("copy");
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
    let seed = fixtures().join("003_843d7a1260357fac.txt");
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
    assert_eq!(bad_enc.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_enc.stderr).contains("unknown encoding"));
}

#[test]
fn sample_runs_anywhere_and_explains_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = gongkai(&["sample"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
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
