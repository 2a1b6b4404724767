//! Indexing a root with work-done progress, and keeping the index true when
//! files change outside the editor (watched files, file operations).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tower_lsp_server::ls_types::{MessageType, NumberOrString, Uri};

use crate::workspace::{self, Workspace};

use super::analysis::{self, with_parsers};
use super::ask::{Wait, ask};
use super::guard::blocking;
use super::publish;
use super::state::{Root, State, read, write};

static TOKENS: AtomicU64 = AtomicU64::new(1);

/// Scans the root afresh (config and flavors reloaded), then re-checks the
/// open documents against the new index and publishes everything.
pub async fn index(state: Arc<State>, root: Arc<Root>) {
    let token = NumberOrString::String(format!(
        "agentops/index/{}",
        TOKENS.fetch_add(1, Ordering::Relaxed)
    ));
    let progress = if state.caps().progress
        && ask(
            &state,
            "window/workDoneProgress/create",
            Wait::Setup,
            state.client.create_work_done_progress(token.clone()),
        )
        .await
        .is_ok()
    {
        Some(
            state
                .client
                .progress(token, "agentops: indexing")
                .with_message(root.path.display().to_string())
                .begin()
                .await,
        )
    } else {
        None
    };
    let (st, r) = (state.clone(), root.clone());
    let scanned = blocking(move || {
        let mut fresh = Workspace::live(&r.path);
        let stats = workspace::scan(&mut fresh, &st.cache);
        // Open documents are the truth for their files: their text goes into
        // the fresh index before it is swapped in, so no request can read the
        // disk's text for them in between. (No index lock is held here.)
        let open = open_under(&st, &r);
        let mut applied: Vec<(Uri, i32)> = Vec::new();
        for uri in &open {
            // A document too large to parse is never copied, only its size.
            let Some((text, too_large, version)) = st.docs.get(uri).map(|d| match d.too_large() {
                Some(len) => (String::new(), Some(len), d.version),
                None => (d.text(), None, d.version),
            }) else {
                continue;
            };
            let Some(rel) = uri
                .to_file_path()
                .and_then(|p| workspace::scan_relative(&r.path, &p))
            else {
                continue;
            };
            if workspace::classify(&fresh.schemas, fresh.artifacts_dir(), &rel).is_none() {
                continue;
            }
            let (schemas, dir) = (&fresh.schemas, fresh.artifacts_dir());
            let art = match too_large {
                Some(len) => workspace::too_large(schemas, dir, &rel, len),
                None => Some(with_parsers(|p| {
                    workspace::from_text(p, schemas, dir, &rel, &text)
                })),
            };
            let Some(art) = art else { continue };
            fresh.upsert(art);
            applied.push((uri.clone(), version));
        }
        for uri in &open {
            if let Some(mut d) = st.docs.get_mut(uri) {
                d.analyzed = None;
            }
        }
        *write(&r.ws) = fresh;
        // What went in is current unless the document moved on meanwhile.
        for (uri, version) in applied {
            if let Some(mut d) = st.docs.get_mut(&uri)
                && d.version == version
            {
                d.analyzed = Some(version);
            }
        }
        stats
    })
    .await;
    let message = match &scanned {
        Ok(stats) => format!(
            "{} artifacts ({} from cache) in {} ms",
            stats.files,
            stats.from_cache,
            stats.elapsed.as_millis()
        ),
        Err(e) => format!("indexing failed: {}", e.message),
    };
    if let Err(e) = &scanned {
        state
            .client
            .log_message(MessageType::ERROR, e.message.to_string())
            .await;
    }
    // Documents edited while the index was built: analyzed from their text now.
    let open = open_under(&state, &root);
    for uri in &open {
        let (st, u) = (state.clone(), uri.clone());
        let _ = blocking(move || analysis::analyze(&st, &u)).await;
    }
    root.indexed.store(true, Ordering::SeqCst);
    if let Some(p) = progress {
        p.finish_with_message(message.clone()).await;
    }
    state
        .client
        .log_message(
            MessageType::INFO,
            format!("agentops: indexed {}: {message}", root.path.display()),
        )
        .await;
    publish::publish_all(&state, &root).await;
    // Lenses shown before the index was whole (timelines of unknown peers) are stale.
    publish::refresh_lenses(&state).await;
}

/// The open documents whose files are under `root`.
fn open_under(state: &State, root: &Root) -> Vec<Uri> {
    state
        .docs
        .iter()
        .filter(|d| {
            d.key()
                .to_file_path()
                .is_some_and(|p| p.starts_with(&root.path))
        })
        .map(|d| d.key().clone())
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Changed,
    Deleted,
}

/// Files changed on disk: config or flavor files reload their root; an
/// artifact is re-read (unless open: the editor's text wins) or forgotten.
pub async fn files_changed(state: Arc<State>, events: Vec<(PathBuf, Change)>) {
    let mut reload: Vec<Arc<Root>> = Vec::new();
    let mut touched: Vec<(Arc<Root>, PathBuf, Change)> = Vec::new();
    for (path, change) in events {
        let Some((root, rel)) = state.root_of(&path) else {
            continue;
        };
        if is_setup_file(&root, &rel) {
            if !reload.iter().any(|r| Arc::ptr_eq(r, &root)) {
                reload.push(root);
            }
        } else {
            touched.push((root, path, change));
        }
    }
    for root in &reload {
        index(state.clone(), root.clone()).await;
    }
    for (root, path, change) in touched {
        if reload.iter().any(|r| Arc::ptr_eq(r, &root)) {
            continue;
        }
        // A bundle's snapshot is no artifact, but its digest's findings rest on it.
        if let Some(digest) = path
            .to_str()
            .and_then(|p| p.strip_suffix(".tar.zst"))
            .and_then(|stem| {
                workspace::scan_relative(&root.path, std::path::Path::new(&format!("{stem}.md")))
            })
        {
            if read(&root.ws).artifacts.contains_key(&digest) {
                publish::publish(&state, &root, vec![digest]).await;
            }
            continue;
        }
        let st = state.clone();
        let r = root.clone();
        let Ok(done) = blocking(move || refresh(&st, &r, &path, change)).await else {
            continue;
        };
        for d in done {
            publish::after_change(&state, d).await;
        }
    }
}

fn is_setup_file(root: &Root, rel: &str) -> bool {
    let ws = read(&root.ws);
    rel == crate::config::FILE_NAME
        || rel.ends_with("/flavor.toml") && rel.starts_with(ws.artifacts_dir())
        || ws
            .config
            .flavors
            .load
            .iter()
            .any(|l| l.trim_start_matches("./") == rel)
}

/// Re-reads one path (a file, or every artifact under a folder) from disk.
fn refresh(
    state: &State,
    root: &Arc<Root>,
    path: &std::path::Path,
    change: Change,
) -> Vec<analysis::Analyzed> {
    let Some(rel) = workspace::scan_relative(&root.path, path) else {
        return Vec::new();
    };
    // A folder moved or deleted: everything indexed under it.
    let under: Vec<String> = {
        let ws = read(&root.ws);
        let prefix = format!("{rel}/");
        ws.artifacts
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect()
    };
    let mut out = Vec::new();
    if path.is_dir() {
        for entry in ignore::WalkBuilder::new(path)
            .hidden(false)
            .build()
            .flatten()
        {
            if entry.file_type().is_some_and(|t| t.is_file())
                && let Some(r) = workspace::scan_relative(&root.path, entry.path())
            {
                out.extend(refresh_file(state, root, &r, Change::Created));
            }
        }
    } else {
        out.extend(refresh_file(state, root, &rel, change));
    }
    for gone in under {
        if !root.path.join(&gone).exists() {
            out.push(analysis::forget(root.clone(), gone));
        }
    }
    out
}

fn refresh_file(
    state: &State,
    root: &Arc<Root>,
    rel: &str,
    change: Change,
) -> Option<analysis::Analyzed> {
    let path = root.path.join(rel);
    let open = Uri::from_file_path(&path).is_some_and(|u| state.docs.contains_key(&u));
    if !read(&root.ws).wants(rel) {
        return None;
    }
    // An open document is the editor's: its text stays the truth even when
    // the file is deleted or changed on disk.
    if open {
        return None;
    }
    if change == Change::Deleted || !path.is_file() {
        return Some(analysis::forget(root.clone(), rel.to_string()));
    }
    let bytes = workspace::read::repo_file(&root.path, rel).ok()?;
    let art = {
        let ws = read(&root.ws);
        with_parsers(|p| workspace::from_bytes(p, &ws.schemas, ws.artifacts_dir(), rel, &bytes))
    };
    Some(analysis::store(root.clone(), rel.to_string(), art))
}
