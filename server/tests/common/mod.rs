//! Helpers shared by the integration tests.

use std::path::Path;

/// Copies a folder tree (the example workspace into a temporary one).
#[allow(dead_code)] // not every test crate copies the example
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Runs `git -C root ARGS` as a test's repository needs it: the machine's own
/// config ignored, an author set, no signing. Whether it succeeded (false
/// also when git is missing: callers skip what needs it).
#[allow(dead_code)] // not every test crate drives git
pub fn git(root: &Path, args: &[&str]) -> bool {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .is_ok_and(|o| o.status.success())
}
