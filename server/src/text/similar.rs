//! "Did you mean": the nearest of some candidates to a misspelled word.

/// The candidate closest to `word` when close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest(word, candidates).map(|(c, _)| c)
}

/// `closest`, and whether it is the only candidate at its distance: a quick
/// fix is preferred only when the typo has one reading.
pub fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<(&'a str, bool)> {
    // Edit distance is quadratic: long strings are never typos of each other.
    const MAX: usize = 64;
    if word.len() > MAX {
        return None;
    }
    let w = word.to_lowercase();
    let w_len = w.chars().count();
    let mut best: Option<(usize, &'a str, bool)> = None;
    for c in candidates {
        if c.len() > MAX || c == word {
            continue;
        }
        let limit = (c.chars().count().min(w_len) / 3).max(1);
        // The distance is at least the difference in length: most candidates
        // of a long list are ruled out here, without the quadratic distance
        // (and its allocations). Exact: it skips only what the limit would.
        let lower;
        let c_lower: &str = if c.is_ascii() && !c.bytes().any(|b| b.is_ascii_uppercase()) {
            c
        } else {
            lower = c.to_lowercase();
            &lower
        };
        if c_lower.chars().count().abs_diff(w_len) > limit {
            continue;
        }
        let d = strsim::damerau_levenshtein(&w, c_lower);
        // Case-only differences (distance 0) are the likeliest typo of all.
        if d > limit {
            continue;
        }
        best = match best {
            Some((bd, bc, _)) if bd == d && bc != c => Some((bd, bc, false)),
            Some((bd, _, _)) if bd <= d => best,
            _ => Some((d, c, true)),
        };
    }
    best.map(|(_, c, unique)| (c, unique))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_reading_or_several() {
        assert_eq!(
            nearest("reserch", ["research", "resolve"]),
            Some(("research", true))
        );
        assert_eq!(nearest("cat", ["bat", "car"]), Some(("bat", false)));
        assert_eq!(closest("cat", ["bat", "car"]), Some("bat"));
        assert_eq!(nearest("zzzz", ["research"]), None);
    }

    #[test]
    fn the_length_filter_keeps_every_reading() {
        // Within the limit by length: still compared.
        assert_eq!(closest("Reserch", ["RESEARCH"]), Some("RESEARCH"));
        assert_eq!(closest("plan", ["plans", "planned"]), Some("plans"));
        // Lowercasing that changes the length (`İ` is two characters lowercased).
        assert_eq!(closest("İstanbul", ["istanbul"]), Some("istanbul"));
        assert_eq!(closest("a", ["abcd"]), None);
    }
}
