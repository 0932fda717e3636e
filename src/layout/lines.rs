//! Line classification: what each raw line of an OCR page is (blank, Markdown heading, byline,
//! photo credit, box label, or text), its display width, and the local column width around it.

use crate::text::{ends_sentence, is_han, str_width, GAP_MARK};
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    /// `#`…`######` heading, with its level.
    Md(u8),
    /// A byline line. `trailing` ones (…整理, …摄影报道) close the article before them.
    Byline {
        trailing: bool,
    },
    /// A photo credit (本报记者 X 摄, （受访者供图）).
    Credit,
    /// The label of a box (阅读提示, 编者按…); the paragraph after it is the box.
    BoxLabel,
    Text,
}

#[derive(Debug, Clone)]
pub struct Line {
    /// Cleaned text: trimmed, inner gaps marked, markers of headings and bylines removed.
    pub text: String,
    pub kind: LineKind,
    /// Display width of `text` (ambiguous characters count 1).
    pub width: usize,
    /// Leading white space: 1 ASCII space or an ideographic space reads as an indent.
    pub indent: bool,
    /// A leading run of 2+ spaces: characters lost before the first visible one.
    pub lead_gap: bool,
    /// A trailing run of 2+ spaces.
    pub trail_gap: bool,
    /// Ends a sentence.
    pub terminal: bool,
    /// Index of the blank-separated chunk the line is in.
    pub chunk: usize,
    /// Bytes at the start of `text` that number the page's headlines (`2、` on a page that
    /// numbers its articles 1、2、3、); 0 on any other line.
    pub numbered: usize,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.kind == LineKind::Blank
    }

    /// The text its shape is judged on: without the page's numbering of its headlines (the
    /// numbers stay in `text`: they are the page's text).
    pub fn shape_text(&self) -> &str {
        &self.text[self.numbered..]
    }
}

/// Column width above which a block is laid out one paragraph per line ("long-line mode").
pub const LONG_MODE: usize = 90;

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("valid regex"))
}

const ROLES: &[&str] = &[
    "本报特约记者",
    "本报首席记者",
    "本报见习记者",
    "本报摄影记者",
    "本报记者",
    "本报通讯员",
    "本报实习生",
    "特约记者",
    "首席记者",
    "见习记者",
    "实习记者",
    "摄影记者",
    "特约通讯员",
    "记者",
    "通讯员",
    "实习生",
    "特约撰稿",
    "撰稿",
    "撰文",
    "评论员",
    "编译",
    "作者",
    "文/",
    "图/",
    "文／",
    "图／",
];

const BULLETS: &[char] = &['■', '□', '●', '◆', '▲', '★', '☆', '◇', '◎', '▌', '▍'];

/// Classify a stripped line as byline / credit. Returns None for ordinary text.
pub fn byline_kind(s: &str) -> Option<LineKind> {
    let had_bullet = s.starts_with(BULLETS);
    let s = s.trim_start_matches(BULLETS).trim();
    if s.is_empty() || s.chars().count() > 48 {
        return None;
    }
    // a byline in square brackets, as web pages print it under a headline: 【记者 王芳】
    let bracketed = s
        .strip_prefix(['【', '[', '〔'])
        .and_then(|x| x.strip_suffix(['】', ']', '〕']));
    if let Some(inner) = bracketed {
        // (a role and a name set apart: 【记者手记】 is a box's label)
        if !inner
            .trim()
            .contains(|c: char| c.is_whitespace() || is_credit_separator(c))
        {
            return None;
        }
        return match byline_kind(inner.trim()) {
            Some(LineKind::Byline { .. }) => Some(LineKind::Byline { trailing: false }),
            _ => None,
        };
    }
    // a web page's line of facts under its headline (来源：… 作者：… and when): the author's
    // line, when it names one
    if is_meta_line(s) {
        return Some(LineKind::Byline { trailing: false });
    }
    if is_breadcrumb(s) {
        return Some(LineKind::Credit);
    }
    // Parenthesised: (本报记者 徐晶卉整理), （受访者供图）, （本报记者 周俊超摄）
    let inner = s
        .strip_prefix(['(', '（'])
        .and_then(|x| x.strip_suffix([')', '）']));
    if let Some(inner) = inner {
        let inner = inner.trim();
        // the editor's credit closing an article (（编辑：王芳）, （责编：王芳、李强）)
        if is_editor_credit(inner) {
            return Some(LineKind::Byline { trailing: true });
        }
        if inner.ends_with("供图") || inner.ends_with('摄') || inner.ends_with("摄影") {
            return Some(LineKind::Credit);
        }
        if (inner.ends_with("整理") || inner.ends_with("报道") || inner.ends_with("采写"))
            && has_role(inner)
        {
            return Some(LineKind::Byline { trailing: true });
        }
        // a credit in parentheses after the text: （记者 王芳）, （本报记者 王芳 李强）, （文/王芳）
        if has_role(inner) && matches!(byline_kind(inner), Some(LineKind::Byline { .. })) {
            return Some(LineKind::Byline { trailing: true });
        }
        return None;
    }
    if s.ends_with("供图") && s.chars().count() <= 20 {
        return Some(LineKind::Credit);
    }
    if !has_role(s) && !names_a_writer(s) {
        return None;
    }
    // Every token must be a role, a name, or role+name.
    let mut trailing = false;
    let mut credit = false;
    let tokens: Vec<&str> = s
        .split(|c: char| {
            c.is_whitespace() || is_credit_separator(c) || matches!(c, '、' | '，' | ',')
        })
        .filter(|t| !t.is_empty())
        .collect();
    // a role said with the paper's or agency's name before it (光明日报记者, 中国青年报·中青在线记者)
    // counts as a role when a name follows it on the line
    let mut named = false;
    let mut media_role = false;
    // (first on the line, and names apart by spaces or 、: a line of text has its commas)
    let plain = !s.contains(['，', '。', ',', '；', '：', ':']);
    for (i, tok) in tokens.iter().enumerate() {
        let mut t = *tok;
        for r in ROLES {
            if let Some(rest) = t.strip_prefix(r.trim_end_matches(['/', '／'])) {
                t = rest;
                break;
            }
        }
        // a name that begins with a role's character (文志, 图雅) is a name, not 文 + 志
        if t.chars().count() == 1 && is_name(tok) {
            t = tok;
        }
        // (one of up to six Han characters passed as a name before this rule, and still does)
        if i == 0 && t == *tok && plain && !is_name(t) && is_media_role(t) {
            media_role = true;
            continue;
        }
        named |= !t.is_empty();
        let last = i + 1 == tokens.len();
        if last && (t == "摄影报道" || t == "报道" || t.ends_with("报道")) {
            trailing = true;
            let name = t.trim_end_matches("摄影报道").trim_end_matches("报道");
            if name.is_empty() || is_name(name) {
                continue;
            }
            return None;
        }
        if last && (t == "摄" || t == "摄影") {
            credit = true;
            continue;
        }
        if last && t.ends_with("整理") && is_name(t.trim_end_matches("整理")) {
            trailing = true;
            continue;
        }
        if last && t.ends_with('摄') && is_name(t.trim_end_matches('摄')) {
            credit = true;
            continue;
        }
        if t.is_empty() || is_name(t) {
            continue;
        }
        return None;
    }
    if media_role && !named {
        return None;
    }
    if credit && !had_bullet {
        return Some(LineKind::Credit);
    }
    Some(LineKind::Byline {
        trailing: trailing || credit,
    })
}

/// A paper's, an agency's or a site's name followed by a reporter's role, as one word: up to
/// sixteen characters of Han, digits, Latin letters and the middle dot before the role, at least
/// two of them Han (新华社记者, 21世纪经济报道记者, 中国青年报·中青在线特约记者).
fn is_media_role(t: &str) -> bool {
    let Some(media) = ["记者", "通讯员", "实习生"]
        .iter()
        .find_map(|r| t.strip_suffix(r))
    else {
        return false;
    };
    let n = media.chars().count();
    (2..=16).contains(&n)
        && media.chars().filter(|&c| is_han(c)).count() >= 2
        && media
            .chars()
            .all(|c| is_han(c) || c == '·' || c.is_ascii_alphanumeric())
}

fn has_role(s: &str) -> bool {
    [
        "记者",
        "通讯员",
        "实习生",
        "撰稿",
        "撰文",
        "评论员",
        "文/",
        "文／",
        "文｜",
        "文|",
        "作者：",
        "作者:",
    ]
    .iter()
    .any(|r| s.contains(r))
}

/// What sets a role apart from a name in a credit: 文/王芳, 记者｜王芳, 作者：王芳.
fn is_credit_separator(c: char) -> bool {
    matches!(c, '：' | ':' | '/' | '／' | '｜' | '|')
}

/// A credit that names its writer before the role: 王芳/文, 王芳　文, 王芳/文　李强/图. The
/// line is then all names and the words 文 and 图 (the caller checks the names).
fn names_a_writer(s: &str) -> bool {
    let tokens = s
        .split(|c: char| c.is_whitespace() || is_credit_separator(c) || c == '、')
        .filter(|t| !t.is_empty());
    let (mut writer, mut names) = (false, 0);
    for t in tokens {
        match t {
            "文" => writer = true,
            "图" => {}
            _ if is_name(t) => names += 1,
            _ => return false,
        }
    }
    writer && names > 0
}

/// The keys of a web page's line of facts about an article.
const META_KEYS: &[&str] = &[
    "来源",
    "作者",
    "编辑",
    "责任编辑",
    "责编",
    "发布时间",
    "时间",
    "日期",
    "稿源",
];

/// A web page's line of facts under its headline, naming the author: fields set apart by
/// white space, each `key：value` with a key of [`META_KEYS`] or a date or a time
/// (`2024-03-05 08:30　来源：人民网　作者：王芳`, `来源：光明网　2016年03月11日17:41　作者：王芳`).
fn is_meta_line(s: &str) -> bool {
    if !s.contains("作者：") && !s.contains("作者:") {
        return false;
    }
    let mut keyed = 0;
    for field in s.split_whitespace() {
        let key = field.split(['：', ':']).next().unwrap_or("");
        if field.len() > key.len() && META_KEYS.contains(&key) {
            // the value after the colon: the author's names, anything else short
            let value = field[key.len()..].trim_start_matches(['：', ':']);
            let fits = if key == "作者" {
                value.split(['、', '，', ',']).all(is_name)
            } else {
                value.chars().count() <= 16 && !value.contains(['，', '。', '；'])
            };
            if !fits {
                return false;
            }
            keyed += 1;
            continue;
        }
        // a date or a time: digits and the marks dates and times are written with
        let datish = field.chars().any(|c| c.is_ascii_digit())
            && field.chars().all(|c| {
                c.is_ascii_digit() || matches!(c, '-' | ':' | '.' | '/' | '年' | '月' | '日')
            });
        if !datish {
            return false;
        }
    }
    keyed >= 2
}

/// An editor's credit, as web pages close an article with it in parentheses (the text inside
/// them): 编辑：王芳, 责编：王芳、李强. (A page's 责任编辑：王芳 without them is the page's
/// editor, not an article's.)
fn is_editor_credit(inner: &str) -> bool {
    let Some(rest) = ["责任编辑", "责编", "编辑"]
        .iter()
        .find_map(|k| inner.strip_prefix(k))
    else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(['：', ':']) else {
        return false;
    };
    let mut names = rest
        .split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ','))
        .filter(|t| !t.is_empty())
        .peekable();
    names.peek().is_some() && names.all(is_name)
}

/// A page's folio, the running line at its head naming the paper, the day or the page
/// (`江城日报　2019-06-29　星期二　第8版　要闻`, `第3版`): a page number (`第N版`), or a date
/// with its day of the week, on a line that is no sentence (nor a jump: `（下转第5版）` belongs
/// to its article).
pub fn is_folio(s: &str) -> bool {
    if !(s.contains('版') || s.contains("星期") || s.contains('周'))
        || s.contains(['，', '。', ',', '（', '(', '转', '接'])
    {
        return false;
    }
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"第\s*[0-9０-９一二三四五六七八九十]{1,3}\s*版|[0-9０-９]{4}\s*[年\-./]\s*[0-9０-９]{1,2}\s*[月\-./]\s*[0-9０-９]{1,2}\s*日?\s*(?:星期|周)[一二三四五六日天]",
    )
    .is_match(s)
}

/// A web page's trail of sections, left on the page by the tool that saved it: short names
/// set apart by `>`, `>>`, `＞` or `»`, after an optional label (`首页 > 新闻 > 国内`,
/// `当前位置：首页>要闻`, `人民网>>时政`).
fn is_breadcrumb(s: &str) -> bool {
    if !s.contains(['>', '＞', '»', '›']) {
        return false;
    }
    let s = match s.split_once(['：', ':']) {
        Some((label, rest)) if label.chars().count() <= 6 => rest,
        _ => s,
    };
    let parts: Vec<&str> = s
        .split(['>', '＞', '»', '›'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    // names of sections: two to ten letters each, Han among them (`3 > 2` is no trail)
    parts.len() >= 2
        && parts.iter().any(|p| p.chars().any(is_han))
        && parts.iter().all(|p| {
            (2..=10).contains(&p.chars().count())
                && p.chars().all(|c| c.is_alphanumeric() || c == ' ')
        })
}

/// A line that only rules off what is above it from what is below: three or more dashes,
/// stars, dots or equal signs and nothing else (———, ----, ＊　＊　＊, ●●●, ====), or signs
/// alone ([`is_ornament`]: `◆`, `▶`, set on a line of their own before a headline). It reads
/// as a blank line; none of its characters is text.
fn is_rule_line(s: &str) -> bool {
    let (mut n, mut signs) = (0, 0);
    for c in s.chars() {
        if c.is_whitespace() {
            continue;
        }
        if is_ornament(c) {
            signs += 1;
            continue;
        }
        if !matches!(
            c,
            '—' | '-'
                | '─'
                | '━'
                | '_'
                | '＿'
                | '－'
                | '='
                | '＝'
                | '*'
                | '＊'
                | '·'
                | '・'
                | '~'
                | '～'
        ) {
            return false;
        }
        n += 1;
    }
    n + signs >= 3 || (n == 0 && signs > 0)
}

/// A sign that decorates a line rather than says anything: arrows, geometric shapes,
/// miscellaneous symbols and dingbats (▶ ► ◆ ■ ● ★ ☞ ✦ …). Pages mark headlines, subheads and
/// items of a list with them; a line of nothing else (`◆`, `▶`) reads as a blank line.
pub fn is_ornament(c: char) -> bool {
    matches!(c, '\u{2190}'..='\u{21ff}' | '\u{2580}'..='\u{27bf}' | '\u{2b00}'..='\u{2bff}' | '※')
}

/// 2–5 Han characters (or a name with the middle dot of transcribed names).
pub fn is_name(s: &str) -> bool {
    let n = s.chars().count();
    (2..=6).contains(&n) && s.chars().all(|c| is_han(c) || c == '·')
}

/// A line that opens with one of the formulas news items open with, beyond the datelines
/// `reflow::split_dateline` cuts: `据……报道`, `据……电`, `本台消息`, `本报消息`, `本报综合消息`,
/// `……网消息`, `记者从……`, or an agency's or a news site's dateline whose line broke before its
/// `电` (`新华社长`, `中新社福州3月8日`, `中新网长沙11月`).
/// A shape of the genre (an article's first words), for the labeller.
pub fn is_lead_formula(s: &str) -> bool {
    let s = s.trim_start_matches([' ', '\u{3000}']);
    // every form starts with 据, 本 or 记, or has 社 or 网 as its second to seventh character:
    // most lines have none of that, and are answered without the regex
    let agency = || s.chars().skip(1).take(6).any(|c| c == '社' || c == '网');
    if !(s.starts_with(['据', '本', '记']) || agency()) {
        return false;
    }
    lead_formula_regex().is_match(s)
}

fn lead_formula_regex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^(?:据[^，。：:；]{1,20}(?:报道|电)|本台消息|本报\p{Han}{0,4}消息|\p{Han}{1,4}网消息|记者(?:今天|今日|近日|昨天|昨日|日前)?从|\p{Han}{1,6}[社网][\p{Han}\d 〓]{0,14}(?:电|$))",
    )
}

/// A person line printed under a headline: 周辰, or 王峥(上海市市场监管局…主任).
pub fn is_person_line(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(&R, r"^[\p{Han}·]{2,4}(?:[（(][^（()）]{1,60}[）)])?$");
    r.is_match(s)
}

const BOX_LABELS: &[&str] = &[
    "阅读提示",
    "核心提示",
    "编者按",
    "相关链接",
    "新闻链接",
    "延伸阅读",
    "背景链接",
    "小贴士",
    "导读",
    "链接",
];

fn is_box_label(s: &str) -> bool {
    let t =
        s.trim_matches(|c: char| matches!(c, '【' | '】' | '[' | ']' | '：' | ':' | ' ' | '　'));
    BOX_LABELS.contains(&t)
}

/// Clean the inside of a line: runs of 2+ spaces become the gap mark, a single space between
/// a Han character and a digit goes, a single space right after full-width punctuation (where
/// OCR dropped a half-width character) becomes the gap mark. Other single spaces stay.
pub fn clean_inner(s: &str) -> String {
    if !s.contains([' ', '\t']) {
        // nothing to clean (most lines)
        return s.to_owned();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == '\t' {
            let mut j = i;
            while j < chars.len() && (chars[j] == ' ' || chars[j] == '\t') {
                j += 1;
            }
            let run = j - i;
            let prev = out.chars().last();
            let next = chars.get(j).copied();
            if run >= 2 {
                out.push(GAP_MARK);
            } else if let (Some(p), Some(n)) = (prev, next) {
                let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
                if (is_han(p) && digit(n)) || (digit(p) && is_han(n)) {
                    // OCR spacing between Han and digits: nothing was lost there
                } else if matches!(p, '，' | '。' | '、' | '；' | '：' | '！' | '？') && is_han(n)
                {
                    out.push(GAP_MARK);
                } else {
                    out.push(' ');
                }
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Split and classify the lines of a page.
pub fn classify(text: &str) -> Vec<Line> {
    let single = single_spaced(text);
    let text = single.as_deref().unwrap_or(text);
    static MD: OnceLock<Regex> = OnceLock::new();
    let md = re(&MD, r"^(#{1,6})\s+(.*?)\s*#*\s*$");
    let mut lines: Vec<Line> = Vec::new();
    // each line's leading run of ASCII spaces (0 when it has none, or other white space too)
    let mut runs: Vec<usize> = Vec::new();
    let mut chunk = 0usize;
    let mut prev_blank = true;
    let mut lone_sign: Option<(usize, char)> = None;
    // lines set in deep (`centred` below): their places and the cells before their text
    let mut deep: Vec<(usize, usize)> = Vec::new();
    // lines set in by one or two ideographic spaces, with how many
    let mut shallow: Vec<(usize, usize)> = Vec::new();
    for raw in text.split('\n') {
        let trimmed_end = raw.trim_end_matches([' ', '\t', '\u{3000}', '\u{a0}']);
        let trail_ws = raw.len() - trimmed_end.len();
        let body = trimmed_end.trim_start_matches([' ', '\t', '\u{a0}']);
        let lead_ascii = trimmed_end.len() - body.len();
        let set_in_ideo = body.trim_start_matches('\u{3000}');
        let lead_ideo = body.len() != set_in_ideo.len();
        // three ideographic spaces or more, or six ASCII spaces, set a line in the middle of
        // the column (a headline centred by a tool that writes text out), not a paragraph's
        // indent (one or two) nor characters lost (decided for the page below)
        let n_ideo = (body.len() - set_in_ideo.len()) / '\u{3000}'.len_utf8();
        let ascii_run = trimmed_end[..lead_ascii].bytes().all(|b| b == b' ');
        let centred = n_ideo >= 3 || (n_ideo == 0 && ascii_run && lead_ascii >= 6);
        let emphasis_off = strip_emphasis(set_in_ideo);
        let spaced_out = letter_spaced(emphasis_off);
        let body2 = spaced_out.as_deref().unwrap_or(emphasis_off);
        if body2.trim().is_empty() || is_rule_line(body2) {
            // a sign alone on its line (`◆`, then the headline on the next)
            if let Some(c) = body2.trim().chars().next().filter(|&c| is_ornament(c)) {
                if lone_sign.is_none() && body2.trim().chars().all(|d| d == c) {
                    lone_sign = Some((lines.len(), c));
                }
            }
            if !prev_blank {
                chunk += 1;
            }
            prev_blank = true;
            runs.push(0);
            lines.push(Line {
                text: String::new(),
                kind: LineKind::Blank,
                width: 0,
                indent: false,
                lead_gap: false,
                trail_gap: false,
                terminal: false,
                chunk,
                numbered: 0,
            });
            continue;
        }
        prev_blank = false;
        let lead = &trimmed_end[..lead_ascii];
        // a tab or a no-break space is set by whoever wrote the text, never by OCR for
        // characters it could not read
        let set_in = lead.contains(['\t', '\u{a0}']);
        runs.push(if lead.bytes().all(|b| b == b' ') && !lead_ideo {
            lead_ascii
        } else {
            0
        });
        let (kind, text) = if let Some(c) = md.captures(body2) {
            let level = c[1].len() as u8;
            (LineKind::Md(level), clean_inner(c[2].trim()))
        } else if let Some(k) = byline_kind(body2) {
            let t = body2.trim_start_matches(BULLETS).trim();
            (k, clean_inner(t))
        } else if is_box_label(body2) {
            (LineKind::BoxLabel, body2.trim().to_string())
        } else {
            (LineKind::Text, clean_inner(body2))
        };
        let width = str_width(&text, 1);
        let terminal = ends_sentence(&text);
        if centred {
            deep.push((lines.len(), 2 * n_ideo + lead_ascii));
        } else if (1..=2).contains(&n_ideo) && lead_ascii == 0 {
            shallow.push((lines.len(), n_ideo));
        }
        lines.push(Line {
            width,
            indent: (lead_ideo && !centred) || lead_ascii == 1 || set_in,
            lead_gap: lead_ascii >= 2 && !lead_ideo && !set_in && !centred,
            trail_gap: trail_ws >= 2
                && raw[trimmed_end.len()..]
                    .chars()
                    .all(|c| c == ' ' || c == '\t'),
            terminal,
            kind,
            text,
            chunk,
            numbered: 0,
        });
    }
    // a page that indents its paragraphs by two ideographic spaces (or by one: three lines
    // at least, four times as many as the other) and sets a line in by the other number
    // centres that line
    let by = |k: usize| shallow.iter().filter(|&&(_, n)| n == k).count();
    let (ones, twos) = (by(1), by(2));
    let habit = if twos >= 3 && twos >= 4 * ones.max(1) {
        Some(2)
    } else if ones >= 3 && ones >= 4 * twos.max(1) {
        Some(1)
    } else {
        None
    };
    if let Some(h) = habit {
        for &(i, n) in &shallow {
            if n != h && lines[i].kind == LineKind::Text {
                lines[i].indent = false;
            }
        }
    }
    // lines set in deep are centred, unless most of them reach across the column, as the first
    // lines of paragraphs do on a page that indents them that deep: then it is the page's indent
    if !deep.is_empty() {
        let mut widths: Vec<usize> = lines
            .iter()
            .filter(|l| l.kind == LineKind::Text)
            .map(|l| l.width)
            .collect();
        let column = upper_quartile(&mut widths);
        let full = deep
            .iter()
            .filter(|&&(i, cells)| (cells + lines[i].width) * 20 >= column * 17)
            .count();
        if full * 2 >= deep.len() {
            for &(i, _) in &deep {
                lines[i].indent = true;
            }
        }
    }
    let non_blank = lines.iter().filter(|l| !l.is_blank()).count();
    // a page whose lines are padded with spaces (to a column's width, by the tool that wrote
    // it) lost nothing at their ends: a run of spaces at a line's end marks characters lost
    // on a few lines of a page, not on a quarter of them
    let padded = lines.iter().filter(|l| l.trail_gap).count();
    if padded >= 3 && padded * 4 >= non_blank {
        for l in &mut lines {
            l.trail_gap = false;
        }
    }
    if let Some(mark) = headline_mark(&lines, lone_sign) {
        for l in lines.iter_mut().filter(|l| l.kind == LineKind::Text) {
            if let Some(rest) = l.text.strip_prefix(mark) {
                l.text = rest.trim_start_matches([' ', '\u{3000}']).to_string();
                l.width = str_width(&l.text, 1);
            }
        }
    }
    number_headlines(&mut lines);
    if let Some(k) = page_indent_run(&runs, non_blank) {
        for (l, &r) in lines.iter_mut().zip(&runs) {
            if r == k {
                l.indent = true;
                l.lead_gap = false;
            }
        }
    }
    lines
}

/// A page whose every line break was doubled (`\r\r\n` line ends read as two, a tool that
/// writes a blank line after each line), set single again: `None` for any other page. Such a
/// page has a blank line after every line, and three where it had one: between every two lines
/// of text an odd number of blank lines, and the single ones mostly inside sentences (a wrapped
/// line's break; a page that sets its paragraphs apart by one blank line has them after
/// sentence ends), and lines of a column's width. Each run of `2k + 1` blank lines becomes `k`.
fn single_spaced(text: &str) -> Option<String> {
    let blank = |l: &str| l.trim().is_empty();
    let (mut gaps, mut ones, mut inside) = (0usize, 0usize, 0usize);
    let mut run = 0usize;
    let mut prev: Option<&str> = None;
    // (nearly every page has two lines in a row and is answered at its second line)
    for l in text.split('\n') {
        if blank(l) {
            run += 1;
            continue;
        }
        if let Some(p) = prev {
            if run.is_multiple_of(2) {
                return None;
            }
            gaps += 1;
            if run == 1 {
                ones += 1;
                inside += usize::from(!ends_sentence(p.trim()));
            }
        }
        prev = Some(l);
        run = 0;
    }
    if gaps < 6 || inside * 2 < ones {
        return None;
    }
    // and its lines are a column's: most as long as the longer lines give or take a little (a
    // page of whole paragraphs, one a line with a blank line between, has lines of every length)
    let mut counts: Vec<usize> = text
        .split('\n')
        .filter(|l| !blank(l))
        .map(|l| l.trim().chars().count())
        .collect();
    let column = upper_quartile(&mut counts);
    let near = counts
        .iter()
        .filter(|&&n| n * 5 >= column * 4 && n * 10 <= column * 11 + 10)
        .count();
    if near * 10 < counts.len() * 6 {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut run = 0usize;
    let mut first = true;
    for l in text.split('\n') {
        if blank(l) {
            run += 1;
            continue;
        }
        if !first {
            for _ in 0..=(run / 2) {
                out.push('\n');
            }
        }
        out.push_str(l);
        first = false;
        run = 0;
    }
    out.push('\n');
    Some(out)
}

/// The value three quarters of the way up `v` (the longer lines' width: a column's), `v`
/// sorted on the way; 0 for none.
fn upper_quartile(v: &mut [usize]) -> usize {
    v.sort_unstable();
    v.get(v.len() * 3 / 4).copied().unwrap_or(0)
}

/// Has `s` more than four letters (a headline's words, not a rubric's)?
fn more_than_four_letters(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphanumeric()).nth(4).is_some()
}

/// The sign a page opens its headlines with, if it does (`▶ 全球确诊病例超一亿`, as web pages
/// saved as text mark their items): an ornament ([`is_ornament`]) opening a line of text that
/// has more than four letters after it, or set alone on its line (`lone`: its line and the
/// sign), before any line of body text on the page, and no sentence itself. Subheads and the
/// items of a box are marked too, but inside an article: after body text. The lines opening
/// with it are read without it (the sign is no text; the headline is what follows it).
fn headline_mark(lines: &[Line], lone: Option<(usize, char)>) -> Option<char> {
    for (i, l) in lines.iter().enumerate() {
        if let Some((_, c)) = lone.filter(|&(k, _)| k == i) {
            return Some(c);
        }
        let Some(c) = l.text.chars().next() else {
            continue;
        };
        let body = reads_as_body(l);
        if body && l.kind == LineKind::Text && !is_ornament(c) {
            return None;
        }
        if l.kind != LineKind::Text || !is_ornament(c) || body {
            continue;
        }
        if more_than_four_letters(&l.text) {
            return Some(c);
        }
    }
    None
}

/// Is this line's text body text (a sentence, or a clause of one), not a heading?
fn reads_as_body(l: &Line) -> bool {
    let n = l.text.chars().count();
    (l.terminal && n >= 8) || (l.text.contains(['，', ',']) && n >= 12)
}

/// The number opening a line (`3、`, `3．`, `3.` before no digit, full-width digits too): its
/// value and the bytes it takes, with the white space after it.
fn opening_number(s: &str) -> Option<(u32, usize)> {
    let mut value = 0u32;
    let mut end = 0;
    for (k, c) in s.char_indices() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => break,
        };
        value = value.checked_mul(10)?.checked_add(d)?;
        end = k + c.len_utf8();
    }
    if end == 0 || end > 6 {
        return None;
    }
    let rest = &s[end..];
    let sep = rest.chars().next()?;
    if !matches!(sep, '、' | '．' | '.') {
        return None;
    }
    let after = &rest[sep.len_utf8()..];
    if after.starts_with(|c: char| c.is_ascii_digit() || c.is_whitespace() && sep == '.') {
        return None;
    }
    let text = after.trim_start_matches([' ', '\u{3000}']);
    Some((value, s.len() - text.len()))
}

/// Mark the lines that number the page's headlines ([`Line::numbered`]): a page that opens with
/// a heading numbered 1 (before any body text) and numbers later headings 2, 3, … in order. A
/// list inside an article is numbered too, but after body text, and its items are sentences.
fn number_headlines(lines: &mut [Line]) {
    let heading = |l: &Line| l.kind == LineKind::Text && !reads_as_body(l);
    let Some(first) = lines.iter().position(|l| {
        !l.is_blank() && (reads_as_body(l) || opening_number(&l.text).is_some_and(|(v, _)| v == 1))
    }) else {
        return;
    };
    if !heading(&lines[first]) {
        return;
    }
    let mut next = 1;
    let mut marked = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(first) {
        if !heading(l) {
            continue;
        }
        if let Some((v, k)) = opening_number(&l.text) {
            if v == next && more_than_four_letters(&l.text[k..]) {
                marked.push((i, k));
                next += 1;
            }
        }
    }
    if marked.len() >= 2 {
        for (i, k) in marked {
            lines[i].numbered = k;
        }
    }
}

/// A line set letter-spaced, as headlines are in the text layer of a printed page or on a web
/// page (`改　革　绘　就　新　蓝　图`, `国 务 院 常 务 会 议`): five or more single characters set
/// apart by one or two spaces or one ideographic space each. Its text without the spaces (so
/// that it reads, and is searched, as the words it is); `None` for any other line. Names set
/// apart (`王芳  李强`) have two characters or more each.
fn letter_spaced(s: &str) -> Option<String> {
    // the shape first, without building anything: nearly every line fails at its second
    // character
    let mut chars = 0;
    let mut gap = 0usize;
    for c in s.chars() {
        if c == ' ' || c == '\u{3000}' {
            gap += if c == ' ' { 1 } else { 2 };
            if gap > 2 || chars == 0 {
                return None;
            }
            continue;
        }
        if chars > 0 && gap == 0 {
            return None;
        }
        gap = 0;
        chars += 1;
    }
    (chars >= 5 && gap == 0).then(|| s.chars().filter(|&c| c != ' ' && c != '\u{3000}').collect())
}

/// A line set wholly in Markdown's strong emphasis (`**河畔花园开放**`, `__…__`), as tools that
/// write pages out as Markdown set headlines: the line without the markers, which are not the
/// page's text. Any other line as it is.
fn strip_emphasis(s: &str) -> &str {
    for m in ["**", "__"] {
        if let Some(inner) = s.strip_prefix(m).and_then(|x| x.trim_end().strip_suffix(m)) {
            if !inner.trim().is_empty() && !inner.contains(m) {
                return inner.trim();
            }
        }
    }
    s
}

/// The run of ASCII spaces a page indents its paragraphs by, if it does: the commonest run of
/// two to eight spaces at the start of a line, when at least three lines and one line in
/// twenty open with exactly that run. A run of spaces at the start of a line otherwise says
/// that characters were lost there (OCR leaves white space where it read nothing: a few lines
/// of a page, with runs as long as what was lost); a page that sets its paragraphs in by two
/// or four spaces opens one line in every paragraph with the same run.
fn page_indent_run(runs: &[usize], lines: usize) -> Option<usize> {
    let mut count = [0usize; 9];
    for &r in runs {
        if let Some(c) = count.get_mut(r).filter(|_| r >= 2) {
            *c += 1;
        }
    }
    // the commonest run; of runs as common, the shortest
    let (k, &c) = count
        .iter()
        .enumerate()
        .max_by_key(|&(k, &c)| (c, std::cmp::Reverse(k)))?;
    (c >= 3 && c * 20 >= lines).then_some(k)
}

/// A paragraph that ends with its own photo credit: …（受访者供图） or …（本报记者 X摄）.
pub fn is_inline_caption(s: &str) -> bool {
    let t = s.trim_end();
    let Some(body) = t.strip_suffix(['）', ')']) else {
        return false;
    };
    let Some(open) = body.rfind(['（', '(']) else {
        return false;
    };
    let inner = &body[open..];
    let inner = inner.trim_start_matches(['（', '(']);
    inner.chars().count() <= 24
        && (inner.ends_with("供图") || inner.ends_with('摄') || inner.ends_with("摄影"))
}

/// Column width around each line: the median width of nearby lines that carry body
/// punctuation. Lines far from any body text get a large width (long-line mode).
pub fn column_widths(lines: &[Line]) -> Vec<usize> {
    let idx: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == LineKind::Text)
        .collect();
    let evidence: Vec<Option<usize>> = idx
        .iter()
        .map(|&i| {
            let t = &lines[i].text;
            let body_like = t
                .chars()
                .any(|c| matches!(c, '，' | '。' | '、' | '；' | ',' | '.'));
            (body_like && lines[i].width > 8).then_some(lines[i].width)
        })
        .collect();
    let mut out = vec![usize::MAX; lines.len()];
    // the evidence of the text lines k-R ..= k+R, kept sorted as the window slides down
    let mut ws: Vec<usize> = Vec::with_capacity(2 * COLUMN_REACH + 1);
    let (mut lo, mut hi) = (0usize, 0usize);
    for (k, &i) in idx.iter().enumerate() {
        let to = (k + COLUMN_REACH + 1).min(idx.len());
        for e in &evidence[hi..to] {
            if let Some(w) = *e {
                ws.insert(ws.partition_point(|&x| x < w), w);
            }
        }
        hi = to;
        let from = k.saturating_sub(COLUMN_REACH);
        for e in &evidence[lo..from] {
            if let Some(w) = *e {
                ws.remove(ws.partition_point(|&x| x < w));
            }
        }
        lo = from;
        if !ws.is_empty() {
            out[i] = ws[ws.len() / 2];
        }
    }
    out
}

/// How many text lines on each side of a line [`column_widths`] reads.
const COLUMN_REACH: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Lines no opening formula can start are ruled out before the regex: the answer is
        /// the regex's own, on lines made of the formulas' pieces.
        #[test]
        fn lead_formulas_ruled_out_early_are_the_regexs_misses(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "据", "本", "台", "报", "记者", "消息", "新华", "社", "网", "中新", "央视", "北京",
                "电", "报道", "从", "今天", "3", "日", " ", "\u{3000}", "，", "A", "〓",
            ]), 0..12)
        ) {
            let s: String = parts.concat();
            let by_regex = lead_formula_regex().is_match(s.trim_start_matches([' ', '\u{3000}']));
            proptest::prop_assert_eq!(is_lead_formula(&s), by_regex, "{}", s);
        }
    }

    #[test]
    fn bylines() {
        assert_eq!(
            byline_kind("■本报记者 章磊"),
            Some(LineKind::Byline { trailing: false })
        );
        assert_eq!(
            byline_kind("■记者 彭旭卉"),
            Some(LineKind::Byline { trailing: false })
        );
        assert_eq!(
            byline_kind("本报记者 钱培坚 本报通讯员 罗菁"),
            Some(LineKind::Byline { trailing: false })
        );
        assert_eq!(
            byline_kind("本报记者 陆益峰 祝越 王宛芝"),
            Some(LineKind::Byline { trailing: false })
        );
        assert_eq!(
            byline_kind("□本报记者 李继成 摄影报道"),
            Some(LineKind::Byline { trailing: true })
        );
        assert_eq!(
            byline_kind("(本报记者 徐晶卉整理)"),
            Some(LineKind::Byline { trailing: true })
        );
        assert_eq!(byline_kind("本报记者 张伊辰摄"), Some(LineKind::Credit));
        assert_eq!(byline_kind("本报通讯员 聂长青 摄"), Some(LineKind::Credit));
        assert_eq!(byline_kind("（受访者供图）"), Some(LineKind::Credit));
        assert_eq!(byline_kind("记者从活动现场了解到，近年来"), None);
        assert_eq!(byline_kind("浦东新区召开会议"), None);
    }

    /// [`column_widths`] as it was first written: the median of each window, sorted anew.
    fn column_widths_by_sorting(lines: &[Line]) -> Vec<usize> {
        let idx: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].kind == LineKind::Text)
            .collect();
        let body_like = |i: usize| {
            lines[i]
                .text
                .chars()
                .any(|c| matches!(c, '，' | '。' | '、' | '；' | ',' | '.'))
                && lines[i].width > 8
        };
        let mut out = vec![usize::MAX; lines.len()];
        for (k, &i) in idx.iter().enumerate() {
            let lo = k.saturating_sub(COLUMN_REACH);
            let hi = (k + COLUMN_REACH + 1).min(idx.len());
            let mut ws: Vec<usize> = idx[lo..hi]
                .iter()
                .filter(|&&j| body_like(j))
                .map(|&j| lines[j].width)
                .collect();
            if !ws.is_empty() {
                ws.sort_unstable();
                out[i] = ws[ws.len() / 2];
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn column_widths_slide_to_the_medians_of_sorting(
            page in proptest::collection::vec(
                ("[一二三四，。a ]{0,30}", proptest::bool::ANY), 0..80)
        ) {
            let text: String = page
                .iter()
                .map(|(t, blank)| if *blank { "\n".to_string() } else { format!("{t}\n") })
                .collect();
            let lines = classify(&text);
            proptest::prop_assert_eq!(column_widths(&lines), column_widths_by_sorting(&lines));
        }
    }

    #[test]
    fn bylines_of_other_papers() {
        let lead = Some(LineKind::Byline { trailing: false });
        let after = Some(LineKind::Byline { trailing: true });
        for s in [
            "作者：林晓岚",
            "◎本报记者 林晓岚",
            "文/图　本报记者　林晓岚",
            "中国青年报·中青在线记者 林晓岚",
            "21世纪经济报道记者 林晓岚 王芳",
            "解放军报特约记者 林晓岚 通讯员 王芳",
            "光明日报记者 林晓岚",
        ] {
            assert_eq!(byline_kind(s), lead, "{s}");
        }
        // a paper's reporters without a name are not a byline, nor a sentence about a reporter
        assert_eq!(byline_kind("中国青年报·中青在线记者"), None);
        assert_eq!(byline_kind("关工作人员告诉记者，随着外贸"), None);
        // a credit in parentheses, set after the article
        for s in [
            "（记者 林晓岚）",
            "（本报记者 林晓岚 王芳）",
            "（文/林晓岚）",
        ] {
            assert_eq!(byline_kind(s), after, "{s}");
        }
        // parentheses that are not a credit
        for s in [
            "（林晓岚）",
            "（记者从河畔街道获悉）",
            "（作者为河畔大学教授）",
        ] {
            assert_eq!(byline_kind(s), None, "{s}");
        }
        assert_eq!(byline_kind("作者：河畔街道的居民们都说好"), None);
    }

    #[test]
    fn bylines_as_web_pages_print_them() {
        let lead = Some(LineKind::Byline { trailing: false });
        for s in [
            "【记者 林晓岚】",
            "[本报记者 林晓岚 王芳]",
            "记者｜林晓岚",
            "文｜林晓岚　图｜王芳",
            "文 | 林晓岚",
            "林晓岚/文",
            "林晓岚　文",
            "林晓岚/文　王芳/图",
            "撰文：林晓岚　摄影：王芳",
            "撰文/林晓岚",
            "本报记者 林晓岚 实习生 王芳",
            "记者 文志",
            "2024-03-05 08:30　来源：河畔网　作者：林晓岚",
            "来源：河畔网　2016年03月11日17:41　作者：林晓岚",
            "发布时间：2019-11-07 22:51　来源：河畔网　编辑：王芳　作者：林晓岚",
        ] {
            assert_eq!(byline_kind(s), lead, "{s}");
        }
        // an editor's credit in parentheses closes the article above it
        for s in [
            "（编辑：林晓岚）",
            "（责编：林晓岚、王芳）",
            "(责任编辑:林晓岚)",
        ] {
            assert_eq!(
                byline_kind(s),
                Some(LineKind::Byline { trailing: true }),
                "{s}"
            );
        }
        // a trail of sections is no article's text
        for s in ["首页 > 新闻 > 国内", "当前位置：首页>要闻", "河畔网>>时政"] {
            assert_eq!(byline_kind(s), Some(LineKind::Credit), "{s}");
        }
        for s in [
            "【聚焦两会】",
            "【记者手记】",
            "文化 图书",
            "河畔文 化",
            "来源：河畔网",
            "来源：河畔网　作者：林晓岚说的那样",
            "（编辑部的故事）",
            "责任编辑：林晓岚",
            "5 > 3，所以",
            "3 > 2",
            "x>y>z",
            "首页>新闻，今天",
        ] {
            assert_eq!(byline_kind(s), None, "{s}");
        }
    }

    #[test]
    fn a_letter_spaced_headline_reads_as_its_words() {
        let ls = classify(
            "改　革　绘　就　新　蓝　图\n国 务 院 常 务 会 议\n河  畔  花  园  开  放\n王芳  李强  周文\n一 二 三 四\n河畔 花园 开放 了\n",
        );
        let texts: Vec<&str> = ls.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            &texts[..6],
            [
                "改革绘就新蓝图",
                "国务院常务会议",
                "河畔花园开放",
                "王芳〓李强〓周文",
                "一 二 三 四",
                "河畔 花园 开放 了"
            ]
        );
    }

    #[test]
    fn a_rule_between_articles_reads_as_a_blank_line() {
        let ls = classify("第一篇的末句。\n———————\n＊　＊　＊\n----------\n●●●\n第二篇\n——\n……\n");
        let kinds: Vec<bool> = ls.iter().map(Line::is_blank).collect();
        assert_eq!(
            kinds,
            [false, true, true, true, true, false, false, false, true]
        );
    }

    #[test]
    fn a_sign_alone_on_its_line_reads_as_a_blank_line() {
        let ls = classify("▶\n标题在此行\n◆　◆\n■ 小标题\n※\n★★\n");
        let kinds: Vec<bool> = ls.iter().map(Line::is_blank).collect();
        assert_eq!(kinds, [true, false, true, false, true, true, true]);
    }

    #[test]
    fn a_page_that_opens_its_headlines_with_a_sign_reads_them_without_it() {
        let page = "▶ 全球确诊病例超一亿\n本网讯　根据世界卫生组织的数据，全球累计确诊病例增至一亿。\n\
                    ◆ 报告显示\n报告显示，多州的分配存在不公平的情况。\n\n▶神秘木匣启动发掘\n考古人员在六号坑发现了一个木匣。\n";
        let texts: Vec<String> = classify(page).into_iter().map(|l| l.text).collect();
        assert_eq!(texts[0], "全球确诊病例超一亿");
        assert_eq!(texts[5], "神秘木匣启动发掘");
        // a sign first seen after body text marks subheads: kept
        assert_eq!(texts[2], "◆ 报告显示");
        // a sign set alone on its line above the page's first headline says the same
        let alone = "◆\n陈光保：永远都要为人民服务\n人民网成都电 今天的最美基层干部，我们来认识一位老人。\n\n◆习近平在宁夏考察时强调\n";
        assert_eq!(classify(alone)[4].text, "习近平在宁夏考察时强调");
        // signs that open lines only inside articles are no headline mark
        let inside = "本网讯　根据世界卫生组织的数据，全球累计确诊病例增至一亿。\n▶ 报告显示的情况\n报告显示，多州的分配存在不公平的情况。\n";
        assert_eq!(classify(inside)[1].text, "▶ 报告显示的情况");
        // nor does a sign before a line of four letters or fewer, or a marked byline
        let short = "■ 短讯\n■本报记者 周东秀\n今天是全国儿童预防接种日，各地举行了活动。\n";
        let ls = classify(short);
        assert_eq!(ls[0].text, "■ 短讯");
        assert_eq!(ls[1].text, "本报记者 周东秀");
    }

    #[test]
    fn a_page_that_numbers_its_headlines_has_them_read_past_the_number() {
        let page = "1、李克强出席欢迎仪式\n据新华社消息，总理在机场出席了隆重的欢迎仪式。\n\
                    1、坚持稳中求进，推动高质量发展。\n\n2、谁是最美基层法官评选揭晓\n评选活动今天揭晓，十人当选。\n\
                    4、这一行不按顺序\n3．中国气象局启动应急响应\n降雨天气覆盖我国大部地区。\n";
        let ls = classify(page);
        let numbered: Vec<(usize, &str)> = ls
            .iter()
            .enumerate()
            .filter(|(_, l)| l.numbered > 0)
            .map(|(i, l)| (i, l.shape_text()))
            .collect();
        assert_eq!(
            numbered,
            [
                (0, "李克强出席欢迎仪式"),
                (4, "谁是最美基层法官评选揭晓"),
                (7, "中国气象局启动应急响应")
            ]
        );
        // the numbers stay the page's text
        assert_eq!(ls[4].text, "2、谁是最美基层法官评选揭晓");
        // a list inside an article (after body text) is no numbering of headlines
        let inside =
            "据新华社消息，总理在机场出席了隆重的欢迎仪式。\n1、坚持稳中求进\n2、推动高质量发展\n";
        assert!(classify(inside).iter().all(|l| l.numbered == 0));
        // nor is one numbered heading alone, or numbers that are quantities
        assert!(
            classify("1、李克强出席欢迎仪式\n据新华社消息，总理出席了欢迎仪式。\n")
                .iter()
                .all(|l| l.numbered == 0)
        );
        assert_eq!(opening_number("1.5亿元投入使用"), None);
        assert_eq!(opening_number("１２．全国"), Some((12, "１２．".len())));
    }

    #[test]
    fn a_page_with_every_line_break_doubled_is_set_single_again() {
        // a column of text with a blank line after every line, three between paragraphs
        let single = "河畔花园开放\n\n本报讯（记者 林岚）河畔街道的居民\n议事会今年共收到花园改造提案\n\
                      四十余份，其中二十份已经落实，\n花园建成后孩子们都愿意来玩。\n\n街道还要再听一次居民的意见，\n\
                      明年的改造方案将在秋天公布，\n届时欢迎居民们前来参加讨论。\n";
        let doubled = single.replace('\n', "\n\n");
        assert_eq!(single_spaced(&doubled).as_deref(), Some(single));
        let texts = |t: &str| -> Vec<String> { classify(t).into_iter().map(|l| l.text).collect() };
        assert_eq!(texts(&doubled), texts(single));
        // a page that is already single, and one of whole paragraphs set apart by a blank line
        // each (lines of every length, sentences ending before each blank), stay as they are
        assert_eq!(single_spaced(single), None);
        let paragraphs = "河畔花园开放\n\n本报讯（记者 林岚）河畔街道的居民议事会今年共收到花园改造提案四十余份。\n\n\
                          其中二十份已经落实。\n\n花园建成后，孩子们放学都愿意在这里玩耍，老人们也常来。\n\n\
                          明年，街道还要再听一次居民的意见。\n\n改造方案将在秋天公布。\n\n欢迎居民前来参加讨论。\n";
        assert_eq!(single_spaced(paragraphs), None);
    }

    #[test]
    fn a_line_set_in_deep_is_centred_unless_the_page_indents_that_deep() {
        // headlines centred by ideographic or ASCII spaces: no indent, no characters lost
        let page = "　　　　河畔花园开放\n　　本报讯（记者 林岚）河畔街道的居民议事会今\n年共收到花园改造提案四十余份，\n\
                    其中二十份已经落实。\n\n        江畔码头改造完工\n　　本报讯（记者 周文）江畔码头改造今天完\n\
                    工，新的候船厅可容纳三百人。\n";
        let ls = classify(page);
        let centred: Vec<(&str, bool, bool)> = [0, 5]
            .iter()
            .map(|&i| (ls[i].text.as_str(), ls[i].indent, ls[i].lead_gap))
            .collect();
        assert_eq!(
            centred,
            [
                ("河畔花园开放", false, false),
                ("江畔码头改造完工", false, false)
            ]
        );
        assert!(ls[1].indent && ls[6].indent);
        // a page that indents its paragraphs by two ideographic spaces centres a line set in
        // by one (a headline nearly as wide as the column)
        let one = "\u{3000}江畔码头改造今天全面完工投入使用\n\u{3000}\u{3000}本报讯（记者 周文）江畔码头改造今天\n\
                   完工，新的候船厅可容纳三百人。\n\u{3000}\u{3000}码头管理处说，夏季航班将增加一\n倍。\n\
                   \u{3000}\u{3000}候船厅里还设了母婴室和书报亭。\n\u{3000}\u{3000}码头明天对市民开放。\n";
        let ls = classify(one);
        assert!(
            !ls[0].indent && ls[1].indent && ls[3].indent && ls[5].indent,
            "{ls:?}"
        );
        // a page that indents its paragraphs by four ideographic spaces: those are indents
        let deep = "　　　　河畔街道的居民议事会今年共收到\n花园改造提案四十余份，其中二十份已经\n落实，居民们都说好。\n\
                    \u{3000}\u{3000}\u{3000}\u{3000}花园建成后，孩子们放学都愿意在\n这里玩耍，老人们也常来这里下棋聊天。\n";
        let ls = classify(deep);
        assert!(ls[0].indent && ls[3].indent, "{ls:?}");
    }

    #[test]
    fn gaps_and_spaces() {
        assert_eq!(clean_inner("联合 7部门"), "联合7部门");
        assert_eq!(clean_inner("集聚    家高新企业"), "集聚〓家高新企业");
        assert_eq!(clean_inner("胸怀城市 情系民生"), "胸怀城市 情系民生");
        assert_eq!(clean_inner("发现， 名卖艺人员"), "发现，〓名卖艺人员");
        assert_eq!(clean_inner("HR 模范"), "HR 模范");
    }

    #[test]
    fn classify_md_and_gaps() {
        let ls = classify("## 引题——\n# 标题\n\n  月   日，青浦区首次  \n获得");
        assert_eq!(ls[0].kind, LineKind::Md(2));
        assert_eq!(ls[0].text, "引题——");
        assert_eq!(ls[1].kind, LineKind::Md(1));
        assert!(ls[2].is_blank());
        assert!(ls[3].lead_gap && ls[3].trail_gap);
        assert_eq!(ls[3].text, "月〓日，青浦区首次");
    }

    #[test]
    fn a_page_indented_by_ascii_spaces_has_indents_not_lost_characters() {
        // every paragraph set in by two spaces (a text file's habit): indents, so that no lost
        // character is marked at each paragraph's start, and a dateline there is read as one
        let page = "河畔花园开放\n  本报讯（记者林岚）河畔街道的居民\n议事会今年共收到提案四十余份。\n  其中二十份已经落实，居民说好。\n  明年还要再开一次会，\n听取更多意见。\n    年庆祝活动";
        let ls = classify(page);
        for k in [1, 3, 4] {
            assert!(ls[k].indent && !ls[k].lead_gap, "{k}: {:?}", ls[k]);
            assert!(!ls[k].text.starts_with(GAP_MARK), "{k}: {:?}", ls[k].text);
        }
        assert!(!ls[2].indent && !ls[5].indent);
        // a longer run than the page's indent is still characters lost
        assert!(ls[6].lead_gap && !ls[6].indent, "{:?}", ls[6]);
        // tabs and no-break spaces indent, however many
        for lead in ["\t", "\t\t", "\u{a0}", "\u{a0}\u{a0}", " \t"] {
            let one = classify(&format!("{lead}河畔街道的居民议事会"));
            assert!(one[0].indent && !one[0].lead_gap, "{lead:?}");
        }
        // runs of spaces on a few lines, of different lengths: characters lost, as before
        let ls =
            classify("  月   日，青浦区首次\n获得称号。\n    年庆祝“五一”\n活动。\n   ，居民满意");
        for k in [0, 2, 4] {
            assert!(ls[k].lead_gap && !ls[k].indent, "{k}: {:?}", ls[k]);
        }
        // three lines with one run, but on a long page where they are not one line in twenty
        let mut long = String::from("  月   日，首次\n");
        for _ in 0..70 {
            long.push_str("河畔街道的居民议事会今年共收到提案四十余份。\n");
        }
        long.push_str("  日，又一次\n  月，再一次\n");
        let ls = classify(&long);
        assert!(ls.iter().filter(|l| l.lead_gap).count() == 3 && !ls.iter().any(|l| l.indent));
    }

    #[test]
    fn a_page_padded_with_spaces_lost_nothing_at_its_line_ends() {
        let body =
            "河畔街道的居民议事会今年\n共收到提案四十余份，其中\n二十份已经落实。\n明年还要再开。";
        let padded: String = body.lines().map(|l| format!("{l}    \n")).collect();
        assert!(classify(&padded).iter().all(|l| !l.trail_gap));
        // a run of spaces at the end of a few lines of a page: characters lost there
        let mut page = String::from("累计服务  \n");
        for _ in 0..12 {
            page.push_str("河畔街道的居民议事会今年共收到提案四十余份。\n");
        }
        let ls = classify(&page);
        assert!(ls[0].trail_gap && ls.iter().filter(|l| l.trail_gap).count() == 1);
    }

    #[test]
    fn a_line_set_in_strong_emphasis_is_its_text() {
        let ls =
            classify("**河畔花园开放**\n__江畔码头改造完工__\n**加粗**的开头，后面还有字\n****");
        assert_eq!(ls[0].text, "河畔花园开放");
        assert_eq!(ls[1].text, "江畔码头改造完工");
        // markers are not white space: the line is not set in
        assert!(!ls[0].indent && !ls[1].indent, "{:?}", &ls[..2]);
        // emphasis inside a line stays as it is; markers alone are a rule (Markdown's
        // thematic break), a blank line
        assert_eq!(ls[2].text, "**加粗**的开头，后面还有字");
        assert!(ls[3].is_blank());
    }

    #[test]
    fn person_lines() {
        assert!(is_person_line("周辰"));
        assert!(is_person_line(
            "王峥(上海市市场监管局反垄断和价格监督检查办公室主任)"
        ));
        assert!(!is_person_line("再快一点、再准一点"));
        for t in [
            "据本台报道，河畔街道",
            "本台消息：市图书馆",
            "记者从市教育局了解到，",
            "记者今天从市教育局获悉",
            "新华社河畔",
            "新华社河畔3月5日电 市图书馆",
            "河畔网消息：",
            "本报综合消息 河畔街道",
            "据新华社电 河畔街道",
            "河畔网长沙11月",
        ] {
            assert!(is_lead_formula(t), "{t}");
        }
        for t in [
            "据了解，河畔街道",
            "新华社记者在河畔报道说，",
            "花园建成后，",
            "本报记者 林岚",
        ] {
            assert!(!is_lead_formula(t), "{t}");
        }
    }
}
