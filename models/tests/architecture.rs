//! The shape of the code, checked: imports between the top-level modules of
//! `models` flow one way, and no source file in the workspace grows past 600 lines.
//!
//! These read the source as text, so they fail the moment a change breaks the
//! rule, with the offending modules or files named.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

/// The most lines a source file may have (STYLE.md: split a growing file by concept).
const MAX_LINES: usize = 600;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("models sits in the workspace").to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(name, "target" | ".git" | "output" | "snapshots") {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The top-level module of `models` a source file belongs to (`src/dsp/mod.rs` →
/// `dsp`, `src/csp.rs` → `csp`); `None` for `lib.rs`.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

/// The code of a file without the items marked `#[cfg(test)]` (a `mod tests;` line
/// or a braced block): test code may reach anywhere.
fn non_test_code(text: &str) -> String {
    // Comments name modules in doc links without importing them.
    let text: String = text.lines().map(|l| l.find("//").map_or(l, |at| &l[..at])).collect::<Vec<_>>().join("\n");
    let mut kept = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        kept.push_str(&rest[..at]);
        let item = &rest[at..];
        // The item ends at its `;` if that comes before any `{`, else at the brace
        // that closes its block.
        let semi = item.find(';');
        let open = item.find('{');
        let end = match (semi, open) {
            (Some(s), Some(o)) if s < o => s + 1,
            (Some(s), None) => s + 1,
            (_, Some(o)) => {
                let mut depth = 0usize;
                let mut end = item.len();
                for (i, ch) in item[o..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = o + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, None) => item.len(),
        };
        rest = &item[end..];
    }
    kept.push_str(rest);
    kept
}

/// The top-level modules a piece of code names through `crate::`, including those in
/// grouped imports such as `use crate::{alert::AlertJob, region::CspRegion};`.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // Each top-level path in the braces, at nesting depth zero.
            let mut depth = 0;
            let mut start = 0;
            for (i, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.extend(leading_ident(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.extend(leading_ident(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.extend(leading_ident(after));
        }
        rest = after;
    }
    found
}

fn leading_ident(s: &str) -> Option<String> {
    let s = s.trim_start();
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    (end > 0).then(|| s[..end].to_string())
}

/// Edges `from → to` between the top-level modules of `models/src`.
fn module_imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = workspace_root().join("models/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = top_module(&src, &file) else { continue };
        // Test code and the test-only harness (`testkit`) may reach anywhere.
        if file.file_name().is_some_and(|n| n == "tests.rs") || module == "testkit" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let targets = edges.entry(module.clone()).or_default();
        for to in crate_references(&non_test_code(&text)) {
            if to != module && to != "self" && to != "testkit" {
                targets.insert(to);
            }
        }
    }
    edges
}

#[test]
fn test_items_are_left_out_and_the_rest_kept() {
    let code = "use crate::a::X; // see [`crate::e`]\n#[cfg(test)]\nmod tests;\nuse crate::b::Y;\n#[cfg(test)]\nmod t {\n    use crate::c::{Z};\n    fn f() { }\n}\nuse crate::d::W;";
    let found: Vec<_> = crate_references(&non_test_code(code)).into_iter().collect();
    assert_eq!(found, ["a", "b", "d"]);
}

#[test]
fn crate_references_are_read_from_paths_and_groups() {
    let code =
        "use crate::alert::AlertJob;\nuse crate::{region::CspRegion, users::{A, B}, sweep};\nlet x = crate::dsp::f();";
    let found: Vec<_> = crate_references(code).into_iter().collect();
    assert_eq!(found, ["alert", "dsp", "region", "sweep", "users"]);
}

#[test]
fn top_level_modules_of_models_import_one_way() {
    let edges = module_imports();
    let mut graph = DiGraph::<&str, ()>::new();
    let mut node = BTreeMap::new();
    for (from, tos) in &edges {
        for name in std::iter::once(from).chain(tos) {
            node.entry(name.as_str()).or_insert_with(|| graph.add_node(name.as_str()));
        }
    }
    for (from, tos) in &edges {
        for to in tos {
            graph.add_edge(node[from.as_str()], node[to.as_str()], ());
        }
    }
    let cycles: Vec<Vec<&str>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| scc.len() > 1)
        .map(|scc| {
            let mut names: Vec<&str> = scc.iter().map(|&n| graph[n]).collect();
            names.sort_unstable();
            names
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "these top-level modules of models/ import each other in a circle: {cycles:?}; \
         edges: {edges:#?}"
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let mut files = Vec::new();
    rust_files(&workspace_root(), &mut files);
    assert!(files.len() > 50, "found only {} source files: is the walk broken?", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files by concept (at most {MAX_LINES} lines): {long:?}");
}
