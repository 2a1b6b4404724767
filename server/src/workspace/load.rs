//! Config and flavors of a root: built-ins, then the user's, each error a diagnostic.

use std::collections::HashMap;
use std::path::Path;

use crate::config::{self, Config};
use crate::rules::{Diagnostic, Severity};
use crate::schema::{self, Flavor, Schemas};
use crate::text::{LineMap, TextRange};

pub const FLAVOR_FILE: &str = "flavor.toml";

pub fn load_setup(root: &Path) -> (Config, Schemas, Vec<Diagnostic>, HashMap<String, LineMap>) {
    let mut diags = Vec::new();
    let mut files = HashMap::new();
    let read =
        |rel: &str| super::read::read_text_in(root, &root.join(rel), super::read::MAX_CONFIG);
    let mut config_text = String::new();
    let config = match read(config::FILE_NAME) {
        Ok(text) => {
            let (config, errors) = Config::parse(&text);
            for e in errors {
                diags.push(setup_diag(
                    config::FILE_NAME,
                    "config-invalid",
                    e.range,
                    e.message,
                ));
            }
            files.insert(config::FILE_NAME.to_string(), LineMap::new(&text));
            config_text = text;
            config
        }
        Err(super::read::ReadError::Missing) => Config::default(),
        // Present but unusable (not UTF-8, a FIFO, huge, a symlink out of
        // the root): said, never silently replaced by the defaults.
        Err(e) => {
            diags.push(setup_diag(
                config::FILE_NAME,
                "config-invalid",
                TextRange::new(0, 0),
                format!("cannot read {}: {e}; the defaults apply", config::FILE_NAME),
            ));
            files.insert(config::FILE_NAME.to_string(), LineMap::new(""));
            Config::default()
        }
    };
    let mut flavors: Vec<Flavor> = Vec::new();
    for (name, src) in schema::builtin_sources() {
        match schema::parse_flavor(src, name) {
            Ok(f) => flavors.push(f),
            // Built-ins are tested to compile; this is only reachable from a broken build.
            Err(errs) => eprintln!("agentops-lsp: built-in flavor {name} is invalid: {errs:?}"),
        }
    }
    let mut folders: Vec<(String, String)> = Vec::new();
    let mut user_files: Vec<(String, Option<String>)> = config
        .flavors
        .load
        .iter()
        .map(|p| (p.trim_start_matches("./").to_string(), None))
        .collect();
    let artifacts = root.join(&config.workspace.artifacts);
    if let Ok(entries) = std::fs::read_dir(&artifacts) {
        let mut dirs: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join(FLAVOR_FILE).is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        dirs.sort();
        for d in dirs {
            user_files.push((
                format!("{}/{d}/{FLAVOR_FILE}", config.workspace.artifacts),
                Some(d),
            ));
        }
    }
    for (rel, folder) in user_files {
        let text = match read(&rel) {
            Ok(t) => t,
            Err(e) => {
                let at = config_mention(&config_text, &rel);
                diags.push(setup_diag(
                    config::FILE_NAME,
                    "config-invalid",
                    at,
                    format!(
                        "cannot read flavor file `{}`: {e}",
                        crate::text::shown(&rel)
                    ),
                ));
                continue;
            }
        };
        files.insert(rel.clone(), LineMap::new(&text));
        match schema::parse_flavor(&text, &rel) {
            Ok(f) => {
                if let Some(folder) = folder {
                    folders.push((folder, f.name().to_string()));
                }
                // A user flavor with a built-in's name replaces it.
                flavors.retain(|old| old.name() != f.name());
                flavors.push(f);
            }
            Err(errs) => {
                for e in errs {
                    diags.push(setup_diag(&rel, "flavor-invalid", e.range, e.message));
                }
            }
        }
    }
    for (folder, flavor) in &config.flavors.folders {
        if flavors.iter().any(|f| f.name() == flavor) {
            folders.push((folder.clone(), flavor.clone()));
        } else {
            let at = config_mention(&config_text, flavor);
            let known: Vec<&str> = flavors.iter().map(|f| f.name()).collect();
            diags.push(setup_diag(
                config::FILE_NAME,
                "config-invalid",
                at,
                format!(
                    "[flavors.folders] maps `{folder}` to unknown flavor `{flavor}`; known: {}",
                    known.join(", ")
                ),
            ));
        }
    }
    for name in config.flavors.enable.iter().chain(&config.flavors.disable) {
        if !flavors.iter().any(|f| f.name() == name) {
            let at = config_mention(&config_text, name);
            let with_roots: Vec<&str> = flavors
                .iter()
                .filter(|f| !f.def.flavor.roots.is_empty())
                .map(|f| f.name())
                .collect();
            diags.push(setup_diag(
                config::FILE_NAME,
                "config-invalid",
                at,
                format!(
                    "[flavors] enable/disable names unknown flavor `{name}`; flavors with root folders: {}",
                    with_roots.join(", ")
                ),
            ));
        }
    }
    let mut schemas = Schemas::new(flavors, &folders);
    let (active, layouts, adopted) = super::detect::detect(root, &schemas, &config);
    schemas.use_layouts(&active, layouts, adopted);
    (config, schemas, diags, files)
}

fn config_mention(text: &str, needle: &str) -> TextRange {
    text.find(needle).map_or(TextRange::new(0, 0), |i| {
        TextRange::from_usize(i, i + needle.len())
    })
}

fn setup_diag(file: &str, code: &'static str, range: TextRange, message: String) -> Diagnostic {
    Diagnostic {
        path: file.to_string(),
        code,
        severity: Severity::Error,
        range,
        message: crate::text::echo::bounded(message),
        related: Vec::new(),
    }
}
