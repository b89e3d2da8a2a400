//! Snapshot tests of long outputs, so that a change of a dictionary or rule shows up as a
//! reviewable diff of what the user sees: a segmentation, the theme hits of `explain`, one
//! whole `analyze` JSON record.
//!
//! The snapshots are the files in `tests/binary/snapshots/` (`expect-test`'s `expect_file!`). A
//! mismatch fails the test and prints the diff; plain `cargo test` (CI) never writes them. After
//! a deliberate change, rewrite them and review the diff before committing:
//!
//! ```text
//! UPDATE_EXPECT=1 cargo test --test binary snapshots::
//! git diff tests/binary/snapshots/
//! ```
//!
//! The binary runs in a temp folder on a copy of the fixture named by a relative path, so no
//! absolute path, timing or machine detail enters a snapshot.

use crate::common::{fixture_path, gongkai};
use expect_test::expect_file;

/// Runs `gongkai <command…> <fixture>` on a copy of the fixture in a temp folder and returns
/// stdout, after checking the exit code.
fn run_on_fixture(command: &[&str], prefix: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = fixture_path(prefix);
    let name = from.file_name().expect("name").to_str().expect("utf-8");
    std::fs::copy(&from, dir.path().join(name)).expect("copy");
    let mut args = command.to_vec();
    args.push(name);
    let out = gongkai(&args, dir.path());
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Compact JSON laid out one value per line, keeping field order and every byte of the
/// values; removing the added whitespace gives back the input.
fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' if matches!(chars.peek(), Some('}' | ']')) => {
                out.push(c);
                out.push(chars.next().expect("peeked"));
            }
            '{' | '[' => {
                out.push(c);
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth -= 1;
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out.push('\n');
    out
}

#[test]
fn pretty_keeps_every_byte_and_the_field_order() {
    let compact = r#"{"b":1,"a":[],"s":"x,\"{y}\": [z]","n":[{"k":null},{}]}"#;
    let laid_out = pretty(compact);
    let mut back = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in laid_out.chars() {
        if in_string || !c.is_whitespace() {
            back.push(c);
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        }
    }
    assert_eq!(back, compact);
    assert!(
        laid_out.starts_with("{\n  \"b\": 1,\n  \"a\": [],\n"),
        "{laid_out}"
    );
}

/// The whole `analyze` wire format (every field, its order, its values) of one report.
#[test]
fn analyze_json_of_seed_001() {
    let stdout = run_on_fixture(&["analyze"], "001");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON line per report");
    serde_json::from_str::<serde_json::Value>(lines[0]).expect("the line is JSON");
    expect_file!["snapshots/analyze_001.json"].assert_eq(&pretty(lines[0]));
}

/// Jieba with the project's dictionaries, on one whole report as the input has it: `segment`
/// output laid out one word a line (an empty line where the input has a line break), so a
/// dictionary change shows up as the words it splits or joins.
#[test]
fn segmentation_of_seed_001() {
    let out = run_on_fixture(&["segment"], "001");
    let words: Vec<String> = out
        .lines()
        .map(|l| l.split(' ').collect::<Vec<_>>().join("\n"))
        .collect();
    expect_file!["snapshots/segment_001.txt"].assert_eq(&(words.join("\n\n") + "\n"));
}

/// Every theme hit of one report, with the terms that made it.
#[test]
fn explain_of_seed_004() {
    expect_file!["snapshots/explain_004.txt"].assert_eq(&run_on_fixture(&["explain"], "004"));
}
