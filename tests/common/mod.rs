//! Helpers shared by the integration tests: the fixtures, one analyzer per test binary, the
//! fixtures' analyses (each computed once per binary), and running the real binary.
//!
//! Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use gongkai::corpus::LoadOptions;
use gongkai::pipeline::{Analysis, Analyzer};

/// The five fixtures' prefixes, in order.
pub const SEEDS: [&str; 5] = ["000", "001", "002", "003", "004"];

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture, sorted by name.
pub fn fixture_paths() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("tests/fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    assert_eq!(v.len(), SEEDS.len(), "tests/fixtures holds the five seeds");
    v
}

/// The fixture whose file name starts with `prefix` (`000` … `004`).
pub fn fixture_path(prefix: &str) -> PathBuf {
    fixture_paths()
        .into_iter()
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no fixture {prefix}"))
}

/// The analyzer, built once per test binary (it is immutable and shared, as in the pipeline).
pub fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::new().expect("analyzer"))
}

/// The analysis of a fixture, computed once per test binary.
pub fn seed(prefix: &str) -> &'static Analysis {
    static ALL: OnceLock<Vec<Analysis>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        fixture_paths()
            .iter()
            .map(|p| {
                analyzer()
                    .analyze_file(p, LoadOptions::default())
                    .expect("fixture analyses")
            })
            .collect()
    });
    let i = SEEDS
        .iter()
        .position(|s| *s == prefix)
        .unwrap_or_else(|| panic!("no fixture {prefix}"));
    &all[i]
}

/// Fails the test with the exit status and stderr unless the run succeeded.
pub fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The real binary, run in `dir`.
pub fn gongkai(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run gongkai")
}
