//! The labeller's CRFsuite models (a first reading, and a second stacked on it) read once into
//! plain tables, for tagging without building attribute strings: every attribute name maps to
//! its row of per-label weights in each reading, so a page's scores are summed as its features
//! are named ([`Scores::put`]), and Viterbi runs over those sums.
//!
//! `crfs` (which trains the models) tags from a list of owned attribute strings per line and
//! looks each one up in the model's hash database; at ~80 attributes a line that was most of
//! the labeller's time. The tables here give the same labels (the same sums, in the same order:
//! `tagging_agrees_with_crfs`), from names written into one reused buffer.

use rustc_hash::FxHashMap;
use std::io;

/// One or two linear-chain CRF models in tables (a first reading, and a second stacked on
/// it), with one table of attribute names for both: a name is looked up once.
pub struct Crf {
    readings: Vec<Reading>,
    /// attribute name, by its [`name_key`] -> its id in each reading ([`NONE`] where a reading
    /// lacks it)
    attrs: Ids,
}

/// Attribute ids by key, in an open-addressed table of at least twice as many slots as names
/// (a power of two), probed one slot after the other from the key's low bits (the keys are
/// hashes already). One read of one slot finds most names; no control bytes to read first.
struct Ids {
    /// key and ids; an empty slot has no id in either reading
    slots: Vec<(u64, [u32; 2])>,
    mask: usize,
}

impl Ids {
    const EMPTY: [u32; 2] = [NONE, NONE];

    fn new(by_key: FxHashMap<u64, [u32; 2]>) -> Ids {
        let size = (by_key.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![(0, Self::EMPTY); size];
        let mask = size - 1;
        for (key, ids) in by_key {
            let mut i = key as usize & mask;
            while slots[i].1 != Self::EMPTY {
                i = (i + 1) & mask;
            }
            slots[i] = (key, ids);
        }
        Ids { slots, mask }
    }

    fn get(&self, key: u64) -> Option<&[u32; 2]> {
        let mut i = key as usize & self.mask;
        loop {
            let (k, ids) = &self.slots[i];
            if *ids == Self::EMPTY {
                return None;
            }
            if *k == key {
                return Some(ids);
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// The key an attribute name is looked up by: a 64-bit hash of its bytes (foldhash, fixed
/// seed; its `fast` hasher: the `quality` one passes the `fast` one's result through one more
/// mixing step, so names whose `fast` keys are equal would share a `quality` key too), so
/// that a lookup compares two integers instead of following a pointer
/// to the stored name and comparing its bytes (a `memcmp` call for every name found, 6 % of
/// both analyses under `perf`). Two of a model's names with one key are refused when it is
/// read ([`Crf::new`]); a name no reading knows takes another's weights only if its key equals
/// one of the models' few thousand keys by chance, about one lookup in 10^15.
fn name_key(name: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6b61_6e62_616f).hash_one(name)
}

/// An attribute a reading does not have.
const NONE: u32 = u32::MAX;

/// One model's weights.
struct Reading {
    /// label bytes by label id (the model's label strings are single ASCII letters)
    labels: Vec<u8>,
    /// transition weights, `trans_t[j * L + i]` from label i to label j
    trans_t: Vec<f64>,
    /// state weights, `state[a * L + j]` for attribute a and label j
    state: Vec<f64>,
}

fn u32_at(b: &[u8], at: usize) -> io::Result<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| io::Error::other("CRF model cut short"))
}

fn f64_at(b: &[u8], at: usize) -> io::Result<f64> {
    let s = b
        .get(at..at + 8)
        .ok_or_else(|| io::Error::other("CRF model cut short"))?;
    Ok(f64::from_le_bytes(s.try_into().expect("eight bytes")))
}

/// Read a CRFsuite model file (as `crfs` writes it): its weights, and each attribute's name and
/// id (given to `name`).
fn read(bytes: &[u8], mut name: impl FnMut(&str, u32)) -> io::Result<Reading> {
    let model = crfs::Model::new(bytes)?;
    let l = model.num_labels() as usize;
    let labels = (0..l as u32)
        .map(|i| {
            model
                .to_label(i)
                .and_then(|s| s.bytes().next())
                .ok_or_else(|| io::Error::other("CRF model: a label without a name"))
        })
        .collect::<io::Result<Vec<u8>>>()?;
    let num_attrs = model.num_attrs() as usize;
    for a in 0..num_attrs as u32 {
        let n = model
            .to_attr(a)
            .ok_or_else(|| io::Error::other("CRF model: an attribute without a name"))?;
        name(n, a);
    }
    // the header (after magic, size, type, version): feature count, label and attribute
    // counts, then the offsets of the feature chunk and the others; each feature is 20
    // bytes (type, source, target, weight) after the chunk's 12-byte header
    let num_features = u32_at(bytes, 16)? as usize;
    let off_features = u32_at(bytes, 28)? as usize;
    let mut trans_t = vec![0.0; l * l];
    let mut state = vec![0.0; num_attrs * l];
    for f in 0..num_features {
        let at = off_features + 12 + 20 * f;
        let (kind, source, target) = (
            u32_at(bytes, at)?,
            u32_at(bytes, at + 4)? as usize,
            u32_at(bytes, at + 8)? as usize,
        );
        let weight = f64_at(bytes, at + 12)?;
        match kind {
            0 if source < num_attrs && target < l => state[source * l + target] = weight,
            1 if source < l && target < l => trans_t[target * l + source] = weight,
            _ => return Err(io::Error::other("CRF model: a feature out of range")),
        }
    }
    Ok(Reading {
        labels,
        trans_t,
        state,
    })
}

impl Crf {
    /// One model (a CRFsuite file, as `crfs` writes it).
    pub fn from_bytes(bytes: &[u8]) -> io::Result<Crf> {
        Crf::new(bytes, None)
    }

    /// A first reading and, when given, a second stacked on it.
    pub fn new(first: &[u8], second: Option<&[u8]>) -> io::Result<Crf> {
        // every name once, to refuse two names with one key
        let mut names: FxHashMap<u64, Box<str>> = Default::default();
        let mut clash: Option<(Box<str>, Box<str>)> = None;
        let mut known = |n: &str| -> u64 {
            let key = name_key(n);
            match names.get(&key) {
                Some(other) if **other != *n => clash = Some((other.clone(), Box::from(n))),
                Some(_) => {}
                None => {
                    names.insert(key, n.into());
                }
            }
            key
        };
        let mut attrs: FxHashMap<u64, [u32; 2]> = Default::default();
        let mut readings = vec![read(first, |n, a| {
            attrs.insert(known(n), [a, NONE]);
        })?];
        if let Some(b) = second {
            readings.push(read(b, |n, a| {
                attrs.entry(known(n)).or_insert([NONE, NONE])[1] = a;
            })?);
        }
        if let Some((a, b)) = clash {
            return Err(io::Error::other(format!(
                "CRF model: attributes {a:?} and {b:?} have one key"
            )));
        }
        Ok(Crf {
            readings,
            attrs: Ids::new(attrs),
        })
    }

    /// How many readings (one, or two stacked).
    pub fn readings(&self) -> usize {
        self.readings.len()
    }

    /// How many labels the first reading gives.
    pub fn num_labels(&self) -> usize {
        self.readings[0].labels.len()
    }

    /// Scores for a sequence of `n` items in every reading, to be filled by naming their
    /// attributes.
    pub fn scores(&self, n: usize) -> Scores<'_> {
        Scores {
            crf: self,
            state: self
                .readings
                .iter()
                .map(|r| vec![0.0; n * r.labels.len()])
                .collect(),
            from: 0,
            pending: Vec::with_capacity(Scores::BATCH),
            found: Vec::with_capacity(Scores::BATCH),
        }
    }

    /// The best label sequence of one reading for its scores (Viterbi), as label bytes (empty
    /// for an empty sequence or a reading there is not).
    pub fn best(&self, scores: &mut Scores<'_>, reading: usize) -> Vec<u8> {
        scores.flush();
        let (Some(r), Some(state)) = (self.readings.get(reading), scores.state.get(reading)) else {
            return Vec::new();
        };
        let l = r.labels.len();
        let n = state.len() / l.max(1);
        if n == 0 || l == 0 {
            return Vec::new();
        }
        let mut alpha = vec![0.0f64; n * l];
        let mut back = vec![0u32; n * l];
        alpha[..l].copy_from_slice(&state[..l]);
        for t in 1..n {
            let (before, now) = alpha.split_at_mut(l * t);
            let prev = &before[l * (t - 1)..];
            for j in 0..l {
                let col = &r.trans_t[l * j..l * (j + 1)];
                let (mut max, mut arg) = (f64::MIN, 0usize);
                for i in 0..l {
                    let s = prev[i] + col[i];
                    if max < s {
                        max = s;
                        arg = i;
                    }
                }
                back[l * t + j] = arg as u32;
                now[j] = max + state[l * t + j];
            }
        }
        let mut ids = vec![0u32; n];
        let mut max = f64::MIN;
        for (i, &s) in alpha[l * (n - 1)..].iter().enumerate() {
            if max < s {
                max = s;
                ids[n - 1] = i as u32;
            }
        }
        for t in (0..n - 1).rev() {
            ids[t] = back[l * (t + 1) + ids[t + 1] as usize];
        }
        ids.iter().map(|&i| r.labels[i as usize]).collect()
    }
}

/// The summed state weights of a sequence being tagged, in every reading.
pub struct Scores<'m> {
    crf: &'m Crf,
    state: Vec<Vec<f64>>,
    /// the first reading names go to (1: the second reading's own attributes)
    from: usize,
    /// names put and not yet summed: the item and the name's key
    pending: Vec<(usize, u64)>,
    /// their ids, while summing
    found: Vec<(usize, [u32; 2])>,
}

impl Scores<'_> {
    /// How many names are looked up together: the lookups of a batch do not wait for each
    /// other's memory reads, as they would one name at a time between the weight rows' sums.
    const BATCH: usize = 64;

    /// Item `k` has the attribute `name` (once; an attribute named twice counts twice, as in
    /// CRFsuite). Names a reading does not know add nothing to it. (Summed in batches, in the
    /// order they were put: the same sums.)
    pub fn put(&mut self, k: usize, name: &str) {
        self.pending.push((k, name_key(name)));
        if self.pending.len() >= Self::BATCH {
            self.flush();
        }
    }

    /// Sum the names put so far.
    fn flush(&mut self) {
        let attrs = &self.crf.attrs;
        self.found.clear();
        self.found.extend(
            self.pending
                .iter()
                .filter_map(|&(k, key)| attrs.get(key).map(|ids| (k, *ids))),
        );
        self.pending.clear();
        for &(k, ids) in &self.found {
            let readings = self.crf.readings.iter().zip(&mut self.state).zip(ids);
            for ((reading, state), a) in readings.skip(self.from) {
                if a == NONE {
                    continue;
                }
                let l = reading.labels.len();
                let Some(row) = state.get_mut(k * l..(k + 1) * l) else {
                    continue;
                };
                let w = &reading.state[a as usize * l..(a as usize + 1) * l];
                for (s, w) in row.iter_mut().zip(w) {
                    *s += w;
                }
            }
        }
    }

    /// From now on, names go to the second reading only (its features about the first's
    /// labels).
    pub fn second_only(&mut self) {
        self.flush();
        self.from = 1;
    }
}
