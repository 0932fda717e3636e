//! Tokenizers registered on every tantivy `Index` handle kanbao opens.
//!
//! - `kb_grams`: every character (folded: NFKC, lower case; white space runs as one space) as a
//!   unigram, and every pair of neighbours as a bigram, both at the character's real position.
//!   A run of text of any length is then found exactly by a phrase of its bigrams. The unit
//!   separator U+001F between field values leaves a gap of positions, so that no match crosses
//!   from one paragraph (or field) into the next.
//! - `kb_words`: jieba words (folded), for BM25 ranking.

use std::sync::Arc;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Separator between values in one gram field: no phrase spans it.
pub const SEP: char = '\u{1F}';

pub const GRAMS: &str = "kb_grams";
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

#[derive(Clone, Default)]
pub struct GramTokenizer;

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        VecStream {
            tokens: gram_tokens(text),
            idx: 0,
        }
    }
}

/// jieba words, folded; white space and punctuation dropped. The `Jieba` is shared (an `Arc`):
/// tantivy clones tokenizers often.
#[derive(Clone)]
pub struct WordTokenizer {
    jieba: Arc<jieba_rs::Jieba>,
}

impl Default for WordTokenizer {
    fn default() -> Self {
        WordTokenizer {
            jieba: crate::layout::jieba(),
        }
    }
}

pub fn word_tokens(jieba: &jieba_rs::Jieba, text: &str) -> Vec<Token> {
    let folded = crate::text::fold(text);
    let mut out = Vec::new();
    let mut pos = 0;
    for w in jieba.cut(&folded, true) {
        let word = w.word;
        if !word.chars().any(|c| c.is_alphanumeric()) {
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
            tokens: word_tokens(&self.jieba, text),
            idx: 0,
        }
    }
}

/// Register kanbao's tokenizers on an index handle (they are not stored in the index).
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(GRAMS, GramTokenizer);
    index.tokenizers().register(WORDS, WordTokenizer::default());
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
    fn folding() {
        assert_eq!(
            fold_chars("ＡＢＣ１２３  x"),
            "abc123 x".chars().collect::<Vec<_>>()
        );
    }
}
