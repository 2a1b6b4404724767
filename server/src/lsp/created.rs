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
