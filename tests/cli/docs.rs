//! Docs that hold: no document cites a file that is not in the repository.

use std::fs;
use std::path::{Path, PathBuf};

/// Folders of the repository whose files docs cite by path.
const TOP: [&str; 13] = [
    "docs/",
    "scenarios/",
    "models/",
    "sim/",
    "sim-mpi/",
    "report/",
    "src/",
    "tests/",
    "tools/",
    "benches/",
    "notebooks/",
    "python/",
    ".ci/",
];

/// Paths docs name that a reader makes by following them, not files of the repository.
const MADE_BY_THE_READER: [&str; 2] = ["scenarios/my_study.toml", "notebooks/executed/"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every Markdown file of the repository, outside build and output folders.
fn markdown_files() -> Vec<PathBuf> {
    let skip = ["target", "output", ".git", "build", "node_modules"];
    let mut found = Vec::new();
    let mut stack = vec![root()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() && !skip.contains(&name.as_str()) && !name.ends_with(".egg-info") {
                stack.push(path);
            } else if name.ends_with(".md") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The targets of `[text](target)` links that point into the repository.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].split('#').next().unwrap_or_default().trim();
        if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") && !target.contains(' ') {
            out.push(target.to_string());
        }
    }
    out
}

/// Paths in backticks that name a file or folder under one of [`TOP`].
fn cited_paths(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|code| {
            let word = code.split_whitespace().find(|w| TOP.iter().any(|t| w.starts_with(t)))?;
            let word = word.trim_end_matches([',', '.', ';', ':', ')']);
            let plain = word.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c));
            (plain && !word.contains("..") && !word.contains('*')).then(|| word.to_string())
        })
        .collect()
}

#[test]
fn no_document_cites_a_file_that_is_not_in_the_repository() {
    let mut missing = Vec::new();
    let files = markdown_files();
    assert!(files.len() > 10, "{files:?}");
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let here = file.parent().unwrap();
        let shown = file.strip_prefix(root()).unwrap().display().to_string();
        for link in links(&text) {
            if !here.join(&link).exists() {
                missing.push(format!("{shown}: link to {link}"));
            }
        }
        for path in cited_paths(&text) {
            if !MADE_BY_THE_READER.iter().any(|m| path.starts_with(m)) && !root().join(&path).exists() {
                missing.push(format!("{shown}: `{path}`"));
            }
        }
    }
    assert!(missing.is_empty(), "documents cite files the repository does not have:\n{}", missing.join("\n"));
}

#[test]
fn the_link_checker_sees_links_and_cited_paths() {
    let text = "See [outputs](outputs.md#rows), [web](https://x.org) and `docs/cluster.md`, or \
                `cargo run -- run scenarios/quickstart.toml`; not `output/quickstart/report.html`.";
    assert_eq!(links(text), ["outputs.md"]);
    assert_eq!(cited_paths(text), ["docs/cluster.md", "scenarios/quickstart.toml"]);
    assert!(Path::new(&root()).join("docs/domain.md").exists(), "the domain fact sheet is in the repository");
}
