//! Splitting a request target into its path and decoded query parameters
//! (`application/x-www-form-urlencoded`: `+` is a space, `%XX` a byte, values UTF-8).

use crate::engine::params::ParamError;

/// Decoded `name=value` pairs, in the order given.
pub type Pairs = Vec<(String, String)>;

/// The path (still percent-encoded) and the decoded `name=value` pairs of `target`, in order.
/// A parameter with no `=` has an empty value.
pub fn split_target(target: &str) -> Result<(&str, Pairs), ParamError> {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, query),
        None => (target, ""),
    };
    let mut pairs = Vec::new();
    for part in query.split('&').filter(|part| !part.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let name = decode(name).map_err(|message| ParamError::new("query", message))?;
        let value = decode(value).map_err(|message| ParamError::new(&name, message))?;
        pairs.push((name, value));
    }
    Ok((path, pairs))
}

/// Decodes one percent-encoded component; `+` is a space.
pub fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|pair| std::str::from_utf8(pair).ok())
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                    .ok_or_else(|| format!("bad percent-encoding in `{text}`"))?;
                out.push(hex);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| format!("`{text}` is not UTF-8 once decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_into_path_and_decoded_pairs() {
        let (path, pairs) =
            split_target("/api/search?q=trade+deal&country=C%C3%B4te%20d%27Ivoire&facets").unwrap();
        assert_eq!(path, "/api/search");
        assert_eq!(
            pairs,
            vec![
                ("q".to_string(), "trade deal".to_string()),
                ("country".to_string(), "Côte d'Ivoire".to_string()),
                ("facets".to_string(), String::new()),
            ]
        );
        assert_eq!(split_target("/").unwrap(), ("/", Vec::new()));
    }

    #[test]
    fn bad_encodings_name_their_parameter() {
        let error = split_target("/api/search?q=%zz").unwrap_err();
        assert_eq!(error.parameter, "q");
        assert_eq!(error.message, "bad percent-encoding in `%zz`");
        let error = split_target("/api/search?person=%ff").unwrap_err();
        assert_eq!(
            (error.parameter.as_str(), error.message.as_str()),
            ("person", "`%ff` is not UTF-8 once decoded")
        );
        assert_eq!(decode("%4").unwrap_err(), "bad percent-encoding in `%4`");
    }
}
