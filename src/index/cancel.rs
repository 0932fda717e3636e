//! A search that stops once it is no longer wanted.
//!
//! The reader's full answer to a query (every match ranked and counted) can take a quarter of a
//! second at a million records, and a tantivy search cannot be interrupted: a key typed
//! meanwhile waited for it. [`Until`] wraps a query so that its matches run out as soon as
//! `stop()` says so (asked every few hundred documents), and remembers that it stopped: the
//! search then returns early and its result, partial, is thrown away.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Says whether the search is still wanted (`true`: stop).
pub type Stop = Arc<dyn Fn() -> bool + Send + Sync>;

/// Documents between two looks at `stop`.
const EVERY: u32 = 256;

/// When to stop, and whether a search stopped.
#[derive(Clone)]
pub struct Until {
    stop: Stop,
    stopped: Arc<AtomicBool>,
}

impl Until {
    pub fn new(stop: Stop) -> Until {
        Until {
            stop,
            stopped: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Did a search wrapped by [`Until::wrap`] stop before its end?
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    /// `q`, stopping when asked.
    pub fn wrap(&self, q: &dyn Query) -> Box<dyn Query> {
        Box::new(Cancellable {
            inner: q.box_clone(),
            until: self.clone(),
        })
    }

    fn check(&self) -> bool {
        let stop = (self.stop)();
        if stop {
            self.stopped.store(true, Ordering::Relaxed);
        }
        stop
    }
}

struct Cancellable {
    inner: Box<dyn Query>,
    until: Until,
}

impl Clone for Cancellable {
    fn clone(&self) -> Self {
        Cancellable {
            inner: self.inner.box_clone(),
            until: self.until.clone(),
        }
    }
}

impl std::fmt::Debug for Cancellable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cancellable")
            .field("inner", &self.inner)
            .finish()
    }
}

impl Query for Cancellable {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CancellableWeight {
            inner: self.inner.weight(scoring)?,
            until: self.until.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct CancellableWeight {
    inner: Box<dyn Weight>,
    until: Until,
}

impl Weight for CancellableWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if self.until.check() {
            return Ok(Box::new(tantivy::query::EmptyScorer));
        }
        Ok(Box::new(CancellableScorer {
            inner: self.inner.scorer(reader, boost)?,
            until: self.until.clone(),
            steps: 0,
            done: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct CancellableScorer {
    inner: Box<dyn Scorer>,
    until: Until,
    steps: u32,
    done: bool,
}

impl CancellableScorer {
    /// Count a step; every [`EVERY`] steps, look whether to stop.
    fn step(&mut self) -> bool {
        self.steps += 1;
        if self.steps.is_multiple_of(EVERY) && self.until.check() {
            self.done = true;
        }
        self.done
    }
}

impl DocSet for CancellableScorer {
    fn advance(&mut self) -> DocId {
        if self.step() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.step() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.done {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for CancellableScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    #[test]
    fn a_wrapped_search_finds_the_same_until_told_to_stop() {
        let mut b = Schema::builder();
        let f = b.add_text_field("t", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..5000 {
            w.add_document(doc!(f => format!("common w{}", i % 7)))
                .unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let q = TermQuery::new(
            Term::from_field_text(f, "common"),
            IndexRecordOption::WithFreqs,
        );
        let collector = (Count, TopDocs::with_limit(10).order_by_score());
        let plain = searcher.search(&q, &collector).unwrap();
        // never told to stop: the same count and hits
        let never = Until::new(Arc::new(|| false));
        let same = searcher.search(&*never.wrap(&q), &collector).unwrap();
        assert_eq!(same.0, plain.0);
        assert_eq!(same.1, plain.1);
        assert!(!never.stopped());
        // told to stop after a while: fewer matches, and it says so
        let looks = Arc::new(AtomicUsize::new(0));
        let l = looks.clone();
        let soon = Until::new(Arc::new(move || l.fetch_add(1, Ordering::Relaxed) >= 3));
        let cut = searcher.search(&*soon.wrap(&q), &collector).unwrap();
        assert!(soon.stopped());
        assert!(cut.0 < plain.0, "{} of {}", cut.0, plain.0);
    }
}
