//! Who runs a command on which file: every command line of the workspace by
//! the file name its first argument names. Built once, on first use, then
//! kept current by `Workspace::upsert`/`remove` (the replaced artifact's
//! lines out, the new one's in), so a rule asking "is this file being
//! implemented?" looks its name up instead of walking every artifact's
//! commands (which made `phase-prerequisite-missing` quadratic), and typing
//! a command line costs that file's lines, not the workspace's.

use std::collections::HashMap;

use crate::artifact::Artifact;

use super::Workspace;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Runs {
    /// First argument's file name → (artifact path, index into its
    /// `commands`), in path order, then in the order of the file's lines.
    by_file: HashMap<String, Vec<(String, usize)>>,
}

impl Runs {
    pub fn compute(ws: &Workspace) -> Runs {
        super::deps::visited(ws.artifacts.len());
        let mut by_file: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        for a in ws.artifacts.values() {
            for (file, i) in Self::lines(a) {
                by_file
                    .entry(file.to_string())
                    .or_default()
                    .push((a.path.clone(), i));
            }
        }
        Runs { by_file }
    }

    /// `a`'s command lines: the file name of the first argument, the index.
    fn lines(a: &Artifact) -> impl Iterator<Item = (&str, usize)> {
        a.commands.iter().enumerate().filter_map(|(i, c)| {
            let (first, _) = c.args.first()?;
            Some((first.rsplit('/').next().unwrap_or(first), i))
        })
    }

    /// Adds `a`'s command lines, each at its place in path-then-line order.
    pub(super) fn add(&mut self, a: &Artifact) {
        for (file, i) in Self::lines(a) {
            let v = self.by_file.entry(file.to_string()).or_default();
            let entry = (a.path.clone(), i);
            if let Err(at) = v.binary_search(&entry) {
                v.insert(at, entry);
            }
        }
    }

    /// Takes out every command line of `a` (as indexed when it was added).
    pub(super) fn remove(&mut self, a: &Artifact) {
        for (file, _) in Self::lines(a) {
            if let Some(v) = self.by_file.get_mut(file) {
                v.retain(|(p, _)| *p != a.path);
                if v.is_empty() {
                    self.by_file.remove(file);
                }
            }
        }
    }

    /// The command lines whose first argument's file name is `file`.
    pub fn naming(&self, file: &str) -> &[(String, usize)] {
        self.by_file.get(file).map_or(&[], Vec::as_slice)
    }
}
