//! Exact per-year counts: how many paragraphs and how many distinct reports match, per year.
//!
//! tantivy's `cardinality` aggregation is a HyperLogLog estimate, and researchers publish
//! these numbers, so gongkai counts with its own collector over two fast fields: `year` and
//! `report_ord` (a dense report number). Each segment marks the reports it sees in a bitset and
//! notes the first time it sees each; merging the segments keeps a report once, in its year.
//! The cost is a few nanoseconds per matching paragraph, and the answer is exact.
//!
//! What it does not do: it does not rank or fetch documents (the search does, in the same
//! pass).

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Years counted in slots: 0 for unknown, then 1990…2245.
const FIRST_YEAR: u64 = 1990;
const SLOTS: usize = 256;

fn slot(year: u64) -> usize {
    if year < FIRST_YEAR {
        0
    } else {
        ((year - FIRST_YEAR) as usize + 1).min(SLOTS - 1)
    }
}

fn year_of(slot: usize) -> u64 {
    if slot == 0 {
        0
    } else {
        FIRST_YEAR + slot as u64 - 1
    }
}

/// Paragraphs and distinct reports per year (year 0: unknown).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PerYear {
    /// Year → (reports, paragraphs).
    pub years: BTreeMap<u64, (u64, u64)>,
}

impl PerYear {
    /// Total distinct reports.
    pub fn reports(&self) -> u64 {
        self.years.values().map(|v| v.0).sum()
    }

    /// Total paragraphs.
    pub fn paragraphs(&self) -> u64 {
        self.years.values().map(|v| v.1).sum()
    }
}

/// Counts matching paragraphs and distinct reports per year; `reports` is the index's number
/// of report numbers handed out (the bitset's size).
#[derive(Clone, Copy, Debug)]
pub struct YearCollector {
    /// One more than the largest `report_ord` in the index.
    pub reports: u64,
}

/// A segment's share of the counts.
pub struct YearSegmentCollector {
    year: Column<u64>,
    ord: Column<u64>,
    seen: Vec<u64>,
    first_seen: Vec<(u64, u16)>,
    paragraphs: Vec<u64>,
    years_buf: Vec<Option<u64>>,
    ords_buf: Vec<Option<u64>>,
}

/// What one segment found.
pub struct SegmentCounts {
    first_seen: Vec<(u64, u16)>,
    paragraphs: Vec<u64>,
}

impl Collector for YearCollector {
    type Fruit = PerYear;
    type Child = YearSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<YearSegmentCollector> {
        Ok(YearSegmentCollector {
            year: reader.fast_fields().u64("year")?,
            ord: reader.fast_fields().u64("report_ord")?,
            seen: vec![0; (self.reports as usize).div_ceil(64) + 1],
            first_seen: Vec::new(),
            paragraphs: vec![0; SLOTS],
            years_buf: Vec::new(),
            ords_buf: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentCounts>) -> tantivy::Result<PerYear> {
        let mut seen = vec![0u64; (self.reports as usize).div_ceil(64) + 1];
        let mut reports = vec![0u64; SLOTS];
        let mut paragraphs = vec![0u64; SLOTS];
        for fruit in fruits {
            for (slot, n) in fruit.paragraphs.iter().enumerate() {
                paragraphs[slot] += n;
            }
            for (ord, slot) in fruit.first_seen {
                if mark(&mut seen, ord) {
                    reports[slot as usize] += 1;
                }
            }
        }
        let years = (0..SLOTS)
            .filter(|&s| paragraphs[s] > 0)
            .map(|s| (year_of(s), (reports[s], paragraphs[s])))
            .collect();
        Ok(PerYear { years })
    }
}

/// Sets bit `ord`; true when it was not set before (grows the set for an out-of-range number).
fn mark(seen: &mut Vec<u64>, ord: u64) -> bool {
    let (word, bit) = ((ord / 64) as usize, ord % 64);
    if word >= seen.len() {
        seen.resize(word + 1, 0);
    }
    let before = seen[word] & (1 << bit) != 0;
    seen[word] |= 1 << bit;
    !before
}

impl SegmentCollector for YearSegmentCollector {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let year = self.year.first(doc).unwrap_or(0);
        let slot = slot(year);
        self.paragraphs[slot] += 1;
        let ord = self.ord.first(doc).unwrap_or(0);
        if mark(&mut self.seen, ord) {
            self.first_seen.push((ord, slot as u16));
        }
    }

    /// The block form tantivy uses when no score is needed: the two columns are read for the
    /// whole block at once.
    fn collect_block(&mut self, docs: &[DocId]) {
        let n = docs.len();
        self.years_buf.resize(n, None);
        self.ords_buf.resize(n, None);
        self.year.first_vals(docs, &mut self.years_buf[..n]);
        self.ord.first_vals(docs, &mut self.ords_buf[..n]);
        for i in 0..n {
            let slot = slot(self.years_buf[i].unwrap_or(0));
            self.paragraphs[slot] += 1;
            let ord = self.ords_buf[i].unwrap_or(0);
            if mark(&mut self.seen, ord) {
                self.first_seen.push((ord, slot as u16));
            }
        }
    }

    fn harvest(self) -> SegmentCounts {
        SegmentCounts {
            first_seen: self.first_seen,
            paragraphs: self.paragraphs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_round_trip() {
        for y in [0, 1990, 2008, 2025, 2100] {
            assert_eq!(year_of(slot(y)), y);
        }
    }

    #[test]
    fn a_report_counts_once_across_segments() {
        let c = YearCollector { reports: 3 };
        let a = SegmentCounts {
            first_seen: vec![(0, slot(2010) as u16), (1, slot(2011) as u16)],
            paragraphs: {
                let mut v = vec![0; SLOTS];
                v[slot(2010)] = 4;
                v[slot(2011)] = 1;
                v
            },
        };
        let b = SegmentCounts {
            first_seen: vec![(0, slot(2010) as u16)],
            paragraphs: {
                let mut v = vec![0; SLOTS];
                v[slot(2010)] = 2;
                v
            },
        };
        let per = c.merge_fruits(vec![a, b]).expect("merge");
        assert_eq!(per.years.get(&2010), Some(&(1, 6)));
        assert_eq!(per.years.get(&2011), Some(&(1, 1)));
        assert_eq!(per.reports(), 2);
    }
}
