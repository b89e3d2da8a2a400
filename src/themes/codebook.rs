//! The codebook file: its TOML schema, the checks a researcher's own codebook must pass, and
//! its compilation into one automaton.
//!
//! Every term of the file (theme terms, cues, part phrases) is normalized like the reports and
//! becomes one pattern of a single Aho-Corasick DFA, tagged with every [`Meaning`] it has (a
//! term may be a topic of one theme and a cue at once). Errors name the file and the line of
//! the offending entry, so a bad codebook is refused before any report is read.
//!
//! What it does not do: it applies no rule; [`super::clause`] and [`super::ThemeRules`] do.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use super::{THEME_IDS, THEMES_NAME, Theme, ThemeRules};
use crate::error::{Error, Result};
use crate::normalize::Normalizer;

#[derive(Deserialize)]
/// The codebook file, as written (`dictionaries/themes.toml`).
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
    #[serde(default)]
    contrast: Vec<String>,
    #[serde(default)]
    aimed_remedy: Vec<String>,
    #[serde(default)]
    remedied: Vec<String>,
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

/// What one automaton pattern means: a theme's term, or a cue that changes what the theme
/// terms of its clause say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Meaning {
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

/// Where a codebook entry is, for error messages.
struct Source<'a> {
    name: &'a str,
    src: &'a str,
}

impl Source<'_> {
    fn error(&self, line: usize, message: String) -> Error {
        Error::Dictionary {
            file: self.name.into(),
            line,
            message,
        }
    }

    /// The line of the first occurrence of `needle` (0 when absent).
    fn line_of(&self, needle: &str) -> usize {
        self.src
            .find(needle)
            .map_or(0, |i| self.src[..i].matches('\n').count() + 1)
    }
}

/// Compiles a codebook in the format of `dictionaries/themes.toml`, named `name` in errors.
pub(super) fn compile(name: &str, src: &str, normalizer: &Normalizer) -> Result<ThemeRules> {
    let at = Source { name, src };
    let file: File = toml::from_str(src).map_err(|e| {
        let line = e
            .span()
            .map_or(0, |s| src[..s.start].matches('\n').count() + 1);
        at.error(line, e.message().to_string())
    })?;
    let themes = theme_list(&at, &file)?;
    let mut yields_to = Vec::new();
    let mut yields_in_sentence = Vec::new();
    let mut sentence_yield_topics = Vec::new();
    for t in &file.themes {
        yields_to.push(resolve(&at, &themes, t, &t.yields_to)?);
        yields_in_sentence.push(resolve(&at, &themes, t, &t.yields_in_sentence_to)?);
        sentence_yield_topics.push(
            t.sentence_yield_topics
                .iter()
                .map(|x| normalizer.normalize_str(x))
                .collect(),
        );
    }
    let (automaton, meanings) = automaton(&at, &file, normalizer)?;
    let words = |list: &[String]| -> Vec<String> {
        list.iter()
            .map(|c| normalizer.normalize_str(c.trim()))
            .filter(|c| !c.is_empty())
            .collect()
    };
    Ok(ThemeRules {
        contrast: words(&file.cues.contrast),
        aimed_remedies: super::clause::AimedRemedies {
            words: words(&file.cues.aimed_remedy),
            remedied: words(&file.cues.remedied),
        },
        themes,
        yields_to,
        yields_in_sentence,
        sentence_yield_topics,
        automaton,
        meanings,
    })
}

/// The themes, with their ids checked.
fn theme_list(at: &Source, file: &File) -> Result<Vec<Theme>> {
    let mut themes: Vec<Theme> = Vec::new();
    for t in &file.themes {
        // The embedded codebook keeps the fixed ids (a test checks them); a researcher's own
        // codebook may define new themes, with ids that are safe CSV values and filter terms.
        let id_ok = t.id.starts_with(|c: char| c.is_ascii_lowercase())
            && t.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !id_ok || (at.name == THEMES_NAME && !THEME_IDS.contains(&t.id.as_str())) {
            return Err(at.error(
                at.line_of(&format!("\"{}\"", t.id)),
                format!(
                    "bad theme id {:?}: an id is lowercase ASCII letters, digits and _ \
                     (the default codebook's ids are {})",
                    t.id,
                    THEME_IDS.join(", ")
                ),
            ));
        }
        if themes.iter().any(|x| x.id == t.id) {
            return Err(at.error(
                at.line_of(&format!("\"{}\"", t.id)),
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
    Ok(themes)
}

/// Theme ids of a `yields_to` list → theme indices.
fn resolve(at: &Source, themes: &[Theme], t: &ThemeFile, list: &[String]) -> Result<Vec<usize>> {
    list.iter()
        .map(|y| {
            themes.iter().position(|x| x.id == *y).ok_or_else(|| {
                at.error(
                    at.line_of(&format!("\"{y}\"")),
                    format!("theme {:?} yields to unknown theme {y:?}", t.id),
                )
            })
        })
        .collect()
}

/// One automaton over every term of the file, and the meanings of each pattern.
fn automaton(
    at: &Source,
    file: &File,
    normalizer: &Normalizer,
) -> Result<(AhoCorasick, Vec<Vec<Meaning>>)> {
    let mut patterns: Vec<String> = Vec::new();
    let mut meanings: Vec<Vec<Meaning>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut add = |term: &str, meaning: Meaning| -> Result<()> {
        let key = normalizer.normalize_str(term.trim());
        if key.trim().is_empty() {
            return Err(at.error(at.line_of(term), "empty term".into()));
        }
        match index.get(&key) {
            Some(&i) => {
                if !meanings[i].contains(&meaning) {
                    meanings[i].push(meaning);
                }
            }
            None => {
                index.insert(key.clone(), patterns.len());
                patterns.push(key);
                meanings.push(vec![meaning]);
            }
        }
        Ok(())
    };
    let cues = &file.cues;
    let lists: [(&[String], Meaning); 7] = [
        (&cues.shortcoming, Meaning::Cue),
        (&cues.negation, Meaning::Negation),
        (&cues.measure, Meaning::Measure),
        (&cues.remedy, Meaning::Remedy),
        (&cues.frame, Meaning::Frame),
        (&file.parts.problems, Meaning::PartProblems),
        (&file.parts.measures, Meaning::PartMeasures),
    ];
    for (list, meaning) in lists {
        for term in list {
            add(term, meaning)?;
        }
    }
    for (i, t) in file.themes.iter().enumerate() {
        for p in &t.problem_terms {
            add(p, Meaning::Problem(i))?;
        }
        for p in &t.topic_terms {
            add(p, Meaning::Topic(i))?;
        }
    }
    // Overlapping matches: a clause needs every term in it, nested ones included. A DFA,
    // because it runs over every narrative sentence.
    let automaton = AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(&patterns)
        .map_err(|e| at.error(0, e.to_string()))?;
    Ok((automaton, meanings))
}
