//! Opening a path under the root so that no symlink leads out of it, even
//! one swapped in after `read::confine` checked the path. `confine` resolves
//! the path, then the caller opens it: between the two, a folder on the way
//! can be replaced by a symlink to `/` (a race, TOCTOU). Here the open goes
//! through the root's own folder handle with `openat2(RESOLVE_BENEATH |
//! RESOLVE_NO_MAGICLINKS)`: the kernel resolves every component, symlinks
//! included, and fails (`EXDEV`, `ELOOP`) rather than leave the root, so what
//! was checked is what is opened. Where `openat2` is missing (Linux before
//! 5.6, seccomp filters, other systems) these return `None` and the caller
//! falls back to the checked path.

use std::fs::File;
use std::path::Path;

use super::read::ReadError;

/// Opens the regular file (or anything, checked by the caller on the
/// handle) at `rel` under `root` for reading, without blocking on a FIFO.
pub fn open_file(root: &Path, rel: &Path) -> Result<Option<File>, ReadError> {
    imp::open(root, rel, imp::Open::Read)
}

/// Opens the folder at `rel` under `root`, creating the missing folders on
/// the way (each created through its parent's handle, inside the root).
pub fn open_dir_creating(root: &Path, rel: &Path) -> Result<Option<File>, ReadError> {
    imp::open(root, rel, imp::Open::DirCreating)
}

#[cfg(target_os = "linux")]
mod imp {
    use std::fs::File;
    use std::path::{Component, Path, PathBuf};
    use std::sync::atomic::{AtomicBool, Ordering};

    use rustix::fs::{Mode, OFlags, ResolveFlags};
    use rustix::io::Errno;

    use super::ReadError;

    /// Set once the kernel says it has no `openat2`: not asked again.
    static MISSING: AtomicBool = AtomicBool::new(false);

    #[derive(Clone, Copy, PartialEq, Eq)]
    pub enum Open {
        Read,
        DirCreating,
    }

    pub fn open(root: &Path, rel: &Path, how: Open) -> Result<Option<File>, ReadError> {
        if MISSING.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let root_fd = rustix::fs::open(
            root,
            OFlags::DIRECTORY | OFlags::PATH | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| ReadError::from(std::io::Error::from(e)))?;
        let flags = match how {
            Open::Read => OFlags::RDONLY | OFlags::NONBLOCK,
            Open::DirCreating => OFlags::RDONLY | OFlags::DIRECTORY,
        };
        let at = |p: &Path| {
            let p = if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            };
            beneath(&root_fd, p, flags)
        };
        let result = match (how, at(rel)) {
            (Open::DirCreating, Err(Errno::NOENT)) => create_each(&root_fd, rel),
            (_, r) => r,
        };
        match result {
            Ok(fd) => Ok(Some(File::from(fd))),
            Err(e) => errno(e),
        }
    }

    /// Each missing folder of `rel` made with `mkdirat` in its parent,
    /// itself opened beneath the root.
    fn create_each(
        root_fd: &rustix::fd::OwnedFd,
        rel: &Path,
    ) -> Result<rustix::fd::OwnedFd, Errno> {
        let mut so_far = PathBuf::new();
        let mut dir = beneath(root_fd, Path::new("."), OFlags::RDONLY | OFlags::DIRECTORY)?;
        for part in rel.components() {
            let Component::Normal(name) = part else {
                // `..` or a root: nothing `confine` lets through.
                return Err(Errno::XDEV);
            };
            so_far.push(name);
            match rustix::fs::mkdirat(&dir, name, Mode::from_raw_mode(0o777)) {
                Ok(()) | Err(Errno::EXIST) => {}
                Err(e) => return Err(e),
            }
            dir = beneath(root_fd, &so_far, OFlags::RDONLY | OFlags::DIRECTORY)?;
        }
        Ok(dir)
    }

    fn beneath(
        root_fd: &rustix::fd::OwnedFd,
        rel: &Path,
        flags: OFlags,
    ) -> Result<rustix::fd::OwnedFd, Errno> {
        let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
        // EAGAIN: a rename elsewhere raced a `..` lookup; the kernel asks
        // for a retry. A few, then it is an error like any other.
        let mut tries = 0;
        loop {
            match rustix::fs::openat2(
                root_fd,
                rel,
                flags | OFlags::CLOEXEC,
                Mode::empty(),
                resolve,
            ) {
                Err(Errno::AGAIN) if tries < 8 => tries += 1,
                other => return other,
            }
        }
    }

    fn errno(e: Errno) -> Result<Option<File>, ReadError> {
        match e {
            // Resolving left the root, or met a magic link (`/proc/self/…`).
            Errno::XDEV | Errno::LOOP => Err(ReadError::Outside),
            // No openat2 here (old kernel; EPERM from some seccomp filters):
            // the caller's checked path is all there is.
            Errno::NOSYS | Errno::PERM => {
                if e == Errno::NOSYS {
                    MISSING.store(true, Ordering::Relaxed);
                }
                Ok(None)
            }
            e => Err(ReadError::from(std::io::Error::from(e))),
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::fs::File;
    use std::path::Path;

    use super::ReadError;

    #[derive(Clone, Copy)]
    pub enum Open {
        Read,
        DirCreating,
    }

    pub fn open(_: &Path, _: &Path, _: Open) -> Result<Option<File>, ReadError> {
        Ok(None)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_symlinked_parent_out_of_the_root_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("in")).unwrap();
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("secret.md"), "s").unwrap();
        std::fs::write(root.join("in/a.md"), "a").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("link")).unwrap();
        std::os::unix::fs::symlink("in", root.join("inner")).unwrap();
        assert!(open_file(&root, Path::new("in/a.md")).unwrap().is_some());
        // A symlink that stays inside is followed.
        assert!(open_file(&root, Path::new("inner/a.md")).unwrap().is_some());
        assert!(matches!(
            open_file(&root, Path::new("link/secret.md")),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            open_file(&root, Path::new("../outside/secret.md")),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            open_file(&root, Path::new("in/nope.md")),
            Err(ReadError::Missing)
        ));
        // Folders are created inside, never through the link.
        assert!(
            open_dir_creating(&root, Path::new("in/x/y"))
                .unwrap()
                .is_some()
        );
        assert!(root.join("in/x/y").is_dir());
        assert!(matches!(
            open_dir_creating(&root, Path::new("link/made")),
            Err(ReadError::Outside)
        ));
        assert!(!outside.join("made").exists());
    }
}
