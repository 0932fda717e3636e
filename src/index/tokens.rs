//! Tokenizers registered on every tantivy `Index` handle kanbao opens.
//!
//! - `kb_grams`: every character (folded: NFKC, lower case; white space runs as one space) as a
//!   unigram, and every pair of neighbours as a bigram, both at the character's real position.
//!   A run of text of any length is then found exactly by a phrase of its bigrams. The unit
//!   separator U+001F between field values leaves a gap of positions, so that no match crosses
//!   from one paragraph (or field) into the next.
//! - `kb_bigrams` and `kb_unigrams`: the same, each alone. The text of a record is indexed as
//!   bigrams with positions (`g_all`) and as unigrams without (`g_uni`): a one-character query
//!   is one term and needs no positions, and unigram positions were half of the index's.
//!   `kb_unigrams` gives each distinct character once (no positions, no counts to keep).
//! - `kb_words`: jieba words (folded), for BM25 ranking.

use std::sync::Arc;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Separator between values in one gram field: no phrase spans it.
pub const SEP: char = '\u{1F}';

pub const GRAMS: &str = "kb_grams";
pub const BIGRAMS: &str = "kb_bigrams";
pub const UNIGRAMS: &str = "kb_unigrams";
pub const WORDS: &str = "kb_words";

/// Fold text for indexing and querying: NFKC, lower case, white space runs to one space.
/// Returns the folded characters.
pub fn fold_chars(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    let mut space = false;
    for c in crate::text::fold(s).chars() {
        if c == SEP {
            out.push(SEP);
            space = false;
        } else if c.is_whitespace() {
            if !space && !out.is_empty() && out.last() != Some(&SEP) {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    while out.last() == Some(&' ') {
        out.pop();
    }
    out
}

/// Unigram and bigram tokens of a text, with positions.
pub fn gram_tokens(text: &str) -> Vec<Token> {
    let chars = fold_chars(text);
    let mut out = Vec::with_capacity(chars.len() * 2);
    let mut pos = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        if c == SEP {
            pos += 8; // a gap: phrases never match across values
            continue;
        }
        out.push(Token {
            position: pos,
            text: c.to_string(),
            position_length: 1,
            ..Default::default()
        });
        if let Some(&d) = chars.get(i + 1) {
            if d != SEP {
                let mut t = String::with_capacity(8);
                t.push(c);
                t.push(d);
                out.push(Token {
                    position: pos,
                    text: t,
                    position_length: 1,
                    ..Default::default()
                });
            }
        }
        pos += 1;
    }
    out
}

/// At most this many characters of one field value are indexed (a page of OCR text is a few
/// thousand; a 50 MB line with no break is not a page, and indexing all of it would take
/// minutes). The rest is stored and shown, but not searchable.
pub const MAX_INDEXED_CHARS: usize = 1 << 20;

/// Unigrams and bigrams (or either alone), produced lazily (no vector of every token of a
/// huge text).
pub struct GramStream<'a> {
    chars: std::iter::Peekable<std::vec::IntoIter<char>>,
    pending_bigram: Option<(char, char)>,
    pos: usize,
    token: Token,
    kinds: GramTokenizer,
    _text: std::marker::PhantomData<&'a str>,
}

impl<'a> GramStream<'a> {
    fn new(text: &'a str, kinds: GramTokenizer) -> Self {
        let mut chars = fold_chars(&text.chars().take(MAX_INDEXED_CHARS).collect::<String>());
        if kinds.unigrams && !kinds.bigrams {
            // unigrams alone go to a field without positions or counts: each character once
            // gives the same postings from fewer tokens (about 2 % of a build's CPU,
            // docs/PERFORMANCE.md); a record's field norm is then its distinct characters
            chars.retain(|&c| c != SEP);
            chars.sort_unstable();
            chars.dedup();
        }
        GramStream {
            chars: chars.into_iter().peekable(),
            pending_bigram: None,
            pos: 0,
            token: Token::default(),
            kinds,
            _text: std::marker::PhantomData,
        }
    }
}

impl TokenStream for GramStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some((a, b)) = self.pending_bigram.take() {
            self.token.text.clear();
            self.token.text.push(a);
            self.token.text.push(b);
            self.token.position = self.pos;
            self.pos += 1;
            return true;
        }
        loop {
            let Some(c) = self.chars.next() else {
                return false;
            };
            if c == SEP {
                self.pos += 8;
                continue;
            }
            let next = match self.chars.peek() {
                Some(&d) if d != SEP && self.kinds.bigrams => Some(d),
                _ => None,
            };
            self.token.text.clear();
            self.token.position = self.pos;
            self.token.position_length = 1;
            if self.kinds.unigrams {
                self.token.text.push(c);
                match next {
                    Some(d) => self.pending_bigram = Some((c, d)),
                    None => self.pos += 1,
                }
                return true;
            }
            self.pos += 1;
            if let Some(d) = next {
                self.token.text.push(c);
                self.token.text.push(d);
                return true;
            }
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// A token stream over precomputed tokens.
pub struct VecStream {
    tokens: Vec<Token>,
    idx: usize,
}

impl TokenStream for VecStream {
    fn advance(&mut self) -> bool {
        if self.idx < self.tokens.len() {
            self.idx += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.idx - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.idx - 1]
    }
}

/// Which grams a [`GramStream`] gives.
#[derive(Clone, Copy, Debug)]
pub struct GramTokenizer {
    pub unigrams: bool,
    pub bigrams: bool,
}

impl GramTokenizer {
    pub const BOTH: GramTokenizer = GramTokenizer {
        unigrams: true,
        bigrams: true,
    };
    pub const UNI: GramTokenizer = GramTokenizer {
        unigrams: true,
        bigrams: false,
    };
    pub const BI: GramTokenizer = GramTokenizer {
        unigrams: false,
        bigrams: true,
    };
}

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = GramStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramStream<'a> {
        GramStream::new(text, *self)
    }
}

/// jieba words, folded; white space and punctuation dropped. The `Jieba` is shared (an `Arc`)
/// and loaded on the first text to cut, not when the index is opened: its dictionary takes
/// about 0.1 s to load, which a command that never cuts words (`show`, a query of digits) must
/// not pay. tantivy clones tokenizers often.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    jieba: Arc<std::sync::OnceLock<Arc<jieba_rs::Jieba>>>,
}

pub fn word_tokens(jieba: &jieba_rs::Jieba, text: &str) -> Vec<Token> {
    let folded = crate::text::fold(text);
    let mut out = Vec::new();
    let mut pos = 0;
    for w in jieba.cut(&folded, true) {
        let word = w.word;
        if !word.chars().any(|c| c.is_alphanumeric()) {
            // punctuation gives no token but breaks phrases: 劳动，关系 is not 劳动 关系
            if !word.chars().all(char::is_whitespace) {
                pos += 1;
            }
            continue;
        }
        out.push(Token {
            position: pos,
            text: word.to_string(),
            position_length: 1,
            ..Default::default()
        });
        pos += 1;
    }
    out
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        VecStream {
            tokens: word_tokens(self.jieba.get_or_init(crate::layout::jieba), text),
            idx: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_have_real_positions_and_gaps() {
        let t = gram_tokens("劳动\u{1f}关系");
        let v: Vec<(usize, &str)> = t.iter().map(|t| (t.position, t.text.as_str())).collect();
        assert_eq!(
            v,
            vec![
                (0, "劳"),
                (0, "劳动"),
                (1, "动"),
                (10, "关"),
                (10, "关系"),
                (11, "系")
            ]
        );
    }

    #[test]
    fn streaming_grams_equal_the_reference() {
        for t in [
            "劳动\u{1f}关系",
            "",
            "a",
            "\u{1f}\u{1f}x",
            "浦东 新区\u{1f}ＡＢＣ１２３",
            "x\u{1f}",
            "上海上海，上海",
        ] {
            let grams = |mut k: GramTokenizer| {
                let mut st = k.token_stream(t);
                let mut got = Vec::new();
                while st.advance() {
                    got.push((st.token().position, st.token().text.clone()));
                }
                got
            };
            let want: Vec<(usize, String)> = gram_tokens(t)
                .into_iter()
                .map(|t| (t.position, t.text))
                .collect();
            assert_eq!(grams(GramTokenizer::BOTH), want, "{t:?}");
            // bigrams alone: the same tokens at the same positions; unigrams alone (a field
            // without positions): each distinct one once
            let (uni, bi): (Vec<_>, Vec<_>) =
                want.into_iter().partition(|(_, g)| g.chars().count() == 1);
            assert_eq!(grams(GramTokenizer::BI), bi, "{t:?}");
            let distinct: std::collections::BTreeSet<String> =
                uni.into_iter().map(|(_, g)| g).collect();
            let got: Vec<String> = grams(GramTokenizer::UNI)
                .into_iter()
                .map(|(_, g)| g)
                .collect();
            assert_eq!(got, distinct.into_iter().collect::<Vec<_>>(), "{t:?}");
        }
    }

    #[test]
    fn folding() {
        assert_eq!(
            fold_chars("ＡＢＣ１２３  x"),
            "abc123 x".chars().collect::<Vec<_>>()
        );
    }
}
