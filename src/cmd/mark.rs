//! `kanbao mark (--read|--unread|--star|--unstar|--tag T|--untag T) ID...`.

use crate::index::Store;
use crate::state::State;
use std::process::ExitCode;

pub fn run(ctx: &super::Ctx, change: &Change, ids: &[String]) -> anyhow::Result<ExitCode> {
    let data = ctx.data_dir()?;
    let store = super::open::open_checked(&data, &ctx.archive, true)?;
    let mut state = State::open(&data)?;
    let unknown = mark(&store, &mut state, change, ids)?;
    if unknown.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "kanbao: unknown id{}: {}",
            if unknown.len() > 1 { "s" } else { "" },
            unknown.join(" ")
        );
        Ok(ExitCode::from(1))
    }
}

pub enum Change {
    Read(bool),
    Star(bool),
    Tag(String),
    Untag(String),
}

/// Apply a change to every id; unknown ids are named and nothing is changed for them.
/// Returns the unknown ids. What each marked article says is kept with its marks, so that
/// they follow it if a re-cut of its page gives it another id.
pub fn mark(
    store: &Store,
    state: &mut State,
    change: &Change,
    ids: &[String],
) -> anyhow::Result<Vec<String>> {
    if let Change::Tag(t) = change {
        crate::state::valid_tag(t).map_err(|e| anyhow::anyhow!(e))?;
    }
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for id in ids {
        match store.record(id)? {
            Some(r) => known.push(r),
            None => unknown.push(id.clone()),
        }
    }
    let archive = crate::follow::archive_key(store);
    state.atomically(|state| {
        crate::follow::remember(state, &archive, &known)?;
        for r in &known {
            let id = r.id.as_str();
            match change {
                Change::Read(v) => state.set_read(id, *v)?,
                Change::Star(s) => state.set_starred(id, *s)?,
                Change::Tag(t) => state.add_tag(id, t)?,
                Change::Untag(t) => state.remove_tag(id, t)?,
            }
        }
        Ok(())
    })?;
    Ok(unknown)
}
