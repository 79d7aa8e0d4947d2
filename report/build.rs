//! Records the commit dccsim is built from, for every manifest (`DCCSIM_COMMIT`):
//! the environment variable of that name if set (a packager's build), else the
//! checked-out commit, else "unknown" (a build outside a git checkout).

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok().filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string()).filter(|s| !s.is_empty())
}

fn main() {
    println!("cargo:rerun-if-env-changed=DCCSIM_COMMIT");
    let commit = std::env::var("DCCSIM_COMMIT").ok().or_else(|| git(&["rev-parse", "HEAD"]));
    println!("cargo:rustc-env=DCCSIM_COMMIT={}", commit.as_deref().unwrap_or("unknown"));
    // Build again when the checkout moves to another commit. Only files that exist
    // are named: cargo would otherwise rebuild every time.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        let head = git(&["symbolic-ref", "-q", "HEAD"]);
        for file in ["HEAD", "packed-refs"].into_iter().map(String::from).chain(head) {
            let path = std::path::Path::new(&dir).join(file);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}
