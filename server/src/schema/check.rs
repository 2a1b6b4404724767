//! Consistency of a flavor definition: every name it uses must be declared.

use std::collections::HashSet;

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
        if kind.paths.is_empty() {
            errors.push(format!("`{}` has no paths", kind.id));
        }
        let sections: HashSet<&str> = kind.sections.iter().map(|s| s.id.as_str()).collect();
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
        if let Some(r) = &kind.routes
            && !kind.fields.iter().any(|f| &f.name == r)
        {
            errors.push(format!(
                "`{r}` (routes field of kind `{}`) is not one of its fields",
                kind.id
            ));
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
