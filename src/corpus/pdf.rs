//! PDF → text, from the text layer.
//!
//! Provincial and city governments publish many reports only as PDF. We read the text layer
//! with `pdf-extract` (a pure-Rust reader built on `lopdf` that understands the CMaps of CJK
//! fonts). Scanned PDFs have no text layer; they are refused with advice to OCR them, never
//! analysed as empty. `pdf-extract` separates every text line with a blank line; we fold those
//! so that blank lines keep meaning "paragraph break" for `structure`.

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
    // pdf-extract panics on some malformed files; a bad report must not kill the whole run.
    let extracted = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes))
        .map_err(|_| PdfError::Parse("the PDF reader crashed on this file".into()))?
        .map_err(|e| PdfError::Parse(e.to_string()))?;
    let text = fold_blank_lines(&extracted);
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if visible < 20 {
        return Err(PdfError::NoTextLayer);
    }
    Ok(text)
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
    fn garbage_is_a_parse_error_not_a_panic() {
        assert!(matches!(
            pdf_to_text(b"%PDF-1.4 garbage"),
            Err(PdfError::Parse(_))
        ));
    }

    #[test]
    fn blank_lines_between_text_lines_fold() {
        assert_eq!(fold_blank_lines("a\n\nb\n\n\n\nc\n"), "a\nb\n\nc\n");
    }
}
