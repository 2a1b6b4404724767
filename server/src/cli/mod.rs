//! The command line: a thin face over the workspace and rules.

mod approve;
pub mod bundle;
mod check;
pub mod output;
mod progress;
mod requirements;
mod status;
mod trace;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "agentops-lsp",
    version,
    about = "Language server and checker for agentops workflow artifacts"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the Language Server Protocol over stdio (the default with no arguments).
    Serve,
    /// Validate every artifact of a workspace; exit 0 with no error, 1 on any error, 2 on usage or I/O failure.
    Check(CheckArgs),
    /// Per flavor, each work item, the phase it is in and what blocks it.
    ///
    /// Exit 0 (also with no work items); 2 on usage or I/O failure (ROOT is
    /// not a folder, the `--html` FILE cannot be written).
    Status(StatusArgs),
    /// Save, load and list context bundles (`.agentops/bundles/NAME.md` + `NAME.tar.zst`).
    ///
    /// Exit 0 on success; 1 when the save, load or extract is refused (the
    /// reason on stderr: the bundle exists without `--overwrite`, no such
    /// bundle, a snapshot that does not verify, a file extract would
    /// overwrite); 2 on usage or I/O failure.
    Bundle(BundleArgs),
    /// Which specs and plans produce or touch a file or folder, and the phase of their work item;
    /// with `--requirements`, requirement ids → tasks citing them → their code paths.
    ///
    /// Exit 0 when an artifact declares PATH (with `--requirements`: when the workspace has
    /// requirement ids); 1 when none does; 2 on usage or I/O failure.
    Trace(TraceArgs),
    /// Approve an artifact as a human: status, `approved_by`, `approved_at`.
    ///
    /// Exit 0 when approved; 1 when refused (a sign-off box open, template
    /// placeholders left, already approved, no approval in its kind, or no
    /// approver known); 2 on usage or I/O failure (no such file, outside the
    /// workspace, not an artifact, cannot write).
    Approve(ApproveArgs),
}

#[derive(clap::Args)]
pub struct ApproveArgs {
    /// The artifact, from the current folder or from the workspace root.
    pub path: PathBuf,
    /// Workspace root, as for `check` (default: the folder above PATH holding `agentops/` or
    /// `agentops.toml`, else `.`).
    #[arg(value_name = "ROOT")]
    pub at: Option<PathBuf>,
    /// Who approves (default: git `user.name` in the workspace).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// The root as a flag: still read, for older scripts.
    #[arg(long, hide = true, conflicts_with = "at")]
    pub root: Option<PathBuf>,
    /// Parse every file, ignoring and not writing the index cache.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(clap::Args)]
pub struct BundleArgs {
    #[command(subcommand)]
    pub command: BundleCommand,
}

#[derive(Subcommand)]
pub enum BundleCommand {
    /// Write a digest of the sources' essential sections and a zstd snapshot of them.
    Save {
        /// `<topic>-<type>[-vN]`, e.g. `k8s-upgrade-plan`.
        name: String,
        /// Workspace root (the folder holding `agentops/`), as for `check`.
        #[arg(value_name = "ROOT")]
        at: Option<PathBuf>,
        /// Artifacts (or folders of artifacts) to bundle: exactly these. Without it, a
        /// re-save (`--overwrite`) keeps the sources the bundle records.
        #[arg(long, num_args = 1..)]
        from: Vec<PathBuf>,
        /// The bundle type; must agree with the name's.
        #[arg(long = "type")]
        r#type: Option<String>,
        /// Comma-separated tags.
        #[arg(long)]
        tags: Vec<String>,
        /// Replace an existing bundle (the old one is kept as `NAME.md.prev` / `NAME.tar.zst.prev`).
        #[arg(long)]
        overwrite: bool,
        #[arg(long, hide = true, conflicts_with = "at")]
        root: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Verify a bundle, report sources changed since the save and print the digest (a
    /// stale one led by what changed). Writes nothing unless `--count`.
    Load {
        /// The bundle's name; a part of it lists the bundles it could mean.
        name: String,
        #[arg(value_name = "ROOT")]
        at: Option<PathBuf>,
        /// Restore the snapshot's files into DIR instead (never overwriting a file).
        #[arg(long, value_name = "DIR")]
        extract: Option<PathBuf>,
        /// Record the load in the digest: `accessed_count` + 1 and `last_accessed`.
        #[arg(long)]
        count: bool,
        /// The default now; kept so that older scripts still run.
        #[arg(long, hide = true, conflicts_with = "count")]
        no_count: bool,
        #[arg(long, hide = true, conflicts_with = "at")]
        root: Option<PathBuf>,
        /// The report as JSON instead of the digest.
        #[arg(long)]
        json: bool,
    },
    /// Every bundle with its type, creation time, compression ratio, recall and state.
    List {
        #[arg(value_name = "ROOT")]
        at: Option<PathBuf>,
        #[arg(long, hide = true, conflicts_with = "at")]
        root: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
pub struct TraceArgs {
    /// A file or folder, from the current folder or from the workspace root; it need not exist.
    /// With `--requirements`, the workspace (default `.`) or a requirements file in it.
    #[arg(required_unless_present = "requirements")]
    pub path: Option<PathBuf>,
    /// Workspace root, as for `check` (default: the folder above PATH holding `agentops/` or
    /// `agentops.toml`, else `.`).
    #[arg(value_name = "ROOT")]
    pub at: Option<PathBuf>,
    /// The requirement matrix instead: each requirement id, the tasks citing it, their code.
    #[arg(long)]
    pub requirements: bool,
    /// The root as a flag: still read, for older scripts.
    #[arg(long, hide = true, conflicts_with = "at")]
    pub root: Option<PathBuf>,
    /// The artifacts as JSON (lines and columns 1-based, columns in characters).
    #[arg(long)]
    pub json: bool,
    /// Parse every file, ignoring and not writing the index cache.
    #[arg(long)]
    pub no_cache: bool,
}

impl TraceArgs {
    /// The root named positionally or with the older `--root`.
    pub fn root(&self) -> Option<&std::path::Path> {
        self.at.as_deref().or(self.root.as_deref())
    }
}

impl ApproveArgs {
    /// The root named positionally or with the older `--root`.
    pub fn root(&self) -> Option<&std::path::Path> {
        self.at.as_deref().or(self.root.as_deref())
    }
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Workspace root (the folder holding `agentops/`).
    #[arg(default_value = ".")]
    pub root: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Parse every file, ignoring and not writing the index cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Index cache folder (default: $AGENTOPS_LSP_CACHE, $XDG_CACHE_HOME/agentops-lsp or ~/.cache/agentops-lsp).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Print files seen, per-kind counts and per-severity counts after the diagnostics.
    #[arg(long)]
    pub stats: bool,
    /// Set a rule's severity for this run, over `agentops.toml`: `--rule code-path-missing=off`.
    #[arg(long = "rule", value_name = "CODE=LEVEL", value_parser = parse_rule)]
    pub rules: Vec<(String, crate::config::Level)>,
}

#[derive(clap::Args)]
pub struct StatusArgs {
    /// Workspace root (the folder holding `agentops/`).
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// The report as JSON (the same document `agentops/status` returns;
    /// schema: docs/status.schema.json).
    #[arg(long, conflicts_with = "html")]
    pub json: bool,
    /// Write the report as one self-contained HTML page to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Parse every file, ignoring and not writing the index cache.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    /// `path:line:col: severity[code]: message`
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Status(args)) => status::run(&args),
        Some(Command::Bundle(args)) => bundle::run(&args),
        Some(Command::Trace(args)) => trace::run(&args),
        Some(Command::Approve(args)) => approve::run(&args),
        Some(Command::Serve) | None => crate::lsp::run(),
    }
}

/// `CODE=LEVEL` with a known code and one of error, warning, info, hint, off.
fn parse_rule(s: &str) -> Result<(String, crate::config::Level), String> {
    use crate::config::Level;
    let (code, level) = s
        .split_once('=')
        .ok_or_else(|| format!("expected CODE=LEVEL, got `{s}`"))?;
    if crate::rules::rule(code).is_none() {
        let hint = crate::rules::closest_code(code)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return Err(format!("unknown rule `{code}`{hint}"));
    }
    let level = match level {
        "error" => Level::Error,
        "warning" => Level::Warning,
        "info" => Level::Info,
        "hint" => Level::Hint,
        "off" => Level::Off,
        other => {
            return Err(format!(
                "`{other}` is not one of error, warning, info, hint, off"
            ));
        }
    };
    Ok((code.to_string(), level))
}
