//! Which layouts a root uses, found from the folders present: flavor
//! folders under `agentops/`, and flavors' `roots` where their `detect`
//! evidence exists. `agentops.toml` `[flavors] enable` / `disable` override.

use std::path::Path;

use crate::artifact::sections::title_matches;
use crate::config::Config;
use crate::schema::glob::{RootGlob, Segment};
use crate::schema::{Adopted, Layout, LayoutSource, Schemas};

/// Folders one `[[flavor.adopt]]` entry judges, at most.
const MAX_ADOPT_FOLDERS: usize = 4096;
/// Markdown files read per folder for its title evidence, and their size cap.
const MAX_TITLE_FILES: usize = 16;
const MAX_TITLE_BYTES: u64 = 1 << 20;

/// What detection found: the flavors whose root folders are in use, every
/// layout, and the folders flavors adopted one by one.
pub type Detected = (Vec<String>, Vec<Layout>, Vec<Adopted>);

/// The flavors whose root folders are in use, every layout found, and the
/// folders adopted.
pub fn detect(root: &Path, schemas: &Schemas, config: &Config) -> Detected {
    let (mut active, mut layouts) = detect_roots(root, schemas, config);
    let adopted = adoptions(root, schemas, config);
    for a in &adopted {
        if !active.contains(&a.flavor) {
            active.push(a.flavor.clone());
        }
        match layouts
            .iter_mut()
            .find(|l| l.flavor == a.flavor && l.source == LayoutSource::Adopted)
        {
            Some(l) => l.folders.push(a.folder.clone()),
            None => layouts.push(Layout {
                flavor: a.flavor.clone(),
                folders: vec![a.folder.clone()],
                source: LayoutSource::Adopted,
                evidence: a.evidence.clone(),
            }),
        }
    }
    (active, layouts, adopted)
}

/// Folders of other layouts that flavors claim one by one (`adopt`), each
/// where its own files show it. Entries with title evidence are tried
/// before those that only need a folder, and a folder goes to the first.
fn adoptions(root: &Path, schemas: &Schemas, config: &Config) -> Vec<Adopted> {
    let mut entries: Vec<_> = schemas
        .flavors
        .iter()
        .filter(|f| !config.flavors.disable.iter().any(|d| d == f.name()))
        .flat_map(|f| f.def.flavor.adopt.iter().map(move |a| (f.name(), a)))
        .collect();
    entries.sort_by_key(|(_, a)| a.titles.is_empty());
    let mut out: Vec<Adopted> = Vec::new();
    for (flavor, a) in entries {
        let required = a
            .requires
            .iter()
            .filter_map(|r| RootGlob::new(r).ok())
            .find_map(|g| first_match(root, &g.segments, String::new()));
        if !a.requires.is_empty() && required.is_none() {
            continue;
        }
        let Ok(glob) = RootGlob::new(&a.folders) else {
            continue;
        };
        let mut folders = Vec::new();
        all_matches(
            root,
            &glob.segments,
            String::new(),
            &mut folders,
            MAX_ADOPT_FOLDERS,
        );
        for folder in folders {
            // A symlink could lead out of the root: only real folders count.
            let real_dir = std::fs::symlink_metadata(root.join(&folder)).is_ok_and(|m| m.is_dir());
            if out.iter().any(|o| o.folder == folder) || !real_dir {
                continue;
            }
            let evidence = if a.titles.is_empty() {
                required.clone()
            } else {
                titled_file(root, &folder, &a.titles)
            };
            if let Some(evidence) = evidence {
                out.push(Adopted {
                    folder,
                    base: a.base.trim_end_matches('/').to_string(),
                    flavor: flavor.to_string(),
                    evidence,
                });
            }
        }
    }
    out
}

/// The first Markdown file directly in `folder` whose level-1 title matches
/// one of `titles`, root-relative.
fn titled_file(root: &Path, folder: &str, titles: &[String]) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(folder))
        .ok()?
        .filter_map(Result::ok)
        // `DirEntry::metadata` does not follow symlinks: files outside stay unread.
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= MAX_TITLE_BYTES)
        })
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| super::is_artifact_file(n))
        .collect();
    names.sort();
    names.into_iter().take(MAX_TITLE_FILES).find_map(|n| {
        let rel = format!("{folder}/{n}");
        // Through the one capped reader: the file may have changed since the
        // listing (a FIFO swapped in must not block detection).
        let text = super::read::read_text_in(root, &root.join(&rel), MAX_TITLE_BYTES).ok()?;
        let title = first_title(&text)?;
        titles
            .iter()
            .any(|t| title_matches(t, title))
            .then_some(rel)
    })
}

/// The text of the first `# ` heading outside frontmatter and fenced code.
fn first_title(text: &str) -> Option<&str> {
    let mut lines = text.lines().peekable();
    if lines.peek().is_some_and(|l| l.trim_end() == "---") {
        lines.next();
        for l in lines.by_ref() {
            if matches!(l.trim_end(), "---" | "...") {
                break;
            }
        }
    }
    let mut fence: Option<&str> = None;
    for l in lines {
        let t = l.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(if t.starts_with('`') { "```" } else { "~~~" });
            continue;
        }
        if let Some(title) = l.strip_prefix("# ") {
            return Some(title.trim());
        }
    }
    None
}

/// Flavor folders under `agentops/` and flavors' root folders in use.
fn detect_roots(root: &Path, schemas: &Schemas, config: &Config) -> (Vec<String>, Vec<Layout>) {
    let mut layouts = Vec::new();
    let artifacts = &config.workspace.artifacts;
    if let Ok(entries) = std::fs::read_dir(root.join(artifacts)) {
        let mut dirs: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        dirs.sort();
        for d in dirs {
            if let Some(f) = schemas.for_folder(&d) {
                let folder = format!("{artifacts}/{d}");
                layouts.push(Layout {
                    flavor: f.name().to_string(),
                    folders: vec![folder.clone()],
                    source: LayoutSource::Folder,
                    evidence: folder,
                });
            }
        }
    }
    let mut active = Vec::new();
    for f in schemas
        .flavors
        .iter()
        .filter(|f| !f.def.flavor.roots.is_empty())
    {
        let name = f.name().to_string();
        let roots = &f.def.flavor.roots;
        let existing: Vec<String> = roots
            .iter()
            .map(|r| r.trim_end_matches('/').to_string())
            .filter(|r| root.join(r).is_dir())
            .collect();
        let found = if config.flavors.disable.contains(&name) {
            None
        } else if config.flavors.enable.contains(&name) {
            Some((
                LayoutSource::Config,
                "agentops.toml [flavors] enable".to_string(),
            ))
        } else if f.def.flavor.detect.is_empty() {
            // A root folder needs no other evidence; unused ones stay
            // registered so that a folder created later (a first bundle) counts.
            active.push(name.clone());
            existing
                .first()
                .map(|r| (LayoutSource::Detected, r.clone()))
        } else {
            f.def
                .flavor
                .detect
                .iter()
                .filter_map(|d| RootGlob::new(d).ok())
                .find_map(|g| first_match(root, &g.segments, String::new()))
                .map(|p| (LayoutSource::Detected, p))
        };
        let Some((source, evidence)) = found else {
            continue;
        };
        if !active.contains(&name) {
            active.push(name.clone());
        }
        layouts.push(Layout {
            flavor: name,
            folders: if existing.is_empty() {
                roots.clone()
            } else {
                existing
            },
            source,
            evidence,
        });
    }
    (active, layouts)
}

/// The first root-relative path matching the segments, in name order.
fn first_match(root: &Path, segments: &[Segment], prefix: String) -> Option<String> {
    let mut found = Vec::new();
    all_matches(root, segments, prefix, &mut found, 1);
    found.pop()
}

/// Root-relative paths matching the segments, in name order, at most `limit`.
fn all_matches(
    root: &Path,
    segments: &[Segment],
    prefix: String,
    out: &mut Vec<String>,
    limit: usize,
) {
    if out.len() >= limit {
        return;
    }
    let Some((seg, rest)) = segments.split_first() else {
        out.push(prefix);
        return;
    };
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        }
    };
    match seg {
        Segment::Literal(name) => {
            let rel = join(name);
            let full = root.join(&rel);
            let ok = if rest.is_empty() {
                full.exists()
            } else {
                full.is_dir()
            };
            if ok {
                all_matches(root, rest, rel, out, limit);
            }
        }
        Segment::Pattern(_) => {
            let Ok(entries) = std::fs::read_dir(root.join(&prefix)) else {
                return;
            };
            let mut names: Vec<String> = entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| seg.matches(n))
                .collect();
            names.sort();
            for n in names {
                if out.len() >= limit {
                    return;
                }
                let rel = join(&n);
                if rest.is_empty() || root.join(&rel).is_dir() {
                    all_matches(root, rest, rel, out, limit);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globbed_evidence_is_found_by_segment() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("specs/notes")).unwrap();
        std::fs::create_dir_all(dir.path().join("specs/002-login")).unwrap();
        std::fs::write(dir.path().join("specs/002-login/spec.md"), "# x").unwrap();
        let g = RootGlob::new("specs/[0-9][0-9][0-9]-*/spec.md").unwrap();
        assert_eq!(
            first_match(dir.path(), &g.segments, String::new()).as_deref(),
            Some("specs/002-login/spec.md")
        );
        let g = RootGlob::new(".specify").unwrap();
        assert_eq!(first_match(dir.path(), &g.segments, String::new()), None);
    }
    fn layouts_of(
        files: &[&str],
        config: &str,
    ) -> (Vec<String>, Vec<(String, LayoutSource, String)>) {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "# x\n").unwrap();
        }
        std::fs::write(dir.path().join("agentops.toml"), config).unwrap();
        let (_, schemas, diags, _) = super::super::load_setup(dir.path());
        assert!(diags.is_empty(), "{diags:?}");
        let (config, _) = Config::parse(config);
        let (mut active, layouts, _) = detect(dir.path(), &schemas, &config);
        active.sort();
        let layouts = layouts
            .into_iter()
            .map(|l| (l.flavor, l.source, l.evidence))
            .collect();
        (active, layouts)
    }

    #[test]
    fn layouts_from_the_folders_present() {
        let (active, layouts) = layouts_of(
            &[
                "agentops/infrastructure-ops/research/a-research.md",
                "specs/001-login/spec.md",
                "thoughts/shared/plans/p.md",
            ],
            "",
        );
        assert_eq!(
            layouts,
            [
                (
                    "infrastructure-ops".into(),
                    LayoutSource::Folder,
                    "agentops/infrastructure-ops".into()
                ),
                (
                    "spec-kit".into(),
                    LayoutSource::Detected,
                    "specs/001-login".into()
                ),
                (
                    "rpi".into(),
                    LayoutSource::Detected,
                    "thoughts/shared".into()
                ),
            ]
        );
        // Flavors without `detect` stay in use for folders created later.
        for f in [
            "agent-os-v1",
            "context-bundles",
            "product-dev",
            "rpi",
            "spec-kit",
        ] {
            assert!(active.contains(&f.to_string()), "{f}: {active:?}");
        }
    }

    #[test]
    fn adopted_from_titles_never_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let spec = "---\nx: 1\n---\n# Spec Requirements Document\n\n## Overview\n";
        for base in [
            dir.path().join("agent-os/specs/2025-01-01-a"),
            outside.path().to_path_buf(),
        ] {
            std::fs::create_dir_all(&base).unwrap();
            std::fs::write(base.join("spec.md"), spec).unwrap();
        }
        std::fs::create_dir_all(dir.path().join("agent-os/specs/2025-01-02-b")).unwrap();
        std::fs::write(
            dir.path().join("agent-os/specs/2025-01-02-b/spec.md"),
            "# Specification: B\n",
        )
        .unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            outside.path(),
            dir.path().join("agent-os/specs/2025-01-03-c"),
        )
        .unwrap();
        let (_, schemas, _, _) = super::super::load_setup(dir.path());
        let found = adoptions(dir.path(), &schemas, &Config::default());
        let found: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|a| (a.folder.as_str(), a.base.as_str(), a.flavor.as_str()))
            .collect();
        assert_eq!(
            found,
            [("agent-os/specs/2025-01-01-a", "agent-os", "agent-os-v1")]
        );
    }

    #[test]
    fn first_title_skips_frontmatter_and_code() {
        let text = "---\ntitle: x\n---\n```\n# not a title\n```\n## Overview\n# Spec Tasks\n";
        assert_eq!(first_title(text), Some("Spec Tasks"));
        assert_eq!(first_title("## Only a section\n"), None);
    }

    #[test]
    fn agents_needs_agentops_evidence() {
        // Other tools' skills and rules share the folder name.
        let (active, layouts) = layouts_of(
            &[".agents/skills/deploy/SKILL.md", ".agents/rules/style.md"],
            "",
        );
        assert!(!active.contains(&"agents".to_string()), "{active:?}");
        assert!(layouts.is_empty(), "{layouts:?}");
        let (active, layouts) = layouts_of(
            &[
                ".agents/skills/deploy/SKILL.md",
                ".agents/research/2026-04-02-cache.md",
            ],
            "",
        );
        assert!(active.contains(&"agents".to_string()), "{active:?}");
        assert_eq!(
            layouts,
            [(
                "agents".into(),
                LayoutSource::Detected,
                ".agents/research/2026-04-02-cache.md".into()
            )]
        );
    }

    #[test]
    fn specs_alone_is_not_spec_kit_and_config_overrides() {
        let (active, layouts) =
            layouts_of(&["specs/login/spec.md", ".agent-os/specs/x/spec.md"], "");
        assert!(!active.contains(&"spec-kit".to_string()));
        assert_eq!(layouts.len(), 1, "{layouts:?}");
        let (active, layouts) = layouts_of(
            &["specs/login/spec.md", ".agent-os/specs/x/spec.md"],
            "[flavors]\nenable = [\"spec-kit\"]\ndisable = [\"agent-os-v1\"]\n",
        );
        assert!(active.contains(&"spec-kit".to_string()));
        assert!(!active.contains(&"agent-os-v1".to_string()));
        assert_eq!(
            layouts,
            [(
                "spec-kit".into(),
                LayoutSource::Config,
                "agentops.toml [flavors] enable".into()
            )]
        );
    }
}
