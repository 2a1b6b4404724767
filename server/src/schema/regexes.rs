//! The regular expressions flavors write (block headings, requirement ids,
//! citations), compiled once per thread: extraction runs on every file of
//! a kind, and a `Regex` is cheap to clone but not to build.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

/// Flavor regexes are small; a bigger compiled program is refused.
const SIZE_LIMIT: usize = 1 << 20;

thread_local! {
    static CACHE: RefCell<HashMap<String, Option<Regex>>> = RefCell::new(HashMap::new());
}

/// `pattern` compiled, or `None` when it does not compile (reported by
/// `check` when the flavor loads).
pub fn get(pattern: &str) -> Option<Regex> {
    CACHE.with(|c| {
        c.borrow_mut()
            .entry(pattern.to_string())
            .or_insert_with(|| compile(pattern).ok())
            .clone()
    })
}

pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .build()
}
