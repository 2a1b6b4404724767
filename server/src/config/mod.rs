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
            Ok(c) => {
                let errors = c.unknown_rules(text);
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
}
