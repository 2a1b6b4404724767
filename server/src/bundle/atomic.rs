//! Writes that are all or nothing: a temporary file in the same folder,
//! synced, then renamed over (or, for new files, linked without replacing).

use std::io::Write;
use std::path::Path;

fn temp_in(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent folder"))?;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".agentops-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // A temporary file is private (0600); the file it becomes keeps the
    // mode of the one it replaces, or gets the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// An exclusive lock on a folder, held until dropped (`flock` on the
/// folder's own handle: released by the kernel if the process dies, and no
/// lock file left behind).
pub struct FolderLock {
    _dir: std::fs::File,
}

/// How long a writer waits for another one to finish.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Locks `dir` (through `handle` when the caller opened it already),
/// waiting up to `wait` for another holder to let go.
pub fn lock_folder(
    dir: &Path,
    handle: Option<std::fs::File>,
    wait: std::time::Duration,
) -> std::io::Result<FolderLock> {
    #[cfg(unix)]
    let handle = match handle {
        Some(h) => h,
        None => std::fs::File::open(dir)?,
    };
    // A folder cannot be opened as a file elsewhere: a lock file stands in.
    #[cfg(not(unix))]
    let _ = handle;
    #[cfg(not(unix))]
    let handle = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".agentops.lock"))?;
    let until = std::time::Instant::now() + wait;
    loop {
        match handle.try_lock() {
            Ok(()) => return Ok(FolderLock { _dir: handle }),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < until => {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::WouldBlock,
                    format!(
                        "another save or load is writing in `{}`; try again",
                        dir.display()
                    ),
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Replaces `path` (or creates it) atomically.
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    temp_in(path, bytes)?
        .persist(path)
        .map(|_| ())
        .map_err(|e| e.error)
}

/// Creates `path` atomically; fails with `AlreadyExists` rather than replace it.
pub fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    temp_in(path, bytes)?
        .persist_noclobber(path)
        .map(|_| ())
        .map_err(|e| e.error)
}

/// `replace`, through `path`'s folder opened beneath `root`
/// (`workspace::beneath`): a folder on the way swapped for a symlink out of
/// the root after the caller checked it makes the write fail, not land
/// outside. Missing folders are created the same way.
pub fn replace_in(root: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_in(root, path, bytes, true)
}

/// `create_new`, beneath `root` as `replace_in` is.
pub fn create_new_in(root: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_in(root, path, bytes, false)
}

/// Renames `path` to `new_name` in the same folder, beneath `root`.
pub fn rename_in(root: &Path, path: &Path, new_name: &std::ffi::OsStr) -> std::io::Result<()> {
    let (real_root, parent, name) = split_under(root, path)?;
    match crate::workspace::beneath::open_dir_creating(&real_root, parent)? {
        #[cfg(target_os = "linux")]
        Some(dir) => Ok(rustix::fs::renameat(&dir, name, &dir, new_name)?),
        _ => std::fs::rename(path, path.with_file_name(new_name)),
    }
}

/// The canonical root, and `path`'s folder (relative to it) and file name.
fn split_under<'a>(
    root: &Path,
    path: &'a Path,
) -> std::io::Result<(std::path::PathBuf, &'a Path, &'a std::ffi::OsStr)> {
    let real_root = crate::workspace::read::canonical_root(root);
    let rel = path
        .strip_prefix(root)
        .or_else(|_| path.strip_prefix(&real_root))
        .map_err(|_| std::io::Error::from(crate::workspace::read::ReadError::Outside))?;
    match (rel.parent(), rel.file_name()) {
        (Some(parent), Some(name)) => Ok((real_root, parent, name)),
        _ => Err(std::io::Error::other("no file name")),
    }
}

fn write_in(root: &Path, path: &Path, bytes: &[u8], replace_existing: bool) -> std::io::Result<()> {
    let (real_root, parent, name) = split_under(root, path)?;
    match crate::workspace::beneath::open_dir_creating(&real_root, parent)? {
        #[cfg(target_os = "linux")]
        Some(dir) => at::write(&dir, name, bytes, replace_existing),
        _ if replace_existing => replace(path, bytes),
        _ => create_new(path, bytes),
    }
}

/// The same all-or-nothing write, every step relative to an open folder.
#[cfg(target_os = "linux")]
mod at {
    use std::ffi::OsStr;
    use std::fs::File;
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};

    use rustix::fs::{AtFlags, FileType, Mode, OFlags, RenameFlags};
    use rustix::io::Errno;

    static NEXT: AtomicU64 = AtomicU64::new(0);

    pub fn write(dir: &File, name: &OsStr, bytes: &[u8], replace: bool) -> std::io::Result<()> {
        let (tmp, mut file) = temp(dir)?;
        let result = (|| -> std::io::Result<()> {
            file.write_all(bytes)?;
            // The mode of the file it replaces, or the usual 0644.
            let mode = match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::RegularFile => {
                    st.st_mode & 0o777
                }
                _ => 0o644,
            };
            rustix::fs::fchmod(&file, Mode::from_raw_mode(mode))?;
            file.sync_all()?;
            if replace {
                rustix::fs::renameat(dir, &tmp, dir, name)?;
            } else {
                match rustix::fs::renameat_with(dir, &tmp, dir, name, RenameFlags::NOREPLACE) {
                    Ok(()) => {}
                    // A file system without RENAME_NOREPLACE: a hard link
                    // does not replace either.
                    Err(Errno::INVAL | Errno::NOSYS) => {
                        rustix::fs::linkat(dir, &tmp, dir, name, AtFlags::empty())?;
                        let _ = rustix::fs::unlinkat(dir, &tmp, AtFlags::empty());
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = rustix::fs::unlinkat(dir, &tmp, AtFlags::empty());
        }
        result
    }

    /// A new private file `.agentops-PID-N.tmp` in `dir`, never through a symlink.
    fn temp(dir: &File) -> std::io::Result<(String, File)> {
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let name = format!(".agentops-{}-{n}.tmp", std::process::id());
            let flags =
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            match rustix::fs::openat(dir, &name, flags, Mode::from_raw_mode(0o600)) {
                Ok(fd) => return Ok((name, File::from(fd))),
                Err(Errno::EXIST) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A symlinked parent pointing out of the root: refused, nothing written
    /// outside; a folder inside is created and written.
    #[test]
    fn writes_beneath_the_root_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("link")).unwrap();
        let err = replace_in(&root, &root.join("link/x.md"), b"x").unwrap_err();
        assert!(err.to_string().contains("outside"), "{err}");
        assert!(create_new_in(&root, &root.join("link/sub/x.md"), b"x").is_err());
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        replace_in(&root, &root.join("a/b/x.md"), b"one").unwrap();
        replace_in(&root, &root.join("a/b/x.md"), b"two").unwrap();
        assert_eq!(std::fs::read(root.join("a/b/x.md")).unwrap(), b"two");
        let again = create_new_in(&root, &root.join("a/b/x.md"), b"three").unwrap_err();
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
        rename_in(
            &root,
            &root.join("a/b/x.md"),
            std::ffi::OsStr::new("x.md.prev"),
        )
        .unwrap();
        assert!(root.join("a/b/x.md.prev").is_file());
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(root.join("a/b")).unwrap().collect();
        assert_eq!(left.len(), 1);
    }

    /// The folder swapped with a symlink out of the root from another
    /// thread while writing N times: nothing ever lands outside.
    #[test]
    fn a_symlink_swapped_in_during_writes_never_leads_outside() {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("d")).unwrap();
        std::fs::create_dir(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("alt")).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let swapper = {
            let (d, alt, stop) = (root.join("d"), root.join("alt"), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    renameat_with(CWD, &d, CWD, &alt, RenameFlags::EXCHANGE).unwrap();
                }
            })
        };
        for i in 0..5_000 {
            let _ = replace_in(&root, &root.join("d/f.md"), format!("{i}").as_bytes());
        }
        stop.store(true, Ordering::Relaxed);
        swapper.join().unwrap();
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    }
}
