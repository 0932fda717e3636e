//! The module graph has no cycles: each module of `src/` (and each file of `src/tui/`,
//! `src/index/`, `src/layout/`, `src/cmd/`) may use others only in one direction. Read from the
//! source: every `crate::a::b` and `super::x` path outside tests is an edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The module a file is: `index`, `tui::app`, `cmd::search`…
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// Modules this file's code (before its `#[cfg(test)]` part) refers to.
fn uses(module: &str, text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let parent: Vec<&str> = module.split("::").collect();
    let parent = if module.contains("::") {
        parent[..parent.len() - 1].join("::")
    } else {
        String::new()
    };
    let mut out = BTreeSet::new();
    let re =
        regex::Regex::new(r"\b(crate|super)::([a-z_][a-z0-9_]*)(?:::([a-z_][a-z0-9_]*))?").unwrap();
    for c in re.captures_iter(code) {
        let (root, a, b) = (&c[1], &c[2], c.get(3).map(|m| m.as_str()));
        let base = if root == "crate" || parent.is_empty() {
            a.to_string()
        } else {
            format!("{parent}::{a}")
        };
        // the deepest known module the path names
        let deeper = b.map(|b| format!("{base}::{b}"));
        let target = match deeper {
            Some(d) if known.contains(&d) => d,
            _ => base,
        };
        if known.contains(&target)
            && target != module
            && !module.starts_with(&format!("{target}::"))
        {
            out.insert(target);
        }
    }
    out
}

#[test]
fn no_import_cycles_between_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "rs") {
            let rel = e.path().strip_prefix(&src).unwrap().to_path_buf();
            if rel == Path::new("lib.rs") || rel == Path::new("main.rs") {
                continue;
            }
            files.insert(module_of(&rel), std::fs::read_to_string(e.path()).unwrap());
        }
    }
    let known: BTreeSet<String> = files.keys().cloned().collect();
    // a module and its children are one node for the edges between siblings
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, text) in &files {
        graph.insert(m.clone(), uses(m, text, &known));
    }
    // a parent may use its children (it declares them); edges from a child to its parent or
    // between siblings count
    let mut cycles = Vec::new();
    for start in graph.keys() {
        // depth-first search for a path back to start
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    let is_parent_child = path.len() == 2
                        && (next.starts_with(&format!("{node}::"))
                            || node.starts_with(&format!("{next}::")));
                    if !is_parent_child {
                        let mut p = path.clone();
                        p.push(next.clone());
                        cycles.push(p.join(" → "));
                    }
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    cycles.sort();
    cycles.dedup();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
    // the graph was read at all
    assert!(
        graph["tui::app"].contains("tui::keys"),
        "{:?}",
        graph["tui::app"]
    );
}
