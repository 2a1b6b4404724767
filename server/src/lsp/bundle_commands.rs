//! `agentops.bundleSave`, `agentops.bundleLoad`, `agentops.bundleList` and
//! `agentops.open`: the bundle operations of `agentops-lsp bundle`, run on
//! the editor's view of the files (open documents' text wins over disk).

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::Uri;

use crate::bundle::{load, save};

use super::guard::blocking;
use super::index::{Change, files_changed};
use super::phase_commands::arg_str;
use super::state::{Root, State, read};

fn first(args: &[Value]) -> Result<&Value> {
    args.first()
        .filter(|a| a.is_object())
        .ok_or_else(|| Error::invalid_params("expected one argument object"))
}

/// The root a command works in: the one holding `uri`, else the only one.
fn root_for(state: &State, uri: Option<&str>) -> Result<Arc<Root>> {
    if let Some(u) = uri.and_then(|u| u.parse::<Uri>().ok())
        && let Some((root, _)) = super::analysis::locate(state, &u)
    {
        return Ok(root);
    }
    let roots = super::publish::roots(state);
    match roots.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::invalid_params("no workspace folder is open")),
        _ => Err(Error::invalid_params(
            "several workspace folders are open: pass the `uri` of a file in the one to use",
        )),
    }
}

/// Reads a root-relative file as the editor has it: the open documents' text
/// (collected now, before the index lock: see `State::open_texts`), else the disk.
fn reader(state: &State, root: &Arc<Root>) -> impl Fn(&str) -> std::io::Result<Vec<u8>> + use<> {
    let open = state.open_texts(root);
    let root = root.path.clone();
    move |rel: &str| match open.get(rel) {
        Some(text) => Ok(text.clone().into_bytes()),
        None => Ok(crate::workspace::read::repo_file(&root, rel)?),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The bundle `name` an argument object must carry.
fn required_name(a: &Value) -> Result<String> {
    a.get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::invalid_params("`name` is required"))
}

/// Root-relative path of a `from` entry: a `file://` URI or a relative path.
fn rel_of(root: &Root, entry: &str) -> Option<String> {
    if entry.starts_with("file:") {
        let path = entry.parse::<Uri>().ok()?.to_file_path()?.into_owned();
        return crate::workspace::scan_relative(&root.path, &path);
    }
    Some(entry.trim_start_matches("./").to_string())
}

pub async fn save(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let a = first(args)?;
    let name = required_name(a)?;
    let uri = a.get("uri").and_then(Value::as_str).map(str::to_string);
    super::commands::refresh_open(state).await;
    let root = root_for(state, uri.as_deref())?;
    // Exactly the sources named: one that cannot be read as a path of this
    // root is refused, never replaced by a guess.
    let named = strings(a.get("from"));
    let mut from: Vec<String> = Vec::new();
    for e in &named {
        from.push(rel_of(&root, e).ok_or_else(|| {
            Error::invalid_params(format!("`{e}` is not a file of this workspace"))
        })?);
    }
    let overwrite = a.get("overwrite").and_then(Value::as_bool).unwrap_or(false);
    let exists = crate::bundle::find(&read(&root.ws), &name).is_some();
    // No sources named: a re-save keeps the recorded ones (the save reads
    // them); a new bundle takes the work item of the document it came from.
    if from.is_empty()
        && !(exists && overwrite)
        && let Some(u) = &uri
        && let Some(rel) = rel_of(&root, u)
    {
        let ws = read(&root.ws);
        let items = ws.items();
        from = match items.of(&rel) {
            Some(item) => item.artifacts.clone(),
            None => vec![rel],
        };
    }
    let req = save::Request {
        name,
        from,
        ty: a.get("type").and_then(Value::as_str).map(str::to_string),
        tags: strings(a.get("tags")),
        overwrite,
    };
    let read_fn = reader(state, &root);
    let r = root.clone();
    let saved = blocking(move || {
        let ws = read(&r.ws);
        save::save(&ws, &req, &read_fn)
    })
    .await?
    .map_err(Error::invalid_params)?;
    written(state, &root, &[&saved.path, &saved.snapshot]).await;
    Ok(json!({
        "name": saved.name,
        "uri": root.uri_of(&saved.path).map(|u| u.as_str().to_string()),
        "path": saved.path,
        "sources": saved.sources,
        "original_tokens": saved.original_tokens,
        "compressed_tokens": saved.compressed_tokens,
        "compression_ratio": saved.compression_ratio,
        "essential_items": saved.essential_items,
        "recall": saved.recall,
        "replaced": saved.replaced,
    }))
}

pub async fn load(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let a = first(args)?;
    let name = required_name(a)?;
    let root = root_for(state, a.get("uri").and_then(Value::as_str))?;
    let read_fn = reader(state, &root);
    let r = root.clone();
    let loaded = blocking(move || {
        let ws = read(&r.ws);
        load::load(&ws, &name, &read_fn, true)
    })
    .await?
    .map_err(Error::invalid_params)?;
    written(state, &root, &[&loaded.path]).await;
    let uri = root.uri_of(&loaded.path);
    let mut shown = false;
    if let Some(u) = &uri {
        shown = super::created::show(state, u).await;
    }
    Ok(json!({
        "name": loaded.name,
        "uri": uri.map(|u| u.as_str().to_string()),
        "path": loaded.path,
        "verified": loaded.verified,
        "sources": loaded.sources,
        "changed": loaded.changed.iter().map(|c| c.path.clone()).collect::<Vec<_>>(),
        "deleted": loaded.changed.iter().filter(|c| c.how == load::How::Deleted).map(|c| c.path.clone()).collect::<Vec<_>>(),
        "accessed_count": loaded.accessed_count,
        // A stale digest is read starting with what changed since the save.
        "since": loaded.since,
        "shown": shown,
    }))
}

pub async fn list(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let uri = arg_str(args, "uri").map(str::to_string);
    super::commands::refresh_open(state).await;
    let root = root_for(state, uri.as_deref())?;
    let r = root.clone();
    let rows = blocking(move || {
        let ws = read(&r.ws);
        crate::bundle::list::list(&ws)
    })
    .await?;
    Ok(Value::Array(
        rows.into_iter()
            .map(|row| {
                let mut v = json!(row);
                if let Some(u) = root.uri_of(&row.path) {
                    v["uri"] = json!(u.as_str());
                }
                v
            })
            .collect(),
    ))
}

/// `agentops.open` `[{"path": root-relative} | {"uri"}]`: shows the file.
pub async fn open(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let a = first(args)?;
    let uri: Uri = match (
        a.get("uri").and_then(Value::as_str),
        a.get("path").and_then(Value::as_str),
    ) {
        (Some(u), _) => u.parse().map_err(|_| Error::invalid_params("bad `uri`"))?,
        (None, Some(p)) => {
            let root = root_for(state, None)?;
            if !crate::bundle::sources::is_safe_relative(p) {
                return Err(Error::invalid_params("`path` must be inside the workspace"));
            }
            root.uri_of(p)
                .ok_or_else(|| Error::invalid_params("bad `path`"))?
        }
        _ => {
            return Err(Error::invalid_params(
                "expected [{\"path\": …}] or [{\"uri\": …}]",
            ));
        }
    };
    let shown = super::created::show(state, &uri).await;
    Ok(json!({ "shown": shown, "uri": uri.as_str() }))
}

/// Files the server wrote: re-read into the index and re-published now,
/// rather than waiting for the client's file watcher.
async fn written(state: &Arc<State>, root: &Root, rels: &[&str]) {
    let events = rels
        .iter()
        .map(|r| (root.path.join(r), Change::Changed))
        .collect();
    files_changed(state.clone(), events).await;
}
