//! The search index: one tantivy index per archive in the data folder (never in the archive),
//! kept in sync with the archive's files, and the queries the search box runs against it.

pub mod cancel;
pub mod catalog;
pub mod lazy_sum;
pub mod lock;
pub mod pinyin_words;
pub mod query;
pub mod snippet;
pub mod tokens;
pub mod variants;

use crate::archive::{self, IssueFile};
use crate::model::{Issue, Record};
use crate::state::StateSets;
use lock::WriteLock;
use query::{Atom, Field, IsWhat, Query};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Threads of tantivy's writer (tokenizing: grams, jieba words, pinyin); analysis runs on
/// rayon's threads beside them.
const WRITER_THREADS: usize = 2;

/// Bumped whenever the schema or the analysis changes what is indexed: an index of another
/// version is rebuilt. 5: word positions leave a gap at punctuation (two-word pinyin phrases).
/// 6: the text is stored once (in the record). 7: a catalog (SQLite) instead of manifest.json.
/// 8: no pinyin fields (a pinyin query is spelled out into the archive's words). 9: the text's
/// unigrams in a field of their own, without positions; words without positions (what pinyin
/// spells is looked up in the text); nothing stored but the id and the record. 10: only the
/// record stored, in zstd.
pub const SCHEMA_VERSION: u32 = 10;

/// Matches a keystroke's query may have to be ranked in its first answer (ranking more takes
/// longer than a frame at a million records: the first answer then gives them unranked).
pub const RANK_AT_ONCE: u64 = 3000;

/// How long the reader's first answer to a keystroke may look before it gives the first
/// matches and an estimated count (the full answer follows): well inside a frame with drawing.
pub const FIRST_ANSWER: std::time::Duration = std::time::Duration::from_millis(3);

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: tantivy::schema::Field,
    pub issue: tantivy::schema::Field,
    pub source: tantivy::schema::Field,
    pub kind: tantivy::schema::Field,
    pub date: tantivy::schema::Field,
    pub day: tantivy::schema::Field,
    pub words: tantivy::schema::Field,
    pub title_words: tantivy::schema::Field,
    /// Every character pair of the text, with positions (a run of text is a phrase of them).
    pub g_all: tantivy::schema::Field,
    /// Every character of the text, without positions or counts (a one-character query: it
    /// matches so much that the reader's first answer to it is unranked anyway).
    pub g_uni: tantivy::schema::Field,
    pub g_title: tantivy::schema::Field,
    pub g_byline: tantivy::schema::Field,
    pub g_source: tantivy::schema::Field,
    /// The record's text in simplified characters, only when that differs from the text.
    pub g_fold: tantivy::schema::Field,
    /// The whole record as JSON, so that readers load an archive from the index.
    pub record: tantivy::schema::Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokens::GRAMS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let with = |tokenizer: &str, option: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(option),
        )
    };
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokens::WORDS)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let f = Fields {
        // looked up, not read: a hit's id is in its record
        id: b.add_text_field("id", STRING),
        issue: b.add_text_field("issue", STRING),
        source: b.add_text_field("source", STRING),
        kind: b.add_text_field("kind", STRING),
        date: b.add_text_field("date", STRING),
        day: b.add_u64_field("day", INDEXED | FAST),
        words: b.add_text_field("words", words.clone()),
        title_words: b.add_text_field("title_words", words),
        g_all: b.add_text_field(
            "g_all",
            with(tokens::BIGRAMS, IndexRecordOption::WithFreqsAndPositions),
        ),
        g_uni: b.add_text_field("g_uni", with(tokens::UNIGRAMS, IndexRecordOption::Basic)),
        g_title: b.add_text_field("g_title", grams.clone()),
        g_byline: b.add_text_field("g_byline", grams.clone()),
        g_source: b.add_text_field("g_source", grams.clone()),
        g_fold: b.add_text_field("g_fold", grams),
        record: b.add_text_field("record", STORED),
    };
    (b.build(), f)
}

/// The index of one archive.
///
/// Many processes may hold a `Store` of one archive at once; only the holder of the index's
/// [`WriteLock`] changes it. Opening never waits while a committed index is there. Syncing
/// takes the lock; a rebuild (asked for, or of a damaged or outdated index) is built beside the
/// live index and swapped in only when complete, so readers see the old index until then.
pub struct Store {
    /// Where this handle's index lives: the live folder, or the folder of a rebuild in progress.
    pub dir: PathBuf,
    /// The live (published) folder of this archive's index.
    live: PathBuf,
    /// Identity of the live folder when opened: a rebuild published since replaces it.
    ino: u64,
    /// Held from a rebuild's creation until it is published.
    lock: Option<WriteLock>,
    /// The analysis that turns files into records ([`crate::layout::analyze`]).
    analyzer: crate::library::Analyzer,
    index: Index,
    reader: IndexReader,
    f: Fields,
    /// Which files the index holds, and the issue list ([`catalog`]).
    catalog: catalog::Catalog,
    /// Made anew each time the index is created: with the commit stamp it tells whether the
    /// index changed since marks were last carried to their articles.
    generation: String,
    /// Catalog changes waiting for the next commit of the index.
    pending: Vec<catalog::Change>,
    /// During a sync: the files the index holds, as the catalog says.
    known: std::collections::HashMap<String, catalog::Known>,
    /// The archive's words by pinyin, for the segments they were built from: what a pinyin
    /// query finds (nothing is indexed by pinyin).
    pinyin_words: pinyin_words::Cache,
    /// The memory budget of the next writer ([`writer_heap`]), set by a sync for its work.
    writer_heap: usize,
}

/// The first [`tokens::MAX_INDEXED_CHARS`] characters of `s`: what is searchable of a field.
fn bounded(s: &str) -> String {
    match s.char_indices().nth(tokens::MAX_INDEXED_CHARS) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// A long indexing run commits after this many files or bytes, and the catalog with it, so
/// that an interrupted run keeps what it did. The catalog never names a file the committed
/// index lacks; a file committed but not yet in the catalog is simply indexed again (its old
/// documents are deleted by source first), so the two never disagree in a way that matters.
/// Every commit ends the segments being written, and segments are merged again later: at 32 MB
/// or 2,000 files a build of a million articles committed about 60 times (docs/PERFORMANCE.md,
/// "Building with fewer commits"). At 256 MB an interrupted build loses about a minute and a
/// half of work.
const COMMIT_EVERY_FILES: usize = 32_000;
const COMMIT_EVERY_BYTES: u64 = 256 << 20;

/// [`COMMIT_EVERY_FILES`], or `KANBAO_COMMIT_EVERY_FILES` (tests: a checkpoint within a few
/// thousand small files).
fn commit_every_files() -> usize {
    std::env::var("KANBAO_COMMIT_EVERY_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(COMMIT_EVERY_FILES)
}

/// The memory budget of tantivy's writer for `bytes` of files to index: what a few new files
/// need (64 MB) up to 512 MB for a large build, where a bigger budget means fewer, larger
/// segments and so less merging (a segment is written when its thread's share is full).
fn writer_heap(bytes: u64) -> usize {
    const MIN: u64 = 64 << 20;
    const MAX: u64 = 512 << 20;
    bytes.saturating_mul(2).clamp(MIN, MAX) as usize
}

/// Whether the index in `dir` is of this schema and its pages were cut by another version of
/// the layout analysis ([`Store::cut_by_older_analysis`]). Reads its catalog only: no lock, no
/// index opened.
pub fn cut_by_older_analysis(dir: &Path) -> bool {
    let Ok(c) = catalog::Catalog::open(dir) else {
        return false;
    };
    let schema = c.meta("schema_version").ok().flatten();
    schema == Some(SCHEMA_VERSION.to_string()) && !cut_by_this_analysis(&c)
}

/// Whether a catalog carries this version's analysis stamp.
fn cut_by_this_analysis(c: &catalog::Catalog) -> bool {
    matches!(c.meta("analysis"), Ok(Some(a)) if a == crate::layout::stamp())
}

/// Fields whose values documents leave empty: `KANBAO_EMPTY_FIELDS` (comma-separated names),
/// read once. Only for measuring what each field costs a build (docs/PERFORMANCE.md, "What
/// each field costs a build"): an index built so cannot find what those fields hold.
fn empty_fields() -> &'static [String] {
    static EMPTY: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| {
        std::env::var("KANBAO_EMPTY_FIELDS")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

/// The folder of the index of `archive` inside `data_dir`.
pub fn index_dir(data_dir: &Path, archive: &Path) -> PathBuf {
    let canon = std::fs::canonicalize(archive).unwrap_or_else(|_| archive.to_path_buf());
    let key = blake3::hash(canon.to_string_lossy().as_bytes()).to_hex()[..16].to_string();
    data_dir.join("index").join(key)
}

/// Register kanbao's tokenizers on an index handle (they are not stored in the index).
fn register_tokenizers(index: &Index) {
    let t = index.tokenizers();
    t.register(tokens::GRAMS, tokens::GramTokenizer::BOTH);
    t.register(tokens::BIGRAMS, tokens::GramTokenizer::BI);
    t.register(tokens::UNIGRAMS, tokens::GramTokenizer::UNI);
    t.register(tokens::WORDS, tokens::WordTokenizer::default());
}

fn dir_identity(p: &Path) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).map(|m| m.ino()).unwrap_or(0)
    }
    #[cfg(not(unix))]
    {
        let _ = p;
        0
    }
}

/// Take the write lock of the index at `live`, saying so if another process holds it.
fn lock_for_writing(live: &Path, say: &mut dyn FnMut(String)) -> anyhow::Result<WriteLock> {
    WriteLock::acquire(live, &mut || {
        say("waiting for another kanbao to finish updating the search index".into())
    })
    .map_err(|e| anyhow::anyhow!("cannot lock the search index {}: {e}", live.display()))
}

/// `DIR` + `suffix` beside it (`<key>.new`, `<key>.lock`).
fn sibling(live: &Path, suffix: &str) -> PathBuf {
    let mut name = live
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    live.with_file_name(name)
}

impl Store {
    /// Open the index of `archive`, creating it, or rebuilding it when it is missing, corrupt
    /// or of another schema version. Messages say what was done and why.
    pub fn open(
        data_dir: &Path,
        archive: &Path,
        messages: &mut Vec<String>,
    ) -> anyhow::Result<Store> {
        Self::open_with(data_dir, archive, &mut |m| messages.push(m))
    }

    /// [`Store::open`], saying what it does as it does it (waiting for another writer, say).
    ///
    /// A committed index is opened without waiting for anyone. Only the holder of the write
    /// lock creates or rebuilds: an index that cannot be opened while another process holds the
    /// lock (it is being swapped or committed) is opened again once that process is done.
    pub fn open_with(
        data_dir: &Path,
        archive: &Path,
        say: &mut dyn FnMut(String),
    ) -> anyhow::Result<Store> {
        let live = index_dir(data_dir, archive);
        if let Ok(Some(s)) = Self::try_open(&live) {
            return Ok(s);
        }
        let lock = lock_for_writing(&live, say)?;
        // now that nobody else writes: is it there after all (built, or swapped in, meanwhile)?
        match Self::try_open(&live) {
            Ok(Some(s)) => Ok(s),
            // a first index is built in place: there is no older one to show meanwhile, and a
            // run that is killed keeps its checkpoints
            Ok(None) => Self::create(&live, &live, archive, lock),
            Err(why) => {
                say(format!("rebuilding the search index: {why}"));
                Self::create_aside(&live, archive, lock)
            }
        }
    }

    /// Start the index anew (`kanbao index --rebuild`): it is built beside the live one, which
    /// readers keep using until the new one is complete and swapped in by [`Store::sync`].
    pub fn recreate(data_dir: &Path, archive: &Path) -> anyhow::Result<Store> {
        Self::recreate_with(data_dir, archive, &mut |_| {})
    }

    /// [`Store::recreate`], saying so if it has to wait for another writer.
    pub fn recreate_with(
        data_dir: &Path,
        archive: &Path,
        say: &mut dyn FnMut(String),
    ) -> anyhow::Result<Store> {
        let live = index_dir(data_dir, archive);
        let lock = lock_for_writing(&live, say)?;
        if live.join("meta.json").exists() || catalog::Catalog::exists(&live) {
            Self::create_aside(&live, archive, lock)
        } else {
            Self::create(&live, &live, archive, lock)
        }
    }

    /// Is this handle a rebuild that [`Store::sync`] has not swapped in yet? (The live index
    /// is then still the previous one, at [`Store::live_dir`].)
    pub fn rebuilding(&self) -> bool {
        self.dir != self.live
    }

    pub fn live_dir(&self) -> &Path {
        &self.live
    }

    fn create_aside(live: &Path, archive: &Path, lock: WriteLock) -> anyhow::Result<Store> {
        let work = sibling(live, ".new");
        if work.exists() {
            // left by a rebuild that was interrupted; we hold the lock, so nobody uses it
            std::fs::remove_dir_all(&work)?;
        }
        Self::create(&work, live, archive, lock)
    }

    fn create(dir: &Path, live: &Path, archive: &Path, lock: WriteLock) -> anyhow::Result<Store> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        crate::paths::create_private_dir(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
        let (schema, f) = schema();
        // the document store (the records) in zstd at its default level: a quarter smaller
        // than tantivy's lz4 (docs/PERFORMANCE.md: what it costs a query)
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor::default(),
            ),
            ..Default::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(dir)?;
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let generation = format!(
            "{}-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
            std::process::id()
        );
        let catalog = catalog::Catalog::create(
            dir,
            &[
                ("schema_version", &SCHEMA_VERSION.to_string()),
                ("analysis", crate::layout::stamp()),
                ("archive", &archive.to_string_lossy()),
                ("generation", &generation),
            ],
        )?;
        let s = Store {
            dir: dir.to_path_buf(),
            live: live.to_path_buf(),
            ino: dir_identity(live),
            lock: Some(lock),
            analyzer: crate::layout::analyze,
            pinyin_words: Default::default(),
            writer_heap: writer_heap(0),
            index,
            reader,
            f,
            catalog,
            generation,
            pending: Vec::new(),
            known: Default::default(),
        };
        Ok(s)
    }

    /// Ok(None): no index there yet. Err: there is one, but it cannot be used.
    fn try_open(dir: &Path) -> Result<Option<Store>, String> {
        let ino = dir_identity(dir);
        if !dir.join("meta.json").exists()
            && !catalog::Catalog::exists(dir)
            && !dir.join("manifest.json").exists()
        {
            return Ok(None);
        }
        if dir.join("manifest.json").exists() && !catalog::Catalog::exists(dir) {
            return Err("it was made by an older version (a manifest, no catalog)".into());
        }
        let catalog = catalog::Catalog::open(dir)?;
        let version = catalog
            .meta("schema_version")
            .map_err(|e| format!("its catalog is damaged ({e})"))?
            .unwrap_or_default();
        if version != SCHEMA_VERSION.to_string() {
            return Err(format!(
                "it was made by another version (schema {version} instead of {SCHEMA_VERSION})"
            ));
        }
        let generation = catalog
            .meta("generation")
            .map_err(|e| format!("its catalog is damaged ({e})"))?
            .unwrap_or_default();
        let index = Index::open_in_dir(dir).map_err(|e| format!("it cannot be opened ({e})"))?;
        register_tokenizers(&index);
        let (expected, f) = schema();
        if index.schema() != expected {
            return Err("its fields differ from this version's".into());
        }
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| format!("it cannot be read ({e})"))?;
        // Touch every segment so that truncated or garbled files show now, not mid-search.
        let searcher = reader.searcher();
        for seg in searcher.segment_readers() {
            for field in [f.g_all, f.words] {
                seg.inverted_index(field)
                    .map_err(|e| format!("it is damaged ({e})"))?;
            }
        }
        if let Err(e) = searcher.search(&AllQuery, &Count) {
            return Err(format!("it is damaged ({e})"));
        }
        Ok(Some(Store {
            dir: dir.to_path_buf(),
            live: dir.to_path_buf(),
            ino,
            lock: None,
            analyzer: crate::layout::analyze,
            pinyin_words: Default::default(),
            writer_heap: writer_heap(0),
            index,
            reader,
            f,
            catalog,
            generation,
            pending: Vec::new(),
            known: Default::default(),
        }))
    }

    /// Swap a finished rebuild in for the live index, then use the live one. Readers that open
    /// between the two renames find no index and wait for the lock, which is still held.
    fn publish(&mut self) -> anyhow::Result<()> {
        self.catalog.checkpoint();
        let old = sibling(&self.live, &format!(".old-{}", std::process::id()));
        let had_live = self.live.exists();
        if had_live {
            std::fs::rename(&self.live, &old)?;
        }
        std::fs::rename(&self.dir, &self.live)?;
        if had_live {
            std::fs::remove_dir_all(&old).ok();
        }
        let lock = self.lock.take();
        let live = self.live.clone();
        *self = Self::try_open(&live)
            .map_err(|e| anyhow::anyhow!("the rebuilt index {e}"))?
            .ok_or_else(|| anyhow::anyhow!("the rebuilt index vanished"))?;
        self.lock = lock;
        Ok(())
    }

    /// Analyse files with another analysis from now on (tests: a new version of the analysis
    /// that cuts pages differently). Only files indexed after this call are analysed with it.
    pub fn set_analyzer(&mut self, analyzer: crate::library::Analyzer) {
        self.analyzer = analyzer;
    }

    /// What identifies the committed state of the index: it changes with every commit and
    /// every rebuild (marks are carried to their articles again when it does).
    pub fn version_token(&self) -> String {
        let stamp = self.index.load_metas().map(|m| m.opstamp).unwrap_or(0);
        format!("{}:{stamp}", self.generation)
    }

    fn writer(&self) -> anyhow::Result<IndexWriter> {
        self.index
            .writer_with_num_threads(WRITER_THREADS, self.writer_heap)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => anyhow::anyhow!(
                    "the search index is being updated by another kanbao (lock in {})",
                    self.dir.display()
                ),
                other => other.into(),
            })
    }

    fn add_record(&self, w: &IndexWriter, r: &Record) -> tantivy::Result<()> {
        w.add_document(self.document(r))?;
        Ok(())
    }

    /// The index document of a record: every field it is searched, ranked and shown by.
    fn document(&self, r: &Record) -> TantivyDocument {
        let f = &self.f;
        let sep = tokens::SEP.to_string();
        let headline: Vec<&str> = [&r.kicker, &r.title, &r.subtitle]
            .into_iter()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        // the fields a substring may match, each on its own (the separator keeps them apart)
        let mut all: Vec<&str> = headline.clone();
        if !r.byline.is_empty() {
            all.push(&r.byline);
        }
        all.extend(r.paragraphs.iter().map(|s| s.as_str()));
        let all_text = bounded(&all.join(&sep));
        let simplified = variants::to_simplified(&all_text);
        let folded = if simplified != all_text {
            simplified
        } else {
            String::new()
        };
        let day = r.date.replace('-', "").parse::<u64>().unwrap_or(0);
        let day = if r.date.len() == 7 { day * 100 } else { day };
        // words in simplified characters: what a query is cut into and pinyin spells out
        let simple = |s: String| {
            if folded.is_empty() {
                s
            } else {
                variants::to_simplified(&s)
            }
        };
        // every field a substring may match (the byline too: pinyin finds its words)
        let words = simple(bounded(&format!(
            "{}\n{}\n{}",
            headline.join(" "),
            r.byline,
            r.paragraphs.join("\n")
        )));
        let title_words = simple(headline.join(" "));
        // for measuring what a field costs a build (`KANBAO_EMPTY_FIELDS`): its value left empty
        let keep = |name: &str, v: String| {
            if empty_fields().iter().any(|e| e == name) {
                String::new()
            } else {
                v
            }
        };
        let words = keep("words", words);
        let title_words = keep("title_words", title_words);
        let uni = keep("g_uni", all_text.clone());
        let all_text = keep("g_all", all_text);
        let folded = keep("g_fold", folded);
        doc!(
            f.id => r.id.clone(),
            f.issue => r.issue.clone(),
            f.source => r.source.clone(),
            f.kind => if r.kind == crate::model::Kind::Article { "article" } else { "fragment" },
            f.date => r.date.clone(),
            f.day => day,
            f.words => words,
            f.title_words => title_words,
            f.g_uni => uni,
            f.g_all => all_text,
            f.g_fold => folded,
            f.g_title => keep("g_title", headline.join(&sep)),
            f.g_byline => keep("g_byline", r.byline.clone()),
            f.g_source => keep("g_source", r.source.clone()),
            f.record => keep("record", serde_json::to_string(r).unwrap_or_default()),
        )
    }

    /// What each field costs: bytes on disk (term dictionary, postings, positions, field norms,
    /// fast columns, summed over segments) and, over the first `sample` records, the bytes of
    /// its values and the time its tokenizer takes on them. The document store is not split by
    /// tantivy per field: it is one row, `(store)`, with the raw bytes of the stored values
    /// per field in `value_bytes` of their own rows.
    pub fn field_costs(&self, sample: usize) -> anyhow::Result<Vec<FieldCost>> {
        use std::collections::BTreeMap;
        let searcher = self.reader.searcher();
        let usage = searcher.space_usage()?;
        let schema = self.index.schema();
        let mut costs: BTreeMap<String, FieldCost> = BTreeMap::new();
        for (name, _) in schema.fields().map(|(f, e)| (e.name().to_string(), f)) {
            costs.insert(
                name.clone(),
                FieldCost {
                    field: name,
                    ..Default::default()
                },
            );
        }
        let mut store = 0u64;
        for seg in usage.segments() {
            for part in [
                seg.termdict(),
                seg.postings(),
                seg.positions(),
                seg.fieldnorms(),
                seg.fast_fields(),
            ] {
                for fu in part.fields() {
                    if let Some(c) = costs.get_mut(fu.field_name()) {
                        c.index_bytes += fu.total().get_bytes();
                    }
                }
            }
            for fu in seg.positions().fields() {
                if let Some(c) = costs.get_mut(fu.field_name()) {
                    c.position_bytes += fu.total().get_bytes();
                }
            }
            store += seg.store().total().get_bytes();
        }
        // tokenizing, on a sample of records rebuilt into documents as indexing builds them
        let mut done = 0;
        'all: for seg in searcher.segment_readers() {
            let st = seg.get_store_reader(0)?;
            for doc_id in 0..seg.max_doc() {
                if done >= sample {
                    break 'all;
                }
                let d: TantivyDocument = st.get(doc_id)?;
                let Some(r) = stored_record(&d, self.f.record) else {
                    continue;
                };
                done += 1;
                let doc = self.document(&r);
                for (field, value) in doc.field_values() {
                    let entry = schema.get_field_entry(field);
                    let Some(text) = value.as_str() else { continue };
                    let Some(c) = costs.get_mut(entry.name()) else {
                        continue;
                    };
                    c.value_bytes += text.len() as u64;
                    let tokenizer = match entry.field_type() {
                        tantivy::schema::FieldType::Str(o) => {
                            o.get_indexing_options().map(|i| i.tokenizer().to_string())
                        }
                        _ => None,
                    };
                    if let Some(mut a) = tokenizer.and_then(|t| self.index.tokenizers().get(&t)) {
                        let t0 = std::time::Instant::now();
                        let mut ts = a.token_stream(text);
                        while ts.advance() {
                            c.tokens += 1;
                        }
                        c.tokenize += t0.elapsed();
                    }
                }
            }
        }
        let mut out: Vec<FieldCost> = costs.into_values().collect();
        out.push(FieldCost {
            field: "(store)".into(),
            index_bytes: store,
            ..Default::default()
        });
        out.sort_by_key(|c| std::cmp::Reverse(c.index_bytes));
        Ok(out)
    }

    /// Bring the index in line with the archive: (re)index new and changed files, drop removed
    /// ones, skip unchanged ones (same size and mtime; else same content id) without analysing
    /// them again. `progress(done, total, name)` is called per file. Returns the issues that were
    /// analysed, the warnings, and counts.
    ///
    /// On failure (a full disk, say) the work since the last commit is rolled back, the files
    /// it wrote are removed, and the store is as it was at that commit.
    ///
    /// Waits for the write lock if another process holds it. A handle opened before another
    /// process swapped in a rebuild moves to the new index first.
    pub fn sync(
        &mut self,
        archive: &Path,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> anyhow::Result<SyncReport> {
        if self.lock.is_none() {
            self.lock = Some(WriteLock::acquire(&self.live, &mut || {})?);
        }
        self.sync_locked(archive, progress)
    }

    /// [`Store::sync`] if no other process is writing; `Ok(None)` (and nothing done) if one is.
    pub fn try_sync(
        &mut self,
        archive: &Path,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> anyhow::Result<Option<SyncReport>> {
        if self.lock.is_none() {
            match WriteLock::try_acquire(&self.live)? {
                Some(l) => self.lock = Some(l),
                None => return Ok(None),
            }
        }
        self.sync_locked(archive, progress).map(Some)
    }

    fn sync_locked(
        &mut self,
        archive: &Path,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> anyhow::Result<SyncReport> {
        let r = self.sync_held(archive, progress);
        // the lock is released whatever happened (a failed rebuild stays unpublished)
        let r = match r {
            Ok(rep) if self.rebuilding() => self.publish().map(|_| rep),
            other => other,
        };
        self.lock = None;
        r
    }

    fn sync_held(
        &mut self,
        archive: &Path,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> anyhow::Result<SyncReport> {
        if !self.rebuilding() && dir_identity(&self.live) != self.ino {
            // another process swapped a rebuild in since this handle was opened
            let mut lock = self.lock.take();
            let live = self.live.clone();
            match Self::try_open(&live) {
                Ok(Some(s)) => *self = s,
                Ok(None) | Err(_) => {
                    let l = lock
                        .take()
                        .ok_or_else(|| anyhow::anyhow!("write lock not held"))?;
                    *self = Self::create(&live, &live, archive, l)?;
                }
            }
            if self.lock.is_none() {
                self.lock = lock;
            }
        }
        let mut writer: Option<IndexWriter> = None;
        let r = self.sync_with(archive, progress, &mut writer);
        if r.is_err() {
            if let Some(mut w) = writer {
                let _ = w.rollback();
                let _ = w.garbage_collect_files().wait();
            }
            // the catalog is as at the last commit: what was waiting for the next one goes
            self.pending.clear();
        }
        self.known = Default::default();
        r
    }

    fn sync_with(
        &mut self,
        archive: &Path,
        progress: &mut dyn FnMut(usize, usize, &str),
        writer: &mut Option<IndexWriter>,
    ) -> anyhow::Result<SyncReport> {
        // when the check starts: a folder changed after it is looked at again next time
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as i64)
            .unwrap_or(0);
        let (files, dirs, mut warnings) = archive::discover_with_dirs(archive)?;
        self.known = self.catalog.known()?;
        let mut report = SyncReport::default();
        let mut seen = std::collections::HashSet::new();
        // files and bytes indexed since the last commit
        let mut pending = (0usize, 0u64);
        // files whose size and mtime are as indexed are not read: progress counts the rest, and
        // says nothing when there is nothing to do
        let mut work = Vec::new();
        for file in &files {
            seen.insert(file.source.clone());
            match self.known.get(&file.source) {
                Some(e) if e.size == file.size && e.mtime == file.mtime => report.unchanged += 1,
                _ => work.push(file),
            }
        }
        let total = work.len();
        self.writer_heap = writer_heap(work.iter().map(|f| f.size).sum());
        let every_files = commit_every_files();
        // analysis on every core, a batch at a time; indexing in file order
        let analyzer = self.analyzer;
        let batch = rayon::current_num_threads() * 8;
        let analyzed = work.chunks(batch).flat_map(|chunk| {
            use rayon::prelude::*;
            chunk
                .par_iter()
                .map(|file| {
                    let mut ws = Vec::new();
                    let r = crate::library::load_file_with(file, &mut ws, analyzer);
                    (*file, r, ws)
                })
                .collect::<Vec<_>>()
        });
        for (k, (file, loaded, ws)) in analyzed.enumerate() {
            progress(k, total, &file.source);
            warnings.extend(ws);
            let issue = match loaded {
                Ok(i) => i,
                Err(w) => {
                    warnings.push(w);
                    if self.known.contains_key(&file.source) {
                        self.drop_source(writer, &file.source)?;
                        report.removed += 1;
                    }
                    continue;
                }
            };
            if let Some(e) = self.known.get_mut(&file.source) {
                if e.issue == issue.meta.id {
                    e.size = file.size;
                    e.mtime = file.mtime;
                    self.pending
                        .push(catalog::Change::Touch(Box::new(issue.meta.clone())));
                    report.unchanged += 1;
                    continue;
                }
            }
            self.index_issue(writer, file, &issue)?;
            report.indexed += 1;
            report.records += issue.records.len();
            report.bytes += file.size;
            pending.0 += 1;
            pending.1 += file.size;
            if pending.0 >= every_files || pending.1 >= COMMIT_EVERY_BYTES {
                // a checkpoint: work up to here survives a crash or `kill -9`
                if let Some(w) = writer.as_mut() {
                    w.commit()?;
                    self.catalog.apply(&std::mem::take(&mut self.pending))?;
                }
                pending = (0, 0);
            }
        }
        if total > 0 {
            progress(total, total, "");
        }
        let gone: Vec<String> = self
            .known
            .keys()
            .filter(|s| !seen.contains(*s))
            .cloned()
            .collect();
        for s in gone {
            self.drop_source(writer, &s)?;
            report.removed += 1;
        }
        if let Some(w) = writer.as_mut() {
            w.commit()?;
        }
        self.catalog.apply(&std::mem::take(&mut self.pending))?;
        // what the next quick check compares the archive's folders with
        self.catalog.set_dirs(&dirs)?;
        self.catalog.set_meta("checked_at", &started.to_string())?;
        if let Some(w) = writer.take() {
            w.wait_merging_threads()?;
            self.reader.reload()?;
        }
        report.warnings = warnings;
        Ok(report)
    }

    fn writer_mut<'w>(
        &self,
        writer: &'w mut Option<IndexWriter>,
    ) -> anyhow::Result<&'w mut IndexWriter> {
        if writer.is_none() {
            *writer = Some(self.writer()?);
        }
        Ok(writer.as_mut().expect("set"))
    }

    fn drop_source(
        &mut self,
        writer: &mut Option<IndexWriter>,
        source: &str,
    ) -> anyhow::Result<()> {
        let w = self.writer_mut(writer)?;
        w.delete_term(Term::from_field_text(self.f.source, source));
        self.known.remove(source);
        self.pending
            .push(catalog::Change::Remove(source.to_string()));
        Ok(())
    }

    fn index_issue(
        &mut self,
        writer: &mut Option<IndexWriter>,
        file: &IssueFile,
        issue: &Issue,
    ) -> anyhow::Result<()> {
        let f = self.f;
        let w = self.writer_mut(writer)?;
        w.delete_term(Term::from_field_text(f.source, &file.source));
        for r in &issue.records {
            self.add_record(w, r)?;
        }
        self.known.insert(
            file.source.clone(),
            catalog::Known {
                size: file.size,
                mtime: file.mtime,
                issue: issue.meta.id.clone(),
            },
        );
        let mut listed = catalog::Listed::of(issue);
        listed.meta.source = file.source.clone();
        listed.meta.size = file.size;
        listed.meta.mtime = file.mtime;
        self.pending.push(catalog::Change::Put(Box::new(listed)));
        Ok(())
    }

    /// The record with this id (as `export` and `list --articles` print them).
    pub fn record(&self, id: &str) -> anyhow::Result<Option<Record>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.f.id, id.trim()),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let d: TantivyDocument = searcher.doc(*addr)?;
        Ok(stored_record(&d, self.f.record))
    }

    /// The records of one issue (by issue id) or of one file (by its path), in reading order.
    pub fn records_of(
        &self,
        issue: Option<&str>,
        source: Option<&str>,
    ) -> anyhow::Result<Vec<Record>> {
        let (field, value) = match (issue, source) {
            (Some(i), _) => (self.f.issue, i),
            (None, Some(s)) => (self.f.source, s),
            (None, None) => return Ok(Vec::new()),
        };
        records_where(&self.reader, field, self.f.record, value)
    }

    /// The stored text of about `n` records spread over the index (every k-th document,
    /// starting at `offset`), for benchmarks that need queries from the archive's own text.
    pub fn sample_texts(&self, n: usize, offset: u32) -> anyhow::Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let total = searcher.num_docs().max(1);
        let step = (total / n.max(1) as u64).max(1) as u32;
        let mut out = Vec::new();
        for seg in searcher.segment_readers() {
            let store = seg.get_store_reader(16)?;
            let mut d = offset % step;
            while d < seg.max_doc() && out.len() < n {
                if seg.alive_bitset().is_none_or(|a| a.is_alive(d)) {
                    let doc: TantivyDocument = store.get(d)?;
                    let r = stored_record(&doc, self.f.record).unwrap_or_default();
                    out.push(snippet_text(&r));
                }
                d += step;
            }
        }
        Ok(out)
    }

    /// Which of these ids the index holds.
    pub fn ids_present(&self, ids: &[String]) -> anyhow::Result<std::collections::HashSet<String>> {
        let q = tantivy::query::TermSetQuery::new(
            ids.iter().map(|id| Term::from_field_text(self.f.id, id)),
        );
        let searcher = self.reader.searcher();
        let docs = searcher.search(&q, &tantivy::collector::DocSetCollector)?;
        let mut out = std::collections::HashSet::with_capacity(docs.len());
        for addr in docs {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(r) = stored_record(&d, self.f.record) {
                out.insert(r.id);
            }
        }
        Ok(out)
    }

    /// Every issue in the index with its records in reading order, issues by path.
    pub fn issues(&self) -> anyhow::Result<Vec<Issue>> {
        let searcher = self.reader.searcher();
        let mut by_source: BTreeMap<String, Vec<Record>> = BTreeMap::new();
        for seg in searcher.segment_readers() {
            let store = seg.get_store_reader(64)?;
            let alive = seg.alive_bitset();
            for doc_id in 0..seg.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc_id)) {
                    continue;
                }
                let d: TantivyDocument = store.get(doc_id)?;
                if let Some(r) = stored_record(&d, self.f.record) {
                    by_source.entry(r.source.clone()).or_default().push(r);
                }
            }
        }
        let mut metas = self.catalog.metas()?;
        let mut out = Vec::with_capacity(by_source.len());
        for (source, mut records) in by_source {
            records.sort_by_key(|r| r.seq);
            let meta = metas
                .remove(&source)
                .unwrap_or_else(|| crate::model::IssueMeta {
                    source: source.clone(),
                    ..Default::default()
                });
            out.push(Issue { meta, records });
        }
        Ok(out)
    }

    /// The issues as the catalog lists them, newest first: the first `limit` or all. No
    /// record is read.
    pub fn listed(&self, limit: Option<usize>) -> anyhow::Result<Vec<catalog::Listed>> {
        self.catalog.issues(limit)
    }

    /// A read-only handle on the committed index and its catalog, for another thread (the
    /// reader's loop, while its worker holds the store): the records of an issue, the list.
    pub fn shelf(&self) -> Shelf {
        Shelf {
            reader: self.reader.clone(),
            f: self.f,
            dir: self.dir.clone(),
        }
    }

    /// Whether this index's pages were cut by another version of the layout analysis
    /// ([`crate::layout::stamp`]: an index made before the stamp was kept counts as another).
    /// `kanbao index` then cuts them all again; until it does, search and marks work as ever.
    pub fn cut_by_older_analysis(&self) -> bool {
        // its own catalog connection: nothing more to open before the reader's first frame
        !cut_by_this_analysis(&self.catalog)
    }

    /// Has anything in the archive changed since the last full check, as far as its folders'
    /// mtimes tell? A file added, removed or renamed (what copying a new issue in does, and
    /// what editors do when they save) changes its folder's mtime; a file rewritten in place
    /// does not, and is seen by the next full check (`kanbao index`, the reader). Costs one
    /// `stat` per folder, not per file. A folder whose mtime is within two seconds of the
    /// check that recorded it counts as changed (a change in the same tick of its clock).
    pub fn archive_changed(&self, archive: &Path) -> anyhow::Result<bool> {
        let dirs = self.catalog.dirs()?;
        if dirs.is_empty() {
            return Ok(true);
        }
        let checked_at = self
            .catalog
            .meta("checked_at")?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(i64::MAX);
        for (rel, mtime) in &dirs {
            let p = if rel.is_empty() {
                archive.to_path_buf()
            } else {
                archive.join(rel)
            };
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => {
                    let now = archive::mtime_of(&m);
                    if now != *mtime || now > checked_at.saturating_sub(2_000_000_000) {
                        return Ok(true);
                    }
                }
                _ => return Ok(true),
            }
        }
        Ok(false)
    }

    /// Number of records in the index.
    pub fn len(&self) -> usize {
        self.reader.searcher().num_docs() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Run a parsed query: the `limit` best hits and the total number of matching records.
    pub fn search(&self, q: &Query, limit: usize) -> anyhow::Result<SearchResult> {
        self.search_with(q, limit, None)
    }

    /// Run a query that may use reader state (is:, tag:), resolved through `sets`.
    pub fn search_with(
        &self,
        q: &Query,
        limit: usize,
        sets: Option<&StateSets>,
    ) -> anyhow::Result<SearchResult> {
        self.search_until(q, limit, sets, None)?
            .ok_or_else(|| anyhow::anyhow!("the search stopped"))
    }

    /// [`Store::search_with`], giving up (`None`) as soon as `until` says the answer is no
    /// longer wanted (the reader: a newer query was sent).
    pub fn search_until(
        &self,
        q: &Query,
        limit: usize,
        sets: Option<&StateSets>,
        until: Option<&cancel::Until>,
    ) -> anyhow::Result<Option<SearchResult>> {
        let searcher = self.reader.searcher();
        let run = |q: &dyn TQuery, n: usize| -> anyhow::Result<Option<(usize, Vec<_>)>> {
            let r = match until {
                Some(u) => top_docs(&searcher, &*u.wrap(q), n)?,
                None => top_docs(&searcher, q, n)?,
            };
            Ok((!until.is_some_and(|u| u.stopped())).then_some(r))
        };
        if q.uses_state() && sets.is_none() {
            anyhow::bail!("is: and tag: need the reader state");
        }
        let empty = StateSets::default();
        let sets = sets.unwrap_or(&empty);
        let t0 = std::time::Instant::now();
        let tq = self.build(q, sets);
        let Some((total, top)) = run(&*tq, limit)? else {
            return Ok(None);
        };
        let terms = q.highlight_terms();
        let hits = self.literal_hits(&searcher, top, &terms)?;
        // then what matches only through pinyin or the other script, marked as such
        let (mut also, mut also_total) = (Vec::new(), 0);
        if self.may_have_variants(q, &searcher) {
            let literal = tq.box_clone();
            let pinyin: Vec<variants::PinyinQuery> = terms
                .iter()
                .filter_map(|t| variants::pinyin_query(t))
                .collect();
            let pw = if pinyin.is_empty() {
                None
            } else {
                self.pinyin_words
                    .get(&searcher, self.f.words, true, &self.dir)
            };
            let vq = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    self.build_with(q, sets, true, pw.as_deref(), true),
                ),
                (Occur::MustNot, tq),
            ]);
            // a query that is one plain term: a record holding a word it spells matches it, so
            // the word stages need not run the variant query as well
            let one_term = matches!(
                &q.clauses[..],
                [c] if !c.negated && c.alts.len() == 1
                    && matches!(c.alts[0], Atom::Text { field: Field::All, .. })
            );
            let simplified: Vec<Vec<char>> = terms
                .iter()
                .map(|t| tokens::fold_chars(&variants::to_simplified(t)))
                .filter(|t| !t.is_empty())
                .collect();
            let by_script = |folded: &[char]| {
                let s: Vec<char> = variants::to_simplified(&folded.iter().collect::<String>())
                    .chars()
                    .collect();
                let mut out = snippet::find_terms(&s, &simplified);
                out.sort();
                out
            };
            let by_pinyin = |folded: &[char]| {
                let mut out: Vec<(usize, usize)> = pinyin
                    .iter()
                    .flat_map(|p| variants::find_pinyin(folded, p))
                    .collect();
                out.sort();
                out
            };
            // records holding a word the pinyin spells by full syllables first, then by
            // initials, then two words by initials; by score within each
            let mut stages: Vec<Box<dyn TQuery>> = Vec::new();
            if let Some(pw) = &pw {
                let mut lists: [Vec<(Vec<String>, u32)>; 3] = Default::default();
                for p in &pinyin {
                    for (all, more) in lists.iter_mut().zip(pw.spelled(p)) {
                        all.extend(more);
                    }
                }
                for words in lists {
                    let Some(max) = words.iter().map(|w| w.1).max() else {
                        continue;
                    };
                    // the common word first, as an input method would offer it: each word's
                    // BM25 weighed by how many records hold it (a rare homophone's high IDF
                    // must not put it first)
                    let any: Vec<(Occur, Box<dyn TQuery>)> = words
                        .iter()
                        .map(|(w, df)| -> (Occur, Box<dyn TQuery>) {
                            let weight = (*df as f32 / max.max(1) as f32).max(1e-4);
                            (
                                Occur::Should,
                                Box::new(BoostQuery::new(self.spelled_query(w), weight)),
                            )
                        })
                        .collect();
                    let within: Box<dyn TQuery> = if one_term {
                        Box::new(BooleanQuery::new(vec![
                            (Occur::Must, Box::new(AllQuery)),
                            (Occur::MustNot, literal.box_clone()),
                        ]))
                    } else {
                        Box::new(vq.clone())
                    };
                    stages.push(Box::new(BooleanQuery::new(vec![
                        (
                            Occur::Must,
                            Box::new(tantivy::query::ConstScoreQuery::new(within, 0.0)),
                        ),
                        (Occur::Must, Box::new(BooleanQuery::new(any))),
                    ])));
                }
            }
            let mut seen = std::collections::HashSet::new();
            let mut top = Vec::new();
            for stage in &stages {
                let Some((_, docs)) = run(stage.as_ref(), limit)? else {
                    return Ok(None);
                };
                for (s, a) in docs {
                    if top.len() < limit && seen.insert(a) {
                        top.push((s, a));
                    }
                }
            }
            let Some((n, rest)) = run(&vq, limit + top.len())? else {
                return Ok(None);
            };
            also_total = n;
            for (s, a) in rest {
                if top.len() < limit && seen.insert(a) {
                    top.push((s, a));
                }
            }
            for (score, addr) in top {
                let d: TantivyDocument = searcher.doc(addr)?;
                let r = stored_record(&d, self.f.record).unwrap_or_default();
                let text = snippet_text(&r);
                let (mut snip, mut hl) = snippet::make_with(&text, 80, &by_script);
                let mut via = Via::Script;
                if hl.is_empty() && !pinyin.is_empty() {
                    (snip, hl) = snippet::make_with(&text, 80, &by_pinyin);
                    via = Via::Pinyin;
                }
                also.push(Self::hit(&r, score, snip, hl, Some(via)));
            }
        }
        Ok(Some(SearchResult {
            total,
            took_us: t0.elapsed().as_micros() as u64,
            hits,
            also_total,
            also,
            estimated: false,
            unranked: false,
            also_pending: false,
        }))
    }

    /// A first answer to a keystroke when the query matches too much to rank and count within
    /// `budget`: the first `limit` matches in the index's order, with snippets, and the number
    /// of matches estimated from the share of the index scanned in that time (marked as an
    /// estimate); or, when the scan finished but found more than [`RANK_AT_ONCE`], the exact
    /// count with those first matches, unranked (a query that is one term of the index, one
    /// or two characters, is counted from the index's statistics and only its first matches
    /// looked for, unless records were deleted); or, when it found fewer, the literal answer
    /// ranked as [`Store::search_with`] ranks (each match scored by seeking to it), marked
    /// `also_pending` when matches through pinyin or the other script may follow. `None` for
    /// queries on the reader state (`is:`, `tag:`) and when no hit is asked for. The reader shows this
    /// answer, then the full one when it comes (unless another key came first).
    pub fn search_first(
        &self,
        q: &Query,
        limit: usize,
        budget: std::time::Duration,
    ) -> anyhow::Result<Option<SearchResult>> {
        use tantivy::query::EnableScoring;
        use tantivy::{DocSet, TERMINATED};
        if q.uses_state() || limit == 0 {
            return Ok(None);
        }
        let t0 = std::time::Instant::now();
        let empty = StateSets::default();
        let searcher = self.reader.searcher();
        let weight = self
            .matching(q, &empty)
            .weight(EnableScoring::disabled_from_searcher(&searcher))?;
        let all: u64 = searcher
            .segment_readers()
            .iter()
            .map(|s| s.max_doc() as u64)
            .sum();
        // a query that is one term of the index (one or two characters of text) is counted
        // by the term's document frequency, exact when no record of the index was deleted:
        // when that is too many to rank here, only the first hits are looked for
        let counted = match self.one_term(q) {
            Some(t) if searcher.segment_readers().iter().all(|s| !s.has_deletes()) => {
                Some(searcher.doc_freq(&t)?)
            }
            _ => None,
        };
        let enough = match counted {
            Some(n) if n > RANK_AT_ONCE => limit,
            _ => usize::MAX,
        };
        let (mut found, mut covered) = (0u64, 0u64);
        // the matches in index order, as many as may be ranked here (the first `limit` of them
        // are the unranked first answer)
        let keep = (RANK_AT_ONCE as usize).max(limit);
        let mut few: Vec<tantivy::DocAddress> = Vec::new();
        let mut cut = false;
        'segments: for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let mut scorer = weight.scorer(seg, 1.0)?;
            let alive = seg.alive_bitset();
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    found += 1;
                    if few.len() < keep {
                        few.push(tantivy::DocAddress::new(ord as u32, doc));
                    }
                    if few.len() >= enough {
                        cut = true;
                        break 'segments;
                    }
                    if few.len() >= limit && t0.elapsed() > budget {
                        covered += doc as u64 + 1;
                        cut = true;
                        break 'segments;
                    }
                }
                doc = scorer.advance();
            }
            covered += seg.max_doc() as u64;
        }
        if !cut && found <= RANK_AT_ONCE {
            // few matches: rank them here, each scored by seeking to it, rather than run the
            // query again (what costs is finding them: long postings, few phrase matches).
            // Matches through pinyin or the other script come with the full search after.
            let also_pending = self.may_have_variants(q, &searcher);
            let scoring = self
                .build(q, &empty)
                .weight(EnableScoring::enabled_from_searcher(&searcher))?;
            let mut scored: Vec<(f32, tantivy::DocAddress)> = Vec::with_capacity(few.len());
            let mut k = 0;
            for (ord, seg) in searcher.segment_readers().iter().enumerate() {
                let mine = few[k..]
                    .iter()
                    .take_while(|a| a.segment_ord == ord as u32)
                    .count();
                if mine == 0 {
                    continue;
                }
                let mut scorer = scoring.scorer(seg, 1.0)?;
                for a in &few[k..k + mine] {
                    if scorer.doc() < a.doc_id {
                        scorer.seek(a.doc_id);
                    }
                    if scorer.doc() == a.doc_id {
                        scored.push((scorer.score(), *a));
                    }
                }
                k += mine;
            }
            // as TopDocs orders: best score first, then the lower address
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            scored.truncate(limit);
            let terms = q.highlight_terms();
            let hits = self.literal_hits(&searcher, scored, &terms)?;
            return Ok(Some(SearchResult {
                total: found as usize,
                took_us: t0.elapsed().as_micros() as u64,
                hits,
                also_total: 0,
                also: Vec::new(),
                estimated: false,
                unranked: false,
                also_pending,
            }));
        }
        let total = match counted {
            Some(n) if cut => n as usize,
            _ if cut => (found as f64 * all as f64 / covered.max(1) as f64).round() as usize,
            _ => found as usize,
        };
        let estimated = cut && counted.is_none();
        let terms = q.highlight_terms();
        // unscored: newest first among them, as ties are
        let first = few.into_iter().take(limit).map(|a| (0.0, a));
        let hits = self.literal_hits(&searcher, first, &terms)?;
        Ok(Some(SearchResult {
            total: total.max(found as usize),
            took_us: t0.elapsed().as_micros() as u64,
            hits,
            also_total: 0,
            also: Vec::new(),
            estimated,
            unranked: true,
            also_pending: true,
        }))
    }

    /// The hits for these documents, each with a snippet around its first match of `terms`,
    /// best first (ties: newest first).
    fn literal_hits(
        &self,
        searcher: &tantivy::Searcher,
        docs: impl IntoIterator<Item = (f32, tantivy::DocAddress)>,
        terms: &[String],
    ) -> anyhow::Result<Vec<Hit>> {
        let mut hits = Vec::new();
        for (score, addr) in docs {
            let d: TantivyDocument = searcher.doc(addr)?;
            let r = stored_record(&d, self.f.record).unwrap_or_default();
            let (snippet, highlights) = snippet::make(&snippet_text(&r), terms, 80);
            hits.push(Self::hit(&r, score, snippet, highlights, None));
        }
        sort_hits(&mut hits);
        Ok(hits)
    }

    /// Give back what an idle reader holds and does not need: the pages of this archive's
    /// indexes it has mapped (they stay in the page cache) and, with `trim`, the heap's free
    /// pages (see [`crate::memory`]).
    pub fn release_memory(&self, trim: bool) -> crate::memory::Released {
        let root = self.live.parent().unwrap_or(&self.live);
        crate::memory::release(
            &root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            trim,
        )
    }

    /// Read or build the archive's words by pinyin for the index as it is now, in the
    /// background, so that a pinyin query need not wait for them.
    pub fn warm_pinyin(&self) {
        let searcher = self.reader.searcher();
        let _ = self
            .pinyin_words
            .get(&searcher, self.f.words, false, &self.dir);
    }

    /// Read or build the archive's words by pinyin for the index as it is now, and keep them
    /// in the index folder for the next process (`kanbao index` does this last).
    pub fn keep_pinyin_words(&self) {
        let searcher = self.reader.searcher();
        let _ = self
            .pinyin_words
            .get(&searcher, self.f.words, true, &self.dir);
    }

    /// A hit on record `r` (what a list shows of it is in the record: only `id` and the record
    /// are stored).
    fn hit(
        r: &Record,
        score: f32,
        snippet: String,
        highlights: Vec<[usize; 2]>,
        via: Option<Via>,
    ) -> Hit {
        Hit {
            id: r.id.clone(),
            issue: r.issue.clone(),
            source: r.source.clone(),
            seq: r.seq,
            title: r.display_title(),
            date: r.date.clone(),
            kind: if r.kind == crate::model::Kind::Article {
                "article"
            } else {
                "fragment"
            }
            .to_string(),
            score,
            snippet,
            highlights,
            via,
        }
    }

    fn grams_query(&self, field: tantivy::schema::Field, text: &str) -> Box<dyn TQuery> {
        let chars = gram_chars(text);
        let term = |s: String| Term::from_field_text(field, &s);
        match chars.len() {
            0 => Box::new(AllQuery),
            // the text's characters are in a field of their own (the others hold both kinds)
            1 if field == self.f.g_all => Box::new(TermQuery::new(
                Term::from_field_text(self.f.g_uni, &chars[0].to_string()),
                IndexRecordOption::Basic,
            )),
            1 => phrase_or_term(vec![term(chars[0].to_string())]),
            // a run of two or more: its bigrams in a row
            _ => phrase_or_term(chars.windows(2).map(|w| term(w.iter().collect())).collect()),
        }
    }

    /// The one term of the index a query is, when it is one plain run of one or two
    /// characters of text (see [`Self::grams_query`]).
    fn one_term(&self, q: &Query) -> Option<Term> {
        let [c] = &q.clauses[..] else {
            return None;
        };
        let [Atom::Text {
            field: Field::All,
            text,
        }] = &c.alts[..]
        else {
            return None;
        };
        if c.negated {
            return None;
        }
        let chars = gram_chars(text);
        match chars.len() {
            1 => Some(Term::from_field_text(self.f.g_uni, &chars[0].to_string())),
            2 => Some(Term::from_field_text(
                self.f.g_all,
                &chars.iter().collect::<String>(),
            )),
            _ => None,
        }
    }

    fn id_set(&self, ids: &std::collections::HashSet<String>) -> Box<dyn TQuery> {
        Box::new(tantivy::query::TermSetQuery::new(
            ids.iter().map(|id| Term::from_field_text(self.f.id, id)),
        ))
    }

    fn atom_query(&self, a: &Atom, sets: &StateSets) -> Box<dyn TQuery> {
        match a {
            Atom::Is(IsWhat::Read) => self.id_set(&sets.read),
            Atom::Is(IsWhat::Starred) => self.id_set(&sets.starred),
            Atom::Is(IsWhat::Unread) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn TQuery>),
                (Occur::MustNot, self.id_set(&sets.read)),
            ])),
            Atom::Tag(t) => self.id_set(sets.tags.get(t).unwrap_or(&Default::default())),
            Atom::Text {
                field: Field::All,
                text,
            } => self.grams_query(self.f.g_all, text),
            Atom::Text {
                field: Field::Title,
                text,
            } => self.grams_query(self.f.g_title, text),
            Atom::Text {
                field: Field::Byline,
                text,
            } => self.grams_query(self.f.g_byline, text),
            Atom::Text {
                field: Field::Issue,
                text,
            } => Box::new(BooleanQuery::new(vec![
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.f.issue, text.trim()),
                        IndexRecordOption::Basic,
                    )) as Box<dyn TQuery>,
                ),
                (Occur::Should, self.grams_query(self.f.g_source, text)),
            ])),
            Atom::Date { lo, hi } => Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(self.f.day, *lo)),
                Bound::Included(Term::from_field_u64(self.f.day, *hi)),
            )),
        }
    }

    /// Matching: every positive clause must match, no negated one may. Ranking: the matches
    /// themselves, plus jieba words (BM25), plus title matches, weighed up.
    fn build(&self, q: &Query, sets: &StateSets) -> Box<dyn TQuery> {
        self.build_with(q, sets, false, None, true)
    }

    /// What [`Self::build`] matches, without what only ranks (cheaper to open on every
    /// segment when the matches are only found, not scored).
    fn matching(&self, q: &Query, sets: &StateSets) -> Box<dyn TQuery> {
        self.build_with(q, sets, false, None, false)
    }

    /// Queries that find `a` other than literally: its simplified form in the text and in the
    /// simplified copy of traditional text, and, read as pinyin, the archive's words it spells
    /// (`pw`: see [`pinyin_words`]; nothing is indexed by pinyin).
    fn variant_queries(
        &self,
        a: &Atom,
        pw: Option<&pinyin_words::PinyinWords>,
    ) -> Vec<Box<dyn TQuery>> {
        let Atom::Text {
            field: Field::All,
            text,
        } = a
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let s = variants::to_simplified(text);
        if s != *text {
            out.push(self.grams_query(self.f.g_all, &s));
        }
        out.push(self.grams_query(self.f.g_fold, &s));
        if let (Some(pq), Some(pw)) = (variants::pinyin_query(text), pw) {
            for (words, _) in pw.spelled(&pq).into_iter().flatten() {
                out.push(self.spelled_query(&words));
            }
        }
        out
    }

    /// Records holding `words` one after another (what a pinyin query spells), in the text or
    /// in its simplified copy: anywhere, a word inside a longer one too (劳动 in 体力劳动).
    fn spelled_query(&self, words: &[String]) -> Box<dyn TQuery> {
        let text = words.concat();
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, self.grams_query(self.f.g_all, &text)),
            (Occur::Should, self.grams_query(self.f.g_fold, &text)),
        ]))
    }

    /// Whether `q` could find anything through [`Self::variant_queries`] that it does not find
    /// literally (saves the second search for the common case).
    fn may_have_variants(&self, q: &Query, searcher: &tantivy::Searcher) -> bool {
        let texts: Vec<&String> = q
            .clauses
            .iter()
            .filter(|c| !c.negated)
            .flat_map(|c| c.alts.iter())
            .filter_map(|a| match a {
                Atom::Text {
                    field: Field::All,
                    text,
                } => Some(text),
                _ => None,
            })
            .collect();
        if texts.is_empty() {
            return false;
        }
        // the text itself may have another form; else only an archive with traditional
        // text (anything in g_fold) can answer differently (checked last: it reads segments)
        texts
            .iter()
            .any(|t| variants::to_simplified(t) != **t || variants::pinyin_query(t).is_some())
            || searcher.segment_readers().iter().any(|s| {
                s.inverted_index(self.f.g_fold)
                    .map(|i| i.terms().num_terms() > 0)
                    .unwrap_or(false)
            })
    }

    /// `variants`: positive text atoms also match through [`Self::variant_queries`] (by
    /// pinyin when `pw` is given); `rank`: with the clauses that only rank.
    fn build_with(
        &self,
        q: &Query,
        sets: &StateSets,
        variants: bool,
        pw: Option<&pinyin_words::PinyinWords>,
        rank: bool,
    ) -> Box<dyn TQuery> {
        let mut subs: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let mut positive = false;
        for c in &q.clauses {
            let alts: Vec<(Occur, Box<dyn TQuery>)> = c
                .alts
                .iter()
                .map(|a| {
                    let literal = self.atom_query(a, sets);
                    let mut v = if variants && !c.negated {
                        self.variant_queries(a, pw)
                    } else {
                        Vec::new()
                    };
                    if v.is_empty() {
                        return (Occur::Should, literal);
                    }
                    v.push(literal);
                    let any: Box<dyn TQuery> = Box::new(BooleanQuery::new(
                        v.into_iter().map(|q| (Occur::Should, q)).collect(),
                    ));
                    (Occur::Should, any)
                })
                .collect();
            let clause: Box<dyn TQuery> = if alts.len() == 1 {
                alts.into_iter().next().expect("one").1
            } else {
                Box::new(BooleanQuery::new(alts))
            };
            if c.negated {
                subs.push((Occur::MustNot, clause));
            } else {
                positive = true;
                subs.push((Occur::Must, clause));
            }
        }
        if !positive {
            subs.push((Occur::Must, Box::new(AllQuery)));
        }
        if !rank {
            return Box::new(BooleanQuery::new(subs));
        }
        // what ranks: scored only on the records that match (see [`lazy_sum`])
        let mut ranking: Vec<Box<dyn TQuery>> = Vec::new();
        let searcher = self.reader.searcher();
        for c in q.clauses.iter().filter(|c| !c.negated) {
            for a in &c.alts {
                if let Atom::Text {
                    field: Field::All,
                    text,
                } = a
                {
                    ranking.push(Box::new(BoostQuery::new(
                        self.grams_query(self.f.g_title, text),
                        3.0,
                    )));
                    for w in query_words(&searcher, self.f.words, text) {
                        for f in [self.f.words, self.f.title_words] {
                            let tq = TermQuery::new(
                                Term::from_field_text(f, &w),
                                IndexRecordOption::WithFreqs,
                            );
                            ranking.push(Box::new(tq));
                        }
                    }
                }
            }
        }
        if !ranking.is_empty() {
            subs.push((Occur::Should, Box::new(lazy_sum::LazySum::new(ranking))));
        }
        Box::new(BooleanQuery::new(subs))
    }
}

/// Longest word looked up in the archive's words when a query is cut.
const QUERY_WORD_MAX: usize = 8;

/// The words of a query for ranking (BM25 on `words`): cut by longest match against the
/// archive's own words (the terms of `field`, which are jieba's words of its text), a run of
/// Latin letters or digits whole, as jieba keeps it. Not jieba itself: loading its dictionary
/// takes about 0.1 s, more than the rest of a `kanbao search` process; and a word the archive
/// does not hold cannot rank anything anyway. The query is read in simplified characters, as
/// the words are indexed.
fn query_words(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    text: &str,
) -> Vec<String> {
    let chars: Vec<char> = crate::text::fold(&variants::to_simplified(text))
        .chars()
        .collect();
    let dicts: Vec<_> = searcher
        .segment_readers()
        .iter()
        .filter_map(|s| s.inverted_index(field).ok())
        .collect();
    let known = |w: &str| {
        dicts
            .iter()
            .any(|d| d.terms().get(w.as_bytes()).ok().flatten().is_some())
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        if !crate::text::is_han(c) {
            let j = (i..chars.len())
                .find(|&j| !chars[j].is_alphanumeric() || crate::text::is_han(chars[j]))
                .unwrap_or(chars.len());
            out.push(chars[i..j].iter().collect());
            i = j;
            continue;
        }
        let run = (i..chars.len())
            .find(|&j| !crate::text::is_han(chars[j]))
            .unwrap_or(chars.len())
            - i;
        let len = (2..=run.min(QUERY_WORD_MAX))
            .rev()
            .find(|&n| known(&chars[i..i + n].iter().collect::<String>()))
            .unwrap_or(1);
        out.push(chars[i..i + len].iter().collect());
        i += len;
    }
    out
}

/// The stored records whose `field` is `value`, in reading order.
fn records_where(
    reader: &IndexReader,
    field: tantivy::schema::Field,
    record: tantivy::schema::Field,
    value: &str,
) -> anyhow::Result<Vec<Record>> {
    let q = TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    );
    let searcher = reader.searcher();
    let docs = searcher.search(&q, &tantivy::collector::DocSetCollector)?;
    let mut out = Vec::with_capacity(docs.len());
    for addr in docs {
        let d: TantivyDocument = searcher.doc(addr)?;
        out.extend(stored_record(&d, record));
    }
    out.sort_by_key(|r| r.seq);
    Ok(out)
}

/// A read-only handle on a store's committed index and catalog ([`Store::shelf`]).
#[derive(Clone)]
pub struct Shelf {
    reader: IndexReader,
    f: Fields,
    dir: PathBuf,
}

impl Shelf {
    /// The records of one issue file (by its path in the archive), in reading order, from the
    /// document store (one file's documents were added together: a block or two to
    /// decompress).
    pub fn records_of_source(&self, source: &str) -> anyhow::Result<Vec<Record>> {
        records_where(&self.reader, self.f.source, self.f.record, source)
    }

    /// The issues newest first, the first `limit` or all (a connection of its own).
    pub fn listed(&self, limit: Option<usize>) -> anyhow::Result<Vec<catalog::Listed>> {
        catalog::issues_in(&self.dir, limit)
    }
}

/// Parse and run a query typed by a user (the search box, `kanbao search`).
pub fn run_query(store: &Store, q: &str, limit: usize) -> Result<SearchResult, String> {
    run_query_with(store, q, limit, &mut || {
        Err("is: and tag: need the reader state".into())
    })
}

/// Run a query; `sets` is asked for the reader state only when the query uses is: or tag:.
pub fn run_query_with(
    store: &Store,
    q: &str,
    limit: usize,
    sets: &mut dyn FnMut() -> Result<std::sync::Arc<crate::state::StateSets>, String>,
) -> Result<SearchResult, String> {
    run_query_until(store, q, limit, sets, None)?.ok_or_else(|| "the search stopped".into())
}

/// [`run_query_with`], giving up (`Ok(None)`) once `until` says the answer is no longer wanted.
pub fn run_query_until(
    store: &Store,
    q: &str,
    limit: usize,
    sets: &mut dyn FnMut() -> Result<std::sync::Arc<crate::state::StateSets>, String>,
    until: Option<&cancel::Until>,
) -> Result<Option<SearchResult>, String> {
    let parsed = query::parse(q).map_err(|e| e.to_string())?;
    if parsed.is_empty() {
        return Err("empty query: type the words to find".into());
    }
    let s = if parsed.uses_state() {
        Some(sets()?)
    } else {
        None
    };
    let r = store
        .search_until(&parsed, limit, s.as_deref(), until)
        .map_err(|e| format!("search failed: {e}"));
    match &r {
        Ok(Some(res)) => log::debug!("query {q:?}: {} hits in {} µs", res.total, res.took_us),
        Ok(None) => log::debug!("query {q:?}: stopped, a newer one came"),
        Err(e) => log::debug!("query {q:?}: {e}"),
    }
    r
}

/// The record a document stores as JSON in `field`, if it parses.
fn stored_record(d: &TantivyDocument, field: tantivy::schema::Field) -> Option<Record> {
    d.get_first(field)
        .and_then(|v| v.as_str())
        .and_then(|j| serde_json::from_str(j).ok())
}

/// The records with these ids in the index at `dir`, whatever version of kanbao made it (only
/// its `id` and `record` fields are read). Used before a rebuild replaces an index of another
/// version, so that marks made on its records can follow them; an index that cannot be read
/// gives nothing.
pub fn records_by_id_any_version(dir: &Path, ids: &[String]) -> Vec<Record> {
    let read = || -> tantivy::Result<Vec<Record>> {
        let index = Index::open_in_dir(dir)?;
        let schema = index.schema();
        let (Ok(id), Ok(record)) = (schema.get_field("id"), schema.get_field("record")) else {
            return Ok(Vec::new());
        };
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let q = tantivy::query::TermSetQuery::new(ids.iter().map(|i| Term::from_field_text(id, i)));
        let mut out = Vec::new();
        for addr in searcher.search(&q, &tantivy::collector::DocSetCollector)? {
            let d: TantivyDocument = searcher.doc(addr)?;
            out.extend(stored_record(&d, record));
        }
        Ok(out)
    };
    if ids.is_empty() || !dir.join("meta.json").exists() {
        return Vec::new();
    }
    read().unwrap_or_default()
}

#[derive(Debug, Default)]
pub struct SyncReport {
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub records: usize,
    pub bytes: u64,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub issue: String,
    pub source: String,
    pub seq: usize,
    pub title: String,
    pub date: String,
    pub kind: String,
    pub score: f32,
    pub snippet: String,
    /// Match ranges in the snippet, as [start, end) character offsets.
    pub highlights: Vec<[usize; 2]>,
    /// How a hit in `also` was found (absent for literal hits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
}

/// What a snippet is cut from: the paragraphs first (a snippet prefers the body to the headline
/// shown above it), then kicker, title, subtitle and byline, separated by [`tokens::SEP`].
fn snippet_text(r: &Record) -> String {
    let sep = tokens::SEP.to_string();
    r.paragraphs
        .iter()
        .chain([&r.kicker, &r.title, &r.subtitle, &r.byline])
        .map(|s| s.as_str())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(&sep)
}

/// What one field of the index costs (see [`Store::field_costs`]).
#[derive(Debug, Clone, Default)]
pub struct FieldCost {
    pub field: String,
    /// On disk, all its parts (for `(store)`: the compressed document store).
    pub index_bytes: u64,
    /// Of which positions.
    pub position_bytes: u64,
    /// Bytes of its values in the sample, and tokens and tokenizing time there.
    pub value_bytes: u64,
    pub tokens: u64,
    pub tokenize: std::time::Duration,
}

/// How a hit that does not contain the query literally was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// By pinyin (full or initials).
    Pinyin,
    /// By folding traditional and simplified characters.
    Script,
}

impl Via {
    /// The mark shown next to such a hit.
    pub fn label(self) -> &'static str {
        match self {
            Via::Pinyin => "拼音",
            Via::Script => "繁简",
        }
    }
}

impl Hit {
    /// What goes before the title in a list: `[拼音] ` for a pinyin match, nothing for a
    /// literal one.
    pub fn mark(&self) -> String {
        self.via
            .map(|v| format!("[{}] ", v.label()))
            .unwrap_or_default()
    }
}

/// The characters of a query text as the gram fields hold them (folded, no separators).
fn gram_chars(text: &str) -> Vec<char> {
    tokens::fold_chars(text)
        .into_iter()
        .filter(|&c| c != tokens::SEP)
        .collect()
}

/// Consecutive terms: one term alone, or a phrase of several (at least one).
fn phrase_or_term(mut terms: Vec<Term>) -> Box<dyn TQuery> {
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms.pop().expect("one"),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
    }
}

/// How many documents match and the best `limit` of them (none asked: only the count).
fn top_docs(
    searcher: &tantivy::Searcher,
    q: &dyn TQuery,
    limit: usize,
) -> tantivy::Result<(usize, Vec<(f32, tantivy::DocAddress)>)> {
    if limit == 0 {
        Ok((searcher.search(q, &Count)?, Vec::new()))
    } else {
        searcher.search(q, &(Count, TopDocs::with_limit(limit).order_by_score()))
    }
}

/// Best first; ties in score: newest first.
fn sort_hits(hits: &mut [Hit]) {
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.id.cmp(&b.id))
    });
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// Records that contain the query as written (folded only for width and case).
    pub total: usize,
    pub took_us: u64,
    pub hits: Vec<Hit>,
    /// Further records found only through pinyin or traditional/simplified folding; they rank
    /// after every literal hit and each says how it was found.
    #[serde(skip_serializing_if = "is_zero")]
    pub also_total: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Hit>,
    /// `total` is an estimate and `hits` the first matches in the index's order, not the best
    /// ones ([`Store::search_first`]); the full answer follows.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// `hits` are the first matches in the index's order, not ranked: the ranked answer
    /// follows (always so when `estimated`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unranked: bool,
    /// Matches through pinyin or the other script (`also`) are not looked for yet: the full
    /// answer follows with them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub also_pending: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_budget_follows_the_work() {
        const MB: usize = 1 << 20;
        // a few new files: the small budget; a build: twice its text, up to 512 MB
        assert_eq!(writer_heap(0), 64 * MB);
        assert_eq!(writer_heap(3 << 20), 64 * MB);
        assert_eq!(writer_heap(100 << 20), 200 * MB);
        assert_eq!(writer_heap(1 << 30), 512 * MB);
        assert_eq!(writer_heap(u64::MAX), 512 * MB);
    }
}
