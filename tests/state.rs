//! Reader state: marks survive rebuilds, renames and concurrent sessions; filters and is:/tag:
//! queries return exactly the right sets; new files show up in a running reader.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn article_ids(data: &Path, archive: &Path, extra: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["list", "--articles", "--json"];
    args.extend_from_slice(extra);
    let (ok, out, err) = kanbao(data, archive, &args);
    assert!(ok, "{err}");
    jsonl(&out)
        .into_iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn marks_survive_rebuild_and_rename() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    copy_samples(&arch);
    let all = article_ids(&data, &arch, &[]);
    let pick: Vec<String> = all.iter().take(3).cloned().collect();
    let (ok, _, err) = kanbao(
        &data,
        &arch,
        &[
            &["mark", "--star"][..],
            &pick.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        ]
        .concat(),
    );
    assert!(ok, "{err}");
    assert_eq!(
        article_ids(&data, &arch, &["--starred"]),
        pick.iter().cloned().collect()
    );
    // rebuild the index, rename and move files: the same ids keep their marks
    let (ok, _, err) = kanbao(&data, &arch, &["index", "--rebuild"]);
    assert!(ok, "{err}");
    std::fs::rename(arch.join("2024"), arch.join("moved-2024")).unwrap();
    std::fs::rename(
        arch.join("2025/gongren-2025-05-14.txt"),
        arch.join("2025/renamed.txt"),
    )
    .unwrap();
    assert_eq!(
        article_ids(&data, &arch, &[]),
        all,
        "ids are content-derived"
    );
    assert_eq!(
        article_ids(&data, &arch, &["--starred"]),
        pick.iter().cloned().collect()
    );
    // an unknown id is named and fails the command
    let (ok, _, err) = kanbao(&data, &arch, &["mark", "--read", &pick[0], "no-such-id"]);
    assert!(!ok);
    assert!(
        err.contains("no-such-id") && !err.contains(&pick[0]),
        "{err}"
    );
}

#[test]
fn filters_and_state_queries_are_exact() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    copy_samples(&arch);
    let all = article_ids(&data, &arch, &[]);
    let v: Vec<&String> = all.iter().collect();
    let run = |args: &[&str]| {
        let (ok, _, err) = kanbao(&data, &arch, args);
        assert!(ok, "{err}");
    };
    run(&["mark", "--read", v[0], v[1], v[2]]);
    run(&["mark", "--star", v[2], v[3]]);
    run(&["mark", "--tag", "民生", v[3], v[4]]);
    run(&["mark", "--tag", "跟进", v[4]]);
    run(&["mark", "--untag", "跟进", v[4]]);
    let read: BTreeSet<String> = [v[0], v[1], v[2]].into_iter().cloned().collect();
    let unread: BTreeSet<String> = all.difference(&read).cloned().collect();
    let starred: BTreeSet<String> = [v[2], v[3]].into_iter().cloned().collect();
    let tagged: BTreeSet<String> = [v[3], v[4]].into_iter().cloned().collect();
    assert_eq!(article_ids(&data, &arch, &["--unread"]), unread);
    assert_eq!(article_ids(&data, &arch, &["--starred"]), starred);
    assert_eq!(article_ids(&data, &arch, &["--tag", "民生"]), tagged);
    assert!(article_ids(&data, &arch, &["--tag", "跟进"]).is_empty());
    assert_eq!(
        article_ids(&data, &arch, &["--unread", "--starred"]),
        [v[3].clone()].into_iter().collect()
    );
    // the same through search (fragments excluded by comparing to article ids)
    let search = |q: &str| -> BTreeSet<String> {
        let (ok, out, err) = kanbao(&data, &arch, &["search", "--json", "--limit", "1000", q]);
        assert!(ok, "{q}: {err}");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .filter(|id| all.contains(id))
            .collect()
    };
    assert_eq!(search("is:starred"), starred);
    assert_eq!(search("is:read"), read);
    assert_eq!(search("is:unread"), unread);
    assert_eq!(search("tag:民生"), tagged);
    assert_eq!(
        search("is:starred -is:read"),
        [v[3].clone()].into_iter().collect()
    );
    assert_eq!(search("tag:民生 OR is:read").len(), 5);
    // combined with text: every starred article that contains 的
    let with_text = search("的 is:starred");
    assert!(with_text.is_subset(&starred) && !with_text.is_empty());
    // issue listing carries the marks
    let (_, out, _) = kanbao(&data, &arch, &["list", "--json"]);
    let issues = jsonl(&out);
    let unread_total: u64 = issues.iter().map(|i| i["unread"].as_u64().unwrap()).sum();
    assert_eq!(unread_total as usize, unread.len());
    assert!(issues.iter().all(|i| i.get("new").is_some()));
}

/// Child mode for the concurrency test: mark the ids in KANBAO_CHILD_IDS one by one.
fn child_marks() -> bool {
    let Ok(ids) = std::env::var("KANBAO_CHILD_IDS") else {
        return false;
    };
    let dir = std::env::var("KANBAO_CHILD_DATA").unwrap();
    let st = kanbao::state::State::open(Path::new(&dir)).unwrap();
    for id in ids.split(',') {
        st.set_starred(id, true).unwrap();
        st.set_read(id, true).unwrap();
        st.add_tag(id, "并发").unwrap();
    }
    true
}

#[test]
fn two_processes_marking_at_once_lose_nothing() {
    if child_marks() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    kanbao::state::State::open(t.path()).unwrap();
    let ids: Vec<Vec<String>> = (0..2)
        .map(|p| (0..400).map(|i| format!("p{p}-article-{i}")).collect())
        .collect();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = ids
        .iter()
        .map(|set| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "two_processes_marking_at_once_lose_nothing",
                    "--nocapture",
                ])
                .env("KANBAO_CHILD_IDS", set.join(","))
                .env("KANBAO_CHILD_DATA", t.path())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let st = kanbao::state::State::open(t.path()).unwrap();
    let marks = st.all_marks().unwrap();
    for id in ids.iter().flatten() {
        let m = marks.get(id).unwrap_or_else(|| panic!("{id} lost"));
        assert!(
            m.read && m.starred && m.tags.contains("并发"),
            "{id}: {m:?}"
        );
    }
    assert_eq!(marks.len(), 800);
}
