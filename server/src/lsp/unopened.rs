//! Changes to documents the server was not told were opened.
//!
//! Helix applies a workspace edit that creates a file by loading the new
//! (empty) file into a buffer, editing it, and sending `didChange` for the
//! edit *before* `didOpen` — whose text may be the file as loaded, from before
//! the edit. Dropping that `didChange` left the server with the wrong text
//! until the buffer was reopened. So a `didChange` for an unopened document
//! opens it from the file on disk (empty if it does not exist yet) and applies
//! the change; a later `didOpen` with an older version does not replace it.

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::document::Document;
use super::state::State;

/// Opens the document at `uri` from disk and applies `changes`; false (and
/// nothing opened) when the file is outside every root or unreadable.
pub fn open_from_change(
    state: &State,
    uri: &Uri,
    version: i32,
    changes: &[TextDocumentContentChangeEvent],
) -> bool {
    let Some((root, rel)) = super::analysis::locate(state, uri) else {
        return false;
    };
    // A whole-text change needs no base; otherwise the file as it is on disk.
    let whole = changes.iter().any(|c| c.range.is_none());
    let base = if whole {
        String::new()
    } else {
        // Through the one capped, confined reader: the path comes from the
        // client and the file from the repository.
        match crate::workspace::read::repo_text(&root.path, &rel) {
            Ok(t) => t,
            // A change by range to a file that is not there has no base:
            // guessing one would invent a document (only a whole text may
            // open a file that does not exist yet).
            Err(_) => return false,
        }
    };
    let mut doc = Document::new(&base, version);
    doc.apply(changes, version, state.enc());
    doc.opened_by_change = true;
    state.docs.insert(uri.clone(), doc);
    true
}

/// Whether a `didOpen` at `version` should leave the document as it is: it
/// was opened from a later `didChange` already.
pub fn keep_on_open(state: &State, uri: &Uri, version: i32) -> bool {
    match state.docs.get_mut(uri) {
        Some(mut d) if d.opened_by_change => {
            // Kept once: the client now knows the document, and any later
            // re-open without a close is the client's new truth.
            d.opened_by_change = false;
            d.version > version
        }
        _ => false,
    }
}
