//! PDF → text, from the text layer.
//!
//! Provincial and city governments publish many reports only as PDF. We read the text layer
//! with `pdf-extract` (a pure-Rust reader built on `lopdf` that understands the CMaps of CJK
//! fonts). Scanned PDFs have no text layer; they are refused with advice to OCR them, never
//! analysed as empty. `pdf-extract` separates every text line with a blank line; we fold those
//! so that blank lines keep meaning "paragraph break" for `structure`.
//!
//! The PDF libraries panic on some malformed files. The panic is caught and the file skipped
//! with a reason; the library's own panic message and backtrace are not printed (a panic hook
//! installed once passes over panics of a thread while it is inside the PDF reader, and hands
//! every other panic to the hook that was there before).

/// Why a PDF gave no text. The caller adds the file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PdfError {
    /// The PDF could not be parsed (encrypted, corrupt, or an unsupported feature).
    Parse(String),
    /// It parsed but has (almost) no text: a scan without OCR.
    NoTextLayer,
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Parse(e) => write!(f, "cannot read PDF: {e}"),
            PdfError::NoTextLayer => write!(
                f,
                "PDF has no text layer (a scan?): run OCR on it first (e.g. ocrmypdf) and retry"
            ),
        }
    }
}

/// Extracts the text layer of a PDF.
pub fn pdf_to_text(bytes: &[u8]) -> Result<String, PdfError> {
    // pdf-extract panics on some malformed files; a bad report must not kill the whole run,
    // nor fill the terminal with the library's backtrace.
    let extracted =
        quietly(|| std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes)))
            .map_err(|_| {
                PdfError::Parse("the PDF reader crashed on this file (a malformed PDF?)".into())
            })?
            .map_err(|e| PdfError::Parse(e.to_string()))?;
    let text = fold_blank_lines(&extracted);
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if visible < 20 {
        return Err(PdfError::NoTextLayer);
    }
    Ok(text)
}

thread_local! {
    /// Whether this thread is inside the PDF reader, whose panics are caught and reported.
    static IN_READER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with this thread's panic messages silenced. The hook is per process, so it is
/// installed once and consults a per-thread flag: other threads' panics still print.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_READER.with(|r| r.get()) {
                previous(info);
            }
        }));
    });
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            IN_READER.with(|r| r.set(self.0));
        }
    }
    let _reset = Reset(IN_READER.with(|r| r.replace(true)));
    f()
}

/// Turns pdf-extract's "line, blank, line, blank" into "line, line", keeping runs of two or
/// more blank lines (page and block gaps) as one blank line.
fn fold_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blanks = 0;
    for line in s.lines() {
        if line.trim().is_empty() {
            blanks += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blanks >= 2 { "\n\n" } else { "\n" });
        }
        blanks = 0;
        out.push_str(line.trim_end());
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_inside_the_reader_are_silenced_and_others_not() {
        let caught = quietly(|| std::panic::catch_unwind(|| panic!("library panic")));
        assert!(caught.is_err());
        assert!(!IN_READER.with(|r| r.get()), "flag reset after the call");
    }

    #[test]
    fn garbage_is_a_parse_error_not_a_panic() {
        assert!(matches!(
            pdf_to_text(b"%PDF-1.4 garbage"),
            Err(PdfError::Parse(_))
        ));
    }

    /// A minimal one-page PDF with a text layer, built byte by byte (offsets computed), so the
    /// test needs no binary fixture.
    fn tiny_pdf(lines: &[&str]) -> Vec<u8> {
        let mut content = String::from("BT /F1 12 Tf 72 720 Td 14 TL\n");
        for l in lines {
            content.push_str(&format!("({l}) Tj T*\n"));
        }
        content.push_str("ET\n");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
            format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for off in offsets {
            pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn reads_the_text_layer() {
        let text = pdf_to_text(&tiny_pdf(&[
            "Annual report 2018 of the disclosure office",
            "Second line of text",
        ]))
        .expect("text layer");
        assert!(text.contains("Annual report 2018"), "{text:?}");
        assert!(text.contains("Second line"), "{text:?}");
    }

    #[test]
    fn a_page_without_text_is_no_text_layer() {
        assert_eq!(pdf_to_text(&tiny_pdf(&[])), Err(PdfError::NoTextLayer));
    }

    #[test]
    fn blank_lines_between_text_lines_fold() {
        assert_eq!(fold_blank_lines("a\n\nb\n\n\n\nc\n"), "a\nb\n\nc\n");
    }
}
