//! Running a search: hits that point into the original files, and exact per-year counts.
//!
//! A search is one pass over the matching paragraphs with two collectors: the top hits by
//! score, and [`YearCollector`] for the counts. Denominators (reports indexed per year) come
//! from the report documents the same way. Each hit is then rebuilt from its stored fields:
//! the matches of the query's terms are found again in the stored normalized text (exactly
//! what the bigram query matched), and mapped through the stored offset anchors to character
//! offsets of the original file, with the matched text as the original has it.
//!
//! What it does not do: no snippet scoring (the sentence holding the first match is the
//! snippet), no approximate counts.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument, Term};

use super::counts::{PerYear, YearCollector};
use super::doc::{CopiedParagraph, ParagraphData, ReportData};
use super::query::{Filters, ParsedQuery, build};
use super::schema::{Fields, KIND_REPORT};
use super::tokens::fold;
use super::writer::{IndexHandle, error};
use crate::error::Result;
use crate::pipeline::Analyzer;

/// An index opened for searching.
pub struct SearchIndex {
    handle: IndexHandle,
    reader: IndexReader,
}

/// One match of the query in a hit.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Match {
    /// The matched text as the original file has it (its own script).
    pub text: String,
    /// Original character offset where it starts.
    pub start: usize,
    /// Original character offset where it ends.
    pub end: usize,
    /// Byte range in the hit's normalized paragraph text.
    #[serde(skip)]
    pub normalized: Range<usize>,
}

/// A matching paragraph.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// The report file as it was indexed.
    pub path: String,
    /// Agency.
    pub agency: Option<String>,
    /// Year reported on.
    pub year: Option<u16>,
    /// Province.
    pub province: Option<String>,
    /// Level id.
    pub level: Option<String>,
    /// Section kind id.
    pub section: String,
    /// Ordinal among the report's narrative paragraphs.
    pub paragraph: u64,
    /// Original character offsets of the whole paragraph.
    pub paragraph_start: usize,
    /// End of the paragraph.
    pub paragraph_end: usize,
    /// The sentence shown (normalized), holding the first match.
    pub sentence: String,
    /// Original character offsets of that sentence.
    pub sentence_start: usize,
    /// End of the sentence.
    pub sentence_end: usize,
    /// Matches in the sentence's paragraph, in order.
    pub matches: Vec<Match>,
    /// Themes the paragraph admits.
    pub themes: Vec<String>,
    /// Themes it promises to address.
    pub measures: Vec<String>,
    /// Formulae in it.
    pub formulas: Vec<String>,
    /// The earlier report of the same agency this paragraph was copied from, if any.
    pub copied_from: Option<CopiedParagraph>,
    /// The report's content hash.
    pub report_id: String,
    /// Relevance (BM25 over words; equal for all hits of a query without terms).
    pub score: f32,
    /// The normalized paragraph text.
    #[serde(skip)]
    pub text: String,
    /// Byte range of the shown sentence in `text`.
    #[serde(skip)]
    pub sentence_range: Range<usize>,
}

/// Counts for one year.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct YearCount {
    /// The year (`None`: reports whose year is unknown).
    pub year: Option<u16>,
    /// Distinct reports with a matching paragraph.
    pub reports: u64,
    /// Matching paragraphs.
    pub paragraphs: u64,
    /// Reports of that year in the index.
    pub reports_indexed: u64,
    /// reports / reports_indexed.
    pub share: f64,
}

/// What a search found.
#[derive(Clone, Debug)]
pub struct SearchResults {
    /// The best hits, best first (or every hit, in index order, with `all`).
    pub hits: Vec<Hit>,
    /// Counts for every year the index holds, in year order (unknown last).
    pub years: Vec<YearCount>,
    /// Matching paragraphs in all.
    pub total_paragraphs: u64,
    /// Matching reports in all.
    pub total_reports: u64,
}

/// How many hits to return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// The best n.
    Top(usize),
    /// Every hit, in the order reports were indexed.
    All,
}

impl SearchIndex {
    /// Opens the index in `dir` for searching with `analyzer` (whose fingerprint must be the
    /// index's).
    pub fn open(dir: &std::path::Path, analyzer: &Analyzer) -> Result<SearchIndex> {
        let mut handle = IndexHandle::open(dir, analyzer)?;
        // Segments are searched in parallel; a single segment gains nothing, and that is fine.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 {
            handle
                .index
                .set_multithread_executor(threads)
                .map_err(|e| error(dir, e.to_string()))?;
        }
        let reader = handle.reader()?;
        Ok(SearchIndex { handle, reader })
    }

    /// The fields.
    pub fn fields(&self) -> &Fields {
        &self.handle.fields
    }

    /// The index handle.
    pub fn handle(&self) -> &IndexHandle {
        &self.handle
    }

    /// Runs a query with filters.
    pub fn search(
        &self,
        query: &ParsedQuery,
        filters: &Filters,
        limit: Limit,
        analyzer: &Analyzer,
    ) -> Result<SearchResults> {
        let dir = &self.handle.dir;
        let fields = &self.handle.fields;
        let searcher = self.reader.searcher();
        let q = build(query, filters, fields, analyzer)?;
        let counter = YearCollector {
            reports: self.handle.payload.next_report_ord,
        };
        let (addresses, per_year): (Vec<(f32, DocAddress)>, PerYear) = match limit {
            // Counts only: no scores, so tantivy hands the collector whole blocks.
            Limit::Top(0) => (
                Vec::new(),
                searcher
                    .search(&*q, &counter)
                    .map_err(|e| error(dir, e.to_string()))?,
            ),
            Limit::Top(n) => {
                let (ranked, per) = searcher
                    .search(&*q, &(top_by_score(n), counter))
                    .map_err(|e| error(dir, e.to_string()))?;
                let ranked = ranked.into_iter().map(|(k, a)| (k.0, a)).collect();
                (ranked, per)
            }
            Limit::All => {
                let per = searcher
                    .search(&*q, &counter)
                    .map_err(|e| error(dir, e.to_string()))?;
                (self.all_in_order(&searcher, &*q)?, per)
            }
        };
        let indexed = self.reports_per_year(&searcher)?;
        let mut hits = Vec::with_capacity(addresses.len());
        let mut copies: HashMap<String, Vec<CopiedParagraph>> = HashMap::new();
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| error(dir, e.to_string()))?;
            let mut hit = self.hit(&doc, score, query, filters);
            if !copies.contains_key(&hit.report_id) {
                let copied = self.report(&searcher, &hit.report_id)?.map(|r| r.copied);
                copies.insert(hit.report_id.clone(), copied.unwrap_or_default());
            }
            hit.copied_from = copies[&hit.report_id]
                .iter()
                .find(|c| u64::from(c.paragraph) == hit.paragraph)
                .cloned();
            hits.push(hit);
        }
        let years = year_counts(&indexed, &per_year, filters);
        Ok(SearchResults {
            hits,
            total_paragraphs: per_year.paragraphs(),
            total_reports: per_year.reports(),
            years,
        })
    }

    /// The stored record of the report with content hash `report_id`.
    pub fn report(&self, searcher: &Searcher, report_id: &str) -> Result<Option<ReportData>> {
        let f = &self.handle.fields;
        let dir = &self.handle.dir;
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.kind, KIND_REPORT),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.report_id, report_id),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let found = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| error(dir, e.to_string()))?;
        let Some((_, address)) = found.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher
            .doc(*address)
            .map_err(|e| error(dir, e.to_string()))?;
        Ok(doc
            .get_first(f.report)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok()))
    }

    /// Reports indexed per year.
    pub fn reports_per_year(&self, searcher: &Searcher) -> Result<PerYear> {
        let q = TermQuery::new(
            Term::from_field_text(self.handle.fields.kind, KIND_REPORT),
            IndexRecordOption::Basic,
        );
        searcher
            .search(
                &q,
                &YearCollector {
                    reports: self.handle.payload.next_report_ord,
                },
            )
            .map_err(|e| error(&self.handle.dir, e.to_string()))
    }

    /// Every match, ordered as the reports were indexed and paragraphs as they stand.
    fn all_in_order(&self, searcher: &Searcher, q: &dyn Query) -> Result<Vec<(f32, DocAddress)>> {
        let dir = &self.handle.dir;
        let found = searcher
            .search(q, &DocSetCollector)
            .map_err(|e| error(dir, e.to_string()))?;
        let mut keyed = Vec::with_capacity(found.len());
        let mut columns = Vec::new();
        for reader in searcher.segment_readers() {
            let ff = reader.fast_fields();
            columns.push((
                ff.u64("report_ord")
                    .map_err(|e| error(dir, e.to_string()))?,
                ff.u64("paragraph").map_err(|e| error(dir, e.to_string()))?,
            ));
        }
        for address in found {
            let (ord, para) = &columns[address.segment_ord as usize];
            let key = (
                ord.first(address.doc_id).unwrap_or(0),
                para.first(address.doc_id).unwrap_or(0),
            );
            keyed.push((key, address));
        }
        keyed.sort_unstable_by_key(|(key, a)| (*key, a.segment_ord, a.doc_id));
        Ok(keyed.into_iter().map(|(_, a)| (1.0, a)).collect())
    }

    /// A hit from its stored document.
    //
    // Long because it is a mapping: stored fields to `Hit` fields, one line each; what to
    // mark and which sentence to show are their own functions.
    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        query: &ParsedQuery,
        filters: &Filters,
    ) -> Hit {
        let f = &self.handle.fields;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let all_of = |field| {
            doc.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        };
        let u64_of = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let text = text_of(f.text);
        let original = text_of(f.original);
        let data: ParagraphData = serde_json::from_str(&text_of(f.data)).unwrap_or_default();
        let paragraph_start = u64_of(f.start) as usize;
        let paragraph_end = u64_of(f.end) as usize;
        let none_if_empty = |s: String| if s.is_empty() { None } else { Some(s) };

        let (merged, shown_sentence) = marked_ranges(&text, &data, query, filters);
        let sentence_range = shown_sentence_range(&data, shown_sentence, &merged, text.len());
        let original_chars: Vec<char> = original.chars().collect();
        let original_text = |r: &Range<usize>| -> String {
            let from = r
                .start
                .saturating_sub(paragraph_start)
                .min(original_chars.len());
            let to = r
                .end
                .saturating_sub(paragraph_start)
                .clamp(from, original_chars.len());
            original_chars[from..to].iter().collect()
        };
        let matches = merged
            .into_iter()
            .map(|r| {
                let orig = data.to_original(&text, r.clone());
                Match {
                    text: original_text(&orig),
                    start: orig.start,
                    end: orig.end,
                    normalized: r,
                }
            })
            .collect();
        let sentence_orig = data.to_original(&text, sentence_range.clone());
        let year = u64_of(f.year);
        Hit {
            path: text_of(f.path),
            agency: none_if_empty(text_of(f.agency)),
            year: u16::try_from(year).ok().filter(|y| *y > 0),
            province: none_if_empty(text_of(f.province)),
            level: none_if_empty(text_of(f.level)),
            section: text_of(f.section),
            paragraph: u64_of(f.paragraph),
            paragraph_start,
            paragraph_end,
            sentence: text
                .get(sentence_range.clone())
                .unwrap_or_default()
                .to_string(),
            sentence_start: sentence_orig.start,
            sentence_end: sentence_orig.end,
            matches,
            themes: all_of(f.themes),
            measures: all_of(f.measures),
            formulas: all_of(f.formulas),
            copied_from: None,
            report_id: text_of(f.report_id),
            score,
            text,
            sentence_range,
        }
    }
}

/// Per year: reports and paragraphs matching, next to the reports indexed, for every year
/// the index holds (inside the year filter), unknown year last.
fn year_counts(indexed: &PerYear, matching: &PerYear, filters: &Filters) -> Vec<YearCount> {
    let mut years = Vec::new();
    for (&year, &(reports_indexed, _)) in &indexed.years {
        // With a year filter, the years outside it are not part of the answer.
        if let Some((from, to)) = filters.years
            && !(u64::from(from)..=u64::from(to)).contains(&year)
        {
            continue;
        }
        let (reports, paragraphs) = matching.years.get(&year).copied().unwrap_or((0, 0));
        years.push(YearCount {
            year: u16::try_from(year).ok().filter(|y| *y > 0),
            reports,
            paragraphs,
            reports_indexed,
            share: if reports_indexed == 0 {
                0.0
            } else {
                reports as f64 / reports_indexed as f64
            },
        });
    }
    years.sort_by_key(|y| (y.year.is_none(), y.year));
    years
}

/// What a hit marks, as merged byte ranges of the paragraph's normalized text: the query's
/// terms, else the evidence of a theme or formula filter. With a theme filter, also the
/// sentence whose evidence it is.
fn marked_ranges(
    text: &str,
    data: &ParagraphData,
    query: &ParsedQuery,
    filters: &Filters,
) -> (Vec<Range<usize>>, Option<usize>) {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let folded = fold(text);
    for item in query.positive_items() {
        let needle = fold(&item.text);
        ranges.extend(
            folded
                .match_indices(&needle)
                .map(|(at, m)| at..at + m.len()),
        );
    }
    let mut shown_sentence = None;
    if ranges.is_empty() {
        let wanted = filters
            .theme
            .as_ref()
            .map(|t| (t, true))
            .or(filters.measure.as_ref().map(|t| (t, false)));
        if let Some((theme, problem)) = wanted {
            for (id, is_problem, sentence, evidence) in &data.themes {
                if id == theme && *is_problem == problem {
                    shown_sentence.get_or_insert(*sentence as usize);
                    ranges.extend(evidence.iter().map(|(s, e)| *s as usize..*e as usize));
                }
            }
        } else if let Some(formula) = &filters.formula {
            for (id, s, e) in &data.formulas {
                if id == formula {
                    ranges.push(*s as usize..*e as usize);
                }
            }
        }
    }
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    // Merge overlapping and touching ranges: 信息 + 公开 mark as one 信息公开.
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    (merged, shown_sentence)
}

/// The sentence a hit shows: the theme's own sentence, else the one holding the first mark,
/// else the paragraph's first sentence (the whole paragraph if it has none).
fn shown_sentence_range(
    data: &ParagraphData,
    shown: Option<usize>,
    marks: &[Range<usize>],
    text_len: usize,
) -> Range<usize> {
    let sentences: Vec<Range<usize>> = data
        .sentences
        .iter()
        .map(|(s, e)| *s as usize..*e as usize)
        .collect();
    shown
        .and_then(|i| sentences.get(i).cloned())
        .or_else(|| {
            let first = marks.first()?;
            sentences
                .iter()
                .find(|s| s.start <= first.start && first.start < s.end)
                .cloned()
        })
        .or_else(|| sentences.first().cloned())
        .unwrap_or(0..text_len)
}

/// The sort key of a ranked hit: score, then (on a tie) input order.
type RankKey = (f32, std::cmp::Reverse<(u64, u64)>);

/// The `n` best-scoring paragraphs, equal scores in the order the reports were indexed and
/// paragraphs stand in them. Tantivy alone breaks ties by document address, which depends on
/// how the writer's threads happened to split the documents into segments, so two builds of
/// the same index listed tied hits in different orders.
fn top_by_score(
    n: usize,
) -> impl tantivy::collector::Collector<Fruit = Vec<(RankKey, DocAddress)>> {
    TopDocs::with_limit(n).tweak_score(|segment: &tantivy::SegmentReader| {
        let ff = segment.fast_fields();
        // Both columns exist in every index of this schema; a missing one only loses the
        // tie-break, never a hit.
        let ord = ff.u64("report_ord").ok();
        let para = ff.u64("paragraph").ok();
        move |doc: tantivy::DocId, score: tantivy::Score| {
            let key = |c: &Option<tantivy::columnar::Column<u64>>| {
                c.as_ref().and_then(|c| c.first(doc)).unwrap_or(0)
            };
            (score, std::cmp::Reverse((key(&ord), key(&para))))
        }
    })
}
