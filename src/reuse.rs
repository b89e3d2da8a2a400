//! Reuse: narrative paragraphs an agency copied from its own earlier reports.
//!
//! Agencies in this genre often file this year's report as last year's with the dates
//! changed. For every narrative paragraph we ask: does an *earlier* report (a smaller year) of
//! the *same agency* (the agency string as the title names it) contain the same paragraph —
//! exactly, after normalization, or nearly, by the Jaccard similarity of character 4-gram
//! shingles? Exact matches are found by a hash; near duplicates by comparing bottom-k MinHash
//! sketches (the 32 smallest shingle hashes, 256 bytes a paragraph; one hash per shingle, so
//! computing them costs little next to segmentation), which keeps the memory of a 100k-report
//! corpus in the hundreds of megabytes and the work per agency quadratic only in that agency's
//! own paragraphs.
//!
//! A paragraph's [`ParagraphSignature`] is computed in the parallel per-report stage; linking
//! needs the whole corpus and runs once afterwards ([`find_copies`]).
//!
//! What it does not do: it does not compare different agencies (a city copying the province's
//! wording is boilerplate, not self-reuse) and ignores paragraphs shorter than
//! [`MIN_CHARS`] characters, where coincidence is likely.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use serde::Serialize;

/// Paragraphs shorter than this (in characters, punctuation excluded) are not compared.
pub const MIN_CHARS: usize = 20;
/// Estimated Jaccard similarity from which a paragraph counts as copied.
pub const THRESHOLD: f32 = 0.7;
/// Size of the bottom-k sketch.
const HASHES: usize = 32;
const SHINGLE: usize = 4;

/// What is kept of a paragraph to find its copies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphSignature {
    /// Hash of the paragraph without punctuation and spaces (exact copies).
    pub exact: u64,
    /// Bottom-k sketch: the smallest distinct hashes of its character 4-gram shingles, sorted.
    pub sketch: Vec<u64>,
}

impl ParagraphSignature {
    /// The signature of a normalized narrative paragraph, `None` if it is too short.
    pub fn of(text: &str) -> Option<ParagraphSignature> {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !is_cjk_punct(*c))
            .collect();
        if chars.len() < MIN_CHARS {
            return None;
        }
        let mut exact = FNV_OFFSET;
        for c in &chars {
            exact = fnv(exact, *c);
        }
        let mut hashes: Vec<u64> = chars
            .windows(SHINGLE)
            .map(|w| splitmix(w.iter().fold(FNV_OFFSET, |h, c| fnv(h, *c))))
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        // A new vector of exactly the sketch's length: `truncate` would keep the capacity of
        // every shingle of the paragraph (kilobytes), and signatures live for the whole run.
        let sketch = hashes[..hashes.len().min(HASHES)].to_vec();
        Some(ParagraphSignature { exact, sketch })
    }

    /// Estimated Jaccard similarity of two paragraphs' shingle sets.
    pub fn similarity(&self, other: &ParagraphSignature) -> f32 {
        if self.exact == other.exact {
            return 1.0;
        }
        // Bottom-k estimator: of the k smallest hashes of the union, the share in both sets.
        let (a, b) = (&self.sketch, &other.sketch);
        let k = HASHES.min(a.len().max(b.len()));
        let (mut i, mut j, mut seen, mut both) = (0, 0, 0, 0);
        while seen < k && (i < a.len() || j < b.len()) {
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x == y => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x < y => i += 1,
                (Some(_), None) => i += 1,
                _ => j += 1,
            }
            seen += 1;
        }
        if seen == 0 {
            0.0
        } else {
            both as f32 / seen as f32
        }
    }
}

/// What the linker needs of one report.
#[derive(Clone, Debug)]
pub struct ReportSignatures {
    /// Agency as the title names it (reports without one are not linked).
    pub agency: Option<String>,
    /// Year reported on (reports without one are not linked).
    pub year: Option<u16>,
    /// One entry per narrative paragraph, in document order (`None`: too short to compare).
    pub paragraphs: Vec<Option<ParagraphSignature>>,
}

impl ReportSignatures {
    /// The signatures of a report's narrative paragraphs (document order), what copy linking
    /// needs of it.
    pub fn of(a: &crate::pipeline::Analysis) -> ReportSignatures {
        ReportSignatures {
            agency: a.metadata.agency.clone(),
            year: a.metadata.year,
            paragraphs: a
                .narrative()
                .map(|v| ParagraphSignature::of(&v.paragraph.text))
                .collect(),
        }
    }
}

/// Where a paragraph was copied from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CopyLink {
    /// Index of the source report in the slice given to [`find_copies`].
    pub report: usize,
    /// Index of the source paragraph among that report's narrative paragraphs.
    pub paragraph: usize,
    /// Year of the source report.
    pub year: u16,
    /// Estimated similarity (1.0 for an exact copy).
    pub similarity: f32,
    /// Whether the paragraphs are identical after normalization (punctuation ignored).
    pub exact: bool,
}

/// For every report and every narrative paragraph, the earlier paragraph of the same agency it
/// copies, if any. Ties go to the most similar, then the most recent earlier year.
pub fn find_copies<R: Borrow<ReportSignatures>>(reports: &[R]) -> Vec<Vec<Option<CopyLink>>> {
    let reports: Vec<&ReportSignatures> = reports.iter().map(Borrow::borrow).collect();
    let mut out: Vec<Vec<Option<CopyLink>>> = reports
        .iter()
        .map(|r| vec![None; r.paragraphs.len()])
        .collect();
    let mut by_agency: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        if let (Some(a), Some(_)) = (&r.agency, r.year) {
            by_agency.entry(a.as_str()).or_default().push(i);
        }
    }
    for members in by_agency.values() {
        for &i in members {
            let year = reports[i].year.unwrap_or(0);
            let earlier: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&j| reports[j].year.is_some_and(|y| y < year))
                .collect();
            if earlier.is_empty() {
                continue;
            }
            for (p, sig) in reports[i].paragraphs.iter().enumerate() {
                let Some(sig) = sig else { continue };
                let mut best: Option<CopyLink> = None;
                for &j in &earlier {
                    let y = reports[j].year.unwrap_or(0);
                    for (q, other) in reports[j].paragraphs.iter().enumerate() {
                        let Some(other) = other else { continue };
                        let sim = sig.similarity(other);
                        if sim < THRESHOLD {
                            continue;
                        }
                        let better = best.is_none_or(|b| {
                            sim > b.similarity || (sim == b.similarity && y > b.year)
                        });
                        if better {
                            best = Some(CopyLink {
                                report: j,
                                paragraph: q,
                                year: y,
                                similarity: sim,
                                exact: sig.exact == other.exact,
                            });
                        }
                    }
                }
                out[i][p] = best;
            }
        }
    }
    out
}

/// Reuse signatures of a whole run, kept in a temporary file instead of memory.
///
/// Linking needs every report's signatures before the first link is known, but it only ever
/// compares reports of one agency. So the store writes each report's signatures to an
/// anonymous temporary file as it arrives and keeps in memory only the agency, year and file
/// position of each report; [`SignatureStore::find_copies`] then reads back one agency's
/// reports at a time. Memory is that of the largest agency's series, not of the corpus, and
/// the links are exactly those [`find_copies`] computes over the same reports.
pub struct SignatureStore {
    file: BufWriter<std::fs::File>,
    written: u64,
    reports: Vec<StoredReport>,
}

/// What stays in memory of one stored report.
struct StoredReport {
    agency: Option<Box<str>>,
    year: Option<u16>,
    offset: u64,
    paragraphs: u32,
}

impl SignatureStore {
    /// A store backed by an anonymous temporary file (in `TMPDIR`), deleted by the system
    /// however the run ends.
    pub fn new() -> io::Result<SignatureStore> {
        Ok(SignatureStore {
            file: BufWriter::new(tempfile::tempfile()?),
            written: 0,
            reports: Vec::new(),
        })
    }

    /// Number of reports stored.
    pub fn len(&self) -> usize {
        self.reports.len()
    }

    /// Whether no report was stored.
    pub fn is_empty(&self) -> bool {
        self.reports.is_empty()
    }

    /// Stores one report's signatures; reports are numbered in the order they are pushed.
    pub fn push(&mut self, r: &ReportSignatures) -> io::Result<()> {
        let offset = self.written;
        // Record per paragraph: 0 (too short), or 1, the exact hash, the sketch length (≤ 32)
        // and the sketch, all little-endian.
        let mut buf = Vec::with_capacity(r.paragraphs.len() * (10 + 8 * HASHES));
        for p in &r.paragraphs {
            match p {
                None => buf.push(0),
                Some(sig) => {
                    buf.push(1);
                    buf.extend_from_slice(&sig.exact.to_le_bytes());
                    buf.push(sig.sketch.len() as u8);
                    for h in &sig.sketch {
                        buf.extend_from_slice(&h.to_le_bytes());
                    }
                }
            }
        }
        self.file.write_all(&buf)?;
        self.written += buf.len() as u64;
        self.reports.push(StoredReport {
            agency: r.agency.as_deref().map(Box::from),
            year: r.year,
            offset,
            paragraphs: u32::try_from(r.paragraphs.len()).unwrap_or(u32::MAX),
        });
        Ok(())
    }

    /// The links of every stored report, as [`find_copies`] would give them for the same
    /// reports in the same order (report indices are push order).
    pub fn find_copies(self) -> io::Result<Vec<Vec<Option<CopyLink>>>> {
        let file = self.file.into_inner().map_err(|e| e.into_error())?;
        let mut file = BufReader::new(file);
        let mut out: Vec<Vec<Option<CopyLink>>> = self
            .reports
            .iter()
            .map(|r| vec![None; r.paragraphs as usize])
            .collect();
        let mut by_agency: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in self.reports.iter().enumerate() {
            if let (Some(a), Some(_)) = (&r.agency, r.year) {
                by_agency.entry(a).or_default().push(i);
            }
        }
        for members in by_agency.values() {
            if members.len() < 2 {
                continue;
            }
            let mut group = Vec::with_capacity(members.len());
            for &i in members {
                group.push(read_report(&mut file, &self.reports[i])?);
            }
            for (k, links) in find_copies(&group).into_iter().enumerate() {
                out[members[k]] = links
                    .into_iter()
                    .map(|l| {
                        l.map(|l| CopyLink {
                            report: members[l.report],
                            ..l
                        })
                    })
                    .collect();
            }
        }
        Ok(out)
    }
}

/// Reads one stored report's signatures back.
fn read_report(
    file: &mut BufReader<std::fs::File>,
    r: &StoredReport,
) -> io::Result<ReportSignatures> {
    file.seek(SeekFrom::Start(r.offset))?;
    let mut paragraphs = Vec::with_capacity(r.paragraphs as usize);
    let mut word = [0u8; 8];
    for _ in 0..r.paragraphs {
        let mut tag = [0u8; 1];
        file.read_exact(&mut tag)?;
        if tag[0] == 0 {
            paragraphs.push(None);
            continue;
        }
        file.read_exact(&mut word)?;
        let exact = u64::from_le_bytes(word);
        file.read_exact(&mut tag)?;
        let mut sketch = Vec::with_capacity(usize::from(tag[0]));
        for _ in 0..tag[0] {
            file.read_exact(&mut word)?;
            sketch.push(u64::from_le_bytes(word));
        }
        paragraphs.push(Some(ParagraphSignature { exact, sketch }));
    }
    Ok(ReportSignatures {
        agency: r.agency.as_deref().map(String::from),
        year: r.year,
        paragraphs,
    })
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(h: u64, c: char) -> u64 {
    let mut h = h;
    let mut buf = [0u8; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(agency: &str, year: u16, paras: &[&str]) -> ReportSignatures {
        ReportSignatures {
            agency: Some(agency.into()),
            year: Some(year),
            paragraphs: paras.iter().map(|p| ParagraphSignature::of(p)).collect(),
        }
    }

    const P1: &str = "我局高度重视政府信息公开工作，成立了以局长为组长的信息公开工作领导小组，明确专人负责日常工作。";
    const P1_NEXT_YEAR: &str = "我局高度重视政府信息公开工作，成立了以局长为组长的信息公开工作领导小组，明确专人负责日常工作！";
    const P1_EDITED: &str = "2013年，我局高度重视政府信息公开工作，成立了以局长为组长的信息公开工作领导小组，明确专人负责日常工作。";
    const OTHER: &str =
        "本年度共受理政府信息公开申请三件，均在法定期限内予以答复，未发生行政复议和行政诉讼。";

    #[test]
    fn exact_and_near_copies_of_earlier_years_of_the_same_agency() {
        let reports = vec![
            report("某局", 2012, &[P1, OTHER]),
            report("某局", 2013, &[P1_NEXT_YEAR, P1_EDITED, "短段落"]),
            report("别的局", 2014, &[P1]),
            report("某局", 2011, &[OTHER]),
        ];
        let links = find_copies(&reports);
        let exact = links[1][0].expect("exact copy");
        assert!(exact.exact && exact.report == 0 && exact.year == 2012);
        let near = links[1][1].expect("near copy");
        assert!(
            !near.exact && near.report == 0 && near.similarity >= THRESHOLD,
            "{near:?}"
        );
        assert_eq!(links[1][2], None, "too short to compare");
        assert_eq!(links[2][0], None, "another agency is not self-reuse");
        let from_2011 = links[0][1].expect("2012 copies 2011");
        assert_eq!((from_2011.report, from_2011.year), (3, 2011));
        assert_eq!(links[3][0], None, "nothing earlier than 2011");
    }

    #[test]
    fn the_store_links_exactly_as_in_memory() {
        let reports = vec![
            report("某局", 2012, &[P1, OTHER]),
            report("某局", 2013, &[P1_NEXT_YEAR, P1_EDITED, "短段落"]),
            report("别的局", 2014, &[P1]),
            report("某局", 2011, &[OTHER]),
            report("别的局", 2015, &[P1_EDITED, OTHER]),
        ];
        let mut store = SignatureStore::new().expect("temp file");
        for r in &reports {
            store.push(r).expect("write");
        }
        assert_eq!(store.len(), reports.len());
        let stored = store.find_copies().expect("read back");
        assert_eq!(stored, find_copies(&reports));
        assert!(
            stored[4][0].is_some(),
            "the other agency's own copy is found too"
        );
    }

    #[test]
    fn a_sketch_holds_no_more_than_it_needs() {
        let long = P1.repeat(20);
        let sig = ParagraphSignature::of(&long).expect("long");
        assert_eq!(sig.sketch.len(), HASHES);
        assert_eq!(sig.sketch.capacity(), HASHES);
    }

    #[test]
    fn different_paragraphs_are_not_similar() {
        let a = ParagraphSignature::of(P1).expect("long");
        let b = ParagraphSignature::of(OTHER).expect("long");
        assert!(a.similarity(&b) < 0.3);
    }
}
