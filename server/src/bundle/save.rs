//! `bundle save`: digest + snapshot, written atomically; an existing bundle
//! is replaced only when asked, and then kept as `NAME.md.prev` /
//! `NAME.tar.zst.prev`.

use std::path::Path;

use crate::artifact::{Artifact, Parsers};
use crate::workspace::Workspace;
use crate::workspace::phases::artifact_state;

use super::digest::{self, Part};
use super::{atomic, hex, index, snapshot_file, tokens};

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub name: String,
    /// Root-relative paths of the artifacts to bundle.
    pub from: Vec<String>,
    pub ty: Option<String>,
    pub tags: Vec<String>,
    pub overwrite: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Saved {
    pub name: String,
    /// Root-relative path of the digest.
    pub path: String,
    pub snapshot: String,
    pub sources: usize,
    pub original_tokens: u64,
    pub compressed_tokens: u64,
    pub compression_ratio: f64,
    /// Essential items of the sources (list items, paragraphs, table rows
    /// and open tasks of their essential sections) and the share the digest holds.
    pub essential_items: usize,
    pub recall: f64,
    /// The bundle replaced an earlier one (kept as `.prev`).
    pub replaced: bool,
}

/// Reads a root-relative file's current bytes (the editor's text for open documents).
pub type Reader<'a> = &'a dyn Fn(&str) -> std::io::Result<Vec<u8>>;

pub fn save(ws: &Workspace, req: &Request, read: Reader) -> Result<Saved, String> {
    let name = index::check_name(ws, &req.name)?;
    let ty = match &req.ty {
        Some(t) if *t != name.ty => {
            return Err(format!(
                "`{}` names a `{}` bundle but the type given is `{t}`; rename it `{}-{t}`",
                req.name, name.ty, name.topic
            ));
        }
        _ => name.ty.clone(),
    };
    for t in &req.tags {
        if t.is_empty() || t.contains(['\n', '\r', '\0']) || t.len() > 64 {
            return Err(format!(
                "`{t}` is not a tag (one line, at most 64 characters)"
            ));
        }
    }
    // The sources, each rebuilt from the bytes being saved so that the
    // digest and the recorded hashes describe the same text.
    // A re-save names no sources: the ones the bundle records, never more.
    let recorded_from;
    let from = if req.from.is_empty() && req.overwrite {
        recorded_from = recorded_sources(ws, &req.name).unwrap_or_default();
        &recorded_from
    } else {
        &req.from
    };
    let mut paths: Vec<&str> = Vec::new();
    for p in from {
        let p = p.trim_start_matches("./");
        if !paths.contains(&p) {
            paths.push(p);
        }
    }
    if paths.is_empty() {
        return Err("nothing to bundle: give at least one source artifact".into());
    }
    let mut parsers = Parsers::default();
    let mut built: Vec<(Artifact, String)> = Vec::new();
    for p in paths {
        if !super::sources::is_safe_relative(p) {
            return Err(format!("`{p}` is not a path inside the workspace"));
        }
        let Some(known) = ws.artifacts.get(p) else {
            return Err(format!("`{p}` is not an artifact of this workspace"));
        };
        if index::is_bundle(known) {
            return Err(format!(
                "`{p}` is a bundle itself; bundle its sources instead"
            ));
        }
        let bytes = read(p).map_err(|e| format!("cannot read `{p}`: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|_| format!("`{p}` is not UTF-8 text"))?;
        let art =
            crate::workspace::from_text(&mut parsers, &ws.schemas, ws.artifacts_dir(), p, &text);
        built.push((art, text));
    }

    let folder = index::folder(ws);
    let digest_rel = format!("{folder}/{}.md", req.name);
    let snap_name = snapshot_file(&req.name);
    let snap_rel = format!("{folder}/{snap_name}");
    let digest_path = ws.root.join(&digest_rel);
    let snap_path = ws.root.join(&snap_rel);
    // Asked early to spare the work; asked again under the lock.
    let present = || digest_path.symlink_metadata().is_ok() || snap_path.symlink_metadata().is_ok();
    let exists_msg = || {
        format!(
            "bundle `{}` exists ({digest_rel}); save with overwrite to replace it (the old one is kept as `{}.md.prev`)",
            req.name, req.name
        )
    };
    if present() && !req.overwrite {
        return Err(exists_msg());
    }

    let date = crate::time::today();
    let parts: Vec<Part> = built.iter().map(|(art, text)| Part { art, text }).collect();
    let digest::Digest { body, items } =
        digest::body(ws, &req.name, &digest_rel, &parts, &snap_name, &date);
    let recall = super::recall::recall(&items, &body);
    let counts: Vec<u64> = built.iter().map(|(_, t)| tokens::count(t)).collect();
    let original: u64 = counts.iter().sum();
    let compressed = tokens::count(&body).max(1);
    let ratio = (original as f64 / compressed as f64 * 10.0).round() / 10.0;

    let lead = most_advanced(ws, &built);
    let mut fm = String::from("---\n");
    fm.push_str(&format!("bundle_id: bundle-{}-{date}\n", req.name));
    fm.push_str(&format!("created: {}\n", crate::time::now_rfc3339()));
    fm.push_str(&format!("type: {ty}\n"));
    if let Some((art, kind)) = lead {
        fm.push_str(&format!("phase: {}\n", scalar(&kind.phase)));
        // Only kinds that are approved (plans) say whether they are.
        if kind.status.as_ref().is_some_and(|s| !s.approved.is_empty()) {
            fm.push_str(&format!("approved: {}\n", artifact_state(art, kind).0));
        }
    }
    fm.push_str(&format!("original_tokens: {original}\n"));
    fm.push_str(&format!("compressed_tokens: {compressed}\n"));
    fm.push_str(&format!("compression_ratio: {ratio:.1}\n"));
    fm.push_str(&format!("essential_items: {}\n", items.len()));
    fm.push_str(&format!("recall: {recall:.2}\n"));
    fm.push_str(&format!("tokenizer: {}\n", tokens::TOKENIZER));
    let tags: Vec<String> = req.tags.iter().map(|t| scalar(t)).collect();
    fm.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    fm.push_str("accessed_count: 0\nlast_accessed: null\n");
    if let Some(sha) = git_head(&ws.root) {
        fm.push_str(&format!("git_sha: {sha}\n"));
    }
    fm.push_str(&format!("snapshot: {snap_name}\nsources:\n"));
    for ((art, _), n) in built.iter().zip(&counts) {
        fm.push_str(&format!(
            "  - path: {}\n    sha256: \"{}\"\n    tokens: {n}\n",
            scalar(&art.path),
            hex(&art.sha256)
        ));
    }
    fm.push_str("---\n\n");
    let digest_text = fm + &body;

    let files: Vec<(String, Vec<u8>)> = built
        .iter()
        .map(|(a, t)| (a.path.clone(), t.as_bytes().to_vec()))
        .collect();
    let snap =
        super::snapshot::encode(&files).map_err(|e| format!("cannot build the snapshot: {e}"))?;

    let fail = |what: &str, e: std::io::Error| format!("cannot write {what}: {e}");
    // Both files are written under one lock on the folder: two saves of one
    // name at once are one after the other, and the second sees the first.
    let _lock = lock_bundles(ws, &folder)?;
    let exists = present();
    if exists && !req.overwrite {
        return Err(exists_msg());
    }
    if exists {
        keep_previous(&ws.root, &digest_path).map_err(|e| fail("the previous digest", e))?;
        keep_previous(&ws.root, &snap_path).map_err(|e| fail("the previous snapshot", e))?;
    }
    // The snapshot first: a digest never names a snapshot that is not there.
    atomic::replace_in(&ws.root, &snap_path, &snap).map_err(|e| fail(&snap_rel, e))?;
    atomic::create_new_in(&ws.root, &digest_path, digest_text.as_bytes())
        .map_err(|e| fail(&digest_rel, e))?;
    Ok(Saved {
        name: req.name.clone(),
        path: digest_rel,
        snapshot: snap_rel,
        sources: built.len(),
        original_tokens: original,
        compressed_tokens: compressed,
        compression_ratio: ratio,
        essential_items: items.len(),
        recall,
        replaced: exists,
    })
}

/// The sources the saved bundle `name` records, in their order.
pub fn recorded_sources(ws: &Workspace, name: &str) -> Option<Vec<String>> {
    let art = index::find(ws, name)?;
    let rec = super::sources::recorded(art)?;
    Some(rec.sources.into_iter().map(|s| s.path).collect())
}

/// Creates and locks the bundle folder, which must stay inside the root: a
/// symlinked `.agentops/bundles` does not make a save write elsewhere.
pub fn lock_bundles(ws: &Workspace, folder: &str) -> Result<atomic::FolderLock, String> {
    use crate::workspace::read::{canonical_root, confine};
    let dir = ws.root.join(folder);
    let real_root = canonical_root(&ws.root);
    let outside = || {
        format!("`{folder}` leads outside the workspace root; bundles are written only inside it")
    };
    let inside = |d: &Path| {
        !matches!(
            confine(&ws.root, &real_root, d),
            Err(crate::workspace::read::ReadError::Outside)
        )
    };
    if !inside(&dir) {
        return Err(outside());
    }
    // Created and opened through the root's handle (`workspace::beneath`):
    // a folder swapped for a symlink after the check above is refused.
    let handle = match crate::workspace::beneath::open_dir_creating(&real_root, Path::new(folder)) {
        Err(crate::workspace::read::ReadError::Outside) => return Err(outside()),
        Err(e) => return Err(format!("cannot create `{folder}`: {e}")),
        Ok(handle) => handle,
    };
    if handle.is_none() {
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{folder}`: {e}"))?;
    }
    let lock = atomic::lock_folder(&dir, handle, atomic::LOCK_WAIT).map_err(|e| e.to_string())?;
    // Checked again once held: the folder may have been swapped meanwhile.
    if !inside(&dir) {
        return Err(outside());
    }
    Ok(lock)
}

/// Moves `path` to `path.prev` (replacing an older `.prev`), beneath `root`.
fn keep_previous(root: &Path, path: &Path) -> std::io::Result<()> {
    if path.symlink_metadata().is_err() {
        return Ok(());
    }
    let mut prev = path.file_name().unwrap_or_default().to_owned();
    prev.push(".prev");
    atomic::rename_in(root, path, &prev)
}

/// The source furthest along its flavor's phases: its phase names the bundle's.
fn most_advanced<'a>(
    ws: &'a Workspace,
    built: &'a [(Artifact, String)],
) -> Option<(&'a Artifact, &'a crate::schema::Kind)> {
    built
        .iter()
        .filter_map(|(a, _)| {
            let flavor = ws.flavor_of(a)?;
            let kind = flavor.kind(a.class.kind()?)?;
            Some((flavor.phase_index(&kind.phase).unwrap_or(0), a, kind))
        })
        .max_by_key(|(i, _, _)| *i)
        .map(|(_, a, k)| (a, k))
}

/// A YAML scalar: plain when it reads back as the same string, else double-quoted.
pub fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        return s.to_string();
    }
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c if c.is_control() => q.push_str(&format!("\\u{:04x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// The commit checked out at `root`, from `.git` directly (no git needed).
fn git_head(root: &Path) -> Option<String> {
    use crate::workspace::read::{MAX_CONFIG, read_text_in};
    let git = root.join(".git");
    let read = |p: &Path| read_text_in(root, p, MAX_CONFIG).ok();
    let head = read(&git.join("HEAD"))?;
    let head = head.trim();
    let sha = match head.strip_prefix("ref: ") {
        Some(r) => {
            if !super::sources::is_safe_relative(r) {
                return None;
            }
            read(&git.join(r))
                .map(|s| s.trim().to_string())
                .or_else(|| {
                    let packed = read(&git.join("packed-refs"))?;
                    packed.lines().find_map(|l| {
                        let (sha, name) = l.split_once(' ')?;
                        (name == r).then(|| sha.to_string())
                    })
                })?
        }
        None => head.to_string(),
    };
    (sha.len() >= 12 && sha.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| sha.chars().take(12).collect())
}

#[cfg(test)]
mod tests {
    use super::scalar;

    #[test]
    fn scalars() {
        assert_eq!(scalar("agentops/x/plan.md"), "agentops/x/plan.md");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("2025"), "\"2025\"");
        assert_eq!(scalar("x\"y"), "\"x\\\"y\"");
    }
}
