//! `recall`: the share of the sources' essential items that the digest holds
//! whole, measured on the written text (not on what the digest meant to
//! keep): an item counts when its words, in order, are in the digest.

/// The share of `items` present in `body`, or 1 when there are none.
pub fn recall(items: &[String], body: &str) -> f64 {
    if items.is_empty() {
        return 1.0;
    }
    let hay = normalize(body);
    let found = items.iter().filter(|i| hay.contains(&normalize(i))).count();
    found as f64 / items.len() as f64
}

/// Whitespace collapsed and link destinations left out: the digest rewrites
/// local links to resolve from the bundle folder, which changes no word.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("](") {
        out.push_str(rest.get(..=i).unwrap_or(""));
        let after = rest.get(i + 2..).unwrap_or("");
        match after.find(')') {
            Some(j) => rest = after.get(j + 1..).unwrap_or(""),
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measured_on_the_text() {
        let items = vec![
            "- see [plan](../plans/x.md) now".to_string(),
            "- gone".to_string(),
        ];
        let body = "intro\n- see [plan](../../agentops/plans/x.md)\n  now\n";
        assert_eq!(recall(&items, body), 0.5);
        assert_eq!(recall(&[], "x"), 1.0);
        assert_eq!(normalize("a [b](c) [d](e"), "a [b] [d]e");
    }
}
