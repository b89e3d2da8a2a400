//! Decoding bytes to text: BOM sniffing, UTF-8 validation, GBK/GB18030/Big5 detection.
//!
//! Annual reports are saved from web pages and office software across two decades, so a folder
//! holds UTF-8 (with and without BOM), GBK, GB18030 and Big5 side by side. Decoding is explicit:
//! a BOM wins, then strict UTF-8, then `chardetng`'s guess among the legacy encodings (or the
//! user's `--encoding` override). Malformed bytes are counted per document rather than silently
//! replaced, and a file that is mostly malformed is refused with advice instead of being
//! analysed as garbage.

use encoding_rs::{Encoding, UTF_8};

/// How many bytes `chardetng` sees; detection settles long before this.
const DETECT_PREFIX: usize = 1 << 20;

/// Text decoded from a file, with how it was decoded.
#[derive(Clone, Debug)]
pub struct Decoded {
    /// The text (never contains a BOM).
    pub text: String,
    /// The encoding's name as users know it: `UTF-8`, `GBK`, `GB18030`, `Big5`, `UTF-16LE`, …
    pub encoding: String,
    /// Whether the file started with a byte-order mark.
    pub bom: bool,
    /// Number of malformed byte sequences replaced by U+FFFD.
    pub malformed: usize,
}

/// Why bytes could not be decoded. The caller adds the file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Zero bytes, or only whitespace.
    Empty,
    /// NUL bytes without a UTF-16 BOM: not a text file.
    Binary,
    /// Too many malformed sequences for the detected (or given) encoding.
    Undecodable {
        /// Encoding tried.
        encoding: String,
        /// Malformed sequences found.
        malformed: usize,
    },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "empty file: nothing to analyse"),
            DecodeError::Binary => write!(
                f,
                "binary file (contains NUL bytes): gongkai reads .txt, .md, .htm/.html and .pdf reports"
            ),
            DecodeError::Undecodable {
                encoding,
                malformed,
            } => write!(
                f,
                "cannot decode as {encoding} ({malformed} malformed byte sequences): \
                 if you know the encoding, pass it with --encoding (e.g. --encoding gb18030)"
            ),
        }
    }
}

/// Looks up an encoding by a WHATWG label (`gbk`, `gb18030`, `big5`, `utf-8`, …).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Decodes `bytes`, detecting the encoding unless `forced` is given.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    let bom = Encoding::for_bom(bytes);
    let (encoding, body, has_bom) = match (forced, bom) {
        (Some(enc), _) => {
            let skip = bom.filter(|(b, _)| *b == enc).map_or(0, |(_, n)| n);
            (enc, &bytes[skip..], skip > 0)
        }
        (None, Some((enc, n))) => (enc, &bytes[n..], true),
        (None, None) => {
            let probe = &bytes[..bytes.len().min(8192)];
            if probe.contains(&0) {
                return Err(DecodeError::Binary);
            }
            if std::str::from_utf8(bytes).is_ok() {
                (UTF_8, bytes, false)
            } else {
                let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
                det.feed(prefix, prefix.len() == bytes.len());
                (
                    det.guess(None, chardetng::Utf8Detection::Allow),
                    bytes,
                    false,
                )
            }
        }
    };
    // Valid UTF-8 (the common case) was checked above: copy it without decoding it again.
    let text = match (encoding == UTF_8)
        .then(|| std::str::from_utf8(body).ok())
        .flatten()
    {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => encoding.decode_without_bom_handling(body).0,
    };
    let malformed = count_replacements(&text, body, encoding);
    let chars = text.chars().count().max(1);
    if malformed > 16 && malformed * 20 > chars {
        return Err(DecodeError::Undecodable {
            encoding: display_name(encoding, body),
            malformed,
        });
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: display_name(encoding, body),
        bom: has_bom,
        malformed,
    })
}

/// Replacement characters the decoder introduced (a UTF-8 file may contain U+FFFD itself).
fn count_replacements(text: &str, body: &[u8], encoding: &'static Encoding) -> usize {
    let in_text = text.chars().filter(|&c| c == '\u{FFFD}').count();
    if encoding == UTF_8 {
        let literal = body.windows(3).filter(|w| *w == [0xEF, 0xBF, 0xBD]).count();
        in_text.saturating_sub(literal)
    } else {
        in_text
    }
}

/// The name users expect. encoding_rs decodes GBK with its GB18030 decoder (a superset), so we
/// call a file GB18030 only when it uses GB18030's four-byte sequences.
fn display_name(encoding: &'static Encoding, body: &[u8]) -> String {
    if encoding == encoding_rs::GBK || encoding == encoding_rs::GB18030 {
        return if has_four_byte_gb18030(body) {
            "GB18030"
        } else {
            "GBK"
        }
        .to_string();
    }
    encoding.name().to_string()
}

/// Whether GB18030 bytes use a four-byte sequence (lead byte, then an ASCII digit), which
/// GBK lacks.
fn has_four_byte_gb18030(body: &[u8]) -> bool {
    let mut i = 0;
    while i < body.len() {
        if body[i] < 0x80 {
            i += 1;
        } else if body.get(i + 1).is_some_and(|b| (0x30..=0x39).contains(b)) {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "福建省商务厅2017年政府信息公开工作年度报告。遵循“公开为原则，不公开为例外”的要求。";

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(TEXT.as_bytes(), None).expect("utf-8");
        assert_eq!(
            (d.encoding.as_str(), d.bom, d.text.as_str()),
            ("UTF-8", false, TEXT)
        );
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(TEXT.as_bytes());
        let d = decode(&with_bom, None).expect("utf-8 bom");
        assert_eq!(
            (d.encoding.as_str(), d.bom, d.text.as_str()),
            ("UTF-8", true, TEXT)
        );
    }

    #[test]
    fn legacy_encodings_round_trip() {
        for (enc, name) in [
            (encoding_rs::GBK, "GBK"),
            (encoding_rs::GB18030, "GBK"),
            (encoding_rs::BIG5, "Big5"),
        ] {
            let source = if enc == encoding_rs::BIG5 {
                "福建省商務廳政府信息公開工作年度報告。遵循公開是原則，不公開是例外的要求。"
            } else {
                TEXT
            };
            let (bytes, _, unmappable) = enc.encode(source);
            assert!(!unmappable, "{name} can encode the sample");
            let d = decode(&bytes, None).expect(name);
            assert_eq!(d.encoding, name);
            assert_eq!(d.text, source);
            assert_eq!(d.malformed, 0);
        }
    }

    #[test]
    fn gb18030_four_byte_is_named() {
        let (bytes, _, _) =
            encoding_rs::GB18030.encode("政府信息公开年度报告€𠀀政府信息公开年度报告");
        let d = decode(&bytes, Some(encoding_rs::GB18030)).expect("gb18030");
        assert_eq!(d.encoding, "GB18030");
    }

    #[test]
    fn refuses_empty_binary_and_garbage() {
        assert_eq!(decode(b"", None).unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b" \n\t", None).unwrap_err(), DecodeError::Empty);
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00binary", None).unwrap_err(),
            DecodeError::Binary
        );
        let garbage: Vec<u8> = (0..4000u32)
            .map(|i| [0xFF, 0x80][(i % 2) as usize])
            .collect();
        assert!(matches!(
            decode(&garbage, Some(UTF_8)),
            Err(DecodeError::Undecodable { .. })
        ));
    }
}
