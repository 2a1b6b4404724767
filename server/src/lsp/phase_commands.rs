//! `agentops.advancePhase` and `agentops.createArtifact`: the phase code
//! actions, run on request by an editor UI and applied through
//! `workspace/applyEdit`.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::Uri;

use crate::features::actions::{self, Action};

use super::guard::blocking;
use super::state::{State, read};

/// The `uri` (and other string fields) of a command's first argument.
pub fn arg_str<'a>(args: &'a [Value], key: &str) -> Option<&'a str> {
    args.first()?.get(key)?.as_str()
}

pub fn arg_uri(args: &[Value]) -> Result<Uri> {
    arg_str(args, "uri")
        .and_then(|u| u.parse().ok())
        .ok_or_else(|| Error::invalid_params("expected [{\"uri\": \"file:///…\"}]"))
}

/// Applies the phase action `pick` chooses for the artifact at `uri`.
async fn apply(
    state: &Arc<State>,
    uri: Uri,
    pick: impl FnOnce(
        &crate::workspace::Workspace,
        &crate::artifact::Artifact,
    ) -> std::result::Result<Action, String>
    + Send
    + 'static,
) -> Result<Value> {
    super::commands::refresh_open(state).await;
    let Some((root, rel)) = super::analysis::locate(state, &uri) else {
        return Ok(json!({ "applied": false, "reason": "the file is not in a workspace folder" }));
    };
    let st = state.clone();
    let planned = blocking(move || {
        let ws = read(&root.ws);
        let Some(art) = ws.artifacts.get(&rel) else {
            return Err("the file is not an artifact".to_string());
        };
        let action = pick(&ws, art)?;
        let caps = st.caps();
        let edit = super::actions::workspace_edit(
            &ws,
            &root,
            &action.ops,
            st.enc(),
            caps.resource_ops,
            None,
        )
        .ok_or("the client cannot create files (no documentChanges resource operations)")?;
        let created = action.ops.iter().find_map(|op| match op {
            actions::FileOp::Create { path, .. } => root.uri_of(path),
            _ => None,
        });
        Ok((action.title, edit, created))
    })
    .await?;
    let (title, edit, created) = match planned {
        Ok(p) => p,
        Err(reason) => return Ok(json!({ "applied": false, "reason": reason })),
    };
    let response = match super::ask::apply_edit(state, edit).await? {
        Ok(r) => r,
        Err(reason) => return Ok(json!({ "applied": false, "title": title, "reason": reason })),
    };
    if response.applied {
        super::created::after_create(state, created.as_ref(), &title).await;
    }
    Ok(json!({
        "applied": response.applied,
        "title": title,
        "uri": created.map(|u| u.as_str().to_string()),
        "reason": response.failure_reason,
    }))
}

pub async fn advance_phase(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let uri = arg_uri(args)?;
    apply(state, uri, |ws, art| {
        actions::advance(ws, art).into_iter().next().ok_or_else(|| {
            "nothing to advance: the work item's current phase has started, or has no template"
                .to_string()
        })
    })
    .await
}

pub async fn create_artifact(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let uri = arg_uri(args)?;
    let kind = arg_str(args, "kind")
        .ok_or_else(|| Error::invalid_params("expected [{\"uri\": …, \"kind\": \"plan\"}]"))?
        .to_string();
    apply(state, uri, move |ws, art| {
        actions::create_kind(ws, art, &kind).ok_or_else(|| {
            format!("no `{kind}` to create here: unknown kind, no template, or the file exists")
        })
    })
    .await
}
