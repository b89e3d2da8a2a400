//! Properties over arbitrary input: no panic, offsets in bounds and on character boundaries,
//! normalization idempotent.

use std::path::Path;

use gongkai::corpus::{self, LoadOptions};
use gongkai::normalize::Normalizer;
use gongkai::pipeline::Analyzer;
use gongkai::report::ReportJson;
use proptest::prelude::*;

/// Built once: the analyzer is immutable and shared, as in the real pipeline.
fn analyzer() -> &'static Analyzer {
    static ANALYZER: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new().expect("analyzer"))
}

/// Text built from the pieces real reports are made of, so the structure code is exercised.
fn reportish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "一、",
        "（二）",
        "1.",
        "1\n、",
        "概述",
        "存在的主要问题及改进情况",
        "公開是原則，",
        "不公开为例外。",
        "\n",
        "\n\n",
        " ",
        "|||",
        "201",
        "8",
        "年",
        "，",
        "。",
        "２０１８",
        "(一)",
        "当前位置：首页 ",
        "标题: ",
        "正文:",
        "人员不足",
        "网站",
        "0",
        "\r\n",
        "附表",
        "統計表",
        "\u{3000}",
        "“",
        "”",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let analyzer = analyzer();
        if let Ok(source) = corpus::from_bytes(Path::new("x.txt"), &bytes, LoadOptions::default()) {
            let _ = ReportJson::new(&analyzer.analyze(source));
        }
    }

    #[test]
    fn spans_are_in_bounds_and_ordered(text in reportish()) {
        let analyzer = analyzer();
        let Ok(source) = corpus::from_bytes(Path::new("x.txt"), text.as_bytes(), LoadOptions::default()) else {
            return Ok(());
        };
        let chars = source.text.chars().count();
        let a = analyzer.analyze(source);
        for s in &a.structure.sections {
            for p in &s.paragraphs {
                let r = a.norm.map.to_original(p.to_normalized(0..p.text.len()));
                prop_assert!(r.start <= r.end && r.end <= a.source.text.len());
                prop_assert!(a.source.text.is_char_boundary(r.start) && a.source.text.is_char_boundary(r.end));
                for sr in &p.sentences {
                    prop_assert!(p.text.is_char_boundary(sr.start) && p.text.is_char_boundary(sr.end));
                }
            }
        }
        let json = ReportJson::new(&a);
        for p in json.sections.iter().flat_map(|s| &s.paragraphs) {
            prop_assert!(p.start <= p.end && p.end <= chars);
        }
    }

    #[test]
    fn normalization_is_idempotent(text in reportish()) {
        let n = Normalizer::new().expect("normalizer");
        let once = n.normalize_str(&text);
        prop_assert_eq!(n.normalize_str(&once), once);
    }
}
