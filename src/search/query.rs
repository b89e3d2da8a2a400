//! The query language and filters, turned into tantivy queries.
//!
//! ```text
//! 无专职人员 兼职          both required (anywhere in the paragraph)
//! "公开为原则，不公开为例外"  an exact phrase, punctuation included
//! 网站 OR 平台             either
//! 政策解读 -新闻发布会      the first, but not the second
//! ```
//!
//! Every term and phrase goes through the same normalizer as the reports, so 政策解讀 finds
//! 政策解读 and full-width digits fold. A term or phrase of two or more characters matches a
//! paragraph exactly when the paragraph's normalized text contains it (a phrase query over the
//! character-bigram field), so counts never depend on how jieba cut a word. A one-character
//! term matches that word as the segmenter cut it. The words of the query (segmented like the
//! reports) rank the hits by BM25 over the word field.
//!
//! What it does not do: no wildcards, no proximity, no field syntax in the query string
//! (filters are flags: [`Filters`]).

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;

use super::schema::{Fields, KIND_PARAGRAPH};
use super::tokens::{bigram_cover, fold};
use crate::error::{Error, Result};
use crate::pipeline::Analyzer;

/// One searchable item: a term or a quoted phrase (normalized).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The normalized text.
    pub text: String,
    /// Whether it was quoted.
    pub quoted: bool,
}

/// A required group of alternatives (`a OR b`), or an excluded item (`-a`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// The alternatives; one for a plain term.
    pub items: Vec<Item>,
    /// `-term`: paragraphs containing it are left out.
    pub excluded: bool,
}

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Clauses, all of which must hold.
    pub clauses: Vec<Clause>,
}

impl ParsedQuery {
    /// Parses `query`, normalizing each term with the analyzer's normalizer.
    //
    // One function on purpose: a small hand-written scanner (quotes, OR, exclusions, half- and
    // full-width signs) whose states are easier to check read top to bottom than split.
    pub fn parse(query: &str, analyzer: &Analyzer) -> Result<ParsedQuery> {
        let err = |message: &str| Error::Query {
            query: query.to_string(),
            message: message.to_string(),
        };
        let mut raw: Vec<(String, bool, bool)> = Vec::new(); // (text, quoted, excluded)
        let mut or_next = Vec::new(); // for each raw item: joined to the previous by OR
        let mut chars = query.chars().peekable();
        let mut pending_or = false;
        loop {
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            let Some(&c) = chars.peek() else { break };
            let mut excluded = false;
            if c == '-' || c == '－' {
                chars.next();
                excluded = true;
            }
            let item = match chars.peek() {
                Some('"') | Some('“') | Some('”') | Some('「') => {
                    let open = chars.next();
                    let mut s = String::new();
                    let mut closed = false;
                    for c in chars.by_ref() {
                        if c == '"' || c == '”' || c == '“' || c == '」' {
                            closed = true;
                            break;
                        }
                        s.push(c);
                    }
                    if !closed {
                        return Err(err(&format!(
                            "the quote {} is not closed",
                            open.unwrap_or('"')
                        )));
                    }
                    (s, true)
                }
                _ => {
                    let mut s = String::new();
                    while let Some(&c) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        s.push(c);
                        chars.next();
                    }
                    (s, false)
                }
            };
            if !item.1 && !excluded && item.0 == "OR" {
                if raw.is_empty() || pending_or {
                    return Err(err("OR needs a term on each side"));
                }
                pending_or = true;
                continue;
            }
            if excluded && pending_or {
                return Err(err("OR cannot join an excluded term; write -a -b"));
            }
            let text = analyzer.normalizer().normalize_str(item.0.trim());
            if text.trim().is_empty() {
                if excluded {
                    return Err(err("a lone - excludes nothing; write -term"));
                }
                continue;
            }
            raw.push((text, item.1, excluded));
            or_next.push(pending_or);
            pending_or = false;
        }
        if pending_or {
            return Err(err("OR needs a term on each side"));
        }
        let mut clauses: Vec<Clause> = Vec::new();
        for ((text, quoted, excluded), joined) in raw.into_iter().zip(or_next) {
            let item = Item { text, quoted };
            match clauses.last_mut() {
                Some(last) if joined => last.items.push(item),
                _ => clauses.push(Clause {
                    items: vec![item],
                    excluded,
                }),
            }
        }
        Ok(ParsedQuery { clauses })
    }

    /// Whether the query has nothing to match (filters only).
    pub fn is_empty(&self) -> bool {
        !self.clauses.iter().any(|c| !c.excluded)
    }

    /// The items that mark matches in a hit (excluded ones do not).
    pub fn positive_items(&self) -> impl Iterator<Item = &Item> {
        self.clauses
            .iter()
            .filter(|c| !c.excluded)
            .flat_map(|c| &c.items)
    }
}

/// Filters on paragraphs, all of which must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Inclusive year range.
    pub years: Option<(u16, u16)>,
    /// Agency name contains this (normalized).
    pub agency: Option<String>,
    /// Province name contains this (normalized).
    pub province: Option<String>,
    /// Level id.
    pub level: Option<String>,
    /// Section kind id.
    pub section: Option<String>,
    /// Theme id the paragraph admits.
    pub theme: Option<String>,
    /// Theme id the paragraph promises to address.
    pub measure: Option<String>,
    /// Formula id found in the paragraph.
    pub formula: Option<String>,
    /// The user's metadata: `column=value` pairs that must all hold.
    pub meta: Vec<String>,
}

/// Parses a year filter: `2014`, `2010..2014`, `2010..`, `..2014` (inclusive).
pub fn parse_years(s: &str) -> std::result::Result<(u16, u16), String> {
    let year = |t: &str| -> std::result::Result<u16, String> {
        t.trim()
            .parse::<u16>()
            .ok()
            .filter(|y| (1900..=2999).contains(y))
            .ok_or_else(|| format!("{t:?} is not a year; use 2014 or 2010..2014"))
    };
    let (from, to) = match s.split_once("..") {
        Some((a, b)) => (
            if a.trim().is_empty() { 1900 } else { year(a)? },
            if b.trim().is_empty() {
                2999
            } else {
                year(b.trim_start_matches('='))?
            },
        ),
        None => {
            let y = year(s)?;
            (y, y)
        }
    };
    if from > to {
        return Err(format!("{s:?}: the first year is after the last"));
    }
    Ok((from, to))
}

/// Builds the tantivy query of a parsed query and filters (paragraph documents only).
//
// Long because it is a list: one short block per filter flag, each adding one clause.
pub fn build(
    query: &ParsedQuery,
    filters: &Filters,
    fields: &Fields,
    analyzer: &Analyzer,
) -> Result<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, term_query(fields.kind, KIND_PARAGRAPH))];
    for clause in &query.clauses {
        let mut alternatives: Vec<Box<dyn Query>> = clause
            .items
            .iter()
            .map(|item| item_query(item, fields, analyzer))
            .collect();
        if clause.excluded {
            for q in alternatives {
                clauses.push((Occur::MustNot, q));
            }
        } else if alternatives.len() == 1 {
            clauses.push((Occur::Must, alternatives.remove(0)));
        } else {
            let any = alternatives
                .into_iter()
                .map(|q| (Occur::Should, q))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
    }
    // Ranking: the query's own words, BM25 over the word field.
    for item in query.positive_items() {
        for w in analyzer.segmenter().words(&item.text) {
            let word = fold(&item.text[w]);
            if word.chars().any(|c| c.is_alphanumeric()) {
                clauses.push((Occur::Should, term_query(fields.words, &word)));
            }
        }
    }
    let dir = std::path::Path::new("");
    let regex = |field, value: &str| -> Result<Box<dyn Query>> {
        let pattern = format!(".*{}.*", regex_escape(value));
        RegexQuery::from_pattern(&pattern, field)
            .map(|q| Box::new(q) as Box<dyn Query>)
            .map_err(|e| super::writer::error(dir, e.to_string()))
    };
    if let Some((from, to)) = filters.years {
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(fields.year, u64::from(from))),
                Bound::Included(Term::from_field_u64(fields.year, u64::from(to))),
            )),
        ));
    }
    if let Some(agency) = &filters.agency {
        clauses.push((Occur::Must, regex(fields.agency, agency)?));
    }
    if let Some(province) = &filters.province {
        clauses.push((Occur::Must, regex(fields.province, province)?));
    }
    for (field, value) in [
        (fields.level, &filters.level),
        (fields.section, &filters.section),
        (fields.themes, &filters.theme),
        (fields.measures, &filters.measure),
        (fields.formulas, &filters.formula),
    ] {
        if let Some(v) = value {
            clauses.push((Occur::Must, term_query(field, v)));
        }
    }
    for pair in &filters.meta {
        clauses.push((Occur::Must, term_query(fields.meta, pair)));
    }
    if clauses.len() == 1 {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The query of one term or phrase: an exact substring over bigrams (two characters or more),
/// the word itself for one character.
fn item_query(item: &Item, fields: &Fields, analyzer: &Analyzer) -> Box<dyn Query> {
    let cover = bigram_cover(&item.text);
    match cover.len() {
        0 => {
            let word = analyzer
                .segmenter()
                .words(&item.text)
                .first()
                .map(|w| fold(&item.text[w.clone()]))
                .unwrap_or_else(|| fold(&item.text));
            term_query(fields.words, &word)
        }
        1 => term_query(fields.bigrams, &cover[0].1),
        _ => Box::new(PhraseQuery::new_with_offset(
            cover
                .into_iter()
                .map(|(offset, bigram)| (offset, Term::from_field_text(fields.bigrams, &bigram)))
                .collect(),
        )),
    }
}

fn term_query(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

/// Escapes the characters that are special in tantivy's regular expressions.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"<>@".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(parse_years("2014"), Ok((2014, 2014)));
        assert_eq!(parse_years("2010..2014"), Ok((2010, 2014)));
        assert_eq!(parse_years("2010.."), Ok((2010, 2999)));
        assert_eq!(parse_years("..2014"), Ok((1900, 2014)));
        assert!(parse_years("2014..2010").is_err());
        assert!(parse_years("recent").is_err());
    }
}
