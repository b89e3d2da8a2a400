//! HTML → text with the block structure kept as line breaks.
//!
//! Saved report pages are HTML with the report in `<p>`, `<div>` and `<table>` elements among
//! navigation. We parse with a real HTML5 parser (`scraper`/html5ever, which copes with the
//! broken markup of government CMSes), drop `script`/`style`/`head`, and emit a line break at
//! every block boundary and a blank line after paragraphs, headings and tables, so that
//! `structure` sees the same shape as in a text file. Table cells become one line each, which
//! is how crawled tables arrive in text files too. Stripping site navigation is left to
//! `structure`'s debris rules, which apply to every format.

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

/// Extracts the visible text of an HTML document.
pub fn html_to_text(html: &str) -> HtmlText {
    let doc = Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 3);
    walk(doc.tree.root(), &mut out);
    let title = doc
        .select(&scraper::Selector::parse("title").expect("static selector"))
        .next()
        .map(|t| t.text().collect::<String>().trim().to_string())
        .filter(|t| !t.is_empty());
    HtmlText {
        text: tidy_lines(&out),
        title,
    }
}

fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
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
        }
        Node::Element(e) => {
            let name = e.name();
            if SKIP.contains(&name) {
                return;
            }
            let block = BLOCK.contains(&name);
            let para = PARAGRAPH.contains(&name);
            if block || para {
                out.push('\n');
            }
            for child in node.children() {
                walk(child, out);
            }
            if para {
                out.push_str("\n\n");
            } else if block {
                out.push('\n');
            }
        }
        _ => {
            for child in node.children() {
                walk(child, out);
            }
        }
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
        );
        assert_eq!(h.title.as_deref(), Some("某局2018年报告"));
        assert!(!h.text.contains("var x"), "{}", h.text);
        assert!(
            h.text.contains("一、概述\n\n我局2018年 开展工作。"),
            "{}",
            h.text
        );
        assert!(h.text.contains("主动公开\n\n41\n"), "{}", h.text);
    }
}
