//! Decoding bytes to text: BOM sniffing, UTF-8 validation, GBK/GB18030/Big5 detection, and a
//! check that the result reads as Chinese.
//!
//! Annual reports are saved from web pages and office software across two decades, so a folder
//! holds UTF-8 (with and without BOM), GBK, GB18030 and Big5 side by side, and now and then a
//! UTF-8 file with one stray byte, a last character cut in half, or paragraphs pasted in
//! another encoding. Decoding is explicit:
//!
//! - a BOM wins; valid UTF-8 is UTF-8;
//! - otherwise every plausible reading is tried (UTF-8 with the bad bytes replaced,
//!   `chardetng`'s guess, GB18030, Big5, and line by line UTF-8 with the other lines in the
//!   legacy encoding) and the one under which the text makes most sense *as Chinese* wins:
//!   common Chinese characters (the 3,755 of GB 2312 level 1 and the 5,401 of Big5 level 1)
//!   count for it, malformed sequences against it. One stray byte therefore costs one
//!   replaced character, not the whole report;
//! - malformed sequences are counted honestly ([`Decoded::malformed`]), never hidden;
//! - a result that is not Chinese text is refused with advice instead of being analysed as
//!   garbage: a forced `--encoding` that turns a UTF-8 report into mojibake is an error that
//!   names the encoding under which it does read as Chinese.
//!
//! What it does not do: it does not judge whether Chinese text is a report (`corpus` does,
//! roughly, and `structure` finds its sections).

use std::borrow::Cow;
use std::sync::OnceLock;

use encoding_rs::{BIG5, Encoding, GB18030, GBK, UTF_8};

/// How many bytes the encoding is judged on; a verdict settles long before this.
const DETECT_PREFIX: usize = 1 << 20;

/// Share of the non-ASCII letters that must be common Chinese characters for text to count as
/// Chinese. Correctly decoded reports score above 0.9; UTF-8 read as GBK about 0.27, GBK read
/// as Big5 about 0.47, anything read as windows-1252 zero.
pub const MIN_CHINESE_SHARE: f64 = 0.6;

/// Fewer common Chinese characters than this and a file holds no Chinese text to analyse.
pub const MIN_CHINESE_CHARS: usize = 10;

/// Text decoded from a file, with how it was decoded.
#[derive(Clone, Debug)]
pub struct Decoded {
    /// The text (never contains a BOM).
    pub text: String,
    /// The encoding's name as users know it: `UTF-8`, `GBK`, `GB18030`, `Big5`, `UTF-16LE`, …,
    /// or `UTF-8+GBK` for a file whose lines are in UTF-8 and (some of them) GBK.
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
    /// Decoded, but the result is not Chinese text.
    NotChinese {
        /// Encoding used.
        encoding: String,
        /// Whether the user forced it with `--encoding`.
        forced: bool,
        /// Common Chinese characters in the text.
        chinese_chars: usize,
        /// Per mille of the non-ASCII letters that are common Chinese characters.
        chinese_per_mille: u32,
        /// An encoding under which the bytes do read as Chinese, if there is one.
        reads_as: Option<String>,
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
            DecodeError::NotChinese {
                encoding,
                forced,
                chinese_chars,
                chinese_per_mille,
                reads_as,
            } => {
                if *chinese_chars < MIN_CHINESE_CHARS && reads_as.is_none() && !forced {
                    return write!(
                        f,
                        "no Chinese text in the file ({chinese_chars} common Chinese characters): not a report?"
                    );
                }
                write!(
                    f,
                    "decoded as {encoding}{} the text is not Chinese ({:.0}% of its letters are common Chinese characters)",
                    if *forced { " (--encoding)" } else { "" },
                    f64::from(*chinese_per_mille) / 10.0
                )?;
                match (reads_as, forced) {
                    (Some(e), true) => write!(
                        f,
                        ": it reads as Chinese in {e}; drop --encoding or pass --encoding {}",
                        e.to_ascii_lowercase()
                    ),
                    (Some(e), false) => write!(f, ": it reads as Chinese in {e}"),
                    (None, _) => write!(
                        f,
                        ": if you know the encoding, pass it with --encoding (gbk, gb18030, big5, utf-8)"
                    ),
                }
            }
        }
    }
}

/// Looks up an encoding by a WHATWG label (`gbk`, `gb18030`, `big5`, `utf-8`, …).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// How well a decoded text reads as Chinese.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quality {
    /// Non-ASCII letters (ideographs, kana, accented Latin, …; punctuation and symbols excluded).
    pub letters: usize,
    /// Of those, common Chinese characters (GB 2312 level 1 or Big5 level 1).
    pub common: usize,
    /// Malformed sequences replaced while decoding.
    pub malformed: usize,
}

impl Quality {
    /// Measures `text` (of which `malformed` characters were replacements).
    pub fn of(text: &str, malformed: usize) -> Quality {
        let common_set = common_chinese();
        let mut q = Quality {
            malformed,
            ..Quality::default()
        };
        for c in text.chars() {
            // A common character is a letter (a test checks): one bitmap probe settles the
            // most frequent case without the slower Unicode table lookup.
            if is_common(common_set, c) {
                q.letters += 1;
                q.common += 1;
            } else if !c.is_ascii() && c.is_alphabetic() {
                q.letters += 1;
            }
        }
        q
    }

    /// The share of letters that are common Chinese characters, per mille (0 without letters).
    pub fn chinese_per_mille(&self) -> u32 {
        (self.common * 1000)
            .checked_div(self.letters)
            .unwrap_or(0)
            .min(1000) as u32
    }

    /// Whether this reads as Chinese text.
    pub fn is_chinese(&self) -> bool {
        self.common >= MIN_CHINESE_CHARS
            && f64::from(self.chinese_per_mille()) >= MIN_CHINESE_SHARE * 1000.0
    }

    /// The score decoding candidates compete on: common characters gained, minus what
    /// malformed sequences (each usually one lost character, often two) cost.
    fn score(&self) -> i64 {
        self.common as i64 - 2 * self.malformed as i64
    }
}

/// A bitmap over U+4E00..=U+9FFF of the common characters of GB 2312 (level 1) and Big5
/// (level 1), built once from the encodings themselves.
fn common_chinese() -> &'static [u64] {
    static SET: OnceLock<Vec<u64>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = vec![0u64; (0x9FFF - 0x4E00 + 1) / 64 + 1];
        let mut add =
            |enc: &'static Encoding, leads: std::ops::RangeInclusive<u8>, trails: &[u8]| {
                for lead in leads {
                    for &trail in trails {
                        let pair = [lead, trail];
                        let (s, malformed) = enc.decode_without_bom_handling(&pair);
                        if malformed {
                            continue;
                        }
                        for c in s.chars() {
                            if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                                let i = c as usize - 0x4E00;
                                set[i / 64] |= 1 << (i % 64);
                            }
                        }
                    }
                }
            };
        let gb_trails: Vec<u8> = (0xA1..=0xFE).collect();
        add(GBK, 0xB0..=0xD7, &gb_trails);
        let big5_trails: Vec<u8> = (0x40..=0x7E).chain(0xA1..=0xFE).collect();
        add(BIG5, 0xA4..=0xC6, &big5_trails);
        set
    })
}

fn is_common(set: &[u64], c: char) -> bool {
    if !('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return false;
    }
    let i = c as usize - 0x4E00;
    set[i / 64] & (1 << (i % 64)) != 0
}

/// One way of reading the bytes.
struct Reading<'a> {
    text: Cow<'a, str>,
    encoding: String,
    malformed: usize,
}

impl Reading<'_> {
    fn quality(&self) -> Quality {
        Quality::of(&self.text, self.malformed)
    }
}

fn read_as<'a>(encoding: &'static Encoding, body: &'a [u8]) -> Reading<'a> {
    // Valid UTF-8 (the common case) is borrowed, not decoded again.
    if let Some(valid) = (encoding == UTF_8)
        .then(|| std::str::from_utf8(body).ok())
        .flatten()
    {
        return valid_utf8(valid);
    }
    let text = encoding.decode_without_bom_handling(body).0;
    let malformed = count_replacements(&text, body, encoding);
    Reading {
        encoding: display_name(encoding, body),
        text,
        malformed,
    }
}

/// The reading of bytes already known to be valid UTF-8: borrowed, and nothing was replaced
/// (every U+FFFD in valid UTF-8 was written as one).
fn valid_utf8(text: &str) -> Reading<'_> {
    Reading {
        encoding: display_name(UTF_8, text.as_bytes()),
        text: Cow::Borrowed(text),
        malformed: 0,
    }
}

/// Line by line: valid UTF-8 lines as UTF-8, the others in `legacy` (a file assembled from
/// pieces saved in two encodings).
fn read_mixed<'a>(legacy: &'static Encoding, body: &'a [u8]) -> Reading<'a> {
    let mut text = String::with_capacity(body.len());
    let mut malformed = 0;
    let mut legacy_lines = Vec::new();
    for line in body.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => text.push_str(s),
            Err(_) => {
                let r = read_as(legacy, line);
                malformed += r.malformed;
                text.push_str(&r.text);
                legacy_lines.extend_from_slice(line);
            }
        }
    }
    Reading {
        text: Cow::Owned(text),
        encoding: format!("UTF-8+{}", display_name(legacy, &legacy_lines)),
        malformed,
    }
}

/// Decodes `bytes`, detecting the encoding unless `forced` is given.
///
/// Errors when the bytes are empty, binary, mostly malformed, or not Chinese text under the
/// encoding used (a forced one included: the error names an encoding that does work).
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    decode_checked(bytes, forced, false)
}

/// [`decode`] for markup (HTML): pure ASCII is accepted, since a page may spell every Chinese
/// character as a character reference (`&#20844;`); the caller checks the extracted text.
pub fn decode_markup(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    decode_checked(bytes, forced, true)
}

fn decode_checked(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    ascii_ok: bool,
) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    let bom = Encoding::for_bom(bytes);
    let (reading, has_bom) = match (forced, bom) {
        (Some(enc), _) => {
            let skip = bom.filter(|(b, _)| *b == enc).map_or(0, |(_, n)| n);
            (read_as(enc, &bytes[skip..]), skip > 0)
        }
        (None, Some((enc, n))) => (read_as(enc, &bytes[n..]), true),
        (None, None) => {
            let probe = &bytes[..bytes.len().min(8192)];
            if probe.contains(&0) {
                return Err(DecodeError::Binary);
            }
            (detect(bytes), false)
        }
    };
    // Counting characters costs a pass over the text: only when it can matter.
    if reading.malformed > 16 && reading.malformed * 20 > reading.text.chars().count().max(1) {
        // Mostly malformed: say so, unless another encoding reads it as Chinese.
        if let Some(better) = forced.and_then(|_| chinese_elsewhere(bytes)) {
            return Err(not_chinese(&reading, true, Some(better)));
        }
        return Err(DecodeError::Undecodable {
            encoding: reading.encoding,
            malformed: reading.malformed,
        });
    }
    if reading.text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    let quality = reading.quality();
    let markup_in_ascii = ascii_ok && quality.letters == 0;
    if !(quality.is_chinese() || markup_in_ascii) {
        let better = if forced.is_some() || has_bom {
            chinese_elsewhere(bytes).filter(|e| *e != reading.encoding)
        } else {
            None
        };
        return Err(not_chinese(&reading, forced.is_some(), better));
    }
    Ok(Decoded {
        text: reading.text.into_owned(),
        encoding: reading.encoding,
        bom: has_bom,
        malformed: reading.malformed,
    })
}

fn not_chinese(reading: &Reading<'_>, forced: bool, reads_as: Option<String>) -> DecodeError {
    DecodeError::NotChinese {
        encoding: reading.encoding.clone(),
        forced,
        chinese_chars: reading.quality().common,
        chinese_per_mille: reading.quality().chinese_per_mille(),
        reads_as,
    }
}

/// The encoding detection would choose, if under it the bytes read as Chinese.
fn chinese_elsewhere(bytes: &[u8]) -> Option<String> {
    let body = match Encoding::for_bom(bytes) {
        Some((_, n)) => &bytes[n..],
        None => bytes,
    };
    let r = detect(&body[..body.len().min(DETECT_PREFIX)]);
    r.quality().is_chinese().then_some(r.encoding)
}

/// Without a BOM: UTF-8 if valid, else the reading that makes most sense as Chinese.
fn detect(bytes: &[u8]) -> Reading<'_> {
    let utf8_error = match std::str::from_utf8(bytes) {
        // Validated once, not again by `read_as`.
        Ok(valid) => return valid_utf8(valid),
        Err(e) => e,
    };
    // Only the last character cut: UTF-8 with one replacement.
    if utf8_error.error_len().is_none() {
        return read_as(UTF_8, bytes);
    }
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(prefix, prefix.len() == bytes.len());
    let guess = det.guess(None, chardetng::Utf8Detection::Allow);
    // Candidates in order of preference on a tie.
    let candidates: Vec<&'static Encoding> = vec![UTF_8, guess, GB18030, BIG5];
    let legacy_guess = if guess == UTF_8 { GB18030 } else { guess };
    // A reading that makes sense as Chinese beats one that does not, whatever their scores:
    // in a short report one stray byte can cost the right encoding more than a wrong one
    // loses by reading pairs of bytes as rare characters.
    let mut best: Option<((bool, i64), Choice)> = None;
    let mut consider = |q: Quality, choice: Choice| {
        let key = (q.is_chinese(), q.score());
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, choice));
        }
    };
    for (i, &enc) in candidates.iter().enumerate() {
        if candidates[..i].contains(&enc) {
            continue;
        }
        consider(read_as(enc, prefix).quality(), Choice::Whole(enc));
    }
    // The detector, fed two encodings, may guess neither: try both Chinese ones.
    for (i, &legacy) in [GB18030, BIG5, legacy_guess].iter().enumerate() {
        if i == 2 && (legacy == GB18030 || legacy == BIG5) {
            continue;
        }
        consider(read_mixed(legacy, prefix).quality(), Choice::Mixed(legacy));
    }
    match best.map(|(_, c)| c) {
        Some(Choice::Mixed(legacy)) => read_mixed(legacy, bytes),
        Some(Choice::Whole(enc)) => read_as(enc, bytes),
        None => read_as(guess, bytes),
    }
}

#[derive(Clone, Copy)]
enum Choice {
    Whole(&'static Encoding),
    Mixed(&'static Encoding),
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

    #[test]
    fn every_common_character_is_a_letter() {
        // Quality::of counts a common character as a letter without asking Unicode.
        let set = common_chinese();
        let not_letters: Vec<char> = ('\u{4E00}'..='\u{9FFF}')
            .filter(|&c| is_common(set, c) && !c.is_alphabetic())
            .collect();
        assert!(not_letters.is_empty(), "{not_letters:?}");
        assert!(
            ('\u{4E00}'..='\u{9FFF}')
                .filter(|&c| is_common(set, c))
                .count()
                > 3000
        );
    }

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
    /// A report paragraph long enough to judge.
    fn report() -> String {
        TEXT.repeat(20)
    }

    #[test]
    fn one_stray_byte_keeps_utf8() {
        // Before: one invalid byte made the whole file windows-1252 (agency, year, themes lost).
        let mut bytes = report().into_bytes();
        bytes.insert("福建省".len(), 0xFF);
        let d = decode(&bytes, None).expect("decodes");
        assert_eq!((d.encoding.as_str(), d.malformed), ("UTF-8", 1));
        assert!(
            d.text.starts_with("福建省\u{FFFD}商务厅2017年"),
            "{}",
            &d.text[..60]
        );
    }

    #[test]
    fn a_cut_last_character_keeps_utf8() {
        let mut bytes = report().into_bytes();
        bytes.extend_from_slice(&"公".as_bytes()[..2]);
        let d = decode(&bytes, None).expect("decodes");
        assert_eq!((d.encoding.as_str(), d.malformed), ("UTF-8", 1));
    }

    #[test]
    fn mixed_utf8_and_gbk_lines_are_both_read() {
        let mut bytes = report().into_bytes();
        bytes.push(b'\n');
        bytes.extend_from_slice(&encoding_rs::GBK.encode(&report()).0);
        bytes.push(b'\n');
        let d = decode(&bytes, None).expect("decodes");
        assert_eq!((d.encoding.as_str(), d.malformed), ("UTF-8+GBK", 0));
        assert_eq!(d.text, format!("{}\n{}\n", report(), report()));
    }

    #[test]
    fn forced_wrong_encoding_is_refused_with_advice() {
        // Before: --encoding gbk on UTF-8 reports gave all-zero theme tables, exit 0.
        let err = decode(report().as_bytes(), Some(encoding_rs::GBK)).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, DecodeError::NotChinese { forced: true, .. }),
            "{msg}"
        );
        assert!(msg.contains("reads as Chinese in UTF-8"), "{msg}");
        let (big5, _, _) = encoding_rs::BIG5
            .encode("福建省商務廳政府信息公開工作年度報告。公開是原則，不公開是例外。");
        let err = decode(&big5, Some(encoding_rs::GBK)).unwrap_err();
        assert!(err.to_string().contains("Big5"), "{err}");
    }

    #[test]
    fn text_without_chinese_is_not_a_report() {
        let err = decode(b"# README\nThis corpus holds annual reports.\n", None).unwrap_err();
        assert!(matches!(err, DecodeError::NotChinese { .. }), "{err}");
        // Latin-1 bytes that no Chinese encoding reads as Chinese.
        let latin: Vec<u8> = "Café résumé naïve façade. "
            .repeat(40)
            .bytes()
            .map(|b| if b > 127 { 0xE9 } else { b })
            .collect();
        assert!(matches!(
            decode(&latin, None),
            Err(DecodeError::NotChinese { .. } | DecodeError::Undecodable { .. })
        ));
    }

    #[test]
    fn quality_separates_chinese_from_mojibake() {
        let good = Quality::of(&report(), 0);
        assert!(
            good.is_chinese() && good.chinese_per_mille() > 900,
            "{good:?}"
        );
        let utf8 = report();
        let mojibake = encoding_rs::GBK
            .decode_without_bom_handling(utf8.as_bytes())
            .0;
        let bad = Quality::of(&mojibake, 0);
        assert!(!bad.is_chinese(), "{bad:?}");
    }
}
