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

/// Locks `dir`, waiting up to `wait` for another holder to let go.
pub fn lock_folder(dir: &Path, wait: std::time::Duration) -> std::io::Result<FolderLock> {
    #[cfg(unix)]
    let handle = std::fs::File::open(dir)?;
    // A folder cannot be opened as a file elsewhere: a lock file stands in.
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
