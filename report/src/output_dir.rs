//! Writing a run's folder so that it is whole or absent, never half-written.
//!
//! Files go to a hidden staging folder beside the target, `.NAME.partial-PID`. Only
//! when everything is written (the manifest last) is it renamed to `NAME`. A run that
//! fails or is interrupted leaves at most a folder whose name says it is partial.
//!
//! One process at a time writes a folder: it holds `.NAME.lock`, which records its
//! process id ([`Claim`]). A second run aimed at the same folder is refused with
//! the holder's id; a lock or staging folder left by a process that no longer
//! exists is removed, and said so, by the next run.

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
    _claim: Claim,
}

/// The right to write one output folder, held from before the simulation to the
/// last byte written: a lock file beside the folder. Dropping it releases the lock.
#[derive(Debug)]
pub struct Claim {
    lock: PathBuf,
    /// False when this process already held the lock (an outer claim owns it).
    owned: bool,
}

/// Whether `manifest` is a dccsim manifest: JSON naming its study `kind` and the
/// `dccsim_version` that wrote it. Any other `manifest.json` (another tool's, or a
/// file a user named so) does not make a folder replaceable.
fn written_by_dccsim(manifest: &Path) -> bool {
    let Ok(text) = fs::read(manifest) else { return false };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&text) else { return false };
    json.get("kind").and_then(|k| k.as_str()).is_some() && json.get("dccsim_version").and_then(|v| v.as_str()).is_some()
}

impl Claim {
    /// Checks that `target` may be written (absent, empty, or an earlier run's
    /// folder), makes its parent, takes its lock, and removes what dead processes
    /// left beside it. Refuses a folder another living process is writing.
    pub fn take(target: &Path) -> Result<Claim, ReportError> {
        if target.exists() {
            let is_run = written_by_dccsim(&target.join(MANIFEST));
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
        let lock = beside(target, "lock");
        let claim = Claim::lock(target, lock)?;
        remove_left_by_dead_processes(target, parent);
        Ok(claim)
    }

    fn lock(target: &Path, lock: PathBuf) -> Result<Claim, ReportError> {
        let me = std::process::id();
        // Twice at most: the second try follows the removal of a dead process's lock.
        for _ in 0..2 {
            match fs::OpenOptions::new().write(true).create_new(true).open(&lock) {
                Ok(mut file) => {
                    use std::io::Write;
                    file.write_all(me.to_string().as_bytes()).map_err(|e| io_err(&lock, e))?;
                    return Ok(Claim { lock, owned: true });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(&lock).ok().and_then(|t| t.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if pid == me => return Ok(Claim { lock, owned: false }),
                        Some(pid) if alive(pid) => {
                            return Err(ReportError::Locked { folder: target.display().to_string(), pid });
                        }
                        _ => {
                            eprintln!("note: removing {}, left by a dccsim that no longer runs", lock.display());
                            let _ = fs::remove_file(&lock);
                        }
                    }
                }
                Err(e) => return Err(io_err(&lock, e)),
            }
        }
        Err(io_err(&lock, io::Error::new(io::ErrorKind::AlreadyExists, "the lock reappeared")))
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if self.owned {
            let _ = fs::remove_file(&self.lock);
        }
    }
}

/// Whether process `pid` exists. Where that cannot be told (no `/proc`), it is
/// taken to exist, so a lock is never broken on a guess.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Removes staging and replaced folders of `target` whose process is gone.
fn remove_left_by_dead_processes(target: &Path, parent: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let pid = [".partial-", ".replaced-"]
            .iter()
            .find_map(|tag| file.strip_prefix(&format!(".{name}{tag}")).and_then(|pid| pid.parse::<u32>().ok()));
        if pid.is_some_and(|pid| !alive(pid)) {
            eprintln!("note: removing {}, left by a dccsim that no longer runs", entry.path().display());
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// `.NAME.TAG` beside `target` (a hidden file of the folder `NAME`).
pub(crate) fn beside(target: &Path, tag: &str) -> PathBuf {
    let name = target.file_name().map_or_else(|| "run".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{tag}"))
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
        let claim = Claim::take(target)?;
        let staging = sibling(target, "partial");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| io_err(&staging, e))?;
        }
        fs::create_dir(&staging).map_err(|e| io_err(&staging, e))?;
        Ok(StagedDir { staging, target: target.to_path_buf(), committed: false, _claim: claim })
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
        fs::write(staged.path().join(MANIFEST), DCCSIM_MANIFEST).unwrap();
        assert!(!target.exists());
        staged.commit().unwrap();
        assert!(target.join(MANIFEST).is_file());

        let again = StagedDir::create(&target).unwrap();
        fs::write(again.path().join("new.txt"), "x").unwrap();
        fs::write(again.path().join(MANIFEST), DCCSIM_MANIFEST).unwrap();
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

    /// The least a dccsim manifest holds.
    const DCCSIM_MANIFEST: &str = r#"{"kind": "network", "dccsim_version": "0.1.0"}"#;

    #[test]
    fn unrelated_folders_are_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("thesis.tex"), "precious").unwrap();
        let err = StagedDir::create(tmp.path()).unwrap_err();
        assert!(matches!(err, ReportError::NotARunFolder(_)));
        assert!(tmp.path().join("thesis.tex").is_file());
    }

    #[test]
    fn a_manifest_another_program_wrote_does_not_make_a_folder_replaceable() {
        let tmp = tempfile::tempdir().unwrap();
        for foreign in ["{}", "not json", r#"{"kind": "network"}"#, r#"{"name": "my-package", "version": "1"}"#] {
            fs::write(tmp.path().join(MANIFEST), foreign).unwrap();
            let err = StagedDir::create(tmp.path()).unwrap_err();
            assert!(matches!(err, ReportError::NotARunFolder(_)), "{foreign}");
        }
        fs::write(tmp.path().join(MANIFEST), DCCSIM_MANIFEST).unwrap();
        StagedDir::create(tmp.path()).unwrap().commit().unwrap();
    }
}
