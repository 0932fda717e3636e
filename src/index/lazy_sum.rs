//! Ranking clauses scored only where the query matches.
//!
//! A search box query is `Must(what matches) + Should(what ranks)`: title matches and the
//! query's jieba words. tantivy joins the `Should` clauses in a buffered union, which scores
//! every document of a 4,096-document window around each one the `Must` part lands on: for a
//! phrase of common characters (`的高水`) with a few thousand matches spread over a million
//! records, the word `的` alone is scored millions of times, most of the search's time (20 ms
//! of 25 at a million). [`LazySum`] is the same sum of scores computed lazily: each part seeks
//! straight to the document asked for (its skip list) and only the parts on it are scored.
//! Same documents, same scores (summed in the same order), as a union of `Should` clauses.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// The sum of the scores of the parts that match (a document matches when any part does).
#[derive(Debug)]
pub struct LazySum {
    parts: Vec<Box<dyn Query>>,
}

impl LazySum {
    pub fn new(parts: Vec<Box<dyn Query>>) -> LazySum {
        LazySum { parts }
    }
}

impl Clone for LazySum {
    fn clone(&self) -> Self {
        LazySum {
            parts: self.parts.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl Query for LazySum {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let parts = self
            .parts
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SumWeight { parts }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.parts {
            q.query_terms(visitor);
        }
    }
}

struct SumWeight {
    parts: Vec<Box<dyn Weight>>,
}

impl Weight for SumWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut parts = Vec::with_capacity(self.parts.len());
        for w in &self.parts {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                parts.push(s);
            }
        }
        let doc = parts.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        Ok(Box::new(SumScorer { parts, doc }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut e = Explanation::new("sum of the parts on the document", scorer.score());
        for w in &self.parts {
            if let Ok(x) = w.explain(reader, doc) {
                e.add_detail(x);
            }
        }
        Ok(e)
    }
}

struct SumScorer {
    /// The parts not yet exhausted when the segment was opened, in the query's order.
    parts: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl DocSet for SumScorer {
    fn advance(&mut self) -> DocId {
        let mut next = TERMINATED;
        for s in &mut self.parts {
            if s.doc() <= self.doc {
                s.advance();
            }
            next = next.min(s.doc());
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let mut next = TERMINATED;
        for s in &mut self.parts {
            if s.doc() < target {
                s.seek(target);
            }
            next = next.min(s.doc());
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts.iter().map(|s| s.size_hint()).max().unwrap_or(0)
    }

    fn cost(&self) -> u64 {
        self.parts.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for SumScorer {
    fn score(&mut self) -> Score {
        let mut total: Score = 0.0;
        for s in &mut self.parts {
            if s.doc() == self.doc {
                total += s.score();
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    /// An index of `docs` (words from a small vocabulary, so that terms are common and rare),
    /// in several segments.
    fn index(docs: &[Vec<u8>]) -> (Index, tantivy::schema::Field) {
        let mut b = Schema::builder();
        let f = b.add_text_field("t", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, d) in docs.iter().enumerate() {
            let text: Vec<String> = d.iter().map(|x| format!("w{x}")).collect();
            w.add_document(doc!(f => text.join(" "))).unwrap();
            if i % 37 == 36 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        (index, f)
    }

    fn term(f: tantivy::schema::Field, x: u8) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(f, &format!("w{x}")),
            IndexRecordOption::WithFreqs,
        ))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// `Must(a) + LazySum(parts)` finds the same documents with the same scores as
        /// `Must(a) + Should(part)…`, and `LazySum` alone the same as the union of its parts.
        #[test]
        fn same_matches_and_scores_as_should_clauses(
            docs in proptest::collection::vec(proptest::collection::vec(0u8..12, 1..8), 1..200),
            must in 0u8..12,
            parts in proptest::collection::vec((0u8..14, 1u8..4), 1..5),
        ) {
            let (index, f) = index(&docs);
            let searcher = index.reader().unwrap().searcher();
            let ranking = |lazy: bool| -> Vec<(Occur, Box<dyn Query>)> {
                let qs: Vec<Box<dyn Query>> = parts
                    .iter()
                    .map(|&(x, b)| -> Box<dyn Query> { Box::new(BoostQuery::new(term(f, x), b as f32)) })
                    .collect();
                if lazy {
                    vec![(Occur::Should, Box::new(LazySum::new(qs)) as Box<dyn Query>)]
                } else {
                    qs.into_iter().map(|q| (Occur::Should, q)).collect()
                }
            };
            let run = |q: &dyn Query| {
                let (n, top) = searcher
                    .search(q, &(Count, TopDocs::with_limit(1000).order_by_score()))
                    .unwrap();
                let mut top: Vec<(u32, u32, u32)> = top
                    .into_iter()
                    .map(|(s, a)| (a.segment_ord, a.doc_id, s.to_bits()))
                    .collect();
                top.sort();
                (n, top)
            };
            for with_must in [true, false] {
                let build = |lazy: bool| {
                    let mut subs = ranking(lazy);
                    if with_must {
                        subs.insert(0, (Occur::Must, term(f, must)));
                    }
                    BooleanQuery::new(subs)
                };
                let (a, b) = (run(&build(false)), run(&build(true)));
                prop_assert_eq!(a, b);
            }
        }
    }
}
