//! What we tell the client we can do, given what it can do.

use tower_lsp_server::ls_types::*;

use super::state::ClientCaps;

pub fn client_caps(params: &InitializeParams) -> ClientCaps {
    let c = &params.capabilities;
    let ws = c.workspace.as_ref();
    ClientCaps {
        pull: c
            .text_document
            .as_ref()
            .and_then(|t| t.diagnostic.as_ref())
            .is_some(),
        pull_refresh: ws
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
        watch_dynamic: ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
        progress: c
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        show_document: c
            .window
            .as_ref()
            .and_then(|w| w.show_document.as_ref())
            .is_some_and(|s| s.support),
        // Resource operations exist only inside `documentChanges`: a client that
        // declares them applies both (Neovim 0.10–0.12 omit `documentChanges`).
        resource_ops: ws.and_then(|w| w.workspace_edit.as_ref()).is_some_and(|e| {
            e.resource_operations.as_ref().is_some_and(|r| {
                r.contains(&ResourceOperationKind::Create)
                    && r.contains(&ResourceOperationKind::Rename)
            })
        }),
        link_tooltips: c
            .text_document
            .as_ref()
            .and_then(|t| t.document_link.as_ref())
            .and_then(|l| l.tooltip_support)
            .unwrap_or(false),
        lens_refresh: ws
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|l| l.refresh_support)
            .unwrap_or(false),
    }
}

/// UTF-8 when the client offers it, else the LSP default UTF-16.
pub fn encoding(params: &InitializeParams) -> (crate::text::Encoding, PositionEncodingKind) {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
        (crate::text::Encoding::Utf8, PositionEncodingKind::UTF8)
    } else {
        (crate::text::Encoding::Utf16, PositionEncodingKind::UTF16)
    }
}

pub fn server_caps(client: &ClientCaps, enc: PositionEncodingKind) -> ServerCapabilities {
    let markdown = || FileOperationFilter {
        scheme: Some("file".into()),
        pattern: FileOperationPattern {
            glob: "**/*".into(),
            matches: None,
            options: None,
        },
    };
    let file_ops = FileOperationRegistrationOptions {
        filters: vec![markdown()],
    };
    ServerCapabilities {
        position_encoding: Some(enc),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        diagnostic_provider: client.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("agentops".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::REFACTOR]),
            ..Default::default()
        })),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        completion_provider: Some(CompletionOptions {
            // Links: `(`, `/`, `#`; command lines: `/`, `-` and the space before an argument.
            trigger_characters: Some(
                super::link_completion::TRIGGERS
                    .iter()
                    .chain(&["-", " "])
                    .map(|c| c.to_string())
                    .collect(),
            ),
            ..Default::default()
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: super::commands::COMMANDS
                .iter()
                .map(|c| c.to_string())
                .collect(),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: Some(WorkspaceFileOperationsServerCapabilities {
                did_create: Some(file_ops.clone()),
                did_rename: Some(file_ops.clone()),
                will_rename: Some(file_ops.clone()),
                did_delete: Some(file_ops),
                ..Default::default()
            }),
        }),
        ..Default::default()
    }
}

/// Files the client should watch for us: artifacts, config, flavors, bundles.
pub fn watchers() -> Vec<FileSystemWatcher> {
    [
        "**/agentops/**/*.md",
        "**/agentops/**/flavor.toml",
        "**/agentops.toml",
        "**/.agentops/bundles/**",
        "**/.agents/bundles/**",
        // Layouts adopted from other tools (agent-os/, specs/, thoughts/shared/, …):
        // which are in use is decided per root, so every markdown file is watched.
        "**/*.md",
    ]
    .into_iter()
    .map(|g| FileSystemWatcher {
        glob_pattern: GlobPattern::String(g.into()),
        kind: None,
    })
    .collect()
}
