//! docs/outputs.md's column tables are generated from the schemas the writers
//! check their tables against; this fails when they drift apart. To rewrite the
//! docs from the schemas: `DCCSIM_BLESS=1 cargo test -p report --test schema_docs`.

use std::path::Path;

#[test]
fn the_column_tables_in_docs_outputs_md_match_the_schemas() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/outputs.md");
    let doc = std::fs::read_to_string(&path).expect("docs/outputs.md is readable");
    let generated = report::schema::regenerate(&doc).unwrap_or_else(|e| panic!("docs/outputs.md: {e}"));
    if std::env::var_os("DCCSIM_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("docs/outputs.md is writable");
        return;
    }
    if generated != doc {
        let line = doc.lines().zip(generated.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
        panic!(
            "docs/outputs.md:{line}: a column table differs from report::schema::tables; \
             rerun with DCCSIM_BLESS=1 to rewrite it from the schemas"
        );
    }
}

#[test]
fn every_declared_table_is_in_the_docs() {
    let doc = include_str!("../../docs/outputs.md");
    for table in report::schema::tables::ALL {
        assert!(doc.contains(&report::schema::begin_marker(table)), "{} has no table in docs/outputs.md", table.file);
    }
}
