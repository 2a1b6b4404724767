//! Flavor schemas: the data that says what each artifact kind must look like.

mod builtin;
mod check;
pub mod glob;
pub mod model;
mod pattern;
pub mod regexes;

use std::collections::HashMap;

use regex::Regex;

pub use builtin::builtin_sources;
pub use model::*;
pub use pattern::{PathPattern, fill};

use crate::text::TextRange;

/// A problem in a flavor file, placed in that file.
#[derive(Debug, Clone)]
pub struct SchemaError {
    pub file: String,
    pub range: TextRange,
    pub message: String,
}

/// One flavor, ready to classify paths.
#[derive(Debug, Clone)]
pub struct Flavor {
    pub def: FlavorFile,
    /// Where it came from: `builtin:product-dev` or a root-relative path.
    pub origin: String,
    /// Per kind (same order as `def.kinds`), its compiled path patterns.
    patterns: Vec<Vec<PathPattern>>,
    /// The compiled `not_artifacts` patterns.
    not_artifacts: Vec<PathPattern>,
    captures: Vec<(String, Regex, Option<usize>, String)>,
}

/// A kind matched for a path.
#[derive(Debug, Clone)]
pub struct Match<'a> {
    pub kind: &'a Kind,
    pub captures: Vec<(String, String)>,
}

impl Flavor {
    pub fn compile(def: FlavorFile, origin: &str) -> Result<Flavor, Vec<String>> {
        let mut errors = check::check(&def);
        let mut patterns = Vec::new();
        for kind in &def.kinds {
            let mut compiled = Vec::new();
            for p in &kind.paths {
                match PathPattern::compile(p) {
                    Ok(c) => compiled.push(c),
                    Err(e) => errors.push(format!("kind `{}`: {e}", kind.id)),
                }
            }
            patterns.push(compiled);
        }
        let mut not_artifacts = Vec::new();
        for p in &def.flavor.not_artifacts {
            match PathPattern::compile(p) {
                Ok(c) => not_artifacts.push(c),
                Err(e) => errors.push(format!("not_artifacts `{p}`: {e}")),
            }
        }
        let mut captures = Vec::new();
        for c in &def.captures {
            // The whole capture must match, whether or not the pattern says `^…$`.
            match Regex::new(&format!("^(?:{})$", c.pattern)) {
                Ok(re) => captures.push((c.name.clone(), re, c.max_words, c.description.clone())),
                Err(e) => errors.push(format!("capture `{}`: bad pattern: {e}", c.name)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Flavor {
            def,
            origin: origin.to_string(),
            patterns,
            not_artifacts,
            captures,
        })
    }

    pub fn name(&self) -> &str {
        &self.def.flavor.name
    }

    /// Folder names under `agentops/` this flavor owns.
    pub fn folders(&self) -> Vec<String> {
        if self.def.flavor.folders.is_empty() && self.def.flavor.roots.is_empty() {
            vec![self.def.flavor.name.clone()]
        } else {
            self.def.flavor.folders.clone()
        }
    }

    pub fn kind(&self, id: &str) -> Option<&Kind> {
        self.def.kinds.iter().find(|k| k.id == id)
    }

    pub fn phase_index(&self, id: &str) -> Option<usize> {
        self.def.phases.iter().position(|p| p.id == id)
    }

    /// Whether `rel` (relative to the flavor folder) is declared not to be an
    /// artifact (`not_artifacts`).
    pub fn not_artifact(&self, rel: &str) -> bool {
        self.not_artifacts.iter().any(|p| p.matches(rel).is_some())
    }

    /// The first kind whose pattern matches `rel` (relative to the flavor folder).
    pub fn classify(&self, rel: &str) -> Option<Match<'_>> {
        self.def
            .kinds
            .iter()
            .zip(&self.patterns)
            .find_map(|(kind, pats)| {
                pats.iter()
                    .find_map(|p| p.matches(rel))
                    .map(|captures| Match { kind, captures })
            })
    }

    /// Captures whose text breaks their declared shape, with the reason.
    pub fn capture_problems(&self, captures: &[(String, String)]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, value) in captures {
            for (cname, re, max_words, desc) in &self.captures {
                if cname != name {
                    continue;
                }
                let shape = if desc.is_empty() {
                    re.as_str()
                } else {
                    desc.as_str()
                };
                if !re.is_match(value) {
                    out.push((name.clone(), format!("`{value}` does not match {shape}")));
                } else if let Some(max) = max_words {
                    let words = name_words(value);
                    if words > *max {
                        out.push((
                            name.clone(),
                            format!("`{value}` has {words} words in its name; at most {max}"),
                        ));
                    }
                }
            }
        }
        out
    }
}

/// Words of a `YYYY-MM-DD-some-name` capture after its date prefix.
fn name_words(value: &str) -> usize {
    let parts: Vec<&str> = value.split('-').collect();
    let date_parts = parts
        .iter()
        .take(3)
        .take_while(|p| p.chars().all(|c| c.is_ascii_digit()))
        .count();
    parts.len().saturating_sub(date_parts)
}

/// A folder a flavor adopted (`[[flavor.adopt]]`), found by detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    pub folder: String,
    pub base: String,
    pub flavor: String,
    /// The file or path that showed it.
    pub evidence: String,
}

/// Where one flavor's artifacts are in a workspace, and what showed it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Layout {
    pub flavor: String,
    /// Root-relative folders holding its artifacts (those that exist).
    pub folders: Vec<String>,
    pub source: LayoutSource,
    /// The path found, or the configuration that decided it.
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayoutSource {
    /// A flavor folder under `agentops/`.
    Folder,
    /// Found from the folders present (the flavor's `roots` and `detect`).
    Detected,
    /// Turned on in `agentops.toml` (`[flavors] enable`).
    Config,
    /// Folders of another layout claimed one by one (`[[flavor.adopt]]`).
    Adopted,
}

/// All flavors in effect for a workspace.
#[derive(Debug, Clone, Default)]
pub struct Schemas {
    pub flavors: Vec<Flavor>,
    /// `agentops/<dir>` folder name → index into `flavors`.
    folders: HashMap<String, usize>,
    /// Root-relative folder → index into `flavors`.
    roots: Vec<(String, usize)>,
    /// Folders adopted one by one (`[[flavor.adopt]]`): folder, the base its
    /// paths are classified from, index into `flavors`.
    adopted: Vec<(String, String, usize)>,
    /// Content hash of every flavor definition, for the index cache key.
    pub fingerprint: u64,
    /// The layouts in use, when they were worked out for a root.
    pub layouts: Vec<Layout>,
}

impl Schemas {
    pub fn new(flavors: Vec<Flavor>, extra_folders: &[(String, String)]) -> Schemas {
        let mut s = Schemas::default();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (i, f) in flavors.iter().enumerate() {
            hasher.update(format!("{:?}", f.def).as_bytes());
            for folder in f.folders() {
                s.folders.insert(folder, i);
            }
            for root in &f.def.flavor.roots {
                s.roots.push((root.trim_end_matches('/').to_string(), i));
            }
        }
        for (folder, flavor) in extra_folders {
            hasher.update(folder.as_bytes());
            hasher.update(flavor.as_bytes());
            if let Some(i) = flavors.iter().position(|f| f.name() == flavor) {
                s.folders.insert(folder.clone(), i);
            }
        }
        // Longest roots first, so nested roots win over their parents.
        s.roots.sort_by_key(|r| std::cmp::Reverse(r.0.len()));
        s.fingerprint = hasher.digest();
        s.flavors = flavors;
        s
    }

    /// Keeps the root folders of the `active` flavors only, and records the
    /// layouts found (for `status`).
    pub fn use_layouts(&mut self, active: &[String], layouts: Vec<Layout>, adopted: Vec<Adopted>) {
        let in_use = |i: &usize| {
            self.flavors
                .get(*i)
                .is_some_and(|f| active.iter().any(|a| a == f.name()))
        };
        let roots = std::mem::take(&mut self.roots);
        self.roots = roots.into_iter().filter(|(_, i)| in_use(i)).collect();
        self.adopted = adopted
            .into_iter()
            .filter_map(|a| {
                let i = self.flavors.iter().position(|f| f.name() == a.flavor)?;
                Some((a.folder, a.base, i))
            })
            .collect();
        // Longest first, so nested folders win over their parents.
        self.adopted.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&self.fingerprint.to_le_bytes());
        for (root, i) in &self.roots {
            hasher.update(root.as_bytes());
            hasher.update(&i.to_le_bytes());
        }
        for (folder, base, i) in &self.adopted {
            hasher.update(folder.as_bytes());
            hasher.update(base.as_bytes());
            hasher.update(&i.to_le_bytes());
        }
        self.fingerprint = hasher.digest();
        self.layouts = layouts;
    }

    /// Whether a root-relative path is inside a flavor's root folder (a
    /// layout adopted from another tool) rather than under `agentops/`.
    pub fn in_root(&self, path: &str) -> bool {
        self.for_root(path).is_some()
    }

    pub fn flavor(&self, name: &str) -> Option<&Flavor> {
        self.flavors.iter().find(|f| f.name() == name)
    }

    pub fn for_folder(&self, folder: &str) -> Option<&Flavor> {
        self.folders.get(folder).and_then(|&i| self.flavors.get(i))
    }

    /// The flavor owning a root-relative folder prefix, with the rest of the path.
    pub fn for_root<'p>(&self, path: &'p str) -> Option<(&Flavor, &'p str)> {
        // An adopted folder wins over the root folder around it.
        let adopted = self.adopted.iter().find_map(|(folder, base, i)| {
            path.strip_prefix(folder.as_str())?.strip_prefix('/')?;
            let rest = if base.is_empty() {
                path
            } else {
                path.strip_prefix(base.as_str())?.strip_prefix('/')?
            };
            Some((self.flavors.get(*i)?, rest))
        });
        if adopted.is_some() {
            return adopted;
        }
        self.roots.iter().find_map(|(root, i)| {
            let rest = path.strip_prefix(root.as_str())?.strip_prefix('/')?;
            Some((self.flavors.get(*i)?, rest))
        })
    }

    pub fn root_folders(&self) -> impl Iterator<Item = &str> {
        self.roots
            .iter()
            .map(|(r, _)| r.as_str())
            .chain(self.adopted.iter().map(|(f, _, _)| f.as_str()))
    }

    pub fn folder_names(&self) -> impl Iterator<Item = &str> {
        self.folders.keys().map(String::as_str)
    }
}

/// Parses a flavor TOML, placing errors in the file.
pub fn parse_flavor(text: &str, file: &str) -> Result<Flavor, Vec<SchemaError>> {
    let def: FlavorFile = toml::from_str(text).map_err(|e| {
        let range = e.span().map_or(TextRange::new(0, 0), |s| {
            TextRange::from_usize(s.start, s.end)
        });
        vec![SchemaError {
            file: file.to_string(),
            range,
            message: format!("invalid flavor file: {}", e.message()),
        }]
    })?;
    Flavor::compile(def, file).map_err(|errs| {
        errs.into_iter()
            .map(|message| SchemaError {
                file: file.to_string(),
                range: locate(text, &message),
                message: format!("invalid flavor file: {message}"),
            })
            .collect()
    })
}

/// Places a semantic error at the first backticked name it mentions.
fn locate(text: &str, message: &str) -> TextRange {
    let name = message.split('`').nth(1).unwrap_or("");
    if !name.is_empty() {
        for quoted in [format!("\"{name}\""), format!("'{name}'")] {
            if let Some(i) = text.find(&quoted) {
                return TextRange::from_usize(i, i + quoted.len());
            }
        }
    }
    let first_line = text.find('\n').unwrap_or(text.len());
    TextRange::from_usize(0, first_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_compile() {
        for (name, src) in builtin_sources() {
            if let Err(e) = parse_flavor(src, name) {
                panic!("{name}: {e:?}");
            }
        }
    }

    #[test]
    fn toml_errors_are_placed() {
        let errs = parse_flavor("[flavor]\nname = 3\n", "f.toml").unwrap_err();
        assert_eq!(errs[0].range, TextRange::new(16, 17));
        let errs = parse_flavor(
            "[flavor]\nname = \"x\"\n[[kinds]]\nid = \"k\"\nphase = \"nope\"\npaths = [\"a.md\"]\n",
            "f.toml",
        )
        .unwrap_err();
        assert!(errs[0].message.contains("nope"), "{errs:?}");
        assert_eq!(errs[0].range.start, 47);
    }

    #[test]
    fn spec_folder_words() {
        assert_eq!(name_words("2025-11-06-user-authentication"), 2);
        assert_eq!(name_words("user-auth"), 2);
    }
}
