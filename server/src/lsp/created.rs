//! After the server created a file through `workspace/applyEdit`: show it
//! (`window/showDocument`, where the client supports it), say what was
//! created (`window/showMessage`: a client without a custom UI gives no other
//! word, and the new buffer may sit unsaved in the background), and refresh
//! the code lenses whose timelines just moved.

use std::sync::Arc;

use tower_lsp_server::ls_types::{MessageType, ShowDocumentParams, Uri};

use super::ask::{Wait, ask};
use super::state::State;

pub async fn after_create(state: &Arc<State>, created: Option<&Uri>, title: &str) {
    super::publish::refresh_lenses(state).await;
    let Some(uri) = created else {
        return;
    };
    // Before the buffer is shown, so that a plain `:w` finds its folder.
    let _ = make_folder(state, uri);
    let shown = show(state, uri).await;
    let name = uri.as_str().rsplit('/').next().unwrap_or(uri.as_str());
    let tail = if shown {
        "; save it to keep it"
    } else {
        "; open and save it to keep it"
    };
    state
        .client
        .show_message(
            MessageType::INFO,
            format!("agentops: {title} — created {name}{tail}"),
        )
        .await;
}

/// Creates the folder of `uri`, a file the server had the client create:
/// clients that open a created file as a buffer without writing it (Neovim
/// with `ignoreIfExists`, Helix) leave its folder missing, and the first save
/// fails (`:w ++p` in Neovim). Only inside the file's root, through the real
/// path of the deepest folder that exists; nothing is written but folders.
/// Whether the folder exists now.
pub fn make_folder(state: &State, uri: &Uri) -> Result<bool, String> {
    let (root, rel) = super::analysis::locate(state, uri)
        .ok_or_else(|| format!("`{}` is in no workspace", uri.as_str()))?;
    let Some(folder) = root
        .path
        .join(&rel)
        .parent()
        .map(std::path::Path::to_path_buf)
    else {
        return Ok(false);
    };
    let real_root = crate::workspace::read::canonical_root(&root.path);
    match crate::workspace::read::confine(&root.path, &real_root, &folder) {
        Ok(p) => Ok(p.is_dir()),
        Err(crate::workspace::read::ReadError::Outside) => {
            Err(format!("`{rel}` is outside the workspace folder"))
        }
        Err(_) => std::fs::create_dir_all(&folder)
            .map(|()| true)
            .map_err(|e| format!("cannot create the folder of `{rel}`: {e}")),
    }
}

/// `agentops.makeFolders` `[{"uri"}]`: the command a code action that creates
/// a file carries, run by the client after it applied the edit.
pub fn make_folders(state: &State, args: &[serde_json::Value]) -> serde_json::Value {
    let uri: Option<Uri> = args
        .first()
        .and_then(|a| a.get("uri"))
        .and_then(serde_json::Value::as_str)
        .and_then(|u| u.parse().ok());
    match uri.map(|u| make_folder(state, &u)) {
        Some(Ok(made)) => serde_json::json!({ "made": made }),
        Some(Err(reason)) => serde_json::json!({ "made": false, "reason": reason }),
        None => {
            serde_json::json!({ "made": false, "reason": "expected [{\"uri\": \"file:///…\"}]" })
        }
    }
}

/// Asks the client to show `uri` in the editor, focused; whether it did
/// (false when the client cannot be asked).
pub async fn show(state: &Arc<State>, uri: &Uri) -> bool {
    if !state.caps().show_document {
        return false;
    }
    let params = ShowDocumentParams {
        uri: uri.clone(),
        external: Some(false),
        take_focus: Some(true),
        selection: None,
    };
    let asked = ask(
        state,
        "window/showDocument",
        Wait::Action,
        state.client.show_document(params),
    );
    asked.await.unwrap_or(false)
}
