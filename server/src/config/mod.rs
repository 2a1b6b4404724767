//! `agentops.toml`: rule severities, flavor folders and files, ignores.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::rules::{RULES, Severity};
use crate::text::TextRange;

pub const FILE_NAME: &str = "agentops.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Rule code → severity or `off`.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    #[serde(default)]
    pub workspace: WorkspaceConfig,
    #[serde(default)]
    pub flavors: FlavorsConfig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Hint,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Hint => Some(Severity::Hint),
            Level::Off => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceConfig {
    /// Gitignore-style globs of files never scanned, relative to the root.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// The folder holding one folder per flavor.
    #[serde(default = "default_artifacts")]
    pub artifacts: String,
}

impl WorkspaceConfig {
    /// Refuses what would leave the root or silently match nothing: an
    /// `artifacts` folder that is absolute or climbs out (the default
    /// applies instead), and `ignore` globs that do not parse (dropped).
    fn checked(&mut self, text: &str) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        let at = |needle: &str| {
            let i = text.find(needle).unwrap_or(0);
            TextRange::from_usize(i, i + if i == 0 { 0 } else { needle.len() })
        };
        let a = self
            .artifacts
            .trim_start_matches("./")
            .trim_end_matches('/');
        let inside = !a.is_empty()
            && !a.starts_with(['/', '~', '\\'])
            && !a.contains(':')
            && a.split(['/', '\\']).all(|s| !s.is_empty() && s != "..");
        if !inside {
            errors.push(ConfigError {
                range: at(&self.artifacts),
                message: format!(
                    "[workspace] artifacts must be a folder inside the root; `{}` is not, so `{}` is used",
                    self.artifacts,
                    default_artifacts()
                ),
            });
            self.artifacts = default_artifacts();
        } else {
            self.artifacts = a.to_string();
        }
        self.ignore.retain(|glob| {
            // Parsed exactly as the scan parses it.
            let mut b = ignore::overrides::OverrideBuilder::new("");
            match b.add(&format!("!{glob}")) {
                Ok(_) => true,
                Err(e) => {
                    errors.push(ConfigError {
                        range: at(glob),
                        message: format!(
                            "[workspace] ignore: `{glob}` is not a valid glob ({}); it is ignored",
                            glob_error(&e)
                        ),
                    });
                    false
                }
            }
        });
        errors
    }
}

/// The reason in a glob error, without the glob it quotes again.
fn glob_error(e: &ignore::Error) -> String {
    let s = e.to_string();
    match s.rsplit_once(": ") {
        Some((_, why)) => why.to_string(),
        None => s,
    }
}

impl Default for WorkspaceConfig {
    fn default() -> Self {
        WorkspaceConfig {
            ignore: Vec::new(),
            artifacts: default_artifacts(),
        }
    }
}

fn default_artifacts() -> String {
    "agentops".to_string()
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlavorsConfig {
    /// Extra flavor files, relative to the root.
    #[serde(default)]
    pub load: Vec<String>,
    /// Folder under `agentops/` → flavor name.
    #[serde(default)]
    pub folders: BTreeMap<String, String>,
    /// Flavors whose root folders are used even without detection evidence.
    #[serde(default)]
    pub enable: Vec<String>,
    /// Flavors whose root folders are never used, even when detected.
    #[serde(default)]
    pub disable: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ConfigError {
    pub range: TextRange,
    pub message: String,
}

impl Config {
    /// Parses the file; on error the defaults apply and the error is reported.
    pub fn parse(text: &str) -> (Config, Vec<ConfigError>) {
        match toml::from_str::<Config>(text) {
            Ok(mut c) => {
                let mut errors = c.unknown_rules(text);
                errors.extend(c.workspace.checked(text));
                (c, errors)
            }
            Err(e) => {
                let range = e.span().map_or(TextRange::new(0, 0), |s| {
                    TextRange::from_usize(s.start, s.end)
                });
                (
                    Config::default(),
                    vec![ConfigError {
                        range,
                        message: format!("invalid {FILE_NAME}: {}", e.message().trim()),
                    }],
                )
            }
        }
    }

    fn unknown_rules(&self, text: &str) -> Vec<ConfigError> {
        self.rules
            .keys()
            .filter(|k| !RULES.iter().any(|r| r.code == k.as_str()))
            .map(|k| {
                let at = text.find(k.as_str()).unwrap_or(0);
                let near = crate::rules::closest_code(k);
                ConfigError {
                    range: TextRange::from_usize(at, at + k.len()),
                    message: match near {
                        Some(n) => format!("unknown rule `{k}` in [rules]; did you mean `{n}`?"),
                        None => format!("unknown rule `{k}` in [rules]"),
                    },
                }
            })
            .collect()
    }

    /// The severity a rule reports at, or None when turned off.
    pub fn severity(&self, code: &str, default: Severity) -> Option<Severity> {
        match self.rules.get(code) {
            Some(level) => level.severity(),
            None => Some(default),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_and_errors() {
        let (c, errs) =
            Config::parse("[rules]\nlink-broken = \"off\"\nsection-order = \"error\"\n");
        assert!(errs.is_empty());
        assert_eq!(c.severity("link-broken", Severity::Error), None);
        assert_eq!(
            c.severity("section-order", Severity::Warning),
            Some(Severity::Error)
        );
        let (_, errs) = Config::parse("[rules]\nlink-broke = \"off\"\n");
        assert!(errs[0].message.contains("did you mean `link-broken`"));
        let (_, errs) = Config::parse("[rules]\nlink-broken = \"loud\"\n");
        assert_eq!(errs[0].range.start, 22);
    }

    #[test]
    fn folders_outside_the_root_and_bad_globs_are_refused() {
        for bad in ["../x", "/etc", "a/../../b", "~/x", ""] {
            let (c, errs) = Config::parse(&format!("[workspace]\nartifacts = \"{bad}\"\n"));
            assert_eq!(c.workspace.artifacts, "agentops", "{bad}");
            assert!(errs[0].message.contains("inside the root"), "{bad}");
        }
        let (c, errs) = Config::parse("[workspace]\nartifacts = \"./docs/agentops/\"\n");
        assert!(errs.is_empty());
        assert_eq!(c.workspace.artifacts, "docs/agentops");
        let (c, errs) = Config::parse("[workspace]\nignore = [\"a/**\", \"b{c\", \"d[\"]\n");
        assert_eq!(c.workspace.ignore, vec!["a/**".to_string()]);
        assert!(
            errs[1].message.contains("`d[` is not a valid glob"),
            "{}",
            errs[1].message
        );
        assert!(
            errs[0].message.contains("`b{c` is not a valid glob"),
            "{}",
            errs[0].message
        );
        assert_eq!(errs[0].range.start, 31);
    }
}
