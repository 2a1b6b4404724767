use crate::rules::Diagnostic;
use crate::text::PathBase;
use crate::workspace::Workspace;

/// `path:line:col: severity[code]: message`, one line each: control
/// characters in a path or a message are escaped, so a file named
/// `x\nforged.md:1:1: error[...]` cannot print a line of its own. Paths are
/// shown on `base` (the current folder), so that they open from a terminal.
pub fn human(ws: &Workspace, diags: &[Diagnostic], base: &PathBase) -> String {
    use crate::text::echo::escape_controls;
    let mut out = String::new();
    for d in diags {
        let (start, _) = super::place(ws, &d.path, d.range);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            escape_controls(&base.show(&d.path)),
            start.line,
            start.col,
            d.severity.as_str(),
            d.code,
            escape_controls(&d.message)
        ));
    }
    out
}
