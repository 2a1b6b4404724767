//! `bundle load`: verify the snapshot against what the digest records, say
//! which sources changed since the save, and count the access — the only
//! write a load makes, to the digest itself, atomically. `extract` restores
//! the snapshot into a new folder; nothing in the workspace is overwritten.

use std::path::{Path, PathBuf};

use crate::artifact::Parsers;
use crate::syntax::frontmatter::FmValue;
use crate::workspace::Workspace;

use super::save::Reader;
use super::snapshot::{self, LIMITS};
use super::sources::{Recorded, recorded};
use super::{atomic, index};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    Changed,
    Deleted,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    pub path: String,
    pub how: How,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Loaded {
    pub name: String,
    /// Root-relative path of the digest.
    pub path: String,
    /// The snapshot was present and matched every recorded hash. False for a
    /// bundle that records no sources (nothing to verify).
    pub verified: bool,
    pub sources: usize,
    pub changed: Vec<Change>,
    pub accessed_count: u64,
    /// For a stale bundle, what changed since the save, in markdown: what a
    /// loaded digest starts with.
    pub since: Option<String>,
}

/// What the bundle `name` records, read from disk, with its digest text.
fn open(ws: &Workspace, name: &str) -> Result<(String, String, Option<Recorded>), String> {
    let art = match index::find(ws, name) {
        Some(a) => a,
        None => {
            let could = candidates(ws, name);
            if !could.is_empty() {
                return Err(format!(
                    "no bundle `{name}`; it could mean: {}",
                    could.join(", ")
                ));
            }
            index::check_name(ws, name)?;
            return Err(missing(ws, name));
        }
    };
    let path = art.path.clone();
    let text = crate::workspace::read::repo_text(&ws.root, &path)
        .map_err(|e| format!("cannot read `{path}`: {e}"))?;
    let fresh = crate::workspace::from_text(
        &mut Parsers::default(),
        &ws.schemas,
        ws.artifacts_dir(),
        &path,
        &text,
    );
    if let Some(e) = fresh.frontmatter.as_ref().and_then(|f| f.error.as_ref()) {
        return Err(format!("`{path}` has broken frontmatter: {}", e.message));
    }
    Ok((path, text, recorded(&fresh)))
}

/// The saved bundle names that hold `part`: what a partial name could mean.
pub fn candidates(ws: &Workspace, part: &str) -> Vec<String> {
    if part.is_empty() {
        return Vec::new();
    }
    let items = ws.items();
    let mut out: Vec<String> = items
        .bundle_names()
        .filter(|n| n.contains(part))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

pub fn missing(ws: &Workspace, name: &str) -> String {
    let items = ws.items();
    missing_near(ws, name, crate::text::closest(name, items.bundle_names()))
}

/// The message for a missing bundle whose nearest saved name is `near`.
pub fn missing_near(ws: &Workspace, name: &str, near: Option<&str>) -> String {
    let hint = near
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    format!("no bundle `{name}` in {}{hint}", index::folder(ws))
}

/// Checks the snapshot against the record; the entries when they match.
pub fn verify(
    ws: &Workspace,
    digest: &str,
    rec: &Recorded,
) -> Result<Vec<snapshot::Entry>, String> {
    if let Some((_, p)) = rec.problems.first() {
        return Err(p.clone());
    }
    let Some((snap, _)) = &rec.snapshot else {
        return Err("the bundle records sources but no `snapshot`".into());
    };
    let dir = Path::new(digest).parent().unwrap_or(Path::new(""));
    let entries = snapshot::read(&ws.root, &ws.root.join(dir).join(snap), LIMITS)?;
    if let Some(e) = entries.iter().find(|e| !rec.records(&e.path)) {
        return Err(super::state::unrecorded(snap, &e.path));
    }
    for s in &rec.sources {
        let Some(e) = entries.iter().find(|e| e.path == s.path) else {
            return Err(format!("`{}` is not in the snapshot", s.path));
        };
        if Some(crate::artifact::sha256(&e.bytes)) != s.sha256 {
            return Err(format!(
                "`{}` in the snapshot does not match its recorded sha256",
                s.path
            ));
        }
    }
    Ok(entries)
}

/// Which recorded sources differ from what `read` gives today.
pub fn changes(rec: &Recorded, read: Reader) -> Vec<Change> {
    rec.sources
        .iter()
        .filter_map(|s| match read(&s.path) {
            Ok(bytes) if Some(crate::artifact::sha256(&bytes)) == s.sha256 => None,
            Ok(_) => Some(Change {
                path: s.path.clone(),
                how: How::Changed,
            }),
            Err(_) => Some(Change {
                path: s.path.clone(),
                how: How::Deleted,
            }),
        })
        .collect()
}

pub fn load(
    ws: &Workspace,
    name: &str,
    read: Reader,
    count_access: bool,
) -> Result<Loaded, String> {
    let (path, text, rec) = open(ws, name)?;
    let (verified, sources, changed, since) = match &rec {
        Some(rec) => {
            let entries =
                verify(ws, &path, rec).map_err(|e| format!("bundle `{name}` is invalid: {e}"))?;
            let changed = changes(rec, read);
            let since = super::since::note(&changed, &entries, read);
            (true, rec.sources.len(), changed, since)
        }
        None => (false, 0, Vec::new(), None),
    };
    let accessed_count = if count_access {
        record_access(ws, &path, &text)?
    } else {
        current_count(&text)
    };
    Ok(Loaded {
        name: name.to_string(),
        path,
        verified,
        sources,
        changed,
        accessed_count,
        since,
    })
}

fn current_count(text: &str) -> u64 {
    crate::syntax::frontmatter::parse(text)
        .and_then(|f| match f.get("accessed_count")?.value {
            FmValue::Int(i) => u64::try_from(i).ok(),
            _ => None,
        })
        .unwrap_or(0)
}

/// `accessed_count + 1` and `last_accessed: now`, edited in place (every
/// other byte kept) and written atomically.
fn record_access(ws: &Workspace, rel: &str, text: &str) -> Result<u64, String> {
    let count = current_count(text) + 1;
    let updated = set_fields(
        text,
        &[
            ("accessed_count", count.to_string()),
            ("last_accessed", crate::time::now_rfc3339()),
        ],
    )
    .ok_or("the bundle has no frontmatter to record the access in")?;
    // Under the bundle folder's lock (a save of the same name waits), and
    // written over only if nobody changed it since it was read.
    let folder = Path::new(rel)
        .parent()
        .map_or(String::new(), |p| p.to_string_lossy().into_owned());
    let _lock = super::save::lock_bundles(ws, &folder)?;
    let now = crate::workspace::read::repo_text(&ws.root, rel).map_err(|e| e.to_string())?;
    if now != text {
        return Err("the bundle changed while it was being loaded; load it again".into());
    }
    atomic::replace_in(&ws.root, &ws.root.join(rel), updated.as_bytes())
        .map_err(|e| format!("cannot update the bundle: {e}"))?;
    Ok(count)
}

/// The text with each `key: value` set: the value's bytes replaced where the
/// key exists, else a line added before the closing fence.
pub fn set_fields(text: &str, values: &[(&str, String)]) -> Option<String> {
    let fm = crate::syntax::frontmatter::parse(text)?;
    if fm.error.is_some() {
        return None;
    }
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut added = String::new();
    for (key, value) in values {
        match fm.get(key) {
            Some(f) if f.value_range.start < f.value_range.end => edits.push((
                f.value_range.start as usize,
                f.value_range.end as usize,
                value.clone(),
            )),
            Some(f) => edits.push((
                f.key_range.end as usize + 1,
                f.key_range.end as usize + 1,
                format!(" {value}"),
            )),
            None => added.push_str(&format!("{key}: {value}\n")),
        }
    }
    // The closing fence starts after the last newline before the block's end.
    let end = fm.range.end as usize;
    let body = text.get(..end)?;
    let close = body
        .trim_end_matches(['\n', '\r'])
        .rfind('\n')
        .map_or(end, |i| i + 1);
    if !added.is_empty() {
        edits.push((close, close, added));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, v) in edits {
        if !out.is_char_boundary(s) || !out.is_char_boundary(e) || s > e || e > out.len() {
            return None;
        }
        out.replace_range(s..e, &v);
    }
    Some(out)
}

/// Writes the snapshot's files under `dest` (which must not hold any of them).
pub fn extract(ws: &Workspace, name: &str, dest: &Path) -> Result<Vec<PathBuf>, String> {
    let (path, _, rec) = open(ws, name)?;
    let rec = rec.ok_or_else(|| format!("bundle `{name}` has no snapshot to extract"))?;
    let entries =
        verify(ws, &path, &rec).map_err(|e| format!("bundle `{name}` is invalid: {e}"))?;
    // All or nothing: every target is checked before the first is written,
    // and a write that fails still takes back the ones before it.
    // A new folder is made for the files (and taken back if nothing is written).
    let made = !dest.exists();
    if made {
        std::fs::create_dir_all(dest)
            .map_err(|e| format!("cannot create `{}`: {e}", dest.display()))?;
    }
    let undo = |e: String| {
        if made {
            let _ = std::fs::remove_dir_all(dest);
        }
        e
    };
    write_all(dest, entries).map_err(undo)
}

/// Checks every target, then writes them all, or none.
fn write_all(dest: &Path, entries: Vec<snapshot::Entry>) -> Result<Vec<PathBuf>, String> {
    use crate::workspace::read::{ReadError, canonical_root, confine};
    let real_dest = canonical_root(dest);
    for e in &entries {
        let target = dest.join(&e.path);
        if e.path.split('/').any(|c| c.eq_ignore_ascii_case(".git")) {
            return Err(format!(
                "`{}` is inside a `.git` folder; nothing extracted",
                e.path
            ));
        }
        if target.symlink_metadata().is_ok() {
            return Err(format!(
                "`{}` exists; extract into an empty folder",
                target.display()
            ));
        }
        if let Err(ReadError::Outside) = confine(dest, &real_dest, &target) {
            return Err(format!(
                "`{}` would be written through a symlink out of `{}`; nothing extracted",
                e.path,
                dest.display()
            ));
        }
    }
    let mut written: Vec<PathBuf> = Vec::new();
    for e in entries {
        let target = dest.join(&e.path);
        if let Err(err) = atomic::create_new_in(dest, &target, &e.bytes) {
            for w in &written {
                let _ = std::fs::remove_file(w);
            }
            return Err(match err.kind() {
                std::io::ErrorKind::AlreadyExists => format!(
                    "`{}` exists; extract into an empty folder (nothing extracted)",
                    target.display()
                ),
                _ => format!(
                    "cannot write `{}`: {err} (nothing extracted)",
                    target.display()
                ),
            });
        }
        written.push(target);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::set_fields;

    #[test]
    fn fields_are_set_in_place() {
        let t = "---\nbundle_id: x\naccessed_count: 2 # loads\nlast_accessed: null\n---\n# B\n";
        let out = set_fields(
            t,
            &[
                ("accessed_count", "3".into()),
                ("last_accessed", "2025-11-20T00:00:00Z".into()),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "---\nbundle_id: x\naccessed_count: 3 # loads\nlast_accessed: 2025-11-20T00:00:00Z\n---\n# B\n"
        );
        let added = set_fields(
            "---\nbundle_id: x\n---\n",
            &[("accessed_count", "1".into())],
        )
        .unwrap();
        assert_eq!(added, "---\nbundle_id: x\naccessed_count: 1\n---\n");
        assert!(set_fields("# no frontmatter\n", &[("a", "1".into())]).is_none());
    }
}
