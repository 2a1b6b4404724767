//! Code actions and the commands that apply them: engine file operations
//! turned into a `WorkspaceEdit`.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use crate::features::actions::{self, Action, ActionKind, FileOp};
use crate::features::command_actions::{self, Run};
use crate::text::{Encoding, LineMap};
use crate::workspace::Workspace;

use super::convert;
use super::state::{Root, State};

/// The edit that carries out `ops`, or None when the client cannot take it
/// (creating or renaming files needs `documentChanges` resource operations).
pub fn workspace_edit(
    ws: &Workspace,
    root: &Root,
    ops: &[FileOp],
    enc: Encoding,
    resource_ops: bool,
    current: Option<(&str, &LineMap)>,
) -> Option<WorkspaceEdit> {
    let lines_of = |path: &str| -> Option<LineMap> {
        if let Some((p, l)) = current
            && p == path
        {
            return Some(l.clone());
        }
        ws.line_map(path).cloned()
    };
    if !resource_ops {
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for op in ops {
            let FileOp::Edit { path, edits } = op else {
                return None;
            };
            let lines = lines_of(path)?;
            let uri = root.uri_of(path)?;
            changes.entry(uri).or_default().extend(
                edits
                    .iter()
                    .map(|(r, t)| TextEdit::new(convert::range(&lines, *r, enc), t.clone())),
            );
        }
        return Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        });
    }
    let mut doc_changes = Vec::new();
    for op in ops {
        match op {
            FileOp::Create { path, text } => {
                let uri = root.uri_of(path)?;
                doc_changes.push(DocumentChangeOperation::Op(ResourceOp::Create(
                    CreateFile {
                        uri: uri.clone(),
                        options: Some(CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    },
                )));
                doc_changes.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                    edits: vec![OneOf::Left(TextEdit::new(Range::default(), text.clone()))],
                }));
            }
            FileOp::Rename { from, to } => {
                doc_changes.push(DocumentChangeOperation::Op(ResourceOp::Rename(
                    RenameFile {
                        old_uri: root.uri_of(from)?,
                        new_uri: root.uri_of(to)?,
                        options: Some(RenameFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(false),
                        }),
                        annotation_id: None,
                    },
                )));
            }
            FileOp::Edit { path, edits } => {
                let lines = lines_of(path)?;
                doc_changes.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: root.uri_of(path)?,
                        version: None,
                    },
                    edits: edits
                        .iter()
                        .map(|(r, t)| {
                            OneOf::Left(TextEdit::new(convert::range(&lines, *r, enc), t.clone()))
                        })
                        .collect(),
                }));
            }
        }
    }
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(doc_changes)),
        ..Default::default()
    })
}

/// Code actions for an open document, each carrying its edit; None when the
/// index holds another text of it than `text` (an edit came in meanwhile):
/// actions are only ever computed from the artifact of the text they edit.
pub fn code_actions(
    state: &Arc<State>,
    root: &Root,
    rel: &str,
    text: &str,
    range: Range,
    context: &CodeActionContext,
) -> Option<Vec<CodeActionOrCommand>> {
    let enc = state.enc();
    let resource_ops = state.caps().resource_ops;
    let ws = super::state::read(&root.ws);
    let Some(art) = ws.artifacts.get(rel) else {
        return Some(Vec::new());
    };
    if art.hash != xxhash_rust::xxh3::xxh3_64(text.as_bytes()) {
        return None;
    }
    let mut found: Vec<Action> = actions::actions(&ws, art, text);
    let bytes = crate::text::TextRange::new(
        convert::offset(&art.lines, range.start, enc),
        convert::offset(&art.lines, range.end, enc),
    );
    let uri = root
        .uri_of(rel)
        .map(|u| u.as_str().to_string())
        .unwrap_or_default();
    let mut commands: Vec<CodeActionOrCommand> = Vec::new();
    for run in command_actions::actions(&ws, art, bytes, &uri) {
        match run {
            Run::Edit(a) => found.push(a),
            Run::Command {
                title,
                command,
                arguments,
            } => {
                let stale: Vec<Diagnostic> = context
                    .diagnostics
                    .iter()
                    .filter(|d| matches!(&d.code, Some(NumberOrString::String(c)) if c == "bundle-stale"))
                    .cloned()
                    .collect();
                let fixes = title.starts_with("Re-save") && !stale.is_empty();
                let kind = if fixes {
                    CodeActionKind::QUICKFIX
                } else {
                    CodeActionKind::REFACTOR
                };
                if context
                    .only
                    .as_ref()
                    .is_some_and(|o| !o.iter().any(|k| kind.as_str().starts_with(k.as_str())))
                {
                    continue;
                }
                commands.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: title.clone(),
                    kind: Some(kind),
                    diagnostics: fixes.then_some(stale),
                    is_preferred: Some(fixes),
                    command: Some(Command {
                        title,
                        command: command.to_string(),
                        arguments: Some(vec![arguments]),
                    }),
                    ..Default::default()
                }));
            }
        }
    }
    // Approval is offered as what it is, a command a human runs, once the
    // boxes are ticked and the template filled; never as a quick fix.
    if let Some(kind) = ws.kind_of(art)
        && crate::features::approve::ready(art, kind).is_ok()
        && art.status.as_ref().is_none_or(|st| {
            kind.status
                .as_ref()
                .is_some_and(|r| !crate::rules::status_in(&r.approved, &st.value))
        })
        && context.only.as_ref().is_none_or(|o| {
            o.iter()
                .any(|k| CodeActionKind::REFACTOR.as_str().starts_with(k.as_str()))
        })
    {
        let title = format!(
            "Approve {} (records who and when)",
            art.path.rsplit('/').next().unwrap_or(rel)
        );
        commands.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: title.clone(),
            kind: Some(CodeActionKind::REFACTOR),
            command: Some(Command {
                title,
                command: "agentops.approve".into(),
                arguments: Some(vec![serde_json::json!({ "uri": uri })]),
            }),
            ..Default::default()
        }));
    }
    let only = context.only.as_ref();
    let lines = &art.lines;
    let bytes_of = |r: Range| {
        crate::text::TextRange::new(
            convert::offset(lines, r.start, enc),
            convert::offset(lines, r.end, enc),
        )
    };
    let touches =
        |a: crate::text::TextRange, b: crate::text::TextRange| a.start <= b.end && b.start <= a.end;
    // Fixes bound to a finding: offered where it is, resolving the findings
    // of their code there; preferred only when they have one reading.
    let placed: Vec<(Action, Option<crate::text::TextRange>, bool, Option<String>)> =
        crate::features::fixes::fixes(&ws, art, text)
            .into_iter()
            .filter(|f| touches(f.at, bytes))
            .map(|f| (f.action, Some(f.at), f.preferred, f.about))
            .collect();
    // A finding about another artifact (its related information names it)
    // is not resolved by a fix about this one, though both share a place.
    let about_uri = |about: &Option<String>| about.as_deref().and_then(|p| root.uri_of(p));
    found
        .into_iter()
        .map(|a| (a, None, true, None))
        .chain(placed)
        .filter_map(|(a, at, preferred, about)| {
            let about = about_uri(&about);
            let kind = match a.kind {
                ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                ActionKind::Refactor => CodeActionKind::REFACTOR,
            };
            if only.is_some_and(|o| !o.iter().any(|k| kind.as_str().starts_with(k.as_str()))) {
                return None;
            }
            let edit = workspace_edit(&ws, root, &a.ops, enc, resource_ops, Some((rel, &art.lines)))?;
            let diagnostics: Vec<Diagnostic> = context
                .diagnostics
                .iter()
                .filter(|d| matches!(&d.code, Some(NumberOrString::String(c)) if a.fixes.contains(&c.as_str())))
                .filter(|d| at.is_none_or(|at| touches(at, bytes_of(d.range))))
                .filter(|d| {
                    about.as_ref().is_none_or(|u| {
                        d.related_information.as_ref().is_none_or(|rel| {
                            rel.is_empty() || rel.iter().any(|r| &r.location.uri == u)
                        })
                    })
                })
                .cloned()
                .collect();
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: a.title,
                kind: Some(kind),
                is_preferred: Some(preferred && !diagnostics.is_empty()),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                edit: Some(edit),
                ..Default::default()
            }))
        })
        .chain(commands)
        .collect::<Vec<_>>()
        .into()
}
