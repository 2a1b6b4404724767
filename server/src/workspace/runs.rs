//! Who runs a command on which file: every command line of the workspace by
//! the file name its first argument names. Built once per change of any
//! artifact's command lines, so a rule asking "is this file being
//! implemented?" looks its name up instead of walking every artifact's
//! commands (which made `phase-prerequisite-missing` quadratic).

use std::collections::HashMap;

use super::Workspace;

#[derive(Debug, Default)]
pub struct Runs {
    /// First argument's file name → (artifact path, index into its
    /// `commands`), in path order, then in the order of the file's lines.
    by_file: HashMap<String, Vec<(String, usize)>>,
}

impl Runs {
    pub fn compute(ws: &Workspace) -> Runs {
        let mut by_file: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        for a in ws.artifacts.values() {
            for (i, c) in a.commands.iter().enumerate() {
                if let Some((first, _)) = c.args.first() {
                    let file = first.rsplit('/').next().unwrap_or(first);
                    by_file
                        .entry(file.to_string())
                        .or_default()
                        .push((a.path.clone(), i));
                }
            }
        }
        Runs { by_file }
    }

    /// The command lines whose first argument's file name is `file`.
    pub fn naming(&self, file: &str) -> &[(String, usize)] {
        self.by_file.get(file).map_or(&[], Vec::as_slice)
    }
}
