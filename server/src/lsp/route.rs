//! `agentops.route`: open a cross-flavor route from an artifact, creating
//! the routed artifact through `workspace/applyEdit`.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::Uri;

use crate::features::routes;

use super::actions::workspace_edit;
use super::guard::blocking;
use super::state::{State, read};

/// Args `[{"uri": "<source artifact>", "flavor": "<target flavor>"}]` →
/// `{"applied": bool, "uri": "<created>"}`.
pub async fn execute(state: &Arc<State>, args: &[Value]) -> Result<Option<Value>> {
    let arg = args.first().cloned().unwrap_or(Value::Null);
    let uri: Uri = arg
        .get("uri")
        .and_then(Value::as_str)
        .and_then(|u| u.parse().ok())
        .ok_or_else(|| Error::invalid_params("agentops.route needs {\"uri\", \"flavor\"}"))?;
    let flavor = arg
        .get("flavor")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid_params("agentops.route needs {\"uri\", \"flavor\"}"))?
        .to_string();
    super::commands::refresh_open(state).await;
    let (root, rel) = super::analysis::locate(state, &uri)
        .ok_or_else(|| Error::invalid_params(format!("`{}` is in no workspace", uri.as_str())))?;
    if !state.caps().resource_ops {
        return Err(Error::invalid_params(
            "the client cannot create files (workspace edits with resource operations)",
        ));
    }
    let title = format!("Route to {flavor}");
    let st = state.clone();
    let open = state.open_texts(&root);
    let (edit, created) = blocking(move || {
        let ws = read(&root.ws);
        let art = ws
            .artifacts
            .get(&rel)
            .ok_or_else(|| format!("`{rel}` is not an artifact"))?;
        let text = super::rename::text_of(&open, &root, &rel)
            .ok_or_else(|| format!("cannot read `{rel}`"))?;
        let (action, path) = routes::route(&ws, art, &text, &flavor)?;
        let edit = workspace_edit(&ws, &root, &action.ops, st.enc(), true, None)
            .ok_or_else(|| "the route's edit cannot be expressed".to_string())?;
        let created = root
            .uri_of(&path)
            .ok_or_else(|| format!("`{path}` has no URI"))?;
        Ok::<_, String>((edit, created))
    })
    .await?
    .map_err(Error::invalid_params)?;
    // Why it was not applied is said, as for the other commands that edit.
    let (applied, reason) = match super::ask::apply_edit(state, edit).await? {
        Ok(r) => (r.applied, r.failure_reason),
        Err(reason) => (false, Some(reason)),
    };
    // Shown and said like every file the server creates.
    if applied {
        super::created::after_create(state, Some(&created), &title).await;
    }
    Ok(Some(
        json!({ "applied": applied, "uri": created.as_str(), "reason": reason }),
    ))
}
