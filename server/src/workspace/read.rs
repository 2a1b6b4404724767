//! The one way a repository file is read. A repository is untrusted: a
//! "file" may be a symlink to `/dev/zero`, a FIFO that never answers, or a
//! link out of the root to `/etc/passwd`. So every read of repository data
//! resolves symlinks and refuses what lands outside the root, opens without
//! blocking, checks the *opened handle* (not the path, which can change
//! meanwhile) is a regular file, and reads at most `cap + 1` bytes: a
//! metadata length of 0 (what `/dev/zero` and `/proc` files report) passes
//! no size check by accident.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a finding says of a path that leaves the root.
pub const OUTSIDE: &str =
    "leads outside the workspace root (after resolving symlinks); it is not followed";

/// `agentops.toml`, flavor files, `.git/HEAD`: small text.
pub const MAX_CONFIG: u64 = 1 << 20;

#[derive(Debug)]
pub enum ReadError {
    Missing,
    /// The path, symlinks resolved, is not under the root (or goes through a
    /// dangling symlink).
    Outside,
    /// A folder, FIFO, socket or device.
    NotRegular,
    TooLarge {
        cap: u64,
    },
    NotUtf8 {
        offset: usize,
    },
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing => f.write_str("it does not exist"),
            ReadError::Outside => f.write_str("it is outside the workspace root"),
            ReadError::NotRegular => f.write_str("it is not a regular file"),
            ReadError::TooLarge { cap } => write!(f, "it is larger than {}", size(*cap)),
            ReadError::NotUtf8 { offset } => write!(
                f,
                "it is not valid UTF-8 (first bad byte at offset {offset})"
            ),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes >> 10)
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::Missing,
            _ => ReadError::Io(e),
        }
    }
}

impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            ReadError::Missing => std::io::Error::from(std::io::ErrorKind::NotFound),
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// `root` with its symlinks resolved (itself when it cannot be).
pub fn canonical_root(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// `path` with its symlinks resolved, if that is under the root (`root` as
/// spelled, `real_root` its `canonical_root`). A path that does not exist is
/// judged by its deepest existing folder, and a path climbing out of the
/// root by its text: "outside" whether or not its target exists, so nothing
/// tells a repository which files exist elsewhere.
pub fn confine(root: &Path, real_root: &Path, path: &Path) -> Result<PathBuf, ReadError> {
    let lexical = super::resolve::normalize(path);
    if !lexical.starts_with(super::resolve::normalize(root)) && !lexical.starts_with(real_root) {
        return Err(ReadError::Outside);
    }
    match path.canonicalize() {
        Ok(real) if real.starts_with(real_root) => Ok(real),
        Ok(_) => Err(ReadError::Outside),
        Err(e) => {
            // The nearest part of the path that exists decides: a folder out
            // of the root (or a dangling symlink, which is not followed) makes
            // the whole path outside, and a write there is refused.
            let mut at = Some(lexical.as_path());
            while let Some(p) = at {
                if p.symlink_metadata().is_ok() {
                    match p.canonicalize() {
                        Ok(real) if real.starts_with(real_root) => break,
                        _ => return Err(ReadError::Outside),
                    }
                }
                at = p.parent();
            }
            Err(e.into())
        }
    }
}

/// Reads a regular file, at most `cap` bytes, without ever blocking on a
/// FIFO or device. Symlinks are followed; confinement is `confine`'s job.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading blocks until a writer comes; with
        // O_NONBLOCK it returns at once and the fstat below refuses it.
        options.custom_flags(libc::O_NONBLOCK);
    }
    read_open(options.open(path)?, cap)
}

/// Reads an opened file: regular (checked on the handle), at most `cap` bytes.
fn read_open(file: std::fs::File, cap: u64) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge { cap });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The length can grow after the fstat: never read past the cap.
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge { cap });
    }
    Ok(bytes)
}

/// `read_capped` of `path` (already `confine`d: under `real_root`), opened
/// so that a symlink swapped in after the check cannot lead out of the root
/// (`beneath::open`). Where the kernel cannot do that, the checked path.
pub fn read_confined(real_root: &Path, path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let rel = path
        .strip_prefix(real_root)
        .map_err(|_| ReadError::Outside)?;
    match super::beneath::open_file(real_root, rel)? {
        Some(file) => read_open(file, cap),
        None => read_capped(path, cap),
    }
}

/// A repository file: confined to the root, regular, at most `cap` bytes.
pub fn read_in(root: &Path, path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let real_root = canonical_root(root);
    let real = confine(root, &real_root, path)?;
    read_confined(&real_root, &real, cap)
}

/// A root-relative repository file, at most the size of the largest
/// artifact (`scan::MAX_FILE`).
pub fn repo_file(root: &Path, rel: &str) -> Result<Vec<u8>, ReadError> {
    read_in(root, &root.join(rel), super::scan::MAX_FILE)
}

/// `repo_file`, as UTF-8 text.
pub fn repo_text(root: &Path, rel: &str) -> Result<String, ReadError> {
    read_text_in(root, &root.join(rel), super::scan::MAX_FILE)
}

/// `read_in`, as UTF-8 text.
pub fn read_text_in(root: &Path, path: &Path, cap: u64) -> Result<String, ReadError> {
    let bytes = read_in(root, path, cap)?;
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_special_files_and_confinement() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("a.md"), "0123456789").unwrap();
        assert_eq!(read_in(&root, &root.join("a.md"), 10).unwrap().len(), 10);
        assert!(matches!(
            read_in(&root, &root.join("a.md"), 9),
            Err(ReadError::TooLarge { cap: 9 })
        ));
        assert!(matches!(
            read_in(&root, &root.join("nope.md"), 9),
            Err(ReadError::Missing)
        ));
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        assert!(matches!(
            read_in(&root, &root.join("../secret"), 9),
            Err(ReadError::Outside)
        ));
        // Outside whether or not the target exists.
        assert!(matches!(
            read_in(&root, &root.join("../no-such-file"), 9),
            Err(ReadError::Outside)
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret"), root.join("l.md")).unwrap();
            assert!(matches!(
                read_in(&root, &root.join("l.md"), 9),
                Err(ReadError::Outside)
            ));
            assert!(matches!(
                read_capped(Path::new("/dev/zero"), 9),
                Err(ReadError::NotRegular)
            ));
            assert!(matches!(
                read_in(&root, &root, 9),
                Err(ReadError::NotRegular)
            ));
        }
    }

    /// A folder on the way swapped with a symlink out of the root, over and
    /// over from another thread, while the file is read N times: the read
    /// may fail, but it never returns what is outside (the check and the
    /// open are one step, `workspace::beneath`).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_symlink_swapped_in_during_reads_never_leads_outside() {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("d")).unwrap();
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(root.join("d/f.md"), "inside").unwrap();
        std::fs::write(outside.join("f.md"), "SECRET").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("alt")).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let swapper = {
            let (d, alt, stop) = (root.join("d"), root.join("alt"), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut swaps = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    renameat_with(CWD, &d, CWD, &alt, RenameFlags::EXCHANGE).unwrap();
                    swaps += 1;
                }
                swaps
            })
        };
        let mut read = 0;
        for _ in 0..20_000 {
            match read_in(&root, &root.join("d/f.md"), 64) {
                Ok(bytes) => {
                    assert_eq!(bytes, b"inside");
                    read += 1;
                }
                Err(ReadError::Outside | ReadError::Missing) => {}
                Err(e) => panic!("{e}"),
            }
        }
        stop.store(true, Ordering::Relaxed);
        assert!(swapper.join().unwrap() > 0);
        // Some reads landed between swaps; none of them outside.
        let _ = read;
    }
}
