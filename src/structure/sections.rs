//! Paragraphs to sections: take the title and the signature off, give every paragraph its
//! role (narrative, heading, table, other), group paragraphs under canonical top-level
//! headings, and find a problems section that has no heading of its own.
//!
//! What it does not do: it does not rebuild paragraphs (`lines`) or cut sentences.

use super::*;

impl StructureRules {
    /// Finds the title among the first paragraphs, splits it off a paragraph it was glued to,
    /// and removes it (and a preceding agency line, for titles that start with the year).
    pub(super) fn take_title(
        &self,
        paras: &mut Vec<Paragraph>,
        known: Option<&str>,
    ) -> Option<Paragraph> {
        let known: Option<String> =
            known.map(|t| t.chars().filter(|c| !c.is_whitespace()).collect());
        let limit = paras.len().min(TITLE_SEARCH_PARAGRAPHS);
        for i in 0..limit {
            if self.marker(&paras[i].text).is_some() {
                break;
            }
            let text = paras[i].text.clone();
            let end = match &known {
                Some(k) if text.starts_with(k.as_str()) => Some(k.len()),
                Some(_) => None,
                None => self
                    .title
                    .find(&text)
                    .filter(|m| m.as_str().chars().count() <= self.title_max)
                    .map(|m| m.end()),
            };
            let Some(end) = end else { continue };
            let mut title = if end < text.len() {
                let (head, tail) = paras[i].split_at(end);
                paras[i] = tail;
                head
            } else {
                paras.remove(i)
            };
            // `2018年度政务公开工作总结` under a separate agency line: join them.
            let starts_with_year = title.text.starts_with(|c: char| c.is_ascii_digit());
            if starts_with_year && i > 0 {
                let prev = &paras[i - 1];
                if prev.text.chars().count() <= 30 && !prev.text.contains(['。', '，']) {
                    let prev = paras.remove(i - 1);
                    title = prev.concat(&title);
                }
            }
            title.role = Role::Other;
            // Drop repeats of the agency line or title above it (seed 004 prints it twice).
            let stem = title.text.clone();
            paras.retain(|p| !(p.text.chars().count() <= 30 && stem.starts_with(p.text.as_str())));
            return Some(title);
        }
        None
    }

    /// Drops a closing signature and date (`莆田市审计局 2019年1月8日`) from the end.
    pub(super) fn drop_signature(&self, paras: &mut Vec<Paragraph>) {
        for _ in 0..3 {
            let Some(last) = paras.last() else { return };
            if self.signature.is_match(last.text.trim()) {
                paras.pop();
                while paras.last().is_some_and(|p| {
                    p.text.chars().count() <= 20
                        && !p.text.contains(['。', '，', '；'])
                        && self.marker(&p.text).is_none()
                }) {
                    paras.pop();
                }
                return;
            }
            // Page chrome after the signature (`翻译 搜索 复制`) is short and has no punctuation.
            if last.text.chars().count() <= PAGE_CHROME_MAX_CHARS
                && !last.text.contains(['。', '，'])
            {
                paras.pop();
                continue;
            }
            return;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Classifying paragraphs.

    pub(super) fn assign_role(&self, p: &mut Paragraph) {
        let text = p.text.trim();
        if let Some((level, _, len)) = self.marker(text) {
            let body = text[len..].trim();
            let n = body.chars().count();
            let no_stop = !body.contains(['。', '！', '？', '；']);
            let short_with_stop = n <= HEADING_WITH_STOP_MAX_CHARS
                && body.ends_with('。')
                && !body
                    .trim_end_matches('。')
                    .contains(['。', '！', '？', '；', '，', '：']);
            let table_row = body.ends_with(|c: char| c.is_ascii_digit());
            if NUMBERED_HEADING_CHARS.contains(&n) && (no_stop || short_with_stop) && !table_row {
                p.role = Role::Heading;
                p.heading = Some((level, body.trim_end_matches('。').to_string()));
                return;
            }
            // A heading run into its paragraph: `（一）加强平台建设。充分发挥…`.
            if let Some(end) = body.find('。') {
                let head = &body[..end];
                if head.chars().count() <= 30 && !head.contains(['，', '；']) {
                    p.heading = Some((level, head.to_string()));
                }
            }
        } else if self.is_unnumbered_heading(text) {
            p.role = Role::Heading;
            p.heading = Some((0, text.to_string()));
            return;
        }
        p.role = if looks_like_table(text) {
            Role::Table
        } else if text.contains(SENTENCE_PUNCT) && !is_bracketed_note(text) {
            Role::Narrative
        } else {
            Role::Other
        };
    }

    // ---------------------------------------------------------------------------------------
    // Sections.

    /// Groups paragraphs into sections at their headings, a heading that names a canonical
    /// section starting it even out of sequence (table rows that reuse a number do not).
    //
    // Long because it is one pass with the heading-level state machine in one place.
    pub(super) fn sectionize(&self, paras: Vec<Paragraph>) -> Vec<Section> {
        let mut sections = vec![Section {
            kind: SectionKind::Preamble,
            heading: None,
            paragraphs: Vec::new(),
        }];
        let mut last_l1 = 0u32;
        let mut seen_problems = false;
        // Numbers used by a top-level heading that names a canonical section: a table row
        // with the same number (`四、结转下年度继续办理` before `四、政府信息公开行政复议…`) is
        // not a section.
        let named: Vec<u32> = paras
            .iter()
            .filter_map(|p| match &p.heading {
                Some((1, head)) if self.kind_of_heading(head).is_some() => {
                    self.marker(p.text.trim()).map(|(_, n, _)| n)
                }
                _ => None,
            })
            .collect();
        for p in paras {
            let top = match &p.heading {
                Some((1, head)) => {
                    let num = self.marker(p.text.trim()).map_or(0, |(_, n, _)| n);
                    let kind = self.kind_of_heading(head);
                    if kind.is_none() && named.contains(&num) {
                        if let Some(s) = sections.last_mut() {
                            s.paragraphs.push(p);
                        }
                        continue;
                    }
                    let in_sequence = num == last_l1 + 1
                        || (num > last_l1 && num <= last_l1 + 2 && kind.is_some());
                    // A complete heading naming another canonical section starts it whatever
                    // its number: `五、存在的主要问题…` after `六、其他需要报告的事项`, or a
                    // number used twice. Table rows name no section or do not end like a
                    // heading (`…申请数量`); inside the appended tables, such a line is a
                    // table's caption.
                    let current = sections.last().map(|s| s.kind);
                    let named_heading = kind.is_some()
                        && kind != current
                        && current != Some(SectionKind::Tables)
                        && self
                            .heading_endings
                            .iter()
                            .any(|e| head.ends_with(e.as_str()));
                    if (in_sequence || named_heading) && !looks_like_table(&p.text) {
                        last_l1 = last_l1.max(num);
                        let kind = kind.unwrap_or(if seen_problems {
                            SectionKind::Other
                        } else {
                            SectionKind::Overview
                        });
                        Some(kind)
                    } else {
                        None
                    }
                }
                Some((0, head)) if p.role == Role::Heading => self.kind_of_heading(head),
                _ => None,
            };
            match top {
                Some(kind) => {
                    seen_problems |= kind == SectionKind::Problems;
                    sections.push(Section {
                        kind,
                        heading: Some(p.text.trim().to_string()),
                        paragraphs: vec![p],
                    });
                }
                None => {
                    if let Some(s) = sections.last_mut() {
                        s.paragraphs.push(p);
                    }
                }
            }
        }
        if sections[0].paragraphs.is_empty() {
            sections.remove(0);
        }
        sections
    }

    /// Splits off a `problems` section where a report admits its problems without a heading.
    pub(super) fn implicit_problems(&self, sections: &mut Vec<Section>) {
        if sections.iter().any(|s| s.kind == SectionKind::Problems) {
            return;
        }
        let narrative: usize = sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .filter(|p| p.is_narrative())
            .count();
        let mut seen = 0;
        for si in 0..sections.len() {
            let kind = sections[si].kind;
            for pi in 0..sections[si].paragraphs.len() {
                let p = &sections[si].paragraphs[pi];
                if !p.is_narrative() {
                    continue;
                }
                seen += 1;
                let (num, den) = IMPLICIT_PROBLEMS_AFTER;
                let late = seen * den >= narrative * num;
                let eligible = matches!(kind, SectionKind::Overview | SectionKind::Preamble);
                if late
                    && eligible
                    && self
                        .problems_cues
                        .iter()
                        .any(|c| p.text.contains(c.as_str()))
                {
                    let rest = sections[si].paragraphs.split_off(pi);
                    sections.insert(
                        si + 1,
                        Section {
                            kind: SectionKind::Problems,
                            heading: None,
                            paragraphs: rest,
                        },
                    );
                    if sections[si].paragraphs.is_empty() {
                        sections.remove(si);
                    }
                    return;
                }
            }
        }
    }
}
