//! One article as text for other programs: plain text (`kanbao show`, the pager, the
//! clipboard), Markdown (`kanbao show --format md`) and a one-line citation. Archive text is
//! cleaned of control characters here, so nothing downstream has to remember to.

use crate::model::Record;
use crate::text::sanitize_for_terminal;

fn clean(s: &str) -> String {
    sanitize_for_terminal(s).into_owned()
}

/// "source · date · article N" — where the article comes from.
fn provenance(r: &Record) -> String {
    let mut parts = vec![clean(&r.source)];
    if !r.date.is_empty() {
        parts.push(r.date.clone());
    }
    parts.push(format!("article {}", r.seq));
    parts.join(" · ")
}

fn credit(r: &Record) -> String {
    [r.dateline.as_str(), r.byline.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(clean)
        .collect::<Vec<_>>()
        .join("  ")
}

/// Plain text: kicker, title, subtitle, credit, provenance, then the paragraphs.
pub fn to_text(r: &Record) -> String {
    let mut out = String::new();
    for s in [&r.section, &r.kicker] {
        if !s.is_empty() {
            out.push_str(&clean(s));
            out.push('\n');
        }
    }
    out.push_str(&clean(&r.display_title()));
    out.push('\n');
    if !r.subtitle.is_empty() {
        out.push_str(&clean(&r.subtitle));
        out.push('\n');
    }
    let c = credit(r);
    if !c.is_empty() {
        out.push_str(&c);
        out.push('\n');
    }
    out.push_str(&provenance(r));
    out.push_str(&format!("  [{}]\n", r.id));
    for p in &r.paragraphs {
        out.push('\n');
        out.push_str(&clean(p));
        out.push('\n');
    }
    out
}

/// Escape what Markdown would read as markup at the start of a line or inline.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in clean(s).chars().enumerate() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|')
            || (i == 0 && matches!(c, '#' | '-' | '+' | '='))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Markdown: the title as a heading, kicker and subtitle around it, credit in italics, the
/// provenance as a list, then the paragraphs.
pub fn to_markdown(r: &Record) -> String {
    let mut out = String::new();
    if !r.kicker.is_empty() {
        out.push_str(&format!("*{}*\n\n", md(&r.kicker)));
    }
    out.push_str(&format!("# {}\n\n", md(&r.display_title())));
    if !r.subtitle.is_empty() {
        out.push_str(&format!("**{}**\n\n", md(&r.subtitle)));
    }
    let c = credit(r);
    if !c.is_empty() {
        out.push_str(&format!("*{}*\n\n", md(&c)));
    }
    out.push_str(&format!("- source: {}\n", md(&r.source)));
    if !r.date.is_empty() {
        out.push_str(&format!("- date: {}\n", r.date));
    }
    if !r.section.is_empty() {
        out.push_str(&format!("- section: {}\n", md(&r.section)));
    }
    out.push_str(&format!("- id: {}\n", r.id));
    for p in &r.paragraphs {
        out.push('\n');
        out.push_str(&md(p));
        out.push('\n');
    }
    out
}

/// One line to cite the article: byline, 《title》, source, date, id.
pub fn citation(r: &Record) -> String {
    let mut parts = Vec::new();
    if !r.byline.is_empty() {
        parts.push(clean(&r.byline));
    }
    parts.push(format!("《{}》", clean(&r.display_title())));
    parts.push(clean(&r.source));
    if !r.date.is_empty() {
        parts.push(r.date.clone());
    }
    format!("{}（kanbao {}）", parts.join("，"), r.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn rec() -> Record {
        Record {
            id: "abc123".into(),
            issue: "i".into(),
            source: "2024/p1.txt".into(),
            seq: 2,
            kind: Kind::Article,
            section: String::new(),
            kicker: "引题——".into(),
            title: "# 标题\u{1b}[31m".into(),
            subtitle: "副题".into(),
            byline: "本报记者 张三".into(),
            dateline: "本报讯".into(),
            paragraphs: vec!["第一段*强调*。".into(), "第二段。".into()],
            date: "2024-11-19".into(),
        }
    }

    #[test]
    fn text_markdown_and_citation() {
        let r = rec();
        let t = to_text(&r);
        assert!(!t.contains('\u{1b}'), "controls are cleaned: {t:?}");
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "引题——");
        assert!(lines[1].starts_with("# 标题"));
        assert_eq!(lines[2], "副题");
        assert_eq!(lines[3], "本报讯  本报记者 张三");
        assert_eq!(lines[4], "2024/p1.txt · 2024-11-19 · article 2  [abc123]");
        assert_eq!(&lines[5..], ["", "第一段*强调*。", "", "第二段。"]);
        let m = to_markdown(&r);
        assert!(m.contains("# \\# 标题"), "{m}");
        assert!(m.contains("第一段\\*强调\\*。"), "{m}");
        assert!(m.contains("- date: 2024-11-19"));
        assert_eq!(
            citation(&r),
            "本报记者 张三，《# 标题␛[31m》，2024/p1.txt，2024-11-19（kanbao abc123）"
        );
    }
}
