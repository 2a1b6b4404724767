//! Syntax: tree-sitter-md block and inline trees, YAML frontmatter, slugs.
//! Everything leaving this module is owned data with byte ranges.

pub mod block;
pub mod frontmatter;
pub mod inline;
pub mod slug;
pub mod split;
pub mod units;
