//! "Did you mean": the nearest of some candidates to a misspelled word.

/// The candidate closest to `word` when close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Edit distance is quadratic: long strings are never typos of each other.
    const MAX: usize = 64;
    if word.len() > MAX {
        return None;
    }
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| c.len() <= MAX && *c != word)
        .map(|c| (strsim::damerau_levenshtein(&w, &c.to_lowercase()), c))
        // Case-only differences (distance 0) are the likeliest typo of all.
        .filter(|(d, c)| *d <= (c.chars().count().min(w.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
