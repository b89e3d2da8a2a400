//! Bad input and failures never give silent wrong numbers (issue 13): each test reproduces a
//! defect found against hostile inputs, through the real binary where the defect was in the
//! command line. FIFOs, symlinks and long paths are made in temp folders, never the machine's
//! own devices.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{fixture_path, fixtures, gongkai, ok};

/// Runs gongkai, failing the test (and killing it) if it takes longer than `limit`.
fn gongkai_within(args: &[&str], dir: &Path, limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gongkai");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "gongkai {args:?} hung for {limit:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each stdout line is JSON"))
        .collect()
}

/// The summary line (the last line on stderr).
fn summary_line(out: &Output) -> String {
    stderr(out).lines().last().unwrap_or("").to_string()
}

#[test]
fn a_stray_byte_keeps_the_report_readable_and_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = std::fs::read(fixture_path("001")).expect("read");
    bytes.insert(200, 0xFF); // one invalid byte
    bytes.extend_from_slice(&"公".as_bytes()[..2]); // and the last character cut
    std::fs::write(dir.path().join("r.txt"), &bytes).expect("write");
    let out = gongkai(&["analyze", "r.txt"], dir.path());
    ok(&out);
    let r = &json_lines(&out)[0];
    assert_eq!(r["encoding"], "UTF-8");
    assert_eq!(r["malformed_bytes"], 2);
    assert_eq!(r["agency"], "瑞安市商务局");
    assert_eq!(r["year"], 2018);
    assert!(!r["themes_admitted"].as_array().expect("array").is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("r.txt: 2 malformed byte sequences replaced"),
        "{err}"
    );
    assert!(
        summary_line(&out).contains("1 with malformed bytes replaced"),
        "{err}"
    );
}

#[test]
fn a_forced_encoding_that_garbles_is_refused_with_advice() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(fixture_path("001"), dir.path().join("r.txt")).expect("copy");
    let out = gongkai(
        &["export", "themes", "--encoding", "gbk", "r.txt"],
        dir.path(),
    );
    assert_ne!(out.status.code(), Some(0), "not a silent all-zero table");
    let err = stderr(&out);
    assert!(err.contains("reads as Chinese in UTF-8"), "{err}");
    assert!(out.stdout.is_empty(), "nothing written");
}

#[test]
fn symlink_loops_and_repeated_inputs_count_each_report_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let c = dir.path().join("corpus");
    std::fs::create_dir(&c).expect("mkdir");
    std::fs::copy(fixture_path("000"), c.join("a.txt")).expect("copy");
    std::fs::copy(fixture_path("000"), c.join("b_same_content.txt")).expect("copy");
    std::os::unix::fs::symlink(".", c.join("self")).expect("symlink");
    std::os::unix::fs::symlink("..", c.join("parent")).expect("symlink");
    let out = gongkai_within(
        &["analyze", "--no-copies", "corpus", "corpus", "corpus/a.txt"],
        dir.path(),
        Duration::from_secs(60),
    );
    assert_eq!(json_lines(&out).len(), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("symlink loop"), "{err}");
    assert!(
        err.contains("b_same_content.txt: the same file or content as"),
        "{err}"
    );
    let line = summary_line(&out);
    assert!(line.starts_with("gongkai analyze: 1 report read"), "{line}");
    assert!(line.contains("duplicates counted once"), "{line}");
    assert_eq!(out.status.code(), Some(0), "nothing failed: {err}");
}

#[test]
fn files_not_read_are_named_and_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let c = dir.path().join("corpus");
    std::fs::create_dir(&c).expect("mkdir");
    std::fs::copy(fixture_path("002"), c.join("a.txt")).expect("copy");
    for name in ["b.doc", "c.docx", "d.wps", "e.xls"] {
        std::fs::write(c.join(name), b"\xD0\xCF\x11\xE0").expect("write");
    }
    std::fs::write(
        c.join("README.md"),
        "# 语料说明\n本文件夹收录政府信息公开工作年度报告，共一份。\n",
    )
    .expect("write");
    std::fs::write(c.join("photo.jpg"), b"\xFF\xD8").expect("write");
    std::fs::write(dir.path().join("MANIFEST.tsv"), "file\tyear\na.txt\t2012\n").expect("write");
    let out = gongkai(
        &["analyze", "--format", "table", "corpus", "MANIFEST.tsv"],
        dir.path(),
    );
    let err = stderr(&out);
    for name in [
        "b.doc",
        "c.docx",
        "d.wps",
        "e.xls",
        "README.md",
        "MANIFEST.tsv",
    ] {
        assert!(err.contains(name), "{name} named: {err}");
    }
    let line = summary_line(&out);
    assert!(line.contains("1 report read"), "{line}");
    assert!(line.contains("5 unsupported format"), "{line}");
    assert!(line.contains("1 not a report"), "{line}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn a_fifo_is_skipped_not_waited_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let c = dir.path().join("corpus");
    std::fs::create_dir(&c).expect("mkdir");
    std::fs::copy(fixture_path("001"), c.join("a.txt")).expect("copy");
    let fifo = c.join("pipe.txt");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    let out = gongkai_within(&["analyze", "corpus"], dir.path(), Duration::from_secs(60));
    let err = stderr(&out);
    assert!(
        err.contains("pipe.txt: not a regular file (a FIFO)"),
        "{err}"
    );
    assert_eq!(json_lines(&out).len(), 1);
    assert_eq!(out.status.code(), Some(1), "an input could not be read");
}

#[test]
fn a_path_longer_than_path_max_is_named_not_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(fixture_path("001"), dir.path().join("a.txt")).expect("copy");
    // 30 levels of 200-character names: 6,000 bytes, over Linux's PATH_MAX of 4,096. Made
    // relative to open folders (mkdirat/openat), which the kernel allows at any depth.
    std::fs::create_dir(dir.path().join("deep")).expect("mkdir");
    let text = std::fs::read(fixture_path("002")).expect("read");
    let deep = std::fs::File::open(dir.path().join("deep")).expect("open");
    let mut fd = std::os::fd::AsRawFd::as_raw_fd(&deep);
    let mut opened = Vec::new();
    for i in 0..30 {
        let name = std::ffi::CString::new(format!("d{i:0199}")).expect("name");
        // SAFETY: plain system calls on descriptors this test owns.
        unsafe {
            assert_eq!(libc::mkdirat(fd, name.as_ptr(), 0o755), 0, "mkdirat");
            fd = libc::openat(fd, name.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
        }
        assert!(fd >= 0, "openat");
        opened.push(fd);
    }
    let name = std::ffi::CString::new("r.txt").expect("name");
    // SAFETY: as above; the buffer outlives the write.
    unsafe {
        let f = libc::openat(fd, name.as_ptr(), libc::O_WRONLY | libc::O_CREAT, 0o644);
        assert!(f >= 0, "create r.txt");
        assert_eq!(
            libc::write(f, text.as_ptr().cast(), text.len()),
            text.len() as isize
        );
        libc::close(f);
        for fd in opened {
            libc::close(fd);
        }
    }
    let out = gongkai(&["analyze", "--no-copies", "a.txt", "deep"], dir.path());
    let line = summary_line(&out);
    assert!(line.contains("1 report read"), "{line}");
    assert!(
        line.contains("unreadable"),
        "the deep file is counted: {line}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn segment_cuts_long_lines_inside_characters_and_reads_cr_line_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    // One 300 KB line whose 262,144th byte falls inside a character, no sentence end.
    let line = "政府信息公开".repeat(300_000 / 18);
    std::fs::write(dir.path().join("long.txt"), &line).expect("write");
    let out = gongkai(&["segment", "long.txt"], dir.path());
    ok(&out);
    let words: String = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect();
    assert_eq!(words, line, "every character segmented once");
    // Old Mac line ends: one output line per input line.
    std::fs::write(
        dir.path().join("cr.txt"),
        "一、概述\r二、问题\r\n三、其他\r",
    )
    .expect("write");
    let out = gongkai(&["segment", "cr.txt"], dir.path());
    ok(&out);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

#[test]
fn deep_html_is_skipped_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(fixture_path("001"), dir.path().join("a.txt")).expect("copy");
    let deep = format!(
        "<html><body>{}一、概述 我局认真贯彻落实政府信息公开条例，主动公开政府信息。{}</body></html>",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    std::fs::write(dir.path().join("deep.html"), deep).expect("write");
    let out = gongkai_within(
        &["analyze", "a.txt", "deep.html"],
        dir.path(),
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("deep.html: HTML nested"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        json_lines(&out).len(),
        1,
        "the good report is still written"
    );
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("meta").permissions().mode() & 0o777
}

#[test]
fn output_files_keep_links_permissions_inputs_and_read_only_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::copy(fixture_path("001"), d.join("a.txt")).expect("copy");
    // -o LINK: a failed run leaves the target alone; a good one replaces it and keeps the link.
    std::fs::write(d.join("target.json"), "old").expect("write");
    std::os::unix::fs::symlink("target.json", d.join("link.json")).expect("symlink");
    let out = gongkai(&["analyze", "missing.txt", "-o", "link.json"], d);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(d.join("target.json")).expect("read"),
        "old"
    );
    let out = gongkai(&["analyze", "a.txt", "-o", "link.json"], d);
    ok(&out);
    assert!(
        std::fs::symlink_metadata(d.join("link.json"))
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(d.join("target.json"))
            .expect("read")
            .contains("瑞安市商务局")
    );
    // A 0600 file stays 0600.
    std::fs::write(d.join("private.json"), "old").expect("write");
    std::fs::set_permissions(
        d.join("private.json"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    let out = gongkai(&["analyze", "a.txt", "-o", "private.json"], d);
    ok(&out);
    assert_eq!(mode(&d.join("private.json")), 0o600);
    // A read-only file is refused, not replaced.
    std::fs::write(d.join("ro.json"), "keep").expect("write");
    std::fs::set_permissions(d.join("ro.json"), std::fs::Permissions::from_mode(0o444))
        .expect("chmod");
    let out = gongkai(&["analyze", "a.txt", "-o", "ro.json"], d);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(d.join("ro.json")).expect("read"),
        "keep"
    );
    // An input is never the output.
    let before = std::fs::read(d.join("a.txt")).expect("read");
    let out = gongkai(&["analyze", "a.txt", "-o", "a.txt"], d);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("one of the input reports"),
        "{}",
        stderr(&out)
    );
    let out = gongkai(&["export", "themes", ".", "-o", "a.txt"], d);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(d.join("a.txt")).expect("read"), before);
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn sigterm_removes_the_temporary_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["segment", "-", "-o", "out.txt"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all("政府信息公开工作年度报告\n".repeat(100).as_bytes())
        .expect("write");
    stdin.flush().expect("flush");
    let tmp_exists = || {
        std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
    };
    let start = Instant::now();
    while !tmp_exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "temporary file never appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The file exists a moment before it is registered for cleanup.
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: a plain kill(2) of our own child.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let status = child.wait().expect("wait");
    drop(stdin);
    assert!(!status.success());
    assert!(!tmp_exists(), "the temporary file is removed on SIGTERM");
    assert!(!dir.path().join("out.txt").exists(), "no partial output");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = fixtures();
    for args in [
        vec!["analyze", "--no-copies", fixtures.to_str().expect("utf-8")],
        vec![
            "export",
            "kwic",
            "公开",
            "--width",
            "200",
            fixtures.to_str().expect("utf-8"),
        ],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(&args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut head = [0u8; 10];
        stdout.read_exact(&mut head).expect("some output");
        drop(stdout); // like `| head -c 10`
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
}
