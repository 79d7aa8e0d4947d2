//! Writing a run's folder so that it is whole or absent, never half-written.
//!
//! Files go to a hidden staging folder beside the target, `.NAME.partial-PID`. Only
//! when everything is written (the manifest last) is it renamed to `NAME`. A run that
//! fails or is interrupted leaves at most a folder whose name says it is partial.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::ReportError;

/// The file whose presence marks a finished run folder; written last.
pub const MANIFEST: &str = "manifest.json";

/// A staging folder that becomes the target folder on [`StagedDir::commit`].
#[derive(Debug)]
pub struct StagedDir {
    staging: PathBuf,
    target: PathBuf,
    committed: bool,
}

fn io_err(path: &Path, source: io::Error) -> ReportError {
    ReportError::Io { path: path.display().to_string(), source }
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target.file_name().map_or_else(|| "run".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

impl StagedDir {
    /// Prepares to write `target`. Refuses a target that exists and is neither empty
    /// nor a previous run's folder (one with a manifest), so a mistyped `--out`
    /// cannot replace unrelated files.
    pub fn create(target: &Path) -> Result<StagedDir, ReportError> {
        if target.exists() {
            let is_run = target.join(MANIFEST).is_file();
            let is_empty = fs::read_dir(target).map_err(|e| io_err(target, e))?.next().is_none();
            if !is_run && !is_empty {
                return Err(ReportError::NotARunFolder(target.display().to_string()));
            }
        }
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        // Name the file in the way rather than the folder that could not be made.
        if let Some(file) = parent.ancestors().find(|a| a.exists()).filter(|a| !a.is_dir()) {
            let why = io::Error::new(io::ErrorKind::NotADirectory, "a file, where a folder is needed");
            return Err(io_err(file, why));
        }
        fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
        let staging = sibling(target, "partial");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| io_err(&staging, e))?;
        }
        fs::create_dir(&staging).map_err(|e| io_err(&staging, e))?;
        Ok(StagedDir { staging, target: target.to_path_buf(), committed: false })
    }

    /// Where to write files now.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Moves the finished folder into place, replacing a previous run's folder.
    pub fn commit(mut self) -> Result<PathBuf, ReportError> {
        let old = sibling(&self.target, "replaced");
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).map_err(|e| io_err(&self.target, e))?;
        }
        fs::rename(&self.staging, &self.target).map_err(|e| io_err(&self.target, e))?;
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(|e| io_err(&old, e))?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a failed run removes its partial files.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit_and_old_runs_are_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out").join("study");
        let staged = StagedDir::create(&target).unwrap();
        fs::write(staged.path().join(MANIFEST), "{}").unwrap();
        assert!(!target.exists());
        staged.commit().unwrap();
        assert!(target.join(MANIFEST).is_file());

        let again = StagedDir::create(&target).unwrap();
        fs::write(again.path().join("new.txt"), "x").unwrap();
        fs::write(again.path().join(MANIFEST), "{}").unwrap();
        again.commit().unwrap();
        assert!(target.join("new.txt").is_file());
        let leftovers: Vec<_> = fs::read_dir(tmp.path().join("out")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the run folder remains");
    }

    #[test]
    fn a_dropped_stage_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("study");
        {
            let staged = StagedDir::create(&target).unwrap();
            fs::write(staged.path().join("half.parquet"), "x").unwrap();
        }
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }

    #[test]
    fn unrelated_folders_are_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("thesis.tex"), "precious").unwrap();
        let err = StagedDir::create(tmp.path()).unwrap_err();
        assert!(matches!(err, ReportError::NotARunFolder(_)));
        assert!(tmp.path().join("thesis.tex").is_file());
    }
}
