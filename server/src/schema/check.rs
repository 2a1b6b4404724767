//! Consistency of a flavor definition: every name it uses must be declared.

use std::collections::{HashMap, HashSet};

use super::model::FlavorFile;

pub fn check(def: &FlavorFile) -> Vec<String> {
    let mut errors = Vec::new();
    let phases: HashSet<&str> = def.phases.iter().map(|p| p.id.as_str()).collect();
    let kinds: HashSet<&str> = def.kinds.iter().map(|k| k.id.as_str()).collect();
    if def.flavor.name.trim().is_empty() {
        errors.push("`name` of [flavor] is empty".to_string());
    }
    for phase in &def.phases {
        for r in &phase.requires {
            if !phases.contains(r.as_str()) {
                errors.push(format!(
                    "`{r}` required by phase `{}` is not a phase",
                    phase.id
                ));
            }
        }
    }
    let requires: Vec<(&str, &str)> = def
        .phases
        .iter()
        .flat_map(|p| p.requires.iter().map(|r| (p.id.as_str(), r.as_str())))
        .collect();
    if let Some(c) = cycle(&requires) {
        errors.push(format!(
            "phases require each other in a cycle: {}; no phase of it could ever start",
            quoted(&c)
        ));
    }
    for a in &def.flavor.adopt {
        for glob in std::iter::once(&a.folders).chain(&a.requires) {
            if let Err(e) = super::glob::RootGlob::new(glob) {
                errors.push(format!("`{glob}` in [[flavor.adopt]]: {e}"));
            }
        }
        let base = a.base.trim_end_matches('/');
        if !base.is_empty() && !a.folders.starts_with(&format!("{base}/")) {
            errors.push(format!(
                "`{}` in [[flavor.adopt]] is not inside its base `{base}`",
                a.folders
            ));
        }
    }
    let mut seen = HashSet::new();
    for kind in &def.kinds {
        if !seen.insert(kind.id.as_str()) {
            errors.push(format!("`{}` is declared twice as a kind", kind.id));
        }
        if !phases.contains(kind.phase.as_str()) {
            errors.push(format!(
                "`{}` (phase of kind `{}`) is not a declared phase",
                kind.phase, kind.id
            ));
        }
        if let Some(p) = kind.starts.as_deref()
            && !phases.contains(p)
        {
            errors.push(format!(
                "`{p}` (the phase kind `{}` starts) is not a declared phase",
                kind.id
            ));
        }
        if kind.paths.is_empty() {
            errors.push(format!("`{}` has no paths", kind.id));
        }
        let sections: HashSet<&str> = kind.sections.iter().map(|s| s.id.as_str()).collect();
        let parents: Vec<(&str, &str)> = kind
            .sections
            .iter()
            .filter_map(|s| Some((s.id.as_str(), s.parent.as_deref()?)))
            .collect();
        if let Some(c) = cycle(&parents) {
            errors.push(format!(
                "sections of kind `{}` are each other's parents in a cycle: {}",
                kind.id,
                quoted(&c)
            ));
        }
        for s in &kind.sections {
            if let Some(p) = &s.parent
                && !sections.contains(p.as_str())
            {
                errors.push(format!(
                    "`{p}` (parent of section `{}` in kind `{}`) is not a section",
                    s.id, kind.id
                ));
            }
            if !(1..=6).contains(&s.level) {
                errors.push(format!(
                    "`{}` in kind `{}` has level {}; levels are 1 to 6",
                    s.id, kind.id, s.level
                ));
            }
        }
        let section_ref = |id: &str, what: &str, errors: &mut Vec<String>| {
            if id != "title" && !sections.contains(id) {
                errors.push(format!(
                    "`{id}` ({what} of kind `{}`) is not a section of it",
                    kind.id
                ));
            }
        };
        if let Some(st) = &kind.status
            && let Some(c) = &st.checklist
        {
            section_ref(c, "status checklist", &mut errors);
        }
        for cp in &kind.code_paths {
            if let Some(s) = &cp.section {
                section_ref(s, "code path section", &mut errors);
            }
        }
        for (field, what) in [(&kind.routes, "routes"), (&kind.routed_from, "routed_from")] {
            if let Some(r) = field
                && !kind.fields.iter().any(|f| &f.name == r)
            {
                errors.push(format!(
                    "`{r}` ({what} field of kind `{}`) is not one of its fields",
                    kind.id
                ));
            }
        }
        if let Some(seed) = kind.seed.as_deref().filter(|s| *s != "body") {
            section_ref(seed, "seed section", &mut errors);
        }
        for s in &kind.essential_sections {
            section_ref(s, "essential section", &mut errors);
        }
        for p in &kind.prerequisites {
            if !kinds.contains(p.kind.as_str()) {
                errors.push(format!(
                    "`{}` (prerequisite of kind `{}`) is not a kind",
                    p.kind, kind.id
                ));
            }
        }
        if let Some(e) = &kind.evidence
            && e.sections > kind.sections.len()
        {
            errors.push(format!(
                "`{}` asks for {} sections as evidence but declares {}",
                kind.id,
                e.sections,
                kind.sections.len()
            ));
        }
        for m in &kind.markers {
            if m.start.is_empty() || m.end.is_empty() {
                errors.push(format!(
                    "`{}` has a marker with an empty `start` or `end`",
                    kind.id
                ));
            }
        }
        blocks(def, kind, &sections, &mut errors);
        for f in &kind.fields {
            if f.ty == super::model::FieldType::Enum && f.values.is_empty() {
                errors.push(format!(
                    "`{}` in kind `{}` is an enum with no values",
                    f.name, kind.id
                ));
            }
        }
    }
    for d in &def.flavor.detect {
        if let Err(e) = super::glob::RootGlob::new(d) {
            errors.push(format!("`{d}` in `detect`: {e}"));
        }
    }
    for c in &def.commands {
        if !c.name.starts_with('/') {
            errors.push(format!("`{}`: command names start with `/`", c.name));
        }
        if let Some(p) = &c.phase
            && !phases.contains(p.as_str())
        {
            errors.push(format!(
                "`{p}` (phase of command `{}`) is not a phase",
                c.name
            ));
        }
    }
    errors
}

/// A kind's blocks, requirement ids and citations: their regexes compile,
/// and the sections, blocks and kinds they name exist.
fn blocks(
    def: &FlavorFile,
    kind: &super::model::Kind,
    sections: &HashSet<&str>,
    errors: &mut Vec<String>,
) {
    let mut regex = |p: &str, what: &str| {
        if let Err(e) = super::regexes::compile(p) {
            errors.push(format!("`{p}` ({what} of kind `{}`): {e}", kind.id));
        }
    };
    for b in &kind.blocks {
        regex(&b.heading, "block heading");
        for r in &b.rules {
            for c in &r.children {
                regex(&c.heading, "block child heading");
            }
        }
    }
    if let Some(p) = kind.requirements.as_ref().and_then(|r| r.pattern.as_ref()) {
        regex(p, "requirement pattern");
    }
    if let Some(c) = &kind.cites {
        regex(&c.pattern, "citation pattern");
        if let Some(id) = &c.id {
            regex(id, "citation id pattern");
        }
    }
    let block_ids: HashSet<&str> = kind.blocks.iter().map(|b| b.id.as_str()).collect();
    if let Some(b) = kind.requirements.as_ref().and_then(|r| r.block.as_ref())
        && !block_ids.contains(b.as_str())
    {
        errors.push(format!(
            "`{b}` (requirement block of kind `{}`) is not a block of it",
            kind.id
        ));
    }
    for b in &kind.blocks {
        if !(1..=6).contains(&b.level) {
            errors.push(format!(
                "block `{}` in kind `{}` has level {}; levels are 1 to 6",
                b.id, kind.id, b.level
            ));
        }
        let rule_sections = b.rules.iter().flat_map(|r| &r.sections);
        for s in b.sections.iter().chain(rule_sections) {
            if !sections.contains(s.as_str()) {
                errors.push(format!(
                    "`{s}` (section of block `{}` in kind `{}`) is not a section of it",
                    b.id, kind.id
                ));
            }
        }
        for r in b.rules.iter().filter_map(|r| r.exists.as_ref()) {
            let target = def.kinds.iter().find(|k| k.id == r.kind);
            let wanted = r.block.as_deref().unwrap_or(&b.id);
            match target {
                None => errors.push(format!(
                    "`{}` (kind a block `{}` of kind `{}` refers to) is not a kind",
                    r.kind, b.id, kind.id
                )),
                Some(t) if !t.blocks.iter().any(|tb| tb.id == wanted) => errors.push(format!(
                    "`{wanted}` is not a block of kind `{}` (referred to by block `{}` of kind `{}`)",
                    t.id, b.id, kind.id
                )),
                Some(_) => {}
            }
        }
    }
}

/// One cycle in a graph given as edges, as the nodes around it (the first
/// repeated at the end), or None. Iterative: a flavor file may declare
/// thousands of phases, and no input may overflow the stack.
fn cycle<'a>(edges: &[(&'a str, &'a str)]) -> Option<Vec<&'a str>> {
    let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, to) in edges {
        next.entry(from).or_default().push(to);
    }
    // 1: on the current path, 2: done (no cycle through it).
    let mut state: HashMap<&str, u8> = HashMap::new();
    let mut starts: Vec<&str> = next.keys().copied().collect();
    starts.sort_unstable();
    for start in starts {
        if state.contains_key(start) {
            continue;
        }
        let mut path: Vec<&str> = vec![start];
        let mut todo: Vec<std::slice::Iter<&str>> =
            vec![next.get(start).map(|v| v.iter()).unwrap_or_default()];
        state.insert(start, 1);
        while let Some(it) = todo.last_mut() {
            match it.next() {
                Some(&n) => match state.get(n) {
                    Some(1) => {
                        let at = path.iter().position(|p| *p == n).unwrap_or(0);
                        let mut c: Vec<&str> = path.get(at..).unwrap_or_default().to_vec();
                        c.push(n);
                        return Some(c);
                    }
                    Some(_) => {}
                    None => {
                        state.insert(n, 1);
                        path.push(n);
                        todo.push(next.get(n).map(|v| v.iter()).unwrap_or_default());
                    }
                },
                None => {
                    todo.pop();
                    if let Some(done) = path.pop() {
                        state.insert(done, 2);
                    }
                }
            }
        }
    }
    None
}

fn quoted(nodes: &[&str]) -> String {
    nodes
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(" → ")
}

#[cfg(test)]
mod tests {
    use super::cycle;

    #[test]
    fn cycles_are_found_without_recursion() {
        assert_eq!(cycle(&[("a", "b"), ("b", "c")]), None);
        assert_eq!(
            cycle(&[("a", "b"), ("b", "c"), ("c", "a")]),
            Some(vec!["a", "b", "c", "a"])
        );
        assert_eq!(cycle(&[("x", "x")]), Some(vec!["x", "x"]));
        // A chain 100,000 long: no stack overflow.
        let names: Vec<String> = (0..100_000).map(|i| format!("p{i}")).collect();
        let chain: Vec<(&str, &str)> = names
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str()))
            .collect();
        assert_eq!(cycle(&chain), None);
    }
}
