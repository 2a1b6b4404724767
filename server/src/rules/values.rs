//! Frontmatter value checks by declared field type.

use crate::schema::{Field, FieldType};
use crate::syntax::frontmatter::FmValue;

/// Why `value` does not fit `field`, or None when it does.
pub fn problem(field: &Field, value: &FmValue) -> Option<String> {
    if *value == FmValue::Null {
        return None;
    }
    let scalar = value.as_text();
    match field.ty {
        FieldType::Any => None,
        FieldType::String => match value {
            FmValue::Str(_) | FmValue::Int(_) | FmValue::Float(_) | FmValue::Bool(_) => None,
            other => Some(format!(
                "`{}` must be text, not {}",
                field.name,
                other.type_name()
            )),
        },
        // A list of one is how many write a single path (`source: [a.md]`).
        FieldType::Path => match value {
            v if v.single().is_some() => None,
            other => Some(format!(
                "`{}` must be a path, not {}",
                field.name,
                other.type_name()
            )),
        },
        FieldType::Date => match scalar {
            Some(s) if is_date(&s) || is_datetime(&s) => None,
            Some(s) => Some(format!("`{s}` is not a date; write YYYY-MM-DD")),
            None => Some(format!(
                "`{}` must be a date (YYYY-MM-DD), not {}",
                field.name,
                value.type_name()
            )),
        },
        FieldType::Datetime => match scalar {
            Some(s) if is_datetime(&s) || is_date(&s) => None,
            Some(s) => Some(format!(
                "`{s}` is not a date-time; write e.g. 2025-11-07T10:30:00Z"
            )),
            None => Some(format!(
                "`{}` must be a date-time, not {}",
                field.name,
                value.type_name()
            )),
        },
        FieldType::Bool => match value {
            FmValue::Bool(_) => None,
            other => Some(format!(
                "`{}` must be true or false, not {}",
                field.name,
                other.type_name()
            )),
        },
        FieldType::Number => match value {
            FmValue::Int(_) | FmValue::Float(_) => None,
            other => Some(format!(
                "`{}` must be a number, not {}",
                field.name,
                other.type_name()
            )),
        },
        // A single value is a one-item list: real files write `tags: infra`.
        FieldType::List => match value {
            FmValue::List(_) | FmValue::Str(_) => None,
            other => Some(format!(
                "`{}` must be a list, not {}",
                field.name,
                other.type_name()
            )),
        },
        FieldType::Enum => match scalar {
            Some(s) if enum_matches(field, &s) => None,
            Some(s) => {
                let hint = super::closest(&s, field.values.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                Some(format!(
                    "`{s}` is not a valid {}; expected one of: {}{hint}",
                    field.name,
                    field.values.join(", ")
                ))
            }
            None => Some(format!(
                "`{}` must be one of: {}",
                field.name,
                field.values.join(", ")
            )),
        },
    }
}

fn enum_matches(field: &Field, value: &str) -> bool {
    let v = value.trim();
    field.values.iter().any(|x| x.eq_ignore_ascii_case(v))
}

pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))?
            .parse::<u32>()
            .ok()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The date a dated name starts with (`2025-11-06-user-authentication`):
/// a valid date followed by `-` or nothing. `2025-11-2026-12-02` has none,
/// although its first ten characters look like one.
pub fn dated_prefix(s: &str) -> Option<&str> {
    let d = s.get(..10)?;
    let named = s.len() == 10 || s.get(10..11) == Some("-");
    (named && is_date(d)).then_some(d)
}

/// `YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|±HH:MM]`.
pub fn is_datetime(s: &str) -> bool {
    let (Some(date), Some(sep), Some(rest)) = (s.get(..10), s.get(10..11), s.get(11..)) else {
        return false;
    };
    if !is_date(date) || !(sep == "T" || sep == "t" || sep == " ") {
        return false;
    }
    let (time, _zone) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("")),
        None => (rest, ""),
    };
    let mut parts = time.split(':');
    let ok = |p: Option<&str>, max: u32| {
        p.and_then(|x| x.split('.').next()?.parse::<u32>().ok())
            .is_some_and(|v| v <= max)
    };
    let h = parts.next();
    let m = parts.next();
    let sec = parts.next();
    ok(h, 23) && ok(m, 59) && (sec.is_none() || ok(sec, 60)) && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2025-13-01"));
        assert!(!is_date("20251107"));
        assert_eq!(dated_prefix("2025-11-06-user-auth"), Some("2025-11-06"));
        assert_eq!(dated_prefix("2025-11-06"), Some("2025-11-06"));
        assert_eq!(dated_prefix("2025-11-2026-12-02"), None);
        assert_eq!(dated_prefix("2025-11-2026-12-02-auth"), None);
        assert!(is_datetime("2025-11-07T10:30:00Z"));
        assert!(is_datetime("2025-11-07 10:30"));
        assert!(is_datetime("2025-11-07T10:30:00.123+02:00"));
        assert!(!is_datetime("2025-11-07T25:00"));
    }
}
