//! The search box's query language, parsed by hand (not tantivy's QueryParser, which would turn
//! Chinese into phrase queries of its own tokens).
//!
//! - a bare run of text matches where that exact text occurs (substring semantics, also for one
//!   character and for a word still being typed);
//! - terms separated by spaces must all match; `"…"` quotes a phrase with spaces;
//! - `-term` excludes; `a OR b` matches either;
//! - `title:` (kicker, title, subtitle), `byline:`, `issue:` (issue id or part of the file path),
//!   `date:2023`, `date:2023-11`, `date:2023-11-18`, `date:2023-01..2023-06`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    All,
    Title,
    Byline,
    Issue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    Text {
        field: Field,
        text: String,
    },
    /// Inclusive range of days as YYYYMMDD numbers.
    Date {
        lo: u64,
        hi: u64,
    },
    /// Reader state: is:read, is:unread, is:starred.
    Is(IsWhat),
    /// Reader state: tag:NAME.
    Tag(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IsWhat {
    Read,
    Unread,
    Starred,
}

/// One conjunct: its alternatives (joined by OR), possibly negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub negated: bool,
    pub alts: Vec<Atom>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub clauses: Vec<Clause>,
}

impl Query {
    /// The texts a hit should show highlighted: positive text atoms.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in self.clauses.iter().filter(|c| !c.negated) {
            for a in &c.alts {
                if let Atom::Text {
                    field: Field::All | Field::Title | Field::Byline,
                    text,
                } = a
                {
                    out.push(text.clone());
                }
            }
        }
        out
    }
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
    /// Does the query ask about reader state (is:, tag:)?
    pub fn uses_state(&self) -> bool {
        self.clauses
            .iter()
            .flat_map(|c| &c.alts)
            .any(|a| matches!(a, Atom::Is(_) | Atom::Tag(_)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

fn err<T>(s: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError(s.into()))
}

#[derive(Debug)]
enum Tok {
    Or,
    Term {
        negated: bool,
        field: Option<String>,
        text: String,
    },
}

fn lex(q: &str) -> Result<Vec<Tok>, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut negated = false;
        if chars[i] == '-' {
            negated = true;
            i += 1;
            if i >= chars.len() || chars[i].is_whitespace() {
                return err("a lone '-' excludes nothing: write -word to exclude a word");
            }
        }
        // field prefix: ASCII letters then ':'
        let mut field = None;
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j > i && j < chars.len() && chars[j] == ':' {
            field = Some(chars[i..j].iter().collect::<String>().to_ascii_lowercase());
            i = j + 1;
        }
        let (text, quoted) = if i < chars.len() && chars[i] == '"' {
            let close = chars[i + 1..].iter().position(|&c| c == '"');
            let Some(close) = close else {
                return err("unbalanced quote: a phrase needs a closing \"");
            };
            let t: String = chars[i + 1..i + 1 + close].iter().collect();
            i = i + 1 + close + 1;
            (t, true)
        } else {
            let s = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                if chars[i] == '"' {
                    return err("unbalanced quote: a quote must start a phrase (\"…\")");
                }
                i += 1;
            }
            (chars[s..i].iter().collect::<String>(), false)
        };
        if !negated && field.is_none() && !quoted && text == "OR" {
            out.push(Tok::Or);
            continue;
        }
        if text.trim().is_empty() {
            let what: String = chars[start..i].iter().collect();
            return match &field {
                Some(f) => err(format!("{f}: needs a value ({what})")),
                None => err("empty phrase \"\": put the words to find between the quotes"),
            };
        }
        out.push(Tok::Term {
            negated,
            field,
            text,
        });
    }
    Ok(out)
}

/// Parse a date filter value: 2023, 2023-11, 2023-11-18, or A..B with either form.
pub fn parse_date_range(v: &str) -> Result<(u64, u64), QueryError> {
    fn one(s: &str) -> Option<(u64, u64)> {
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        let num = |p: &str| -> Option<u64> {
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()
        };
        match parts.as_slice() {
            [y] if y.len() == 4 => {
                let y = num(y)?;
                Some((y * 10000, y * 10000 + 1231))
            }
            [y, m] if y.len() == 4 => {
                let (y, m) = (num(y)?, num(m)?);
                (1..=12)
                    .contains(&m)
                    .then_some((y * 10000 + m * 100, y * 10000 + m * 100 + 31))
            }
            [y, m, d] if y.len() == 4 => {
                let (y, m, d) = (num(y)?, num(m)?, num(d)?);
                ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some({
                    let v = y * 10000 + m * 100 + d;
                    (v, v)
                })
            }
            _ => None,
        }
    }
    let bad = || {
        QueryError(format!(
            "date:{v}: expected YYYY, YYYY-MM, YYYY-MM-DD or a range A..B"
        ))
    };
    if let Some((a, b)) = v.split_once("..") {
        let lo = if a.is_empty() {
            0
        } else {
            one(a).ok_or_else(bad)?.0
        };
        let hi = if b.is_empty() {
            u64::MAX
        } else {
            one(b).ok_or_else(bad)?.1
        };
        if lo > hi {
            return err(format!("date:{v}: the range ends before it starts"));
        }
        return Ok((lo, hi));
    }
    one(v).ok_or_else(bad)
}

fn atom(field: Option<&str>, text: &str) -> Result<Atom, QueryError> {
    let f = match field {
        None => Field::All,
        Some("title") => Field::Title,
        Some("byline") | Some("by") => Field::Byline,
        Some("issue") => Field::Issue,
        Some("date") => {
            let (lo, hi) = parse_date_range(text.trim())?;
            return Ok(Atom::Date { lo, hi });
        }
        Some("is") => {
            return match text.trim() {
                "read" => Ok(Atom::Is(IsWhat::Read)),
                "unread" => Ok(Atom::Is(IsWhat::Unread)),
                "starred" | "star" => Ok(Atom::Is(IsWhat::Starred)),
                other => err(format!("is:{other}: expected is:unread, is:read or is:starred")),
            };
        }
        Some("tag") => return Ok(Atom::Tag(text.trim().to_string())),
        Some(other) => {
            return err(format!(
                "unknown field '{other}:' (known: title:, byline:, issue:, date:, is:, tag:); put text with a colon in quotes"
            ))
        }
    };
    Ok(Atom::Text {
        field: f,
        text: text.to_string(),
    })
}

/// Parse a query. An empty or blank query gives an empty `Query` (no clauses).
pub fn parse(q: &str) -> Result<Query, QueryError> {
    let toks = lex(q)?;
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_or = false;
    for (k, t) in toks.iter().enumerate() {
        match t {
            Tok::Or => {
                if clauses.is_empty() || pending_or || k + 1 == toks.len() {
                    return err("OR needs a term on each side (a OR b)");
                }
                if clauses.last().is_some_and(|c| c.negated) {
                    return err("-term cannot be combined with OR");
                }
                pending_or = true;
            }
            Tok::Term {
                negated,
                field,
                text,
            } => {
                let a = atom(field.as_deref(), text)?;
                if pending_or {
                    if *negated {
                        return err("-term cannot be combined with OR");
                    }
                    clauses.last_mut().expect("checked").alts.push(a);
                    pending_or = false;
                } else {
                    clauses.push(Clause {
                        negated: *negated,
                        alts: vec![a],
                    });
                }
            }
        }
    }
    Ok(Query { clauses })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: Field, t: &str) -> Atom {
        Atom::Text {
            field: f,
            text: t.into(),
        }
    }

    #[test]
    fn bare_terms_and() {
        let q = parse("劳动 关系").unwrap();
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(q.clauses[0].alts, vec![text(Field::All, "劳动")]);
    }

    #[test]
    fn phrase_with_spaces() {
        let q = parse("\"Piotr Lobodzinski\" 冠军").unwrap();
        assert_eq!(
            q.clauses[0].alts,
            vec![text(Field::All, "Piotr Lobodzinski")]
        );
    }

    #[test]
    fn negation_or_fields() {
        let q = parse("浦东 -新区 title:马拉松 OR byline:章磊").unwrap();
        assert!(q.clauses[1].negated);
        assert_eq!(
            q.clauses[2].alts,
            vec![text(Field::Title, "马拉松"), text(Field::Byline, "章磊")]
        );
        let q = parse("issue:000_ee8").unwrap();
        assert_eq!(q.clauses[0].alts, vec![text(Field::Issue, "000_ee8")]);
    }

    #[test]
    fn state_atoms() {
        let q = parse("劳动 is:unread -tag:done is:starred").unwrap();
        assert!(q.uses_state());
        assert_eq!(q.clauses[1].alts, vec![Atom::Is(IsWhat::Unread)]);
        assert!(q.clauses[2].negated);
        assert_eq!(q.clauses[2].alts, vec![Atom::Tag("done".into())]);
        assert!(!parse("劳动").unwrap().uses_state());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date_range("2023-11").unwrap(), (20231100, 20231131));
        assert_eq!(parse_date_range("2023").unwrap(), (20230000, 20231231));
        assert_eq!(
            parse_date_range("2023-01..2023-06").unwrap(),
            (20230100, 20230631)
        );
        assert_eq!(
            parse_date_range("2023-11-18").unwrap(),
            (20231118, 20231118)
        );
        assert!(parse_date_range("2023-13").is_err());
        assert!(parse_date_range("2024..2023").is_err());
        assert!(parse_date_range("soon").is_err());
    }

    #[test]
    fn malformed() {
        for bad in [
            "\"劳动",
            "劳\"动",
            "-",
            "浦东 - 新区",
            "foo:bar",
            "title:",
            "OR 浦东",
            "浦东 OR",
            "a OR OR b",
            "-a OR b",
            "\"\"",
            "date:x",
            "is:soon",
            "tag:",
        ] {
            let e = parse(bad);
            assert!(e.is_err(), "{bad:?} should be an error, got {e:?}");
            assert!(!e.unwrap_err().0.is_empty());
        }
    }

    #[test]
    fn colon_inside_quotes_and_digits_is_text() {
        assert_eq!(
            parse("\"a:b\"").unwrap().clauses[0].alts,
            vec![text(Field::All, "a:b")]
        );
        assert_eq!(
            parse("12:30").unwrap().clauses[0].alts,
            vec![text(Field::All, "12:30")]
        );
        assert!(parse("").unwrap().is_empty());
        assert!(parse("   ").unwrap().is_empty());
    }
}
