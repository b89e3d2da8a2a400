//! Helpers shared by the integration tests: one analyzer per test binary, the fixtures.

use std::path::{Path, PathBuf};

use gongkai::corpus::LoadOptions;
use gongkai::pipeline::{Analysis, Analyzer};

/// The analyzer, built once per test binary (it is immutable and shared, as in the pipeline).
pub fn analyzer() -> &'static Analyzer {
    static A: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
    A.get_or_init(|| Analyzer::new().expect("analyzer"))
}

/// The fixture whose file name starts with `prefix` (`000` … `004`).
pub fn fixture_path(prefix: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .expect("fixture exists")
}

/// The analysis of a fixture.
pub fn seed(prefix: &str) -> Analysis {
    analyzer()
        .analyze_file(&fixture_path(prefix), LoadOptions::default())
        .expect("fixture analyses")
}
