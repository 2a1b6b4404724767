//! Engine values → LSP values, in the negotiated position encoding.

use tower_lsp_server::ls_types as lsp;

use crate::rules::{Diagnostic, Severity};
use crate::text::{Encoding, LineCol, LineMap, TextRange};

pub fn position(lines: &LineMap, offset: u32, enc: Encoding) -> lsp::Position {
    let LineCol { line, col } = lines.position(offset, enc);
    lsp::Position::new(line, col)
}

pub fn range(lines: &LineMap, r: TextRange, enc: Encoding) -> lsp::Range {
    lsp::Range::new(position(lines, r.start, enc), position(lines, r.end, enc))
}

pub fn offset(lines: &LineMap, pos: lsp::Position, enc: Encoding) -> u32 {
    lines.offset(
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        enc,
    )
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

const DOCS: &str = "https://github.com/agentops/agentops-lsp/blob/main/docs/rules.md";

/// `related` entries name files by root-relative path; `uri_of` turns them into URIs.
pub fn diagnostic(
    d: &Diagnostic,
    lines: &LineMap,
    enc: Encoding,
    related_lines: impl Fn(&str) -> Option<(lsp::Uri, LineMap)>,
) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let (uri, map) = related_lines(&r.path)?;
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri, range(&map, r.range, enc)),
                message: r.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: range(lines, d.range, enc),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: format!("{DOCS}#{}", d.code)
            .parse()
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("agentops".into()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// An engine completion item as LSP: a text edit over the word being typed.
pub fn completion_item(
    i: crate::features::completion::Item,
    lines: &LineMap,
    enc: Encoding,
) -> lsp::CompletionItem {
    use crate::features::completion::ItemKind as K;
    lsp::CompletionItem {
        label: i.label,
        kind: Some(match i.kind {
            K::Command => lsp::CompletionItemKind::FUNCTION,
            K::Flag => lsp::CompletionItemKind::PROPERTY,
            K::Value => lsp::CompletionItemKind::ENUM_MEMBER,
            K::File => lsp::CompletionItemKind::FILE,
            K::Bundle => lsp::CompletionItemKind::MODULE,
        }),
        detail: i.detail,
        documentation: i.documentation.map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: d,
            })
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
            range(lines, i.replace, enc),
            i.insert,
        ))),
        ..Default::default()
    }
}
