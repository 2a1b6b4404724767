//! Link completion (`textDocument/completion` inside a link destination):
//! the engine's proposals as LSP completion items.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::features::complete_links::{self, LinkItemKind};

use super::convert;
use super::guard::blocking;
use super::server::Backend;
use super::state::read;

/// Characters after which clients should ask: a folder, an anchor, a link's start.
pub const TRIGGERS: &[&str] = &["(", "/", "#"];

impl Backend {
    /// The link proposals at a position; empty outside a link destination.
    pub(super) async fn link_completions(
        &self,
        params: &CompletionParams,
    ) -> Result<Vec<CompletionItem>> {
        let pos = params.text_document_position.clone();
        let Some(text) = self
            .state
            .docs
            .get(&pos.text_document.uri)
            .map(|d| d.text())
        else {
            return Ok(Vec::new());
        };
        let Some((root, rel)) = self.fresh(&pos.text_document.uri).await else {
            return Ok(Vec::new());
        };
        let enc = self.state.enc();
        blocking(move || {
            let ws = read(&root.ws);
            let Some(art) = ws.artifacts.get(&rel) else {
                return Vec::new();
            };
            let lines = crate::text::LineMap::new(&text);
            let offset = convert::offset(&lines, pos.position, enc);
            complete_links::complete(&ws, art, &text, offset)
                .into_iter()
                .map(|i| {
                    let folder = i.kind == LinkItemKind::Folder;
                    CompletionItem {
                        label: i.label,
                        kind: Some(match i.kind {
                            LinkItemKind::File => CompletionItemKind::FILE,
                            LinkItemKind::Folder => CompletionItemKind::FOLDER,
                            LinkItemKind::Heading => CompletionItemKind::REFERENCE,
                        }),
                        detail: i.detail,
                        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                            convert::range(&lines, i.replace, enc),
                            i.insert,
                        ))),
                        // Into a folder, the next level is proposed at once.
                        command: folder.then(|| Command {
                            title: "Suggest".into(),
                            command: "editor.action.triggerSuggest".into(),
                            arguments: None,
                        }),
                        ..Default::default()
                    }
                })
                .collect()
        })
        .await
    }
}
