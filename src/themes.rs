//! Themes: which recurring shortcomings a report admits, sentence by sentence.
//!
//! The codebook (`dictionaries/themes.toml`, ids are a stable interface; the README lists them) is compiled once into
//! one Aho-Corasick automaton over every term, tagged with what each term means for which
//! theme. A narrative sentence is cut into clauses; in a clause, a theme's *problem term*
//! (无专职人员), or a *topic term* (网站) together with a *shortcoming cue* (困难, 有待), admits
//! the theme, unless a *negation* (未发生) denies it; a theme yields to a more specific one that
//! fires in the same clause; a topic with a *measure* verb (加强) and no cue is an improvement
//! promise, counted separately. Admissions count only inside the `problems` section: the same
//! words in an overview describe work done (加强平台建设), not a shortcoming.
//!
//! The genre's structure is used too. A problems section has a *problems part* and a
//! *measures part* (`（二）改进措施`, `下一步，…`, `今后…`): a sentence that opens with a
//! `[parts] measures` phrase switches to the measures part, one that opens with a `[parts]
//! problems` phrase (`（一）存在的问题`) back; [`SubPart`] carries that state from paragraph to
//! paragraph ([`ThemeRules::classify_in`]). In the measures part nothing is admitted. In the
//! problems part an enumerated item (`一是…`, `2、…`, `（三）…`) is an admission unless it says
//! otherwise, so its topic alone decides its theme (evidence: the topic and the enumerator),
//! unless the item opens with a measure verb (`一是加强培训`) or is denied. A remedy (解决,
//! 针对) cancels only what follows it in its clause (`…均有待今后加以解决` still admits).
//! Precision matters as much as recall; every hit keeps its evidence (terms and their
//! positions) so a researcher can audit it (`gongkai explain`).
//!
//! What it does not do: no machine learning, no sentiment; it reads only narrative sentences
//! and headings that `structure` found, and it knows nothing about other reports.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::normalize::Normalizer;
use crate::structure::{SectionKind, is_small_numeral};

/// The default codebook (embedded).
pub const THEMES: &str = include_str!("../dictionaries/themes.toml");
const THEMES_NAME: &str = "dictionaries/themes.toml";

/// A theme of the codebook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Theme {
    /// Fixed id (`staffing`).
    pub id: String,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
    /// What counts.
    pub definition: String,
}

/// Whether a sentence admits a shortcoming or promises an improvement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// An admitted shortcoming.
    Problem,
    /// An improvement promise or action.
    Measure,
}

/// What a matched term was evidence of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A term that itself states the shortcoming.
    ProblemTerm,
    /// A theme's topic.
    Topic,
    /// A shortcoming cue.
    Cue,
    /// A measure verb.
    Measure,
    /// The enumerator of an item of the problems part (`一是`, `2、`): the item admits its topic.
    Item,
}

/// Which part of a problems section a sentence is in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubPart {
    /// The shortcomings (the default: a problems section starts with them).
    #[default]
    Problems,
    /// The improvement measures (改进措施, 下一步 …): nothing here is admitted.
    Measures,
}

/// One piece of evidence: a term and where it is in the paragraph text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// What the term counted as.
    pub kind: EvidenceKind,
    /// Byte range in the paragraph text.
    pub range: Range<usize>,
}

/// A theme found in a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeHit {
    /// Index into [`ThemeRules::themes`].
    pub theme: usize,
    /// Problem or measure.
    pub polarity: Polarity,
    /// Index of the sentence in the paragraph's sentences.
    pub sentence: usize,
    /// The terms that made the rule fire.
    pub evidence: Vec<Evidence>,
}

#[derive(Deserialize)]
struct File {
    cues: Cues,
    #[serde(default)]
    parts: Parts,
    themes: Vec<ThemeFile>,
}

#[derive(Deserialize, Default)]
struct Parts {
    problems: Vec<String>,
    measures: Vec<String>,
}

#[derive(Deserialize)]
struct Cues {
    shortcoming: Vec<String>,
    negation: Vec<String>,
    measure: Vec<String>,
    remedy: Vec<String>,
    #[serde(default)]
    frame: Vec<String>,
}

#[derive(Deserialize)]
struct ThemeFile {
    id: String,
    label_zh: String,
    label_en: String,
    // Optional, so a researcher's own theme needs only what it uses.
    #[serde(default)]
    definition: String,
    #[serde(default)]
    problem_terms: Vec<String>,
    #[serde(default)]
    topic_terms: Vec<String>,
    #[serde(default)]
    yields_to: Vec<String>,
    #[serde(default)]
    yields_in_sentence_to: Vec<String>,
    #[serde(default)]
    sentence_yield_topics: Vec<String>,
}

/// What one automaton pattern means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Problem(usize),
    Topic(usize),
    Cue,
    Negation,
    Measure,
    Remedy,
    Frame,
    PartProblems,
    PartMeasures,
}

/// The compiled codebook. Built once; shared by all threads.
#[derive(Clone, Debug)]
pub struct ThemeRules {
    themes: Vec<Theme>,
    /// For each theme, the themes it yields to in the same item.
    yields_to: Vec<Vec<usize>>,
    /// For each theme, the themes it yields to anywhere in the same sentence.
    yields_in_sentence: Vec<Vec<usize>>,
    /// For each theme, the (normalized) topics that alone make it yield at sentence level
    /// (empty: it always yields).
    sentence_yield_topics: Vec<Vec<String>>,
    automaton: AhoCorasick,
    /// Pattern index → roles.
    roles: Vec<Vec<Role>>,
}

/// The fixed theme ids, in codebook order.
pub const THEME_IDS: &[&str] = &[
    "staffing",
    "capacity",
    "website",
    "timeliness",
    "content",
    "engagement",
    "interaction",
    "new_media",
    "awareness",
    "mechanism",
    "requests",
    "funding",
];

impl ThemeRules {
    /// The embedded codebook.
    pub fn new(normalizer: &Normalizer) -> Result<ThemeRules> {
        ThemeRules::from_toml(THEMES_NAME, THEMES, normalizer)
    }

    /// A codebook in the format of `dictionaries/themes.toml`, named `name` in errors.
    pub fn from_toml(name: &str, src: &str, normalizer: &Normalizer) -> Result<ThemeRules> {
        let bad = |line: usize, message: String| Error::Dictionary {
            file: name.into(),
            line,
            message,
        };
        let file: File = toml::from_str(src).map_err(|e| {
            let line = e
                .span()
                .map_or(0, |s| src[..s.start].matches('\n').count() + 1);
            bad(line, e.message().to_string())
        })?;
        let line_of = |needle: &str| {
            src.find(needle)
                .map_or(0, |i| src[..i].matches('\n').count() + 1)
        };
        let mut themes = Vec::new();
        for t in &file.themes {
            // The embedded codebook keeps the fixed ids (a test checks them); a researcher's
            // own codebook may define new themes, with ids that are safe CSV values and
            // filter terms.
            let id_ok = t.id.starts_with(|c: char| c.is_ascii_lowercase())
                && t.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !id_ok || (name == THEMES_NAME && !THEME_IDS.contains(&t.id.as_str())) {
                return Err(bad(
                    line_of(&format!("\"{}\"", t.id)),
                    format!(
                        "bad theme id {:?}: an id is lowercase ASCII letters, digits and _ \
                         (the default codebook's ids are {})",
                        t.id,
                        THEME_IDS.join(", ")
                    ),
                ));
            }
            if themes.iter().any(|x: &Theme| x.id == t.id) {
                return Err(bad(
                    line_of(&format!("\"{}\"", t.id)),
                    format!("theme {:?} defined twice", t.id),
                ));
            }
            themes.push(Theme {
                id: t.id.clone(),
                label_zh: t.label_zh.clone(),
                label_en: t.label_en.clone(),
                definition: t.definition.clone(),
            });
        }
        let index = |id: &str| themes.iter().position(|t| t.id == id);
        let resolve = |t: &ThemeFile, list: &[String]| -> Result<Vec<usize>> {
            list.iter()
                .map(|y| {
                    index(y).ok_or_else(|| {
                        bad(
                            line_of(&format!("\"{y}\"")),
                            format!("theme {:?} yields to unknown theme {y:?}", t.id),
                        )
                    })
                })
                .collect()
        };
        let mut yields_to = Vec::new();
        let mut yields_in_sentence = Vec::new();
        let mut sentence_yield_topics = Vec::new();
        for t in &file.themes {
            yields_to.push(resolve(t, &t.yields_to)?);
            yields_in_sentence.push(resolve(t, &t.yields_in_sentence_to)?);
            sentence_yield_topics.push(
                t.sentence_yield_topics
                    .iter()
                    .map(|x| normalizer.normalize_str(x))
                    .collect(),
            );
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut roles: Vec<Vec<Role>> = Vec::new();
        let mut add = |term: &str, role: Role| -> Result<()> {
            let key = normalizer.normalize_str(term.trim());
            if key.chars().count() < 1 || key.trim().is_empty() {
                return Err(bad(line_of(term), "empty term".into()));
            }
            match patterns.iter().position(|p| *p == key) {
                Some(i) => {
                    if !roles[i].contains(&role) {
                        roles[i].push(role);
                    }
                }
                None => {
                    patterns.push(key);
                    roles.push(vec![role]);
                }
            }
            Ok(())
        };
        for c in &file.cues.shortcoming {
            add(c, Role::Cue)?;
        }
        for c in &file.cues.negation {
            add(c, Role::Negation)?;
        }
        for c in &file.cues.measure {
            add(c, Role::Measure)?;
        }
        for c in &file.cues.remedy {
            add(c, Role::Remedy)?;
        }
        for c in &file.cues.frame {
            add(c, Role::Frame)?;
        }
        for c in &file.parts.problems {
            add(c, Role::PartProblems)?;
        }
        for c in &file.parts.measures {
            add(c, Role::PartMeasures)?;
        }
        for (i, t) in file.themes.iter().enumerate() {
            for p in &t.problem_terms {
                add(p, Role::Problem(i))?;
            }
            for p in &t.topic_terms {
                add(p, Role::Topic(i))?;
            }
        }
        // Overlapping matches: a clause needs every term in it, nested ones included. A DFA,
        // because it runs over every narrative sentence.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| bad(0, e.to_string()))?;
        Ok(ThemeRules {
            themes,
            yields_to,
            yields_in_sentence,
            sentence_yield_topics,
            automaton,
            roles,
        })
    }

    /// The themes, in codebook order.
    pub fn themes(&self) -> &[Theme] {
        &self.themes
    }

    /// Index of a theme id.
    pub fn theme_index(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }

    /// Themes of the sentences of one narrative paragraph of a section of kind `section`, read
    /// as if it opened its section (the problems part of a problems section).
    pub fn classify(
        &self,
        text: &str,
        sentences: &[Range<usize>],
        section: SectionKind,
    ) -> Vec<ThemeHit> {
        self.classify_in(text, sentences, section, &mut SubPart::default())
    }

    /// Themes of the sentences of one paragraph (narrative or heading) of a section of kind
    /// `section`, the paragraphs of a section passed in order with the same `part`, which
    /// starts as [`SubPart::Problems`] for each section and is switched by the sentences read.
    pub fn classify_in(
        &self,
        text: &str,
        sentences: &[Range<usize>],
        section: SectionKind,
        part: &mut SubPart,
    ) -> Vec<ThemeHit> {
        let mut hits = Vec::new();
        for (si, s) in sentences.iter().enumerate() {
            let mut problems: Vec<(usize, Vec<Evidence>)> = Vec::new();
            let mut measures: Vec<(usize, Vec<Evidence>)> = Vec::new();
            let matches = self.matches(text, s.clone());
            if matches.is_empty() {
                continue;
            }
            let mut admit = false;
            let clauses = clauses(text, s.clone());
            // A frame introduces the list of problems (`…还有一定差距，主要表现在：…`): topics
            // before a frame phrase in its clause, in the clause before one that opens with it,
            // and in a clause ending in a colon admit nothing (problem terms still do).
            let frames: Vec<(usize, bool)> = clauses
                .iter()
                .map(|c| {
                    let colon = text[c.clone()].trim_end().ends_with(['：', ':']);
                    let first = matches
                        .iter()
                        .filter(|(r, m)| *r == Role::Frame && m.start >= c.start && m.end <= c.end)
                        .map(|(_, m)| m.start)
                        .min();
                    let opens = first.is_some_and(|f| text[c.start..f].chars().count() <= 2);
                    (
                        if colon {
                            c.end
                        } else {
                            first.unwrap_or(c.start)
                        },
                        opens,
                    )
                })
                .collect();
            for (ci, clause) in clauses.into_iter().enumerate() {
                let mut terms = self.terms(&matches, clause.clone());
                let next_opens_with_frame = frames.get(ci + 1).is_some_and(|f| f.1);
                let cut = if next_opens_with_frame {
                    clause.end
                } else {
                    frames[ci].0
                };
                terms.retain(|(r, t)| !(matches!(r, Role::Topic(_)) && t.end <= cut));
                if ci == 0 {
                    if section == SectionKind::Problems {
                        self.switch_part(text, clause.clone(), &terms, part);
                    }
                    admit = section == SectionKind::Problems && *part == SubPart::Problems;
                }
                self.classify_clause(text, clause, terms, admit, &mut problems, &mut measures);
            }
            let fired: Vec<usize> = problems.iter().map(|(t, _)| *t).collect();
            problems.retain(|(t, ev)| {
                let yields = self.yields_in_sentence[*t]
                    .iter()
                    .any(|y| fired.contains(y));
                let weak = &self.sentence_yield_topics[*t];
                let only_weak = weak.is_empty()
                    || ev.iter().all(|e| match e.kind {
                        EvidenceKind::Topic => weak.iter().any(|w| *w == text[e.range.clone()]),
                        EvidenceKind::Cue | EvidenceKind::Measure | EvidenceKind::Item => true,
                        EvidenceKind::ProblemTerm => false,
                    });
                !(yields && only_weak)
            });
            for (theme, evidence) in problems.into_iter().filter(|_| admit) {
                hits.push(ThemeHit {
                    theme,
                    polarity: Polarity::Problem,
                    sentence: si,
                    evidence: dedup(evidence),
                });
            }
            for (theme, evidence) in measures {
                if !fired.contains(&theme) {
                    hits.push(ThemeHit {
                        theme,
                        polarity: Polarity::Measure,
                        sentence: si,
                        evidence: dedup(evidence),
                    });
                }
            }
        }
        hits
    }

    /// Switches the sub-part when the first clause of a sentence opens (after its enumerator)
    /// with a `[parts]` phrase: `（二）改进措施`, `下一步，…` → measures; `（一）存在的问题` →
    /// problems. A phrase further in (`…均有待今后解决`) switches nothing.
    fn switch_part(
        &self,
        text: &str,
        clause: Range<usize>,
        terms: &[(Role, Range<usize>)],
        part: &mut SubPart,
    ) {
        let body = clause.start + enumerator_len(&text[clause.clone()]);
        // A measures phrase may have a short lead (`在今后`, `2016年我局将`); a problems phrase
        // must open the clause (`（一）存在的问题`, not `对存在的问题及时整改`).
        let lead =
            |r: &Range<usize>| (r.start >= body).then(|| text[body..r.start].chars().count());
        let mut first: Option<(usize, SubPart)> = None;
        for (role, r) in terms {
            let (p, max_lead) = match role {
                Role::PartProblems => (SubPart::Problems, 0),
                Role::PartMeasures => (SubPart::Measures, 6),
                _ => continue,
            };
            let opens = lead(r).is_some_and(|n| n <= max_lead);
            if opens && first.is_none_or(|(start, _)| r.start < start) {
                first = Some((r.start, p));
            }
        }
        if let Some((_, p)) = first {
            *part = p;
        }
    }

    /// Every match in a sentence: (role, range), one automaton pass.
    fn matches(&self, text: &str, sentence: Range<usize>) -> Vec<(Role, Range<usize>)> {
        let mut found: Vec<(Role, Range<usize>)> = Vec::new();
        for m in self
            .automaton
            .find_overlapping_iter(&text[sentence.clone()])
        {
            let r = sentence.start + m.start()..sentence.start + m.end();
            for role in &self.roles[m.pattern().as_usize()] {
                found.push((*role, r.clone()));
            }
        }
        found
    }

    /// Terms of one clause, from its sentence's matches: (role, range) for every match inside
    /// the clause, a theme term inside a longer theme term dropped.
    fn terms(
        &self,
        matches: &[(Role, Range<usize>)],
        clause: Range<usize>,
    ) -> Vec<(Role, Range<usize>)> {
        let found: Vec<&(Role, Range<usize>)> = matches
            .iter()
            .filter(|(_, r)| r.start >= clause.start && r.end <= clause.end)
            .collect();
        let theme_of = |role: &Role| match role {
            Role::Problem(t) | Role::Topic(t) => Some(*t),
            _ => None,
        };
        found
            .iter()
            .filter(|(role, r)| {
                // Inside a longer term: another theme's (认识 in 公众认识), or the same theme's
                // (内容 in 公开内容, 及时 in 未能及时), which would only repeat the evidence.
                theme_of(role).is_none()
                    || !found.iter().any(|(other, o)| {
                        theme_of(other).is_some()
                            && o.start <= r.start
                            && r.end <= o.end
                            && o.len() > r.len()
                    })
            })
            .map(|t| (*t).clone())
            .collect()
    }

    fn classify_clause(
        &self,
        text: &str,
        clause: Range<usize>,
        mut terms: Vec<(Role, Range<usize>)>,
        admit: bool,
        problems: &mut Vec<(usize, Vec<Evidence>)>,
        measures: &mut Vec<(usize, Vec<Evidence>)>,
    ) {
        // Nothing to find without a theme's term (most clauses).
        if terms.iter().any(|(r, _)| *r == Role::Negation)
            || !terms
                .iter()
                .any(|(r, _)| matches!(r, Role::Problem(_) | Role::Topic(_)))
        {
            return;
        }
        // A remedy cancels what follows it: `解决…薄弱环节` admits nothing, `…有待今后加以解决`
        // still admits what came before. A remedy word inside a theme's term is no remedy
        // (针对 in 针对性: `回应关切的针对性还需增强` admits).
        let in_theme_term = |m: &Range<usize>| {
            terms.iter().any(|(role, t)| {
                matches!(role, Role::Problem(_) | Role::Topic(_))
                    && t.start <= m.start
                    && m.end <= t.end
                    && t.len() > m.len()
            })
        };
        if let Some(cut) = terms
            .iter()
            .filter(|(r, m)| *r == Role::Remedy && !in_theme_term(m))
            .map(|(_, r)| r.start)
            .min()
        {
            terms.retain(|(_, r)| r.end <= cut);
        }
        let enumerator = enumerator_len(&text[clause.clone()]);
        let items = items(text, clause.clone());
        // Cues of each item; an item without one borrows the cue of the next item that has one
        // (时效性、便捷性有待提高), else of the one before (未能全面、及时公开).
        let cues_in = |r: &Range<usize>| -> Vec<Range<usize>> {
            terms
                .iter()
                .filter(|(role, t)| *role == Role::Cue && t.start >= r.start && t.end <= r.end)
                .map(|(_, t)| t.clone())
                .collect()
        };
        let item_cues: Vec<Vec<Range<usize>>> = items.iter().map(cues_in).collect();
        let any_measure = terms.iter().any(|(r, _)| *r == Role::Measure);
        let mut clause_fired = false;
        {
            for (ii, item) in items.iter().enumerate() {
                let in_item = |t: &Range<usize>| t.start >= item.start && t.end <= item.end;
                let mut cues = item_cues[ii].clone();
                if cues.is_empty() {
                    cues = item_cues[ii + 1..]
                        .iter()
                        .find(|c| !c.is_empty())
                        .or_else(|| item_cues[..ii].iter().rev().find(|c| !c.is_empty()))
                        .cloned()
                        .unwrap_or_default();
                }
                let mut fired: Vec<(usize, Vec<Evidence>)> = Vec::new();
                for (role, r) in terms.iter().filter(|(_, r)| in_item(r)) {
                    match role {
                        Role::Problem(t) => push_evidence(
                            &mut fired,
                            *t,
                            Evidence {
                                kind: EvidenceKind::ProblemTerm,
                                range: r.clone(),
                            },
                        ),
                        Role::Topic(t) => {
                            // A cue inside the topic term itself does not count.
                            let free: Vec<&Range<usize>> = cues
                                .iter()
                                .filter(|c| c.end <= r.start || c.start >= r.end)
                                .collect();
                            if free.is_empty() {
                                continue;
                            }
                            push_evidence(
                                &mut fired,
                                *t,
                                Evidence {
                                    kind: EvidenceKind::Topic,
                                    range: r.clone(),
                                },
                            );
                            for c in free {
                                push_evidence(
                                    &mut fired,
                                    *t,
                                    Evidence {
                                        kind: EvidenceKind::Cue,
                                        range: c.clone(),
                                    },
                                );
                            }
                        }
                        _ => {}
                    }
                }
                let ids: Vec<usize> = fired.iter().map(|(t, _)| *t).collect();
                fired.retain(|(t, _)| !self.yields_to[*t].iter().any(|y| ids.contains(y)));
                clause_fired |= !fired.is_empty();
                for (t, ev) in fired {
                    for e in ev {
                        push_evidence(problems, t, e);
                    }
                }
            }
            // An enumerated item of the problems part admits its topic even without a cue
            // (`三是政策解读工作，…`), unless its first clause has a measure verb (`一是加强培训`,
            // `（二）继续完善…`): then it is a promise listed in the wrong place.
            let has_measure = terms.iter().any(|(r, _)| *r == Role::Measure);
            if admit && !clause_fired && enumerator > 0 && !has_measure {
                let mut fired: Vec<(usize, Vec<Evidence>)> = Vec::new();
                for (role, r) in &terms {
                    if let Role::Topic(t) = role {
                        push_evidence(
                            &mut fired,
                            *t,
                            Evidence {
                                kind: EvidenceKind::Topic,
                                range: r.clone(),
                            },
                        );
                    }
                }
                let ids: Vec<usize> = fired.iter().map(|(t, _)| *t).collect();
                fired.retain(|(t, _)| !self.yields_to[*t].iter().any(|y| ids.contains(y)));
                clause_fired |= !fired.is_empty();
                for (t, ev) in fired {
                    for e in ev {
                        push_evidence(problems, t, e);
                    }
                    push_evidence(
                        problems,
                        t,
                        Evidence {
                            kind: EvidenceKind::Item,
                            range: clause.start..clause.start + enumerator,
                        },
                    );
                }
            }
        }
        // A measure: topics with a measure verb in a clause that admits nothing.
        if any_measure && !clause_fired {
            let mut measured: Vec<(usize, Vec<Evidence>)> = Vec::new();
            for (role, r) in &terms {
                if let Role::Topic(t) = role {
                    push_evidence(
                        &mut measured,
                        *t,
                        Evidence {
                            kind: EvidenceKind::Topic,
                            range: r.clone(),
                        },
                    );
                }
            }
            let ids: Vec<usize> = measured.iter().map(|(t, _)| *t).collect();
            measured.retain(|(t, _)| !self.yields_to[*t].iter().any(|y| ids.contains(y)));
            for (t, ev) in measured {
                for e in ev {
                    push_evidence(measures, t, e);
                }
                for (role, r) in &terms {
                    if *role == Role::Measure {
                        push_evidence(
                            measures,
                            t,
                            Evidence {
                                kind: EvidenceKind::Measure,
                                range: r.clone(),
                            },
                        );
                    }
                }
            }
        }
    }
}

/// Byte length of the enumerator an item opens with (`一是`, `2、`, `（三）`, `(1)`, `二、`,
/// `1.`), 0 when there is none.
fn enumerator_len(s: &str) -> usize {
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let mut chars = t.char_indices();
    let Some((_, c)) = chars.next() else {
        return 0;
    };
    let numeral = |c: char| is_small_numeral(c) || c == '十';
    if matches!(c, '（' | '(') {
        let mut end = None;
        for (i, d) in chars.by_ref() {
            if matches!(d, '）' | ')') {
                end = Some(i + d.len_utf8());
                break;
            }
            if !(numeral(d) || d.is_ascii_digit()) || i > 8 {
                break;
            }
        }
        return end
            .filter(|e| *e > c.len_utf8() + 1)
            .map_or(0, |e| lead + e);
    }
    if !(numeral(c) || c.is_ascii_digit()) {
        return 0;
    }
    for (i, d) in chars {
        if numeral(d) || d.is_ascii_digit() {
            continue;
        }
        let digits = c.is_ascii_digit();
        let next_is_digit = t[i + d.len_utf8()..].starts_with(|n: char| n.is_ascii_digit());
        return match d {
            '是' if !digits => lead + i + d.len_utf8(),
            '、' => lead + i + d.len_utf8(),
            '.' | '．' if digits && !next_is_digit => lead + i + d.len_utf8(),
            _ => 0,
        };
    }
    0
}

/// Items of a clause: cut at 、.
fn items(text: &str, clause: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = clause.start;
    for (i, c) in text[clause.clone()].char_indices() {
        if c == '、' {
            out.push(start..clause.start + i);
            start = clause.start + i + c.len_utf8();
        }
    }
    out.push(start..clause.end);
    out
}

fn push_evidence(fired: &mut Vec<(usize, Vec<Evidence>)>, theme: usize, e: Evidence) {
    match fired.iter_mut().find(|(t, _)| *t == theme) {
        Some((_, v)) => v.push(e),
        None => fired.push((theme, vec![e])),
    }
}

fn dedup(mut v: Vec<Evidence>) -> Vec<Evidence> {
    v.sort_by_key(|e| (e.range.start, e.range.end));
    v.dedup_by(|a, b| a.range == b.range);
    v
}

/// Clauses of a sentence: cut at ，；：。！？ and before enumerators (一是, 二是 …).
fn clauses(text: &str, sentence: Range<usize>) -> Vec<Range<usize>> {
    let s = &text[sentence.clone()];
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let cut_after = matches!(c, '，' | '；' | '：' | '。' | '！' | '？' | ',' | ';');
        let enumerator =
            is_small_numeral(c) && s[i + c.len_utf8()..].starts_with('是') && i > start;
        if enumerator {
            out.push(sentence.start + start..sentence.start + i);
            start = i;
        }
        if cut_after {
            let end = i + c.len_utf8();
            out.push(sentence.start + start..sentence.start + end);
            start = end;
        }
    }
    if start < s.len() {
        out.push(sentence.start + start..sentence.end);
    }
    out.retain(|r| !text[r.clone()].trim().is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::split_sentences;

    fn rules() -> &'static ThemeRules {
        static R: std::sync::OnceLock<ThemeRules> = std::sync::OnceLock::new();
        R.get_or_init(|| {
            let n = Normalizer::new().expect("normalizer");
            ThemeRules::new(&n).expect("embedded codebook")
        })
    }

    fn themes_of(text: &str, section: SectionKind, polarity: Polarity) -> Vec<&'static str> {
        let r = rules();
        let mut ids: Vec<&str> = r
            .classify(text, &split_sentences(text), section)
            .into_iter()
            .filter(|h| h.polarity == polarity)
            .map(|h| {
                THEME_IDS[THEME_IDS
                    .iter()
                    .position(|id| *id == r.themes[h.theme].id)
                    .expect("fixed id")]
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    #[test]
    fn codebook_has_exactly_the_fixed_ids() {
        let ids: Vec<&str> = rules().themes().iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, THEME_IDS);
    }

    #[test]
    fn admissions_in_the_problems_section() {
        let cases: &[(&str, &[&str])] = &[
            (
                "一是因人员编制少，无专人专职负责政务公开工作，如遇急难工作，有的事项未能及时公开。",
                &["staffing", "timeliness"],
            ),
            (
                "二是政务公开的栏目设置，与公众便利、便捷的检索要求有差距。",
                &["website"],
            ),
            (
                "政府信息公开工部分内容更新不够及时，新媒体运用有待加强，社会公众知晓率和参与率有待进一步提高。",
                &["engagement", "new_media", "timeliness"],
            ),
            ("政策解读形式单一。", &["interaction"]),
            (
                "2018年度未发生涉密信息上报信息公开平台，也不存在虚假或误导信息。",
                &[],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(
                themes_of(text, SectionKind::Problems, Polarity::Problem),
                *want,
                "{text}: check dictionaries/themes.toml"
            );
        }
    }

    #[test]
    fn overview_work_is_not_a_problem_but_a_measure() {
        let text = "（一）加强平台建设。充分发挥政府门户网站的主渠道作用。";
        assert!(themes_of(text, SectionKind::Overview, Polarity::Problem).is_empty());
        assert!(themes_of(text, SectionKind::Overview, Polarity::Measure).contains(&"website"));
        // The same sentence in the problems section: still a promise, not an admission.
        assert!(themes_of(text, SectionKind::Problems, Polarity::Problem).is_empty());
    }

    #[test]
    fn clause_cuts() {
        let text = "一是人员少，二是网站困难；三是宣传不够";
        let cs: Vec<&str> = clauses(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(cs, ["一是人员少，", "二是网站困难；", "三是宣传不够"]);
    }

    #[test]
    fn enumerators() {
        for (s, want) in [
            ("一是人员少", "一是"),
            ("十二是网站", "十二是"),
            ("2、无专职人员", "2、"),
            ("3.栏目不全", "3."),
            ("（三）宣传不够", "（三）"),
            ("(1)宣传不够", "(1)"),
            ("二、存在问题", "二、"),
            ("2.5万条信息", ""),
            ("2019年，", ""),
            ("一些单位", ""),
            ("（注：无）", ""),
        ] {
            assert_eq!(&s[..enumerator_len(s)], want, "{s}");
        }
    }

    #[test]
    fn a_remedy_cancels_only_what_follows_it() {
        let p = SectionKind::Problems;
        assert_eq!(
            themes_of(
                "对社会宣传力度不够等，均有待今后加以解决。",
                p,
                Polarity::Problem
            ),
            ["engagement"]
        );
        assert!(themes_of("着力解决网站更新不及时的问题。", p, Polarity::Problem).is_empty());
    }

    #[test]
    fn sub_parts_switch_only_on_sentences_that_open_with_a_part_phrase() {
        let r = rules();
        let mut part = SubPart::default();
        let mut read = |text: &str| {
            r.classify_in(
                text,
                &split_sentences(text),
                SectionKind::Problems,
                &mut part,
            );
            part
        };
        assert_eq!(read("人员少，均有待今后加以解决。"), SubPart::Problems);
        assert_eq!(read("2016年我局将继续加强培训。"), SubPart::Measures);
        assert_eq!(read("对存在的问题及时整改。"), SubPart::Measures);
        assert_eq!(read("（二）存在的问题"), SubPart::Problems);
        assert_eq!(read("下一步，我们将加强网站建设。"), SubPart::Measures);
    }

    #[test]
    fn a_frame_introducing_the_list_admits_nothing_itself() {
        let p = SectionKind::Problems;
        let framed = "我局工作与社会公众的需求还有一定差距，主要表现在：一是人员少。";
        assert_eq!(themes_of(framed, p, Polarity::Problem), ["staffing"]);
        let colon = "我局工作与公众的需求还存在一些主要问题：人员少。";
        assert_eq!(themes_of(colon, p, Polarity::Problem), ["staffing"]);
        // What follows the frame phrase in its own clause still counts.
        let inline = "主要表现在互动栏目的功能界面不够人性化。";
        assert_eq!(themes_of(inline, p, Polarity::Problem), ["website"]);
        // Without the frame the same gap is an admission about content.
        let plain = "我局公开的信息与公众的需求还存在一定差距。";
        assert_eq!(themes_of(plain, p, Polarity::Problem), ["content"]);
    }

    #[test]
    fn plain_facts_and_hedges_admit() {
        let cases: &[(&str, &[&str])] = &[
            ("工作人员均为兼职，身兼多职。", &["staffing"]),
            ("经费紧张，设备老化。", &["funding"]),
            ("信息更新较慢。", &["timeliness"]),
            ("业务培训仍需加强。", &["capacity"]),
            ("在公开的格式上不能完全规范。", &["content"]),
        ];
        for (text, want) in cases {
            assert_eq!(
                themes_of(text, SectionKind::Problems, Polarity::Problem),
                *want,
                "{text}: check dictionaries/themes.toml"
            );
        }
    }

    /// Constructed sentences in the genre's usual wordings of each theme (not quotations of
    /// any evaluation set): degree words, plain facts, and topics the first rules lacked.
    #[test]
    fn the_genres_wordings_of_each_theme_admit() {
        let cases: &[(&str, &[&str])] = &[
            ("信息公开工作人力不足。", &["staffing"]),
            ("信息公开工作仅有一名兼职人员。", &["staffing"]),
            ("工作人员专业知识欠缺。", &["capacity"]),
            ("政务公开队伍专业化程度不高。", &["capacity"]),
            ("我局没有独立的门户网站。", &["website"]),
            ("部门公开栏目更新较为迟缓。", &["timeliness"]),
            ("政务公开的重点不够突出、不够全面。", &["content"]),
            ("个别单位存在应公开未公开的情况。", &["content"]),
            ("宣传不到位，社会知晓度低。", &["engagement"]),
            ("个别单位存在重发布轻解读的现象。", &["interaction"]),
            ("回应社会关切的针对性还需增强。", &["interaction"]),
            ("部分干部存在不愿公开、不敢公开的思想。", &["awareness"]),
            ("对基层单位的业务指导不够。", &["mechanism"]),
            ("部分申请内容复杂，答复难度大。", &["requests"]),
            ("政府信息查阅场所设施简陋。", &["funding"]),
        ];
        for (text, want) in cases {
            assert_eq!(
                themes_of(text, SectionKind::Problems, Polarity::Problem),
                *want,
                "{text}: check dictionaries/themes.toml"
            );
        }
    }

    #[test]
    fn homographs_and_frames_admit_nothing_of_the_wrong_theme() {
        let p = SectionKind::Problems;
        // 编制 of a catalogue is no head-count.
        assert_eq!(
            themes_of("政府信息公开目录编制不够科学。", p, Polarity::Problem),
            ["content"]
        );
        // Nothing received, nothing of the kind: no shortcoming (没有 is a cue otherwise).
        assert!(themes_of("今年我局没有收到依申请公开申请。", p, Polarity::Problem).is_empty());
        assert!(themes_of("本年度没有依申请公开政府信息的情况。", p, Polarity::Problem).is_empty());
        assert_eq!(
            themes_of("我局没有专职的信息公开工作人员。", p, Polarity::Problem),
            ["staffing"]
        );
        assert!(
            themes_of(
                "但也存在一些问题和不足，主要表现在以下几个方面：",
                p,
                Polarity::Problem
            )
            .is_empty()
        );
    }

    #[test]
    fn bad_codebook_is_named() {
        let n = Normalizer::new().expect("normalizer");
        let src = "[cues]\nshortcoming=[]\nnegation=[]\nmeasure=[]\nremedy=[]\n[[themes]]\nid=\"morale\"\nlabel_zh=\"\"\nlabel_en=\"\"\ndefinition=\"\"\nproblem_terms=[]\ntopic_terms=[]\nyields_to=[]\nyields_in_sentence_to=[]\n";
        // A researcher's own codebook may define a new theme …
        let own = ThemeRules::from_toml("t.toml", src, &n).expect("a new id in one's own codebook");
        assert_eq!(own.themes()[0].id, "morale");
        // … but not under the default codebook's name, whose ids are fixed,
        let err = ThemeRules::from_toml(THEMES_NAME, src, &n)
            .expect_err("unknown id")
            .to_string();
        assert!(
            err.starts_with("dictionaries/themes.toml line 7: bad theme id \"morale\""),
            "{err}"
        );
        // … and an id must be a plain identifier.
        let err = ThemeRules::from_toml("t.toml", &src.replace("morale", "Morale!"), &n)
            .expect_err("bad id")
            .to_string();
        assert!(
            err.starts_with("t.toml line 7: bad theme id \"Morale!\""),
            "{err}"
        );
    }
}
