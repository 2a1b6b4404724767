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
