//! Acceptance tests of theme classification on the fixtures and the gold labels of the seeds.

use gongkai::eval::{Counts, parse_gold};
use gongkai::pipeline::Analysis;

mod common;
use common::{analyzer, seed};
use gongkai::structure::SectionKind;
use gongkai::themes::{Polarity, THEME_IDS};

fn admitted(a: &Analysis) -> Vec<&'static str> {
    let m = a.theme_mentions(THEME_IDS.len());
    let rules = analyzer().themes();
    THEME_IDS
        .iter()
        .copied()
        .filter(|id| m[rules.theme_index(id).expect("fixed id")].0 > 0)
        .collect()
}

#[test]
fn seeds_admit_exactly_the_expected_themes() {
    let want: &[(&str, &[&str])] = &[
        ("000", &["staffing", "website", "timeliness"]),
        ("001", &["timeliness", "content", "engagement", "new_media"]),
        ("002", &["website", "engagement"]),
        ("003", &["capacity", "mechanism", "staffing"]),
        ("004", &["staffing", "timeliness", "content"]),
    ];
    for (prefix, themes) in want {
        let mut got = admitted(&seed(prefix));
        let mut want = themes.to_vec();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(
            got, want,
            "seed {prefix}: run `gongkai explain` on it and check dictionaries/themes.toml"
        );
    }
}

#[test]
fn nothing_outside_the_problems_section_is_a_problem() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let a = seed(prefix);
        for (section, facts) in a.structure.sections.iter().zip(&a.facts) {
            if section.kind == SectionKind::Problems {
                continue;
            }
            for f in facts {
                assert!(
                    f.themes.iter().all(|h| h.polarity == Polarity::Measure),
                    "seed {prefix}: a problem outside the problems section ({:?})",
                    section.kind
                );
            }
        }
    }
}

#[test]
fn overview_platform_work_is_a_measure_not_a_problem() {
    // Seed 000's overview: （一）加强平台建设。充分发挥政府门户网站的主渠道作用 …
    let a = seed("000");
    let website = analyzer().themes().theme_index("website").expect("id");
    let overview_measures = a
        .structure
        .sections
        .iter()
        .zip(&a.facts)
        .filter(|(s, _)| s.kind == SectionKind::Overview)
        .flat_map(|(_, f)| f)
        .flat_map(|f| &f.themes)
        .filter(|h| h.theme == website && h.polarity == Polarity::Measure)
        .count();
    assert!(
        overview_measures >= 1,
        "加强平台建设 is recorded as a website measure"
    );
}

#[test]
fn gold_labels_of_the_seeds_are_matched() {
    let src = include_str!("eval/themes_gold.tsv");
    let rows = parse_gold("tests/eval/themes_gold.tsv", src, THEME_IDS).expect("gold parses");
    assert!(
        rows.len() >= 100,
        "the gold set covers the corpus, not just the seeds"
    );
    let mut counts = vec![Counts::default(); THEME_IDS.len()];
    for row in rows.iter().filter(|r| r.report.starts_with("seed:")) {
        let got = admitted(&seed(&row.report["seed:".len()..]));
        for (i, id) in THEME_IDS.iter().enumerate() {
            counts[i].add(got.contains(id), row.themes.iter().any(|t| t == id));
        }
    }
    let all = Counts::sum(&counts);
    assert_eq!(
        (all.fp, all.fn_),
        (0, 0),
        "seed rows of the gold set: {all:?}"
    );
    assert!(all.tp >= 15);
}
