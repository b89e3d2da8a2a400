//! HTML → text with the block structure kept as line breaks.
//!
//! Saved report pages are HTML with the report in `<p>`, `<div>` and `<table>` elements among
//! navigation. We parse with a real HTML5 parser (`scraper`/html5ever, which copes with the
//! broken markup of government CMSes), drop `script`/`style`/`head`, and emit a line break at
//! every block boundary and a blank line after paragraphs, headings and tables, so that
//! `structure` sees the same shape as in a text file. Table cells become one line each, which
//! is how crawled tables arrive in text files too. Stripping site navigation is left to
//! `structure`'s debris rules, which apply to every format.
//!
//! What one file may cost is bounded: the tree is walked with an explicit stack (no recursion,
//! so no stack overflow however deep), and a page nested more than [`MAX_DEPTH`] elements
//! deep is refused before parsing ([`HtmlError::TooDeep`]), because the HTML5 tree builder's
//! work grows with the square of the depth (5 MB of nested `<div>` takes minutes). Real report
//! pages nest 10 to 50 deep.

use scraper::{Html, Node};

/// Elements whose content is never report text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "head", "template", "iframe", "svg", "object", "select",
    "button",
];
/// Elements that end a line.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "pre",
    "section",
    "td",
    "th",
    "tr",
    "ul",
    "caption",
    "tbody",
    "thead",
];
/// Elements that end a paragraph (a blank line after them).
const PARAGRAPH: &[&str] = &["p", "h1", "h2", "h3", "h4", "h5", "h6", "table"];

/// Extracted text and the document's `<title>`, if any.
#[derive(Clone, Debug, Default)]
pub struct HtmlText {
    /// Visible text, blocks separated by line breaks.
    pub text: String,
    /// The `<title>` element's text.
    pub title: Option<String>,
}

/// Elements nested deeper than this (estimated from the tags, before parsing) make a page
/// refused.
pub const MAX_DEPTH: usize = 1000;

/// Why a page's text was not extracted. The caller adds the file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HtmlError {
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep(usize),
}

impl std::fmt::Display for HtmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HtmlError::TooDeep(d) => write!(
                f,
                "HTML nested {d} or more elements deep (at most {MAX_DEPTH} are read): not a report page?"
            ),
        }
    }
}

/// Elements without content or whose end tag the parser supplies (they do not nest).
const NO_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "rt", "rp", "colgroup", "caption", "html", "head", "body",
];

/// The deepest nesting the tags suggest (start tags minus end tags, elements that do not
/// nest left out): an upper bound in practice, cheap to compute.
pub fn estimated_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        i += off + 1;
        let end = b.get(i) == Some(&b'/');
        let start = i + usize::from(end);
        let len = b[start..]
            .iter()
            .take(16)
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if len == 0 || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[start..start + len].to_ascii_lowercase();
        if NO_NESTING.contains(&name.as_str()) {
            continue;
        }
        if end {
            depth = depth.saturating_sub(1);
        } else {
            // `<x/>` does not nest either.
            let close = memchr::memchr(b'>', &b[start..]).map(|o| start + o);
            if close.is_some_and(|c| c > 0 && b[c - 1] == b'/') {
                continue;
            }
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// Extracts the visible text of an HTML document; refuses one nested too deep.
pub fn html_to_text(html: &str) -> Result<HtmlText, HtmlError> {
    let depth = estimated_depth(html);
    if depth > MAX_DEPTH {
        return Err(HtmlError::TooDeep(depth));
    }
    let doc = Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 3);
    walk(doc.tree.root(), &mut out);
    let title = doc
        .select(&scraper::Selector::parse("title").expect("static selector"))
        .next()
        .map(|t| t.text().collect::<String>().trim().to_string())
        .filter(|t| !t.is_empty());
    Ok(HtmlText {
        text: tidy_lines(&out),
        title,
    })
}

/// Appends the visible text under `root`, depth first, with an explicit stack.
fn walk(root: ego_tree::NodeRef<'_, Node>, out: &mut String) {
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>),
        /// After an element's children: what to append.
        Leave(&'static str),
    }
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Leave(s) => {
                out.push_str(s);
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            Node::Text(t) => {
                // Source formatting whitespace is insignificant in HTML: fold runs to one space.
                let mut last_space = out.ends_with([' ', '\n']);
                for c in t.chars() {
                    if c.is_whitespace() && c != '\u{3000}' {
                        if !last_space {
                            out.push(' ');
                            last_space = true;
                        }
                    } else {
                        out.push(c);
                        last_space = false;
                    }
                }
                continue;
            }
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                let block = BLOCK.contains(&name);
                let para = PARAGRAPH.contains(&name);
                if block || para {
                    out.push('\n');
                }
                stack.push(Step::Leave(if para {
                    "\n\n"
                } else if block {
                    "\n"
                } else {
                    ""
                }));
            }
            _ => {}
        }
        // Children in reverse, so the first is popped first.
        let children: Vec<_> = node.children().collect();
        stack.extend(children.into_iter().rev().map(Step::Enter));
    }
}

/// Trims each line and keeps at most one blank line in a row.
fn tidy_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0;
    for line in s.lines() {
        let line = line.trim_matches(|c: char| c == ' ' || c == '\t');
        if line.is_empty() {
            blank_run += 1;
            if blank_run == 1 && !out.is_empty() {
                out.push('\n');
            }
            continue;
        }
        blank_run = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_scripts_vanish() {
        let h = html_to_text(
            "<html><head><title>某局2018年报告</title><script>var x=1;</script></head><body>\
             <div class=nav>首页 &gt; 信息公开</div><p>一、概述</p><p>我局<span>201</span>8年\n  \
             开展工作。</p><table><tr><td>主动公开</td><td>41</td></tr></table></body></html>",
        )
        .expect("shallow page");
        assert_eq!(h.title.as_deref(), Some("某局2018年报告"));
        assert!(!h.text.contains("var x"), "{}", h.text);
        assert!(
            h.text.contains("一、概述\n\n我局2018年 开展工作。"),
            "{}",
            h.text
        );
        assert!(h.text.contains("主动公开\n\n41\n"), "{}", h.text);
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        // Before: 16,000 nested elements overflowed the stack in a recursive walk and aborted
        // the run; 5 MB of <div> took minutes to parse.
        let deep = format!(
            "{}一、概述{}",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        );
        assert_eq!(html_to_text(&deep).unwrap_err(), HtmlError::TooDeep(20_000));
        // Just under the limit: parsed and walked without recursion.
        let ok = format!(
            "{}一、概述{}",
            "<span>".repeat(MAX_DEPTH),
            "</span>".repeat(MAX_DEPTH)
        );
        assert!(
            html_to_text(&ok)
                .expect("within the limit")
                .text
                .contains("一、概述")
        );
        // Unclosed paragraphs and list items do not nest.
        assert!(estimated_depth(&"<p>段落<li>项".repeat(5000)) < 10);
    }
}
