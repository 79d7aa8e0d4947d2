//! Reading what a run wrote: a Parquet file, or a table folder of part files.

use std::fs;
use std::path::Path;

use polars::prelude::*;

/// A Parquet file, or a table folder's part files in order, as one frame.
pub fn read_parquet(path: &Path) -> DataFrame {
    let read = |p: &Path| ParquetReader::new(fs::File::open(p).unwrap()).finish().unwrap();
    if !path.is_dir() {
        return read(path);
    }
    let parts = part_files(path);
    assert!(!parts.is_empty(), "{} has no parts", path.display());
    let mut frames = parts.iter().map(|p| read(p));
    let mut all = frames.next().unwrap();
    frames.for_each(|f| {
        all.vstack_mut_owned(f).unwrap();
    });
    all
}

/// A table folder's part files, in part order.
pub fn part_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut parts: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    parts.sort();
    parts
}

/// A table folder's bytes: its part files', in order.
pub fn table_bytes(dir: &Path) -> Vec<u8> {
    part_files(dir).iter().flat_map(|p| fs::read(p).unwrap()).collect()
}
