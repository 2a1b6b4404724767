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
    let mut best: Option<(usize, &'a str, bool)> = None;
    for c in candidates {
        if c.len() > MAX || c == word {
            continue;
        }
        let d = strsim::damerau_levenshtein(&w, &c.to_lowercase());
        // Case-only differences (distance 0) are the likeliest typo of all.
        if d > (c.chars().count().min(w.chars().count()) / 3).max(1) {
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
}
