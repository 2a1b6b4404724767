//! The LSP face: each handler converts, delegates to the engine off the
//! reader, and converts back. No rule or feature logic lives here.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::features;

use super::analysis;
use super::ask::{GaveUp, Wait, ask};
use super::capabilities;
use super::commands;
use super::convert;
use super::document::Document;
use super::guard::{blocking, guard, guard_notify};
use super::index::{self, Change};
use super::publish;
use super::state::{Root, State, read, write};

pub struct Backend {
    pub state: Arc<State>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            state: Arc::new(State::new(client)),
        }
    }

    pub(super) fn client(&self) -> &Client {
        &self.state.client
    }

    async fn load_settings(&self) {
        if !self.state.caps().configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("agentops".into()),
        };
        // Unanswered, the defaults stay and indexing goes on (ask.rs logs it).
        let asked = ask(
            &self.state,
            "workspace/configuration",
            Wait::Setup,
            self.client().configuration(vec![item]),
        );
        if let Ok(values) = asked.await
            && let Some(v) = values.into_iter().next()
        {
            apply_settings(&self.state, &v);
        }
    }

    /// Brings the index up to date with `uri` (for requests that read it).
    pub(super) async fn fresh(&self, uri: &Uri) -> Option<(Arc<Root>, String)> {
        let (st, u) = (self.state.clone(), uri.clone());
        if let Ok(Some(done)) = blocking(move || analysis::analyze(&st, &u)).await {
            let state = self.state.clone();
            tokio::spawn(async move { publish::after_change(&state, done).await });
        }
        analysis::locate(&self.state, uri)
    }
}

/// Params of `agentops/status`: optionally, the document whose root to report.
#[derive(serde::Deserialize, Default)]
pub struct StatusParams {
    #[serde(default)]
    pub uri: Option<Uri>,
}

impl Backend {
    /// `agentops/status`: the same JSON as `agentops-lsp status --json`, per root.
    pub async fn status_request(&self, params: Option<StatusParams>) -> Result<Value> {
        let uri = params.unwrap_or_default().uri;
        guard(
            self.client(),
            "agentops/status",
            commands::status(&self.state, uri),
        )
        .await
    }
}

impl Backend {
    /// After `initialized`: settings, file watching, indexing.
    async fn setup(&self) {
        self.load_settings().await;
        if self.state.caps().watch_dynamic {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: capabilities::watchers(),
            };
            let reg = Registration {
                id: "agentops-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            let asked = ask(
                &self.state,
                "client/registerCapability",
                Wait::Setup,
                self.client().register_capability(vec![reg]),
            );
            if let Err(GaveUp::Failed(e)) = asked.await {
                self.client()
                    .log_message(
                        MessageType::WARNING,
                        format!("file watching not registered: {}", e.message),
                    )
                    .await;
            }
        }
        for root in publish::roots(&self.state) {
            // A root discovered by an early didOpen may be indexing already.
            if root
                .indexing
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                tokio::spawn(index::index(self.state.clone(), root));
            }
        }
    }
}

fn apply_settings(state: &Arc<State>, v: &Value) {
    let section = v.get("agentops").unwrap_or(v);
    if let Some(ms) = section.get("clientTimeoutMs").and_then(Value::as_u64) {
        write(&state.settings).client_timeout_ms = ms.clamp(100, 600_000);
    }
    if let Some(name) = section.get("approver").and_then(Value::as_str) {
        write(&state.settings).approver = Some(name.trim().to_string()).filter(|n| !n.is_empty());
    }
    let Some(ms) = section.get("debounceMs").and_then(Value::as_u64) else {
        return;
    };
    let ms = ms.min(10_000);
    let before = std::mem::replace(&mut write(&state.settings).debounce_ms, ms);
    // Edits already waiting on a longer debounce are checked on the new one:
    // the setting may arrive just after an edit it was meant for.
    if ms < before {
        let pending: Vec<(Uri, i32)> = state
            .docs
            .iter()
            .filter(|d| d.analyzed != Some(d.version))
            .map(|d| (d.key().clone(), d.version))
            .collect();
        for (uri, version) in pending {
            publish::schedule(state.clone(), uri, version, ms);
        }
    }
}

fn change_of(t: FileChangeType) -> Change {
    match t {
        FileChangeType::CREATED => Change::Created,
        FileChangeType::DELETED => Change::Deleted,
        _ => Change::Changed,
    }
}

pub(super) fn path_of(uri: &str) -> Option<std::path::PathBuf> {
    uri.parse::<Uri>()
        .ok()?
        .to_file_path()
        .map(|p| p.into_owned())
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        guard(self.client(), "initialize", async {
            let caps = capabilities::client_caps(&params);
            let (enc, kind) = capabilities::encoding(&params);
            *write(&self.state.encoding) = enc;
            *write(&self.state.caps) = caps.clone();
            if let Some(opts) = &params.initialization_options {
                apply_settings(&self.state, opts);
            }
            let mut folders: Vec<std::path::PathBuf> = params
                .workspace_folders
                .iter()
                .flatten()
                .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
                .collect();
            #[allow(deprecated)]
            if folders.is_empty()
                && let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
            {
                folders.push(p.into_owned());
            }
            *write(&self.state.roots) = folders.iter().map(|f| Arc::new(Root::new(f))).collect();
            Ok(InitializeResult {
                capabilities: capabilities::server_caps(&caps, kind),
                server_info: Some(ServerInfo {
                    name: "agentops-lsp".into(),
                    version: Some(env!("CARGO_PKG_VERSION").into()),
                }),
                offset_encoding: None,
            })
        })
        .await
    }

    async fn initialized(&self, _: InitializedParams) {
        // Requests to the client run in the background: a handler awaiting the
        // client would keep `exit` from ending the process.
        let state = self.state.clone();
        tokio::spawn(async move { Backend { state }.setup().await });
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        // Unless opened from a later didChange already (Helix, after a workspace edit).
        if !super::unopened::keep_on_open(&self.state, &doc.uri, doc.version) {
            self.state
                .docs
                .insert(doc.uri.clone(), Document::new(&doc.text, doc.version));
        }
        // A freshly found root (no folder open) is indexed in the background.
        let known = doc
            .uri
            .to_file_path()
            .and_then(|p| self.state.root_of(&p))
            .is_some();
        publish::schedule(self.state.clone(), doc.uri.clone(), doc.version, 0);
        if !known
            && let Some((root, _)) = analysis::locate(&self.state, &doc.uri)
            && root
                .indexing
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        {
            tokio::spawn(index::index(self.state.clone(), root));
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let enc = self.state.enc();
        // The document's version after the change: a late change put back
        // in its place leaves the newest version, which is the one to check.
        let applied = match self.state.docs.get_mut(&uri) {
            Some(mut doc) => {
                doc.apply(&params.content_changes, version, enc);
                Some(doc.version)
            }
            None => None,
        };
        let version = applied.unwrap_or(version);
        let applied = applied.is_some();
        if !applied
            && !super::unopened::open_from_change(
                &self.state,
                &uri,
                version,
                &params.content_changes,
            )
        {
            self.client()
                .log_message(
                    MessageType::WARNING,
                    format!(
                        "didChange for a document that is not open: {}",
                        uri.as_str()
                    ),
                )
                .await;
            return;
        }
        let delay = read(&self.state.settings).debounce_ms;
        publish::schedule(self.state.clone(), uri, version, delay);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let version = self
            .state
            .docs
            .get(&params.text_document.uri)
            .map(|d| d.version);
        if let Some(v) = version {
            publish::schedule(self.state.clone(), params.text_document.uri, v, 0);
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state.docs.remove(&uri);
        self.state.pulled.remove(&uri);
        // The file on disk is the truth again.
        if let Some(path) = uri.to_file_path().map(|p| p.into_owned()) {
            index::files_changed(self.state.clone(), vec![(path, Change::Changed)]).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        apply_settings(&self.state, &params.settings);
        let state = self.state.clone();
        tokio::spawn(async move { Backend { state }.load_settings().await });
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let removed: Vec<std::path::PathBuf> = params
            .event
            .removed
            .iter()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        for path in &removed {
            let gone: Vec<Arc<Root>> = read(&self.state.roots)
                .iter()
                .filter(|r| &r.path == path)
                .cloned()
                .collect();
            write(&self.state.roots).retain(|r| &r.path != path);
            for root in gone {
                for rel in analysis::all_files(&root) {
                    if let Some(uri) = root.uri_of(&rel) {
                        self.client()
                            .publish_diagnostics(uri, Vec::new(), None)
                            .await;
                    }
                }
            }
        }
        for f in params.event.added {
            if let Some(path) = f.uri.to_file_path() {
                let root = Arc::new(Root::new(&path));
                write(&self.state.roots).push(root.clone());
                tokio::spawn(index::index(self.state.clone(), root));
            }
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let events = params
            .changes
            .into_iter()
            .filter_map(|c| Some((c.uri.to_file_path()?.into_owned(), change_of(c.typ))))
            .collect();
        guard_notify(
            self.client(),
            "didChangeWatchedFiles",
            index::files_changed(self.state.clone(), events),
        )
        .await;
    }

    async fn did_create_files(&self, params: CreateFilesParams) {
        let events = params
            .files
            .iter()
            .filter_map(|f| Some((path_of(&f.uri)?, Change::Created)))
            .collect();
        guard_notify(
            self.client(),
            "didCreateFiles",
            index::files_changed(self.state.clone(), events),
        )
        .await;
    }

    async fn did_rename_files(&self, params: RenameFilesParams) {
        let mut events = Vec::new();
        for f in &params.files {
            if let Some(old) = path_of(&f.old_uri) {
                events.push((old, Change::Deleted));
            }
            if let Some(new) = path_of(&f.new_uri) {
                events.push((new, Change::Created));
            }
        }
        guard_notify(
            self.client(),
            "didRenameFiles",
            index::files_changed(self.state.clone(), events),
        )
        .await;
    }

    async fn did_delete_files(&self, params: DeleteFilesParams) {
        let events = params
            .files
            .iter()
            .filter_map(|f| Some((path_of(&f.uri)?, Change::Deleted)))
            .collect();
        guard_notify(
            self.client(),
            "didDeleteFiles",
            index::files_changed(self.state.clone(), events),
        )
        .await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        guard(self.client(), "textDocument/diagnostic", async {
            let uri = params.text_document.uri;
            let items = match self.fresh(&uri).await {
                Some((root, rel)) => {
                    let st = self.state.clone();
                    blocking(move || analysis::diagnostics(&st, &root, &rel)).await?
                }
                None => (Vec::new(), 0),
            };
            let (items, hash) = items;
            let id = format!("{hash:016x}");
            let unchanged = params.previous_result_id.as_deref() == Some(id.as_str());
            self.state.pulled.insert(uri, id.clone());
            let report = if unchanged {
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id: id,
                    },
                })
            } else {
                DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: Some(id),
                        items,
                    },
                })
            };
            Ok(DocumentDiagnosticReportResult::Report(report))
        })
        .await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        guard(self.client(), "workspace/diagnostic", async {
            commands::refresh_open(&self.state).await;
            let previous: std::collections::HashMap<Uri, String> = params
                .previous_result_ids
                .into_iter()
                .map(|p| (p.uri, p.value))
                .collect();
            let mut items = Vec::new();
            for root in publish::roots(&self.state) {
                let (st, r) = (self.state.clone(), root.clone());
                let reports = blocking(move || {
                    analysis::all_files(&r)
                        .into_iter()
                        .filter_map(|rel| {
                            Some((r.uri_of(&rel)?, analysis::diagnostics(&st, &r, &rel)))
                        })
                        .collect::<Vec<_>>()
                })
                .await?;
                for (uri, (diags, hash)) in reports {
                    let id = format!("{hash:016x}");
                    let version = self.state.docs.get(&uri).map(|d| i64::from(d.version));
                    if previous.get(&uri) == Some(&id) {
                        items.push(WorkspaceDocumentDiagnosticReport::Unchanged(
                            WorkspaceUnchangedDocumentDiagnosticReport {
                                uri,
                                version,
                                unchanged_document_diagnostic_report:
                                    UnchangedDocumentDiagnosticReport { result_id: id },
                            },
                        ));
                    } else {
                        items.push(WorkspaceDocumentDiagnosticReport::Full(
                            WorkspaceFullDocumentDiagnosticReport {
                                uri,
                                version,
                                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                                    result_id: Some(id),
                                    items: diags,
                                },
                            },
                        ));
                    }
                }
            }
            Ok(WorkspaceDiagnosticReportResult::Report(
                WorkspaceDiagnosticReport { items },
            ))
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        guard(self.client(), "textDocument/documentSymbol", async {
            let Some((root, rel)) = self.fresh(&params.text_document.uri).await else {
                return Ok(None);
            };
            let enc = self.state.enc();
            blocking(move || {
                let ws = read(&root.ws);
                let art = ws.artifacts.get(&rel)?;
                let syms = features::symbols::outline(art);
                Some(DocumentSymbolResponse::Nested(
                    syms.iter().map(|s| symbol(s, &art.lines, enc)).collect(),
                ))
            })
            .await
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        guard(self.client(), "textDocument/foldingRange", async {
            let Some((root, rel)) = self.fresh(&params.text_document.uri).await else {
                return Ok(None);
            };
            blocking(move || {
                let ws = read(&root.ws);
                let art = ws.artifacts.get(&rel)?;
                Some(
                    features::folding::folds(art)
                        .into_iter()
                        .map(|f| FoldingRange {
                            start_line: f.start_line,
                            end_line: f.end_line,
                            kind: Some(match f.kind {
                                features::folding::FoldKind::Section => FoldingRangeKind::Region,
                                features::folding::FoldKind::Frontmatter => {
                                    FoldingRangeKind::Comment
                                }
                                features::folding::FoldKind::Code => FoldingRangeKind::Region,
                            }),
                            ..Default::default()
                        })
                        .collect(),
                )
            })
            .await
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        guard(self.client(), "textDocument/codeAction", async {
            let uri = params.text_document.uri;
            // An edit may land between bringing the index up to date and
            // reading the text: then the index is brought up to date again
            // (a few times; a client typing that fast gets no actions).
            for _ in 0..3 {
                let Some((root, rel)) = self.fresh(&uri).await else {
                    return Ok(None);
                };
                let Some(text) = self.state.docs.get(&uri).map(|d| d.text()) else {
                    return Ok(None);
                };
                let st = self.state.clone();
                let (range, context) = (params.range, params.context.clone());
                let found = blocking(move || {
                    super::actions::code_actions(&st, &root, &rel, &text, range, &context)
                })
                .await?;
                if found.is_some() {
                    return Ok(found);
                }
            }
            Ok(None)
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        guard(self.client(), "textDocument/codeLens", async {
            let uri = params.text_document.uri;
            let Some((root, rel)) = self.fresh(&uri).await else {
                return Ok(None);
            };
            let enc = self.state.enc();
            blocking(move || {
                let ws = read(&root.ws);
                let art = ws.artifacts.get(&rel)?;
                let (title, range) = features::hover::lens(&ws, art)?;
                Some(vec![CodeLens {
                    range: convert::range(&art.lines, range, enc),
                    command: Some(Command {
                        title,
                        command: "agentops.status".into(),
                        arguments: Some(vec![serde_json::json!({ "uri": uri.as_str() })]),
                    }),
                    data: None,
                }])
            })
            .await
        })
        .await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        guard(
            self.client(),
            "workspace/executeCommand",
            commands::execute(&self.state, &params.command, &params.arguments),
        )
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        guard(self.client(), "textDocument/completion", async {
            // Inside a link destination: paths and headings.
            let links = self.link_completions(&params).await?;
            if !links.is_empty() {
                return Ok(Some(CompletionResponse::Array(links)));
            }
            // On a command line: commands, flags and their arguments.
            let pos = params.text_document_position;
            let uri = pos.text_document.uri;
            let Some((root, rel)) = self.fresh(&uri).await else {
                return Ok(None);
            };
            let Some(text) = self.state.docs.get(&uri).map(|d| d.text()) else {
                return Ok(None);
            };
            let enc = self.state.enc();
            blocking(move || {
                let ws = read(&root.ws);
                let art = ws.artifacts.get(&rel)?;
                let offset = convert::offset(&art.lines, pos.position, enc) as usize;
                let items = features::completion::complete(&ws, art, &text, offset);
                (!items.is_empty()).then(|| {
                    CompletionResponse::Array(
                        items
                            .into_iter()
                            .map(|i| convert::completion_item(i, &art.lines, enc))
                            .collect(),
                    )
                })
            })
            .await
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        guard(self.client(), "textDocument/hover", async {
            let pos = params.text_document_position_params;
            let Some((root, rel)) = self.fresh(&pos.text_document.uri).await else {
                return Ok(None);
            };
            let enc = self.state.enc();
            // A route's diff reads its source as the editor shows it;
            // collected before the index lock (see `State::open_texts`).
            let open = self.state.open_texts(&root);
            blocking(move || {
                let ws = read(&root.ws);
                let art = ws.artifacts.get(&rel)?;
                let offset = convert::offset(&art.lines, pos.position, enc);
                let (text, range) = features::hover::hover(&ws, art, offset, &open)?;
                Some(Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: text,
                    }),
                    range: Some(convert::range(&art.lines, range, enc)),
                })
            })
            .await
        })
        .await
    }
    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.document_links(params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.definition(params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.references_request(params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.workspace_symbols(params).await
    }

    async fn will_rename_files(&self, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
        self.will_rename(params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.prepare_heading_rename(params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.rename_heading(params).await
    }
}

#[allow(deprecated)]
fn symbol(
    s: &features::symbols::Symbol,
    lines: &crate::text::LineMap,
    enc: crate::text::Encoding,
) -> DocumentSymbol {
    use features::symbols::SymbolKind as K;
    DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: match s.kind {
            K::Frontmatter => SymbolKind::NAMESPACE,
            K::Field => SymbolKind::PROPERTY,
            K::Section => SymbolKind::STRING,
        },
        tags: None,
        deprecated: None,
        range: convert::range(lines, s.range, enc),
        selection_range: convert::range(lines, s.selection, enc),
        children: (!s.children.is_empty())
            .then(|| s.children.iter().map(|c| symbol(c, lines, enc)).collect()),
    }
}
