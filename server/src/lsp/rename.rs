//! Renames: `workspace/willRenameFiles` (files and folders moving keep every
//! link, route and declared code path true) and heading renames with
//! `textDocument/prepareRename` + `textDocument/rename`.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::features::anchors;
use crate::features::rename::{Move, file_moves};

use super::actions::workspace_edit;
use super::convert;
use super::guard::{blocking, guard};
use super::server::{Backend, path_of};
use super::state::{Root, read};

impl Backend {
    pub(super) async fn will_rename(
        &self,
        params: RenameFilesParams,
    ) -> Result<Option<WorkspaceEdit>> {
        guard(self.client(), "workspace/willRenameFiles", async {
            super::commands::refresh_open(&self.state).await;
            // Moves within one root; a move across roots is a delete and a create.
            let mut by_root: Vec<(Arc<Root>, Vec<Move>)> = Vec::new();
            for f in &params.files {
                let (Some(old), Some(new)) = (path_of(&f.old_uri), path_of(&f.new_uri)) else {
                    continue;
                };
                let (Some((root, from)), Some((other, to))) =
                    (self.state.root_of(&old), self.state.root_of(&new))
                else {
                    continue;
                };
                if !Arc::ptr_eq(&root, &other) || from.is_empty() {
                    continue;
                }
                match by_root.iter_mut().find(|(r, _)| Arc::ptr_eq(r, &root)) {
                    Some((_, moves)) => moves.push(Move { from, to }),
                    None => by_root.push((root, vec![Move { from, to }])),
                }
            }
            let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
            for (root, moves) in by_root {
                let st = self.state.clone();
                let open = st.open_texts(&root);
                let edit = blocking(move || {
                    let ws = read(&root.ws);
                    let text_of = |rel: &str| text_of(&open, &root, rel);
                    let ops = file_moves(&ws, &moves, &text_of);
                    workspace_edit(&ws, &root, &ops, st.enc(), false, None)
                })
                .await?;
                for (uri, edits) in edit.and_then(|e| e.changes).into_iter().flatten() {
                    changes.entry(uri).or_default().extend(edits);
                }
            }
            Ok((!changes.is_empty()).then(|| WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            }))
        })
        .await
    }

    pub(super) async fn prepare_heading_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let what = "textDocument/prepareRename";
        self.on_artifact(
            what,
            &params.text_document.uri,
            Some(params.position),
            |at| {
                let range = anchors::prepare(at.art, at.offset)?;
                let heading = at.art.sections.iter().find(|s| s.text_range == range)?;
                Some(PrepareRenameResponse::RangeWithPlaceholder {
                    range: convert::range(&at.art.lines, range, at.enc),
                    placeholder: heading.text.clone(),
                })
            },
        )
        .await
    }

    pub(super) async fn rename_heading(
        &self,
        params: RenameParams,
    ) -> Result<Option<WorkspaceEdit>> {
        let pos = params.text_document_position;
        let new_name = params.new_name;
        let what = "textDocument/rename";
        self.on_artifact(
            what,
            &pos.text_document.uri,
            Some(pos.position),
            move |at| {
                let ops = anchors::rename(at.ws, at.art, at.offset, &new_name)?;
                workspace_edit(at.ws, at.root, &ops, at.enc, false, None)
            },
        )
        .await
    }
}

/// A file's text as the editor has it: the open document (from
/// `State::open_texts`, collected before the index lock), else the disk.
pub fn text_of(open: &HashMap<String, String>, root: &Root, rel: &str) -> Option<String> {
    if let Some(text) = open.get(rel) {
        return Some(text.clone());
    }
    crate::workspace::read::repo_text(&root.path, rel).ok()
}
