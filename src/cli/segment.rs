//! `gongkai segment`: text → words separated by spaces, one output line per input line.
//!
//! Like `python -m jieba -d ' '`, but the words are found on the *normalized* text (so
//! Traditional or full-width input segments as well as Simplified) and printed as they appear
//! in the input, through the offset map, unless `--normalized` asks for the canonical form.
//!
//! It streams: input is decoded and segmented in pieces of at most [`MAX_PIECE`] bytes, cut at
//! line ends or, inside a very long line, at a sentence end, so a 200 MB single-line file
//! needs a few hundred kilobytes of memory, not gigabytes.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use encoding_rs::{Decoder, Encoding, UTF_8};

use gongkai::normalize::Normalizer;
use gongkai::segment::ChineseSegmenter;

use super::output::Output;

/// Longest piece of a line segmented at once.
const MAX_PIECE: usize = 256 * 1024;

/// Arguments of `gongkai segment`.
#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// Text file to segment; `-` or nothing for standard input.
    pub input: Option<PathBuf>,
    /// Print words in their normalized form (Simplified, folded punctuation) instead of as in
    /// the input.
    #[arg(long)]
    pub normalized: bool,
    /// Turn on jieba's HMM new-word discovery (off by default; see the README).
    #[arg(long)]
    pub hmm: bool,
    /// Raw jieba-rs: its default dictionary only, no domain dictionary, no normalization (the
    /// baseline `bench` compares against).
    #[arg(long)]
    pub plain: bool,
    /// Input encoding (default: detect UTF-8, GBK/GB18030 or Big5 from the start of the input).
    #[arg(long, value_parser = super::encoding_label)]
    pub encoding: Option<String>,
    /// Write to this file instead of stdout (`-` for stdout).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

/// Runs `segment`.
pub fn run(args: SegmentArgs) -> Result<bool> {
    let forced = super::analyze::load_options(args.encoding.as_deref())?.encoding;
    let (name, reader): (String, Box<dyn Read>) = match &args.input {
        None => ("standard input".into(), Box::new(std::io::stdin().lock())),
        Some(p) if p.as_os_str() == "-" => {
            ("standard input".into(), Box::new(std::io::stdin().lock()))
        }
        Some(p) => (
            p.display().to_string(),
            Box::new(
                std::fs::File::open(p).with_context(|| format!("{}: cannot open", p.display()))?,
            ),
        ),
    };
    let normalizer = Normalizer::new()?;
    let segmenter = if args.plain {
        ChineseSegmenter::plain(args.hmm)
    } else {
        ChineseSegmenter::with_user_dict(
            "dictionaries/user_dict.txt",
            gongkai::segment::USER_DICT,
            args.hmm,
        )?
    };
    if let Some(input) = args.input.as_ref().filter(|p| p.as_os_str() != "-") {
        super::output::refuse_input(args.output.as_deref(), std::slice::from_ref(input))?;
    }
    let mut out = Output::open(args.output.as_deref())?;
    let options = StreamOptions {
        normalized: args.normalized,
        plain: args.plain,
        encoding: forced,
    };
    stream(reader, &name, &normalizer, &segmenter, options, &mut out)?;
    out.finish()?;
    Ok(true)
}

/// How [`stream`] reads and prints.
#[derive(Clone, Copy, Debug, Default)]
pub struct StreamOptions {
    /// Print the normalized form of each word instead of the input's.
    pub normalized: bool,
    /// Raw jieba-rs: no normalization (the segmenter is expected to be the plain one too).
    pub plain: bool,
    /// The input's encoding, when the user gave it.
    pub encoding: Option<&'static Encoding>,
}

/// The `segment` command's work, from an open input to an open output: read, decode,
/// normalize, cut, map each word back to the input, write. `name` names the input in errors.
/// `bench` times exactly this (`segment_cli_vs_raw`).
pub fn stream(
    reader: impl Read,
    name: &str,
    normalizer: &Normalizer,
    segmenter: &ChineseSegmenter,
    options: StreamOptions,
    out: &mut impl Write,
) -> Result<()> {
    let mut seg = Streamer {
        normalizer,
        segmenter,
        normalized: options.normalized,
        plain: options.plain,
        line_started: false,
        line: Vec::new(),
        norm: Default::default(),
    };
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let first = reader
        .fill_buf()
        .with_context(|| format!("{name}: cannot read"))?;
    if options.encoding.is_none() && Encoding::for_bom(first).is_none() && first.contains(&0) {
        anyhow::bail!("{name}: {}", gongkai::corpus::decode::DecodeError::Binary);
    }
    let (encoding, bom) = match options.encoding {
        Some(e) => (e, 0),
        None => sniff(first),
    };
    reader.consume(bom);
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader
            .read(&mut buf)
            .with_context(|| format!("{name}: cannot read"))?;
        let last = n == 0;
        decode_into(&mut decoder, &buf[..n], last, &mut text);
        // Emit every complete line (ended by LF, CRLF or a lone CR), and cut overlong lines
        // at a sentence end. Both line-end bytes are ASCII, so a byte search finds them.
        let mut done = 0;
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &text.as_bytes()[done..]) {
            let end = done + i;
            let ending = if text.as_bytes()[end] == b'\r' {
                match text.as_bytes().get(end + 1) {
                    Some(b'\n') => 2,
                    Some(_) => 1,
                    // A CR at the end of what was read: wait for the next block (CRLF?).
                    None if !last => break,
                    None => 1,
                }
            } else {
                1
            };
            seg.piece(&text[done..end], out)?;
            seg.end_line(out)?;
            done = end + ending;
        }
        while text.len() - done > MAX_PIECE {
            let limit = floor_char_boundary(&text, done + MAX_PIECE);
            let cut = cut_point(&text[done..limit]);
            seg.piece(&text[done..done + cut], out)?;
            done += cut;
        }
        text.drain(..done);
        if last {
            if !text.is_empty() {
                seg.piece(&text, out)?;
                seg.end_line(out)?;
            }
            break;
        }
    }
    Ok(())
}

/// Encoding by BOM, else UTF-8 if the start is valid UTF-8, else chardetng's guess.
fn sniff(start: &[u8]) -> (&'static Encoding, usize) {
    if let Some((enc, n)) = Encoding::for_bom(start) {
        return (enc, n);
    }
    let valid = match std::str::from_utf8(start) {
        Ok(_) => true,
        // An incomplete character at the end of the block is fine.
        Err(e) => e.error_len().is_none(),
    };
    if valid {
        return (UTF_8, 0);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(start, false);
    (det.guess(None, chardetng::Utf8Detection::Allow), 0)
}

fn decode_into(decoder: &mut Decoder, bytes: &[u8], last: bool, out: &mut String) {
    let mut input = bytes;
    loop {
        let needed = decoder
            .max_utf8_buffer_length(input.len())
            .unwrap_or(input.len() * 3 + 16);
        out.reserve(needed);
        let (result, read, _) = decoder.decode_to_string(input, out, last);
        input = &input[read..];
        if matches!(result, encoding_rs::CoderResult::InputEmpty) {
            break;
        }
    }
}

/// The largest character boundary of `s` at or before `i` (never 0 for a non-empty `s`
/// unless `i` is 0).
fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    (0..=i).rev().find(|&j| s.is_char_boundary(j)).unwrap_or(0)
}

/// Where to cut an overlong line: after the last sentence end, else the last space, else any
/// character boundary.
fn cut_point(s: &str) -> usize {
    let after = |i: usize, c: char| i + c.len_utf8();
    s.char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '。' | '！' | '？' | '；' | '!' | '?'))
        .or_else(|| s.char_indices().rev().find(|&(_, c)| c.is_whitespace()))
        .map(|(i, c)| after(i, c))
        .unwrap_or_else(|| {
            (1..=s.len())
                .rev()
                .find(|&i| s.is_char_boundary(i))
                .unwrap_or(s.len())
        })
}

struct Streamer<'a> {
    normalizer: &'a Normalizer,
    segmenter: &'a ChineseSegmenter,
    normalized: bool,
    plain: bool,
    line_started: bool,
    /// The words of the current piece, separated by spaces (reused from piece to piece).
    line: Vec<u8>,
    /// The current piece normalized (its buffers reused from piece to piece).
    norm: gongkai::normalize::NormalizedText,
}

impl Streamer<'_> {
    fn piece(&mut self, original: &str, out: &mut impl Write) -> Result<()> {
        let line = &mut self.line;
        line.clear();
        // Every word goes out after a space, as bytes (its range was checked by jieba): no
        // branch and no character-boundary check per word. The space before the first word
        // of an output line is dropped when the piece is written.
        let mut emit = |word: &[u8]| {
            line.push(b' ');
            line.extend_from_slice(word);
        };
        if self.plain {
            // Raw jieba-rs: the words are ranges of the input itself.
            let bytes = original.as_bytes();
            self.segmenter.for_each_word(original, |r| emit(&bytes[r]));
        } else {
            let norm = &mut self.norm;
            self.normalizer.normalize_into(original, 0, norm);
            if self.normalized || norm.map.is_identity() {
                // Nothing to map (most lines of a Simplified report): a word's range in
                // the normalized text is its range in the input.
                let text = if self.normalized {
                    norm.text.as_bytes()
                } else {
                    original.as_bytes()
                };
                self.segmenter.for_each_word(&norm.text, |r| emit(&text[r]));
            } else {
                // Words come in order, so the map is walked forwards, not searched per word.
                let (mut starts, mut ends) = (norm.map.cursor(), norm.map.cursor());
                let bytes = original.as_bytes();
                self.segmenter.for_each_word(&norm.text, |r| {
                    let start = starts.to_original_start(r.start);
                    let end = ends.to_original_end(r.end);
                    emit(&bytes[start..end.max(start)]);
                });
            }
        }
        // The piece is assembled in a reused buffer and written once: no formatting
        // machinery and no writer call per word.
        let skip = usize::from(!self.line_started && !self.line.is_empty());
        self.line_started |= !self.line.is_empty();
        out.write_all(&self.line[skip..])
            .context("cannot write output")
    }

    fn end_line(&mut self, out: &mut impl Write) -> Result<()> {
        self.line_started = false;
        out.write_all(b"\n").context("cannot write output")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_after_sentence_end() {
        assert_eq!(cut_point("一是。二是"), "一是。".len());
        assert_eq!(cut_point("ab cd"), 3);
        assert_eq!(cut_point("公开"), "公开".len());
    }

    #[test]
    fn floor_boundary_inside_a_character() {
        // Before: slicing at MAX_PIECE inside a character panicked ("not a char boundary").
        let s = "a公开";
        assert_eq!(floor_char_boundary(s, 2), 1);
        assert_eq!(floor_char_boundary(s, 4), 4);
        assert_eq!(floor_char_boundary(s, 99), s.len());
    }
}
