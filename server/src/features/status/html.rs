//! The status report as one self-contained HTML page (inline CSS, no script,
//! nothing fetched): per flavor a board of work items × phases, with task
//! progress bars, stale bundles and routes awaiting acknowledgement flagged,
//! and each item and phase linking to its files.

use super::{Attention, FlavorStatus, ItemStatus, Report};
use crate::workspace::phases::PhaseStatus;

const STYLE: &str = include_str!("status.css");

/// The page; `links` is what file links start with (`file:///abs/root/`).
pub fn page(r: &Report, links: &str) -> String {
    let mut out = String::new();
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    out.push_str(&format!(
        "<title>agentops status — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&r.root)
    ));
    out.push_str(&format!(
        "<header><h1>agentops status</h1><p class=\"meta\">{} · {}</p><p class=\"legend\">{}</p></header>\n",
        esc(&r.root),
        esc(&r.today),
        esc(&r.legend)
    ));
    for f in &r.flavors {
        flavor(&mut out, f, links);
    }
    if !r.stale_bundles.is_empty() {
        out.push_str("<section class=\"stale\"><h2>Stale bundles</h2><ul>\n");
        for b in &r.stale_bundles {
            out.push_str(&format!(
                "<li class=\"flag\"><a href=\"{}\">{}</a>: changed since the save: {}</li>\n",
                href(links, &b.path),
                esc(&b.name),
                esc(&b.changed.join(", "))
            ));
        }
        out.push_str("</ul></section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The flavor's phases in order, over all its items (items of different
/// kinds go through different phases).
fn columns(f: &FlavorStatus) -> Vec<(String, String)> {
    let mut cols: Vec<(String, String)> = Vec::new();
    for i in &f.items {
        let mut at = 0;
        for p in &i.state.phases {
            match cols.iter().position(|(id, _)| *id == p.id) {
                Some(k) => at = k + 1,
                None => {
                    cols.insert(at.min(cols.len()), (p.id.clone(), p.title.clone()));
                    at += 1;
                }
            }
        }
    }
    cols
}

fn flavor(out: &mut String, f: &FlavorStatus, links: &str) {
    let cols = columns(f);
    out.push_str(&format!(
        "<section class=\"flavor\" id=\"flavor-{}\">\n<h2>{} <small>{}</small></h2>\n",
        esc(&f.name),
        esc(&f.name),
        esc(&f.title)
    ));
    out.push_str("<table class=\"board\">\n<thead><tr><th scope=\"col\">work item</th>");
    for (id, title) in &cols {
        out.push_str(&format!(
            "<th scope=\"col\" title=\"{}\">{}</th>",
            esc(title),
            esc(id)
        ));
    }
    out.push_str(
        "<th scope=\"col\">tasks</th><th scope=\"col\">dates</th></tr></thead>\n<tbody>\n",
    );
    for i in &f.items {
        item(out, i, &cols, links);
    }
    out.push_str("</tbody>\n</table>\n");
    if !f.routes_awaiting.is_empty() {
        out.push_str("<h3>Routes awaiting acknowledgement</h3>\n<ul class=\"routes\">\n");
        for r in &f.routes_awaiting {
            out.push_str(&format!(
                "<li class=\"flag\"><a href=\"{}\">{}</a> ← <a href=\"{}\">{}</a>: {}</li>\n",
                href(links, &r.target),
                esc(&r.target),
                href(links, &r.source),
                esc(&r.source),
                esc(r.changed.as_deref().unwrap_or("never acknowledged"))
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn item(out: &mut String, i: &ItemStatus, cols: &[(String, String)], links: &str) {
    let attention = serde_json::to_value(i.attention)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let first = i
        .artifacts
        .first()
        .map(|a| href(links, a))
        .unwrap_or_default();
    out.push_str(&format!(
        "<tr class=\"item {}\" data-key=\"{}\"><th scope=\"row\"><a href=\"{first}\">{}</a>",
        esc(&attention),
        esc(&i.state.key),
        esc(&i.state.key)
    ));
    if i.attention != Attention::Done {
        out.push_str(&format!(
            "<span class=\"badge\">{}</span>",
            esc(i.attention.word())
        ));
    }
    if !i.state.blockers.is_empty() {
        out.push_str(&format!(
            "<ul class=\"blockers\">{}</ul>",
            i.state
                .blockers
                .iter()
                .map(|b| format!("<li>{}</li>", esc(b)))
                .collect::<String>()
        ));
    }
    out.push_str("</th>");
    for (id, _) in cols {
        let Some(p) = i.state.phases.iter().find(|p| &p.id == id) else {
            out.push_str("<td class=\"phase none\"></td>");
            continue;
        };
        let current = i.state.current.as_deref() == Some(id.as_str());
        let (class, mark) = match p.status {
            PhaseStatus::Done => ("done", "✓"),
            _ if current => ("current", "→"),
            PhaseStatus::InProgress => ("under-way", "…"),
            PhaseStatus::NotStarted => ("not-started", "·"),
            PhaseStatus::Skipped => ("skipped", "–"),
        };
        let stale = p.detail.as_deref().is_some_and(|d| d.starts_with("stale"));
        let link = p
            .artifacts
            .first()
            .map(|a| format!("<a href=\"{}\">{mark}</a>", href(links, a)))
            .unwrap_or_else(|| mark.to_string());
        let detail = p
            .detail
            .as_ref()
            .map(|d| format!("<small>{}</small>", esc(d)))
            .unwrap_or_default();
        out.push_str(&format!(
            "<td class=\"phase {class}{}\" title=\"{}: {}\">{link}{detail}</td>",
            if stale { " flag" } else { "" },
            esc(&p.title),
            esc(&format!("{:?}", p.status).to_lowercase())
        ));
    }
    match i.tasks {
        Some(t) => {
            let pct = (t.done * 100).checked_div(t.total).unwrap_or(0);
            out.push_str(&format!(
                "<td class=\"tasks\"><div class=\"bar\" role=\"progressbar\" aria-valuenow=\"{}\" aria-valuemax=\"{}\"><span style=\"width:{pct}%\"></span></div>{}/{}</td>",
                t.done, t.total, t.done, t.total
            ));
        }
        None => out.push_str("<td class=\"tasks\"></td>"),
    }
    let mut dates = Vec::new();
    if let Some(d) = &i.dates.started {
        dates.push(format!("started {d}"));
    }
    if let Some(d) = &i.dates.last_change {
        dates.push(format!("changed {d}"));
    }
    if let Some(n) = i.dates.days_in_phase {
        dates.push(format!("{n} d in phase"));
    }
    for a in &i.approvals {
        dates.push(format!("approved by {}", a.by));
    }
    out.push_str(&format!(
        "<td class=\"dates\">{}</td></tr>\n",
        dates
            .iter()
            .map(|d| esc(d))
            .collect::<Vec<_>>()
            .join("<br>")
    ));
}

/// What file links start with for the root at `abs`: `file:///abs/root/`.
pub fn file_base(abs: &std::path::Path) -> String {
    let path = abs.to_string_lossy().replace('\\', "/");
    let path = path.trim_end_matches('/');
    let lead = if path.starts_with('/') { "" } else { "/" };
    // Encoded like the paths under it; `esc` is applied by `href` later.
    let mut s = String::from("file://");
    s.push_str(lead);
    s.push_str(&encode(path));
    s.push('/');
    s
}

fn encode(rel: &str) -> String {
    let mut s = String::new();
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// A link to a root-relative file, percent-encoded outside unreserved characters.
fn href(links: &str, rel: &str) -> String {
    esc(&format!("{links}{}", encode(rel)))
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_links() {
        assert_eq!(
            esc("<a href=\"x\">'&'"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"
        );
        assert_eq!(
            href("file:///r/", "specs/a b#c/é.md"),
            "file:///r/specs/a%20b%23c/%C3%A9.md"
        );
        assert_eq!(
            file_base(std::path::Path::new("/a b/ré")),
            "file:///a%20b/r%C3%A9/"
        );
    }
}
