//! The structure rules file (`dictionaries/structure.toml`) compiled, and the heading grammar
//! built on it: markers (`一、`, `（二）`, `第三部分`), canonical headings of the genre's sections,
//! heading candidates.
//!
//! What it does not do: it decides nothing about paragraphs; `lines` and `sections` ask it.

use super::*;

impl StructureRules {
    /// Rules from a TOML document in the format of `dictionaries/structure.toml`.
    pub fn from_toml(name: &str, src: &str) -> Result<StructureRules> {
        let file: RulesFile = toml::from_str(src).map_err(|e| {
            let line = e
                .span()
                .map_or(0, |s| src[..s.start].matches('\n').count() + 1);
            Error::Dictionary {
                file: name.into(),
                line,
                message: e.message().to_string(),
            }
        })?;
        let compile = |p: &str| {
            Regex::new(p).map_err(|e| rules_error(format!("bad regular expression {p:?}: {e}")))
        };
        let endings = file
            .title
            .endings
            .iter()
            .map(|e| regex::escape(e))
            .collect::<Vec<_>>()
            .join("|");
        let title = compile(&format!(
            r"^[^。，；：！？]{{0,40}}?(?:19|20)\d{{2}}\s*年\s*度?[^。，；：！？]{{0,40}}?(?:{endings})"
        ))?;
        Ok(StructureRules {
            sections: file
                .sections
                .into_iter()
                .map(|r| (r.kind, r.phrases))
                .collect(),
            unnumbered_max: file.unnumbered.max_chars,
            unnumbered: file.unnumbered.phrases,
            heading_endings: file.heading_endings.phrases,
            problems_cues: file.problems_cues.phrases,
            title,
            title_max: file.title.max_chars,
            debris_lines: regex::RegexSet::new(&file.debris.lines).map_err(|e| {
                rules_error(format!("bad regular expression in [debris] lines: {e}"))
            })?,
            nav_prefixes: file.debris.nav_prefixes,
            nav_cut_markers: file.debris.nav_cut_markers,
            nav_cut_window: file.debris.nav_cut_window,
            signature: compile(&format!(
                r"^[^。，；]{{0,{}}}?(?:(?:19|20)\d{{2}}|[〇零○一二三四五六七八九]{{4}})年[0-9一二三四五六七八九十元]{{1,3}}月[0-9一二三四五六七八九十]{{1,3}}日[^。，；]{{0,40}}$",
                file.debris.signature_max_chars
            ))?,
            marker: compile(
                r"^(?:(?P<l1>[一二三四五六七八九十]{1,3})\s*[、.．]|第(?P<part>[一二三四五六七八九十]{1,3})(?:部分|章)|[（(]\s*(?P<l2>[一二三四五六七八九十]{1,3})\s*[）)]|(?P<l3>\d{1,2})\s*(?:[、．]|\.(?:[^\d]|$))|[（(]\s*(?P<l4>\d{1,2})\s*[）)])",
            )?,
        })
    }

    /// The canonical kind a heading's text names, if any.
    pub fn kind_of_heading(&self, heading: &str) -> Option<SectionKind> {
        self.sections
            .iter()
            .find(|(_, phrases)| phrases.iter().any(|p| heading.contains(p.as_str())))
            .map(|(k, _)| *k)
    }

    /// Parses a heading marker at the start of `s`: (level, number, marker byte length).
    pub(super) fn marker(&self, s: &str) -> Option<(u8, u32, usize)> {
        // Most text starts with no marker at all: decide that without the regex engine.
        if !s.starts_with(MARKER_STARTS) {
            return None;
        }
        let c = self.marker.captures(s)?;
        let whole = c.get(0)?;
        let (level, num) = if let Some(m) = c.name("l1").or_else(|| c.name("part")) {
            (1, chinese_numeral(m.as_str())?)
        } else if let Some(m) = c.name("l2") {
            (2, chinese_numeral(m.as_str())?)
        } else if let Some(m) = c.name("l3") {
            (3, m.as_str().parse().ok()?)
        } else {
            (4, c.name("l4")?.as_str().parse().ok()?)
        };
        // `1.x` matched one character past the dot; do not swallow it.
        let mut len = whole.end();
        if c.name("l3").is_some() && whole.as_str().contains('.') && !whole.as_str().ends_with('.')
        {
            len = whole.as_str().find('.').map_or(len, |i| i + 1);
        }
        Some((level, num, len))
    }

    /// Byte length of the longest canonical section heading (`收到和处理政府信息公开申请情况`)
    /// at the start of `body`, before any punctuation, when it is followed by more text.
    pub(super) fn canonical_heading_len(&self, body: &str) -> Option<usize> {
        let mut cut = None;
        // `存在的主要问题及改进措施` may end at 问题 or 措施: take the longest, but an ending seen
        // twice (`其他需要报告的事项无其他需要报告的事项`) means the text went on.
        let mut used: Vec<&str> = Vec::new();
        for (i, c) in body.char_indices().take(CANONICAL_HEADING_MAX_CHARS) {
            if matches!(c, '。' | '，' | '；' | '：') {
                break;
            }
            let head = &body[..i + c.len_utf8()];
            let rest = &body[head.len()..];
            let Some(ending) = self
                .heading_endings
                .iter()
                .find(|e| head.ends_with(e.as_str()))
            else {
                continue;
            };
            if used.contains(&ending.as_str()) {
                break;
            }
            if !rest.starts_with(CONTINUATION)
                && !rest.starts_with(' ')
                && self.kind_of_heading(head).is_some()
            {
                used.push(ending);
                cut = Some(head.len());
            }
        }
        cut
    }

    /// Whether `s` starts with a top-level marker and a canonical heading: such a heading
    /// starts a paragraph even in the middle of a run-together line (`…收费18651.06三、收到和
    /// 处理政府信息公开申请情况…`).
    pub(super) fn starts_canonical_l1(&self, s: &str) -> bool {
        match self.marker(s) {
            Some((1, _, len)) => self.canonical_heading_len(s[len..].trim_start()).is_some(),
            _ => false,
        }
    }

    pub(super) fn is_marker_only(&self, s: &str) -> bool {
        self.marker(s)
            .is_some_and(|(_, _, len)| s[len..].trim().is_empty())
    }

    /// A numbered heading as it looks before its paragraph started: marker, a short text, no
    /// sentence punctuation, not ending in a digit (table rows do).
    pub(super) fn is_heading_candidate(&self, s: &str) -> bool {
        let Some((_, _, len)) = self.marker(s) else {
            return false;
        };
        let body = s[len..].trim();
        let n = body.chars().count();
        HEADING_CANDIDATE_CHARS.contains(&n)
            && !body.contains(['。', '，', '；', '：', '！', '？'])
            && !body.ends_with(|c: char| c.is_ascii_digit() || OPENERS.contains(&c))
    }

    /// `五、存在的主要问题及改进情况`: a complete top-level heading of a canonical section.
    pub(super) fn is_canonical_l1(&self, s: &str) -> bool {
        match self.marker(s) {
            Some((1, _, len)) if self.is_heading_candidate(s) => {
                let body = s[len..].trim();
                self.kind_of_heading(body).is_some()
                    && self
                        .heading_endings
                        .iter()
                        .any(|e| body.ends_with(e.as_str()))
            }
            _ => false,
        }
    }

    pub(super) fn is_unnumbered_heading(&self, s: &str) -> bool {
        let s = s.trim();
        s.chars().count() <= self.unnumbered_max
            && !s.contains(['。', '，', '；', '！', '？'])
            && self.unnumbered.iter().any(|p| s.contains(p.as_str()))
    }

    // ---------------------------------------------------------------------------------------
    // Title and signature.
}
