//! `agentops.advancePhase` and `agentops.createArtifact`: the phase code
//! actions, run on request by an editor UI and applied through
//! `workspace/applyEdit`.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::Uri;

use crate::features::actions::{self, Action};

use super::guard::blocking;
use super::state::{Root, State, read};

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
    run(state, root, move |ws| {
        let Some(art) = ws.artifacts.get(&rel) else {
            return Err("the file is not an artifact".to_string());
        };
        pick(ws, art)
    })
    .await
}

/// Plans an action in `root`'s index and applies it through
/// `workspace/applyEdit`; a created file is shown and announced.
async fn run(
    state: &Arc<State>,
    root: Arc<Root>,
    plan: impl FnOnce(&crate::workspace::Workspace) -> std::result::Result<Action, String>
    + Send
    + 'static,
) -> Result<Value> {
    let st = state.clone();
    let planned = blocking(move || {
        let ws = read(&root.ws);
        let action = plan(&ws)?;
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
        Ok::<_, String>((action.title, edit, created))
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

/// `agentops.new` `[{"kind": "spec", "title": "Magic link sign-in", "uri"?, "flavor"?}]`:
/// new work from an editor's "New spec" / "New research" / "New plan".
/// The root is the one holding `uri` (else the first); the flavor is
/// `flavor`, else that of the document at `uri`, else the first in use
/// that has the kind.
pub async fn new_artifact(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let bad = || {
        Error::invalid_params(
            "expected [{\"kind\": \"spec\", \"title\": \"…\", \"uri\"?: …, \"flavor\"?: …}]",
        )
    };
    let kind = arg_str(args, "kind").ok_or_else(bad)?.to_string();
    let title = arg_str(args, "title").ok_or_else(bad)?.to_string();
    let flavor = arg_str(args, "flavor").map(str::to_string);
    let uri: Option<Uri> = arg_str(args, "uri").and_then(|u| u.parse().ok());
    super::commands::refresh_open(state).await;
    let found = uri.as_ref().and_then(|u| super::analysis::locate(state, u));
    let (root, rel) = match found {
        Some((root, rel)) => (root, Some(rel)),
        None => match super::publish::roots(state).into_iter().next() {
            Some(root) => (root, None),
            None => {
                return Ok(json!({ "applied": false, "reason": "no workspace folder is open" }));
            }
        },
    };
    run(state, root, move |ws| {
        let from = rel.as_deref().and_then(|r| ws.artifacts.get(r));
        crate::features::start::new_work(ws, from, flavor.as_deref(), &kind, &title)
    })
    .await
}

/// `agentops.advancePhase` `[{"uri", "position"?}]`: the artifact's advance;
/// on a roadmap, the item under `position` (the cursor, in the client's
/// encoding) is started, else the first open item not started.
pub async fn advance_phase(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let uri = arg_uri(args)?;
    let at: Option<tower_lsp_server::ls_types::Position> = args
        .first()
        .and_then(|a| a.get("position"))
        .and_then(|p| serde_json::from_value(p.clone()).ok());
    let enc = state.enc();
    apply(state, uri, move |ws, art| {
        if let Some(action) = actions::advance(ws, art).into_iter().next() {
            return Ok(action);
        }
        // On a roadmap, advancing is starting a feature: the one under the cursor.
        let starts = ws.kind_of(art).is_some_and(|k| k.starts.is_some());
        if let Some(pos) = at.filter(|_| starts) {
            let offset = super::convert::offset(&art.lines, pos, enc);
            let here = crate::text::TextRange::empty(offset);
            if let Some(item) = crate::features::start::item_at(art, here) {
                return crate::features::start::item_actions(ws, art, here)
                    .into_iter()
                    .next()
                    .ok_or_else(|| format!("`{item}` has started already: its work item exists"));
            }
        }
        crate::features::start::next_item(ws, art).ok_or_else(|| {
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
