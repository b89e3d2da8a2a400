//! Acceptance tests of boilerplate tagging and reuse on the fixtures.

use std::collections::BTreeSet;
use std::path::Path;

use gongkai::corpus::{self, LoadOptions};
use gongkai::pipeline::Analysis;

use crate::common::{analyzer, fixture_path, seed};
use gongkai::export::json::ReportJson;

fn analyze_text(name: &str, text: &str) -> Analysis {
    let source = corpus::from_bytes(Path::new(name), text.as_bytes(), LoadOptions::default())
        .expect("decodes");
    analyzer().analyze(source)
}

#[test]
fn open_by_default_in_seeds_000_to_003_with_exact_original_spans() {
    // What each seed's original file says, character for character.
    let want = [
        ("000", "公开为原则,不公开为例外"),
        ("001", "公开为原则,不公开为例外"),
        ("002", "公开为原则,不公开为例外"),
        ("003", "公開是原則,不公開是例外"),
    ];
    for (prefix, original) in want {
        let json = ReportJson::new(seed(prefix));
        let text: Vec<char> = std::fs::read_to_string(&json.path)
            .expect("read")
            .chars()
            .collect();
        let hits: Vec<_> = json
            .sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .flat_map(|p| &p.boilerplate)
            .filter(|b| b.id == "open_by_default")
            .collect();
        assert!(!hits.is_empty(), "seed {prefix}: open_by_default not found");
        for h in hits {
            let cut: String = text[h.start..h.end].iter().collect();
            assert_eq!(
                cut, original,
                "seed {prefix}: span must cut the formula out of the file"
            );
            assert_eq!(h.text, original, "seed {prefix}");
        }
    }
}

#[test]
fn seed_004_has_no_open_by_default_but_other_formulas() {
    // Seed 004 never states the principle (its text has no 例外), but it is full of other
    // stock phrases: the lexicon runs on it and finds those, and not open_by_default.
    let text = std::fs::read_to_string(fixture_path("004")).expect("read");
    assert!(!text.contains("例外"), "fixture 004 changed");
    let lexicon = analyzer().boilerplate();
    let found: BTreeSet<&str> = seed("004")
        .narrative()
        .flat_map(|v| &v.facts.formulas)
        .map(|m| lexicon.formulas()[m.formula].id.as_str())
        .collect();
    for id in [
        "under_leadership",
        "xi_speech_spirit",
        "long_term_mechanism",
    ] {
        assert!(found.contains(id), "seed 004: {id} not found in {found:?}");
    }
    assert!(!found.contains("open_by_default"), "{found:?}");
}

#[test]
fn no_formula_across_paragraphs_or_inside_tables() {
    let open = analyzer()
        .boilerplate()
        .formula_index("open_by_default")
        .expect("id");
    // Split by a blank line: two paragraphs, no formula.
    let a = analyze_text(
        "a.txt",
        "某局2018年度政府信息公开工作年度报告\n\n我局坚持公开为原则，\n\n不公开为例外的要求开展工作。\n",
    );
    let halves: Vec<&str> = a.narrative().map(|v| v.paragraph.text.as_str()).collect();
    assert!(
        halves.iter().any(|t| t.contains("公开为原则"))
            && halves.iter().any(|t| t.contains("不公开为例外")),
        "both halves are narrative paragraphs of their own: {halves:?}"
    );
    assert!(
        a.narrative().all(|v| v.facts.formulas.is_empty()),
        "matched across paragraphs"
    );
    // In a statistics table: not narrative, no formula.
    let a = analyze_text(
        "b.txt",
        "某局2018年度政府信息公开工作年度报告\n一、概述\n我局认真开展信息公开工作。\n二、政府信息公开情况统计表\n公开为原则不公开为例外\n12\n34\n",
    );
    let table_has_the_words = a
        .structure
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .any(|p| !p.is_narrative() && p.text.contains("公开为原则不公开为例外"));
    assert!(
        table_has_the_words,
        "the words are read as a non-narrative (table) paragraph"
    );
    let in_tables = a
        .structure
        .sections
        .iter()
        .zip(&a.facts)
        .flat_map(|(s, f)| s.paragraphs.iter().zip(f))
        .filter(|(p, _)| !p.is_narrative())
        .any(|(_, f)| f.formulas.iter().any(|m| m.formula == open));
    assert!(!in_tables, "formula reported inside a table");
    // Sanity: the same words in narrative are found.
    let a = analyze_text(
        "c.txt",
        "某局2018年度政府信息公开工作年度报告\n我局坚持公开为原则，不公开为例外的要求。\n",
    );
    assert_eq!(
        a.narrative().map(|v| v.facts.formulas.len()).sum::<usize>(),
        1
    );
}

#[test]
fn boilerplate_share_is_covered_over_narrative_chars() {
    let a = analyze_text(
        "d.txt",
        "某局2018年度政府信息公开工作年度报告\n公开为原则，不公开为例外。\n",
    );
    let json = ReportJson::new(&a);
    // 公开为原则，不公开为例外。 = 13 characters, 12 of them inside the formula.
    assert_eq!(json.share.narrative_chars, 13);
    assert_eq!(json.share.boilerplate_chars, 12);
    assert!((json.share.boilerplate_share - 12.0 / 13.0).abs() < 1e-9);
}
