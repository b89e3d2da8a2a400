//! Acceptance tests of theme classification on the fixtures and the gold labels of the seeds.

use gongkai::eval::parse_gold;
use gongkai::pipeline::Analysis;

use crate::common::{analyzer, seed};
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

/// The themes each seed admits, read off the reports' problems sections by hand. The one place
/// the seeds' themes are asserted (`explain` output is also snapshotted in tests/binary/snapshots/).
const SEED_THEMES: &[(&str, &[&str])] = &[
    ("000", &["staffing", "website", "timeliness"]),
    ("001", &["timeliness", "content", "engagement", "new_media"]),
    ("002", &["website", "engagement"]),
    ("003", &["capacity", "mechanism", "staffing"]),
    ("004", &["staffing", "timeliness", "content"]),
];

#[test]
fn seeds_admit_exactly_the_expected_themes() {
    for (prefix, themes) in SEED_THEMES {
        let mut got = admitted(seed(prefix));
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
fn the_gold_set_labels_the_seeds_as_this_file_does() {
    // `gongkai eval` scores against tests/eval/themes_gold.tsv; its seed rows and
    // SEED_THEMES must not drift apart (the analysis itself is checked above).
    let src = include_str!("../eval/themes_gold.tsv");
    let rows = parse_gold("tests/eval/themes_gold.tsv", src, THEME_IDS).expect("gold parses");
    assert!(
        rows.len() >= 100,
        "the gold set covers the corpus, not just the seeds"
    );
    let mut gold: Vec<(&str, Vec<&str>)> = rows
        .iter()
        .filter_map(|r| r.report.strip_prefix("seed:").map(|s| (s, r)))
        .map(|(s, r)| {
            let mut t: Vec<&str> = r.themes.iter().map(String::as_str).collect();
            t.sort_unstable();
            (s, t)
        })
        .collect();
    gold.sort_unstable();
    let want: Vec<(&str, Vec<&str>)> = SEED_THEMES
        .iter()
        .map(|(s, t)| {
            let mut t = t.to_vec();
            t.sort_unstable();
            (*s, t)
        })
        .collect();
    assert_eq!(gold, want);
}

/// Themes a small report text admits (problem polarity, anywhere), and per problems
/// sentence the themes it admits.
fn admitted_in(text: &str) -> Vec<&'static str> {
    let a = analyzer().analyze(
        gongkai::corpus::from_bytes(
            std::path::Path::new("t.txt"),
            text.as_bytes(),
            Default::default(),
        )
        .expect("text loads"),
    );
    admitted(&a)
}

const HEAD: &str = "某局2019年政府信息公开工作年度报告\n一、概述\n我局坚持公开透明，加强网站建设。\n\
                    二、主动公开政府信息情况\n全年公开信息20条。\n";

#[test]
fn the_measures_part_of_a_problems_section_admits_nothing() {
    // The same hedged sentence admits new_media in the problems part, nothing in the
    // measures part (after `（二）改进措施`, or a sentence opening with `下一步`).
    let problems = format!(
        "{HEAD}三、存在的主要问题及改进情况\n（一）存在的问题\n一是政务新媒体运用有待加强。\n"
    );
    assert_eq!(admitted_in(&problems), ["new_media"]);
    let measures = format!(
        "{HEAD}三、存在的主要问题及改进情况\n（一）存在的问题\n一是人员少。\n\
         （二）改进措施\n一是政务新媒体运用有待加强，开通政务微信。\n"
    );
    assert_eq!(admitted_in(&measures), ["staffing"]);
    let one_paragraph = format!(
        "{HEAD}三、存在的主要问题及改进情况\n我局存在人员少的问题。下一步，政务新媒体运用有待加强。\n"
    );
    assert_eq!(admitted_in(&one_paragraph), ["staffing"]);
    // A problems heading after the measures returns to the problems part.
    let back = format!(
        "{HEAD}三、存在的主要问题及改进情况\n（一）改进措施\n加强培训。\n（二）存在的问题\n\
         一是政务新媒体运用有待加强。\n"
    );
    assert_eq!(admitted_in(&back), ["new_media"]);
}

#[test]
fn an_enumerated_item_of_the_problems_part_admits_its_topic() {
    // No cue word at all: the item's place in the list of problems makes it an admission…
    let text = format!("{HEAD}三、存在的主要问题及改进情况\n主要问题有：一是政策解读工作。\n");
    assert_eq!(admitted_in(&text), ["interaction"]);
    // …unless it is a promise (a measure verb), or not an enumerated item.
    let promise = format!("{HEAD}三、存在的主要问题及改进情况\n一是继续做好政策解读工作。\n");
    assert!(admitted_in(&promise).is_empty());
    let plain = format!("{HEAD}三、存在的主要问题及改进情况\n我局的政策解读工作。\n");
    assert!(admitted_in(&plain).is_empty());
}

#[test]
fn a_problems_section_after_other_matters_is_read() {
    let text = format!(
        "{HEAD}六、其他需要报告的事项\n无。\n五、存在的主要问题及改进情况\n\
         一是工作人员均为兼职。二是经费紧张。\n"
    );
    assert_eq!(admitted_in(&text), ["staffing", "funding"]);
}
