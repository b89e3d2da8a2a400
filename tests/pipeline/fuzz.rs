//! A bounded fuzz run over `corpus::from_bytes` and the whole analysis: arbitrary bytes, real
//! reports cut, spliced with random bytes and re-encoded, and HTML shapes. Properties: no
//! panic, and every `start`/`end` pair in the JSON is an ordered span inside the original
//! text. CI runs a few hundred cases; set `GONGKAI_FUZZ_CASES` for a longer run.

use std::path::Path;
use std::sync::OnceLock;

use gongkai::corpus::{self, LoadOptions};
use gongkai::export::json::ReportJson;
use proptest::prelude::*;

use crate::common::analyzer;

fn seeds() -> &'static [String] {
    static S: OnceLock<Vec<String>> = OnceLock::new();
    S.get_or_init(|| {
        crate::common::fixture_paths()
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("utf-8 fixture"))
            .collect()
    })
}

fn cases() -> u32 {
    std::env::var("GONGKAI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96)
}

/// A mutation of a real report: a slice of it, some bytes spliced in, an encoding.
#[derive(Clone, Debug)]
struct Mutation {
    seed: usize,
    from: usize,
    len: usize,
    splices: Vec<(usize, Vec<u8>)>,
    encoding: u8,
    ext: &'static str,
    wrap_html: bool,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (
        0usize..5,
        0usize..20_000,
        0usize..12_000,
        prop::collection::vec(
            (any::<usize>(), prop::collection::vec(any::<u8>(), 0..8)),
            0..6,
        ),
        0u8..5,
        prop::sample::select(vec!["txt", "md", "html", "htm", "TXT"]),
        any::<bool>(),
    )
        .prop_map(
            |(seed, from, len, splices, encoding, ext, wrap_html)| Mutation {
                seed,
                from,
                len,
                splices,
                encoding,
                ext,
                wrap_html,
            },
        )
}

fn apply(m: &Mutation) -> (String, Vec<u8>) {
    let text = &seeds()[m.seed % seeds().len()];
    let mut start = m.from.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + m.len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut piece = text[start..end].to_string();
    if m.wrap_html {
        piece = format!(
            "<html><head><title>某局2018年报告</title></head><body><div><p>{}</p><table><tr><td>1</td></tr></table></div></body></html>",
            piece.replace('\n', "</p><p>")
        );
    }
    let mut bytes = match m.encoding {
        0 => encoding_rs::GBK.encode(&piece).0.into_owned(),
        1 => encoding_rs::BIG5.encode(&piece).0.into_owned(),
        2 => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend_from_slice(piece.as_bytes());
            b
        }
        _ => piece.into_bytes(),
    };
    for (at, insert) in &m.splices {
        let at = at % (bytes.len() + 1);
        bytes.splice(at..at, insert.iter().copied());
    }
    (format!("x.{}", m.ext), bytes)
}

/// Every object with numeric `start` and `end` is an ordered span within `chars`.
fn check_spans(v: &serde_json::Value, chars: u64, at: &str) -> Result<(), TestCaseError> {
    match v {
        serde_json::Value::Object(o) => {
            if let (Some(s), Some(e)) = (
                o.get("start").and_then(|s| s.as_u64()),
                o.get("end").and_then(|e| e.as_u64()),
            ) {
                prop_assert!(s <= e && e <= chars, "{at}: span {s}..{e} of {chars} chars");
            }
            for (k, x) in o {
                check_spans(x, chars, k)?;
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                check_spans(x, chars, at)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn analyse(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let Ok(source) = corpus::from_bytes(Path::new(name), bytes, LoadOptions::default()) else {
        return Ok(());
    };
    let chars = source.text.chars().count() as u64;
    let json =
        serde_json::to_value(ReportJson::new(&analyzer().analyze(source))).expect("serialisable");
    check_spans(&json, chars, "report")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_reports_never_panic_and_spans_stay_in_bounds(m in mutation()) {
        let (name, bytes) = apply(&m);
        analyse(&name, &bytes)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        // No NUL: a NUL byte marks a binary file, refused before detection and analysis.
        bytes in prop::collection::vec(1u8..=255, 0..3000),
        ext in prop::sample::select(vec!["txt", "html", "pdf"]),
    ) {
        analyse(&format!("x.{ext}"), &bytes)?;
    }
}
