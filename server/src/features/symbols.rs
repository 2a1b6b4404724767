//! The outline of an artifact: frontmatter, then its sections as a tree.

use crate::artifact::Artifact;
use crate::syntax::frontmatter::FmValue;
use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole extent (a section to its end).
    pub range: TextRange,
    /// What to select when jumping to it (the heading text, the key).
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Frontmatter,
    Field,
    Section,
}

pub fn outline(art: &Artifact) -> Vec<Symbol> {
    let mut out = Vec::new();
    if let Some(fm) = &art.frontmatter {
        out.push(Symbol {
            name: "frontmatter".into(),
            detail: Some(format!("{} fields", fm.fields.len())),
            kind: SymbolKind::Frontmatter,
            range: fm.range,
            selection: fm.open_range,
            children: fm
                .fields
                .iter()
                .map(|f| Symbol {
                    name: f.key.clone(),
                    detail: f.value.as_text().or_else(|| match &f.value {
                        FmValue::List(items) => Some(format!("{} items", items.len())),
                        _ => None,
                    }),
                    kind: SymbolKind::Field,
                    range: TextRange::new(
                        f.key_range.start,
                        f.value_range.end.max(f.key_range.end),
                    ),
                    selection: f.key_range,
                    children: Vec::new(),
                })
                .collect(),
        });
    }
    // Build the section tree with an explicit stack: headings can nest six deep
    // but documents can hold thousands of them.
    let mut stack: Vec<(u8, Symbol)> = Vec::new();
    let mut roots: Vec<Symbol> = Vec::new();
    for s in &art.sections {
        let sym = Symbol {
            name: if s.text.is_empty() {
                "(empty heading)".into()
            } else {
                s.text.clone()
            },
            detail: None,
            kind: SymbolKind::Section,
            range: s.extent(),
            selection: if s.text_range.is_empty() {
                s.range
            } else {
                s.text_range
            },
            children: Vec::new(),
        };
        while stack.last().is_some_and(|(l, _)| *l >= s.level) {
            pop_into(&mut stack, &mut roots);
        }
        stack.push((s.level, sym));
    }
    while !stack.is_empty() {
        pop_into(&mut stack, &mut roots);
    }
    out.extend(roots);
    out
}

fn pop_into(stack: &mut Vec<(u8, Symbol)>, roots: &mut Vec<Symbol>) {
    if let Some((_, done)) = stack.pop() {
        match stack.last_mut() {
            Some((_, parent)) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}
