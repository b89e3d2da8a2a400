//! Corpus: finding report files, reading them, and decoding them to text.
//!
//! This is the only stage that touches the file system. It walks files and directories in a
//! deterministic order, reads `.txt`/`.md` (decoded with [`decode`]), `.htm`/`.html` (through a
//! real HTML parser, [`html`]) and `.pdf` (its text layer, [`pdf`]), and recognises the header
//! block that crawlers put before a page's body (`标题:` … `正文:`), whose fields are better
//! metadata than anything inside the body.
//!
//! The text it returns is *the original*: every offset gongkai reports points into it. For a
//! text file that is the decoded file; for HTML and PDF it is the extracted text, which
//! `gongkai analyze --format text` prints. What this stage does not do: it does not judge what
//! is navigation, title or narrative (`structure` does), nor normalize script (`normalize`).

pub mod decode;
pub mod html;
pub mod pdf;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// File extensions picked up when walking a directory (lowercase).
pub const EXTENSIONS: &[&str] = &["txt", "md", "htm", "html", "pdf"];

/// How a file's text was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (also Markdown renderings of OCR output).
    Text,
    /// An HTML page.
    Html,
    /// The text layer of a PDF.
    Pdf,
}

/// The fields of a crawler's header block (`标题:` `发布时间:` `发布机构:` … then `正文:`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CrawlerHeader {
    /// `标题:` — the page title, usually the report's title.
    pub title: Option<String>,
    /// `发布时间:` — publication date (not the report year).
    pub published: Option<String>,
    /// `发布机构:` — the publishing office.
    pub publisher: Option<String>,
    /// `原始链接:` / `原文链接:` — where the page was crawled from.
    pub url: Option<String>,
}

/// One report as read from disk: its original text and how it was obtained.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file, as given or found by the walk.
    pub path: PathBuf,
    /// Text, HTML or PDF.
    pub format: Format,
    /// Encoding name (`UTF-8`, `GBK`, `GB18030`, `Big5`, …); `PDF` for PDFs.
    pub encoding: String,
    /// Whether the file had a byte-order mark.
    pub bom: bool,
    /// Malformed byte sequences replaced while decoding.
    pub malformed: usize,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// The original text all offsets refer to.
    pub text: String,
    /// Header block fields, when the file has one.
    pub header: Option<CrawlerHeader>,
    /// Byte offset in `text` where the report body starts (after any header block).
    pub body_start: usize,
    /// The HTML `<title>`, for HTML files.
    pub html_title: Option<String>,
    /// The report's identity: a hash of the file's bytes (32 hex digits of BLAKE3), the same
    /// whatever the file is called or where it lies. The index replaces a report's documents
    /// when its hash changes and skips a file whose hash it already holds.
    pub content_hash: String,
}

/// Options for reading files.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    /// Decode every text file with this encoding instead of detecting one.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// Office formats that hold reports gongkai cannot read: skipped, named and counted, with
/// advice to convert them.
pub const OFFICE_EXTENSIONS: &[&str] = &[
    "doc", "docx", "wps", "wpt", "rtf", "odt", "xls", "xlsx", "et", "ods", "ppt", "pptx", "ceb",
    "ofd",
];

/// File names (without extension, any case) that are never reports, even as `.txt` or `.md`:
/// what a corpus folder holds beside its reports.
pub const NOT_REPORT_NAMES: &[&str] = &[
    "readme",
    "manifest",
    "license",
    "licence",
    "changelog",
    "contributing",
];

/// The largest report file read, in bytes (64 MiB). Real reports are 10 KB to 2 MB of text;
/// PDFs with images are larger. Analysis needs up to about ten times a report's text in
/// memory, so a bigger file is skipped with a reason before it is read.
pub const MAX_REPORT_BYTES: u64 = 64 << 20;

/// Lists the report files under `paths`: files as given, directories recursively (files with an
/// extension in [`EXTENSIONS`], hidden entries skipped), each directory's entries sorted so the
/// order is the same on every machine.
///
/// Everything that is not returned as a report is returned as an error in place, so the caller
/// can name it, count it and go on: paths that cannot be read ([`Error::Io`], also for a path
/// longer than the system allows), FIFOs and devices ([`Error::NotRegularFile`]), files in
/// formats gongkai does not read ([`Error::Unsupported`]), READMEs and manifests
/// ([`Error::NotAReport`]), symlink loops ([`Error::SymlinkLoop`], followed once, never round
/// the loop) and the same file reached twice ([`Error::Duplicate`]: two arguments, or a
/// symlink to a file already listed).
pub fn walk<P: AsRef<Path>>(paths: &[P]) -> Vec<Result<PathBuf>> {
    let mut out = Vec::new();
    let mut seen = SeenFiles::default();
    for p in paths {
        let p = p.as_ref();
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => match seen.first_seen(p, &m) {
                // The same folder twice: walked once.
                Some(of) => out.push(Err(Error::Duplicate {
                    path: p.to_path_buf(),
                    of,
                })),
                None => walk_dir(p, &mut seen, &mut out),
            },
            Ok(m) => {
                if let Some(r) = check_file(p, &m, true, &mut seen) {
                    out.push(r);
                }
            }
            Err(e) => out.push(Err(Error::Io {
                path: p.to_path_buf(),
                source: e,
            })),
        }
    }
    out
}

/// Files already listed, by identity (device and inode on Unix, the canonical path elsewhere).
#[derive(Default)]
struct SeenFiles(std::collections::HashMap<FileId, PathBuf>);

#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

impl SeenFiles {
    /// `None` the first time a file is seen, else the path it was first seen under.
    fn first_seen(&mut self, path: &Path, meta: &std::fs::Metadata) -> Option<PathBuf> {
        #[cfg(unix)]
        let id = {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let id = {
            let _ = meta;
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        };
        match self.0.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => Some(e.get().clone()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(path.to_path_buf());
                None
            }
        }
    }
}

/// What to do with one file (`meta` follows symlinks). `explicit`: given as an argument, so an
/// unknown extension is named; inside a directory only office formats are (other files, such
/// as images, are passed over in silence: they are not reports).
fn check_file(
    p: &Path,
    meta: &std::fs::Metadata,
    explicit: bool,
    seen: &mut SeenFiles,
) -> Option<Result<PathBuf>> {
    if let Some(of) = seen.first_seen(p, meta) {
        return Some(Err(Error::Duplicate {
            path: p.to_path_buf(),
            of,
        }));
    }
    if !meta.is_file() {
        return Some(Err(Error::NotRegularFile {
            path: p.to_path_buf(),
            kind: file_kind(meta),
        }));
    }
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        if OFFICE_EXTENSIONS.contains(&ext.as_str()) {
            return Some(Err(Error::Unsupported {
                path: p.to_path_buf(),
                advice: format!(
                    ".{ext} files are not read: convert it to .txt or .pdf first (e.g. libreoffice --headless --convert-to txt)"
                ),
            }));
        }
        if explicit {
            return Some(Err(Error::Unsupported {
                path: p.to_path_buf(),
                advice: format!(
                    "not a report file: gongkai reads .txt .md .htm .html .pdf{}",
                    if ext.is_empty() {
                        String::new()
                    } else {
                        format!(", not .{ext}")
                    }
                ),
            }));
        }
        return None;
    }
    let stem = p
        .file_stem()
        .and_then(|s| s.to_str())
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    if NOT_REPORT_NAMES.contains(&stem.as_str()) {
        return Some(Err(Error::NotAReport {
            path: p.to_path_buf(),
            reason: "a README, manifest or notes file".into(),
        }));
    }
    Some(Ok(p.to_path_buf()))
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

fn walk_dir(dir: &Path, seen: &mut SeenFiles, out: &mut Vec<Result<PathBuf>>) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                if let Some(ancestor) = e.loop_ancestor() {
                    out.push(Err(Error::SymlinkLoop {
                        ancestor: ancestor.to_path_buf(),
                        path,
                    }));
                } else {
                    let source = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("cannot walk"));
                    out.push(Err(Error::Io { path, source }));
                }
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let p = entry.path();
        match entry.metadata() {
            Ok(m) => {
                if let Some(r) = check_file(p, &m, false, seen) {
                    out.push(r);
                }
            }
            Err(e) => out.push(Err(Error::Io {
                path: p.to_path_buf(),
                source: e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot read metadata")),
            })),
        }
    }
}

fn format_of(path: &Path) -> Format {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("htm" | "html") => Format::Html,
        Some("pdf") => Format::Pdf,
        _ => Format::Text,
    }
}

/// Reads and decodes one report file: only a regular file (a FIFO would block), of at most
/// [`MAX_REPORT_BYTES`], read once.
pub fn load(path: &Path, opts: LoadOptions) -> Result<Source> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Error::NotRegularFile {
            path: path.to_path_buf(),
            kind: file_kind(&meta),
        });
    }
    let too_large = |bytes: u64| Error::TooLarge {
        path: path.to_path_buf(),
        bytes,
        limit: MAX_REPORT_BYTES,
    };
    if meta.len() > MAX_REPORT_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow between the check and the read: never read past the limit.
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_REPORT_BYTES + 1),
        &mut bytes,
    )
    .map_err(io)?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    from_bytes(path, &bytes, opts)
}

/// Decodes a report already in memory; `path` names it in errors and output, and its extension
/// chooses the format.
pub fn from_bytes(path: &Path, bytes: &[u8], opts: LoadOptions) -> Result<Source> {
    let unreadable = |reason: String| Error::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let format = format_of(path);
    let (text, encoding, bom, malformed, html_title) = match format {
        Format::Pdf => {
            let text = pdf::pdf_to_text(bytes).map_err(|e| unreadable(e.to_string()))?;
            (text, "PDF".to_string(), false, 0, None)
        }
        Format::Text | Format::Html => {
            let decoded = if format == Format::Html {
                decode::decode_markup(bytes, opts.encoding)
            } else {
                decode::decode(bytes, opts.encoding)
            };
            let d = decoded.map_err(|e| match e {
                decode::DecodeError::NotChinese {
                    forced: false,
                    reads_as: None,
                    ..
                } => Error::NotAReport {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                },
                e => unreadable(e.to_string()),
            })?;
            if format == Format::Html {
                let h = html::html_to_text(&d.text).map_err(|e| unreadable(e.to_string()))?;
                let q = decode::Quality::of(&h.text, 0);
                if !q.is_chinese() {
                    return Err(Error::NotAReport {
                        path: path.to_path_buf(),
                        reason: format!(
                            "no Chinese text in the page ({} common Chinese characters)",
                            q.common
                        ),
                    });
                }
                (h.text, d.encoding, d.bom, d.malformed, h.title)
            } else {
                (d.text, d.encoding, d.bom, d.malformed, None)
            }
        }
    };
    if text.trim().is_empty() {
        return Err(unreadable("no text in file".into()));
    }
    let (header, body_start) = match parse_header(&text) {
        Some((h, start)) => (Some(h), start),
        None => (None, 0),
    };
    Ok(Source {
        path: path.to_path_buf(),
        format,
        encoding,
        bom,
        malformed,
        bytes: bytes.len() as u64,
        text,
        header,
        body_start,
        html_title,
        content_hash: content_hash(bytes),
    })
}

/// The identity of a file's content: 32 hex digits (128 bits) of its BLAKE3 hash.
pub fn content_hash(bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes);
    hash.to_hex()[..32].to_string()
}

/// Recognises a crawler header block at the top of `text`: `key: value` lines starting with
/// `标题`, ending at a `正文:` line (optionally framed by `=`). Returns the fields and the byte
/// offset where the body starts.
pub fn parse_header(text: &str) -> Option<(CrawlerHeader, usize)> {
    let first = text.trim_start_matches('\u{FEFF}').trim_start();
    if !(first.starts_with("标题:") || first.starts_with("标题：")) {
        return None;
    }
    let mut header = CrawlerHeader::default();
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        let l = line.trim();
        let bare = l.trim_matches('=').trim();
        if bare == "正文" || bare == "正文:" || bare == "正文：" {
            return Some((header, offset));
        }
        if n > 40 {
            break;
        }
        let Some((key, value)) = l.split_once([':', '：']) else {
            continue;
        };
        let value = value.trim();
        let value = (!value.is_empty()).then(|| value.to_string());
        match key.trim() {
            "标题" => header.title = value,
            "发布时间" => header.published = value,
            "发布机构" => header.publisher = value,
            "原始链接" | "原文链接" => header.url = value,
            _ => {}
        }
    }
    // A title line without a body marker: treat the key/value block as the header.
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim();
        if !l.is_empty() && !l.contains([':', '：']) {
            break;
        }
        offset += line.len();
    }
    Some((header, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawler_header_fields_and_body_start() {
        let text = "标题: 莆田市审计局2018年度政府信息公开工作年度报告\n发布时间: 2019-01-08 17:17\n\
                    文号: \n发布机构: 莆田市审计局\n原始链接: https://example.cn/a.htm\n正文:\n本年报是……\n";
        let (h, start) = parse_header(text).expect("header");
        assert_eq!(
            h.title.as_deref(),
            Some("莆田市审计局2018年度政府信息公开工作年度报告")
        );
        assert_eq!(h.published.as_deref(), Some("2019-01-08 17:17"));
        assert_eq!(h.publisher.as_deref(), Some("莆田市审计局"));
        assert_eq!(&text[start..], "本年报是……\n");
    }

    #[test]
    fn framed_body_marker() {
        let text = "标题: X2011年报告\n原文链接: https://x\n==================== 正文 ====================\n当前位置\n";
        let (_, start) = parse_header(text).expect("header");
        assert_eq!(&text[start..], "当前位置\n");
    }

    #[test]
    fn html_and_pdf_files_are_read_by_extension() {
        let html = "<html><head><title>某局2018年度政府信息公开工作年度报告</title></head>\
                    <body><p>一、概述</p><p>我局认真开展工作。</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(html);
        let s = from_bytes(Path::new("r.HTML"), &gbk, LoadOptions::default()).expect("html");
        assert_eq!((s.format, s.encoding.as_str()), (Format::Html, "GBK"));
        assert_eq!(
            s.html_title.as_deref(),
            Some("某局2018年度政府信息公开工作年度报告")
        );
        assert!(
            s.text.contains("一、概述\n\n我局认真开展工作。"),
            "{}",
            s.text
        );
        let err = from_bytes(
            Path::new("scan.pdf"),
            b"%PDF-1.4 nothing",
            LoadOptions::default(),
        )
        .expect_err("not a PDF");
        assert!(
            err.to_string().starts_with("scan.pdf: cannot read PDF"),
            "{err}"
        );
    }

    #[test]
    fn html_with_character_references_only_is_read() {
        let text = "某局2018年度政府信息公开工作年度报告。我局认真开展工作。";
        let refs: String = text.chars().map(|c| format!("&#{};", c as u32)).collect();
        let html = format!("<html><body><p>{refs}</p></body></html>");
        let s = from_bytes(Path::new("r.html"), html.as_bytes(), LoadOptions::default())
            .expect("ASCII page with references");
        assert!(s.text.contains(text), "{}", s.text);
        let err = from_bytes(
            Path::new("r.html"),
            b"<html><body><p>Site map</p></body></html>",
            LoadOptions::default(),
        )
        .expect_err("no Chinese");
        assert!(matches!(err, Error::NotAReport { .. }), "{err}");
    }

    #[test]
    fn no_header_without_title_key() {
        assert!(parse_header("咸阳市商务局2017年信息公开工作情况报告\n正文:\n").is_none());
    }

    #[test]
    fn walk_is_sorted_and_reports_missing_paths() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["b.txt", "a.TXT", "c.doc", ".hidden.txt"] {
            std::fs::write(dir.path().join(name), "x").expect("write");
        }
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::fs::write(dir.path().join("sub/d.html"), "x").expect("write");
        let missing = dir.path().join("missing");
        let found = walk(&[dir.path().to_path_buf(), missing]);
        let names: Vec<String> = found
            .iter()
            .map(|r| match r {
                Ok(p) => p
                    .strip_prefix(dir.path())
                    .expect("under dir")
                    .display()
                    .to_string(),
                Err(e) => format!("ERR {}", e.skip_reason().label()),
            })
            .collect();
        assert_eq!(
            names,
            [
                "a.TXT",
                "b.txt",
                "ERR unsupported format",
                "sub/d.html",
                "ERR unreadable"
            ]
        );
    }
}
