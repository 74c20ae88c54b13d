//! The fixed text form that content fingerprints hash (a report's create
//! body, a quiz result): one line per field, `name=` then `-` for an absent
//! value or `<length in bytes>:<value>`, so no value can be mistaken for
//! another. Not JSON, so it stays stable when serialisers change.

/// Appends one field's line to `out`.
pub(crate) fn field(out: &mut Vec<u8>, name: &str, value: Option<&str>) {
    out.extend_from_slice(name.as_bytes());
    out.push(b'=');
    match value {
        None => out.push(b'-'),
        Some(value) => {
            out.extend_from_slice(value.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(value.as_bytes());
        }
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_keep_values_apart() {
        let mut out = Vec::new();
        field(&mut out, "a", Some("x\nb=1:y"));
        field(&mut out, "b", None);
        assert_eq!(out, b"a=7:x\nb=1:y\nb=-\n");
    }
}
