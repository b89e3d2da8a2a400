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
//! 针对) cancels only what follows it in its clause (`…均有待今后加以解决` still admits). An
//! enumerated item of the measures part that admits by its own words and promises nothing goes
//! back to the problems part (sections that interleave problems and measures). A short clause
//! that only names a topic (`在网站建设方面，`) lends it to the next clause's cue, and a frame
//! phrase (`主要体现在`) is the cue of the topics it introduces.
//! Precision matters as much as recall; every hit keeps its evidence (terms and their
//! positions) so a researcher can audit it (`gongkai explain`).
//!
//! Files: `codebook` (the TOML schema, its checks and the automaton), `clause` (what one
//! clause admits or promises), this file (the public types and the sentence and sub-part
//! logic).
//!
//! What it does not do: no machine learning, no sentiment; it reads only narrative sentences
//! and headings that `structure` found, and it knows nothing about other reports.

mod clause;
mod codebook;

use std::ops::Range;

use aho_corasick::AhoCorasick;
use serde::Serialize;

use crate::error::Result;
use crate::normalize::Normalizer;
use crate::structure::SectionKind;
use clause::{Fired, Term, clauses, dedup, enumerator_len, has_enumerated_clause, is_theme_term};
use codebook::Meaning;

/// The default codebook (embedded).
pub const THEMES: &str = include_str!("../../dictionaries/themes.toml");
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
    /// Words that open a contrast (`但`, `虽`): a clause opening with one does not borrow the
    /// topics of the clause before it.
    contrast: Vec<String>,
    /// Remedy words that can mean "aimed at", and the words that make them remedies.
    aimed_remedies: clause::AimedRemedies,
    /// Pattern index → what the pattern means (a term may mean several things).
    meanings: Vec<Vec<Meaning>>,
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
        codebook::compile(name, src, normalizer)
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
        // One buffer for every sentence's matches: most sentences need no allocation.
        let mut matches: Vec<Term> = Vec::with_capacity(64);
        for (si, s) in sentences.iter().enumerate() {
            self.matches_into(text, s.clone(), &mut matches);
            let matches = &matches[..];
            if !can_fire(text, s.clone(), matches, section, *part) {
                continue;
            }
            let (problems, measures, admit) =
                self.sentence_themes(text, s.clone(), matches, section, part);
            self.push_hits(&mut hits, text, si, problems, measures, admit);
        }
        hits
    }

    /// The themes one sentence admits and promises, clause by clause, and whether it sits
    /// where admissions count (the problems part of a problems section). Switches `part` when
    /// the sentence opens a part.
    fn sentence_themes(
        &self,
        text: &str,
        s: Range<usize>,
        matches: &[Term],
        section: SectionKind,
        part: &mut SubPart,
    ) -> (Fired, Fired, bool) {
        let mut problems: Fired = Vec::new();
        let mut measures: Fired = Vec::new();
        let mut admit = false;
        let clauses = clauses(text, s.clone());
        let frames = frames(text, &clauses, matches);
        // A short clause that only names a topic (`在网站建设方面，`, `工作人员的业务水平，`)
        // and admitted nothing lends its topics to the next clause when that one has a cue
        // but no topic of its own (`…还存在一定差距`).
        let mut lead: Option<(Range<usize>, Vec<Term>)> = None;
        for (ci, clause) in clauses.into_iter().enumerate() {
            let mut terms = self.terms(matches, clause.clone());
            let next_opens_with_frame = frames.get(ci + 1).is_some_and(|f| f.1);
            let cut = if next_opens_with_frame {
                clause.end
            } else {
                frames[ci].0
            };
            terms.retain(|(r, t)| !(matches!(r, Meaning::Topic(_)) && t.end <= cut));
            // What a frame introduces in its own clause is a shortcoming: the frame is its
            // cue (`主要体现在信息公开内容、形式方面`).
            for (meaning, _) in &mut terms {
                if *meaning == Meaning::Frame {
                    *meaning = Meaning::Cue;
                }
            }
            if ci == 0 {
                if section == SectionKind::Problems {
                    self.switch_part(text, clause.clone(), &terms, part);
                    if *part == SubPart::Measures
                        && self.reopens_problems(text, clause.clone(), &terms)
                    {
                        *part = SubPart::Problems;
                    }
                }
                admit = section == SectionKind::Problems && *part == SubPart::Problems;
            }
            // Whether this clause could lend its topics, decided on its own terms before
            // they are merged with a lead's; kept only if the clause admits nothing.
            let lends = topic_lead(text, &clause, &terms);
            let (span, terms) = match lead.take() {
                Some((lead_span, mut lead_terms))
                    if borrows_topic(&self.contrast, text, &clause, &terms) =>
                {
                    lead_terms.extend(terms);
                    (lead_span.start..clause.end, lead_terms)
                }
                _ => (clause.clone(), terms),
            };
            let fired =
                self.classify_clause(text, span, terms, admit, &mut problems, &mut measures);
            if !fired {
                lead = lends;
            }
        }
        (problems, measures, admit)
    }

    /// Adds a sentence's hits: its admissions (where they count, less a theme that yields in
    /// the sentence to another one admitted there on weak evidence only) and its promises of
    /// themes it does not admit.
    fn push_hits(
        &self,
        hits: &mut Vec<ThemeHit>,
        text: &str,
        si: usize,
        mut problems: Fired,
        measures: Fired,
        admit: bool,
    ) {
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

    /// Whether a sentence of the measures part goes back to the problems: its first clause is
    /// an enumerated item (`二是…`) that admits by its own words (a problem term, or a topic
    /// with a cue) and has no measure verb, remedy, negation or measures phrase — the next
    /// problem of a section that interleaves problems and measures (`一是…。下一步…。二是…`).
    fn reopens_problems(&self, text: &str, clause: Range<usize>, terms: &[Term]) -> bool {
        let enumerated = enumerator_len(&text[clause.clone()]) > 0;
        let promise = terms.iter().any(|(m, _)| {
            matches!(
                m,
                Meaning::Measure | Meaning::Remedy | Meaning::Negation | Meaning::PartMeasures
            )
        });
        enumerated && !promise && self.admits_by_words(text, clause, terms)
    }

    /// Switches the sub-part when the first clause of a sentence opens (after its enumerator)
    /// with a `[parts]` phrase: `（二）改进措施`, `下一步，…` → measures; `（一）存在的问题` →
    /// problems. A phrase further in (`…均有待今后解决`) switches nothing.
    fn switch_part(&self, text: &str, clause: Range<usize>, terms: &[Term], part: &mut SubPart) {
        let body = clause.start + enumerator_len(&text[clause.clone()]);
        // A measures phrase may have a short lead (`在今后`, `2016年我局将`); a problems phrase
        // must open the clause (`（一）存在的问题`, not `对存在的问题及时整改`).
        let lead =
            |r: &Range<usize>| (r.start >= body).then(|| text[body..r.start].chars().count());
        let mut first: Option<(usize, SubPart)> = None;
        for (meaning, r) in terms {
            let (p, max_lead) = match meaning {
                Meaning::PartProblems => (SubPart::Problems, 0),
                Meaning::PartMeasures => (SubPart::Measures, 6),
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

    /// Every match in `span`: (meaning, range), one automaton pass, into `found` (cleared
    /// first). Matches come in the order of their ends, which [`in_clause`] relies on.
    fn matches_into(&self, text: &str, span: Range<usize>, found: &mut Vec<Term>) {
        found.clear();
        for m in self.automaton.find_overlapping_iter(&text[span.clone()]) {
            let r = span.start + m.start()..span.start + m.end();
            for meaning in &self.meanings[m.pattern().as_usize()] {
                found.push((*meaning, r.clone()));
            }
        }
        debug_assert!(found.windows(2).all(|w| w[0].1.end <= w[1].1.end));
    }

    /// Terms of one clause, from its sentence's matches: (meaning, range) for every match inside
    /// the clause, a theme term inside a longer theme term dropped.
    fn terms(&self, matches: &[Term], clause: Range<usize>) -> Vec<Term> {
        let found = in_clause(matches, &clause);
        found
            .clone()
            .filter(|term| {
                // Inside a longer term: another theme's (认识 in 公众认识), or the same theme's
                // (内容 in 公开内容, 及时 in 未能及时), which would only repeat the evidence.
                let r = &term.1;
                !is_theme_term(term)
                    || !found.clone().any(|other| {
                        let o = &other.1;
                        is_theme_term(other)
                            && o.start <= r.start
                            && r.end <= o.end
                            && o.len() > r.len()
                    })
            })
            .cloned()
            .collect()
    }
}

/// The matches (in the order of their ends) that lie inside `clause` (or a sentence), in
/// order: the ends are searched, not every match tested.
fn in_clause<'a>(
    matches: &'a [Term],
    clause: &Range<usize>,
) -> impl Iterator<Item = &'a Term> + Clone {
    let from = matches.partition_point(|(_, r)| r.end <= clause.start);
    let to = matches.partition_point(|(_, r)| r.end <= clause.end);
    let start = clause.start;
    matches[from..to.max(from)]
        .iter()
        .filter(move |(_, r)| r.start >= start)
}

/// Whether a sentence can admit, promise or switch the sub-part; most cannot, and are not
/// read further. Without a theme's term nothing fires and only a part phrase matters. Topics
/// alone (no problem term, cue, measure verb or frame) admit only as an enumerated item of the
/// problems part (`三是政策解读工作。`): everything else needs one of those words.
fn can_fire(
    text: &str,
    sentence: Range<usize>,
    matches: &[Term],
    section: SectionKind,
    part: SubPart,
) -> bool {
    let mut topic = false;
    for (m, _) in matches {
        match m {
            Meaning::Problem(_) | Meaning::PartProblems | Meaning::PartMeasures => return true,
            Meaning::Topic(_) => topic = true,
            _ => {}
        }
    }
    if !topic {
        return false;
    }
    let worded = matches
        .iter()
        .any(|(m, _)| matches!(m, Meaning::Cue | Meaning::Measure | Meaning::Frame));
    worded
        || (section == SectionKind::Problems
            && part == SubPart::Problems
            && has_enumerated_clause(text, sentence))
}

/// Where topics start to count in each clause, and whether the clause opens with a frame. A
/// frame introduces the list of problems (`…还有一定差距，主要表现在：…`): topics before a frame
/// phrase in its clause, in the clause before one that opens with it, and in a clause ending
/// in a colon admit nothing (problem terms still do).
fn frames(text: &str, clauses: &[Range<usize>], matches: &[Term]) -> Vec<(usize, bool)> {
    clauses
        .iter()
        .map(|c| {
            let colon = text[c.clone()].trim_end().ends_with(['：', ':']);
            let first = in_clause(matches, c)
                .filter(|(r, _)| *r == Meaning::Frame)
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
        .collect()
}

/// A clause that only names a topic: short, with topics and nothing else of the codebook (no
/// cue, measure, problem term or negation), ending in a comma. Returns its range and topics.
fn topic_lead(
    text: &str,
    clause: &Range<usize>,
    terms: &[Term],
) -> Option<(Range<usize>, Vec<Term>)> {
    let only_topics = !terms.is_empty()
        && terms.iter().all(|(m, _)| {
            matches!(
                m,
                Meaning::Topic(_) | Meaning::Frame | Meaning::PartProblems
            )
        });
    if !only_topics || !terms.iter().any(|(m, _)| matches!(m, Meaning::Topic(_))) {
        return None;
    }
    let s = text[clause.clone()].trim_end();
    let short = s.chars().count() <= LEAD_MAX_CHARS;
    let comma = s.ends_with(['，', ',']);
    (short && comma).then(|| {
        let topics = terms
            .iter()
            .filter(|(m, _)| matches!(m, Meaning::Topic(_)))
            .cloned()
            .collect();
        (clause.clone(), topics)
    })
}

/// Longest clause (in characters, its comma included) that may lend its topics.
const LEAD_MAX_CHARS: usize = 16;

/// Whether a clause takes the topics of a topic-only clause before it: it has a shortcoming
/// cue but no theme term and no negation, and does not open a contrast (`…，但仍存在不足` after
/// `网站建设取得了一定成效，` is a frame, not an admission about the website).
fn borrows_topic(contrast: &[String], text: &str, clause: &Range<usize>, terms: &[Term]) -> bool {
    let body = text[clause.clone()].trim_start();
    let contrast = contrast.iter().any(|c| body.starts_with(c.as_str()));
    !contrast
        && terms.iter().any(|(m, _)| *m == Meaning::Cue)
        && !terms
            .iter()
            .any(|t| is_theme_term(t) || t.0 == Meaning::Negation)
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
        assert_admits(cases);
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
        let text = "首先，人员少；第二，网站";
        let cs: Vec<&str> = clauses(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(cs, ["首先，人员少；", "第二，网站"]);
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
            ("①人员少", "①"),
            ("第二，网站更新慢", "第二，"),
            ("其三是宣传不够", "其三是"),
            ("其次，培训不足", "其次，"),
            ("第二季度", ""),
            ("其他科室", ""),
            ("其中，网站", ""),
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
        // 针对 as "aimed at" is no remedy; 针对 what is wrong, or with a promise, is.
        assert_eq!(
            themes_of("针对社会热点的信息解读仍需提高。", p, Polarity::Problem),
            ["interaction"]
        );
        assert!(themes_of("针对网站更新不及时的问题，", p, Polarity::Problem).is_empty());
        assert!(themes_of("针对网站栏目单一，增设专栏。", p, Polarity::Problem).is_empty());
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

    /// A section that interleaves problems and measures (`一是…。下一步…。二是…`): the next
    /// enumerated problem goes back to the problems part; enumerated promises do not.
    #[test]
    fn interleaved_problems_and_measures() {
        let r = rules();
        let mut part = SubPart::default();
        let mut admitted = |text: &str| {
            let hits = r.classify_in(
                text,
                &split_sentences(text),
                SectionKind::Problems,
                &mut part,
            );
            let mut ids: Vec<&str> = hits
                .iter()
                .filter(|h| h.polarity == Polarity::Problem)
                .map(|h| r.themes[h.theme].id.as_str())
                .collect();
            ids.dedup();
            (ids, part)
        };
        assert_eq!(
            admitted("一是信息更新不及时。"),
            (vec!["timeliness"], SubPart::Problems)
        );
        assert_eq!(
            admitted("下一步，我们将加强信息更新。"),
            (vec![], SubPart::Measures)
        );
        assert_eq!(
            admitted("二是工作经费不足。"),
            (vec!["funding"], SubPart::Problems)
        );
        assert_eq!(
            admitted("下一步，争取经费支持。"),
            (vec![], SubPart::Measures)
        );
        // Promises and remedies, enumerated or not, stay in the measures part.
        assert_eq!(
            admitted("三是加强网站建设，解决栏目更新滞后的问题。"),
            (vec![], SubPart::Measures)
        );
        assert_eq!(
            admitted("四是针对人员不足的问题，充实工作力量。"),
            (vec![], SubPart::Measures)
        );
        assert_eq!(
            admitted("网站栏目设置不合理的问题仍需解决。"),
            (vec![], SubPart::Measures)
        );
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
        // Topics the frame introduces in its own clause admit, the frame their cue.
        let listed = "主要体现在信息公开内容、形式和时效性方面。";
        assert_eq!(
            themes_of(listed, p, Polarity::Problem),
            ["content", "timeliness"]
        );
        // Without the frame the same gap is an admission about content.
        let plain = "我局公开的信息与公众的需求还存在一定差距。";
        assert_eq!(themes_of(plain, p, Polarity::Problem), ["content"]);
    }

    /// Each sentence, in a problems section, admits exactly the themes given.
    fn assert_admits(cases: &[(&str, &[&str])]) {
        for (text, want) in cases {
            assert_eq!(
                themes_of(text, SectionKind::Problems, Polarity::Problem),
                *want,
                "{text}: check dictionaries/themes.toml"
            );
        }
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
        assert_admits(cases);
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
        assert_admits(cases);
    }

    /// Issue 9, second batch: more of each theme's wording family (constructed in the genre's
    /// usual phrasing, not quotations of an evaluation set), and the guards that keep them from
    /// firing on the wrong theme.
    #[test]
    fn wider_wording_families_admit_their_theme_only() {
        let cases: &[(&str, &[&str])] = &[
            ("网站栏目设置不合理。", &["website"]),
            ("部分链接无法打开。", &["website"]),
            ("政务服务网办事功能有待完善。", &["website"]),
            ("信息化建设相对滞后。", &["website"]),
            // A website's capacity is the website's, not the staff's.
            ("网站运行维护能力不足。", &["website"]),
            // A new-media platform is new media, not the website.
            ("新媒体平台建设滞后。", &["new_media"]),
            ("社会公众对信息公开工作关注不够。", &["engagement"]),
            ("群众对信息公开的了解不多。", &["engagement"]),
            ("宣传引导不够。", &["engagement"]),
            // The public's weak interest is engagement, not the agency's awareness.
            ("公众利用政府信息的积极性不高。", &["engagement"]),
            ("群众主动获取信息的意识不强。", &["engagement"]),
            ("申请公开的办理程序有待完善。", &["requests"]),
            ("部分工作人员对信息公开的业务不够熟悉。", &["capacity"]),
            ("工作人员的政策水平有待提高。", &["capacity"]),
            ("信息公开工作人员缺乏经验。", &["capacity"]),
            ("缺少专门的工作人员。", &["staffing"]),
            ("工作人员兼职较多，精力有限。", &["staffing"]),
            // 没有专门 of money is funding, not head-count.
            ("没有专门的工作经费。", &["funding"]),
            ("查阅场所条件简陋。", &["funding"]),
            ("个别信息存在滞后现象。", &["timeliness"]),
            ("部分信息公开不够详细。", &["content"]),
            ("公开的内容多为工作动态。", &["content"]),
            ("信息分类不够科学。", &["content"]),
            ("责任落实不到位。", &["mechanism"]),
            ("平台功能需要优化。", &["website"]),
            ("网站的功能还比较简单。", &["website"]),
            ("群众对政务公开的满意度还有待提高。", &["engagement"]),
            // The public's understanding is engagement, not the agency's awareness.
            ("群众对政府信息公开的认识还不够。", &["engagement"]),
            ("依申请公开数量增长较快，办理压力大。", &["requests"]),
            ("个别申请人反复申请。", &["requests"]),
            ("办公设备老旧。", &["funding"]),
            ("专项工作经费未列入预算。", &["funding"]),
            ("工作人员年龄偏大。", &["staffing"]),
            ("我局信息公开工作由办公室一名同志兼职负责。", &["staffing"]),
            ("公开的信息偶有延迟。", &["timeliness"]),
            ("公开方式较为传统。", &["content"]),
            ("政府信息公开目录体系还不够完善。", &["content"]),
            ("信息公开的标准化、规范化程度有待提高。", &["content"]),
            ("部分业务科室对信息公开工作配合不够。", &["mechanism"]),
            ("工作人员的知识结构不够合理。", &["capacity"]),
            ("主动公开的信息以一般性工作动态居多。", &["content"]),
            // Equipment renewed slowly is funding, not late publishing.
            ("受经费所限，信息化设备更新缓慢。", &["funding"]),
            ("二是在政府网站公开的信息内容需不断完善。", &["content"]),
            ("政务公开专栏的栏目设置需要优化。", &["website"]),
            ("工作人员业务水平略显不足。", &["capacity"]),
            // An enumerated task (做到, 抓好) among the problems is a promise, not an admission.
            ("3、做到信息及时公开。", &[]),
            // A promise not to be late is no delay.
            ("确保政府信息公开工作不留死角、不延迟。", &[]),
            // Learning from others' experience, the staff's weak publicity: no capacity, no
            // engagement.
            ("三是仍需进一步学习其他单位的成功经验。", &[]),
            (
                "宣传教育力度不够，少数干部对信息公开工作的认识有待提高。",
                &["awareness"],
            ),
        ];
        assert_admits(cases);
    }

    /// Items enumerated by ordinals and circled digits are items like `一是…`: their topic
    /// admits without a cue in the problems part.
    #[test]
    fn ordinal_and_circled_items_admit_their_topic() {
        let cases: &[(&str, &[&str])] = &[
            ("第二，网站建设方面。", &["website"]),
            ("②依申请公开工作。", &["requests"]),
            ("其次，在经费保障上。", &["funding"]),
            // A promise stays a promise.
            ("第二，加强网站建设。", &[]),
        ];
        assert_admits(cases);
    }

    /// A short clause that only names a topic lends it to the next clause's cue; a contrast,
    /// a measure or a clause with its own topic takes nothing.
    #[test]
    fn a_topic_only_clause_lends_its_topic_to_the_next_cue() {
        let cases: &[(&str, &[&str])] = &[
            ("在网站建设方面，还存在一定差距。", &["website"]),
            (
                "工作人员的业务水平，与新形势的要求还不相适应。",
                &["capacity"],
            ),
            ("依申请公开工作，仍有待进一步规范。", &["requests"]),
            ("网站建设取得了一定成效，但仍存在不足。", &[]),
            ("在网站建设方面，进一步完善栏目设置。", &[]),
            // Too long to be a mere topic: the cue belongs to its own clause.
            (
                "我局今年在网站建设和信息发布等方面做了大量工作，还存在一些差距。",
                &[],
            ),
        ];
        assert_admits(cases);
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
