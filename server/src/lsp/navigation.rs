//! Navigation between artifacts and code: document links, definition,
//! references, workspace symbols and `agentops/specsForPath`.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::artifact::Artifact;
use crate::features::code_links::{self, Place, Target};
use crate::features::{anchors, trace};
use crate::text::Encoding;
use crate::workspace::Workspace;

use super::convert;
use super::guard::{blocking, guard};
use super::server::Backend;
use super::state::{Root, read};

/// Params of `agentops/specsForPath`: a file or folder.
#[derive(serde::Deserialize)]
pub struct SpecsForPathParams {
    pub uri: Uri,
}

/// A jump target as an LSP location.
fn location(ws: &Workspace, root: &Root, t: &Target, enc: Encoding) -> Option<Location> {
    let uri = root.uri_of(&t.path)?;
    let range = match t.at {
        Place::Start => Range::default(),
        Place::Line(l) => Range::new(Position::new(l, 0), Position::new(l, 0)),
        Place::Range(r) => ws
            .line_map(&t.path)
            .map_or_else(Range::default, |lines| convert::range(lines, r, enc)),
    };
    Some(Location::new(uri, range))
}

/// What a position handler works with: the index, the root, the fresh
/// artifact, the byte offset of the position (if any) and the encoding.
pub struct At<'a> {
    pub ws: &'a Workspace,
    pub root: &'a Root,
    pub art: &'a Artifact,
    pub offset: u32,
    pub enc: Encoding,
}

impl Backend {
    /// Brings `uri` up to date, then runs `f` on its artifact off the reader,
    /// under `guard` (a panic becomes an error response).
    pub(super) async fn on_artifact<T: Send + 'static>(
        &self,
        what: &str,
        uri: &Uri,
        position: Option<Position>,
        f: impl FnOnce(At) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        guard(self.client(), what, async {
            let Some((root, rel)) = self.fresh(uri).await else {
                return Ok(None);
            };
            let enc = self.state.enc();
            blocking(move || {
                let ws = read(&root.ws);
                let art = ws.artifacts.get(&rel)?;
                let offset = position.map_or(0, |p| convert::offset(&art.lines, p, enc));
                f(At {
                    ws: &ws,
                    root: &root,
                    art,
                    offset,
                    enc,
                })
            })
            .await
        })
        .await
    }

    pub(super) async fn document_links(
        &self,
        params: DocumentLinkParams,
    ) -> Result<Option<Vec<DocumentLink>>> {
        let uri = params.text_document.uri;
        let tooltips = self.state.caps().link_tooltips;
        self.on_artifact("textDocument/documentLink", &uri, None, move |at| {
            let links = code_links::document_links(at.ws, at.art)
                .into_iter()
                .filter_map(|l| {
                    let uri = at.root.uri_of(&l.target.path)?;
                    // `path:line` opens at the line (`#L12`, as editors read file links).
                    let target = match l.target.at {
                        Place::Line(n) => format!("{}#L{}", uri.as_str(), n + 1).parse().ok()?,
                        _ => uri,
                    };
                    Some(DocumentLink {
                        range: convert::range(&at.art.lines, l.range, at.enc),
                        target: Some(target),
                        tooltip: tooltips.then_some(l.tooltip),
                        data: None,
                    })
                })
                .collect();
            Some(links)
        })
        .await
    }

    pub(super) async fn definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        let what = "textDocument/definition";
        self.on_artifact(what, &pos.text_document.uri, Some(pos.position), |at| {
            let found: Vec<Location> = code_links::definition(at.ws, at.art, at.offset)
                .iter()
                .filter_map(|t| location(at.ws, at.root, t, at.enc))
                .collect();
            match found.len() {
                0 => None,
                1 => found.into_iter().next().map(GotoDefinitionResponse::Scalar),
                _ => Some(GotoDefinitionResponse::Array(found)),
            }
        })
        .await
    }

    /// On a declared code path: every artifact naming it. On a heading:
    /// every link to it.
    pub(super) async fn references_request(
        &self,
        params: ReferenceParams,
    ) -> Result<Option<Vec<Location>>> {
        let pos = params.text_document_position;
        let with_decl = params.context.include_declaration;
        let what = "textDocument/references";
        self.on_artifact(
            what,
            &pos.text_document.uri,
            Some(pos.position),
            move |at| {
                let (ws, art) = (at.ws, at.art);
                let mut places = trace::references(ws, art, at.offset).unwrap_or_default();
                if places.is_empty()
                    && let Some(i) = anchors::heading_at(art, at.offset)
                {
                    if with_decl && let Some(h) = art.sections.get(i) {
                        places.push((art.path.clone(), h.range));
                    }
                    let links = anchors::links_to(ws, art, i);
                    places.extend(links.into_iter().map(|l| (l.path, l.link)));
                }
                let out: Vec<Location> = places
                    .iter()
                    .filter_map(|(path, r)| {
                        let range = convert::range(ws.line_map(path)?, *r, at.enc);
                        Some(Location::new(at.root.uri_of(path)?, range))
                    })
                    .collect();
                (!out.is_empty()).then_some(out)
            },
        )
        .await
    }

    pub(super) async fn workspace_symbols(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        guard(self.client(), "workspace/symbol", async {
            let enc = self.state.enc();
            let mut out = Vec::new();
            for root in super::publish::roots(&self.state) {
                let query = params.query.clone();
                let found = blocking(move || {
                    let ws = read(&root.ws);
                    trace::workspace_symbols(&ws, &query)
                        .into_iter()
                        .filter_map(|s| symbol(&ws, &root, s, enc))
                        .collect::<Vec<_>>()
                })
                .await?;
                out.extend(found);
            }
            Ok(Some(WorkspaceSymbolResponse::Flat(out)))
        })
        .await
    }

    /// `agentops/specsForPath`: which artifacts produce or touch a file or folder.
    pub async fn specs_for_path(&self, params: SpecsForPathParams) -> Result<Value> {
        guard(self.client(), "agentops/specsForPath", async {
            let Some(path) = params.uri.to_file_path().map(|p| p.into_owned()) else {
                return Ok(Value::Null);
            };
            let Some((root, rel)) = self.state.root_of(&path) else {
                return Ok(Value::Null);
            };
            let is_dir = rel.is_empty() || path.is_dir() || params.uri.as_str().ends_with('/');
            let enc = self.state.enc();
            blocking(move || specs_json(&root, &rel, is_dir, enc)).await
        })
        .await
    }
}

fn specs_json(root: &Arc<Root>, rel: &str, is_dir: bool, enc: Encoding) -> Value {
    let ws = read(&root.ws);
    let items: Vec<Value> = trace::specs_for_path(&ws, rel, is_dir)
        .into_iter()
        .filter_map(|c| {
            let lines = ws.line_map(&c.path)?;
            let mut v = c.json(json!(convert::range(lines, c.range, enc)));
            v["uri"] = json!(root.uri_of(&c.path)?.as_str());
            Some(v)
        })
        .collect();
    json!({ "path": rel, "artifacts": items })
}

#[allow(deprecated)]
fn symbol(
    ws: &Workspace,
    root: &Root,
    s: trace::WsSymbol,
    enc: Encoding,
) -> Option<SymbolInformation> {
    let lines = ws.line_map(&s.path)?;
    Some(SymbolInformation {
        name: s.name,
        kind: match s.kind {
            trace::SymbolKind::WorkItem => SymbolKind::PACKAGE,
            trace::SymbolKind::Artifact => SymbolKind::FILE,
            trace::SymbolKind::CodePath => SymbolKind::MODULE,
        },
        tags: None,
        deprecated: None,
        location: Location::new(root.uri_of(&s.path)?, convert::range(lines, s.range, enc)),
        container_name: Some(s.container),
    })
}
