//! `agentops.routeDiff` (what a route's source changed since its target
//! acknowledged it) and `agentops.acknowledge` (record the source's current
//! version in the target, through `workspace/applyEdit`).

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::Uri;

use crate::features::{acknowledge, route_diff};
use crate::workspace::routes::incoming;

use super::actions::workspace_edit;
use super::guard::blocking;
use super::state::{State, read};

/// `{"uri": "<target>", "source"?: "<source>"}` → the target and the source's root-relative path.
async fn args_of(
    state: &Arc<State>,
    args: &[Value],
    name: &str,
) -> Result<(Arc<super::state::Root>, String, Option<String>)> {
    let arg = args.first().cloned().unwrap_or(Value::Null);
    let usage = || {
        Error::invalid_params(format!(
            "{name} needs {{\"uri\": <target>, \"source\"?: <source>}}"
        ))
    };
    let uri: Uri = arg
        .get("uri")
        .and_then(Value::as_str)
        .and_then(|u| u.parse().ok())
        .ok_or_else(usage)?;
    super::commands::refresh_open(state).await;
    let (root, rel) = super::analysis::locate(state, &uri)
        .ok_or_else(|| Error::invalid_params(format!("`{}` is in no workspace", uri.as_str())))?;
    let source = match arg.get("source").and_then(Value::as_str) {
        None => None,
        Some(s) => {
            let u: Uri = s.parse().map_err(|_| usage())?;
            let (r, src) = super::analysis::locate(state, &u)
                .ok_or_else(|| Error::invalid_params(format!("`{s}` is in no workspace")))?;
            if r.path != root.path {
                return Err(Error::invalid_params(
                    "the source is in another workspace folder",
                ));
            }
            Some(src)
        }
    };
    Ok((root, rel, source))
}

/// `{"routes": [{"source", "target", "state", "changed", "since", "diff"}]}`, one per
/// artifact routing to the target (or the one named by `source`).
pub async fn diff(state: &Arc<State>, args: &[Value]) -> Result<Option<Value>> {
    let (root, rel, only) = args_of(state, args, "agentops.routeDiff").await?;
    let open = state.open_texts(&root);
    let out = blocking(move || {
        let ws = read(&root.ws);
        let target = ws
            .artifacts
            .get(&rel)
            .ok_or_else(|| format!("`{rel}` is not an artifact"))?;
        let mut seen: Vec<&str> = Vec::new();
        let mut routes = Vec::new();
        for (src, _) in incoming(&ws, &rel) {
            if seen.contains(&src.path.as_str()) || only.as_ref().is_some_and(|o| *o != src.path) {
                continue;
            }
            seen.push(&src.path);
            routes.extend(route_diff::route_diff(&ws, src, target, &open));
        }
        Ok::<_, String>(json!({ "routes": routes }))
    })
    .await?
    .map_err(Error::invalid_params)?;
    Ok(Some(out))
}

/// Applies "Acknowledge …" for the source named, or for every source
/// awaiting acknowledgement at once, → `{"applied", "acknowledged": [paths], "reason"}`.
pub async fn acknowledge(state: &Arc<State>, args: &[Value]) -> Result<Option<Value>> {
    let (root, rel, only) = args_of(state, args, "agentops.acknowledge").await?;
    let st = state.clone();
    let open = state.open_texts(&root);
    let (edit, done) = blocking(move || {
        let ws = read(&root.ws);
        let target = ws
            .artifacts
            .get(&rel)
            .ok_or_else(|| format!("`{rel}` is not an artifact"))?;
        let text = super::rename::text_of(&open, &root, &rel)
            .ok_or_else(|| format!("cannot read `{rel}`"))?;
        // Every source named (or awaiting) in one edit of the text as it is.
        let sources: Vec<String> = match &only {
            Some(s) => vec![s.clone()],
            None => acknowledge::awaiting(&ws, target),
        };
        if sources.is_empty() {
            return Ok((None, Vec::new()));
        }
        let srcs = sources
            .iter()
            .map(|p| {
                ws.artifacts
                    .get(p)
                    .ok_or_else(|| format!("`{p}` is not an artifact"))
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let op = acknowledge::edit_many(&ws, target, &text, &srcs)
            .ok_or_else(|| format!("cannot record an acknowledgement in `{rel}`"))?;
        let edit = workspace_edit(&ws, &root, &[op], st.enc(), false, None)
            .ok_or_else(|| "the edit cannot be expressed".to_string())?;
        Ok::<_, String>((Some(edit), sources))
    })
    .await?
    .map_err(Error::invalid_params)?;
    let Some(edit) = edit else {
        return Ok(Some(
            json!({ "applied": false, "acknowledged": [], "reason": "nothing awaits acknowledgement" }),
        ));
    };
    let (applied, reason) = match super::ask::apply_edit(state, edit).await? {
        Ok(r) => (r.applied, r.failure_reason),
        Err(reason) => (false, Some(reason)),
    };
    Ok(Some(
        json!({ "applied": applied, "acknowledged": if applied { done } else { Vec::new() }, "reason": reason }),
    ))
}
