//! Acceptance tests of the reading stage on the five real reports in `tests/fixtures/`.

use gongkai::corpus::{self, LoadOptions};
use gongkai::metadata::Level;

use crate::common::{SEEDS, analyzer, fixture_path, seed};
use gongkai::export::json::ReportJson;
use gongkai::structure::{Role, SectionKind};

#[test]
fn metadata_of_every_seed() {
    let want = [
        (
            "000",
            "咸阳市商务局",
            2017,
            Some("陕西省"),
            Some(Level::Prefecture),
        ),
        (
            "001",
            "瑞安市商务局",
            2018,
            Some("浙江省"),
            Some(Level::County),
        ),
        ("002", "市商务局", 2012, None, None),
        (
            "003",
            "福建省商务厅",
            2017,
            Some("福建省"),
            Some(Level::Province),
        ),
        // 青岛西海岸新区 is a national new area, not a division in the gazetteer: the name
        // determines the province (through 青岛) but no level.
        ("004", "青岛西海岸新区商务局", 2018, Some("山东省"), None),
    ];
    for (prefix, agency, year, province, level) in want {
        let m = &seed(prefix).metadata;
        assert_eq!(m.agency.as_deref(), Some(agency), "seed {prefix} agency");
        assert_eq!(m.year, Some(year), "seed {prefix} year");
        assert_eq!(m.province.as_deref(), province, "seed {prefix} province");
        assert_eq!(m.level, level, "seed {prefix} level");
    }
}

#[test]
fn every_seed_has_a_problems_section_with_narrative() {
    for seed in SEEDS {
        let a = crate::common::seed(seed);
        let problems: Vec<_> = a
            .structure
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Problems)
            .collect();
        assert_eq!(problems.len(), 1, "seed {seed}: one problems section");
        assert!(
            problems[0].paragraphs.iter().any(|p| p.is_narrative()),
            "seed {seed}: problems section has narrative"
        );
    }
}

#[test]
fn the_problems_sections_hold_the_admissions() {
    // One admission each, from the reports' own problems sections.
    let cases = [
        ("000", "网站管理专业性人才缺失"),
        ("001", "新媒体运用有待加强"),
        ("002", "参与度不高"),
        ("003", "兼职"),
        ("004", "无专人专职"),
    ];
    for (seed, phrase) in cases {
        let a = crate::common::seed(seed);
        let found = a
            .structure
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Problems)
            .flat_map(|s| &s.paragraphs)
            .any(|p| p.is_narrative() && p.text.contains(phrase));
        assert!(
            found,
            "seed {seed}: {phrase} should be in a narrative problems paragraph"
        );
    }
}

#[test]
fn statistics_tables_stay_out_of_the_narrative() {
    // Cells of the tables at the end of seeds 003 and 004.
    for (seed, cells) in [
        ("003", &["主动公开档案数", "网路申请数", "行政复议数"][..]),
        (
            "004",
            &["统计指标", "当面申请数", "政府信息公开专项经费"][..],
        ),
    ] {
        let a = crate::common::seed(seed);
        for s in &a.structure.sections {
            for p in s.paragraphs.iter().filter(|p| p.is_narrative()) {
                for cell in cells {
                    assert!(
                        !p.text.contains(cell),
                        "seed {seed}: table cell {cell} in narrative paragraph {:?}",
                        p.text
                    );
                }
            }
        }
        let tables = a
            .structure
            .sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .filter(|p| p.role == Role::Table)
            .count();
        assert!(tables >= 5, "seed {seed}: table paragraphs found: {tables}");
    }
}

#[test]
fn web_debris_is_not_narrative() {
    let debris = [
        ("000", "区县招商"),
        ("000", "关闭电子商务"),
        ("001", "您现在的位置"),
        ("003", "相关词条"),
    ];
    for (seed, junk) in debris {
        let a = crate::common::seed(seed);
        for p in a.structure.sections.iter().flat_map(|s| &s.paragraphs) {
            assert!(
                !p.text.contains(junk),
                "seed {seed}: debris {junk} kept in {:?}",
                p.text
            );
        }
    }
}

#[test]
fn traditional_seed_is_simplified_with_offsets_into_the_original() {
    let a = seed("003");
    assert_eq!(a.norm.script.as_str(), "traditional");
    let json = ReportJson::new(a);
    let original: Vec<char> = a.source.text.chars().collect();
    let sentence = json
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| &p.sentences)
        .find(|s| s.text.contains("公开是原则，不公开是例外"))
        .expect("the principle is quoted in seed 003");
    let cut: String = original[sentence.start..sentence.end].iter().collect();
    // The original has a half-width comma; the normalized text a full-width one.
    assert!(cut.contains("公開是原則,不公開是例外"), "{cut}");
    assert_eq!(cut.chars().count(), sentence.text.chars().count());
}

#[test]
fn offsets_of_every_paragraph_cut_the_original() {
    for seed in SEEDS {
        let a = crate::common::seed(seed);
        let json = ReportJson::new(a);
        let original: Vec<char> = a.source.text.chars().collect();
        let norm = |s: &str| analyzer().normalizer().normalize_str(s);
        for p in json.sections.iter().flat_map(|s| &s.paragraphs) {
            assert!(
                p.start < p.end && p.end <= original.len(),
                "seed {seed}: {p:?}"
            );
            // The original span, normalized with line breaks and spaces removed, is the text.
            let cut: String = original[p.start..p.end].iter().collect();
            let squeezed: String = norm(&cut)
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '|' && *c != '｜')
                .collect();
            let text: String = p.text.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(squeezed, text, "seed {seed}");
        }
    }
}

#[test]
fn legacy_encodings_give_the_same_analysis() {
    for seed in SEEDS {
        let path = fixture_path(seed);
        let bytes = std::fs::read(&path).expect("read fixture");
        let utf8 = std::str::from_utf8(&bytes).expect("fixtures are UTF-8");
        let reference = {
            let mut j =
                serde_json::to_value(ReportJson::new(crate::common::seed(seed))).expect("json");
            j["encoding"] = serde_json::Value::Null;
            j
        };
        // Seed 004 has a no-break space, which GBK lacks and GB18030 encodes in four bytes.
        let gbk_ok = !encoding_rs::GBK.encode(utf8).2;
        let mut encodings = vec![(encoding_rs::GB18030, if gbk_ok { "GBK" } else { "GB18030" })];
        if gbk_ok {
            encodings.push((encoding_rs::GBK, "GBK"));
        }
        // Big5 has no Simplified characters; the Traditional seed 003 is the Big5 case.
        if seed == "003" {
            encodings.push((encoding_rs::BIG5, "Big5"));
        }
        for (enc, name) in encodings {
            let (encoded, _, unmappable) = enc.encode(utf8);
            assert!(!unmappable, "seed {seed}: {name} encodes every character");
            let source =
                corpus::from_bytes(&path, &encoded, LoadOptions::default()).expect("decodes");
            assert_eq!(source.encoding, name, "seed {seed}: detected encoding");
            let mut j =
                serde_json::to_value(ReportJson::new(&analyzer().analyze(source))).expect("json");
            j["encoding"] = serde_json::Value::Null;
            assert_eq!(
                j, reference,
                "seed {seed}: {name} analysis differs from UTF-8"
            );
        }
    }
}
