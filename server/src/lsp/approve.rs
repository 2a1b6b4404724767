//! `agentops.approve`: a human approves an artifact. The server records who
//! (the `by` argument, else the `agentops.approver` setting, else git's
//! `user.name` in the root) and when, through `workspace/applyEdit`.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::MessageType;

use crate::features::approve;

use super::guard::blocking;
use super::phase_commands::{arg_str, arg_uri};
use super::state::{State, read};

pub async fn approve(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let uri = arg_uri(args)?;
    let by = arg_str(args, "by").map(str::to_string);
    super::commands::refresh_open(state).await;
    let Some((root, rel)) = super::analysis::locate(state, &uri) else {
        return Ok(json!({ "applied": false, "reason": "the file is not in a workspace folder" }));
    };
    let open_text = state.docs.get(&uri).map(|d| d.text());
    let setting = read(&state.settings).approver.clone();
    let st = state.clone();
    let planned = blocking(move || {
        let who = by
            .or(setting)
            .or_else(|| crate::workspace::git::user_name(&root.path))
            .unwrap_or_default();
        let text = match open_text {
            Some(t) => t,
            None => crate::workspace::read::repo_text(&root.path, &rel)
                .map_err(|e| format!("cannot read {rel}: {e}"))?,
        };
        let ws = read(&root.ws);
        let art = ws
            .artifacts
            .get(&rel)
            .ok_or_else(|| "the file is not an artifact".to_string())?;
        let kind = ws
            .kind_of(art)
            .ok_or_else(|| "the file is not an artifact of a known kind".to_string())?;
        let when = crate::time::now_rfc3339();
        let action = approve::approve(art, kind, &text, &who, &when)?;
        let edit = super::actions::workspace_edit(
            &ws,
            &root,
            &action.ops,
            st.enc(),
            false,
            Some((&rel, &art.lines)),
        )
        .ok_or("the edit could not be placed")?;
        Ok::<_, String>((action.title, edit, who, when, rel))
    })
    .await?;
    let (title, edit, who, when, rel) = match planned {
        Ok(p) => p,
        Err(reason) => {
            state
                .client
                .show_message(MessageType::WARNING, format!("Not approved: {reason}"))
                .await;
            return Ok(json!({ "applied": false, "reason": reason }));
        }
    };
    let response = match super::ask::apply_edit(state, edit).await? {
        Ok(r) => r,
        Err(reason) => return Ok(json!({ "applied": false, "title": title, "reason": reason })),
    };
    if response.applied {
        super::publish::refresh_lenses(state).await;
        state
            .client
            .show_message(
                MessageType::INFO,
                format!("{rel} approved by {who} at {when} (save the file to keep it)"),
            )
            .await;
    }
    Ok(json!({
        "applied": response.applied,
        "title": title,
        "approved_by": who,
        "approved_at": when,
        "reason": response.failure_reason,
    }))
}
