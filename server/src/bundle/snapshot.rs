//! The snapshot: a tar archive of the source files at their root-relative
//! paths, compressed with zstd (`tar --zstd -tf NAME.tar.zst` lists it).
//! Reading never trusts the file: sizes and entry counts are capped before
//! anything is allocated, entry paths must stay inside the workspace, and a
//! truncated or corrupt file is an error message, not a panic.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::sources::is_safe_relative;

/// Caps on what a snapshot may expand to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub total: u64,
    pub entry: u64,
    pub entries: usize,
}

pub const LIMITS: Limits = Limits {
    total: 256 << 20,
    entry: 16 << 20,
    entries: 10_000,
};

const LEVEL: i32 = 19;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The compressed snapshot of `files` (path, bytes), deterministic: fixed
/// modes and times, so the same sources give the same bytes.
pub fn encode(files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    let mut tar = tar::Builder::new(Vec::new());
    for (path, bytes) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, path, bytes.as_slice())?;
    }
    let raw = tar.into_inner()?;
    // With the frame checksum, a flipped bit is "corrupt", not silently different text.
    let mut z = zstd::stream::write::Encoder::new(Vec::new(), LEVEL)?;
    z.include_checksum(true)?;
    std::io::Write::write_all(&mut z, &raw)?;
    z.finish()
}

/// Every file in the snapshot at `path`, a file of the workspace at `root`:
/// read through the one capped reader, so a snapshot that is a FIFO, a
/// device or a symlink out of the root is an error, not a hang or a leak.
pub fn read(root: &Path, path: &Path, limits: Limits) -> Result<Vec<Entry>, String> {
    use crate::workspace::read::{ReadError, read_in};
    let bytes = read_in(root, path, limits.total).map_err(|e| match e {
        ReadError::Missing => "the snapshot file is missing".to_string(),
        ReadError::TooLarge { .. } => {
            format!("the snapshot is larger than {} MB", limits.total >> 20)
        }
        e => format!("the snapshot cannot be read: {e}"),
    })?;
    decode(&bytes, limits)
}

/// A stream decoder stops quietly where a truncated file ends, and a tar
/// archive may end at any header: so first check that the file is whole
/// zstd frames, end to end.
fn whole_frames(mut bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("the snapshot is empty".into());
    }
    while !bytes.is_empty() {
        let n = zstd::zstd_safe::find_frame_compressed_size(bytes)
            .map_err(|_| "the snapshot is truncated or is not zstd data".to_string())?;
        bytes = bytes.get(n..).ok_or("the snapshot is truncated")?;
        if n == 0 {
            return Err("the snapshot is corrupt".into());
        }
    }
    Ok(())
}

pub fn decode(compressed: &[u8], limits: Limits) -> Result<Vec<Entry>, String> {
    whole_frames(compressed)?;
    let zstd = zstd::stream::read::Decoder::new(compressed)
        .map_err(|e| format!("the snapshot is not zstd data: {e}"))?;
    // Decompressed whole (checksum verified), one byte past the cap at most.
    let mut raw = Vec::new();
    zstd.take(limits.total + 1)
        .read_to_end(&mut raw)
        .map_err(|e| corrupt(&e))?;
    if raw.len() as u64 > limits.total {
        return Err(format!(
            "the snapshot expands to more than {} MB",
            limits.total >> 20
        ));
    }
    let mut archive = tar::Archive::new(raw.as_slice());
    let mut out: Vec<Entry> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut total = 0u64;
    let entries = archive
        .entries()
        .map_err(|e| format!("the snapshot is corrupt: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| corrupt(&e))?;
        if out.len() >= limits.entries {
            return Err(format!(
                "the snapshot holds more than {} files",
                limits.entries
            ));
        }
        let ty = entry.header().entry_type();
        if !ty.is_file() {
            return Err("the snapshot holds something other than plain files".into());
        }
        let path = entry
            .path()
            .map_err(|e| corrupt(&e))?
            .to_str()
            .map(str::to_string)
            .ok_or("the snapshot holds a path that is not UTF-8")?;
        if !is_safe_relative(&path) {
            return Err(format!(
                "the snapshot holds `{path}`, which is not a path inside the workspace"
            ));
        }
        // Two copies of one path: which one is "the" file would depend on
        // who reads it, and an extract would stop half-way on the second.
        if !seen.insert(path.clone()) {
            return Err(format!("the snapshot holds `{path}` twice"));
        }
        let size = entry.header().size().map_err(|e| corrupt(&e))?;
        if size > limits.entry {
            return Err(format!(
                "`{path}` in the snapshot is {} MB; at most {} MB per file",
                size >> 20,
                limits.entry >> 20
            ));
        }
        total += size;
        if total > limits.total {
            return Err(format!(
                "the snapshot expands to more than {} MB",
                limits.total >> 20
            ));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        (&mut entry)
            .take(size)
            .read_to_end(&mut bytes)
            .map_err(|e| corrupt(&e))?;
        if (bytes.len() as u64) < size {
            return Err(format!("the snapshot is truncated inside `{path}`"));
        }
        out.push(Entry { path, bytes });
    }
    Ok(out)
}

fn corrupt(e: &std::io::Error) -> String {
    let what = e.to_string();
    if what.contains("Unknown frame descriptor")
        || what.contains("Data corruption")
        || what.contains("checksum")
    {
        format!("the snapshot is corrupt: {what}")
    } else if e.kind() == std::io::ErrorKind::UnexpectedEof || what.contains("incomplete") {
        "the snapshot is truncated".to_string()
    } else {
        format!("the snapshot is corrupt: {what}")
    }
}

/// The SHA-256 of each file of a snapshot, memoized by (path, size, mtime):
/// rules ask on every check of the bundle, the file rarely changes.
/// Each file of a snapshot and its SHA-256, or why the snapshot cannot be read.
pub type Hashes = Arc<Result<Vec<(String, [u8; 32])>, String>>;

pub fn hashes(root: &Path, path: &Path) -> Hashes {
    type Memo =
        Mutex<HashMap<PathBuf, ((u64, u128), Arc<Result<Vec<(String, [u8; 32])>, String>>)>>;
    static MEMO: std::sync::OnceLock<Memo> = std::sync::OnceLock::new();
    let stamp = std::fs::metadata(path).ok().map(|m| {
        let t = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        (m.len(), t)
    });
    let memo = MEMO.get_or_init(Default::default);
    if let Some(stamp) = stamp
        && let Some((s, v)) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(path)
        && *s == stamp
    {
        return v.clone();
    }
    let result = Arc::new(read(root, path, LIMITS).map(|entries| {
        entries
            .into_iter()
            .map(|e| (e.path, crate::artifact::sha256(&e.bytes)))
            .collect()
    }));
    if let Some(stamp) = stamp {
        memo.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf(), (stamp, result.clone()));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            (
                "agentops/a/x-research.md".into(),
                b"# X\n\nbody \xf0\x9f\x9a\x80\n".to_vec(),
            ),
            ("agentops/a/x-plan.md".into(), vec![b'y'; 70_000]),
        ]
    }

    #[test]
    fn round_trip_is_lossless_and_deterministic() {
        let a = encode(&files()).unwrap();
        assert_eq!(a, encode(&files()).unwrap());
        let back = decode(a.as_slice(), LIMITS).unwrap();
        let want: Vec<Entry> = files()
            .into_iter()
            .map(|(path, bytes)| Entry { path, bytes })
            .collect();
        assert_eq!(back, want);
    }

    #[test]
    fn truncated_corrupt_and_oversized_are_errors() {
        let a = encode(&files()).unwrap();
        for cut in [0, 1, 4, a.len() / 2, a.len() - 1] {
            assert!(decode(&a[..cut], LIMITS).is_err(), "cut at {cut}");
        }
        let mut flipped = a.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0xff;
        assert!(decode(flipped.as_slice(), LIMITS).is_err());
        assert!(decode(b"not zstd at all", LIMITS).is_err());
        let small = Limits {
            total: 1000,
            ..LIMITS
        };
        let e = decode(a.as_slice(), small).unwrap_err();
        assert!(e.contains("more than 0 MB"), "{e}");
        let one = Limits {
            entries: 1,
            ..LIMITS
        };
        assert!(
            decode(a.as_slice(), one)
                .unwrap_err()
                .contains("more than 1 files")
        );
    }

    #[test]
    fn a_zstd_bomb_stops_at_the_cap() {
        // 1 GiB of zeros compresses to a few KB; reading must stop at the cap.
        let mut tar = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_ustar();
        let big = 64u64 << 20;
        header.set_size(big);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, "a.md", std::io::repeat(0).take(big))
            .unwrap();
        let z = zstd::bulk::compress(&tar.into_inner().unwrap(), 3).unwrap();
        assert!(z.len() < 1 << 20);
        assert!(
            decode(z.as_slice(), LIMITS)
                .unwrap_err()
                .contains("per file")
        );
    }

    #[test]
    fn hostile_paths_are_refused() {
        for bad in ["../escape.md", "/etc/passwd"] {
            let mut raw = Vec::new();
            {
                let mut tar = tar::Builder::new(&mut raw);
                let mut header = tar::Header::new_gnu();
                header.set_size(1);
                header.set_mode(0o644);
                header.set_entry_type(tar::EntryType::Regular);
                // Bypass the builder's own path checks: write the name bytes raw.
                let name = bad.as_bytes();
                header.as_old_mut().name[..name.len()].copy_from_slice(name);
                header.set_cksum();
                tar.append(&header, &b"x"[..]).unwrap();
                tar.finish().unwrap();
            }
            let z = zstd::bulk::compress(&raw, 3).unwrap();
            let e = decode(z.as_slice(), LIMITS).unwrap_err();
            assert!(e.contains("not a path inside"), "{bad}: {e}");
        }
    }
}
