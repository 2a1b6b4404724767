//! The commands a workspace knows: every loaded flavor's `[[commands]]`.

use crate::artifact::{Artifact, CommandUse};
use crate::schema::{Command, Flavor};
use crate::workspace::Workspace;

use super::resolve::{Resolved, artifact as resolve_artifact};
use super::{Word, bind};

#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub flavor: &'a Flavor,
    pub command: &'a Command,
}

/// The declaration of `name`: the document's own flavor first (flavors may
/// give the same command different arguments), else the first flavor that
/// declares it.
pub fn lookup<'a>(ws: &'a Workspace, own: Option<&str>, name: &str) -> Option<Known<'a>> {
    let find = |f: &'a Flavor| {
        f.def
            .commands
            .iter()
            .find(|c| c.name == name)
            .map(|command| Known { flavor: f, command })
    };
    own.and_then(|o| ws.schemas.flavor(o))
        .and_then(find)
        .or_else(|| ws.schemas.flavors.iter().find_map(find))
}

/// The declaration a line is judged by: the document's own flavor's, else,
/// of the flavors that declare the command, the one it fits best (a bundle
/// quoting `/implement x-plan.md` means the flavor that has plans).
pub fn best<'a>(ws: &'a Workspace, art: &Artifact, u: &CommandUse) -> Option<Known<'a>> {
    if let Some(own) = art.class.flavor()
        && let Some(k) = ws.schemas.flavor(own).and_then(|f| {
            f.def
                .commands
                .iter()
                .find(|c| c.name == u.name)
                .map(|command| Known { flavor: f, command })
        })
    {
        return Some(k);
    }
    let candidates: Vec<Known> = ws
        .schemas
        .flavors
        .iter()
        .filter_map(|f| {
            let command = f.def.commands.iter().find(|c| c.name == u.name)?;
            Some(Known { flavor: f, command })
        })
        .collect();
    if candidates.len() < 2 {
        return candidates
            .into_iter()
            .next()
            .or_else(|| lookup(ws, None, &u.name));
    }
    candidates.into_iter().min_by_key(|k| {
        let b = bind(k.command, u);
        let unresolved = b
            .words
            .iter()
            .zip(&u.args)
            .filter(|(w, (word, _))| match w {
                Word::Arg(Some(decl)) if decl.kind == "artifact" => !matches!(
                    resolve_artifact(ws, art, word, &decl.kinds),
                    Resolved::Found(_)
                ),
                _ => false,
            })
            .count();
        b.problems.len() + unresolved
    })
}

/// Every command once, the document's own flavor's declarations first.
pub fn all<'a>(ws: &'a Workspace, own: Option<&str>) -> Vec<Known<'a>> {
    let mut flavors: Vec<&Flavor> = ws.schemas.flavors.iter().collect();
    flavors.sort_by_key(|f| Some(f.name()) != own);
    let mut out: Vec<Known> = Vec::new();
    for f in flavors {
        for c in &f.def.commands {
            if !out.iter().any(|k| k.command.name == c.name) {
                out.push(Known {
                    flavor: f,
                    command: c,
                });
            }
        }
    }
    out
}

/// The usage line: `/implement <plan> [--dry-run] [--execute] [--resume]`.
pub fn usage(c: &Command) -> String {
    let mut s = c.name.clone();
    for a in &c.args {
        let name = if a.rest {
            format!("{}…", a.name)
        } else {
            a.name.clone()
        };
        if a.required {
            s.push_str(&format!(" <{name}>"));
        } else {
            s.push_str(&format!(" [{name}]"));
        }
    }
    for f in &c.flags {
        if f.value {
            let v = if f.values.is_empty() {
                "value".to_string()
            } else {
                f.values.join("|")
            };
            s.push_str(&format!(" [{} {v}]", f.name));
        } else {
            s.push_str(&format!(" [{}]", f.name));
        }
    }
    s
}

/// Markdown documentation of a command, for hover and completion.
pub fn documentation(k: &Known) -> String {
    let c = k.command;
    let mut s = format!("```\n{}\n```\n", usage(c));
    if !c.description.is_empty() {
        s.push_str(&format!("\n{}\n", c.description));
    }
    if let Some(p) = &c.phase {
        let title = k
            .flavor
            .def
            .phases
            .iter()
            .find(|x| &x.id == p)
            .map_or(p.as_str(), |x| {
                if x.title.is_empty() { &x.id } else { &x.title }
            });
        s.push_str(&format!(
            "\nDrives the *{title}* phase of `{}`.\n",
            k.flavor.name()
        ));
    }
    if !c.args.is_empty() || !c.flags.is_empty() {
        s.push('\n');
    }
    for a in &c.args {
        let need = if a.required { "required" } else { "optional" };
        s.push_str(&format!("- `{}` ({need}) {}\n", a.name, a.description));
    }
    for f in &c.flags {
        s.push_str(&format!("- `{}` {}\n", f.name, f.description));
    }
    s
}
