use crate::rules::Diagnostic;
use crate::workspace::Workspace;

/// `path:line:col: severity[code]: message`, one line each.
pub fn human(ws: &Workspace, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let (start, _) = super::place(ws, &d.path, d.range);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            d.path,
            start.line,
            start.col,
            d.severity.as_str(),
            d.code,
            d.message
        ));
    }
    out
}
